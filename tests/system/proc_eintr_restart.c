/* proc_eintr_restart: a read blocked on an empty pipe is interrupted by a
 * handled signal: EINTR without SA_RESTART, restarted (and completing) with
 * it; an ignored signal does not interrupt it. */
#include <signal.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

static volatile int handled;
static void on_usr1(int sig) { handled++; }

static void trial(const char *what, int flags, int ignore)
{
	int p[2];
	char c = 0;
	struct sigaction sa = {.sa_handler = ignore ? SIG_IGN : on_usr1, .sa_flags = flags};
	sigaction(SIGUSR1, &sa, NULL);
	pipe(p);
	handled = 0;
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		usleep(50000);
		write(p[1], "x", 1);
		_exit(0);
	}
	errno = 0;
	long r = read(p[0], &c, 1);
	printf("%s: read = %ld %s, handled %d, byte %c\n", what, r, r < 0 ? ename(errno) : "",
	       handled, c ? c : '-');
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	trial("no SA_RESTART", 0, 0);
	trial("SA_RESTART", SA_RESTART, 0);
	trial("ignored", 0, 1);
	return 0;
}
