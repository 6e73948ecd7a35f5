/*
 * Scheduling books: nice values (getpriority/setpriority), policies and
 * priorities (sched_*), CPU affinity.  uos keeps them per task; in serial
 * mode the nice value weighs the task's CPU share as CFS does (scheduler.c);
 * in host mode the nice value is also set on the host task.  Real-time
 * policies are kept in the books only: uos never gives a guest a real-time
 * class on the host.
 */
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cred.h"
#include "gmem.h"
#include "handlers.h"

/* Whether t may change p's scheduling (Linux's set_one_prio_perm). */
static bool may_change(const struct task *t, const struct task *p)
{
	const struct creds *c = &t->tg->cred, *o = &p->tg->cred;
	return cred_capable(t, CAP_SYS_NICE) || c->euid == o->uid || c->euid == o->euid;
}

static bool prio_matches(const struct task *t, const struct task *p, int which, int who)
{
	switch (which) {
	case PRIO_PROCESS:
		return who ? p->tid == who : p == t;
	case PRIO_PGRP:
		return p->tg->pgid == (who ? who : t->tg->pgid);
	case PRIO_USER:
		return p->tg->cred.uid == (who ? (uid_t)who : t->tg->cred.uid);
	default:
		return false;
	}
}

long sys_getpriority(struct task *t, const struct sysargs *a)
{
	int which = (int)a->a[0], who = (int)a->a[1], best = -1;
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	for (struct task *p = t->k->tasks; p; p = p->next)
		if (prio_matches(t, p, which, who) && 20 - p->nice > best)
			best = 20 - p->nice; /* the syscall returns 20 - nice: never negative */
	return best < 0 ? -ESRCH : best;
}

static int set_nice(struct task *t, struct task *p, int nice)
{
	if (!may_change(t, p))
		return -EPERM;
	if (nice < p->nice && !cred_capable(t, CAP_SYS_NICE))
		return -EACCES;
	p->nice = nice;
	if (!t->k->sched.serial)
		setpriority(PRIO_PROCESS, (id_t)p->hpid, nice); /* host mode: the host schedules */
	return 0;
}

long sys_setpriority(struct task *t, const struct sysargs *a)
{
	int which = (int)a->a[0], who = (int)a->a[1], nice = (int)a->a[2];
	int err = -ESRCH;
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	for (struct task *p = t->k->tasks; p; p = p->next) {
		if (!prio_matches(t, p, which, who))
			continue;
		int r = set_nice(t, p, nice);
		if (err == -ESRCH || r < 0)
			err = r;
	}
	return err;
}

/* The task a sched_* call names: 0 is the caller. */
static struct task *sched_target(struct task *t, int pid)
{
	return pid ? task_by_tid(t->k, pid) : t;
}

static int priority_max(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR ? 99 : 0;
}

static bool policy_valid(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ||
	       policy == SCHED_FIFO || policy == SCHED_RR;
}

static long set_sched(struct task *t, int pid, int policy, unsigned long uparam)
{
	struct sched_param sp;
	if (pid < 0 || !uparam)
		return -EINVAL;
	if (gmem_read(t, &sp, uparam, sizeof(sp)))
		return -EFAULT;
	struct task *p = sched_target(t, pid);
	if (!p)
		return -ESRCH;
	if (policy < 0)
		policy = p->policy;
	if (!policy_valid(policy & ~SCHED_RESET_ON_FORK))
		return -EINVAL;
	policy &= ~SCHED_RESET_ON_FORK;
	int maxp = priority_max(policy);
	if (sp.sched_priority < (maxp ? 1 : 0) || sp.sched_priority > maxp)
		return -EINVAL;
	if (!may_change(t, p) || (maxp && !cred_capable(t, CAP_SYS_NICE)))
		return -EPERM;
	p->policy = policy;
	p->rt_priority = sp.sched_priority;
	return 0;
}

long sys_sched_setscheduler(struct task *t, const struct sysargs *a)
{
	if ((int)a->a[1] < 0)
		return -EINVAL;
	return set_sched(t, (int)a->a[0], (int)a->a[1], a->a[2]);
}

long sys_sched_setparam(struct task *t, const struct sysargs *a)
{
	return set_sched(t, (int)a->a[0], -1, a->a[1]);
}

long sys_sched_getscheduler(struct task *t, const struct sysargs *a)
{
	if ((int)a->a[0] < 0)
		return -EINVAL;
	struct task *p = sched_target(t, (int)a->a[0]);
	return p ? p->policy : -ESRCH;
}

long sys_sched_getparam(struct task *t, const struct sysargs *a)
{
	if ((int)a->a[0] < 0 || !a->a[1])
		return -EINVAL;
	struct task *p = sched_target(t, (int)a->a[0]);
	if (!p)
		return -ESRCH;
	struct sched_param sp = {.sched_priority = p->rt_priority};
	return gmem_write(t, a->a[1], &sp, sizeof(sp)) ? -EFAULT : 0;
}

long sys_sched_get_priority_max(struct task *t, const struct sysargs *a)
{
	return policy_valid((int)a->a[0]) ? priority_max((int)a->a[0]) : -EINVAL;
}

long sys_sched_get_priority_min(struct task *t, const struct sysargs *a)
{
	return policy_valid((int)a->a[0]) ? (priority_max((int)a->a[0]) ? 1 : 0) : -EINVAL;
}

long sys_sched_rr_get_interval(struct task *t, const struct sysargs *a)
{
	if ((int)a->a[0] < 0)
		return -EINVAL;
	struct task *p = sched_target(t, (int)a->a[0]);
	if (!p)
		return -ESRCH;
	/* SCHED_RR's default quantum; 0 for the other policies, as Linux reports for FIFO. */
	struct timespec ts = {0, p->policy == SCHED_RR ? 100000000L : 0};
	return gmem_write(t, a->a[1], &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_sched_setaffinity(struct task *t, const struct sysargs *a)
{
	unsigned char mask[128] = {0};
	size_t len = a->a[1] < sizeof(mask) ? a->a[1] : sizeof(mask);
	struct task *p = sched_target(t, (int)a->a[0]);
	if ((int)a->a[0] < 0)
		return -ESRCH;
	if (gmem_read(t, mask, a->a[2], len))
		return -EFAULT;
	if (!p)
		return -ESRCH;
	if (!may_change(t, p))
		return -EPERM;
	cpu_set_t host;
	CPU_ZERO(&host);
	sched_getaffinity(0, sizeof(host), &host);
	for (size_t cpu = 0; cpu < len * 8 && cpu < CPU_SETSIZE; cpu++)
		if ((mask[cpu / 8] >> (cpu % 8) & 1) && CPU_ISSET(cpu, &host))
			return 0; /* books only: uos does not pin guest tasks */
	return -EINVAL; /* no usable CPU in the mask */
}

long sys_sched_getaffinity(struct task *t, const struct sysargs *a)
{
	unsigned char mask[1024];
	unsigned long len = a->a[1];
	if (len & (sizeof(long) - 1))
		return -EINVAL;
	/*
	 * Every guest task runs on the CPUs uos may use.  The host checks len
	 * against its CPU count and sizes the answer; then the pid is looked
	 * up, in Linux's order.
	 */
	long n = syscall(SYS_sched_getaffinity, 0, len < sizeof(mask) ? len : sizeof(mask), mask);
	if (n < 0)
		return -errno;
	if (!tg_by_tid(t, (int)a->a[0]))
		return -ESRCH;
	int err = gmem_write(t, a->a[2], mask, n);
	return err ? err : n;
}
