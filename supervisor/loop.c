/*
 * The event loop (see loop.h).  Invariant between iterations: every task is
 * running on the host, or stopped and parked (waiting for its channel, fd
 * or deadline); no stop is left unserved.  Signals sent to uos itself:
 * SIGINT/SIGQUIT from the terminal reach the guest's foreground tasks
 * directly, so uos only lets parked tasks notice them; SIGTERM and SIGHUP
 * are passed on to PID 1, the way a container runtime does.
 */
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scheduler.h"
#include "sigsend.h"
#include "task.h"
#include "trap.h"

#define HOST_TIMER_RECHECK_MS 10

static const int loop_signals[] = {SIGCHLD, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGWINCH};

int loop_init(struct kernel *k)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(loop_signals); i++)
		sigaddset(&set, loop_signals[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	k->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return k->sigfd < 0 ? -errno : 0;
}

/* Serve every stop the host has for us.  Returns how many. */
static int drain_stops(struct kernel *k)
{
	int n = 0, st;
	pid_t pid;
	struct rusage ru;
	while (!k->exited && (pid = wait4(-1, &st, __WALL | WNOHANG, &ru)) > 0) {
		trap_stop(k, pid, st, &ru);
		n++;
	}
	return n;
}

/* Serve the tasks that were woken.  Returns how many. */
static int serve_runnable(struct kernel *k)
{
	int n = 0;
	for (struct task *t = k->tasks; t && !k->exited;) {
		if (!t->runnable) {
			t = t->next;
			continue;
		}
		trap_serve(t);
		n++;
		t = k->tasks; /* serving may have freed or added tasks */
	}
	return n;
}

/* Send sig to every process of the guest's foreground process group. */
static void signal_foreground(struct kernel *k, int sig)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (!tg->zombie && tg->pgid == k->fg_pgid)
			sig_send_process(k, tg, sig);
}

/*
 * A signal to uos itself.  The guests sit in a host process group of their
 * own, so terminal signals reach only uos, which passes them to the guest's
 * foreground group as a terminal would; SIGTERM and SIGHUP go to the
 * program, as a container runtime does; SIGCONT (uos was stopped with its
 * program) continues the foreground group.
 */
static void on_uos_signal(struct kernel *k, int sig)
{
	if ((sig == SIGTERM || sig == SIGHUP) && k->main)
		sig_send_process(k, k->main, sig);
	else if (sig != SIGCHLD)
		signal_foreground(k, sig);
	for (struct task *t = k->tasks; t; t = t->next)
		sig_check_pending(t);
}

static void read_signals(struct kernel *k)
{
	struct signalfd_siginfo si;
	while (read(k->sigfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			on_uos_signal(k, (int)si.ssi_signo);
}

/*
 * When the program stops (Ctrl-Z, SIGSTOP), uos stops too, so that the
 * shell that started uos sees its job stop; its SIGCONT brings both back.
 */
static void follow_program_stop(struct kernel *k)
{
	bool stopped = k->main && k->main->stopped;
	if (stopped && !k->stopped_self)
		raise(SIGSTOP);
	k->stopped_self = stopped;
}

/*
 * The signal of a timer the host runs (sys_timer.c) wakes no channel, and
 * a parked task does not see it: look at its host signals now, and again
 * within HOST_TIMER_RECHECK_MS.  Returns the poll timeout to use.
 */
static int recheck_host_signals(struct task *t, int timeout)
{
	sig_check_pending(t);
	if (!sched_parked(t))
		return 0; /* interrupted: serve it at once */
	return timeout < 0 || timeout > HOST_TIMER_RECHECK_MS ? HOST_TIMER_RECHECK_MS : timeout;
}

/* Sleep until a stop, a signal, a parked task's fd, or a deadline. */
static void wait_events(struct kernel *k)
{
	int cap = k->nr_tasks + 1, n = 1, timeout = -1;
	struct pollfd *pfd = calloc(cap, sizeof(*pfd));
	struct task **who = calloc(cap, sizeof(*who));
	long long now = sched_now_ns();
	if (!pfd || !who)
		goto out;
	pfd[0] = (struct pollfd){.fd = k->sigfd, .events = POLLIN};
	long long slice = sched_check_slice(k); /* serial mode: wake to end the time slice */
	if (slice >= 0)
		timeout = (int)((slice + 999999) / 1000000);
	for (struct task *t = k->tasks; t && n < cap; t = t->next) {
		if (sched_parked(t) && t->tg->host_timers)
			timeout = recheck_host_signals(t, timeout);
		if (!sched_parked(t))
			continue;
		if (t->deadline_ns) {
			/* Rounded up; a deadline of GTIME_KTIME_MAX must not overflow. */
			long long left = t->deadline_ns - now;
			long long ms = left / 1000000 + (left % 1000000 > 0);
			if (ms <= 0)
				sched_make_runnable(t);
			else if (timeout < 0 || ms < timeout)
				timeout = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
		}
		if (t->wait_fd >= 0) {
			who[n] = t;
			pfd[n++] = (struct pollfd){.fd = t->wait_fd, .events = t->wait_events};
		}
	}
	if (poll(pfd, n, timeout) > 0) {
		for (int i = 1; i < n; i++)
			if (pfd[i].revents)
				sched_make_runnable(who[i]);
		if (pfd[0].revents)
			read_signals(k);
	}
	sched_check_slice(k);
	now = sched_now_ns();
	for (struct task *t = k->tasks; t; t = t->next)
		if (sched_parked(t) && t->deadline_ns && t->deadline_ns <= now)
			sched_make_runnable(t);
out:
	free(pfd);
	free(who);
}

int loop_run(struct kernel *k)
{
	while (!k->exited && k->tasks) {
		int served = drain_stops(k);
		served += serve_runnable(k);
		served += sched_dispatch(k);
		follow_program_stop(k);
		if (!served && !k->exited)
			wait_events(k);
	}
	trap_kill_all(k);
	return k->exit_status;
}
