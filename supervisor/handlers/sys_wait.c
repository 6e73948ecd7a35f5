/*
 * wait4 and waitid: a parent collects its dead children from uos's own
 * process tree (reap.c says what each child reports).  With nothing to collect and no WNOHANG the
 * caller parks on its own process, which task.c wakes when a child dies.
 * Stopped and continued children are reported once each (WUNTRACED, which
 * is waitid's WSTOPPED, and WCONTINUED).  waitid(P_PIDFD) waits for the
 * child a pidfd names; an O_NONBLOCK pidfd makes it WNOHANG, with EAGAIN
 * instead of 0 when nothing is ready.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "fdtable.h"
#include "fdkinds.h"
#include "gmem.h"
#include "scheduler.h"
#include "handlers.h"
#include "reap.h"
#include "vfs.h"

#define WAIT4_OPTS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)
#define WAITID_OPTS (WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WCLONE | __WALL)

/* Nothing to report now: ECHILD, 0 for WNOHANG, or park until a child changes. */
static long nothing_ready(struct task *t, bool any, int options)
{
	if (!any)
		return -ECHILD;
	if (options & WNOHANG)
		return 0;
	sched_park(t, t->tg, -1, 0, 0);
	return -UOS_EBLOCK;
}

long sys_wait4(struct task *t, const struct sysargs *a)
{
	int pid = (int)a->a[0], options = (int)a->a[2];
	struct wait_sel w = {P_ALL, 0, options | WEXITED};
	bool any;
	if (options & ~WAIT4_OPTS)
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH; /* -INT_MIN is no process group */
	if (pid > 0)
		w = (struct wait_sel){P_PID, pid, options | WEXITED};
	else if (pid != -1)
		w = (struct wait_sel){P_PGID, -pid, options | WEXITED};
	struct tgroup *c = reap_find(t, &w, &any);
	if (!c)
		return nothing_ready(t, any, options);
	int status = reap_status(c, w.options), cpid = c->pid;
	struct rusage ru;
	reap_usage(c, &ru);
	reap_take(t->k, c);
	if (a->a[1] && gmem_write(t, a->a[1], &status, sizeof(status)))
		return -EFAULT;
	if (a->a[3] && gmem_write(t, a->a[3], &ru, sizeof(ru)))
		return -EFAULT;
	return cpid;
}

/*
 * waitid(P_PIDFD, fd): the child the pidfd names, by pid (none once it was
 * reaped: ECHILD then).  *nonblock: the pidfd is O_NONBLOCK.  0, -EINVAL, -EBADF.
 */
static long pidfd_sel(struct task *t, int fd, struct wait_sel *w, bool *nonblock)
{
	struct vfs_file *f;
	struct tgroup *tg;
	if (fd < 0)
		return -EINVAL;
	int r = fdt_fget(t, fd, false, &f);
	if (r < 0)
		return r;
	r = vfs_pidfd_target(f, &tg);
	if (r < 0)
		return r;
	*w = (struct wait_sel){P_PID, tg ? r : 0, w->options}; /* a thread's tid: no child */
	*nonblock = f->flags & O_NONBLOCK;
	return 0;
}

long sys_waitid(struct task *t, const struct sysargs *a)
{
	int type = (int)a->a[0], id = (int)a->a[1], options = (int)a->a[3];
	struct wait_sel w = {(idtype_t)type, id, options};
	siginfo_t si;
	bool any;
	if ((options & ~WAITID_OPTS) || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (type != P_ALL && type != P_PID && type != P_PGID && type != P_PIDFD)
		return -EINVAL;
	if ((type == P_PID && id <= 0) || (type == P_PGID && id < 0))
		return -EINVAL;
	bool nonblock = false;
	if (type == P_PIDFD) {
		long r = pidfd_sel(t, id, &w, &nonblock);
		if (r < 0)
			return r;
	}
	struct tgroup *c = reap_find(t, &w, &any);
	if (!c) {
		long r = nothing_ready(t, any, options | (nonblock ? WNOHANG : 0));
		memset(&si, 0, sizeof(si)); /* WNOHANG with nothing ready: a zeroed siginfo */
		if (r == 0 && a->a[2] && gmem_write(t, a->a[2], &si, sizeof(si)))
			return -EFAULT;
		if (r == 0 && nonblock && !(options & WNOHANG))
			return -EAGAIN; /* an O_NONBLOCK pidfd without WNOHANG */
		return r;
	}
	struct rusage ru;
	task_child_info(c, reap_status(c, w.options), &si);
	reap_usage(c, &ru);
	if (!(options & WNOWAIT))
		reap_take(t->k, c);
	if (a->a[2] && gmem_write(t, a->a[2], &si, sizeof(si)))
		return -EFAULT;
	if (a->a[4] && gmem_write(t, a->a[4], &ru, sizeof(ru)))
		return -EFAULT;
	return 0;
}
