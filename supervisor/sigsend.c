/*
 * Sending signals (see sigsend.h).  Whether a signal interrupts a parked
 * call follows Linux: not when it is blocked or ignored (explicitly, or by
 * default like SIGCHLD); with a handler, the call restarts when the handler
 * has SA_RESTART and ends with EINTR otherwise; a fatal signal ends it too.
 * The host's own view (/proc/PID/status) is the truth about masks and
 * dispositions, since the host runs sigprocmask and sigreturn.
 */
#include "sigsend.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gmem.h"
#include "scheduler.h"
#include "task.h"
#include "trap.h"

#define SIGRTMIN_KERNEL 32 /* the kernel's first real-time signal (glibc reserves two) */

struct host_sigs {
	uint64_t pending, blocked, ignored, caught;
};

static int read_host_sigs(const struct task *t, struct host_sigs *s)
{
	char path[64], line[128];
	uint64_t shared = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", t->hpid);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return -1;
	memset(s, 0, sizeof(*s));
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long v;
		if (sscanf(line, "SigPnd: %llx", &v) == 1)
			s->pending |= v;
		else if (sscanf(line, "ShdPnd: %llx", &v) == 1)
			shared = v;
		else if (sscanf(line, "SigBlk: %llx", &v) == 1)
			s->blocked = v;
		else if (sscanf(line, "SigIgn: %llx", &v) == 1)
			s->ignored = v;
		else if (sscanf(line, "SigCgt: %llx", &v) == 1)
			s->caught = v;
	}
	s->pending |= shared;
	fclose(fp);
	return 0;
}

static bool default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* Calls Linux ends with EINTR even under SA_RESTART (signal(7)). */
static bool restartable(const struct task *t)
{
	switch (t->cur.nr) {
	case SYS_poll:
	case SYS_ppoll:
	case SYS_select:
	case SYS_pselect6:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
		return false;
	default:
		return true;
	}
}

/* Interrupt t's parked call for sig if Linux would; sets t->interrupt. */
static void maybe_interrupt(struct task *t, int sig, const struct host_sigs *s)
{
	uint64_t bit = 1ULL << (sig - 1);
	uint64_t blocked = t->has_call_mask ? t->call_mask : s->blocked;
	if (!t->parked || (blocked & bit) || (s->ignored & bit))
		return;
	bool caught = s->caught & bit;
	if (!caught && default_ignored(sig))
		return;
	bool restart = caught && (t->tg->sig.action[sig - 1].flags & SA_RESTART) && restartable(t);
	if (t->interrupt != TASK_INTR_EINTR)
		t->interrupt = restart ? TASK_INTR_RESTART : TASK_INTR_EINTR;
	sched_make_runnable(t);
}

/* SIGCONT continues every thread of a stopped process, whatever its mask or action. */
static void continue_process(struct kernel *k, struct tgroup *tg)
{
	for (struct task *o = k->tasks; o; o = o->next)
		if (o->tg == tg)
			trap_continue(o);
	if (!tg->stopped)
		return;
	tg->stopped = false;
	tg->stop_report = 0;
	tg->cont_report = true;
	task_notify_jobctl(k, tg);
}

/* ---- the siginfo uos meant */

#define RT_INFO_MAX 4096 /* kept per task; beyond it the oldest goes */

struct sig_intent {
	siginfo_t si;
	struct sig_intent *next;
};

/* Remember si for t.  Signals 1..31 do not queue: the latest siginfo stands. */
static void keep_info(struct task *t, const siginfo_t *si)
{
	int sig = si->si_signo;
	if (sig < SIGRTMIN_KERNEL) {
		t->std_info[sig] = *si;
		return;
	}
	if (t->tg->sig.action[sig - 1].handler == (unsigned long)SIG_IGN)
		return; /* the host drops it too */
	struct sig_intent *n = malloc(sizeof(*n)), **p = &t->rt_info;
	if (!n)
		return;
	*n = (struct sig_intent){*si, NULL};
	while (*p)
		p = &(*p)->next;
	*p = n;
	if (++t->rt_count > RT_INFO_MAX) {
		struct sig_intent *old = t->rt_info;
		t->rt_info = old->next;
		t->rt_count--;
		free(old);
	}
}

/* Take the siginfo kept for sig into *si; false when there is none. */
static bool take_info(struct task *t, int sig, siginfo_t *si)
{
	if (sig < SIGRTMIN_KERNEL) {
		if (!t->std_info[sig].si_signo)
			return false;
		*si = t->std_info[sig];
		t->std_info[sig].si_signo = 0;
		return true;
	}
	for (struct sig_intent **p = &t->rt_info; *p; p = &(*p)->next) {
		struct sig_intent *n = *p;
		if (n->si.si_signo != sig)
			continue;
		*si = n->si;
		*p = n->next;
		t->rt_count--;
		free(n);
		return true;
	}
	return false;
}

void sig_info_from(siginfo_t *si, int sig, int code, const struct task *from)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = from->tg->pid;
	si->si_uid = from->tg->cred.uid;
}

bool sig_fix_info(struct task *t, siginfo_t *si)
{
	bool from_task = si->si_code == SI_USER || si->si_code == SI_QUEUE || si->si_code == SI_TKILL;
	if (!from_task || !si->si_pid)
		return false; /* the kernel's own (a fault, a timer): right as it is */
	int sig = si->si_signo;
	if (si->si_pid == t->k->self_pid && si->si_code == SI_TKILL && take_info(t, sig, si))
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
	siginfo_t copy = *si;
	if (si->si_pid == t->k->self_pid && si->si_code == SI_TKILL)
		return; /* uos's: its siginfo is still kept */
	sig_fix_info(t, &copy);
	keep_info(t, &copy);
}

void sig_forget(struct task *t)
{
	while (t->rt_info) {
		struct sig_intent *n = t->rt_info;
		t->rt_info = n->next;
		free(n);
	}
	t->rt_count = 0;
}

/* ---- the mask a call waits with */

int sig_call_mask(struct task *t, unsigned long umask, size_t size)
{
	if (!umask)
		return 0;
	if (size != sizeof(uint64_t))
		return -EINVAL;
	if (gmem_read(t, &t->call_mask, umask, sizeof(uint64_t)))
		return -EFAULT;
	t->call_mask &= ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
	t->has_call_mask = true;
	return 0;
}

/* ---- sending */

void sig_send_info(struct task *t, const siginfo_t *si)
{
	struct host_sigs s;
	int sig = si->si_signo;
	if (sig < 1 || sig > 64)
		return;
	if (sig == SIGCONT)
		continue_process(t->k, t->tg);
	keep_info(t, si);
	syscall(SYS_tkill, t->hpid, sig);
	if (t->parked && read_host_sigs(t, &s) == 0)
		maybe_interrupt(t, sig, &s);
}

void sig_send(struct task *t, int sig)
{
	siginfo_t si = {.si_signo = sig, .si_code = SI_KERNEL};
	sig_send_info(t, &si);
}

void sig_send_sigpipe(struct task *t)
{
	siginfo_t si;
	sig_info_from(&si, SIGPIPE, SI_USER, t);
	sig_send_info(t, &si);
}

void sig_send_process_info(struct kernel *k, struct tgroup *tg, const siginfo_t *si)
{
	struct task *t = tg->zombie ? NULL : tg_task(tg, k);
	if (t)
		sig_send_info(t, si);
}

void sig_send_process(struct kernel *k, struct tgroup *tg, int sig)
{
	siginfo_t si = {.si_signo = sig, .si_code = SI_KERNEL};
	sig_send_process_info(k, tg, &si);
}

void sig_check_pending(struct task *t)
{
	struct host_sigs s;
	if (!t->parked || read_host_sigs(t, &s) < 0)
		return;
	for (int sig = 1; sig <= 64; sig++)
		if (s.pending & (1ULL << (sig - 1)))
			maybe_interrupt(t, sig, &s);
}
