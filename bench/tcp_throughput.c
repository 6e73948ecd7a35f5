/* tcp_throughput: a forked child writes 64 KiB blocks into a loopback TCP
 * connection as fast as it can; the parent reads them. N MiB (argument 1,
 * default 256); ns_per_op is one 64 KiB block read, so MB/s = 65536 /
 * ns_per_op * 1000. */
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define BLOCK 65536

struct reader {
	int fd;
	char *buf;
};

/*
 * A signal ends MSG_WAITALL early with what came so far, and a traced
 * reader stops even for the SIGCHLD it ignores (the writer exits while the
 * last blocks are still on their way): take the rest with another recv.
 */
static int op(void *ctx, const char **what)
{
	struct reader *r = ctx;

	*what = "recv";
	for (ssize_t got = 0, n; got < BLOCK; got += n)
		if ((n = recv(r->fd, r->buf + got, BLOCK - got, MSG_WAITALL)) <= 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	long mib = bench_iters(argc, argv, 256);
	struct reader r = {-1, malloc(BLOCK)};
	int port, l = bench_tcp_listen(&port), c, pid, rc, st;

	if (!r.buf || l < 0 || (c = bench_tcp_connect(port)) < 0 || (r.fd = accept(l, 0, 0)) < 0)
		return bench_fail("tcp_throughput", "listen, connect, accept");
	pid = fork();
	if (pid < 0)
		return bench_fail("tcp_throughput", "fork");
	if (pid == 0) { /* the warm-up reads a tenth more than the timed loop */
		close(r.fd);
		for (long i = 0; i < mib * 16 + mib * 16 / 10 + 1; i++)
			if (write(c, r.buf, BLOCK) != BLOCK)
				_exit(1);
		_exit(0);
	}
	close(c);
	close(l);
	rc = bench_loop("tcp_throughput", mib * 16, 1, op, &r);
	close(r.fd);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	return rc;
}
