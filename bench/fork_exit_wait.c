/* fork_exit_wait: fork, the child _exit(0)s at once, the parent waitpid()s;
 * N times (argument 1, default 2000). ns_per_op is one whole cycle. */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static int op(void *ctx, const char **what)
{
	int status;
	pid_t pid;

	*what = "fork";
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	*what = "waitpid";
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	*what = "child status";
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	return bench_loop("fork_exit_wait", bench_iters(argc, argv, 2000), 1, op, NULL);
}
