/*
 * timerfd: a timer whose expirations are read as a count (timerfd_create(2)).
 * Each guest timerfd is backed by a host timerfd that uos owns (the guest
 * never names it): the host keeps the clock, TFD_TIMER_ABSTIME, the
 * interval and the expiration count.  The host fd is this file's pollfd, so
 * a blocking read, poll and epoll wait on it through the event loop like
 * stdio, and a deadline fires as the timer does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "kernel.h"
#include "fdkinds.h"
#include "vfs_impl.h"

struct timerfd_file {
	struct vfs_file base;
	int hostfd; /* CLOEXEC, NONBLOCK host timerfd, owned */
};

static long tfd_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct timerfd_file *tf = container_of(f, struct timerfd_file, base);
	uint64_t n;
	if (len < sizeof(n))
		return -EINVAL;
	ssize_t r = read(tf->hostfd, &n, sizeof(n));
	if (r < 0)
		return errno == ECANCELED ? -ECANCELED : -EAGAIN;
	memcpy(buf, &n, sizeof(n));
	return sizeof(n);
}

static int tfd_pollfd(struct vfs_file *f)
{
	return container_of(f, struct timerfd_file, base)->hostfd;
}

static void tfd_release(struct vfs_file *f)
{
	close(container_of(f, struct timerfd_file, base)->hostfd);
}

static const struct vfs_file_ops timerfd_ops = {
	.read = tfd_read,
	.stat = vfs_anon_stat,
	.pollfd = tfd_pollfd,
	.release = tfd_release,
};

int vfs_timerfd(int clockid, int flags, struct vfs_file **out)
{
	if (flags & ~(TFD_NONBLOCK | TFD_CLOEXEC))
		return -EINVAL;
	int fd = timerfd_create(clockid, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct timerfd_file *tf = vfs_file_alloc(sizeof(*tf), &timerfd_ops,
						 O_RDWR | (flags & O_NONBLOCK), "anon_inode:[timerfd]");
	if (!tf) {
		close(fd);
		return -ENOMEM;
	}
	tf->hostfd = fd;
	*out = &tf->base;
	return 0;
}

static int host_timer(struct vfs_file *f)
{
	return f->ops == &timerfd_ops ? container_of(f, struct timerfd_file, base)->hostfd : -1;
}

int vfs_timerfd_settime(struct vfs_file *f, int flags, const struct itimerspec *nv,
			struct itimerspec *old)
{
	int fd = host_timer(f);
	if (fd < 0)
		return -EINVAL;
	return timerfd_settime(fd, flags, nv, old) < 0 ? -errno : 0;
}

int vfs_timerfd_gettime(struct vfs_file *f, struct itimerspec *cur)
{
	int fd = host_timer(f);
	if (fd < 0)
		return -EINVAL;
	return timerfd_gettime(fd, cur) < 0 ? -errno : 0;
}
