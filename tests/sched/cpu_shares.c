/*
 * Two busy processes, at nice 0 and nice 5, count loop iterations for the
 * same wall-clock time; under --sched=serial only one runs at a time, so the
 * ratio of their counts is the ratio of their CPU shares.  CFS weighs nice 0
 * and 5 as 1024:335 (about 3.06).  Prints the ratio with one decimal.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Count iterations until `end`, then send the count through fd. */
static void busy(int nice, double end, int fd)
{
	unsigned long n = 0;
	setpriority(PRIO_PROCESS, 0, nice);
	while (now() < end)
		n++;
	write(fd, &n, sizeof(n));
	_exit(0);
}

int main(void)
{
	int fds[2][2];
	unsigned long count[2];
	double end = now() + 4.0;
	for (int i = 0; i < 2; i++) {
		pipe(fds[i]);
		if (fork() == 0)
			busy(i ? 5 : 0, end, fds[i][1]);
	}
	for (int i = 0; i < 2; i++)
		read(fds[i][0], &count[i], sizeof(count[i]));
	while (wait(NULL) > 0)
		;
	printf("%.1f\n", count[1] ? (double)count[0] / count[1] : 0.0);
	return 0;
}
