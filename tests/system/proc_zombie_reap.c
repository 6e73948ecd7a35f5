/* proc_zombie_reap: a dead child stays a zombie (state Z in /proc) until
 * waited for; WNOHANG, the status, then ECHILD. */
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

static char state(pid_t pid)
{
	char path[64], buf[512], *p;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return '?';
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p ? p[2] : '?';
}

int main(void)
{
	int st;
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT); /* until it is dead, leaving the zombie */
	printf("state before wait: %c\n", state(pid));
	SHOW("kill zombie", kill(pid, 0));
	SHOW("waitpid", waitpid(pid, &st, WNOHANG) == pid);
	printf("exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
	printf("state after wait: %c\n", state(pid));
	SHOW("waitpid again", waitpid(pid, &st, 0));
	SHOW("wnohang no child", waitpid(-1, &st, WNOHANG));
	int p[2];
	char c;
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1); /* lives until the parent closes its end */
		_exit(0);
	}
	close(p[0]);
	SHOW("wnohang live child", waitpid(pid, &st, WNOHANG));
	close(p[1]);
	SHOW("wait live child", waitpid(pid, &st, 0) == pid);
	return 0;
}
