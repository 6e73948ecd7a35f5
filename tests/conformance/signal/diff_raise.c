/* signal_raise: a blocked signal stays pending and is delivered once, on
 * unblock; an ignored signal is dropped; a handler runs with the signal
 * blocked and its siginfo names the sender's kind (SI_TKILL). */
#include <signal.h>
#include "guest.h"

struct seen {
	volatile sig_atomic_t count;
	volatile sig_atomic_t code;
	volatile sig_atomic_t self_blocked;
};

/* Handlers take no argument of ours; this is where they find the record. */
static struct seen *cur_seen;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	cur_seen->count++;
	cur_seen->code = si->si_code;
	cur_seen->self_blocked = sigismember(&now, SIGUSR1);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	struct seen seen = { 0, 0, 0 };
	sigset_t set, pend;

	cur_seen = &seen;
	sigaction(SIGUSR1, &sa, NULL);
	SHOW("raise USR1", raise(SIGUSR1));
	printf("delivered: %d, si_code SI_TKILL: %d, blocked in handler: %d\n",
	       (int)seen.count, seen.code == SI_TKILL, (int)seen.self_blocked);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigpending(&pend);
	printf("while blocked: delivered %d, pending %d\n", (int)seen.count, sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("after unblock: delivered %d (standard signals do not queue)\n", (int)seen.count);
	signal(SIGUSR2, SIG_IGN);
	SHOW("raise ignored USR2", raise(SIGUSR2));
	sigpending(&pend);
	printf("USR2 pending: %d\n", sigismember(&pend, SIGUSR2));
	return 0;
}
