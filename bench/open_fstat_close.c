/* open_fstat_close: open("/etc/passwd"), fstat, close, N times (argument 1,
 * default 50000); ns_per_op is per open+fstat+close triple, a path walk plus
 * fd table work. */
#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

static int op(void *ctx, const char **what)
{
	struct stat st;
	int fd;

	*what = "open /etc/passwd";
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	*what = "fstat";
	if (fstat(fd, &st) < 0)
		return -1;
	*what = "close";
	return close(fd);
}

int main(int argc, char **argv)
{
	return bench_loop("open_fstat_close", bench_iters(argc, argv, 50000), 1, op, NULL);
}
