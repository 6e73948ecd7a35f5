/* proc_sigchld_info: SIGCHLD's siginfo for exit, kill and stop (si_code,
 * si_status, si_pid), and kill(2)'s si_code SI_USER and sender pid. */
#include <signal.h>
#include <sys/wait.h>
#include "../guest/guest.h"

static volatile int got_code, got_status, got_pid_ok, got_signo;
static pid_t expect_pid;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
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
	pid_t pid = expect_pid = fork();
	if (pid == 0) {
		usleep(20000); /* until the parent has set expect_pid */
		_exit(3);
	}
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
	got_signo = 0;
	expect_pid = getpid();
	pid = fork();
	if (pid == 0) {
		expect_pid = getppid();
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	expect_pid = pid;
	while (got_signo != SIGUSR1)
		usleep(5000);
	printf("kill: code SI_USER %d pid ok %d\n", got_code == SI_USER, got_pid_ok);
	waitpid(pid, NULL, 0);
	return 0;
}
