/* proc_vfork: the parent is suspended until the child execs or exits; the
 * child shares memory until then; the exec'd child's status comes back. */
#include <sys/wait.h>
#include "../conformance/guest.h"

int main(void)
{
	volatile int shared = 0;
	int st;
	pid_t pid = vfork();
	if (pid == 0) {
		usleep(50000);
		shared = 42;
		_exit(7);
	}
	printf("after child exit: shared %d\n", shared);
	waitpid(pid, &st, 0);
	printf("status %d\n", WEXITSTATUS(st));
	int p[2];
	pipe(p);
	pid = vfork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/bin/sh", "sh", "-c", "echo from exec; exit 4", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[64] = {0};
	read(p[0], buf, sizeof(buf) - 1);
	waitpid(pid, &st, 0);
	printf("exec child said: %s", buf);
	printf("status %d\n", WEXITSTATUS(st));
	return 0;
}
