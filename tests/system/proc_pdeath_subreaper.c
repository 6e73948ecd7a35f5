/*
 * proc_pdeath_subreaper: prctl(PR_SET_PDEATHSIG) and PR_SET_CHILD_SUBREAPER.
 * A grandchild whose parent dies gets its parent-death signal (SI_USER from
 * the dead parent) and is reparented to the nearest subreaper, which waits
 * for it; PR_GET_CHILD_SUBREAPER reads the flag back; a non-subreaper's
 * orphans go past it.  Pids print as flags.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

static volatile sig_atomic_t got, code_ok, pid_ok;
static pid_t dying;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	got = 1;
	code_ok = si->si_code == SI_USER;
	pid_ok = si->si_pid == dying;
}

/* Fork a middle process that forks a grandchild and exits; the grandchild reports. */
static void orphan_under(pid_t reaper)
{
	int pfd[2];
	if (pipe(pfd) < 0)
		exit(1);
	pid_t mid = fork();
	if (mid == 0) {
		pid_t g = fork();
		if (g == 0) {
			struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
			sigaction(SIGUSR1, &sa, NULL);
			dying = getppid();
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			if (write(pfd[1], "r", 1) != 1) /* ready */
				_exit(1);
			for (int i = 0; i < 400 && !got; i++)
				usleep(5000);
			for (int i = 0; i < 400 && getppid() == dying; i++)
				usleep(5000);
			printf("  grandchild: pdeath signal %d si_code SI_USER %d si_pid parent %d\n",
			       (int)got, (int)code_ok, (int)pid_ok);
			printf("  grandchild: new parent is the subreaper %d\n", getppid() == reaper);
			_exit(5);
		}
		char c;
		if (read(pfd[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	waitpid(mid, NULL, 0);
}

int main(void)
{
	int on = -1;
	setvbuf(stdout, NULL, _IONBF, 0);
	SHOW("get subreaper", prctl(PR_GET_CHILD_SUBREAPER, &on));
	printf("flag %d\n", on);
	SHOW("set subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1));
	SHOW("get subreaper", prctl(PR_GET_CHILD_SUBREAPER, &on));
	printf("flag %d\n", on);
	printf("orphan under a subreaper:\n");
	orphan_under(getpid());
	int st;
	pid_t w = wait(&st);
	printf("subreaper reaped the orphan %d status %d\n", w > 0, WEXITSTATUS(st));
	SHOW("wait again", wait(NULL));
	return 0;
}
