/*
 * Sending signals (see sigsend.h).  Whether a signal interrupts a parked
 * call follows Linux: not when it is blocked or ignored (explicitly, or by
 * default like SIGCHLD); with a handler, the call restarts when the handler
 * has SA_RESTART and ends with EINTR otherwise; a fatal signal ends it too.
 * The host's own view (/proc/PID/status) is the truth about masks and
 * dispositions, since the host runs sigprocmask and sigreturn; where uos
 * holds the task at a stop, the mask is read with ptrace and the
 * dispositions are uos's books where they are the host's (host_sigs_for).
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

#include "cred.h"
#include "gmem.h"
#include "scheduler.h"
#include "siginfo.h"
#include "task.h"
#include "guest.h"

struct host_sigs {
	uint64_t pending, blocked, ignored, caught;
};

/* The hex mask of status's line "key:" (0 when it has none). */
static uint64_t status_mask(const char *status, const char *key)
{
	const char *line = strstr(status, key);
	return line ? strtoull(line + strlen(key), NULL, 16) : 0;
}

static int read_host_sigs(const struct task *t, struct host_sigs *s)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", t->hpid);
	char *st = uos_proc_read(path, true);
	if (!st)
		return -1;
	s->pending = status_mask(st, "\nSigPnd:") | status_mask(st, "\nShdPnd:");
	s->blocked = status_mask(st, "\nSigBlk:");
	s->ignored = status_mask(st, "\nSigIgn:");
	s->caught = status_mask(st, "\nSigCgt:");
	free(st);
	return 0;
}

/*
 * t's mask as far as sig needs it, from the host: of the first 31 signals
 * from /proc/PID/stat (its field 32 holds their bits), which the host makes
 * in about half the time of status, whose memory figures walk the address
 * space; of the others from status.
 */
static int read_host_blocked(const struct task *t, int sig, uint64_t *blocked)
{
	char path[64];
	struct host_sigs s;
	if (sig >= 32) {
		int r = read_host_sigs(t, &s);
		*blocked = s.blocked;
		return r;
	}
	const char *f[33];
	char *buf;
	snprintf(path, sizeof(path), "/proc/%d/stat", t->hpid);
	bool ok = uos_proc_stat(path, &buf, f, 33) == 32;
	if (ok)
		*blocked = strtoull(f[32], NULL, 10);
	free(buf);
	return ok ? 0 : -1;
}

/*
 * What read_host_sigs says of sig at t (its bit of blocked, ignored and
 * caught; nothing pending), with less than the whole status file where it
 * can (10 us, as the kernel makes it): t's mask by guest_sigmask where uos
 * holds t at a stop (a parent parked in wait4 as its child dies), else
 * read_host_blocked's, and sig's action from uos's books, unless the action
 * resets itself (SA_RESETHAND: the host resets it at delivery, which uos
 * does not book) or another process shares it (CLONE_SIGHAND).
 */
static int host_sigs_for(const struct task *t, int sig, struct host_sigs *s)
{
	const struct k_sigaction_books *a = &t->tg->sig.action[sig - 1];
	uint64_t bit = 1ULL << (sig - 1);

	if ((a->flags & SA_RESETHAND) || t->tg->sig.shared)
		return read_host_sigs(t, s);
	if (guest_sigmask(t, &s->blocked) && read_host_blocked(t, sig, &s->blocked))
		return -1;
	s->pending = 0;
	s->ignored = a->handler == (unsigned long)SIG_IGN ? bit : 0;
	s->caught = a->handler != (unsigned long)SIG_IGN && a->handler != (unsigned long)SIG_DFL ? bit : 0;
	return 0;
}

uint64_t sig_host_pending(const struct task *t)
{
	struct host_sigs s;
	return read_host_sigs(t, &s) == 0 ? s.pending : 0;
}

int sig_free_to_send(const struct task *t)
{
	static const int seldom[] = {SIGSTKFLT, SIGPWR, SIGURG, SIGWINCH};
	struct host_sigs s;
	if (read_host_sigs(t, &s) < 0)
		return 0;
	uint64_t taken = s.blocked | s.pending;
	for (int sig = 64; sig >= 34; sig--)
		if (!(taken & (1ULL << (sig - 1))))
			return sig;
	for (size_t i = 0; i < ARRAY_SIZE(seldom); i++)
		if (!(taken & (1ULL << (seldom[i] - 1))))
			return seldom[i];
	/* Unblockable; its sending would discard a pending SIGCONT (Linux's prepare_signal). */
	return s.pending & (1ULL << (SIGCONT - 1)) ? 0 : SIGSTOP;
}

/* The mask sig meets at t: a parked call's own (ppoll, pselect, epoll_pwait), else t's. */
static uint64_t blocked_now(const struct task *t, const struct host_sigs *s)
{
	return task_parked(t) && t->has_call_mask ? t->call_mask : s->blocked;
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

/* Does the host's view s say sig's action ignores it (SIG_IGN, or SIG_DFL of one ignored by default)? */
static bool host_ignores(const struct host_sigs *s, int sig)
{
	uint64_t bit = 1ULL << (sig - 1);
	return (s->ignored & bit) || (!(s->caught & bit) && default_ignored(sig));
}

/*
 * A parked call's own mask lets through sig, which its action ignores and
 * t's mask blocks (so it waits on the host).  Linux drops it when the call
 * would wait: ppoll and pselect6 then wait on (-ERESTARTNOHAND, nothing to
 * run), epoll_pwait ends with EINTR.
 */
static void let_through_ignored(struct task *t, int sig, const struct host_sigs *s)
{
	if (!t->has_call_mask || !(s->blocked & (1ULL << (sig - 1))) || t->interrupt != TASK_INTR_NONE)
		return;
	bool epoll = t->cur.nr == SYS_epoll_pwait || t->cur.nr == SYS_epoll_pwait2;
	t->interrupt = epoll ? TASK_INTR_EINTR : TASK_INTR_RERUN;
	sched_make_runnable(t);
}

/* Interrupt t's parked call for sig if Linux would; sets t->interrupt. */
static void maybe_interrupt(struct task *t, int sig, const struct host_sigs *s)
{
	uint64_t bit = 1ULL << (sig - 1);
	if (!task_parked(t) || t->park_nointr || (blocked_now(t, s) & bit))
		return;
	if (host_ignores(s, sig)) {
		let_through_ignored(t, sig, s);
		return;
	}
	bool caught = s->caught & bit;
	/*
	 * A stop by the default action: the call runs again once continued
	 * (-ERESTARTSYS with no handler); a timed one ends (it would start its time anew).
	 */
	bool stop = !caught && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU || sig == SIGSTOP);
	bool restart = restartable(t) && (stop || (caught && (t->tg->sig.action[sig - 1].flags & SA_RESTART)));
	if (t->interrupt != TASK_INTR_EINTR)
		t->interrupt = restart ? TASK_INTR_RESTART : TASK_INTR_EINTR; /* over a RERUN too */
	sched_make_runnable(t);
}

/* SIGCONT continues every thread of a stopped process, whatever its mask or action. */
static void continue_process(struct kernel *k, struct tgroup *tg)
{
	for (struct task *o = k->tasks; o; o = o->next)
		if (o->tg == tg)
			guest_continue(o);
	if (!tg->stopped)
		return;
	tg->stopped = false;
	tg->stop_report = 0;
	tg->cont_report = true;
	task_notify_jobctl(k, tg);
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

/* A real-time signal that may not lose its siginfo: refused when the queue is full. */
static bool must_queue(const siginfo_t *si)
{
	return si->si_signo >= 32 && si->si_code != SI_USER;
}

bool sig_action_ignores(const struct tgroup *tg, int sig)
{
	unsigned long h = tg->sig.action[sig - 1].handler;
	return h == (unsigned long)SIG_IGN || (h == (unsigned long)SIG_DFL && default_ignored(sig));
}

/*
 * Whether uos's books say t's process ignores sig, so that it may be
 * discarded.  Not SIGCONT, whose sending continues the process whatever
 * its action, and not while t may be in rt_sigtimedwait, which the host
 * runs: meanwhile the host's mask lacks the signals waited for (they are
 * in real_blocked, which Linux also counts and /proc does not show).
 */
static bool books_ignore(const struct task *t, int sig)
{
	return sig != SIGCONT && t->cur.nr != SYS_rt_sigtimedwait && sig_action_ignores(t->tg, sig);
}

/*
 * Linux discards a signal its target ignores and does not block when it
 * is sent (kernel/signal.c, sig_ignored()).  The host would not: it never
 * ignores a signal for a traced task, which stops for it, so uos decides,
 * on the host's view of the action and the mask (host_sigs_for).
 */
static bool discarded(const struct task *t, int sig, const struct host_sigs *s)
{
	return host_ignores(s, sig) && !(blocked_now(t, s) & (1ULL << (sig - 1)));
}

/* Queue si on the host for t (thread-directed); interrupt t's parked call if Linux would. */
int sig_send_info(struct task *t, const siginfo_t *si)
{
	struct host_sigs s;
	int sig = si->si_signo;
	if (sig < 1 || sig > 64)
		return 0;
	if (sig == SIGCONT)
		continue_process(t->k, t->tg);
	bool seen = false; /* s holds the host's view */
	if (t->state != TASK_BORN && books_ignore(t, sig)) {
		seen = host_sigs_for(t, sig, &s) == 0;
		if (seen && discarded(t, sig, &s))
			return 0; /* no tkill, no stop: as if it came and went */
	}
	int kept = sig_infos_keep(&t->infos, t, si);
	if (kept < 0 && must_queue(si))
		return kept;
	if (t->state == TASK_BORN) { /* queued at its first stop (sig_born): not merged with the host's SIGSTOP */
		t->birth_sigs |= 1ULL << (sig - 1);
		return 0;
	}
	if (syscall(SYS_tkill, t->hpid, sig) < 0 && errno == EAGAIN && must_queue(si)) {
		if (kept > 0)
			sig_infos_unkeep(&t->infos);
		return -EAGAIN;
	}
	if (task_parked(t) && (seen || host_sigs_for(t, sig, &s) == 0))
		maybe_interrupt(t, sig, &s);
	else if (!task_parked(t))
		t->sig_unseen = true; /* it may be parking right now: sig_check_parking() */
	return 0;
}

void sig_born(struct task *t)
{
	for (int sig = 1; sig <= 64; sig++)
		if (t->birth_sigs & (1ULL << (sig - 1)))
			syscall(SYS_tkill, t->hpid, sig);
	t->birth_sigs = 0;
}

/* Does t take sig now (Linux's wants_signal()): not blocked, and t not stopped for good? */
static bool wants(const struct task *t, int sig)
{
	struct host_sigs s;
	if (t->state == TASK_JOBSTOP || host_sigs_for(t, sig, &s) < 0)
		return false;
	return !(blocked_now(t, &s) & (1ULL << (sig - 1)));
}

bool sig_ignored_or_blocked(struct task *t, int sig)
{
	struct host_sigs s;
	uint64_t bit = 1ULL << (sig - 1);

	return host_sigs_for(t, sig, &s) == 0 && ((s.blocked | s.ignored) & bit);
}

void sig_send(struct task *t, int sig)
{
	siginfo_t si = {.si_signo = sig, .si_code = SI_KERNEL};
	sig_send_info(t, &si);
}

void sig_send_self(struct task *t, int sig)
{
	siginfo_t si;
	sig_info_from(&si, sig, SI_USER, t);
	sig_send_info(t, &si);
}

/*
 * The thread that takes a process-directed signal first: the main thread,
 * unless it has exited and other threads live on.  A signal queued for an
 * exited thread is lost on the host (complete_signal finds it does not
 * want it), a SIGKILL included, and the process would live on.
 */
static struct task *first_taker(struct kernel *k, struct tgroup *tg)
{
	struct task *main = tg->zombie ? NULL : tg_task(tg, k);
	if (main && task_exiting(main))
		for (struct task *t = k->tasks; t; t = t->next)
			if (t->tg == tg && !task_exiting(t))
				return t;
	return main;
}

/*
 * A process-directed signal goes where Linux's complete_signal() puts it:
 * the main thread if it takes it, else the first thread that does; uos
 * picks, since the host would not pick a thread parked at a ptrace stop.
 * When every thread blocks it, it waits in the process's shared pending
 * set (host kill) for the first thread that unblocks or sigwaits it.
 */
int sig_send_process_info(struct kernel *k, struct tgroup *tg, const siginfo_t *si)
{
	struct task *main = first_taker(k, tg);
	int sig = si->si_signo;
	if (!main || sig < 1 || sig > 64)
		return 0;
	if (tg->nr_threads == 1 || wants(main, sig))
		return sig_send_info(main, si);
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->tg == tg && t != main && wants(t, sig))
			return sig_send_info(t, si);
	if (sig == SIGCONT)
		continue_process(k, tg);
	int kept = sig_infos_keep(&tg->infos, main, si);
	if (kept < 0 && must_queue(si))
		return kept;
	/* uos's kill is SI_USER on the host: a full queue loses the siginfo, not the signal. */
	kill(tg->host_tgid, sig);
	return 0;
}

void sig_send_process(struct kernel *k, struct tgroup *tg, int sig)
{
	siginfo_t si = {.si_signo = sig, .si_code = SI_KERNEL};
	sig_send_process_info(k, tg, &si);
}

static bool init_default(const struct tgroup *tg, int sig)
{
	return tg->pid == 1 && sig >= 1 && sig <= 64 &&
	       tg->sig.action[sig - 1].handler == (unsigned long)SIG_DFL;
}

bool sig_init_ignores(struct kernel *k, struct tgroup *tg, int sig)
{
	struct host_sigs s;
	struct task *main = init_default(tg, sig) ? tg_task(tg, k) : NULL;
	if (!main || read_host_sigs(main, &s) < 0)
		return false;
	return !(blocked_now(main, &s) & (1ULL << (sig - 1))); /* blocked signals are never ignored */
}

bool sig_init_drops(const struct task *t, const siginfo_t *si, bool fault)
{
	bool from_guest = si->si_code == SI_USER || si->si_code == SI_QUEUE ||
			  si->si_code == SI_TKILL;
	bool child_exit = !fault && si->si_code >= CLD_EXITED && si->si_code <= CLD_CONTINUED;
	return (from_guest || child_exit) && init_default(t->tg, si->si_signo) &&
	       si->si_signo != SIGKILL && si->si_signo != SIGSTOP;
}

bool sig_call_mask_lets_through(const struct task *t)
{
	struct host_sigs s;
	return t->has_call_mask && read_host_sigs(t, &s) == 0 && (s.pending & s.blocked & ~t->call_mask);
}

void sig_check_parking(struct task *t)
{
	if (t->sig_unseen || t->has_call_mask) /* its mask may let through one long pending */
		sig_check_pending(t);
	t->sig_unseen = false;
}

void sig_check_pending(struct task *t)
{
	struct host_sigs s;
	if (!task_parked(t) || read_host_sigs(t, &s) < 0)
		return;
	for (int sig = 1; sig <= 64; sig++)
		if (s.pending & (1ULL << (sig - 1)))
			maybe_interrupt(t, sig, &s);
}

int sig_kill(struct task *t, struct tgroup *tg, struct task *r, const siginfo_t *si)
{
	int sig = si->si_signo;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (!cred_may_signal(t, tg))
		return -EPERM;
	if (!sig || tg->zombie || sig_init_ignores(t->k, tg, sig))
		return 0; /* a zombie takes it and loses it */
	if (r)
		return sig_send_info(r, si);
	return sig_send_process_info(t->k, tg, si);
}

void sig_note_start(struct kernel *k)
{
	struct sigaction sa;
	sigset_t blocked;
	sigprocmask(SIG_BLOCK, NULL, &blocked);
	for (int sig = 1; sig <= 64; sig++) {
		uint64_t bit = 1ULL << (sig - 1);
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			k->start_ignored |= bit;
		if (sigismember(&blocked, sig) == 1)
			k->start_blocked |= bit;
	}
}
