/* tcp_roundtrip: one byte sent over a loopback TCP connection to a forked
 * child and back, N times (argument 1, default 20000). ns_per_op is one
 * round trip. */
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

static int op(void *ctx, const char **what)
{
	int fd = *(int *)ctx;
	char c = 'x';

	*what = "write";
	if (write(fd, &c, 1) != 1)
		return -1;
	*what = "read";
	return read(fd, &c, 1) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int port, l = bench_tcp_listen(&port), c, s, pid, rc;

	if (l < 0 || (c = bench_tcp_connect(port)) < 0 || (s = accept(l, 0, 0)) < 0)
		return bench_fail("tcp_roundtrip", "listen, connect, accept");
	int others[] = {l, c};
	pid = bench_echo_start(s, s, others, 2);
	if (pid < 0)
		return bench_fail("tcp_roundtrip", "fork");
	close(s);
	close(l);
	rc = bench_loop("tcp_roundtrip", bench_iters(argc, argv, 20000), 1, op, &c);
	if (bench_echo_stop(c, pid) < 0)
		return bench_fail("tcp_roundtrip", "waitpid");
	return rc;
}
