/*
 * A memory bomb: map 16 MiB of anonymous memory at a time until mmap fails,
 * then ask malloc for more than the rest.  Under uos --memory 256M the guest
 * gets ENOMEM well before 256 MiB more are mapped, and goes on running.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	size_t total = 0, step = 16 << 20;
	for (;;) {
		void *p = mmap(NULL, step, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			printf("mmap failed after %zu MiB: %s\n", total >> 20, strerrorname_np(errno));
			break;
		}
		total += step;
		if (total >= (8UL << 30)) {
			printf("mapped 8 GiB without a limit\n");
			break;
		}
	}
	printf("malloc 300 MiB: %s\n", malloc(300 << 20) ? "ok" : "NULL");
	printf("bomb done\n");
	return 0;
}
