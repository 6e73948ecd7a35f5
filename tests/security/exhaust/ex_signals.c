/*
 * Queued real-time signals: with SIGRTMIN blocked and RLIMIT_SIGPENDING
 * set to LIMIT, sigqueue to itself until it fails: EAGAIN (Linux's
 * answer for a full queue); every one queued is then taken, with its
 * value, by sigtimedwait.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "exhaust.h"

int main(int argc, char **argv)
{
	long limit = argc > 1 ? atol(argv[1]) : 2000, n = 0, taken = 0, in_order = 0;
	struct rlimit r = {(rlim_t)limit, (rlim_t)limit};
	sigset_t set;
	setvbuf(stdout, NULL, _IONBF, 0);
	said("setrlimit SIGPENDING", setrlimit(RLIMIT_SIGPENDING, &r));
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	while (n <= limit && sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = (int)n}) == 0)
		n++;
	printf("sigqueue until: %s\n", n <= limit ? ename(errno) : "none");
	printf("queued within the limit: %s\n", n <= limit && n > limit / 2 ? "yes" : "no");
	siginfo_t si;
	struct timespec zero = {0, 0};
	while (sigtimedwait(&set, &si, &zero) == SIGRTMIN) {
		in_order += si.si_value.sival_int == taken;
		taken++;
	}
	printf("taken: %s, values in order: %s\n", taken == n ? "all" : "not all",
	       in_order == n ? "yes" : "no");
	said("sigqueue after", sigqueue(getpid(), SIGRTMIN, (union sigval){0}));
	return 0;
}
