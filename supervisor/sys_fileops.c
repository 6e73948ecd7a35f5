/*
 * File calls beyond plain read and write: flock, memfd_create, fallocate,
 * fadvise64, readahead, the sync family, name_to_handle_at (refused), and
 * the in-kernel copies sendfile, copy_file_range, splice and tee.
 *
 * The copies move data between two uos files through a bounce buffer, a
 * chunk at a time, as read followed by write would: nothing reaches the
 * guest's memory.  A copy whose source is empty (a pipe with writers) or
 * whose destination is full parks the task when nothing was moved yet and
 * the file is blocking; once data moved, the call returns the count.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "gmem.h"
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
	err = vfs_memfd(t->k, name, O_RDWR | O_LARGEFILE, &f);
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
	if (!(mode & FALLOC_FL_KEEP_SIZE) && (err = rlimit_fsize_ok(t, off + len)))
		return err;
	return vfs_fallocate(f, mode, off, len);
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
	return flags & 2 ? vfs_fsync(f, true) : 0; /* SYNC_FILE_RANGE_WRITE */
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
		long r = vfs_read(in->f, buf, n, in->pos);
		if (r == -EAGAIN && !done && may_park(in->f, nonblock)) {
			ret = park_on(t, in->f, POLLIN);
			break;
		}
		if (r <= 0) {
			ret = r;
			break;
		}
		long w = vfs_write(out->f, buf, (size_t)r, out->pos);
		if (w == -EAGAIN && !done && in->f->seekable && may_park(out->f, nonblock)) {
			ret = park_on(t, out->f, POLLOUT);
			break;
		}
		if (w < 0) {
			ret = w;
			break;
		}
		in->pos += w;
		out->pos += w;
		done += (size_t)w;
		if (w < r || (size_t)r < n)
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
	out.pos = out_pos(out.f);
	long r = copy_data(t, &in, &out, a->a[3], false);
	return copy_finish(t, &in, a->a[2], &out, 0, r);
}

long sys_copy_file_range(struct task *t, const struct sysargs *a)
{
	struct copy_end in = {0}, out = {0};
	struct stat ist, ost;

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
	if (err)
		return err;
	if (ist.st_dev == ost.st_dev && ist.st_ino == ost.st_ino &&
	    in.pos < out.pos + (off_t)a->a[4] && out.pos < in.pos + (off_t)a->a[4])
		return -EINVAL;
	long r = copy_data(t, &in, &out, a->a[4], false);
	return copy_finish(t, &in, a->a[1], &out, a->a[3], r);
}

/* splice: one end must be a pipe; an offset may be given only for the other. */
long sys_splice(struct task *t, const struct sysargs *a)
{
	struct copy_end in = {0}, out = {0};
	struct stat ist, ost;
	unsigned flags = (unsigned)a->a[5];

	if (flags & ~15U)
		return -EINVAL;
	int err = copy_files(t, (int)a->a[0], (int)a->a[2], &in, &out);
	if (err)
		return err;
	if (vfs_fstat(in.f, &ist) || vfs_fstat(out.f, &ost))
		return -EBADF;
	bool ipipe = vfs_pipe_getsize(in.f) > 0, opipe = vfs_pipe_getsize(out.f) > 0;
	if (!ipipe && !opipe)
		return -EINVAL;
	if ((ipipe && a->a[1]) || (opipe && a->a[3]))
		return -ESPIPE;
	if (out.f->flags & O_APPEND)
		return -EINVAL;
	err = get_off(t, &in, a->a[1]);
	if (!err)
		err = get_off(t, &out, a->a[3]);
	if (err)
		return err;
	if (!a->a[4])
		return 0;
	long r = copy_data(t, &in, &out, a->a[4], flags & SPLICE_F_NONBLOCK);
	return copy_finish(t, &in, a->a[1], &out, a->a[3], r);
}
