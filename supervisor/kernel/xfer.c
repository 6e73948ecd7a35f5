/* Data transfer between a guest's buffers and an open file (see xfer.h). */
#include "xfer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "copy.h"
#include "ctty.h"
#include "rlimit.h"
#include "sigsend.h"
#include "task.h"
#include "uiov.h"
#include "vfs.h"
#include "writeback.h"

#define XFER_CHUNK (64 * 1024)

/* Linux gives EISDIR for read/write on a directory, EINVAL for other kinds without the op. */
static long no_rw_errno(struct vfs_file *f, long r)
{
	struct stat st;

	if (r == -EINVAL && !vfs_fstat(f, &st) && S_ISDIR(st.st_mode))
		return -EISDIR;
	return r;
}

/*
 * The bounce buffer of a transfer of len bytes, and the size of its next
 * chunk.  One kept buffer serves call after call: a new 64 KiB one for
 * each, freed after, leaves malloc splitting that free chunk for every
 * small allocation in between (the image cache's block buffers).
 */
static char *bounce(struct kernel *k, size_t len)
{
	if (!k->bounce_busy && (k->bounce || (k->bounce = malloc(XFER_CHUNK)))) {
		k->bounce_busy = true;
		return k->bounce;
	}
	return malloc(len < XFER_CHUNK ? (len ? len : 1) : XFER_CHUNK);
}

static void bounce_done(struct kernel *k, char *buf)
{
	if (buf == k->bounce)
		k->bounce_busy = false;
	else
		free(buf);
}

static size_t chunk(size_t left)
{
	return left < XFER_CHUNK ? left : XFER_CHUNK;
}

/* Read up to len bytes at *pos (advanced) into the guest's buffers; nowait: never park. */
static long do_read(struct task *t, struct vfs_file *f, const struct uvec *v, size_t len,
		    off_t *pos, bool nowait)
{
	char *buf = bounce(t->k, len);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t n = chunk(len - done);
		const void *at = buf;
		long r = vfs_read_mapped(f, n, *pos, &at); /* straight from uos's memory */
		bool mapped = r != -EAGAIN;
		if (!mapped)
			r = vfs_read(f, buf, n, *pos);
		if (r == -EAGAIN && !done && !(f->flags & O_NONBLOCK) && !nowait) {
			ret = copy_would_block(t, f, POLLIN, false); /* park on f */
			if (ret != -EAGAIN)
				break;
			ret = 0;
			r = vfs_read_expired(f, buf, n); /* its timeout passed (a terminal's VTIME) */
		}
		if (r < 0) {
			ret = no_rw_errno(f, r);
			break;
		}
		size_t c = uvec_copy(t, v, done, (void *)at, (size_t)r, true);
		if (c < (size_t)r) { /* what reached the guest counts */
			done += c;
			*pos += (off_t)c;
			ret = -EFAULT;
			break;
		}
		done += (size_t)r;
		*pos += r;
		if (!r || (!mapped && (size_t)r < n) || !f->seekable)
			break; /* a mapped run ends where the image's blocks part */
	}
	bounce_done(t->k, buf);
	return done ? (long)done : ret;
}

/*
 * Write up to len bytes of the guest's buffers, from byte skip on, at *pos
 * (advanced); nowait: never park.
 */
static long do_write(struct task *t, struct vfs_file *f, const struct uvec *v, size_t skip,
		     size_t len, off_t *pos, bool nowait)
{
	char *buf = bounce(t->k, len);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	/* generic_perform_write's file_remove_privs, once per call */
	if (!t->io_done && f->seekable && (ret = vfs_file_remove_privs(&t->vc, f)) < 0) {
		bounce_done(t->k, buf);
		return ret;
	}
	while (done < len) {
		size_t n = chunk(len - done);
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
			ret = copy_would_block(t, f, POLLOUT, false); /* park on f */
			if (ret == -UOS_EBLOCK) {
				t->io_done += done;
				bounce_done(t->k, buf);
				return ret;
			}
			break; /* its timeout passed: what was written, or -EAGAIN */
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
	bounce_done(t->k, buf);
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
 * O_SYNC/O_DSYNC files and RWF_SYNC/RWF_DSYNC writes: the write reaches the
 * disk before it returns, as fsync (O_SYNC, RWF_SYNC) or fdatasync would.
 * 0: no sync asked, 1: fdatasync, 2: fsync.
 */
static int write_sync(const struct vfs_file *f, int rwf)
{
	if ((f->flags & O_SYNC) == O_SYNC || (rwf & RWF_SYNC))
		return 2;
	return (f->flags & O_DSYNC) || (rwf & RWF_DSYNC) ? 1 : 0;
}

long xfer_vec(struct task *t, struct vfs_file *f, bool wr, const struct uvec *v, size_t len,
		     off_t pos, int rwf)
{
	bool positional = pos >= 0, nowait = rwf & RWF_NOWAIT;
	size_t skip = 0;
	off_t p = pos;
	long r;

	if (wr && wb_resumed(t)) /* an O_SYNC write, its bytes moved: the sync is over */
		return wb_write_done(t);

	if (!positional && f->seekable) {
		/* Files whose offset lives elsewhere (a redirected stdio file) say so here. */
		off_t cur = vfs_lseek(f, 0, SEEK_CUR);
		f->pos = cur < 0 ? f->pos : cur;
	}
	if ((r = vfs_rw_verify_area(f, positional ? pos : f->pos, len)) < 0)
		return r;
	if ((r = ctty_check_io(t, f, wr)) < 0) /* a background job at its terminal */
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
	if (wr && r > 0 && write_sync(f, rwf))
		return wb_write(t, f, write_sync(f, rwf) == 1, (size_t)r);
	return r;
}
