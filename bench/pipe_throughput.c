/* pipe_throughput: a forked child writes 64 KiB blocks into a pipe as fast
 * as it can; the parent reads them. N MiB (argument 1, default 256); ns_per_op
 * is one 64 KiB block read, so MB/s = 65536 / ns_per_op * 1000. */
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
	int p[2];

	if (pipe(p) < 0)
		return bench_fail("pipe_throughput", "pipe");
	return bench_stream("pipe_throughput", p[0], p[1], bench_iters(argc, argv, 256),
			    bench_read_block);
}
