/*
 * time_alarm_eintr: the host's timers (alarm, setitimer) end calls that
 * wait in uos: a pipe read and a poll end with EINTR after the handler ran;
 * with SA_RESTART the read goes on and gets the byte a child writes later.
 */
#include <poll.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "guest.h"

static volatile sig_atomic_t alarms;

static void on_alrm(int sig)
{
	(void)sig;
	alarms++;
}

static void handle(int flags)
{
	struct sigaction sa = {.sa_handler = on_alrm, .sa_flags = flags};
	sigaction(SIGALRM, &sa, NULL);
}

int main(void)
{
	int p[2];
	char c;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(p) < 0)
		return 1;
	handle(0);
	alarm(1);
	SHOW("read, alarm", read(p[0], &c, 1));
	printf("  alarms %d\n", (int)alarms);
	struct itimerval it = {{0, 0}, {0, 100000}};
	setitimer(ITIMER_REAL, &it, NULL);
	struct pollfd pf = {p[0], POLLIN, 0};
	SHOW("poll, setitimer", poll(&pf, 1, 5000));
	printf("  alarms %d\n", (int)alarms);
	handle(SA_RESTART);
	setitimer(ITIMER_REAL, &it, NULL);
	pid_t w = fork();
	if (w == 0) {
		usleep(400000);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	SHOW("read, SA_RESTART", read(p[0], &c, 1));
	printf("  alarms %d\n", (int)alarms);
	waitpid(w, NULL, 0);
	return 0;
}
