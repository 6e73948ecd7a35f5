/* proc_sigpipe: writing to a pipe with no reader raises SIGPIPE (default:
 * the writer dies of it) or, with SIGPIPE ignored, fails with EPIPE. */
#include <signal.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

int main(void)
{
	int p[2], st;
	pipe(p);
	close(p[0]);
	pid_t pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child signaled %d sig %s\n", WIFSIGNALED(st),
	       WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "-");
	signal(SIGPIPE, SIG_IGN);
	SHOW("write ignored", write(p[1], "x", 1));
	return 0;
}
