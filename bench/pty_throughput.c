/* pty_throughput: bulk data through a pseudo-terminal, as `cat FILE` in a
 * terminal emulator moves it: the slave in raw mode (no output processing),
 * a forked child writes 64 KiB blocks to it as fast as it can, the parent
 * reads them from the master (a read returns what the pty holds, a few KiB
 * at a time). N MiB (argument 1, default 64); ns_per_op is one 64 KiB block
 * read, so MB/s = 65536 / ns_per_op * 1000. */
#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct termios tio;
	int m = posix_openpt(O_RDWR | O_NOCTTY), s;

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return bench_fail("pty_throughput", "posix_openpt");
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	if (s < 0 || tcgetattr(s, &tio) < 0)
		return bench_fail("pty_throughput", "open the slave");
	cfmakeraw(&tio);
	if (tcsetattr(s, TCSANOW, &tio) < 0)
		return bench_fail("pty_throughput", "tcsetattr");
	return bench_stream("pty_throughput", m, s, bench_iters(argc, argv, 64), bench_read_block);
}
