/*
 * exit_waiting: main returns while another thread waits in sigwait with
 * every signal blocked; the process must end (serial mode once deadlocked:
 * the exiting leader held the CPU its thread needed to die).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static void *waiter(void *arg)
{
	sigset_t all;
	int sig;
	sigfillset(&all);
	sigwait(&all, &sig);
	return arg;
}

int main(void)
{
	sigset_t all;
	pthread_t th;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_create(&th, NULL, waiter, NULL);
	usleep(10000);
	printf("main exits\n");
	return 0;
}
