/*
 * Serving a trapped call: its seccomp stop (dispatch), its completion (the
 * result written and the task resumed, or the host left to run the call),
 * the syscall-exit stop of a call the host ran, and serving again a call
 * that was parked or interrupted (trap_serve).  A task in an exec makes
 * only the stops of the stub's execveat, checked here too.
 *
 * A call with a signal mask of its own (ppoll, pselect6, epoll_pwait) that
 * a signal ends has that mask swapped in until the signal is delivered
 * (trap_signal.c).
 */

#include "trap_impl.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "exec.h"
#include "gtime.h"
#include "scheduler.h"
#include "sigsend.h"
#include "stub.h"
#include "syscall.h"

/*
 * A ppoll/pselect6/epoll_pwait ends because its mask let a signal through:
 * the signal is delivered under that mask.  When a handler takes it, the
 * task is single-stepped into the handler, where uos writes the old mask
 * into the frame's uc_sigmask, so that the handler runs with the call's
 * mask (plus sa_mask) and its sigreturn restores the old one, as Linux's
 * saved sigmask does; otherwise the old mask comes back at once.
 */
static void swap_in_call_mask(struct task *t)
{
	if (!t->has_call_mask)
		return;
	if (ptrace(PTRACE_GETSIGMASK, t->hpid, sizeof(uint64_t), &t->restore_mask) == 0 &&
	    ptrace(PTRACE_SETSIGMASK, t->hpid, sizeof(uint64_t), &t->call_mask) == 0)
		t->mask_swapped = true;
}

void trap_restore_call_mask(struct task *t)
{
	if (!t->mask_swapped)
		return;
	ptrace(PTRACE_SETSIGMASK, t->hpid, sizeof(uint64_t), &t->restore_mask);
	t->mask_swapped = false;
}

/*
 * Finish the call t->cur with result r and resume the task (at its stop),
 * or send the answer (a notified call).
 */
void trap_complete(struct task *t, long r)
{
	if (t->stop == TASK_DEAD) {
		trap_task_gone(t, t->wstatus, NULL);
		return;
	}
	if (t->stop == TASK_RUNNING)
		return; /* let go at its exit event in an injected call: its death comes */
	if (r == -UOS_EBLOCK) { /* parked: it stays at its seccomp stop, or in its notified call */
		UOS_BUG_ON(!task_parked(t)); /* it may hold injected calls' registers: complete restores them */
		sig_check_parking(t);
		return;
	}
	if (t->stop == TASK_NOTIFIED) {
		notify_answer(t, r);
		return;
	}
	if (r == -UOS_EHOST) {
		UOS_BUG_ON(t->injected);
		if (t->cur.nr == SYS_exit || t->cur.nr == SYS_exit_group)
			sys_finish(t, -UOS_ENORESULT); /* traced (a HOST row stops): no exit stop follows */
		bool at_exit = t->host_exit || t->k->opts.trace || t->k->opts.summary;
		trap_resume(t, at_exit ? PTRACE_SYSCALL : PTRACE_CONT);
		return;
	}
	if (t->exec == TASK_EXEC_RUNNING) { /* the exec stop, or the exit stop of a failure */
		trap_resume(t, PTRACE_SYSCALL);
		return;
	}
	if (r != -UOS_ENORESULT) {
		if (t->injected)
			t->regs = t->saved;
		t->regs.orig_rax = -1; /* the call, or the chain's placeholder, is skipped */
		t->regs.rax = r;
		t->regs_dirty = true;
	}
	t->injected = false;
	sys_finish(t, r);
	trap_resume(t, PTRACE_CONT);
}

void trap_begin_call(struct task *t, const struct sysargs *a)
{
	t->cur = *a;
	t->host_exit = NULL;
	t->host_check = NULL;
	t->io_done = 0;
	t->call_end = (struct timespec){0, 0};
	t->has_call_mask = false;
	trap_restore_call_mask(t); /* no signal came after all */
}

void trap_on_seccomp(struct task *t)
{
	if (t->exec != TASK_EXEC_NONE) { /* the host runs the stub's execveat: no call stops */
		trap_violation(t, "a call in an exec");
		trap_let_die(t);
		return;
	}
	const struct sysargs a = trap_call_of(&t->regs);
	trap_begin_call(t, &a);
	trap_complete(t, sys_dispatch(t));
}

/* The stub's execveat failed (at its exit stop): the guest gets the error. */
static void exec_failed(struct task *t, long r)
{
	exec_plan_free(t->plan);
	t->plan = NULL;
	t->exec = TASK_EXEC_NONE;
	trap_complete(t, r);
}

/* The exit stop of a call the host ran. */
void trap_on_syscall_exit(struct task *t)
{
	long r = (long)t->regs.rax;
	if (t->exec == TASK_EXEC_RUNNING && (long long)t->regs.orig_rax == SYS_execveat) {
		exec_failed(t, r);
		return;
	}
	if (t->exec != TASK_EXEC_NONE) {
		trap_violation(t, "an unexpected call in an exec");
		trap_let_die(t);
		return;
	}
	if (t->rewritten) {
		inject_restore_args(t, &t->saved);
		t->rewritten = false;
	}
	trap_fork_ended(t, r); /* a clone's child: its task, which the call's end reads */
	long g = trap_host_ended(t, r);
	if (g != r) {
		t->regs.rax = g;
		t->regs_dirty = true;
	}
	sys_finish(t, g);
	trap_resume(t, PTRACE_CONT);
}

long trap_host_ended(struct task *t, long r)
{
	if (t->host_exit)
		r = t->host_exit(t, &t->cur, r);
	if (t->host_check)
		t->host_check(t, &t->cur, r);
	t->host_exit = NULL;
	t->host_check = NULL;
	return r;
}

/* The call runs again once resumed (code: the restart code --trace shows). */
static void run_again(struct task *t, long code)
{
	if (t->stop == TASK_NOTIFIED) {
		notify_answer(t, -LINUX_ERESTARTNOINTR); /* the host restarts it after the signal */
		return;
	}
	if (t->injected)
		t->regs = t->saved;
	t->injected = false;
	t->regs.orig_rax = -1;
	t->regs.rax = t->cur.nr;
	t->regs.rip -= 2;
	t->regs_dirty = true;
	sys_finish(t, code);
	trap_resume(t, PTRACE_CONT);
}

/*
 * A parked call woken, or interrupted by a signal.  As Linux's waits, an
 * interrupted call looks once more for what it waits for (the child that
 * sent the SIGCHLD, the data that came with the SIGIO) and ends with it if
 * it is there; only when it would park again does the signal end it.
 */
void trap_serve(struct task *t)
{
	int intr = t->interrupt;
	sched_unpark(t);
	if (intr == TASK_INTR_RERUN) { /* the signal is dropped on the way out (trap_signal.c) */
		swap_in_call_mask(t);
		run_again(t, -LINUX_ERESTARTNOHAND);
		return;
	}
	if (intr != TASK_INTR_NONE && !t->io_done) {
		long r = sys_dispatch(t);
		if (r != -UOS_EBLOCK) {
			trap_complete(t, r);
			return;
		}
		sched_unpark(t);
	}
	size_t done = t->io_done;
	if (intr != TASK_INTR_NONE && done) {
		trap_complete(t, (long)done); /* a signal ends a partly done transfer with its count */
	} else if (intr == TASK_INTR_EINTR) {
		swap_in_call_mask(t);
		gtime_call_interrupted(t);
		trap_complete(t, -EINTR);
	} else if (intr == TASK_INTR_RESTART) {
		run_again(t, -LINUX_ERESTARTSYS); /* after the handler */
	} else {
		trap_complete(t, sys_dispatch(t));
	}
}
