/*
 * The event-file syscalls: epoll, eventfd, timerfd, signalfd.  Each handler
 * copies the guest's arguments in once, checks them in Linux's order, and
 * delegates to supervisor/kernel/epoll.c, eventfd.c, timerfd.c and signalfd.c; new files
 * are installed last.  epoll_wait parks on every channel (SCHED_ANY) and on
 * the first host fd among the items until the call's deadline, looking
 * again every 10 ms when it cannot be woken otherwise (several host fds, a
 * signalfd).  epoll_pwait and epoll_pwait2 wait with their signal mask
 * (sig_call_mask), as ppoll does.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>

#include "fdtable.h"
#include "fdkinds.h"
#include "gmem.h"
#include "gtime.h"
#include "scheduler.h"
#include "sigsend.h"
#include "handlers.h"
#include "vfs.h"

#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))
#define EP_BATCH 1024		  /* events collected per call at most */
#define RECHECK_NS 10000000LL	  /* look again this often when nothing can wake us */

/* Install f (consuming the reference) at the lowest free fd. */
static long install(struct task *t, struct vfs_file *f, bool cloexec)
{
	int fd = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), cloexec);
	if (fd < 0)
		vfs_file_put(f);
	return fd;
}

static long epoll_new(struct task *t, int flags)
{
	struct vfs_file *f;
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	int r = vfs_epoll(&t->vc, flags, &f);
	return r < 0 ? r : install(t, f, flags & EPOLL_CLOEXEC);
}

long sys_epoll_create(struct task *t, const struct sysargs *a)
{
	return (int)a->a[0] <= 0 ? -EINVAL : epoll_new(t, 0);
}

long sys_epoll_create1(struct task *t, const struct sysargs *a)
{
	return epoll_new(t, (int)a->a[0]);
}

long sys_epoll_ctl(struct task *t, const struct sysargs *a)
{
	struct epoll_event ev = {0};
	struct vfs_file *ep, *tf;
	int op = (int)a->a[1], fd = (int)a->a[2];
	bool has_event = op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD;
	if (has_event && gmem_read(t, &ev, a->a[3], sizeof(ev)))
		return -EFAULT;
	if (fdt_fget(t, (int)a->a[0], false, &ep) || fdt_fget(t, fd, false, &tf))
		return -EBADF;
	return vfs_epoll_ctl(&t->vc, ep, op, fd, tf, has_event ? &ev : NULL);
}

/* epoll_wait until *end (do_epoll_wait). */
static long epoll_wait_until(struct task *t, int epfd, unsigned long uev, int max,
			     const struct timespec *end)
{
	struct vfs_file *ep;
	struct vfs_epoll_wait w;
	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (fdt_fget(t, epfd, false, &ep))
		return -EBADF;
	if (!vfs_is_epoll(ep))
		return -EINVAL;
	int n = max < EP_BATCH ? max : EP_BATCH;
	struct epoll_event *evs = calloc((size_t)n, sizeof(*evs));
	if (!evs)
		return -ENOMEM;
	long r = vfs_epoll_collect(&t->vc, ep, evs, n, &w);
	if (r > 0 && gmem_write(t, uev, evs, (size_t)r * sizeof(*evs)))
		r = -EFAULT;
	free(evs);
	if (r)
		return r;
	/* Nothing ready: wait, looking again when nothing can wake us (several host fds, a signalfd). */
	return sched_park_until(t, SCHED_ANY, w.hostfd, w.hostev, end,
				w.nhost > 1 || w.recheck ? RECHECK_NS : 0);
}

long sys_epoll_wait(struct task *t, const struct sysargs *a)
{
	struct timespec end;
	const struct timespec *endp = gtime_call_timeout_ms(t, (int)a->a[3], &end);
	return epoll_wait_until(t, (int)a->a[0], a->a[1], (int)a->a[2], endp);
}

long sys_epoll_pwait(struct task *t, const struct sysargs *a)
{
	struct timespec end;
	int r = sig_call_mask(t, a->a[4], a->a[5]);
	if (r < 0)
		return r;
	const struct timespec *endp = gtime_call_timeout_ms(t, (int)a->a[3], &end);
	return epoll_wait_until(t, (int)a->a[0], a->a[1], (int)a->a[2], endp);
}

/* epoll_pwait2: the timeout is checked first, then the mask, then the rest (Linux's order). */
long sys_epoll_pwait2(struct task *t, const struct sysargs *a)
{
	struct timespec end;
	const struct timespec *endp;
	int r = gtime_call_timeout(t, a->a[3], false, &end, &endp);
	if (r == 0)
		r = sig_call_mask(t, a->a[4], a->a[5]);
	if (r < 0)
		return r;
	return epoll_wait_until(t, (int)a->a[0], a->a[1], (int)a->a[2], endp);
}

static long eventfd_new(struct task *t, unsigned int count, int flags)
{
	struct vfs_file *f;
	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	int r = vfs_eventfd(t->k, count, flags, &f);
	return r < 0 ? r : install(t, f, flags & EFD_CLOEXEC);
}

long sys_eventfd(struct task *t, const struct sysargs *a)
{
	return eventfd_new(t, (unsigned int)a->a[0], 0);
}

long sys_eventfd2(struct task *t, const struct sysargs *a)
{
	return eventfd_new(t, (unsigned int)a->a[0], (int)a->a[1]);
}

long sys_timerfd_create(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int flags = (int)a->a[1];
	int r = vfs_timerfd((int)a->a[0], flags, &f);
	return r < 0 ? r : install(t, f, flags & TFD_CLOEXEC);
}

long sys_timerfd_settime(struct task *t, const struct sysargs *a)
{
	struct itimerspec nv, old;
	struct vfs_file *f;
	int flags = (int)a->a[1];
	if (gmem_read(t, &nv, a->a[2], sizeof(nv)))
		return -EFAULT;
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    !gtime_valid(&nv.it_value) || !gtime_valid(&nv.it_interval))
		return -EINVAL;
	if (fdt_fget(t, (int)a->a[0], false, &f))
		return -EBADF;
	int r = vfs_timerfd_settime(f, flags, &nv, &old);
	if (r == 0 && a->a[3] && gmem_write(t, a->a[3], &old, sizeof(old)))
		return -EFAULT;
	return r;
}

long sys_timerfd_gettime(struct task *t, const struct sysargs *a)
{
	struct itimerspec cur;
	struct vfs_file *f;
	if (fdt_fget(t, (int)a->a[0], false, &f))
		return -EBADF;
	int r = vfs_timerfd_gettime(f, &cur);
	if (r == 0 && gmem_write(t, a->a[1], &cur, sizeof(cur)))
		return -EFAULT;
	return r;
}

static long signalfd_do(struct task *t, int fd, unsigned long umask, size_t size, int flags)
{
	uint64_t mask;
	struct vfs_file *f;
	if (size != sizeof(mask))
		return -EINVAL;
	if (gmem_read(t, &mask, umask, sizeof(mask)))
		return -EFAULT;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (fd != -1) {
		if (fdt_fget(t, fd, false, &f))
			return -EBADF;
		int r = vfs_signalfd_setmask(f, mask);
		return r < 0 ? r : fd;
	}
	int r = vfs_signalfd(&t->vc, mask, flags, &f);
	return r < 0 ? r : install(t, f, flags & SFD_CLOEXEC);
}

long sys_signalfd(struct task *t, const struct sysargs *a)
{
	return signalfd_do(t, (int)a->a[0], a->a[1], a->a[2], 0);
}

long sys_signalfd4(struct task *t, const struct sysargs *a)
{
	return signalfd_do(t, (int)a->a[0], a->a[1], a->a[2], (int)a->a[3]);
}
