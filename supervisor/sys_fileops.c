/*
 * File calls beyond plain read and write: flock, memfd_create, fallocate,
 * fadvise64, readahead, the sync family, name_to_handle_at (refused), and
 * the in-kernel copies sendfile, copy_file_range, splice, tee and vmsplice.
 *
 * The copies move data between two uos files through a bounce buffer, a
 * chunk at a time, as read followed by write would: nothing reaches the
 * guest's memory.  A copy whose source is empty (a pipe with writers) or
 * whose destination is full parks the task when nothing was moved yet and
 * the file is blocking; once data moved, the call returns the count.
 *
 * Where a pipe is involved (splice, tee, vmsplice) the pipe's own calls
 * (vfs/pipe.c) move whole slots as Linux's fs/splice.c does, so the slots
 * a transfer takes, and the room left, are Linux's; the errnos and their
 * order follow do_splice, do_tee and vmsplice.  vmsplice copies the guest's
 * bytes instead of mapping its pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "gmem.h"
#include "rlimit.h"
#include "scheduler.h"
#include "sigsend.h"
#include "syscall.h"
#include "vfs.h"

#define COPY_CHUNK (64 * 1024)
#define COPY_MAX 0x7ffff000L /* MAX_RW_COUNT */
#define MFD_KNOWN (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_NAME_MAX 249 /* NAME_MAX - strlen("memfd:") */

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#define MFD_ALLOW_SEALING 2U
#define MFD_HUGETLB 4U
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 8U
#define MFD_EXEC 0x10U
#endif
#ifndef AT_HANDLE_FID
#define AT_HANDLE_FID 0x200
#endif
#ifndef SPLICE_F_NONBLOCK
#define SPLICE_F_NONBLOCK 2
#endif

long sys_flock(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	return err ? err : vfs_flock(t, f, (int)a->a[1]);
}

long sys_memfd_create(struct task *t, const struct sysargs *a)
{
	unsigned flags = (unsigned)a->a[1];
	char name[MFD_NAME_MAX + 2];
	struct vfs_file *f;
	int err;

	if (flags & ~MFD_KNOWN)
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -EINVAL; /* no huge pages in uos's tmpfs */
	err = gmem_strncpy(t, name, a->a[0], sizeof(name));
	if (err < 0)
		return err == -ENAMETOOLONG ? -EINVAL : err;
	if (strnlen(name, sizeof(name)) > MFD_NAME_MAX)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	/* MFD_NOEXEC_SEAL: no exec bits, F_SEAL_EXEC, and sealing allowed. */
	bool noexec = flags & MFD_NOEXEC_SEAL;
	unsigned int seals = noexec ? F_SEAL_EXEC : (flags & MFD_ALLOW_SEALING) ? 0 : F_SEAL_SEAL;
	err = vfs_memfd(t->k, name, O_RDWR | O_LARGEFILE, noexec ? 0666 : 0777, seals, &f);
	if (err)
		return err;
	int fd = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), flags & MFD_CLOEXEC);
	if (fd < 0)
		vfs_file_put(f);
	return fd;
}

/* The mode bits fallocate(2) knows, with Linux's checks before the file's own. */
static long fallocate_check(int mode, off_t off, off_t len)
{
	int known = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE |
		    FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE;

	if (off < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~known)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && (mode & FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if (off > LLONG_MAX - len)
		return -EFBIG;
	return 0;
}

long sys_fallocate(struct task *t, const struct sysargs *a)
{
	int mode = (int)a->a[1];
	off_t off = (off_t)a->a[2], len = (off_t)a->a[3];
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	err = (int)fallocate_check(mode, off, len);
	if (err)
		return err;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if ((f->flags & O_APPEND) && (mode & ~FALLOC_FL_KEEP_SIZE))
		return -EPERM;
	/* RLIMIT_FSIZE is the filesystem's check (ext2 has no fallocate at all). */
	if (!(mode & FALLOC_FL_KEEP_SIZE) && f->ops->fallocate &&
	    (err = rlimit_fsize_ok(t, off + len)))
		return err;
	err = vfs_fallocate(f, mode, off, len);
	if (!err)
		vfs_notify_file(t, f, IN_MODIFY);
	return err;
}

/* fadvise64 and readahead: advice only; pipes are ESPIPE, bad advice EINVAL. */
long sys_fadvise64(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct stat st;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	if (!vfs_fstat(f, &st) && S_ISFIFO(st.st_mode))
		return -ESPIPE;
	if ((int)a->a[3] < POSIX_FADV_NORMAL || (int)a->a[3] > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

long sys_readahead(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct stat st;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (vfs_fstat(f, &st) || !S_ISREG(st.st_mode))
		return -EINVAL;
	return 0;
}

/* sync and syncfs: uos's files are written back when their filesystems sync them. */
long sys_sync(struct task *t, const struct sysargs *a)
{
	return 0;
}

long sys_syncfs(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], false, &f);

	if (err)
		return err;
	return 0;
}

long sys_sync_file_range(struct task *t, const struct sysargs *a)
{
	off_t off = (off_t)a->a[1], len = (off_t)a->a[2];
	unsigned flags = (unsigned)a->a[3];
	struct vfs_file *f;
	struct stat st;
	int err;

	if (flags & ~7U)
		return -EINVAL;
	if (off < 0 || len < 0 || off > LLONG_MAX - len)
		return -EINVAL;
	err = fdt_fget(t, (int)a->a[0], true, &f);
	if (err)
		return err;
	err = vfs_fstat(f, &st);
	if (err)
		return err;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode) &&
	    !S_ISBLK(st.st_mode))
		return -ESPIPE;
	int hostfd; /* SYNC_FILE_RANGE_WRITE starts write-out: to the host's files, not its disk */
	return flags & 2 ? vfs_fsync(f, true, &hostfd) : 0;
}

/* File handles name inodes below the VFS: uos's filesystems do not export them. */
long sys_name_to_handle_at(struct task *t, const struct sysargs *a)
{
	int atflags = (int)a->a[4];

	if (atflags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID))
		return -EINVAL;
	return -EOPNOTSUPP;
}

/* ---- copies between files */

struct copy_end {
	struct vfs_file *f;
	off_t pos;	/* where the transfer is now */
	bool explicit;	/* pos came from the guest (not the file offset) */
	bool peek;	/* a pipe, peeked and consumed as written (splice_from_pipe) */
};

/* Where a write at the file offset starts: the end under O_APPEND. */
static off_t out_pos(struct vfs_file *f)
{
	struct stat st;

	if (f->seekable && (f->flags & O_APPEND) && !vfs_fstat(f, &st))
		return st.st_size;
	return f->pos;
}

static long park_on(struct task *t, struct vfs_file *f, short events)
{
	sched_park(t, vfs_wchan(f), vfs_pollfd(f), events, 0);
	return -UOS_EBLOCK;
}

/* Whether a would-block on f parks: blocking file and call. */
static bool may_park(struct vfs_file *f, bool nonblock)
{
	return !nonblock && !(f->flags & O_NONBLOCK);
}

/*
 * Move up to len bytes from in to out (positions advanced).  The count, or
 * -errno / -UOS_EBLOCK when nothing moved.
 */
static long copy_data(struct task *t, struct copy_end *in, struct copy_end *out, size_t len,
		      bool nonblock)
{
	size_t done = 0;
	long ret = 0;
	char *buf = malloc(COPY_CHUNK);

	if (!buf)
		return -ENOMEM;
	if (len > COPY_MAX)
		len = COPY_MAX;
	while (done < len) {
		size_t n = len - done < COPY_CHUNK ? len - done : COPY_CHUNK;
		long r = in->peek ? vfs_pipe_peek(in->f, buf, n) : vfs_read(in->f, buf, n, in->pos);
		if (r == -EAGAIN && !done && may_park(in->f, nonblock)) {
			ret = park_on(t, in->f, POLLIN);
			break;
		}
		if (r <= 0) {
			ret = r;
			break;
		}
		long w = vfs_write(out->f, buf, (size_t)r, out->pos);
		/* Bytes read from a stream cannot go back: only a peek or a seekable read waits. */
		if (w == -EAGAIN && !done && (in->peek || in->f->seekable) &&
		    may_park(out->f, nonblock)) {
			ret = park_on(t, out->f, POLLOUT);
			break;
		}
		if (w < 0) {
			ret = w;
			break;
		}
		if (in->peek)
			vfs_pipe_consume(in->f, (size_t)w);
		else
			in->pos += w;
		out->pos += w;
		done += (size_t)w;
		if (w < r || (!in->peek && (size_t)r < n))
			break;
	}
	free(buf);
	if (!done && ret == -EPIPE)
		sig_send_self(t, SIGPIPE);
	return done ? (long)done : ret;
}

/* Where end e starts: the guest's loff_t at uoff, or its file offset (uoff 0); -EFAULT, -EINVAL. */
static int get_off(struct task *t, struct copy_end *e, unsigned long uoff)
{
	e->explicit = uoff != 0;
	e->pos = e->f->pos;
	if (!uoff)
		return 0;
	if (gmem_read(t, &e->pos, uoff, sizeof(e->pos)))
		return -EFAULT;
	return e->pos < 0 ? -EINVAL : 0;
}

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

/* Commit the positions: to the guest's offsets or to the files' offsets. */
static long copy_finish(struct task *t, struct copy_end *in, unsigned long uin,
			struct copy_end *out, unsigned long uout, long r)
{
	if (r < 0)
		return r;
	if (r > 0) {
		vfs_notify_file(t, in->f, IN_ACCESS);
		vfs_notify_file(t, out->f, IN_MODIFY);
	}
	if (in->explicit && gmem_write(t, uin, &in->pos, sizeof(in->pos)))
		return -EFAULT;
	if (!in->explicit && in->f->seekable)
		in->f->pos = in->pos;
	if (out->explicit && gmem_write(t, uout, &out->pos, sizeof(out->pos)))
		return -EFAULT;
	if (!out->explicit && out->f->seekable)
		out->f->pos = out->pos;
	return r;
}

static long file_to_pipe(struct task *t, struct copy_end *in, struct vfs_file *out, size_t len,
			 bool nonblock);

long sys_sendfile(struct task *t, const struct sysargs *a)
{
	struct copy_end in = {0}, out = {0};
	int err = copy_files(t, (int)a->a[1], (int)a->a[0], &in, &out);

	if (err)
		return err;
	if (out.f->flags & O_APPEND)
		return -EINVAL;
	err = get_off(t, &in, a->a[2]);
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
		r = file_to_pipe(t, &in, out.f, len, out.f->flags & O_NONBLOCK);
	} else {
		out.pos = out_pos(out.f);
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
	err = get_off(t, &in, a->a[1]);
	if (!err)
		err = get_off(t, &out, a->a[3]);
	if (!err)
		err = copy_range_checks(&in, &ist, &out, &ost, &len);
	if (err)
		return err;
	long r = copy_data(t, &in, &out, len, false);
	return copy_finish(t, &in, a->a[1], &out, a->a[3], r);
}

/* ---- splice, tee and vmsplice: transfers where a pipe is involved */

#define SPLICE_F_ALL 15U /* MOVE | NONBLOCK | MORE | GIFT */

static bool readable(struct vfs_file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(struct vfs_file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* A would-block: -EAGAIN when the call may not wait, else park on f. */
static long would_block(struct task *t, struct vfs_file *f, short events, bool nonblock)
{
	return nonblock ? -EAGAIN : park_on(t, f, events);
}

/* Pipe to pipe (splice moves, tee copies): Linux's splice_pipe_to_pipe and link_pipe. */
static long pipe_to_pipe(struct task *t, struct vfs_file *in, struct vfs_file *out, size_t len,
			 bool move, bool nonblock)
{
	struct vfs_file *wait = in;
	long r = vfs_pipe_link(in, out, len, move, &wait);

	if (r == -EAGAIN)
		return would_block(t, wait, wait == in ? POLLIN : POLLOUT, nonblock);
	if (r == -EPIPE)
		sig_send_self(t, SIGPIPE);
	return r;
}

/* splice from the file in at in->pos into pipe out: one read, as much as free slots hold. */
static long file_to_pipe(struct task *t, struct copy_end *in, struct vfs_file *out, size_t len,
			 bool nonblock)
{
	unsigned long align = in->f->seekable ? (unsigned long)in->pos : 0;
	long room = vfs_pipe_room(out, align);

	if (room == -EPIPE)
		sig_send_self(t, SIGPIPE);
	if (room == -EAGAIN)
		return would_block(t, out, POLLOUT, nonblock);
	if (room < 0)
		return room;
	size_t n = len < (size_t)room ? len : (size_t)room;
	char *buf = malloc(n);
	if (!buf)
		return -ENOMEM;
	long r = vfs_read(in->f, buf, n, in->pos);
	if (r == -EAGAIN && may_park(in->f, nonblock))
		r = park_on(t, in->f, POLLIN);
	if (r > 0) {
		r = (long)vfs_pipe_fill(out, buf, (size_t)r, align);
		in->pos += r;
	}
	free(buf);
	return r;
}

/* Read a guest offset for a non-pipe end; ESPIPE for a pipe end (checked by the caller). */
static int splice_off(struct task *t, struct copy_end *e, unsigned long uoff)
{
	int err = get_off(t, e, uoff);

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
			out.pos = out_pos(out.f);
		in.peek = true;
		r = copy_data(t, &in, &out, len, nonblock || (in.f->flags & O_NONBLOCK));
	} else if (opipe) {
		if (vfs_is_signalfd(in.f))
			return -EINVAL; /* no splice_read */
		err = splice_off(t, &in, uin);
		if (err)
			return err;
		r = file_to_pipe(t, &in, out.f, len, nonblock || (out.f->flags & O_NONBLOCK));
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

/* The guest's iovec array of vmsplice: EINVAL for too many, EFAULT; the total in *total. */
static long splice_iov(struct task *t, unsigned long uiov, unsigned long cnt, struct iovec **out,
		       size_t *total)
{
	if (cnt > 1024) /* UIO_MAXIOV */
		return -EINVAL;
	struct iovec *iov = calloc(cnt + 1, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (cnt && gmem_read(t, iov, uiov, cnt * sizeof(*iov))) {
		free(iov);
		return -EFAULT;
	}
	*total = 0;
	for (unsigned long i = 0; i < cnt; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - *total) {
			free(iov);
			return -EINVAL;
		}
		*total += iov[i].iov_len;
	}
	*out = iov;
	return 0;
}

/* vmsplice into pipe f: user pages become slots (copied), as free slots allow. */
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
		return would_block(t, f, POLLOUT, nonblock);
	if (room < 0)
		return room;
	char *buf = malloc(COPY_CHUNK);
	size_t done = 0;
	long ret = 0;
	if (!buf)
		return -ENOMEM;
	bool stop = false;
	for (unsigned long i = 0; i < cnt && !stop; i++) {
		unsigned long base = (unsigned long)iov[i].iov_base;
		for (size_t off = 0; off < iov[i].iov_len && !stop;) {
			size_t n = iov[i].iov_len - off < COPY_CHUNK ? iov[i].iov_len - off : COPY_CHUNK;
			if (gmem_read(t, buf, base + off, n)) {
				ret = -EFAULT;
				break;
			}
			size_t took = vfs_pipe_fill(f, buf, n, base + off);
			done += took;
			off += took;
			stop = took < n; /* the pipe is full */
		}
		stop |= ret != 0;
	}
	free(buf);
	return done ? (long)done : ret;
}

/* vmsplice out of pipe f into the guest's buffers: as a read that fills the iovecs in turn. */
static long vmsplice_out(struct task *t, struct vfs_file *f, const struct iovec *iov,
			 unsigned long cnt, bool nonblock)
{
	char *buf = malloc(COPY_CHUNK);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	bool stop = false;
	for (unsigned long i = 0; i < cnt && !stop; i++) {
		unsigned long base = (unsigned long)iov[i].iov_base;
		for (size_t off = 0; off < iov[i].iov_len && !stop;) {
			size_t n = iov[i].iov_len - off < COPY_CHUNK ? iov[i].iov_len - off : COPY_CHUNK;
			long r = vfs_pipe_peek(f, buf, n);
			stop = true;
			if (r == -EAGAIN && !done)
				ret = would_block(t, f, POLLIN, nonblock);
			else if (r > 0 && gmem_write(t, base + off, buf, (size_t)r))
				ret = -EFAULT;
			else if (r > 0)
				stop = false;
			if (stop)
				break;
			vfs_pipe_consume(f, (size_t)r);
			done += (size_t)r;
			off += (size_t)r;
		}
	}
	free(buf);
	return done ? (long)done : ret;
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
	long r = splice_iov(t, a->a[1], a->a[2], &iov, &total);
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
