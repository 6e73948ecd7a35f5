/*
 * proc_init_signals: the init of a pid namespace (PID 1) gets only the
 * signals it has a handler for when they come from inside: SIGTERM,
 * SIGKILL and SIGSTOP from a child are dropped (kill still returns 0),
 * SIGUSR1 with a handler arrives, and kill(0, SIGTERM) from a child of the
 * same group ends the child only.  Run as PID 1: natively in a new pid
 * namespace, under uos as its first process.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "../guest/guest.h"

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

int main(void)
{
	int st;
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("pid 1: %d\n", getpid() == 1);
	setsid(); /* a group of its own (natively unshare's; under uos it has one) for kill(0) */
	signal(SIGUSR1, on_usr1);
	pid_t c = fork();
	if (c == 0) {
		SHOW("kill(1, SIGTERM)", kill(1, SIGTERM));
		SHOW("kill(1, SIGKILL)", kill(1, SIGKILL));
		SHOW("kill(1, SIGSTOP)", kill(1, SIGSTOP));
		SHOW("kill(1, SIGUSR1)", kill(1, SIGUSR1));
		kill(0, SIGTERM);
		_exit(0);
	}
	waitpid(c, &st, 0);
	for (int i = 0; i < 100 && !usr1; i++)
		usleep(1000);
	printf("child killed by SIGTERM %d; init survived, SIGUSR1 handled %d\n",
	       WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, (int)usr1);
	return 0;
}
