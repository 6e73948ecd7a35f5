/* tcp_throughput: a forked child writes 64 KiB blocks into a loopback TCP
 * connection as fast as it can; the parent reads them. N MiB (argument 1,
 * default 256); ns_per_op is one 64 KiB block read, so MB/s = 65536 /
 * ns_per_op * 1000. */
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

/*
 * A signal ends MSG_WAITALL early with what came so far, and a traced
 * reader stops even for the SIGCHLD it ignores (the writer exits while the
 * last blocks are still on their way): take the rest with another recv.
 */
static int op(void *ctx, const char **what)
{
	struct bench_reader *r = ctx;

	*what = "recv";
	for (ssize_t got = 0, n; got < BENCH_BLOCK; got += n)
		if ((n = recv(r->fd, r->buf + got, BENCH_BLOCK - got, MSG_WAITALL)) <= 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int port, l = bench_tcp_listen(&port), c, a;

	if (l < 0 || (c = bench_tcp_connect(port)) < 0 || (a = accept(l, 0, 0)) < 0)
		return bench_fail("tcp_throughput", "listen, connect, accept");
	close(l);
	return bench_stream("tcp_throughput", a, c, bench_iters(argc, argv, 256), op);
}
