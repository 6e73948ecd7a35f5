/*
 * proc_newborn_signals: a signal sent to a child at once after fork, before
 * it has run at all, is not lost and is what it is: SIGSTOP stops the
 * child (wait(WUNTRACED) sees it), SIGUSR1 kills it, SIGCONT after a stop
 * continues it.  Under uos the child may not yet have reached its first
 * ptrace stop then (whose own SIGSTOP a second one would merge with).
 */
#include <signal.h>
#include <sys/wait.h>
#include "guest.h"

#define ROUNDS 100

static pid_t child(void)
{
	pid_t c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	return c;
}

int main(void)
{
	int stopped = 0, killed = 0, continued = 0, st;
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < ROUNDS; i++) {
		pid_t c = child();
		kill(c, SIGSTOP);
		if (waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP)
			stopped++;
		kill(c, SIGCONT);
		if (waitpid(c, &st, WCONTINUED) == c && WIFCONTINUED(st))
			continued++;
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
	}
	for (int i = 0; i < ROUNDS; i++) {
		pid_t c = child();
		kill(c, SIGUSR1);
		if (waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1)
			killed++;
	}
	printf("stopped %d of %d\n", stopped, ROUNDS);
	printf("continued %d of %d\n", continued, ROUNDS);
	printf("killed by SIGUSR1 %d of %d\n", killed, ROUNDS);
	return 0;
}
