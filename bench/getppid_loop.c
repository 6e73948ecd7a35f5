/* getppid_loop: the cost of one system call that does nothing. Makes N
 * getppid calls (argument 1, default 200000) after a short warm-up and prints
 * "ns_per_call X" measured with CLOCK_MONOTONIC. Built static. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	double t0, t1;

	if (n <= 0)
		n = 1;
	for (long i = 0; i < n / 10 + 1; i++)
		syscall(SYS_getppid);
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = now_ns();
	printf("ns_per_call %.1f\n", (t1 - t0) / n);
	return 0;
}
