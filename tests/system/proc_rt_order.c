/* proc_rt_order: blocked real-time signals queue (every instance, with its
 * value) and are delivered lowest number first, in send order per signal;
 * a standard signal is not queued twice. */
#include <signal.h>
#include "../conformance/guest.h"

static int seen[32], nseen;
static void on_sig(int sig, siginfo_t *si, void *uc)
{
	if (nseen < 32)
		seen[nseen++] = sig * 1000 + si->si_value.sival_int;
}

int main(void)
{
	sigset_t set;
	struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO};
	sigemptyset(&set);
	for (int s = SIGRTMIN; s <= SIGRTMIN + 2; s++) {
		sigaction(s, &sa, NULL);
		sigaddset(&set, s);
	}
	sigaction(SIGUSR1, &sa, NULL);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int order[] = {2, 0, 1, 2, 0};
	for (int i = 0; i < 5; i++)
		sigqueue(getpid(), SIGRTMIN + order[i], (union sigval){.sival_int = i});
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("delivered %d:", nseen);
	for (int i = 0; i < nseen; i++) {
		int sig = seen[i] / 1000;
		printf(" %s%d/%d", sig == SIGUSR1 ? "USR1+" : "RTMIN+",
		       sig == SIGUSR1 ? 0 : sig - SIGRTMIN, seen[i] % 1000);
	}
	printf("\n");
	return 0;
}
