/* pipe_throughput: a forked child writes 64 KiB blocks into a pipe as fast
 * as it can; the parent reads them. N MiB (argument 1, default 256); ns_per_op
 * is one 64 KiB block read, so MB/s = 65536 / ns_per_op * 1000. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define BLOCK 65536

struct reader {
	int fd;
	char *buf;
};

/* Read one whole block (a pipe read may return less). */
static int op(void *ctx, const char **what)
{
	struct reader *r = ctx;
	size_t got = 0;

	*what = "read";
	while (got < BLOCK) {
		ssize_t n = read(r->fd, r->buf + got, BLOCK - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long mib = bench_iters(argc, argv, 256);
	struct reader r = {-1, malloc(BLOCK)};
	int p[2], pid, rc, st;

	if (!r.buf || pipe(p) < 0)
		return bench_fail("pipe_throughput", "pipe");
	pid = fork();
	if (pid < 0)
		return bench_fail("pipe_throughput", "fork");
	if (pid == 0) { /* the warm-up reads a tenth more than the timed loop */
		close(p[0]);
		for (long i = 0; i < mib * 16 + mib * 16 / 10 + 1; i++)
			if (write(p[1], r.buf, BLOCK) != BLOCK)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	r.fd = p[0];
	rc = bench_loop("pipe_throughput", mib * 16, 1, op, &r);
	close(p[0]);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	return rc;
}
