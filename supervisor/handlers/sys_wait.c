/*
 * wait4 and waitid: a parent collects its dead children from uos's own
 * process tree (task.c).  With nothing to collect and no WNOHANG the
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
#include "vfs.h"

#define WAIT4_OPTS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)
#define WAITID_OPTS (WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WCLONE | __WALL)

/* Which children a wait selects: Linux's idtype/id (wait4's pid becomes one). */
struct wait_sel {
	idtype_t type;
	int id;
	int options;
};

static bool selected(const struct task *t, const struct tgroup *c, const struct wait_sel *w)
{
	/* A "clone" child (exit signal other than SIGCHLD) only with __WCLONE, any with __WALL. */
	bool clone_child = c->exit_signal != SIGCHLD;
	if (!(w->options & __WALL) && clone_child != !!(w->options & __WCLONE))
		return false;
	if (w->type == P_PID)
		return c->pid == w->id;
	if (w->type == P_PGID)
		return c->pgid == (w->id ? w->id : t->tg->pgid);
	return true;
}

/* What a child has to report to a wait with these options: its wait status, or -1. */
static int report_of(const struct tgroup *c, int options)
{
	if (c->zombie)
		return (options & WEXITED) ? c->wstatus : -1;
	if (c->stop_report && (options & WUNTRACED))
		return (c->stop_report << 8) | 0x7f;
	if (c->cont_report && (options & WCONTINUED))
		return 0xffff;
	return -1;
}

/*
 * Find a child with something to report.  Returns it, or NULL with *any
 * set when some child matches but none has anything yet.
 */
static struct tgroup *find_child(struct task *t, const struct wait_sel *w, bool *any)
{
	*any = false;
	for (struct tgroup *c = t->tg->children; c; c = c->sibling) {
		if (!selected(t, c, w))
			continue;
		*any = true;
		if (report_of(c, w->options) != -1)
			return c;
	}
	return NULL;
}

/* What wait4 and waitid report of c: its usage and its reaped children's (zero unless a zombie). */
static void child_usage(const struct tgroup *c, struct rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	if (!c->zombie)
		return;
	*ru = c->ru;
	rusage_add(ru, &c->child_ru);
}

/* The report is taken: reap a zombie (its usage goes to the parent), or clear a stop or continue report. */
static void consume(struct kernel *k, struct tgroup *c)
{
	if (c->zombie && c->parent)
		tg_account_child(c->parent, c);
	if (c->zombie)
		tg_reap(k, c);
	else if (c->stop_report)
		c->stop_report = 0;
	else
		c->cont_report = false;
}

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
	struct tgroup *c = find_child(t, &w, &any);
	if (!c)
		return nothing_ready(t, any, options);
	int status = report_of(c, w.options), cpid = c->pid;
	struct rusage ru;
	child_usage(c, &ru);
	consume(t->k, c);
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
	struct tgroup *c = find_child(t, &w, &any);
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
	task_child_info(c, report_of(c, w.options), &si);
	child_usage(c, &ru);
	if (!(options & WNOWAIT))
		consume(t->k, c);
	if (a->a[2] && gmem_write(t, a->a[2], &si, sizeof(si)))
		return -EFAULT;
	if (a->a[4] && gmem_write(t, a->a[4], &ru, sizeof(ru)))
		return -EFAULT;
	return 0;
}
