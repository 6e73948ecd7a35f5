/* A guest's iovec array, imported once (uiov.h). */
#include "uiov.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>

#include "gmem.h"

#define TASK_SIZE_MAX 0x7ffffffff000UL /* the end of x86-64 user space (4-level paging) */

bool uiov_access_ok(unsigned long addr, size_t len)
{
	return addr + len >= addr && addr + len <= TASK_SIZE_MAX;
}

long uiov_import(struct task *t, unsigned long uiov, long cnt, struct iovec **out, size_t *total)
{
	if (cnt < 0 || cnt > UIOV_MAX)
		return -EINVAL;
	struct iovec *iov = calloc((size_t)cnt + 1, sizeof(*iov));
	long err = iov ? 0 : -ENOMEM;
	if (!err && cnt && gmem_read(t, iov, uiov, (size_t)cnt * sizeof(*iov)))
		err = -EFAULT;
	for (long i = 0; !err && i < cnt; i++)
		if ((ssize_t)iov[i].iov_len < 0)
			err = -EINVAL;
	*total = 0;
	for (long i = 0; !err && i < cnt; i++) {
		if (!uiov_access_ok((unsigned long)iov[i].iov_base, iov[i].iov_len))
			err = -EFAULT;
		if (iov[i].iov_len > RW_MAX - *total)
			iov[i].iov_len = RW_MAX - *total;
		*total += iov[i].iov_len;
	}
	if (err)
		free(iov);
	else
		*out = iov;
	return err;
}

size_t uvec_copy(struct task *t, const struct uvec *v, size_t off, void *buf, size_t n,
			bool to_guest)
{
	char *b = buf;

	for (long i = 0; i < v->cnt && n; i++) {
		size_t seg = v->iov[i].iov_len;
		if (off >= seg) {
			off -= seg;
			continue;
		}
		size_t k = seg - off < n ? seg - off : n;
		unsigned long at = (unsigned long)v->iov[i].iov_base + off;
		if (to_guest ? gmem_write(t, at, b, k) : gmem_read(t, b, at, k))
			break;
		b += k;
		n -= k;
		off = 0;
	}
	return (size_t)(b - (char *)buf);
}
