/*
 * pidfd_open, pidfd_send_signal, pidfd_getfd: files that name a process
 * (vfs/pidfd.c) and the calls that act through them.  waitid(P_PIDFD) is
 * in sys_wait.c; CLONE_PIDFD is in sys_clone.c, which makes its files with
 * pidfd_install (pidfd.c) as pidfd_open does.
 *
 * Errno and check order follow Linux 6.18 (kernel/pid.c, kernel/signal.c),
 * compared against native runs by tests/conformance/proc/diff_pidfd.c.  A pidfd names
 * a process, or with PIDFD_THREAD one thread: signals then go to that
 * thread unless the flags say otherwise.
 * Signals go through sigsend.c with the siginfo Linux gives them; a zombie
 * accepts a signal and loses it, a reaped process gives ESRCH.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "cred.h"
#include "fdkinds.h"
#include "fdtable.h"
#include "gmem.h"
#include "pidfd.h"
#include "sigsend.h"
#include "handlers.h"
#include "vfs.h"

#define PIDFD_NONBLOCK O_NONBLOCK
#define PIDFD_THREAD O_EXCL
#define PIDFD_SIGNAL_THREAD 1u
#define PIDFD_SIGNAL_THREAD_GROUP 2u
#define PIDFD_SIGNAL_PROCESS_GROUP 4u
#define PIDFD_SIGNAL_FLAGS 7u
#define PIDFD_SELF_THREAD -10000       /* the calling thread, without an fd (Linux 6.15) */
#define PIDFD_SELF_THREAD_GROUP -10001 /* the calling process */

long sys_pidfd_open(struct task *t, const struct sysargs *a)
{
	int pid = (int)a->a[0];
	unsigned int flags = (unsigned int)a->a[1];
	if (flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD))
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	struct task *thread = task_by_tid(t->k, pid);
	struct tgroup *tg = tg_by_pid(t->k, pid);
	if ((flags & PIDFD_THREAD) && thread)
		return pidfd_install(t, thread->tg, thread, (int)flags);
	if (!tg) /* a thread that leads no process: Linux 6.18 says ENOENT */
		return thread ? -ENOENT : -ESRCH;
	/* A leader's thread pidfd (it may have exited) behaves as its process's. */
	return pidfd_install(t, tg, NULL, (int)flags);
}

/* Who a pidfd_send_signal reaches: Linux's pid type, and the pid it names. */
enum pidfd_scope { SCOPE_THREAD, SCOPE_PROCESS, SCOPE_PGRP };

struct pidfd_target {
	enum pidfd_scope scope;
	int pid;	   /* the pid the fd names (a tid for SCOPE_THREAD) */
	struct tgroup *tg; /* its process, or NULL once reaped */
};

/* The target of pidfd (or of PIDFD_SELF_*): 0, -EBADF. */
static int resolve(struct task *t, int pidfd, struct pidfd_target *pt)
{
	struct vfs_file *f;
	if (pidfd == PIDFD_SELF_THREAD || pidfd == PIDFD_SELF_THREAD_GROUP) {
		bool thread = pidfd == PIDFD_SELF_THREAD;
		*pt = (struct pidfd_target){thread ? SCOPE_THREAD : SCOPE_PROCESS,
					    thread ? t->tid : t->tg->pid, t->tg};
		return 0;
	}
	int r = fdt_fget(t, pidfd, false, &f);
	if (r < 0)
		return r;
	r = vfs_pidfd_target(f, &pt->tg);
	if (r < 0)
		return r;
	pt->pid = r;
	pt->scope = vfs_pidfd_thread(f) ? SCOPE_THREAD : SCOPE_PROCESS;
	return 0;
}

/* The siginfo of the call: the caller's (checked as Linux does), or kill's. */
static int make_info(struct task *t, const struct pidfd_target *pt, int sig, unsigned long uinfo,
		     siginfo_t *si)
{
	if (!uinfo) {
		sig_info_from(si, sig, pt->scope == SCOPE_THREAD ? SI_TKILL : SI_USER, t);
		return 0;
	}
	if (gmem_read(t, si, uinfo, sizeof(*si)))
		return -EFAULT;
	if (si->si_signo != sig)
		return -EINVAL;
	/* Only to yourself may a task send an arbitrary siginfo. */
	bool self = pt->pid == t->tid && pt->scope != SCOPE_PGRP;
	if (!self && (si->si_code >= 0 || si->si_code == SI_TKILL))
		return -EPERM;
	return 0;
}


/* The process group whose id is pid (kill_pgrp_info): 0 once one was sent, else the last error. */
static long send_pgrp(struct task *t, int pgid, const siginfo_t *si)
{
	long ret = -ESRCH;
	bool sent = false;
	for (struct tgroup *tg = t->k->procs; tg; tg = tg->next) {
		if (tg->pgid != pgid || tg->zombie || tg->reaper)
			continue;
		ret = sig_kill(t, tg, NULL, si);
		sent |= ret == 0;
	}
	return sent ? 0 : ret;
}

static long deliver(struct task *t, const struct pidfd_target *pt, const siginfo_t *si)
{
	if (pt->scope == SCOPE_PGRP)
		return send_pgrp(t, pt->pid, si);
	if (!pt->tg)
		return -ESRCH;
	if (pt->scope == SCOPE_PROCESS)
		return sig_kill(t, pt->tg, NULL, si);
	struct task *r = task_by_tid(t->k, pt->pid);
	if (!r || r->tg != pt->tg)
		return pt->tg->zombie ? sig_kill(t, pt->tg, NULL, si) : -ESRCH;
	return sig_kill(t, r->tg, r, si);
}

long sys_pidfd_send_signal(struct task *t, const struct sysargs *a)
{
	int sig = (int)a->a[1];
	unsigned int flags = (unsigned int)a->a[3];
	struct pidfd_target pt;
	siginfo_t si;
	if ((flags & ~PIDFD_SIGNAL_FLAGS) || __builtin_popcount(flags) > 1)
		return -EINVAL;
	int r = resolve(t, (int)a->a[0], &pt);
	if (r < 0)
		return r;
	if (flags == PIDFD_SIGNAL_THREAD)
		pt.scope = SCOPE_THREAD;
	else if (flags == PIDFD_SIGNAL_THREAD_GROUP)
		pt.scope = SCOPE_PROCESS;
	else if (flags == PIDFD_SIGNAL_PROCESS_GROUP)
		pt.scope = SCOPE_PGRP;
	r = make_info(t, &pt, sig, a->a[2], &si);
	if (r < 0)
		return r;
	si.si_signo = sig; /* kill's siginfo for an invalid sig: deliver() refuses it */
	return deliver(t, &pt, &si);
}

/* PTRACE_MODE_ATTACH_REALCREDS: CAP_SYS_PTRACE, or the same uids and gids. */
static bool may_attach(const struct task *t, const struct tgroup *tg)
{
	if (cred_capable(t, CAP_SYS_PTRACE) || tg == t->tg)
		return true;
	return cred_same_ids(t, tg) && !tg->undumpable;
}

long sys_pidfd_getfd(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct tgroup *tg;
	if (a->a[2])
		return -EINVAL;
	int r = fdt_fget(t, (int)a->a[0], false, &f);
	if (r < 0)
		return r;
	r = vfs_pidfd_target(f, &tg);
	if (r < 0)
		return r;
	if (!tg || tg->zombie || !tg->fdt)
		return -ESRCH;
	if (!may_attach(t, tg))
		return -EPERM;
	struct vfs_file *tf = fdt_get(tg->fdt, (int)a->a[1]);
	if (!tf)
		return -EBADF;
	vfs_file_get(tf);
	r = fdt_install(t->tg->fdt, tf, 0, fdt_nofile(t), true);
	if (r < 0)
		vfs_file_put(tf);
	return r;
}
