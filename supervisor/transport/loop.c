/*
 * The event loop (see loop.h).  Invariant between iterations: every task is
 * running on the host, or parked at a stop or in a notified call (waiting
 * for its channel, fd or deadline); no stop is left unserved (a call
 * notified to the listener (the default) waits for the next look at it:
 * notify.c).  Signals sent to
 * uos itself: SIGINT/SIGQUIT from the terminal reach the guest's foreground tasks
 * directly, so uos only lets parked tasks notice them; SIGTERM and SIGHUP
 * are passed on to PID 1, the way a container runtime does.  SIGTERM also
 * starts the stop timeout: whatever the guests do, when it ends (or at a
 * second SIGTERM) they are killed and uos exits with 128+SIGKILL, as
 * `docker stop` does, after the usual teardown (images synced).  Every
 * WRITEBACK_EVERY_NS the images' old changes are written back (writeback.h).
 */
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "intr.h"
#include "kernel.h"
#include "scheduler.h"
#include "seccomp.h"
#include "sigsend.h"
#include "task.h"
#include "trap.h"
#include "writeback.h"

#define HOST_TIMER_RECHECK_MS 10
#define EVENTS_EVERY_NS 10000000LL /* while stops keep coming, look at the rest this often */

/*
 * The signals to uos itself that it acts on (intr.h notes them), and its
 * own alarm's SIGALRM, which only wakes it; SIGCHLD comes through signalfds
 * (with a listener, through intr.h too: loop_init).
 */
static const int loop_signals[] = {SIGINT,  SIGQUIT,  SIGTERM, SIGHUP,
				   SIGTSTP, SIGCONT, SIGWINCH, SIGALRM};

/*
 * With a listener (seccomp_notifies) SIGCHLD is noted as the others are,
 * so that a stop ends the loop's sleep in the listener's RECV; its
 * signalfds then stay empty.
 */
int loop_init(struct kernel *k)
{
	sigset_t set;
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
	bool notify = seccomp_notifies(k);
	int sigs[ARRAY_SIZE(loop_signals) + 1], n = (int)ARRAY_SIZE(loop_signals);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (!notify && sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	k->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	k->chldfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (k->sigfd < 0 || k->chldfd < 0)
		return -errno;
	if (timer_create(CLOCK_MONOTONIC, &ev, &k->alarm) < 0)
		return -errno;
	k->has_alarm = true;
	memcpy(sigs, loop_signals, sizeof(loop_signals));
	if (notify)
		sigs[n++] = SIGCHLD;
	return intr_init(sigs, n);
}

/*
 * Have the alarm ring by now + ms (ms > 0): unless it rings at or before
 * that already, set it; a sleep in wait4 then ends by the deadline
 * (-EINTR).  An alarm set for a deadline that went away rings early: the
 * loop looks, finds nothing due, and sleeps again.  False when it could
 * not be set (the caller sleeps in poll instead).
 */
static bool alarm_by(struct kernel *k, long long now, int ms)
{
	long long at = now + ms * 1000000LL;
	if (k->alarm_ns > now && k->alarm_ns <= at)
		return true;
	struct itimerspec its = {.it_value = {at / 1000000000LL, at % 1000000000LL}};
	if (timer_settime(k->alarm, TIMER_ABSTIME, &its, NULL) < 0)
		return false;
	k->alarm_ns = at;
	return true;
}

/* A stop as wait4 reported it, taken before any is served. */
struct stop_ev {
	pid_t pid;
	int st;
	struct rusage ru;
};

/*
 * How many stops the host can have for us now: one from each task it runs
 * (or holds in a group-stop); a task at a stop uos holds has none to give.
 */
static int may_report(const struct kernel *k)
{
	int n = 0;
	for (const struct task *t = k->tasks; t; t = t->next)
		n += t->stop == TASK_RUNNING || t->state == TASK_JOBSTOP;
	return n;
}

/*
 * A stop in a call or at a signal.  Deaths, exit events and births come in
 * bursts (an exit_group ends every thread, a fork makes a child): after one
 * of those the round takes all there is, so that no zombie waits for a
 * later round to be reaped.
 */
static bool plain_stop(int st)
{
	return WIFSTOPPED(st) && ((unsigned)st >> 16 == 0 || (unsigned)st >> 16 == PTRACE_EVENT_SECCOMP);
}

/*
 * May the round end after this stop: a plain one, of a task uos knows,
 * not in a clone (whose child's first stop may have come with it)?
 */
static bool settles(struct kernel *k, const struct stop_ev *ev)
{
	const struct task *t = plain_stop(ev->st) ? task_by_hpid(k, ev->pid) : NULL;
	return t && !t->clone.forking;
}

/*
 * Serve the stops the host has for us, each task's once a round: every stop
 * that has come is taken first, then they are served in that order.
 * wait4 returns the first child in its list that has a stop, so serving
 * each as it comes let tasks that stop again at once starve the others,
 * and uos with them (it never got to its signals).  Once every task that
 * can stop has, and all were plain stops, no wait4 is spent to hear that
 * nothing more came: a stop of a task not yet known (a new child) is taken
 * by the next round's first wait4, which every round makes, and a round
 * that takes none is the only one after which the loop sleeps.  Returns how
 * many.
 */
static int drain_stops(struct kernel *k, const struct stop_ev *first)
{
	int cap = 2 * k->nr_tasks + 32, n = 0; /* a stop and a death each, and new children */
	int want = may_report(k);
	pid_t pid;
	/*
	 * With a listener the loop sleeps in RECV, not wait4: a stop is looked
	 * for only when a SIGCHLD came since the last look began, and a stop
	 * left untaken would be heard of by no later SIGCHLD.  So the look
	 * counts every task, held ones too (one killed at a stop uos holds
	 * reports its death), and goes on after a stop of a task not yet known
	 * (a new child: its parent's clone may have ended), of a task in a
	 * clone (its child may have stopped), and after any stop that is not
	 * plain.
	 */
	bool noted = intr_take(INTR_BIT(SIGCHLD)); /* taken always: a note left would end every wait */
	if (k->notify_fd >= 0) {
		if (!noted && !first)
			return 0;
		want = k->nr_tasks;
	}
	struct stop_ev *ev = malloc(cap * sizeof(*ev));
	if (!ev) {
		intr_note(SIGCHLD); /* wait_events tries again */
		return 0;
	}
	bool settled = true;
	if (first) {
		ev[n] = *first;
		settled &= settles(k, &ev[n++]);
	}
	while (n < cap && (n == 0 || n < want || !settled) &&
	       (pid = wait4(-1, &ev[n].st, __WALL | WNOHANG, &ev[n].ru)) > 0) {
		ev[n].pid = pid;
		settled &= settles(k, &ev[n++]);
	}
	if (n == cap)
		intr_note(SIGCHLD); /* more may have come */
	/*
	 * The stops of tasks uos knows first: a new child's first stop taken
	 * before its parent's fork event then finds the child made, rather than
	 * waiting in k->early (which has room for a few only).
	 */
	for (int i = 0; i < n && !k->exited; i++)
		if (task_by_hpid(k, ev[i].pid)) {
			trap_stop(k, ev[i].pid, ev[i].st, &ev[i].ru);
			ev[i].pid = 0;
		}
	for (int i = 0; i < n && !k->exited; i++)
		if (ev[i].pid)
			trap_stop(k, ev[i].pid, ev[i].st, &ev[i].ru);
	free(ev);
	return n;
}

/* Serve the tasks that were woken, each at most about once a round.  Returns how many. */
static int serve_runnable(struct kernel *k)
{
	int n = 0, max = k->nr_tasks + 8;
	for (struct task *t = k->tasks; t && !k->exited && n < max;) {
		if (t->state != TASK_RUNNABLE) {
			t = t->next;
			continue;
		}
		trap_serve(t);
		n++;
		t = k->tasks; /* serving may have freed or added tasks */
	}
	return n;
}

/* Send sig to every process of the guest's foreground process group (the console's, if any). */
static void signal_foreground(struct kernel *k, int sig)
{
	int fg = k->console ? console_fg_pgrp(k) : k->fg_pgid;

	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (!tg->zombie && tg->pgid == fg)
			sig_send_process(k, tg, sig);
}

/* The stop timeout ended, or a second SIGTERM came: the guests die now. */
static void kill_guests(struct kernel *k)
{
	if (k->exited)
		return;
	uos_warn("the guest did not exit after SIGTERM: killing it");
	k->exited = true;
	k->exit_status = 128 + SIGKILL;
}

/* SIGTERM to uos: the guests have --stop-timeout to exit; a second one kills them at once. */
static void start_stop_timeout(struct kernel *k)
{
	if (k->stop_deadline_ns || !k->opts.stop_timeout_ns)
		kill_guests(k);
	else
		k->stop_deadline_ns = sched_now_ns() + k->opts.stop_timeout_ns;
}

/* The ms until the stop timeout ends, capped by timeout (-1: none); kills the guests when it has. */
static int check_stop_timeout(struct kernel *k, int timeout)
{
	if (!k->stop_deadline_ns)
		return timeout;
	long long left = k->stop_deadline_ns - sched_now_ns();
	if (left <= 0) {
		kill_guests(k);
		return 0;
	}
	long long ms = (left + 999999) / 1000000;
	return timeout < 0 || ms < timeout ? (int)(ms > 0x7fffffff ? 0x7fffffff : ms) : timeout;
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
	if (sig == SIGALRM)
		return; /* uos's own alarm: its sleep has ended */
	if (sig == SIGTERM)
		start_stop_timeout(k);
	if (sig == SIGCONT)
		console_resume(k);
	if ((sig == SIGTERM || sig == SIGHUP) && k->main)
		sig_send_process(k, k->main, sig);
	else if (sig == SIGWINCH && k->console)
		console_winch(k); /* the guest's terminal signals its foreground group */
	else if (sig != SIGCHLD)
		signal_foreground(k, sig);
	for (struct task *t = k->tasks; t; t = t->next)
		sig_check_pending(t);
}

/* Act on the signals to uos that came since the last look. */
static void take_signals(struct kernel *k)
{
	unsigned long notes = intr_take(~INTR_BIT(SIGCHLD)); /* drain_stops's */
	for (int sig = 1; notes; sig++, notes >>= 1)
		if (notes & 1)
			on_uos_signal(k, sig);
}

/* Whether uos is in the foreground process group of its terminal (a shell's foreground job). */
static bool terminal_foreground(void)
{
	for (int fd = 0; fd < 3; fd++) {
		pid_t fg = tcgetpgrp(fd);
		if (fg > 0)
			return fg == getpgrp();
	}
	return false;
}

/*
 * When the program stops (Ctrl-Z, SIGSTOP), uos stops too, so that the
 * shell that started uos sees its job stop; its SIGCONT brings both back.
 * Only as a terminal's foreground job: elsewhere no shell waits for the
 * stop, and a stopped uos would serve no other guest and heed no SIGTERM.
 */
static void follow_program_stop(struct kernel *k)
{
	bool stopped = k->main && k->main->stopped;
	if (stopped && !k->stopped_self && terminal_foreground()) {
		console_suspend(k); /* the shell gets its terminal as it left it */
		raise(SIGSTOP);
		console_resume(k);
	}
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

/*
 * Sleep in wait4 itself until a stop or a signal to uos: one host call per
 * stop, where poll on SIGCHLD takes a poll, a read and a wait4 that finds
 * nothing after each round.  True with the stop in *ev; false when a signal
 * came (or nothing is left to wait for).
 */
static bool wait_stop(struct kernel *k, struct stop_ev *ev)
{
	long pid = intr_wait4(-1, &ev->st, __WALL, &ev->ru);
	take_signals(k);
	ev->pid = (pid_t)pid;
	return pid > 0;
}

/*
 * Sleep until a stop or a signal to uos: with a listener, in its RECV,
 * which serves the call that ends it (two host calls per notified call;
 * a stop's SIGCHLD ends it too), false with ev->pid -EINTR; else
 * wait_stop's.
 */
static bool sleep_once(struct kernel *k, struct stop_ev *ev)
{
	if (k->notify_fd < 0)
		return wait_stop(k, ev);
	notify_serve(k);
	take_signals(k);
	ev->pid = -EINTR;
	return false;
}

/* How wait_events waits. */
enum wait_how {
	WAIT_LOOK,	 /* take what has come, do not sleep */
	WAIT_SLEEP,	 /* sleep until something comes */
	WAIT_STOPS_ONLY, /* sleep if only a stop or a signal can come, else as WAIT_LOOK when due */
};

/*
 * Sleep until a stop, a signal, a parked task's fd, or a deadline, or only
 * take what has come (how).  When only a stop, a signal or a deadline can
 * end the sleep (no parked task's fd, no --publish fd, no terminal to
 * relay), the sleep is wait_stop's, with the alarm set for the deadline
 * (a guest's sleep, the image writeback), and true says *ev holds the
 * stop it took: one host call per stop, not a poll, a read of SIGCHLD's
 * signalfd and a wait4 that finds nothing.  due: the time to look at fds,
 * deadlines and signals has come.
 */
static bool wait_events(struct kernel *k, enum wait_how how, bool due, struct stop_ev *ev)
{
	bool got = false;
	int nnet = net_watch_count(&k->net), cap = k->nr_tasks + 3 + nnet, n = 1, timeout = -1;
	struct pollfd *pfd = calloc(cap, sizeof(*pfd));
	struct task **who = calloc(cap, sizeof(*who));
	long long now = sched_now_ns();
	if (!pfd || !who)
		goto out;
	pfd[0] = (struct pollfd){.fd = k->sigfd, .events = POLLIN};
	n += net_watch(&k->net, pfd + 1, nnet); /* --publish's host fds (who: NULL) */
	int ncon = console_watch(k, pfd + n);	 /* the user's terminal (who: NULL) */
	n += ncon;
	int lis = k->notify_fd >= 0 ? n++ : -1; /* the listener (who: NULL) */
	if (lis >= 0)
		pfd[lis] = (struct pollfd){.fd = k->notify_fd, .events = POLLIN};
	int tasks = n; /* the parked tasks' fds from here */
	long long slice = sched_check_slice(k); /* serial mode: wake to end the time slice */
	if (slice >= 0)
		timeout = (int)((slice + 999999) / 1000000);
	timeout = check_stop_timeout(k, timeout);
	timeout = wb_periodic(k, now, timeout);
	for (struct task *t = sched_first_parked(k), *next; t && n < cap; t = next) {
		next = sched_next_parked(t);
		if (t->tg->host_timers)
			timeout = recheck_host_signals(t, timeout);
		if (!sched_parked(t))
			continue;
		if (t->deadline_ns) {
			/* Rounded up; a deadline of GTIME_KTIME_MAX must not overflow. */
			long long left = t->deadline_ns - now;
			long long ms = left / 1000000 + (left % 1000000 > 0);
			if (ms <= 0) {
				sched_make_runnable(t);
				timeout = 0; /* it is served this round: no sleep */
			} else if (timeout < 0 || ms < timeout)
				timeout = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
		}
		if (t->wait_fd >= 0) {
			who[n] = t;
			pfd[n++] = (struct pollfd){.fd = t->wait_fd, .events = t->wait_events};
		}
	}
	bool only_stops = n == 1 + (lis >= 0); /* and notified calls */
	if (how != WAIT_LOOK && only_stops && (timeout < 0 || (timeout > 0 && alarm_by(k, now, timeout)))) {
		got = sleep_once(k, ev);
		if (got || (ev->pid != -ECHILD && timeout < 0))
			goto out;
		if (ev->pid != -ECHILD) { /* the alarm (or a signal) ended it: look at what is due */
			how = WAIT_LOOK;
			due = true;
		}
	}
	if (how == WAIT_STOPS_ONLY && !due)
		goto out;
	if (intr_poll(pfd, n, how == WAIT_SLEEP ? timeout : 0) > 0) {
		net_watch_ready(&k->net, pfd + 1, nnet);
		for (int i = tasks; i < n; i++)
			if (pfd[i].revents)
				sched_make_runnable(who[i]);
		if (lis >= 0 && pfd[lis].revents)
			notify_serve(k);
		if (pfd[0].revents)
			trap_drain_sigchld(k); /* what comes is drain_stops's to take */
	}
	take_signals(k);
	sched_check_slice(k);
	now = sched_now_ns();
	for (struct task *t = sched_first_parked(k), *next; t; t = next) {
		next = sched_next_parked(t);
		if (t->deadline_ns && t->deadline_ns <= now)
			sched_make_runnable(t);
	}
out:
	free(pfd);
	free(who);
	return got;
}

int loop_run(struct kernel *k)
{
	long long events_ns = 0; /* when wait_events last looked */
	struct stop_ev first;
	bool have_first = false; /* wait_events took a stop: the next round starts with it */
	intr_note(SIGCHLD);	 /* the first round looks for stops */
	while (!k->exited && k->tasks) {
		check_stop_timeout(k, -1);
		wb_periodic(k, sched_now_ns(), -1);
		int stops = drain_stops(k, have_first ? &first : NULL);
		int served = serve_runnable(k);
		served += sched_dispatch(k);
		served += net_serve(&k->net); /* --publish: relay what can move */
		served += console_pump(k);    /* the user's terminal: the same */
		follow_program_stop(k);
		if (k->exited)
			break;
		/*
		 * Only stops were served: sleep at once (a blocking wait4 returns
		 * a stop that has come; poll on SIGCHLD would not see one whose
		 * signal was read, so that sleep waits for a round that took none).
		 * Busy guests leave no idle moment: signals, fds and deadlines are
		 * looked at anyway.
		 */
		long long now = sched_now_ns();
		bool due = now - events_ns >= EVENTS_EVERY_NS;
		enum wait_how how = served ? WAIT_LOOK : stops ? WAIT_STOPS_ONLY : WAIT_SLEEP;
		have_first = false;
		/* Notified calls wait for no stop: with a listener, a busy loop looks every round. */
		if (how != WAIT_LOOK || due || k->notify_fd >= 0) {
			have_first = wait_events(k, how, due, &first);
			if (due || how == WAIT_SLEEP)
				events_ns = now;
		}
	}
	trap_kill_all(k);
	return k->exit_status;
}
