/*
 * POSIX timers: timer_create until it fails.  Each timer holds a queued
 * signal's worth of the host's RLIMIT_SIGPENDING, so the bound is EAGAIN
 * at or below that limit; then they are deleted and a new one works.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <sys/resource.h>
#include <time.h>

#include "exhaust.h"

#define MAX 400000

static timer_t ids[MAX];

int main(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN};
	struct rlimit r;
	long n = 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	getrlimit(RLIMIT_SIGPENDING, &r);
	while (n < MAX && timer_create(CLOCK_MONOTONIC, &ev, &ids[n]) == 0)
		n++;
	printf("timer_create until: %s\n", n < MAX ? ename(errno) : "none");
	printf("count within RLIMIT_SIGPENDING: %s\n", (rlim_t)n <= r.rlim_cur ? "yes" : "no");
	for (long i = 0; i < n; i++)
		timer_delete(ids[i]);
	said("timer_create after deleting", timer_create(CLOCK_MONOTONIC, &ev, &ids[0]));
	return 0;
}
