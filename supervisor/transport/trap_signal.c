/*
 * Signal-delivery stops: a host signal about to reach a guest task.  uos
 * holds it while the task is in an exec, has a notified call it ended run
 * again (notify.c), takes back its own preemption
 * SIGSTOP, names an ABI the guest broke, reports a fatal fault, fixes the
 * siginfo, drops an ignored one that a call's own mask let through, and
 * single-steps into a handler whose frame must get the mask of the call
 * the signal ended (trap_call.c).  A group-stop leaves the
 * task in TASK_JOBSTOP until guest_continue.
 */

#include "trap_impl.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <ucontext.h>

#include "crash.h"
#include "gmem.h"
#include "guest.h"
#include "seccomp.h"
#include "sigsend.h"

/* The offset of uc_sigmask in the signal frame at a handler's entry (pretcode, then the ucontext). */
#define FRAME_SIGMASK (sizeof(unsigned long) + offsetof(ucontext_t, uc_sigmask))

static bool caught(const struct task *t, int sig)
{
	unsigned long h = t->tg->sig.action[sig - 1].handler;
	return h != (unsigned long)SIG_DFL && h != (unsigned long)SIG_IGN;
}

/* The single step into the handler is done: the frame gets the mask to restore. */
static void fix_frame_mask(struct task *t)
{
	gmem_write(t, t->regs.rsp + FRAME_SIGMASK, &t->restore_mask, sizeof(t->restore_mask));
	t->mask_swapped = t->frame_mask = false;
	trap_resume(t, PTRACE_CONT);
}

/*
 * A host kernel without i386 emulation answers int $0x80 with a general
 * protection fault (SIGSEGV, SI_KERNEL) before seccomp sees it: name the
 * ABI as the filter's SIGSYS would.
 */
static bool int80_fault(struct task *t, int sig, const siginfo_t *si, char *msg, size_t n)
{
	unsigned char code[2];

	if (sig != SIGSEGV || si->si_code != SI_KERNEL ||
	    gmem_read(t, code, t->regs.rip, sizeof(code)) || code[0] != 0xcd || code[1] != 0x80)
		return false;
	snprintf(msg, n, "guest used the i386 int 0x80 ABI (syscall %lu); uos supports x86-64 only",
		 (unsigned long)t->regs.rax);
	return true;
}

void trap_on_signal(struct task *t, int sig)
{
	siginfo_t si;
	char msg[160];
	if (t->exec != TASK_EXEC_NONE) { /* no guest code runs in an exec: the signal waits */
		trap_hold_signal(t, sig);
		trap_resume(t, PTRACE_SYSCALL);
		return;
	}
	notify_restart(t);
	bool into_handler = t->mask_swapped && caught(t, sig);
	/* Let through by a call's mask (TASK_INTR_RERUN, an epoll_pwait's EINTR), and ignored: Linux drops it. */
	bool dropped = t->mask_swapped && sig_action_ignores(t->tg, sig);
	if (!into_handler)
		trap_restore_call_mask(t);
	if (ptrace(PTRACE_GETSIGINFO, t->hpid, 0, &si) < 0) {
		/* A group-stop: the task stays stopped until a SIGCONT (guest_continue). */
		task_set_state(t, TASK_JOBSTOP);
		t->stop = TASK_STOP_SIGNAL;
		task_stopped(t, sig);
		return;
	}
	if (notify_redo(t, &si))
		return;
	if (sig == SIGTRAP && t->frame_mask) {
		fix_frame_mask(t);
		return;
	}
	if (sig == SIGSTOP && t->preempting && si.si_code == SI_TKILL) {
		t->preempting = false; /* uos's end of a time slice, not the guest's SIGSTOP */
		trap_resume(t, PTRACE_CONT);
		return;
	}
	if ((sig == SIGSYS && seccomp_abi_violation(&si, msg, sizeof(msg))) ||
	    int80_fault(t, sig, &si, msg, sizeof(msg))) {
		uos_warn("[%d] %s", t->tid, msg);
		kill(t->hpid, SIGKILL);
		trap_resume(t, PTRACE_CONT);
		return;
	}
	/* The CPU's fault, not a signal sent (uos sends with tkill, children's exit signals included). */
	bool fault = (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) &&
		     si.si_code > 0 && si.si_code != SI_KERNEL;
	if (fault && t->tg->sig.action[sig - 1].handler == (unsigned long)SIG_DFL)
		crash_report(t, sig, &si);
	if (sig_fix_info(t, &si))
		ptrace(PTRACE_SETSIGINFO, t->hpid, 0, &si);
	if ((dropped && !fault) || sig_init_drops(t, &si, fault)) {
		trap_resume(t, PTRACE_CONT);
		return;
	}
	t->pending_sig = sig;
	t->frame_mask = into_handler;
	trap_resume(t, into_handler ? PTRACE_SINGLESTEP : PTRACE_CONT);
}

int guest_sigmask(const struct task *t, uint64_t *mask)
{
	if (t->stop == TASK_RUNNING || t->stop == TASK_NOTIFIED || t->stop == TASK_DEAD)
		return -ESRCH; /* not at a ptrace stop */
	return ptrace(PTRACE_GETSIGMASK, t->hpid, sizeof(*mask), mask) ? -errno : 0;
}

void guest_continue(struct task *t)
{
	if (t->state != TASK_JOBSTOP)
		return;
	task_set_state(t, TASK_ACTIVE);
	t->pending_sig = 0;
	trap_resume(t, PTRACE_CONT);
}
