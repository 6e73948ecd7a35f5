/*
 * Guest memory access: copy between uos buffers and a task's address space.
 *
 * Every guest pointer is read once into a uos buffer before it is checked.
 * A bad guest address gives -EFAULT, never a supervisor crash.  Uses
 * process_vm_readv/writev, and /proc/PID/mem where those cannot reach (pages
 * the guest mapped without the needed permission, e.g. a read-only segment).
 */
#pragma once

#include <stddef.h>

struct task;

/* Copy len bytes from guest address src.  0 or -EFAULT. */
int gmem_read(struct task *t, void *dst, unsigned long src, size_t len);
/* Copy len bytes to guest address dst.  0 or -EFAULT. */
int gmem_write(struct task *t, unsigned long dst, const void *src, size_t len);
/*
 * Copy a NUL-terminated string of at most max-1 bytes into dst[max].
 * Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL is found.
 */
long gmem_strncpy(struct task *t, char *dst, unsigned long src, size_t max);
/*
 * gmem_strncpy of several strings (at most GMEM_STRS), len getting what it
 * returns for each: one host call for all when each ends in the page where
 * it starts, as a call's path and name do but rarely.
 */
#define GMEM_STRS 4
struct gmem_str {
	char *dst;
	unsigned long src;
	size_t max;
	long len;
};
void gmem_strncpy_n(struct task *t, struct gmem_str *s, int n);
/*
 * One guest page held in uos, for many small reads close together (the
 * vectors of execve and their strings): each page is read once while it is
 * the one held.  Start with addr = GMEM_NO_PAGE.  The bytes are a copy made
 * at one moment, as any read.
 */
#define GMEM_NO_PAGE 1UL
struct gmem_page {
	unsigned long addr;
	char buf[4096];
};
/* gmem_read and gmem_strncpy through c. */
int gmem_page_read(struct task *t, struct gmem_page *c, void *dst, unsigned long src, size_t len);
long gmem_page_strncpy(struct task *t, struct gmem_page *c, char *dst, unsigned long src,
		       size_t max);
/* Like gmem_write, but also into pages the guest mapped read-only (/proc/PID/mem). */
int gmem_poke(struct task *t, unsigned long dst, const void *src, size_t len);
