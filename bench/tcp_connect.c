/* tcp_connect: connect to a loopback TCP listener, accept, close both, N
 * times (argument 1, default 5000). ns_per_op is one connection. */
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

static int op(void *ctx, const char **what)
{
	int *lp = ctx, c, s;

	*what = "connect";
	if ((c = bench_tcp_connect(lp[1])) < 0)
		return -1;
	*what = "accept";
	s = accept(lp[0], 0, 0);
	close(c);
	if (s < 0)
		return -1;
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	int lp[2];

	lp[0] = bench_tcp_listen(&lp[1]);
	if (lp[0] < 0)
		return bench_fail("tcp_connect", "listen");
	return bench_loop("tcp_connect", bench_iters(argc, argv, 5000), 1, op, lp);
}
