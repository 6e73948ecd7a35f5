/*
 * signal_threads: process-directed signals in a threaded process go to a
 * thread that takes them, as Linux's complete_signal(): a worker in
 * sigwaitinfo gets a kill() the main thread blocks; a handler runs in the
 * worker that leaves the signal unblocked; a signal every thread blocks
 * stays pending for the process and keeps its siginfo until one takes it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "guest.h"

static pid_t sender;
static volatile pid_t handler_tid;

static void kill_parent(int sig)
{
	pid_t parent = getpid();
	sender = fork();
	if (sender == 0) {
		usleep(30000);
		kill(parent, sig);
		_exit(0);
	}
}

static void *sigwaiter(void *arg)
{
	sigset_t set;
	siginfo_t si;
	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	int s = sigwaitinfo(&set, &si);
	printf("worker sigwaitinfo: USR1 %d code SI_USER %d from sender %d\n", s == SIGUSR1,
	       si.si_code == SI_USER, si.si_pid == sender);
	return NULL;
}

static void on_usr2(int sig)
{
	(void)sig;
	handler_tid = gettid();
}

static void *unblocked(void *arg)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	for (int i = 0; i < 400 && !handler_tid; i++)
		usleep(5000);
	*(int *)arg = handler_tid == gettid();
	return NULL;
}

int main(void)
{
	sigset_t set, pend;
	siginfo_t si;
	pthread_t th;
	int in_worker = 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	pthread_create(&th, NULL, sigwaiter, NULL);
	kill_parent(SIGUSR1);
	pthread_join(th, NULL);
	waitpid(sender, NULL, 0);

	signal(SIGUSR2, on_usr2);
	pthread_create(&th, NULL, unblocked, &in_worker);
	usleep(10000);
	kill_parent(SIGUSR2);
	pthread_join(th, NULL);
	waitpid(sender, NULL, 0);
	printf("handler ran in the thread that unblocked it: %d\n", in_worker);

	pthread_create(&th, NULL, unblocked, &in_worker); /* it unblocks USR2, not TERM */
	kill_parent(SIGTERM);
	waitpid(sender, NULL, 0);
	usleep(20000);
	sigpending(&pend);
	printf("TERM pending for the process: %d\n", sigismember(&pend, SIGTERM));
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	int s = sigtimedwait(&set, &si, &(struct timespec){1, 0});
	printf("main sigtimedwait: TERM %d code SI_USER %d from sender %d\n", s == SIGTERM,
	       si.si_code == SI_USER, si.si_pid == sender);
	handler_tid = 1;
	pthread_join(th, NULL);
	return 0;
}
