/*
 * splice, tee and vmsplice: transfers where a pipe is involved.  The pipe's
 * own calls (vfs/pipe.c) move whole slots as Linux's fs/splice.c does, so
 * the slots a transfer takes, and the room left, are Linux's; the errnos
 * and their order follow do_splice, do_tee and vmsplice.  A file's side of
 * a splice goes through copy.c.  vmsplice copies the guest's bytes instead
 * of mapping its pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "copy.h"
#include "fdkinds.h"
#include "fdtable.h"
#include "gmem.h"
#include "sigsend.h"
#include "uiov.h"
#include "handlers.h"
#include "vfs.h"

#ifndef SPLICE_F_NONBLOCK
#define SPLICE_F_NONBLOCK 2
#endif
#define SPLICE_F_ALL 15U /* MOVE | NONBLOCK | MORE | GIFT */

static bool readable(struct vfs_file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(struct vfs_file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* Pipe to pipe (splice moves, tee copies): Linux's splice_pipe_to_pipe and link_pipe. */
static long pipe_to_pipe(struct task *t, struct vfs_file *in, struct vfs_file *out, size_t len,
			 bool move, bool nonblock)
{
	struct vfs_file *wait = in;
	long r = vfs_pipe_link(in, out, len, move, &wait);

	if (r == -EAGAIN)
		return copy_would_block(t, wait, wait == in ? POLLIN : POLLOUT, nonblock);
	if (r == -EPIPE)
		sig_send_self(t, SIGPIPE);
	return r;
}

/* Read a guest offset for a non-pipe end; ESPIPE for a pipe end (checked by the caller). */
static int splice_off(struct task *t, struct copy_end *e, unsigned long uoff)
{
	int err = copy_get_off(t, e, uoff);

	if (!err && e->explicit && !e->f->seekable)
		err = -EINVAL; /* no FMODE_PREAD/PWRITE */
	return err;
}

/* splice: one end must be a pipe; an offset may be given only for the other. */
long sys_splice(struct task *t, const struct sysargs *a)
{
	struct copy_end in = {0}, out = {0};
	unsigned long uin = a->a[1], uout = a->a[3];
	size_t len = a->a[4];
	unsigned flags = (unsigned)a->a[5];
	long r;

	if (!len)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	int err = fdt_fget(t, (int)a->a[0], true, &in.f);
	if (!err)
		err = fdt_fget(t, (int)a->a[2], true, &out.f);
	if (err)
		return err;
	bool ipipe = vfs_is_pipe(in.f), opipe = vfs_is_pipe(out.f);
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	if ((ipipe && uin) || (opipe && uout))
		return -ESPIPE;
	if (!readable(in.f) || !writable(out.f))
		return -EBADF;
	if (ipipe && opipe) {
		if (vfs_pipe_same(in.f, out.f))
			return -EINVAL;
		nonblock |= (in.f->flags | out.f->flags) & O_NONBLOCK;
		return pipe_to_pipe(t, in.f, out.f, len, true, nonblock);
	}
	if (ipipe) {
		err = splice_off(t, &out, uout);
		if (err)
			return err;
		if (out.f->flags & O_APPEND)
			return -EINVAL;
		if (!out.explicit)
			out.pos = copy_out_pos(out.f);
		in.peek = true;
		r = copy_data(t, &in, &out, len, nonblock || (in.f->flags & O_NONBLOCK));
	} else if (opipe) {
		if (vfs_is_signalfd(in.f))
			return -EINVAL; /* no splice_read */
		err = splice_off(t, &in, uin);
		if (err)
			return err;
		r = copy_file_to_pipe(t, &in, out.f, len, nonblock || (out.f->flags & O_NONBLOCK));
	} else {
		return -EINVAL;
	}
	return copy_finish(t, &in, uin, &out, uout, r);
}

/* tee: duplicate up to len bytes of one pipe into another, leaving them in the first. */
long sys_tee(struct task *t, const struct sysargs *a)
{
	struct vfs_file *in, *out;
	size_t len = a->a[2];
	unsigned flags = (unsigned)a->a[3];

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	int err = fdt_fget(t, (int)a->a[0], true, &in);
	if (!err)
		err = fdt_fget(t, (int)a->a[1], true, &out);
	if (err)
		return err;
	if (!readable(in) || !writable(out))
		return -EBADF;
	if (!vfs_is_pipe(in) || !vfs_is_pipe(out) || vfs_pipe_same(in, out))
		return -EINVAL;
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
	return pipe_to_pipe(t, in, out, len, false, nonblock);
}

/*
 * One step of a vmsplice: move up to n bytes between the guest's memory at
 * addr and pipe f through buf; the bytes moved, or -errno.
 */
typedef long (*vmsplice_step)(struct task *t, struct vfs_file *f, char *buf, unsigned long addr,
			      size_t n);

/* User pages become slots (copied), as free slots allow. */
static long step_in(struct task *t, struct vfs_file *f, char *buf, unsigned long addr, size_t n)
{
	if (gmem_read(t, buf, addr, n))
		return -EFAULT;
	return (long)vfs_pipe_fill(f, buf, n, addr);
}

/* As a read: the pipe's bytes fill the guest's buffers in turn. */
static long step_out(struct task *t, struct vfs_file *f, char *buf, unsigned long addr, size_t n)
{
	long r = vfs_pipe_peek(f, buf, n);

	if (r > 0 && gmem_write(t, addr, buf, (size_t)r))
		return -EFAULT;
	if (r > 0)
		vfs_pipe_consume(f, (size_t)r);
	return r;
}

/*
 * Walk the iovecs a chunk at a time with step until one moves nothing: the
 * bytes moved, else the step's error (0 at a full pipe, or an empty one
 * without writers).
 */
static long vmsplice_walk(struct task *t, struct vfs_file *f, const struct iovec *iov,
			  unsigned long cnt, vmsplice_step step)
{
	char *buf = malloc(COPY_CHUNK);
	size_t done = 0;
	long r = 0;

	if (!buf)
		return -ENOMEM;
	for (unsigned long i = 0; i < cnt; i++) {
		unsigned long base = (unsigned long)iov[i].iov_base;
		for (size_t off = 0; off < iov[i].iov_len; off += (size_t)r) {
			size_t n = iov[i].iov_len - off < COPY_CHUNK ? iov[i].iov_len - off : COPY_CHUNK;
			r = step(t, f, buf, base + off, n);
			if (r <= 0)
				goto out;
			done += (size_t)r;
		}
	}
	r = 0;
out:
	free(buf);
	return done ? (long)done : r < 0 ? r : 0;
}

/* vmsplice into pipe f. */
static long vmsplice_in(struct task *t, struct vfs_file *f, const struct iovec *iov,
			unsigned long cnt, bool nonblock)
{
	unsigned long first = 0;
	for (unsigned long i = 0; i < cnt && !first; i++)
		first = iov[i].iov_len ? (unsigned long)iov[i].iov_base : 0;
	long room = vfs_pipe_room(f, first);
	if (room == -EPIPE)
		sig_send_self(t, SIGPIPE);
	if (room == -EAGAIN)
		return copy_would_block(t, f, POLLOUT, nonblock);
	if (room < 0)
		return room;
	return vmsplice_walk(t, f, iov, cnt, step_in);
}

/* vmsplice out of pipe f into the guest's buffers. */
static long vmsplice_out(struct task *t, struct vfs_file *f, const struct iovec *iov,
			 unsigned long cnt, bool nonblock)
{
	long r = vmsplice_walk(t, f, iov, cnt, step_out);

	return r == -EAGAIN ? copy_would_block(t, f, POLLIN, nonblock) : r;
}

/*
 * vmsplice: user memory into a pipe open for writing, or out of a pipe
 * open for reading.  uos copies the bytes (Linux maps the pages): the
 * guest may reuse its buffer at once, which is what SPLICE_F_GIFT-less
 * callers must assume anyway.  Only SPLICE_F_NONBLOCK keeps it from
 * waiting: the file's O_NONBLOCK does not, as in Linux.
 */
long sys_vmsplice(struct task *t, const struct sysargs *a)
{
	unsigned flags = (unsigned)a->a[3];
	struct iovec *iov;
	struct vfs_file *f;
	size_t total;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	int err = fdt_fget(t, (int)a->a[0], true, &f);
	if (err)
		return err;
	bool to_pipe = writable(f);
	if (!to_pipe && !readable(f))
		return -EBADF;
	long r = uiov_import(t, a->a[1], (long)a->a[2], &iov, &total);
	if (r)
		return r;
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	if (!total)
		r = 0;
	else if (!vfs_is_pipe(f))
		r = -EBADF;
	else if (to_pipe)
		r = vmsplice_in(t, f, iov, a->a[2], nonblock);
	else
		r = vmsplice_out(t, f, iov, a->a[2], nonblock);
	free(iov);
	return r;
}
