/*
 * The trap transport (see trap.h): the protocol of one stop, and the
 * dispatch of a host wait status to the piece that serves its kind.
 *
 * Protocol per stop: a wait status (from the event loop, loop.c) -> read
 * the registers once -> decide -> write them back once if changed ->
 * resume.  A task is in exactly one of the states of enum task_stop.  Host
 * signals that arrive while uos is injecting calls are held in
 * t->pending_sig and delivered when the task resumes.
 *
 * The pieces, which share trap_impl.h: inject.c (the guest interface's
 * calls over ptrace, guest.h), trap_call.c (a trapped call), trap_signal.c
 * (signal-delivery stops), trap_life.c (a task's birth, fork, exec and
 * death) and spawn.c (the first guest).
 */

#include "trap_impl.h"

#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "scheduler.h"
#include "sigsend.h"

#define SYSCALL_EXIT_SIG (SIGTRAP | 0x80)

/* The kind of stop a wait status describes. */
enum task_stop trap_stop_kind(int st)
{
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;
	if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP)
		return TASK_STOP_SECCOMP;
	if (sig == SYSCALL_EXIT_SIG)
		return TASK_STOP_EXIT;
	if (sig == SIGTRAP && event)
		return TASK_STOP_EVENT;
	return TASK_STOP_SIGNAL;
}

/*
 * Read t's registers at a stop.  False when the host refuses: the task was
 * killed while stopped (an exec or exit_group elsewhere in its process) and
 * is on its way out; its exit event or death comes next.
 */
bool trap_get_regs(struct task *t)
{
	t->regs_dirty = false;
	if (ptrace(PTRACE_GETREGS, t->hpid, 0, &t->regs) == 0)
		return true;
	memset(&t->regs, 0, sizeof(t->regs));
	t->stop = TASK_RUNNING;
	return false;
}

void trap_put_regs(struct task *t)
{
	if (t->regs_dirty)
		ptrace(PTRACE_SETREGS, t->hpid, 0, &t->regs);
	t->regs_dirty = false;
}

/*
 * Resume t with req.  ptrace delivers a signal only from a signal-delivery
 * stop; from any other stop a held signal, or one uos sends (kill, SIGPIPE),
 * is queued with tkill and comes back as a signal-delivery stop.
 */
void trap_resume(struct task *t, int req)
{
	int sig = 0;
	if (t->exec == TASK_EXEC_NONE) { /* an exec's stops run no guest code: signals wait */
		if (t->stop == TASK_STOP_SIGNAL)
			sig = t->pending_sig;
		else if (t->pending_sig)
			syscall(SYS_tkill, t->hpid, t->pending_sig);
		for (int s = 1; t->held_more; s++)
			if (t->held_more & (1ULL << (s - 1))) {
				syscall(SYS_tkill, t->hpid, s);
				t->held_more &= ~(1ULL << (s - 1));
			}
		t->pending_sig = 0;
		t->sig_unseen = false; /* the host delivers what is pending */
	}
	trap_put_regs(t);
	if (t->k->sched.serial) { /* the scheduler decides when it runs */
		sched_ready(t, req, sig);
		return;
	}
	trap_fit_exit_event(t);
	ptrace(req, t->hpid, 0, sig);
	t->stop = TASK_RUNNING;
}

void guest_run(struct task *t)
{
	ptrace(t->ready_req, t->hpid, 0, t->ready_sig);
	t->stop = TASK_RUNNING;
}

/*
 * A signal the host dequeued while uos injects (or in an exec): queued
 * again on resume, with its siginfo; the first in t->pending_sig, any
 * more in t->held_more.
 */
void trap_hold_signal(struct task *t, int sig)
{
	siginfo_t si;
	if (!t->pending_sig)
		t->pending_sig = sig;
	else
		t->held_more |= 1ULL << (sig - 1);
	if (ptrace(PTRACE_GETSIGINFO, t->hpid, 0, &si) == 0)
		sig_hold_info(t, &si);
}

/*
 * The guest made a stop that no call of uos's makes: kill it, say so, and
 * never resume it into what it prepared.
 */
void trap_violation(struct task *t, const char *what)
{
	uos_warn("[%d] %s (at %#llx, call %lld): killing the guest", t->tid, what, t->regs.rip,
		 (long long)t->regs.orig_rax);
	kill(t->hpid, SIGKILL);
}

/* Continue a task uos killed, so that it dies. */
void trap_let_die(struct task *t)
{
	ptrace(PTRACE_CONT, t->hpid, 0, 0);
	t->stop = TASK_RUNNING;
}

void trap_stop(struct kernel *k, pid_t pid, int st, const struct rusage *ru)
{
	struct task *t = task_by_hpid(k, pid);
	if (!t) { /* a new child whose parent's fork event is still to come, or an orphan */
		trap_unknown_stop(k, pid, st);
		return;
	}
	sched_stopped(t); /* serial mode: it no longer holds the CPU */
	if (!WIFSTOPPED(st)) {
		trap_task_gone(t, st, ru);
		return;
	}
	t->stop = trap_stop_kind(st);
	if (!trap_get_regs(t))
		return;
	if (t->state == TASK_BORN) {
		trap_on_birth(t, st);
		return;
	}
	switch (t->stop) {
	case TASK_STOP_SECCOMP:
		trap_on_seccomp(t);
		break;
	case TASK_STOP_EXIT:
		trap_on_syscall_exit(t);
		break;
	case TASK_STOP_EVENT:
		trap_on_event(t, st);
		break;
	case TASK_STOP_SIGNAL:
		trap_on_signal(t, WSTOPSIG(st));
		break;
	case TASK_RUNNING:
	case TASK_NOTIFIED:
	case TASK_DEAD:
		UOS_BUG_ON(1);
	}
}
