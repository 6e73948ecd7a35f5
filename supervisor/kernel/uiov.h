/*
 * A guest's iovec array, copied in and checked once as Linux's
 * import_iovec does, for readv/writev and their kin and for vmsplice.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

struct task;

#define RW_MAX 0x7ffff000L /* Linux's MAX_RW_COUNT: one call moves at most this */
#define UIOV_MAX 1024	   /* UIO_MAXIOV */

/* access_ok: the guest's buffer [addr, addr + len) lies below TASK_SIZE_MAX, without wrapping. */
bool uiov_access_ok(unsigned long addr, size_t len);

/*
 * Copy in t's array of cnt iovecs at uiov into *out (freed by the caller)
 * and its total into *total: EINVAL for a bad count or a length negative as
 * an ssize_t, then EFAULT for the array or a segment access_ok refuses; the
 * lengths are cut so that the total stays within RW_MAX.
 */
long uiov_import(struct task *t, unsigned long uiov, long cnt, struct iovec **out, size_t *total);

/* The guest's buffers of one transfer, taken as one run of bytes. */
struct uvec {
	const struct iovec *iov;
	long cnt;
};
/*
 * Copy up to n bytes between buf and the vector's bytes from off on
 * (to_guest: into the guest's memory); how many were copied before a bad
 * segment (or the end).
 */
size_t uvec_copy(struct task *t, const struct uvec *v, size_t off, void *buf, size_t n,
		 bool to_guest);
