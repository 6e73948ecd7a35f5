/*
 * Guest memory access (see gmem.h).  process_vm_readv/writev move bytes in
 * one call; they stop at the first page the guest cannot access, which
 * becomes -EFAULT.  gmem_poke writes through /proc/PID/mem, which, like
 * ptrace's POKEDATA, may write into pages mapped without PROT_WRITE (the
 * loader zeroes the tail of a read-only segment page that way).
 */
#include "gmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "task.h"

#define PAGE 4096UL

/* Reject ranges that wrap or reach into the kernel half. */
static bool range_ok(unsigned long addr, size_t len)
{
	return addr + len >= addr && addr + len <= 0x800000000000UL;
}

int gmem_read(struct task *t, void *dst, unsigned long src, size_t len)
{
	if (!len)
		return 0;
	if (!range_ok(src, len))
		return -EFAULT;
	struct iovec local = {dst, len}, remote = {(void *)src, len};
	ssize_t n = process_vm_readv(t->hpid, &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

int gmem_write(struct task *t, unsigned long dst, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (!range_ok(dst, len))
		return -EFAULT;
	struct iovec local = {(void *)src, len}, remote = {(void *)dst, len};
	ssize_t n = process_vm_writev(t->hpid, &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

long gmem_strncpy(struct task *t, char *dst, unsigned long src, size_t max)
{
	size_t done = 0;
	while (done < max) {
		/* Never read across a page the string may not reach. */
		size_t chunk = PAGE - ((src + done) & (PAGE - 1));
		if (chunk > max - done)
			chunk = max - done;
		if (gmem_read(t, dst + done, src + done, chunk) < 0)
			return -EFAULT;
		char *nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	if (max)
		dst[max - 1] = 0;
	return -ENAMETOOLONG;
}

int gmem_poke(struct task *t, unsigned long dst, const void *src, size_t len)
{
	if (!range_ok(dst, len))
		return -EFAULT;
	if (t->memfd < 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/mem", t->hpid);
		t->memfd = open(path, O_RDWR | O_CLOEXEC);
		if (t->memfd < 0)
			return -errno;
	}
	ssize_t n = pwrite(t->memfd, src, len, (off_t)dst);
	return n == (ssize_t)len ? 0 : -EFAULT;
}
