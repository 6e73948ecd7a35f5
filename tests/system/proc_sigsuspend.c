/* proc_sigsuspend: the classic race-free wait: block SIGUSR1, fork a child
 * that signals, sigsuspend with it unblocked; -1 EINTR after the handler,
 * and the old mask is back.  Repeated to catch lost wake-ups. */
#include <signal.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

static volatile sig_atomic_t got;
static void on_usr1(int sig) { got++; }

int main(void)
{
	sigset_t block, old, empty, now;
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigemptyset(&empty);
	int ok = 0, eintr = 0;
	for (int i = 0; i < 50; i++) {
		pid_t parent = getpid(), pid = fork();
		if (pid == 0) {
			kill(parent, SIGUSR1);
			_exit(0);
		}
		got = 0;
		errno = 0;
		int r = sigsuspend(&empty);
		eintr += r == -1 && errno == EINTR;
		ok += got == 1;
		waitpid(pid, NULL, 0);
	}
	sigprocmask(SIG_SETMASK, NULL, &now);
	printf("woken %d of 50, EINTR %d, USR1 blocked again %d\n", ok, eintr,
	       sigismember(&now, SIGUSR1));
	return 0;
}
