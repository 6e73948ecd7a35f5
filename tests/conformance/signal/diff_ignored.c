/* signal_ignored: a signal its target ignores (SIG_IGN, or SIG_DFL of one
 * ignored by default: SIGCHLD, SIGURG, SIGWINCH) and does not block is
 * discarded when sent; a blocked one stays pending whatever its action,
 * including while the thread waits for it in sigtimedwait (which unblocks
 * it for the wait) or in ppoll with a mask of its own, until such a mask
 * lets it through (a ppoll, pselect or epoll_pwait that finds nothing
 * ready drops it; a caught one pending ends even a zero-timeout ppoll).
 * uos decides these (the host never discards for a traced task): the
 * cases where deciding wrongly would lose or invent a signal. */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest.h"

static volatile sig_atomic_t got, usr1_got;

static void on_chld(int sig)
{
	got++;
}

static void on_usr1(int sig)
{
	usr1_got++;
}

static pid_t kid(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(7);
	return p;
}

static int pending(int sig)
{
	sigset_t p;
	sigpending(&p);
	return sigismember(&p, sig);
}

static void reap(pid_t c)
{
	int st;
	waitpid(c, &st, 0);
}

/* A thread that waits for SIGCHLD in sigtimedwait while the main thread blocks it too. */
static void *waiter(void *arg)
{
	sigset_t *s = arg;
	siginfo_t si = {0};
	struct timespec ts = {5, 0};
	int r = sigtimedwait(s, &si, &ts);
	printf("thread sigtimedwait: %d, status %d\n", r, si.si_status);
	return NULL;
}

int main(void)
{
	sigset_t chld, urg, usr1, none;
	siginfo_t si;
	struct timespec ts = {5, 0};
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);

	/* SIG_DFL, not blocked: the child's SIGCHLD is gone by the time it is blocked. */
	reap(kid());
	sigprocmask(SIG_BLOCK, &chld, NULL);
	printf("default, unblocked: pending %d\n", pending(SIGCHLD));
	/* Blocked: pending, and sigtimedwait takes it. */
	reap(kid());
	printf("default, blocked: pending %d\n", pending(SIGCHLD));
	printf("sigtimedwait takes it: %d\n", sigtimedwait(&chld, &si, &ts));
	/* Sent while the thread sits in sigtimedwait. */
	pid_t c = kid();
	int r = sigtimedwait(&chld, &si, &ts);
	printf("sigtimedwait while it comes: %d, code CLD_EXITED %d\n", r, si.si_code == CLD_EXITED);
	reap(c);
	/* Another thread waits for it. */
	pthread_t th;
	pthread_create(&th, NULL, waiter, &chld);
	usleep(50000);
	c = kid();
	pthread_join(th, NULL);
	reap(c);
	/*
	 * ppoll with a mask that unblocks it, the child dying during the wait:
	 * ignored, so it neither ends the wait nor stays.
	 */
	c = fork();
	if (c == 0) {
		usleep(100000);
		_exit(7);
	}
	struct timespec short_wait = {0, 400000000};
	r = ppoll(NULL, 0, &short_wait, &none);
	printf("ppoll unblocking an ignored SIGCHLD: %d, pending after %d\n", r, pending(SIGCHLD));
	reap(c);
	/*
	 * The child dead before the call: SIGCHLD waits, blocked.  A ppoll or
	 * pselect with nothing ready lets it through, its action ignoring it
	 * drops it, and the call goes on (Linux's -ERESTARTNOHAND with no
	 * handler), a zero timeout too (signals are looked at first); an
	 * epoll_pwait that waits ends with EINTR, one with a zero timeout
	 * returns first and leaves it pending.
	 */
	struct timespec zero = {0, 0};
	reap(kid());
	r = ppoll(NULL, 0, &zero, &none);
	printf("ppoll, zero timeout, SIGCHLD pending before: %d, pending after %d\n", r, pending(SIGCHLD));
	reap(kid());
	r = ppoll(NULL, 0, &short_wait, &none);
	printf("ppoll waiting, SIGCHLD pending before: %d, pending after %d\n", r, pending(SIGCHLD));
	reap(kid());
	r = pselect(0, NULL, NULL, NULL, &zero, &none);
	printf("pselect, zero timeout, SIGCHLD pending before: %d, pending after %d\n", r, pending(SIGCHLD));
	int ep = epoll_create1(0);
	struct epoll_event ev;
	reap(kid());
	r = epoll_pwait(ep, &ev, 1, 0, &none);
	printf("epoll_pwait, zero timeout: %d, pending after %d\n", r, pending(SIGCHLD));
	SHOW("epoll_pwait waiting", epoll_pwait(ep, &ev, 1, 400, &none));
	printf("pending after %d\n", pending(SIGCHLD));
	/* A caught one pending before: a zero timeout ends with EINTR, the handler run. */
	signal(SIGUSR1, on_usr1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	raise(SIGUSR1);
	SHOW("ppoll, zero timeout, SIGUSR1 caught and pending", ppoll(NULL, 0, &zero, &none));
	raise(SIGUSR1);
	SHOW("pselect, zero timeout, SIGUSR1 caught and pending", pselect(0, NULL, NULL, NULL, &zero, &none));
	SHOW("ppoll whose mask blocks it", (raise(SIGUSR1), ppoll(NULL, 0, &zero, &usr1)));
	printf("SIGUSR1 handler ran %d, pending %d\n", (int)usr1_got, pending(SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	printf("after unblocking: handler ran %d\n", (int)usr1_got);
	/* With a handler, unblocked: it runs. */
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	signal(SIGCHLD, on_chld);
	c = kid();
	while (!got)
		usleep(1000);
	reap(c);
	printf("handler ran: %d\n", (int)got);
	/* SIG_IGN by kill: dropped unblocked, kept blocked, and dropped again by SIG_DFL. */
	signal(SIGURG, SIG_IGN);
	kill(getpid(), SIGURG);
	sigprocmask(SIG_BLOCK, &urg, NULL);
	printf("SIGURG ignored, unblocked: pending %d\n", pending(SIGURG));
	kill(getpid(), SIGURG);
	printf("SIGURG ignored, blocked: pending %d\n", pending(SIGURG));
	signal(SIGURG, SIG_DFL);
	printf("SIGURG after SIG_DFL: pending %d\n", pending(SIGURG));
	/* A default-ignored signal sent to itself with the default action. */
	sigprocmask(SIG_UNBLOCK, &urg, NULL);
	SHOW("raise SIGWINCH", raise(SIGWINCH));
	sigprocmask(SIG_BLOCK, &urg, NULL);
	printf("SIGWINCH pending %d\n", pending(SIGWINCH));
	return 0;
}
