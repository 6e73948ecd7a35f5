/*
 * Pipes: a 64 KiB ring buffer with separate counts of readers and writers,
 * so EOF (no writers) and EPIPE (no readers) follow from the counts.  A
 * read of an empty pipe or a write that does not fit returns -EAGAIN; the
 * syscall layer parks the task on the pipe's channel (vfs_wchan) unless the
 * file is O_NONBLOCK, and every change wakes that channel.  Writes of at
 * most PIPE_BUF bytes are atomic: all or nothing (pipe(7)).  F_SETPIPE_SZ
 * resizes the ring (vfs_pipe_setsize).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>

#include "kernel.h"
#include "scheduler.h"
#include "vfs_impl.h"

#define PIPE_SIZE 65536
#define PIPE_MAX_SIZE 1048576 /* /proc/sys/fs/pipe-max-size */
#define PIPE_INO_BASE (1UL << 20)

struct pipe {
	struct kernel *k; /* to wake waiters */
	char *buf;
	size_t cap, head, len; /* bytes [head, head+len) mod cap are unread */
	int readers, writers;
	unsigned long ino;
	struct timespec ctime;
};

struct pipe_file {
	struct vfs_file base;
	struct pipe *p;
	bool writer;
};

static struct pipe *pipe_of(struct vfs_file *f)
{
	return container_of(f, struct pipe_file, base)->p;
}

static long pipe_read(struct vfs_file *f, void *buf, size_t n, off_t off)
{
	struct pipe *p = pipe_of(f);
	if (!p->len)
		return p->writers ? -EAGAIN : 0;
	size_t done = n < p->len ? n : p->len;
	size_t first = p->cap - p->head < done ? p->cap - p->head : done;
	memcpy(buf, p->buf + p->head, first);
	memcpy((char *)buf + first, p->buf, done - first);
	p->head = (p->head + done) % p->cap;
	p->len -= done;
	sched_wake(p->k, p);
	return (long)done;
}

static long pipe_write(struct vfs_file *f, const void *buf, size_t n, off_t off)
{
	struct pipe *p = pipe_of(f);
	size_t space = p->cap - p->len;
	if (!p->readers)
		return -EPIPE;
	if (!space || (n <= PIPE_BUF && space < n))
		return -EAGAIN;
	size_t done = n < space ? n : space;
	size_t tail = (p->head + p->len) % p->cap;
	size_t first = p->cap - tail < done ? p->cap - tail : done;
	memcpy(p->buf + tail, buf, first);
	memcpy(p->buf, (const char *)buf + first, done - first);
	p->len += done;
	sched_wake(p->k, p);
	return (long)done;
}

static short pipe_poll(struct vfs_file *f)
{
	struct pipe_file *pf = container_of(f, struct pipe_file, base);
	struct pipe *p = pf->p;
	if (!pf->writer)
		return (p->len ? POLLIN | POLLRDNORM : 0) | (p->writers ? 0 : POLLHUP);
	short room = p->cap - p->len >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0;
	return p->readers ? room : room | POLLERR; /* Linux: POLLOUT|POLLERR with no reader */
}

static const void *pipe_wchan(struct vfs_file *f)
{
	return pipe_of(f);
}

static int pipe_stat(struct vfs_file *f, struct stat *st)
{
	struct pipe *p = pipe_of(f);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_ino = p->ino;
	st->st_dev = 0xd; /* Linux's pipefs is an anonymous device too */
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = p->ctime;
	return 0;
}

static long pipe_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	*(int *)arg = (int)pipe_of(f)->len;
	return 0;
}

static void pipe_release(struct vfs_file *f)
{
	struct pipe_file *pf = container_of(f, struct pipe_file, base);
	struct pipe *p = pf->p;
	if (pf->writer)
		p->writers--;
	else
		p->readers--;
	sched_wake(p->k, p);
	if (!p->readers && !p->writers) {
		free(p->buf);
		free(p);
	}
}

static const struct vfs_file_ops pipe_read_ops = {
	.read = pipe_read,
	.stat = pipe_stat,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.wchan = pipe_wchan,
	.release = pipe_release,
};

static const struct vfs_file_ops pipe_write_ops = {
	.write = pipe_write,
	.stat = pipe_stat,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.wchan = pipe_wchan,
	.release = pipe_release,
};

static struct vfs_file *pipe_end(struct pipe *p, bool writer, int flags, const char *name)
{
	const struct vfs_file_ops *ops = writer ? &pipe_write_ops : &pipe_read_ops;
	struct pipe_file *pf = vfs_file_alloc(sizeof(*pf), ops, (writer ? O_WRONLY : O_RDONLY) | flags,
					      name);
	if (!pf)
		return NULL;
	pf->p = p;
	pf->writer = writer;
	if (writer)
		p->writers++;
	else
		p->readers++;
	return &pf->base;
}

int vfs_pipe(struct kernel *k, int flags, struct vfs_file **rd, struct vfs_file **wr)
{
	struct pipe *p = calloc(1, sizeof(*p));
	char name[40];
	if (!p || !(p->buf = malloc(PIPE_SIZE))) {
		free(p);
		return -ENOMEM;
	}
	p->k = k;
	p->cap = PIPE_SIZE;
	p->ino = PIPE_INO_BASE + k->next_pipe_ino++;
	clock_gettime(CLOCK_REALTIME, &p->ctime);
	snprintf(name, sizeof(name), "pipe:[%lu]", p->ino);
	*rd = pipe_end(p, false, flags, name);
	*wr = *rd ? pipe_end(p, true, flags, name) : NULL;
	if (!*rd) {
		free(p->buf);
		free(p);
		return -ENOMEM;
	}
	if (!*wr) {
		vfs_file_put(*rd); /* frees p with its last end */
		return -ENOMEM;
	}
	return 0;
}

/* Whether f is an end of a uos pipe. */
static bool is_pipe(struct vfs_file *f)
{
	return f->ops == &pipe_read_ops || f->ops == &pipe_write_ops;
}

long vfs_pipe_getsize(struct vfs_file *f)
{
	return is_pipe(f) ? (long)pipe_of(f)->cap : -EBADF;
}

/* Linux's round_pipe_size: at least a page, a power of two pages; 0 when too big. */
static size_t round_pipe_size(unsigned long size)
{
	size_t r = 4096;

	if (size > (1UL << 31))
		return 0;
	while (r < size)
		r <<= 1;
	return r;
}

long vfs_pipe_setsize(struct vfs_file *f, unsigned long size, bool privileged)
{
	if (!is_pipe(f))
		return -EBADF;
	struct pipe *p = pipe_of(f);
	size_t cap = round_pipe_size(size);
	if (!cap)
		return -EINVAL;
	if (cap > PIPE_MAX_SIZE && !privileged)
		return -EPERM;
	if (cap < p->len)
		return -EBUSY;
	char *nb = malloc(cap);
	if (!nb)
		return -ENOMEM;
	size_t first = p->cap - p->head < p->len ? p->cap - p->head : p->len;
	memcpy(nb, p->buf + p->head, first);
	memcpy(nb + first, p->buf, p->len - first);
	free(p->buf);
	p->buf = nb;
	p->head = 0;
	p->cap = cap;
	sched_wake(p->k, p);
	return (long)cap;
}
