/* signal_parked: a signal sent while its target waits in a call uos
 * serves (a read of an empty pipe) ends the call only if the action the
 * host holds catches it.  uos reads that action from its own books where
 * they are the host's, and from the host where they may not be: an action
 * that reset itself at its first delivery (SA_RESETHAND, which the host
 * applies), and one another process changed through the actions they
 * share (CLONE_SIGHAND).  Wrongly decided, the read ends with EINTR where
 * Linux's goes on. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

static volatile sig_atomic_t chld_got, usr1_got;
static int pipefd[2];
static char stack[1 << 16] __attribute__((aligned(16)));

static void on_chld(int sig)
{
	chld_got++;
}

static void on_usr1(int sig)
{
	usr1_got++;
}

/* A child that writes a byte to the pipe after delay us, and one that only dies after it. */
static pid_t later(int delay, int writes)
{
	pid_t p = fork();
	if (p == 0) {
		usleep(delay);
		if (writes)
			write(pipefd[1], "x", 1);
		_exit(0);
	}
	return p;
}

static void read_one(const char *what)
{
	char c;
	SHOW(what, read(pipefd[0], &c, 1));
}

/* Shares its parent's actions: ignores SIGUSR1 for both, then sends it to the parent. */
static int sharer(void *arg)
{
	struct sigaction ign = {.sa_handler = SIG_IGN};
	sigaction(SIGUSR1, &ign, NULL);
	usleep(100000);
	kill(getppid(), SIGUSR1);
	usleep(300000);
	write(pipefd[1], "x", 1);
	return 0;
}

int main(void)
{
	int st;
	pipe(pipefd);

	struct sigaction once = {.sa_handler = on_chld, .sa_flags = SA_RESETHAND};
	sigaction(SIGCHLD, &once, NULL);
	pid_t a = later(0, 0);
	while (!chld_got)
		usleep(1000);
	waitpid(a, &st, 0);
	pid_t b = later(100000, 0), w = later(400000, 1);
	read_one("SA_RESETHAND: a read a second child's death comes in");
	printf("SIGCHLD handler ran %d\n", (int)chld_got);
	waitpid(b, &st, 0);
	waitpid(w, &st, 0);

	struct sigaction catch = {.sa_handler = on_usr1}; /* no SA_RESTART: a wrong interrupt shows */
	sigaction(SIGUSR1, &catch, NULL);
	pid_t s = clone(sharer, stack + sizeof(stack), CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
	read_one("CLONE_SIGHAND: a read SIGUSR1 comes in, ignored by the sharer");
	printf("SIGUSR1 handler ran %d\n", (int)usr1_got);
	waitpid(s, &st, 0);
	return 0;
}
