/*
 * The file kinds that are views of kernel objects: eventfd, timerfd,
 * signalfd, pidfd and epoll files, and procfs.  They fill the VFS's ops tables
 * (vfs_impl.h) from above it, as gVisor's fsimpl packages do for its vfs,
 * and handlers make them through these constructors.
 */
#pragma once

#include <stdbool.h>

#include "vfs.h"

struct kernel;
struct task;
struct tgroup;

/*
 * Event files (eventfd.c, timerfd.c, signalfd.c, pidfd_file.c, epoll.c).  Each
 * constructor returns 0 and a new reference in *out, or -errno.
 */
struct itimerspec;
struct epoll_event;
/* eventfd2(2): flags EFD_SEMAPHORE, EFD_NONBLOCK (checked by the caller). */
int vfs_eventfd(struct kernel *k, unsigned int initval, int flags, struct vfs_file **out);
/* timerfd_create(2): -EINVAL for bad flags or clock. */
int vfs_timerfd(int clockid, int flags, struct vfs_file **out);
/* timerfd_settime/gettime(2) on f: -EINVAL when f is no timerfd. */
int vfs_timerfd_settime(struct vfs_file *f, int flags, const struct itimerspec *nv,
			struct itimerspec *old);
int vfs_timerfd_gettime(struct vfs_file *f, struct itimerspec *cur);
/* signalfd4(2) for the calling thread's signals in mask (bit sig-1). */
int vfs_signalfd(struct vfs_caller *c, unsigned long long mask, int flags, struct vfs_file **out);
/* Change a signalfd's mask: -EINVAL when f is no signalfd. */
int vfs_signalfd_setmask(struct vfs_file *f, unsigned long long mask);
bool vfs_is_signalfd(struct vfs_file *f);
/*
 * pidfd_open(2): a file naming process tg, or with thread (not its leader)
 * that thread; flags O_NONBLOCK and PIDFD_THREAD (O_EXCL), checked by the
 * caller.
 */
struct tgroup;
int vfs_pidfd(struct kernel *k, const struct tgroup *tg, const struct task *thread, int flags,
	      struct vfs_file **out);
/* A pidfd of the process that had pid and host_tgid (it may have been reaped since). */
int vfs_pidfd_named(struct kernel *k, int pid, pid_t host_tgid, struct vfs_file **out);
/*
 * What pidfd f names: its pid (a thread pidfd's tid), with *tg the process
 * (live or a zombie) or NULL once reaped (a thread pidfd: once the thread
 * is gone).  -EBADF when f is no pidfd.
 */
int vfs_pidfd_target(struct vfs_file *f, struct tgroup **tg);
/* Whether f is a pidfd of one thread (PIDFD_THREAD). */
bool vfs_pidfd_thread(struct vfs_file *f);
/* epoll_create1(2): an empty interest list; its owner is the caller's process. */
int vfs_epoll(struct vfs_caller *c, int flags, struct vfs_file **out);
bool vfs_is_epoll(struct vfs_file *f);
/* epoll_ctl(2) on epoll file f for (fd, tf); ev is NULL for EPOLL_CTL_DEL. */
int vfs_epoll_ctl(struct vfs_caller *c, struct vfs_file *f, int op, int fd, struct vfs_file *tf,
		  const struct epoll_event *ev);
/* What a waiter on an epoll file should park on when nothing is ready. */
struct vfs_epoll_wait {
	int hostfd;   /* the first host fd among the items, or -1 */
	short hostev; /* its events */
	int nhost;    /* how many host fds the items have */
	bool recheck; /* an item no channel wakes (signalfd): look again soon */
};
/* Up to max ready events of epoll file f into out, in the caller's fd table; -EINVAL if no epoll.
 */
long vfs_epoll_collect(struct vfs_caller *c, struct vfs_file *f, struct epoll_event *out, int max,
		       struct vfs_epoll_wait *w);

/*
 * procfs (procfs.c): the guest's /proc, rendered from the kernel's books;
 * vfs_config.procfs mounts it at /proc.
 */
extern const struct vfs_fs_ops procfs_ops;
