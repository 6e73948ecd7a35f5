/*
 * proc_rusage: a child's CPU time reaches its parent as Linux reports it:
 * wait4's rusage, waitid's, getrusage(RUSAGE_CHILDREN), times()' cutime and
 * SIGCHLD's si_utime, also when a thread of the child burned it.  Times
 * print as "over 50 ms" flags.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include "guest.h"

static volatile long sig_utime = -1;

/* Burn 200 ms of this thread's CPU time, whatever the CPU's speed. */
static void *burn(void *arg)
{
	volatile unsigned long x = 0;
	struct timespec ts;
	do {
		for (unsigned long i = 0; i < 1000000UL; i++)
			x += i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	} while (ts.tv_sec == 0 && ts.tv_nsec < 200000000L);
	return arg;
}

static int over50ms(const struct timeval *tv)
{
	return tv->tv_sec * 1000000 + tv->tv_usec > 50000;
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	sig_utime = si->si_utime;
}

/* A child that burns CPU, in a thread if threaded. */
static pid_t spawn(int threaded)
{
	pid_t p = fork();
	if (p == 0) {
		pthread_t th;
		if (threaded) {
			pthread_create(&th, NULL, burn, NULL);
			pthread_join(th, NULL);
		} else {
			burn(NULL);
		}
		_exit(0);
	}
	return p;
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_RESTART};
	struct rusage ru;
	siginfo_t si;
	struct tms t;
	int st;
	sigaction(SIGCHLD, &sa, NULL);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("children before: %d\n", over50ms(&ru.ru_utime));
	wait4(spawn(0), &st, 0, &ru);
	printf("wait4: %d, SIGCHLD si_utime over 5 ticks: %d\n", over50ms(&ru.ru_utime), sig_utime > 5);
	memset(&ru, 0, sizeof(ru));
	pid_t p = spawn(1);
	syscall(SYS_waitid, P_PID, p, &si, WEXITED, &ru);
	printf("waitid, threaded child: %d\n", over50ms(&ru.ru_utime));
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("children after: %d\n", over50ms(&ru.ru_utime));
	times(&t);
	printf("times cutime over 10 ticks: %d\n", t.tms_cutime > 10);
	return 0;
}
