/* proc_ps: process tools read /proc and see our processes with our pids.
 * procps `ps -eo pid,ppid,stat,comm` and `busybox ps` must list this
 * process and a stopped child with the pids getpid() and fork() gave, and
 * Python's multiprocessing pool (fork, pipes, POSIX semaphores in /dev/shm)
 * must compute its sum.  Tools that are missing are reported as such, the
 * same way natively and under uos. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "guest.h"

/* Run cmd; report whether a line has pid in column col and the words of want. */
static void find_line(const char *what, const char *cmd, pid_t pid, const char *want)
{
	char line[512];
	int found = 0, lines = 0;
	FILE *f = popen(cmd, "r");
	if (!f) {
		printf("%s: popen failed\n", what);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		long v;
		lines++;
		if (sscanf(line, "%ld", &v) == 1 && v == pid && strstr(line, want))
			found = 1;
	}
	int st = pclose(f);
	printf("%s: exit %d has-lines %d found %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -1,
	       lines > 1, found);
}

int main(void)
{
	char cmd[128], want[64];
	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	kill(child, SIGSTOP);
	int st;
	waitpid(child, &st, WUNTRACED);

	snprintf(want, sizeof(want), " %d T ", getpid());
	find_line("ps stopped child", "ps -eo pid,ppid,stat,comm", child, want);
	snprintf(want, sizeof(want), " proc_ps");
	find_line("ps self", "ps -eo pid,ppid,stat,comm", getpid(), want);
	snprintf(cmd, sizeof(cmd), "ps -o pid,ppid,stat -p %d", child);
	snprintf(want, sizeof(want), " %d T", getpid());
	find_line("ps -p", cmd, child, want);
	find_line("busybox ps", "busybox ps", child, "proc_ps");
	find_line("ps -ef", "ps -ef | awk '{print $2, $3, $8}'", child, "proc_ps");
	kill(child, SIGKILL);
	waitpid(child, &st, 0);

	FILE *f = popen("/usr/bin/python3 -c 'import multiprocessing as mp; "
			"mp.set_start_method(\"fork\"); "
			"print(sum(mp.Pool(4).map(abs, range(-100, 100))))' 2>&1",
			"r");
	char line[256] = "";
	if (f && fgets(line, sizeof(line), f))
		printf("python multiprocessing: %s", line);
	if (f)
		pclose(f);
	return 0;
}
