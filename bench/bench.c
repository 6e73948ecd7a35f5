/* bench.c: the timing loop shared by the microbenchmarks (see bench.h).
 * Warm-up first, so that the timed loop sees warm caches and faulted-in
 * pages, then one clock read before and after the timed loop. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "bench.h"

long bench_iters(int argc, char **argv, long dflt)
{
	long n = argc > 1 ? atol(argv[1]) : dflt;

	return n > 0 ? n : dflt;
}

double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int bench_fail(const char *name, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", name, what, strerror(errno));
	return 1;
}

int bench_loop(const char *name, long n, long ops_per_call, bench_op_fn op, void *ctx)
{
	const char *what = "?";
	double t0, t1;

	for (long i = 0; i < n / 10 + 1; i++)
		if (op(ctx, &what) < 0)
			return bench_fail(name, what);
	t0 = bench_now_ns();
	for (long i = 0; i < n; i++)
		if (op(ctx, &what) < 0)
			return bench_fail(name, what);
	t1 = bench_now_ns();
	printf("ns_per_op %.1f\n", (t1 - t0) / ((double)n * ops_per_call));
	return 0;
}

int bench_echo_start(int in, int out, const int *close_fds, int nclose)
{
	char c;
	int pid = fork();

	if (pid != 0)
		return pid;
	for (int i = 0; i < nclose; i++)
		close(close_fds[i]);
	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			_exit(1);
	_exit(0);
}

int bench_echo_stop(int fd, int pid)
{
	int status;

	close(fd);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return 0;
}

int bench_tcp_listen(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 128) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return l;
}

int bench_tcp_connect(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int c = socket(AF_INET, SOCK_STREAM, 0);

	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a))) {
		if (c >= 0)
			close(c);
		return -1;
	}
	return c;
}

int bench_read_block(void *ctx, const char **what)
{
	struct bench_reader *r = ctx;
	size_t got = 0;

	*what = "read";
	while (got < BENCH_BLOCK) {
		ssize_t n = read(r->fd, r->buf + got, BENCH_BLOCK - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int bench_stream(const char *name, int rd, int wr, long mib, bench_op_fn op)
{
	struct bench_reader r = {rd, malloc(BENCH_BLOCK)};
	int pid, rc, st;

	if (!r.buf)
		return bench_fail(name, "malloc");
	memset(r.buf, 'x', BENCH_BLOCK);
	pid = fork();
	if (pid < 0)
		return bench_fail(name, "fork");
	if (pid == 0) {
		close(rd);
		for (long i = 0; i < mib * 16 + mib * 16 / 10 + 1; i++)
			if (write(wr, r.buf, BENCH_BLOCK) != BENCH_BLOCK)
				_exit(1);
		_exit(0);
	}
	close(wr);
	rc = bench_loop(name, mib * 16, 1, op, &r);
	close(rd);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	free(r.buf);
	return rc;
}
