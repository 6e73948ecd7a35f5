/* proc_sigchld_info: SIGCHLD's siginfo for exit, kill and stop (si_code,
 * si_status, si_pid), and kill(2)'s si_code SI_USER and sender pid. */
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

static volatile int got_code, got_status, got_pid_ok, got_signo;
static volatile int usr1_code = -1, usr1_pid_ok; /* kept apart: the child's SIGCHLD follows */
static volatile pid_t expect_pid;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	if (sig == SIGUSR1) {
		usr1_pid_ok = si->si_pid == expect_pid;
		usr1_code = si->si_code;
		return;
	}
	got_signo = sig;
	got_code = si->si_code;
	got_status = si->si_status;
	got_pid_ok = si->si_pid == expect_pid;
}

static void report(const char *what)
{
	printf("%s: signo %d code %d status %d pid ok %d\n", what, got_signo, got_code, got_status,
	       got_pid_ok);
	got_signo = got_code = got_status = got_pid_ok = 0;
}

static void wait_sig(void)
{
	for (int i = 0; i < 200 && !got_signo; i++)
		usleep(5000);
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO | SA_RESTART};
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	int ready[2];
	char b;
	pipe(ready);
	pid_t pid = expect_pid = fork();
	if (pid == 0) { /* exits once the parent has set expect_pid */
		read(ready[0], &b, 1);
		_exit(3);
	}
	write(ready[1], "x", 1);
	wait_sig();
	report("exit");
	waitpid(pid, NULL, 0);
	pid = expect_pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	usleep(20000);
	kill(pid, SIGTERM);
	wait_sig();
	report("killed");
	waitpid(pid, NULL, 0);
	pid = expect_pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	usleep(20000);
	kill(pid, SIGSTOP);
	wait_sig();
	report("stopped");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	int go[2];
	char c;
	pipe(go);
	pid = fork();
	if (pid == 0) { /* sends once the parent knows its pid */
		read(go[0], &c, 1);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	expect_pid = pid;
	write(go[1], "x", 1);
	while (usr1_code == -1)
		usleep(5000);
	printf("kill: code SI_USER %d pid ok %d\n", usr1_code == SI_USER, usr1_pid_ok);
	waitpid(pid, NULL, 0);
	return 0;
}
