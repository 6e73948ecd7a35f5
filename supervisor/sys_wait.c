/*
 * wait4 and waitid: a parent collects its dead children from uos's own
 * process tree (task.c).  With nothing to collect and no WNOHANG the
 * caller parks on its own process, which task.c wakes when a child dies.
 * Stopped and continued children (WUNTRACED, WCONTINUED) come with job
 * control; until then those options are accepted and never match.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "gmem.h"
#include "scheduler.h"
#include "syscall.h"

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

/*
 * Find a child to report.  Returns it (a zombie), or NULL with *any set when
 * some child matches but none is ready.
 */
static struct tgroup *find_zombie(struct task *t, const struct wait_sel *w, bool *any)
{
	*any = false;
	for (struct tgroup *c = t->tg->children; c; c = c->sibling) {
		if (!selected(t, c, w))
			continue;
		*any = true;
		if (c->zombie)
			return c;
	}
	return NULL;
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
	struct wait_sel w = {P_ALL, 0, options};
	bool any;
	if (options & ~WAIT4_OPTS)
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH; /* -INT_MIN is no process group */
	if (pid > 0)
		w = (struct wait_sel){P_PID, pid, options};
	else if (pid != -1)
		w = (struct wait_sel){P_PGID, -pid, options};
	struct tgroup *c = find_zombie(t, &w, &any);
	if (!c)
		return nothing_ready(t, any, options);
	int status = c->wstatus, cpid = c->pid;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	tg_reap(t->k, c);
	if (a->a[1] && gmem_write(t, a->a[1], &status, sizeof(status)))
		return -EFAULT;
	if (a->a[3] && gmem_write(t, a->a[3], &ru, sizeof(ru)))
		return -EFAULT;
	return cpid;
}

/* The siginfo waitid(2) fills for a dead child. */
static void child_info(const struct tgroup *c, siginfo_t *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = SIGCHLD;
	si->si_pid = c->pid;
	si->si_uid = c->cred.uid;
	if (WIFEXITED(c->wstatus)) {
		si->si_code = CLD_EXITED;
		si->si_status = WEXITSTATUS(c->wstatus);
	} else {
		si->si_code = WCOREDUMP(c->wstatus) ? CLD_DUMPED : CLD_KILLED;
		si->si_status = WTERMSIG(c->wstatus);
	}
}

long sys_waitid(struct task *t, const struct sysargs *a)
{
	int type = (int)a->a[0], id = (int)a->a[1], options = (int)a->a[3];
	struct wait_sel w = {(idtype_t)type, id, options};
	siginfo_t si;
	bool any;
	if ((options & ~WAITID_OPTS) || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (type == P_PIDFD)
		return -EINVAL; /* pidfds are not in uos yet */
	if (type != P_ALL && type != P_PID && type != P_PGID)
		return -EINVAL;
	if ((type == P_PID && id <= 0) || (type == P_PGID && id < 0))
		return -EINVAL;
	struct tgroup *c = (options & WEXITED) ? find_zombie(t, &w, &any) : NULL;
	if (!(options & WEXITED))
		find_zombie(t, &w, &any);
	if (!c) {
		long r = nothing_ready(t, any, options);
		memset(&si, 0, sizeof(si)); /* WNOHANG with nothing ready: a zeroed siginfo */
		if (r == 0 && a->a[2] && gmem_write(t, a->a[2], &si, sizeof(si)))
			return -EFAULT;
		return r;
	}
	child_info(c, &si);
	if (!(options & WNOWAIT))
		tg_reap(t->k, c);
	if (a->a[2] && gmem_write(t, a->a[2], &si, sizeof(si)))
		return -EFAULT;
	return 0;
}
