/* socketpair_roundtrip: one byte sent over an AF_UNIX SOCK_STREAM
 * socketpair to a forked child and back, N times (argument 1, default
 * 20000). ns_per_op is one round trip. */
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
	int sv[2], pid, rc;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return bench_fail("socketpair_roundtrip", "socketpair");
	pid = bench_echo_start(sv[1], sv[1], &sv[0], 1);
	if (pid < 0)
		return bench_fail("socketpair_roundtrip", "fork");
	close(sv[1]);
	rc = bench_loop("socketpair_roundtrip", bench_iters(argc, argv, 20000), 1, op, &sv[0]);
	if (bench_echo_stop(sv[0], pid) < 0)
		return bench_fail("socketpair_roundtrip", "waitpid");
	return rc;
}
