/*
 * Pipe exhaustion.  MODE:
 *   many N   N pipes, each filled (non-blocking) until a write fails: under
 *            --memory the first failure is ENOMEM, not EAGAIN; then every
 *            pipe is drained and closed, and a new pipe takes 64 KiB again
 *   big      one pipe grown to 1 GiB (F_SETPIPE_SZ, privileged) and filled:
 *            ENOMEM at the memory limit
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "exhaust.h"

static char buf[65536];

/* Write until a write fails; its errno (EAGAIN: full). */
static int fill(int fd, long *total)
{
	long n;
	while ((n = write(fd, buf, sizeof(buf))) > 0)
		*total += n;
	return errno;
}

static void drain(int fd)
{
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* After the attack: a new pipe takes its 64 KiB, then says it is full. */
static void fresh_pipe(void)
{
	int q[2];
	long total = 0;
	if (pipe2(q, O_NONBLOCK) < 0) {
		printf("after: pipe2 %s\n", ename(errno));
		return;
	}
	int e = fill(q[1], &total);
	printf("after: a new pipe takes %ld KiB, then %s\n", total >> 10, ename(e));
}

static int many(long n)
{
	struct rlimit r = {(rlim_t)(2 * n + 64), (rlim_t)(2 * n + 64)};
	int (*p)[2] = calloc((size_t)n, sizeof(*p)), first = 0;
	long total = 0, made = 0;
	said("setrlimit NOFILE", setrlimit(RLIMIT_NOFILE, &r));
	for (; made < n; made++) {
		if (pipe2(p[made], O_NONBLOCK) < 0) {
			printf("pipe2: %s\n", ename(errno));
			break;
		}
		int e = fill(p[made][1], &total);
		if (e != EAGAIN && !first)
			first = e;
	}
	usleep(100000); /* hold the peak long enough for hostcheck's sampler */
	printf("pipes made: %ld\n", made);
	printf("first write failure other than full: %s\n", first ? ename(first) : "none");
	for (long i = 0; i < made; i++) {
		drain(p[i][0]);
		close(p[i][0]);
		close(p[i][1]);
	}
	fresh_pipe();
	return 0;
}

static int big(void)
{
	int q[2];
	long total = 0;
	pipe2(q, O_NONBLOCK);
	long r = fcntl(q[1], F_SETPIPE_SZ, 1L << 30);
	printf("F_SETPIPE_SZ 1GiB: %s\n", r < 0 ? ename(errno) : r == 1L << 30 ? "1GiB" : "other");
	printf("fill: %s\n", ename(fill(q[1], &total)));
	usleep(100000);
	close(q[0]);
	close(q[1]);
	fresh_pipe();
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 2 && !strcmp(argv[1], "many"))
		return many(atol(argv[2]));
	if (argc > 1 && !strcmp(argv[1], "big"))
		return big();
	fprintf(stderr, "usage: ex_pipes many N | big\n");
	return 2;
}
