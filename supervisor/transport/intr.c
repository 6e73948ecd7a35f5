/* Waits that uos's own signals interrupt (intr.h). */
#include "intr.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>

/* intr_syscall.S (counted by hostcall_wrap.c in the executable, as the libc calls are). */
long uos_intr_syscall(long nr, long a1, long a2, long a3, long a4,
		      const volatile unsigned long *notes);
extern const char uos_intr_begin[], uos_intr_end[], uos_intr_cancel[];

/* The signals that came and were not taken yet: the one global intr.h speaks of. */
static volatile unsigned long intr_notes;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *ip = &uc->uc_mcontext.gregs[REG_RIP];

	intr_note(sig);
	if (*ip >= (greg_t)uos_intr_begin && *ip < (greg_t)uos_intr_end)
		*ip = (greg_t)uos_intr_cancel;
}

int intr_init(const int *sigs, int n)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	sigemptyset(&set);
	for (int i = 0; i < n; i++) {
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
		sigaddset(&set, sigs[i]);
	}
	return sigprocmask(SIG_UNBLOCK, &set, NULL) ? -errno : 0;
}

unsigned long intr_take(unsigned long which)
{
	return __atomic_fetch_and(&intr_notes, ~which, __ATOMIC_SEQ_CST) & which;
}

void intr_note(int sig)
{
	__atomic_or_fetch(&intr_notes, INTR_BIT(sig), __ATOMIC_SEQ_CST);
}

long intr_wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return uos_intr_syscall(SYS_wait4, pid, (long)status, options, (long)ru, &intr_notes);
}

long intr_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	return uos_intr_syscall(SYS_poll, (long)fds, (long)n, timeout_ms, 0, &intr_notes);
}

long intr_ioctl(int fd, unsigned long req, void *arg)
{
	return uos_intr_syscall(SYS_ioctl, fd, (long)req, (long)arg, 0, &intr_notes);
}
