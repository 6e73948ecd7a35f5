/* pipe_roundtrip: one byte sent through a pipe to a forked child and back
 * through a second pipe, N times (argument 1, default 20000). ns_per_op is
 * one round trip: two writes, two reads, two wake-ups. */
#include <unistd.h>

#include "bench.h"

struct ends {
	int to_child;
	int from_child;
};

static int op(void *ctx, const char **what)
{
	struct ends *e = ctx;
	char c = 'x';

	*what = "write";
	if (write(e->to_child, &c, 1) != 1)
		return -1;
	*what = "read";
	return read(e->from_child, &c, 1) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int down[2], up[2], pid, rc;
	struct ends e;

	if (pipe(down) < 0 || pipe(up) < 0)
		return bench_fail("pipe_roundtrip", "pipe");
	pid = bench_echo_start(down[0], up[1], (int[]){ down[1], up[0] }, 2);
	if (pid < 0)
		return bench_fail("pipe_roundtrip", "fork");
	close(down[0]);
	close(up[1]);
	e.to_child = down[1];
	e.from_child = up[0];
	rc = bench_loop("pipe_roundtrip", bench_iters(argc, argv, 20000), 1, op, &e);
	if (bench_echo_stop(e.to_child, pid) < 0)
		return bench_fail("pipe_roundtrip", "waitpid");
	return rc;
}
