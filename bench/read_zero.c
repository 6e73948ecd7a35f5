/* read_zero: read(2) of one byte from /dev/zero, N times (argument 1,
 * default 200000); the cost of a trivial call on an fd. */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"

static int op(void *ctx, const char **what)
{
	char c;

	*what = "read";
	return read(*(int *)ctx, &c, 1) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return bench_fail("read_zero", "open /dev/zero");
	return bench_loop("read_zero", bench_iters(argc, argv, 200000), 1, op, &fd);
}
