/*
 * proc_init_signals: the init of a pid namespace (PID 1) gets only the
 * signals it has a handler for when they come from inside: SIGTERM,
 * SIGKILL and SIGSTOP from a child are dropped (kill still returns 0),
 * SIGUSR1 with a handler arrives, and kill(0, SIGTERM) from a child of the
 * same group ends the child only.  A child's exit signal other than
 * SIGCHLD is dropped too, and a child made by a child with CLONE_PARENT has
 * its maker's exit signal (SIGCHLD), not the one it asked for.  Run as
 * PID 1: natively in a new pid namespace, under uos as its first process.
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

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

	/* A child whose exit signal is SIGUSR2 (default action: terminate). */
	long k = syscall(SYS_clone, SIGUSR2, 0, 0, 0, 0);
	if (k == 0)
		_exit(3);
	SHOW("waitpid(__WCLONE) of the SIGUSR2 child", waitpid(k, &st, __WCLONE) == k);
	printf("init survived its exit signal, status %d\n", WEXITSTATUS(st));

	/* CLONE_PARENT asking for SIGUSR2: the new child's exit signal is its maker's, SIGCHLD. */
	c = fork();
	if (c == 0)
		_exit(syscall(SYS_clone, CLONE_PARENT | SIGUSR2, 0, 0, 0, 0) == 0 ? 4 : 0);
	waitpid(c, &st, 0);
	SHOW("plain wait() of the CLONE_PARENT child", wait(&st) > 0);
	printf("its status %d; init survived\n", WEXITSTATUS(st));
	return 0;
}
