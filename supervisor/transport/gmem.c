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

/* Copy [src, src + len), within one page, through c when given. */
static int read_in_page(struct task *t, struct gmem_page *c, void *dst, unsigned long src,
			size_t len)
{
	if (!c)
		return gmem_read(t, dst, src, len);
	unsigned long page = src & ~(PAGE - 1);
	if (c->addr != page) {
		c->addr = GMEM_NO_PAGE;
		if (gmem_read(t, c->buf, page, PAGE) < 0)
			return -EFAULT;
		c->addr = page;
	}
	memcpy(dst, c->buf + (src - page), len);
	return 0;
}

/* The bytes of a string at src that lie in its first page, at most max. */
static size_t first_chunk(unsigned long src, size_t max)
{
	size_t chunk = PAGE - (src & (PAGE - 1));
	return chunk < max ? chunk : max;
}

static long strncpy_via(struct task *t, struct gmem_page *c, char *dst, unsigned long src,
			size_t max)
{
	size_t done = 0;
	while (done < max) {
		/* Never read across a page the string may not reach. */
		size_t chunk = first_chunk(src + done, max - done);
		if (read_in_page(t, c, dst + done, src + done, chunk))
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

long gmem_strncpy(struct task *t, char *dst, unsigned long src, size_t max)
{
	return strncpy_via(t, NULL, dst, src, max);
}

/* The rest of s after its first chunk, whose bytes (no NUL among them) are in dst. */
static long strncpy_rest(struct task *t, struct gmem_str *s, size_t chunk)
{
	if (chunk == s->max) {
		s->dst[s->max - 1] = 0;
		return -ENAMETOOLONG;
	}
	long r = strncpy_via(t, NULL, s->dst + chunk, s->src + chunk, s->max - chunk);
	return r < 0 ? r : (long)chunk + r;
}

void gmem_strncpy_n(struct task *t, struct gmem_str *s, int n)
{
	struct iovec local[GMEM_STRS], remote[GMEM_STRS];
	int k = 0;
	for (; k < n && k < GMEM_STRS; k++) {
		size_t chunk = first_chunk(s[k].src, s[k].max);
		if (!chunk || !range_ok(s[k].src, chunk))
			break;
		local[k] = (struct iovec){s[k].dst, chunk};
		remote[k] = (struct iovec){(void *)s[k].src, chunk};
	}
	/* It stops at the first chunk it cannot read: that one and the rest go alone. */
	ssize_t got = k ? process_vm_readv(t->hpid, local, k, remote, k, 0) : 0;
	for (int i = 0; i < n; i++) {
		size_t chunk = i < k ? local[i].iov_len : 0;
		if (!chunk || got < (ssize_t)chunk) {
			got = 0;
			s[i].len = strncpy_via(t, NULL, s[i].dst, s[i].src, s[i].max);
			continue;
		}
		got -= (ssize_t)chunk;
		char *nul = memchr(s[i].dst, 0, chunk);
		s[i].len = nul ? nul - s[i].dst : strncpy_rest(t, &s[i], chunk);
	}
}

long gmem_page_strncpy(struct task *t, struct gmem_page *c, char *dst, unsigned long src,
		       size_t max)
{
	return strncpy_via(t, c, dst, src, max);
}

int gmem_page_read(struct task *t, struct gmem_page *c, void *dst, unsigned long src, size_t len)
{
	if (!range_ok(src, len))
		return -EFAULT;
	for (size_t done = 0, chunk; done < len; done += chunk) {
		chunk = PAGE - ((src + done) & (PAGE - 1));
		if (chunk > len - done)
			chunk = len - done;
		if (read_in_page(t, c, (char *)dst + done, src + done, chunk))
			return -EFAULT;
	}
	return 0;
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
