/*
 * Signal actions, masks and the pending set: uos keeps the books, the host
 * kernel keeps the real state.
 *
 * For now the host decides delivery (ARCHITECTURE.md, decision 8: the host
 * builds signal frames): rt_sigaction validates exactly as Linux does
 * (kernel/signal.c), records the change in t->tg->sig, and then lets the
 * host run the same call (-UOS_EHOST) so that its state matches the books.
 * The books are committed at entry: every check Linux makes before it
 * commits has been made, and the one failure left to the host (EFAULT on
 * the old-value pointer) also comes after Linux commits.  The mask is the
 * host's alone: rt_sigprocmask is a HOST row, and uos reads a thread's mask
 * from the host when it must decide (sigsend.c).  rt_sigpending is answered
 * by the host, which alone knows what is pending while uos does not queue
 * signals itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "guest.h"
#include "sigsend.h"
#include "handlers.h"
#include "task.h"

#define KSIGSET_SIZE 8 /* sizeof(sigset_t) in the kernel: 64 signals */

/* Bit of signal sig (1..64) in a kernel sigset. */
static uint64_t sigbit(int sig)
{
	return 1ULL << (sig - 1);
}

/* SIGKILL and SIGSTOP can be neither caught nor blocked. */
static const uint64_t unblockable = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1));

long sys_rt_sigaction(struct task *t, const struct sysargs *a)
{
	int sig = (int)a->a[0];
	struct k_sigaction_books act;
	if (a->a[3] != KSIGSET_SIZE)
		return -EINVAL;
	/* struct kernel_sigaction (handler, flags, restorer, mask), read before sig is checked. */
	if (a->a[1]) {
		int err = gmem_read(t, &act, a->a[1], sizeof(act));
		if (err)
			return err;
	}
	if (sig < 1 || sig > 64 || (a->a[1] && (sigbit(sig) & unblockable)))
		return -EINVAL;
	if (a->a[1]) {
		act.mask &= ~unblockable;
		t->tg->sig.action[sig - 1] = act;
	}
	return -UOS_EHOST;
}

long sys_rt_sigpending(struct task *t, const struct sysargs *a)
{
	/* A smaller set is allowed: Linux copies that many bytes. */
	if (a->a[1] > KSIGSET_SIZE)
		return -EINVAL;
	return -UOS_EHOST;
}

/* rt_sigtimedwait's end: the siginfo uos meant, to where the guest asked (t->cur.a[1]). */
static long sigtimedwait_done(struct task *t, const struct sysargs *a, long r)
{
	siginfo_t si;
	if (r <= 0 || gmem_read(t, &si, guest_stack_scratch(t, sizeof(si)), sizeof(si)))
		return r;
	sig_fix_info(t, &si);
	if (a->a[1] && gmem_write(t, a->a[1], &si, sizeof(si)))
		return -EFAULT;
	return r;
}

/*
 * The host waits (only it sees the caller's pending signals), with its
 * siginfo going to scratch memory below the guest's stack; at the exit stop
 * uos writes the siginfo it meant where the guest asked, as Linux copies it
 * out after dequeuing (a bad pointer: the signal is gone, EFAULT).
 */
long sys_rt_sigtimedwait(struct task *t, const struct sysargs *a)
{
	unsigned long args[6] = {a->a[0], guest_stack_scratch(t, sizeof(siginfo_t)), a->a[2], a->a[3]};
	guest_host_runs(t, SYS_rt_sigtimedwait, args);
	t->host_exit = sigtimedwait_done;
	return -UOS_EHOST;
}
