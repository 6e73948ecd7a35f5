/*
 * Data transfer on open files: read, write, their positional and vector
 * forms, and lseek.
 *
 * Data moves through a uos bounce buffer of at most RW_CHUNK bytes, so a
 * huge count cannot exhaust the supervisor's memory; a transfer on a
 * seekable file loops over chunks until done or short, one on a stream
 * stops after the first chunk (a second one could block after data was
 * already returned).  A bad guest buffer gives EFAULT when nothing was
 * transferred yet, else the partial count, as Linux returns it.  The file
 * offset advances by what actually reached the guest or the file.
 *
 * Every transfer is over a guest vector: read and write have one segment,
 * readv and writev theirs, moved as one run of bytes as Linux's iov_iter
 * does, so a writev of up to PIPE_BUF bytes is one atomic pipe write and
 * a blocking one waits for room as write does.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "copy.h"
#include "fdtable.h"
#include "gmem.h"
#include "rlimit.h"
#include "sigsend.h"
#include "uiov.h"
#include "handlers.h"
#include "vfs.h"

#define RW_CHUNK (64 * 1024)

#ifndef RWF_HIPRI
#define RWF_HIPRI 0x1
#define RWF_DSYNC 0x2
#define RWF_SYNC 0x4
#endif
#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x8
#define RWF_APPEND 0x10
#endif
#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20 /* Linux 6.9 */
#endif
/* preadv2/pwritev2 flags; HIPRI, DSYNC and SYNC are taken and not acted on. */
#define RWF_KNOWN (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND)

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

/* Linux gives EISDIR for read/write on a directory, EINVAL for other kinds without the op. */
static long no_rw_errno(struct vfs_file *f, long r)
{
	struct stat st;

	if (r == -EINVAL && !vfs_fstat(f, &st) && S_ISDIR(st.st_mode))
		return -EISDIR;
	return r;
}

/* The guest's buffers of one transfer, taken as one run of bytes. */
struct uvec {
	const struct iovec *iov;
	long cnt;
};

/*
 * Copy up to n bytes between buf and the vector's bytes from off on; how
 * many were copied before a bad segment (or the end).
 */
static size_t uvec_copy(struct task *t, const struct uvec *v, size_t off, void *buf, size_t n,
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

/* Read up to len bytes at *pos (advanced) into the guest's buffers; nowait: never park. */
static long do_read(struct task *t, struct vfs_file *f, const struct uvec *v, size_t len,
		    off_t *pos, bool nowait)
{
	char *buf = malloc(len < RW_CHUNK ? (len ? len : 1) : RW_CHUNK);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t n = len - done < RW_CHUNK ? len - done : RW_CHUNK;
		long r = vfs_read(f, buf, n, *pos);
		if (r == -EAGAIN && !done && !(f->flags & O_NONBLOCK) && !nowait) {
			ret = copy_would_block(t, f, POLLIN, false); /* park on f */
			break;
		}
		if (r < 0) {
			ret = no_rw_errno(f, r);
			break;
		}
		size_t c = uvec_copy(t, v, done, buf, (size_t)r, true);
		if (c < (size_t)r) { /* what reached the guest counts */
			done += c;
			*pos += (off_t)c;
			ret = -EFAULT;
			break;
		}
		done += (size_t)r;
		*pos += r;
		if ((size_t)r < n || !f->seekable)
			break;
	}
	free(buf);
	return done ? (long)done : ret;
}

/*
 * Write up to len bytes of the guest's buffers, from byte skip on, at *pos
 * (advanced); nowait: never park.
 */
static long do_write(struct task *t, struct vfs_file *f, const struct uvec *v, size_t skip,
		     size_t len, off_t *pos, bool nowait)
{
	char *buf = malloc(len < RW_CHUNK ? (len ? len : 1) : RW_CHUNK);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t n = len - done < RW_CHUNK ? len - done : RW_CHUNK;
		/*
		 * A bad segment: a file takes what came before it (as
		 * generic_perform_write), a pipe none of this chunk (pipe_write
		 * drops the page being filled).
		 */
		size_t c = uvec_copy(t, v, skip + done, buf, n, false);
		if (!c || (c < n && !f->seekable)) {
			ret = -EFAULT;
			break;
		}
		bool fault = c < n;
		n = c;
		long r = vfs_write(f, buf, n, *pos);
		if (r == -EAGAIN && !(f->flags & O_NONBLOCK) && !nowait) {
			/* Park; serving the call again goes on after the bytes already written. */
			t->io_done += done;
			free(buf);
			return copy_would_block(t, f, POLLOUT, false); /* park on f */
		}
		if (r < 0) {
			ret = no_rw_errno(f, r);
			break;
		}
		done += (size_t)r;
		*pos += r;
		if (fault || ((size_t)r < n && f->seekable))
			break;
	}
	free(buf);
	if (!done && !t->io_done && ret == -EPIPE)
		sig_send_self(t, SIGPIPE); /* write(2): the writer also gets SIGPIPE */
	return done || t->io_done ? (long)(done + t->io_done) : ret;
}

/*
 * Whether a write appends: O_APPEND (unless RWF_NOAPPEND) or RWF_APPEND.
 * An appending write goes to the end whatever its offset, pwrite's too.
 */
static bool appends(struct vfs_file *f, int rwf)
{
	return f->seekable && ((rwf & RWF_APPEND) || ((f->flags & O_APPEND) && !(rwf & RWF_NOAPPEND)));
}

static off_t end_of(struct vfs_file *f)
{
	struct stat st;

	return vfs_fstat(f, &st) ? f->pos : st.st_size;
}

/* RLIMIT_FSIZE on a write of *len bytes at pos to a regular file: EFBIG at the limit, else cut to it. */
static int fsize_check(struct task *t, struct vfs_file *f, off_t pos, size_t *len)
{
	rlim_t lim = t->tg->rlim[RLIMIT_FSIZE].rlim_cur;
	struct stat st;
	if (lim == RLIM_INFINITY || !*len || vfs_fstat(f, &st) || !S_ISREG(st.st_mode))
		return 0;
	int r = rlimit_fsize_ok(t, pos + 1);
	if (r == 0 && *len > lim - (rlim_t)pos)
		*len = lim - (rlim_t)pos;
	return r;
}

/*
 * One transfer of len bytes at the file offset (pos < 0) or at pos
 * (pread/pwrite...), with preadv2/pwritev2's RWF_* flags rwf.
 */
static long xfer_vec(struct task *t, struct vfs_file *f, bool wr, const struct uvec *v, size_t len,
		     off_t pos, int rwf)
{
	bool positional = pos >= 0, nowait = rwf & RWF_NOWAIT;
	size_t skip = 0;
	off_t p = pos;
	long r;

	if (!positional && f->seekable) {
		/* Files whose offset lives elsewhere (a redirected stdio file) say so here. */
		off_t cur = vfs_lseek(f, 0, SEEK_CUR);
		f->pos = cur < 0 ? f->pos : cur;
	}
	if ((r = vfs_rw_verify_area(f, positional ? pos : f->pos, len)) < 0)
		return r;
	if (wr && nowait && f->seekable)
		return -EOPNOTSUPP; /* a buffered file write may block: Linux's filesystems refuse */
	if (len > RW_MAX)
		len = RW_MAX;
	if (wr && appends(f, rwf)) {
		p = end_of(f);
		if (p >= LLONG_MAX)
			return -EFBIG; /* generic_write_check_limits */
		if (len > (size_t)(LLONG_MAX - p))
			len = (size_t)(LLONG_MAX - p);
	} else if (!positional) {
		p = f->pos;
	}
	if (wr && t->io_done) { /* served again after parking: skip what was written */
		skip = t->io_done;
		len = t->io_done < len ? len - t->io_done : 0;
	}
	if (wr && (r = fsize_check(t, f, p, &len)) < 0)
		return r;
	r = wr ? do_write(t, f, v, skip, len, &p, nowait) : do_read(t, f, v, len, &p, nowait);
	if (r > 0)
		vfs_notify_file(&t->vc, f, wr ? IN_MODIFY : IN_ACCESS);
	if (!positional && f->seekable)
		f->pos = p;
	return r;
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
