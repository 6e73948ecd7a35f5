/* fork_exec_wait: fork, the child execve()s a static program that exits 0 at
 * once (argument 2, default "bench_true" next to this program), the parent
 * waitpid()s; N times (argument 1, default 1000). ns_per_op is one cycle. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static int op(void *ctx, const char **what)
{
	char *const argv[] = { ctx, NULL };
	char *const envp[] = { NULL };
	int status;
	pid_t pid;

	*what = "fork";
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(ctx, argv, envp);
		_exit(127);
	}
	*what = "waitpid";
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	*what = "child status (execve failed?)";
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	const char *slash = strrchr(argv[0], '/');

	if (argc > 2)
		snprintf(path, sizeof(path), "%s", argv[2]);
	else
		snprintf(path, sizeof(path), "%.*sbench_true",
			 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
	return bench_loop("fork_exec_wait", bench_iters(argc, argv, 1000), 1, op, path);
}
