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
/* Like gmem_write, but also into pages the guest mapped read-only (/proc/PID/mem). */
int gmem_poke(struct task *t, unsigned long dst, const void *src, size_t len);
