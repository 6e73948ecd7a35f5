/*
 * eventfd: a 64-bit counter in uos (eventfd(2)).  A read returns the
 * counter and zeroes it (EFD_SEMAPHORE: returns 1 and decrements); a read
 * of a zero counter and a write that would pass 0xfffffffffffffffe give
 * -EAGAIN, and the syscall layer parks the task on the counter's channel
 * (vfs_wchan) unless the file is O_NONBLOCK.  Every change wakes that
 * channel, so readers, writers and pollers see it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#include "kernel.h"
#include "fdkinds.h"
#include "scheduler.h"
#include "vfs_impl.h"

#define EVENTFD_MAX 0xfffffffffffffffeULL

struct eventfd_file {
	struct vfs_file base;
	struct kernel *k;
	uint64_t count;
	bool semaphore;
};

static struct eventfd_file *efd_of(struct vfs_file *f)
{
	return container_of(f, struct eventfd_file, base);
}

static long efd_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct eventfd_file *e = efd_of(f);
	uint64_t v;
	if (len < sizeof(v))
		return -EINVAL;
	if (!e->count)
		return -EAGAIN;
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, sizeof(v));
	sched_wake(e->k, e);
	return sizeof(v);
}

static long efd_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	struct eventfd_file *e = efd_of(f);
	uint64_t v;
	if (len < sizeof(v))
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v == UINT64_MAX)
		return -EINVAL;
	if (v > EVENTFD_MAX - e->count)
		return -EAGAIN;
	e->count += v;
	if (v)
		sched_wake(e->k, e);
	return sizeof(v);
}

static short efd_poll(struct vfs_file *f)
{
	struct eventfd_file *e = efd_of(f);
	return (e->count ? POLLIN | POLLRDNORM : 0) |
	       (e->count < EVENTFD_MAX ? POLLOUT | POLLWRNORM : 0);
}

static const void *efd_wchan(struct vfs_file *f)
{
	return efd_of(f);
}

static const struct vfs_file_ops eventfd_ops = {
	.read = efd_read,
	.write = efd_write,
	.stat = vfs_anon_stat,
	.poll = efd_poll,
	.wchan = efd_wchan,
};

int vfs_eventfd(struct kernel *k, unsigned int initval, int flags, struct vfs_file **out)
{
	struct eventfd_file *e = vfs_file_alloc(sizeof(*e), &eventfd_ops,
						O_RDWR | (flags & O_NONBLOCK), "anon_inode:[eventfd]");
	if (!e)
		return -ENOMEM;
	e->k = k;
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	*out = &e->base;
	return 0;
}
