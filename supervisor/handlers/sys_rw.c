/*
 * Data transfer on open files: read, write, their positional and vector
 * forms, and lseek.  Each handler checks the fd, the offset and the flags
 * in Linux's order and hands the transfer to xfer.c as a guest vector
 * (read and write have one segment).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "fdtable.h"
#include "handlers.h"
#include "uiov.h"
#include "vfs.h"
#include "xfer.h"

/* A file that allows reading (want_write false) or writing, or -EBADF. */
static int rw_file(struct task *t, int fd, bool want_write, struct vfs_file **out)
{
	int err = fdt_fget(t, fd, true, out);

	if (err)
		return err;
	int acc = (*out)->flags & O_ACCMODE;
	if (want_write ? acc == O_RDONLY : acc == O_WRONLY)
		return -EBADF;
	return 0;
}

/* A transfer to or from the one buffer ubuf. */
static long xfer(struct task *t, struct vfs_file *f, bool wr, unsigned long ubuf, size_t len,
		 off_t pos)
{
	struct iovec one = {.iov_base = (void *)ubuf, .iov_len = len};

	if (!uiov_access_ok(ubuf, len))
		return -EFAULT; /* vfs_read and vfs_write check the whole buffer first */
	return xfer_vec(t, f, wr, &(struct uvec){&one, 1}, len, pos, 0);
}

long sys_read(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = rw_file(t, (int)a->a[0], false, &f);

	return err ? err : xfer(t, f, false, a->a[1], a->a[2], -1);
}

long sys_write(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = rw_file(t, (int)a->a[0], true, &f);

	return err ? err : xfer(t, f, true, a->a[1], a->a[2], -1);
}

/* pread64/pwrite64: a non-negative offset on a seekable file. */
static long do_pio(struct task *t, const struct sysargs *a, bool wr)
{
	struct vfs_file *f;
	off_t off = (off_t)a->a[3];
	int err = rw_file(t, (int)a->a[0], wr, &f);

	if (err)
		return err;
	if (off < 0)
		return -EINVAL;
	if (!f->seekable)
		return -ESPIPE;
	return xfer(t, f, wr, a->a[1], a->a[2], off);
}

long sys_pread64(struct task *t, const struct sysargs *a)
{
	return do_pio(t, a, false);
}

long sys_pwrite64(struct task *t, const struct sysargs *a)
{
	return do_pio(t, a, true);
}

/* The vector transfers: pos < 0 uses and advances the file offset; rwf: RWF_* flags. */
static long do_vec(struct task *t, int fd, unsigned long uiov, long cnt, off_t pos, bool wr,
		   int rwf)
{
	struct vfs_file *f;
	struct iovec *iov;
	size_t total;
	long err = rw_file(t, fd, wr, &f);

	if (!err && (rwf & ~RWF_KNOWN))
		err = -EOPNOTSUPP;
	if (!err && (rwf & RWF_APPEND) && (rwf & RWF_NOAPPEND))
		err = -EINVAL;

	if (!err)
		err = uiov_import(t, uiov, cnt, &iov, &total);
	if (err)
		return err;
	if (pos >= 0 && !f->seekable) {
		free(iov);
		return -ESPIPE;
	}
	long r = xfer_vec(t, f, wr, &(struct uvec){iov, cnt}, total, pos, rwf);
	free(iov);
	return r;
}

long sys_readv(struct task *t, const struct sysargs *a)
{
	return do_vec(t, (int)a->a[0], a->a[1], (long)(int)a->a[2], -1, false, 0);
}

long sys_writev(struct task *t, const struct sysargs *a)
{
	return do_vec(t, (int)a->a[0], a->a[1], (long)(int)a->a[2], -1, true, 0);
}

static long do_pvec(struct task *t, const struct sysargs *a, bool wr, bool v2)
{
	off_t pos = (off_t)a->a[3];

	if (pos < 0 && !(v2 && pos == -1))
		return -EINVAL;
	return do_vec(t, (int)a->a[0], a->a[1], (long)(int)a->a[2], pos, wr, v2 ? (int)a->a[5] : 0);
}

long sys_preadv(struct task *t, const struct sysargs *a)
{
	return do_pvec(t, a, false, false);
}

long sys_pwritev(struct task *t, const struct sysargs *a)
{
	return do_pvec(t, a, true, false);
}

long sys_preadv2(struct task *t, const struct sysargs *a)
{
	return do_pvec(t, a, false, true);
}

long sys_pwritev2(struct task *t, const struct sysargs *a)
{
	return do_pvec(t, a, true, true);
}

long sys_lseek(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	return err ? err : vfs_lseek(f, (off_t)a->a[1], (int)a->a[2]);
}
