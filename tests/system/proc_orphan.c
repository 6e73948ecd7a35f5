/* proc_orphan: a grandchild whose parent died is reparented to PID 1 (run
 * with --init under uos, where PID 1 is uos's own init). */
#include <sys/wait.h>
#include "../conformance/guest.h"

int main(void)
{
	int p[2], s[2];
	pipe(p);
	pipe(s);
	pid_t child = fork();
	if (child == 0) {
		if (fork() == 0) {
			close(p[0]);
			pid_t before = getppid();
			write(s[1], "r", 1); /* now the child may die */
			usleep(200000);
			char msg[64];
			int n = snprintf(msg, sizeof(msg), "%d %d\n", before != 1, getppid());
			write(p[1], msg, n);
			_exit(0);
		}
		char c;
		read(s[0], &c, 1);
		_exit(0);
	}
	close(p[1]);
	waitpid(child, NULL, 0);
	char buf[64] = {0};
	read(p[0], buf, sizeof(buf) - 1);
	int first, ppid;
	sscanf(buf, "%d %d", &first, &ppid);
	printf("first parent was the child: %d\n", first);
	printf("new parent is 1: %d\n", ppid == 1);
	return 0;
}
