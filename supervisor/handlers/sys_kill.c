/*
 * Signals to processes and threads: kill, tkill, tgkill, rt_sigqueueinfo,
 * rt_tgsigqueueinfo.  Signals are not delivered here: these calls find
 * their targets and check the call as Linux does (kernel/signal.c), and
 * hand the signal, with the siginfo Linux would give it, to sigsend.c's
 * sig_kill.  Each call is compared against a native run by
 * tests/conformance/proc/diff_ids.c.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>

#include "cred.h"
#include "gmem.h"
#include "sigsend.h"
#include "handlers.h"
#include "task.h"

/* sig_kill of sig from t with si_code code (kill's SI_USER, tkill's SI_TKILL). */
static long send_one(struct task *t, struct tgroup *tg, struct task *r, int sig, int code)
{
	siginfo_t si;
	sig_info_from(&si, sig, code, t);
	return sig_kill(t, tg, r, &si);
}

/*
 * kill(-1, sig): every process but init and the caller's own.  As
 * kill_something_info(): ESRCH when there is none, else the last error
 * other than EPERM (0 when all were sent).
 */
static long kill_all(struct task *t, int sig)
{
	long ret = 0;
	int count = 0;
	for (struct task *p = t->k->tasks; p; p = p->next) {
		if (p->tid != p->tg->pid || p->tg->pid <= 1 || p->tg == t->tg)
			continue;
		long r = send_one(t, p->tg, NULL, sig, SI_USER);
		count++;
		if (r != -EPERM)
			ret = r;
	}
	return count ? ret : -ESRCH;
}

/* kill(0 or -pgid, sig): as __kill_pgrp_info(), 0 when one was sent, else the last error. */
static long kill_pgrp(struct task *t, int pgid, int sig)
{
	long ret = -ESRCH;
	bool sent = false;
	for (struct task *p = t->k->tasks; p; p = p->next) {
		if (p->tid != p->tg->pid || p->tg->pgid != pgid)
			continue;
		ret = send_one(t, p->tg, NULL, sig, SI_USER);
		sent |= ret == 0;
	}
	return sent ? 0 : ret;
}

long sys_kill(struct task *t, const struct sysargs *a)
{
	int pid = (int)a->a[0];
	int sig = (int)a->a[1];
	if (pid > 0) {
		struct task *p = task_by_tid(t->k, pid);
		struct tgroup *z = p ? NULL : tg_by_pid(t->k, pid);
		if (z && z->zombie) /* a zombie still exists: the signal is accepted, and lost */
			return sig < 0 || sig > 64 ? -EINVAL : cred_may_signal(t, z) ? 0 : -EPERM;
		return p ? send_one(t, p->tg, NULL, sig, SI_USER) : -ESRCH;
	}
	if (pid == INT_MIN)
		return -ESRCH;
	if (pid == -1)
		return kill_all(t, sig);
	return kill_pgrp(t, pid ? -pid : t->tg->pgid, sig);
}

long sys_tkill(struct task *t, const struct sysargs *a)
{
	int tid = (int)a->a[0];
	if (tid <= 0)
		return -EINVAL;
	struct task *p = task_by_tid(t->k, tid);
	return p ? send_one(t, p->tg, p, (int)a->a[1], SI_TKILL) : -ESRCH;
}

long sys_tgkill(struct task *t, const struct sysargs *a)
{
	int tgid = (int)a->a[0], tid = (int)a->a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct task *p = task_by_tid(t->k, tid);
	if (!p || p->tg->pid != tgid)
		return -ESRCH;
	return send_one(t, p->tg, p, (int)a->a[2], SI_TKILL);
}

/*
 * rt_sigqueueinfo / rt_tgsigqueueinfo: a signal with the caller's siginfo,
 * to the process tg or the thread r.  Linux lets a task give a kernel
 * si_code (>= 0) or SI_TKILL only to its own id (its tid).
 */
static long queue_info(struct task *t, struct tgroup *tg, struct task *r, int id, int sig,
		       unsigned long uinfo)
{
	siginfo_t si;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (gmem_read(t, &si, uinfo, sizeof(si)))
		return -EFAULT;
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) && t->tid != id)
		return -EPERM;
	si.si_signo = sig;
	return sig_kill(t, tg, r, &si);
}

long sys_rt_sigqueueinfo(struct task *t, const struct sysargs *a)
{
	int pid = (int)a->a[0];
	struct tgroup *tg = tg_by_pid(t->k, pid);
	if (!tg || tg->zombie)
		return -ESRCH;
	return queue_info(t, tg, NULL, pid, (int)a->a[1], a->a[2]);
}

long sys_rt_tgsigqueueinfo(struct task *t, const struct sysargs *a)
{
	int tgid = (int)a->a[0], tid = (int)a->a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct task *r = task_by_tid(t->k, tid);
	if (!r || r->tg->pid != tgid)
		return -ESRCH;
	return queue_info(t, r->tg, r, tid, (int)a->a[2], a->a[3]);
}
