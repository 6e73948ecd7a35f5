/* signal_books: what sigaction and sigprocmask store reads back unchanged;
 * SIGKILL and SIGSTOP cannot be caught or blocked; bad signal numbers, bad
 * `how` and a wrong sigset size fail with EINVAL. No signal is delivered. */
#include <signal.h>
#include <sys/syscall.h>
#include "guest.h"

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

static void handler(int sig)
{
}

static void actions(void)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART | SA_NODEFER };
	struct sigaction old;

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaddset(&sa.sa_mask, SIGRTMIN + 3);
	SHOW("sigaction SIGUSR1 set", sigaction(SIGUSR1, &sa, NULL));
	SHOW("sigaction SIGUSR1 get", sigaction(SIGUSR1, NULL, &old));
	EXPECT("handler reads back", old.sa_handler == handler);
	printf("flags read back: %#x\n", old.sa_flags & ~SA_RESTORER);
	EXPECT("mask reads back", sigismember(&old.sa_mask, SIGUSR2) == 1 &&
	       sigismember(&old.sa_mask, SIGRTMIN + 3) == 1 && sigismember(&old.sa_mask, SIGINT) == 0);
	sa.sa_handler = SIG_IGN;
	SHOW("sigaction SIGUSR1 swap", sigaction(SIGUSR1, &sa, &old));
	EXPECT("old handler returned by swap", old.sa_handler == handler);
	SHOW("sigaction SIGUSR1 get", sigaction(SIGUSR1, NULL, &old));
	EXPECT("now SIG_IGN", old.sa_handler == SIG_IGN);
	SHOW("sigaction SIGTERM default", sigaction(SIGTERM, NULL, &old));
	EXPECT("SIGTERM is SIG_DFL", old.sa_handler == SIG_DFL);
	SHOW("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
	SHOW("sigaction SIGSTOP", sigaction(SIGSTOP, &sa, NULL));
	SHOW("sigaction SIGKILL get only", sigaction(SIGKILL, NULL, &old));
	SHOW("raw rt_sigaction sig 0", syscall(SYS_rt_sigaction, 0, NULL, &old, 8));
	SHOW("raw rt_sigaction sig 65", syscall(SYS_rt_sigaction, 65, NULL, &old, 8));
	SHOW("raw rt_sigaction size 4", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4));
}

static void masks(void)
{
	sigset_t set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	SHOW("SIG_BLOCK USR1 KILL STOP", sigprocmask(SIG_BLOCK, &set, NULL));
	sigprocmask(SIG_BLOCK, NULL, &old);
	printf("blocked: USR1=%d KILL=%d STOP=%d USR2=%d\n", sigismember(&old, SIGUSR1),
	       sigismember(&old, SIGKILL), sigismember(&old, SIGSTOP), sigismember(&old, SIGUSR2));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMAX);
	SHOW("SIG_SETMASK USR2 RTMAX", sigprocmask(SIG_SETMASK, &set, &old));
	printf("old had USR1: %d\n", sigismember(&old, SIGUSR1));
	sigprocmask(SIG_SETMASK, NULL, &old);
	printf("now: USR1=%d USR2=%d RTMAX=%d\n", sigismember(&old, SIGUSR1),
	       sigismember(&old, SIGUSR2), sigismember(&old, SIGRTMAX));
	SHOW("SIG_UNBLOCK USR2", sigprocmask(SIG_UNBLOCK, &set, NULL));
	sigprocmask(SIG_SETMASK, NULL, &old);
	printf("now: USR2=%d RTMAX=%d\n", sigismember(&old, SIGUSR2), sigismember(&old, SIGRTMAX));
	SHOW("raw rt_sigprocmask how 99", syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8));
	SHOW("raw rt_sigprocmask how 99, no set", syscall(SYS_rt_sigprocmask, 99, NULL, NULL, 8));
	SHOW("raw rt_sigprocmask size 4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
	sigpending(&old);
	printf("pending USR1: %d\n", sigismember(&old, SIGUSR1));
}

int main(void)
{
	actions();
	masks();
	return 0;
}
