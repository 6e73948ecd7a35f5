/*
 * ev_pwait_mask: epoll_pwait, epoll_pwait2 and ppoll wait with the signal mask they
 * are given: a signal the thread blocks but the call's mask lets through
 * ends the wait with EINTR after its handler ran; afterwards the thread's
 * own mask is back.  A bad sigset size gives EINVAL.
 */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "guest.h"

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void kill_me_soon(void)
{
	pid_t parent = getpid();
	if (fork() == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
}

static void still_blocked(void)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("  handled %d, SIGUSR1 blocked again %d\n", (int)handled, sigismember(&cur, SIGUSR1));
	handled = 0;
}

int main(void)
{
	sigset_t block, none;
	struct epoll_event ev;
	struct timespec ts = {2, 0};
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &block, NULL);
	int ep = epoll_create1(0);
	SHOW("epoll_pwait bad sigset size", syscall(SYS_epoll_pwait, ep, &ev, 1, 10, &none, 4));
	kill_me_soon();
	SHOW("epoll_pwait", epoll_pwait(ep, &ev, 1, 2000, &none));
	still_blocked();
	wait(NULL);
	kill_me_soon();
	SHOW("epoll_pwait2", syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, &none, 8));
	still_blocked();
	wait(NULL);
	kill_me_soon();
	SHOW("ppoll", ppoll(NULL, 0, &ts, &none));
	still_blocked();
	wait(NULL);
	SHOW("epoll_pwait, blocked, times out", epoll_pwait(ep, &ev, 1, 30, &block));
	return 0;
}
