/* mmap_munmap: mmap of 64 KiB anonymous private memory and its munmap, N
 * times (argument 1, default 100000); pages are not touched, so this is the
 * cost of the memory books, not of page faults. */
#include <stddef.h>
#include <sys/mman.h>

#include "bench.h"

#define LEN (64 * 1024)

static int op(void *ctx, const char **what)
{
	void *p;

	*what = "mmap";
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	*what = "munmap";
	return munmap(p, LEN);
}

int main(int argc, char **argv)
{
	return bench_loop("mmap_munmap", bench_iters(argc, argv, 100000), 1, op, NULL);
}
