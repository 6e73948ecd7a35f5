/* stat: stat("/usr/bin/env"), N times (argument 1, default 100000); a path
 * walk of three components and a stat buffer copied out. */
#include <stddef.h>
#include <sys/stat.h>

#include "bench.h"

static int op(void *ctx, const char **what)
{
	struct stat st;

	*what = "stat /usr/bin/env";
	return stat("/usr/bin/env", &st);
}

int main(int argc, char **argv)
{
	return bench_loop("stat", bench_iters(argc, argv, 100000), 1, op, NULL);
}
