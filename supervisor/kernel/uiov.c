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
