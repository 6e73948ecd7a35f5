/*
 * pidfd: a file that names one process (pidfd_open(2)).  It holds no
 * pointer to the process, since a struct tgroup is freed when its parent
 * reaps it: the file keeps the virtual pid and the host thread-group id it
 * had, and looks the process up again each time, so a process that was
 * reaped (and a later one that might get its pid) is never mistaken for
 * the one the file names.  A read or write gives EINVAL; poll gives POLLIN
 * once the process has exited (a zombie), and POLLIN|POLLHUP once it was
 * reaped, as Linux 6.18 does.  task.c wakes the process's channel (the
 * tgroup's address) when it dies, so pollers and epoll waiters look again.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>

#include "kernel.h"
#include "task.h"
#include "vfs_impl.h"

struct pidfd_file {
	struct vfs_file base;
	struct kernel *k;
	int pid;	 /* the process's virtual pid */
	pid_t host_tgid; /* with pid, what tells it from a later process of the same pid */
};

static struct pidfd_file *pidfd_of(struct vfs_file *f)
{
	return container_of(f, struct pidfd_file, base);
}

/* The process p names, live or zombie, or NULL once it was reaped. */
static struct tgroup *target(struct pidfd_file *p)
{
	struct tgroup *tg = tg_by_pid(p->k, p->pid);
	return tg && tg->host_tgid == p->host_tgid ? tg : NULL;
}

static short pidfd_poll(struct vfs_file *f)
{
	struct tgroup *tg = target(pidfd_of(f));
	if (!tg)
		return POLLIN | POLLRDNORM | POLLHUP;
	return tg->zombie ? POLLIN | POLLRDNORM : 0;
}

static const void *pidfd_wchan(struct vfs_file *f)
{
	struct pidfd_file *p = pidfd_of(f);
	struct tgroup *tg = target(p);
	return tg ? (const void *)tg : (const void *)p;
}

static const struct vfs_file_ops pidfd_ops = {
	.stat = vfs_anon_stat,
	.poll = pidfd_poll,
	.wchan = pidfd_wchan,
};

int vfs_pidfd(struct kernel *k, const struct tgroup *tg, int flags, struct vfs_file **out)
{
	struct pidfd_file *p = vfs_file_alloc(sizeof(*p), &pidfd_ops, O_RDWR | (flags & O_NONBLOCK),
					      "anon_inode:[pidfd]");
	if (!p)
		return -ENOMEM;
	p->k = k;
	p->pid = tg->pid;
	p->host_tgid = tg->host_tgid;
	*out = &p->base;
	return 0;
}

int vfs_pidfd_target(struct vfs_file *f, struct tgroup **tg)
{
	if (f->ops != &pidfd_ops)
		return -EBADF;
	*tg = target(pidfd_of(f));
	return pidfd_of(f)->pid;
}
