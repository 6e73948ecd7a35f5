/*
 * The siginfo uos meant for each signal it queued (see siginfo.h).  Signals
 * 1..31 do not queue in Linux: a second one while one is pending is lost, so
 * the latest siginfo kept stands for the one pending (a stale one, left by a
 * signal the host discarded, is overwritten by the next), and it stays once
 * taken: a second one sent while the first was on its way to its delivery
 * stop (dequeued by the host, not yet seen by uos) is a second instance
 * with the same siginfo, and was found with none.  Real-time signals
 * queue: their siginfos are kept in the order sent and taken per signal.
 * Real-time entries of every store count against MEMCG_SIGQUEUE (uos's
 * RLIMIT_SIGPENDING at start, as Linux counts a user's queued signals),
 * and a store keeps RT_INFO_MAX at most.
 */
#include "siginfo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"

#define SIGRTMIN_KERNEL 32 /* the kernel's first real-time signal (glibc reserves two) */
#define RT_INFO_MAX 4096   /* kept per store; beyond it the oldest goes */

struct sig_intent {
	siginfo_t si;
	struct sig_intent *next;
};

void sig_info_from(siginfo_t *si, int sig, int code, const struct task *from)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = from->tg->pid;
	si->si_uid = from->tg->cred.uid;
}

static void intent_free(struct sig_infos *s, struct sig_intent *n)
{
	free(n);
	s->rt_count--;
	memcg_give(&s->k->memcg, MEMCG_SIGQUEUE, 1);
}

int sig_infos_keep(struct sig_infos *s, const struct task *any, const siginfo_t *si)
{
	int sig = si->si_signo;
	if (sig < SIGRTMIN_KERNEL) {
		s->std[sig] = *si;
		return 0;
	}
	if (any->tg->sig.action[sig - 1].handler == (unsigned long)SIG_IGN)
		return 0; /* the host drops it too */
	s->k = any->k;
	if (memcg_take(&s->k->memcg, MEMCG_SIGQUEUE))
		return -EAGAIN;
	struct sig_intent *n = malloc(sizeof(*n)), **p = &s->rt;
	if (!n) {
		memcg_give(&s->k->memcg, MEMCG_SIGQUEUE, 1);
		return 0;
	}
	*n = (struct sig_intent){*si, NULL};
	while (*p)
		p = &(*p)->next;
	*p = n;
	s->rt_count++;
	if (s->rt_count > RT_INFO_MAX) {
		struct sig_intent *old = s->rt;
		s->rt = old->next;
		intent_free(s, old);
	}
	return 1;
}

void sig_infos_unkeep(struct sig_infos *s)
{
	struct sig_intent **p = &s->rt;
	if (!*p)
		return;
	while ((*p)->next)
		p = &(*p)->next;
	intent_free(s, *p);
	*p = NULL;
}

/* Take the siginfo s keeps for sig into *si; false when there is none. */
static bool take(struct sig_infos *s, int sig, siginfo_t *si)
{
	if (sig < SIGRTMIN_KERNEL) {
		if (!s->std[sig].si_signo)
			return false;
		*si = s->std[sig]; /* it stays: see the top */
		return true;
	}
	for (struct sig_intent **p = &s->rt; *p; p = &(*p)->next) {
		struct sig_intent *n = *p;
		if (n->si.si_signo != sig)
			continue;
		*si = n->si;
		*p = n->next;
		intent_free(s, n);
		return true;
	}
	return false;
}

/* The store of a signal uos queued: tkill's in the task, kill's in the process; else NULL. */
static struct sig_infos *store_of(struct task *t, const siginfo_t *si)
{
	if (si->si_pid != t->k->self_pid)
		return NULL;
	if (si->si_code == SI_TKILL)
		return &t->infos;
	return si->si_code == SI_USER ? &t->tg->infos : NULL;
}

bool sig_fix_info(struct task *t, siginfo_t *si)
{
	bool from_task = si->si_code == SI_USER || si->si_code == SI_QUEUE || si->si_code == SI_TKILL;
	if (!from_task || !si->si_pid)
		return false; /* the kernel's own (a fault, a timer): right as it is */
	int sig = si->si_signo;
	struct sig_infos *s = store_of(t, si);
	if (s && take(s, sig, si))
		return true;
	struct task *o = task_by_hpid(t->k, si->si_pid);
	if (o && o->tg->host_tgid == si->si_pid) {
		si->si_pid = o->tg->pid;
		return true;
	}
	if (si->si_pid == t->k->self_pid) { /* uos's own, meant as the kernel's */
		memset(si, 0, sizeof(*si));
		si->si_signo = sig;
		si->si_code = SI_KERNEL;
		return true;
	}
	si->si_pid = 0;
	return true;
}

void sig_hold_info(struct task *t, const siginfo_t *si)
{
	if (si->si_code == SI_TKILL && si->si_pid == t->k->self_pid)
		return; /* uos's tkill: what it meant stays kept for the tkill that queues it again */
	siginfo_t copy = *si;
	sig_fix_info(t, &copy);
	sig_infos_keep(&t->infos, t, &copy);
}

void sig_infos_free(struct sig_infos *s)
{
	while (s->rt) {
		struct sig_intent *n = s->rt;
		s->rt = n->next;
		intent_free(s, n);
	}
}
