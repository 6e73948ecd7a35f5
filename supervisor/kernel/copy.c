/* Copies between two uos files through a bounce buffer (see copy.h). */
#include "copy.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "gmem.h"
#include "gtime.h"
#include "scheduler.h"
#include "sigsend.h"
#include "task.h"
#include "vfs.h"

#define COPY_MAX 0x7ffff000L /* MAX_RW_COUNT */

off_t copy_out_pos(struct vfs_file *f)
{
	struct stat st;

	if (f->seekable && (f->flags & O_APPEND) && !vfs_fstat(f, &st))
		return st.st_size;
	return f->pos;
}

/*
 * Park t on f, within f's timeout (a socket's SO_RCVTIMEO or SO_SNDTIMEO),
 * fixed at the call's first wait: -EAGAIN once it has passed.
 */
static long park_on(struct task *t, struct vfs_file *f, short events)
{
	long long ns = vfs_timeout(f, events & POLLOUT), deadline = 0;

	if (ns < 0)
		return -EAGAIN;
	if (ns) {
		struct timespec rel = {ns / 1000000000LL, ns % 1000000000LL};
		struct timespec end = gtime_call_end(t, &rel);
		struct timespec left = gtime_call_left(t);
		if (gtime_is_zero(&left))
			return -EAGAIN;
		deadline = gtime_to_ns(end);
	}
	sched_park(t, vfs_wchan(f), vfs_pollfd(f), events, deadline);
	return -UOS_EBLOCK;
}

/* Whether a would-block on f parks: blocking file and call. */
static bool may_park(struct vfs_file *f, bool nonblock)
{
	return !nonblock && !(f->flags & O_NONBLOCK);
}

long copy_would_block(struct task *t, struct vfs_file *f, short events, bool nonblock)
{
	return nonblock ? -EAGAIN : park_on(t, f, events);
}

long copy_data(struct task *t, struct copy_end *in, struct copy_end *out, size_t len, bool nonblock)
{
	size_t done = 0;
	long ret = 0;
	char *buf = malloc(COPY_CHUNK);

	if (!buf)
		return -ENOMEM;
	if (len > COPY_MAX)
		len = COPY_MAX;
	/* the write side's file_remove_privs, as do_write's (xfer.c) */
	if (out->f->seekable && (ret = vfs_file_remove_privs(&t->vc, out->f)) < 0) {
		free(buf);
		return ret;
	}
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

int copy_get_off(struct task *t, struct copy_end *e, unsigned long uoff)
{
	e->explicit = uoff != 0;
	e->pos = e->f->pos;
	if (!uoff)
		return 0;
	if (gmem_read(t, &e->pos, uoff, sizeof(e->pos)))
		return -EFAULT;
	return e->pos < 0 ? -EINVAL : 0;
}

long copy_finish(struct task *t, struct copy_end *in, unsigned long uin, struct copy_end *out,
		 unsigned long uout, long r)
{
	if (r < 0)
		return r;
	if (r > 0) {
		vfs_notify_file(&t->vc, in->f, IN_ACCESS);
		vfs_notify_file(&t->vc, out->f, IN_MODIFY);
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

long copy_file_to_pipe(struct task *t, struct copy_end *in, struct vfs_file *out, size_t len,
		       bool nonblock)
{
	unsigned long align = in->f->seekable ? (unsigned long)in->pos : 0;
	long room = vfs_pipe_room(out, align);

	if (room == -EPIPE)
		sig_send_self(t, SIGPIPE);
	if (room == -EAGAIN)
		return copy_would_block(t, out, POLLOUT, nonblock);
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
