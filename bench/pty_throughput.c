/* pty_throughput: bulk data through a pseudo-terminal, as `cat FILE` in a
 * terminal emulator moves it: the slave in raw mode (no output processing),
 * a forked child writes 64 KiB blocks to it as fast as it can, the parent
 * reads them from the master. N MiB (argument 1, default 64); ns_per_op is
 * one 64 KiB block read, so MB/s = 65536 / ns_per_op * 1000. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "bench.h"

#define BLOCK 65536

struct reader {
	int fd;
	char *buf;
};

/* Read one whole block from the master (a read returns what the pty holds,
 * a few KiB at a time). */
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
	long mib = bench_iters(argc, argv, 64);
	struct reader r = {-1, malloc(BLOCK)};
	struct termios tio;
	int m, s, pid, rc, st;

	if (!r.buf)
		return bench_fail("pty_throughput", "malloc");
	memset(r.buf, 'x', BLOCK);
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return bench_fail("pty_throughput", "posix_openpt");
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	if (s < 0)
		return bench_fail("pty_throughput", "open slave");
	if (tcgetattr(s, &tio) < 0)
		return bench_fail("pty_throughput", "tcgetattr");
	cfmakeraw(&tio);
	if (tcsetattr(s, TCSANOW, &tio) < 0)
		return bench_fail("pty_throughput", "tcsetattr");
	pid = fork();
	if (pid < 0)
		return bench_fail("pty_throughput", "fork");
	if (pid == 0) { /* the warm-up reads a tenth more than the timed loop */
		close(m);
		for (long i = 0; i < mib * 16 + mib * 16 / 10 + 1; i++)
			if (write(s, r.buf, BLOCK) != BLOCK)
				_exit(1);
		_exit(0);
	}
	close(s);
	r.fd = m;
	rc = bench_loop("pty_throughput", mib * 16, 1, op, &r);
	close(m);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	return rc;
}
