/*
 * ev_timeout_left: select, pselect6 and ppoll write the time left back into
 * their timeout (Linux's behaviour; glibc's select shows it): zero after a
 * timeout, most of it when a pipe became ready early or a signal ended the
 * wait (EINTR), untouched with a zero timeout.  Printed as ranges.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include "guest.h"

static int p[2];

/* A child writes to the pipe after 50 ms. */
static void writer_soon(void)
{
	char c;
	while (read(p[0], &c, 1) == 1) /* empty it */
		;
	if (fork() == 0) {
		usleep(50000);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
}

static const char *range(long long us)
{
	return us == 0 ? "zero" : us > 1000000 && us < 2000000 ? "most left" : "other";
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A timer's signal after 50 ms ends each wait with EINTR: the rest is written back too. */
static void interrupted(fd_set *rd, struct pollfd *pf)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	struct itimerval soon = {{0, 0}, {0, 50000}};
	sigaction(SIGALRM, &sa, NULL);
	struct timeval tv = {2, 0};
	FD_ZERO(rd);
	FD_SET(p[0], rd);
	setitimer(ITIMER_REAL, &soon, NULL);
	SHOW("select interrupted", select(p[0] + 1, rd, NULL, NULL, &tv));
	printf("  left: %s\n", range(tv.tv_sec * 1000000LL + tv.tv_usec));
	struct timespec ts = {2, 0};
	FD_SET(p[0], rd);
	setitimer(ITIMER_REAL, &soon, NULL);
	SHOW("pselect6 interrupted", syscall(SYS_pselect6, p[0] + 1, rd, NULL, NULL, &ts, NULL));
	printf("  left: %s\n", range(ts.tv_sec * 1000000LL + ts.tv_nsec / 1000));
	ts = (struct timespec){2, 0};
	setitimer(ITIMER_REAL, &soon, NULL);
	SHOW("ppoll interrupted", syscall(SYS_ppoll, pf, 1, &ts, NULL, 8));
	printf("  left: %s\n", range(ts.tv_sec * 1000000LL + ts.tv_nsec / 1000));
}

int main(void)
{
	fd_set rd;
	if (pipe2(p, O_NONBLOCK) < 0)
		return 1;
	struct timeval tv = {0, 30000};
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	SHOW("select timeout", select(p[0] + 1, &rd, NULL, NULL, &tv));
	printf("  left: %s\n", range(tv.tv_sec * 1000000LL + tv.tv_usec));
	writer_soon();
	tv = (struct timeval){2, 0};
	FD_SET(p[0], &rd);
	SHOW("select ready", select(p[0] + 1, &rd, NULL, NULL, &tv));
	printf("  left: %s\n", range(tv.tv_sec * 1000000LL + tv.tv_usec));
	wait(NULL);
	writer_soon();
	struct timespec ts = {2, 0};
	FD_SET(p[0], &rd);
	SHOW("pselect6 ready", syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, NULL));
	printf("  left: %s\n", range(ts.tv_sec * 1000000LL + ts.tv_nsec / 1000));
	wait(NULL);
	writer_soon();
	struct pollfd pf = {p[0], POLLIN, 0};
	ts = (struct timespec){2, 0};
	SHOW("ppoll ready", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
	printf("  left: %s\n", range(ts.tv_sec * 1000000LL + ts.tv_nsec / 1000));
	wait(NULL);
	ts = (struct timespec){0, 20000000};
	pf.revents = 0;
	{ char c; while (read(p[0], &c, 1) == 1) ; }
	SHOW("ppoll timeout", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
	printf("  left: %s\n", range(ts.tv_sec * 1000000LL + ts.tv_nsec / 1000));
	tv = (struct timeval){0, 0};
	SHOW("select zero", select(p[0] + 1, &rd, NULL, NULL, &tv));
	printf("  left: %s\n", range(tv.tv_sec * 1000000LL + tv.tv_usec));
	interrupted(&rd, &pf);
	return 0;
}
