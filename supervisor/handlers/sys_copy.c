/*
 * sendfile and copy_file_range: in-kernel copies between two files, through
 * copy.c.  sendfile into a pipe is a splice (as in Linux since 6.7).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#include "copy.h"
#include "fdkinds.h"
#include "fdtable.h"
#include "handlers.h"
#include "vfs.h"

/* Open in for reading and out for writing, as the copies require. */
static int copy_files(struct task *t, int infd, int outfd, struct copy_end *in,
		      struct copy_end *out)
{
	int err = fdt_fget(t, infd, true, &in->f);

	if (!err)
		err = fdt_fget(t, outfd, true, &out->f);
	if (err)
		return err;
	if ((in->f->flags & O_ACCMODE) == O_WRONLY || (out->f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	return 0;
}

long sys_sendfile(struct task *t, const struct sysargs *a)
{
	struct copy_end in = {0}, out = {0};
	int err = copy_files(t, (int)a->a[1], (int)a->a[0], &in, &out);

	if (err)
		return err;
	if (out.f->flags & O_APPEND)
		return -EINVAL;
	err = copy_get_off(t, &in, a->a[2]);
	if (err)
		return err;
	if (in.explicit && !in.f->seekable)
		return -ESPIPE;
	if (vfs_is_pipe(in.f) || vfs_is_signalfd(in.f))
		return -EINVAL; /* no splice_read */
	/* do_sendfile: rw_verify_area on both ends, then the count stops at LLONG_MAX */
	size_t len = a->a[3];
	if ((err = vfs_rw_verify_area(in.f, in.pos, len)) < 0)
		return err;
	long r;
	if (vfs_is_pipe(out.f)) { /* as splice to a pipe, since Linux 6.7 */
		r = copy_file_to_pipe(t, &in, out.f, len, out.f->flags & O_NONBLOCK);
	} else {
		out.pos = copy_out_pos(out.f);
		if ((err = vfs_rw_verify_area(out.f, out.pos, len)) < 0)
			return err;
		r = copy_data(t, &in, &out, len, false);
	}
	return copy_finish(t, &in, a->a[2], &out, 0, r);
}

/*
 * generic_copy_file_checks and vfs_copy_file_range's own, on *len: the
 * offsets must not wrap (EOVERFLOW), the copy stops at the input's end and
 * at LLONG_MAX (EFBIG there), a range of a file may not overlap itself
 * (EINVAL), and what is left must pass rw_verify_area.
 */
static int copy_range_checks(const struct copy_end *in, const struct stat *ist,
			     const struct copy_end *out, const struct stat *ost, size_t *len)
{
	uint64_t count = *len, pin = (uint64_t)in->pos, pout = (uint64_t)out->pos;
	if (pin + count < pin || pout + count < pout)
		return -EOVERFLOW;
	uint64_t left = in->pos >= ist->st_size ? 0 : (uint64_t)(ist->st_size - in->pos);
	count = count < left ? count : left;
	if (out->pos >= INT64_MAX)
		return -EFBIG;
	if (count > (uint64_t)(INT64_MAX - out->pos))
		count = (uint64_t)(INT64_MAX - out->pos);
	if (ist->st_dev == ost->st_dev && ist->st_ino == ost->st_ino &&
	    pout + count > pin && pout < pin + count)
		return -EINVAL;
	*len = count;
	int err = vfs_rw_verify_area(in->f, in->pos, count);
	return err ? err : vfs_rw_verify_area(out->f, out->pos, count);
}

long sys_copy_file_range(struct task *t, const struct sysargs *a)
{
	struct copy_end in = {0}, out = {0};
	struct stat ist, ost;
	size_t len = a->a[4];

	if (a->a[5])
		return -EINVAL;
	int err = copy_files(t, (int)a->a[0], (int)a->a[2], &in, &out);
	if (err)
		return err;
	if (vfs_fstat(in.f, &ist) || vfs_fstat(out.f, &ost))
		return -EBADF;
	if (S_ISDIR(ist.st_mode) || S_ISDIR(ost.st_mode))
		return -EISDIR;
	if (!S_ISREG(ist.st_mode) || !S_ISREG(ost.st_mode))
		return -EINVAL;
	if (out.f->flags & O_APPEND)
		return -EBADF;
	err = copy_get_off(t, &in, a->a[1]);
	if (!err)
		err = copy_get_off(t, &out, a->a[3]);
	if (!err)
		err = copy_range_checks(&in, &ist, &out, &ost, &len);
	if (err)
		return err;
	long r = copy_data(t, &in, &out, len, false);
	return copy_finish(t, &in, a->a[1], &out, a->a[3], r);
}
