/*
 * pidfd: a file that names one process (pidfd_open(2)), or with
 * PIDFD_THREAD one thread.  It holds no pointer to the process, since a
 * struct tgroup is freed when its parent reaps it: the file keeps the
 * virtual pid and the host thread-group id it had (and a thread's tid and
 * host tid), and looks them up again each time, so a process that was
 * reaped (and a later one that might get its pid) is never mistaken for
 * the one the file names.  A read or write gives EINVAL; poll gives POLLIN
 * once the process has exited (a zombie), and POLLIN|POLLHUP once it was
 * reaped, as Linux 6.18 does.  A thread other than the leader is reaped as
 * it exits: its pidfd goes from nothing to POLLIN|POLLHUP.  A thread pidfd
 * of the leader behaves as the process's.  task.c wakes the process's
 * channel (the tgroup's address) when any of its threads dies, so pollers
 * and epoll waiters look again.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>

#include "kernel.h"
#include "fdkinds.h"
#include "task.h"
#include "vfs_impl.h"

struct pidfd_file {
	struct vfs_file base;
	struct kernel *k;
	int pid;	 /* the process's virtual pid */
	pid_t host_tgid; /* with pid, what tells it from a later process of the same pid */
	int tid;	 /* PIDFD_THREAD of a thread that does not lead: its tid, else 0 */
	pid_t host_tid;	 /* with tid, the same for the thread */
};

static struct pidfd_file *pidfd_of(struct vfs_file *f)
{
	return container_of(f, struct pidfd_file, base);
}

/* The process p names, live or zombie, or NULL once it (or the thread p names) is gone. */
static struct tgroup *target(struct pidfd_file *p)
{
	if (p->tid) { /* an exiting thread is gone: its pthread_join may have returned */
		struct task *t = task_by_tid(p->k, p->tid);
		return t && t->hpid == p->host_tid && !task_exiting(t) ? t->tg : NULL;
	}
	struct tgroup *tg = tg_by_pid(p->k, p->pid);
	return tg && tg->host_tgid == p->host_tgid ? tg : NULL;
}

static short pidfd_poll(struct vfs_file *f)
{
	struct pidfd_file *p = pidfd_of(f);
	struct tgroup *tg = target(p);
	if (!tg)
		return POLLIN | POLLRDNORM | POLLHUP;
	return tg->zombie && !p->tid ? POLLIN | POLLRDNORM : 0;
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

static struct pidfd_file *pidfd_new(struct kernel *k, int pid, pid_t host_tgid, int flags)
{
	int fl = O_RDWR | (flags & (O_NONBLOCK | O_EXCL)); /* O_EXCL: PIDFD_THREAD */
	struct pidfd_file *p = vfs_file_alloc(sizeof(*p), &pidfd_ops, fl, "anon_inode:[pidfd]");
	if (p) {
		p->k = k;
		p->pid = pid;
		p->host_tgid = host_tgid;
	}
	return p;
}

int vfs_pidfd_named(struct kernel *k, int pid, pid_t host_tgid, struct vfs_file **out)
{
	struct pidfd_file *p = pidfd_new(k, pid, host_tgid, 0);
	if (!p)
		return -ENOMEM;
	*out = &p->base;
	return 0;
}

int vfs_pidfd(struct kernel *k, const struct tgroup *tg, const struct task *thread, int flags,
	      struct vfs_file **out)
{
	struct pidfd_file *p = pidfd_new(k, tg->pid, tg->host_tgid, flags);
	if (!p)
		return -ENOMEM;
	if (thread && thread->tid != tg->pid) {
		p->tid = thread->tid;
		p->host_tid = thread->hpid;
	}
	*out = &p->base;
	return 0;
}

int vfs_pidfd_target(struct vfs_file *f, struct tgroup **tg)
{
	if (f->ops != &pidfd_ops)
		return -EBADF;
	struct pidfd_file *p = pidfd_of(f);
	*tg = target(p);
	return p->tid ? p->tid : p->pid;
}

bool vfs_pidfd_thread(struct vfs_file *f)
{
	return f->ops == &pidfd_ops && (f->flags & O_EXCL);
}
