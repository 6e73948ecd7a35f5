/*
 * fuzz_syscalls SEED COUNT: COUNT system calls with random numbers and
 * arguments drawn from values that reach the edges (0, -1, huge, bad
 * pointers, valid buffers with random bytes, small fds, a path), made by
 * children that each run a batch and may die of what they did.  It prints
 * nothing about the results: the test is that uos survives, with no
 * sanitizer report, and this program exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BATCH 40

static uint64_t rng;
static unsigned char *buf;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Calls that would end or replace the fuzzer's own batch early, or spin forever. */
static int skipped(long nr)
{
	switch (nr) {
	case SYS_exit:
	case SYS_exit_group:
	case SYS_execve:
	case SYS_execveat:
	case SYS_rt_sigreturn:
	case SYS_vfork:
		return 1;
	default:
		return 0;
	}
}

static unsigned long arg(void)
{
	static const unsigned long edge[] = {0, 1, 2, 3, -1UL, 0x7fffffff, 0x80000000, -4096UL,
					     4096, 0xffffffff, 16, 64, 1UL << 40};
	switch (next() % 8) {
	case 0:
	case 1:
		return edge[next() % (sizeof(edge) / sizeof(edge[0]))];
	case 2:
		return (unsigned long)(buf + (next() % 60000)); /* valid memory, random bytes */
	case 3:
		return (unsigned long)"/tmp/fz";
	case 4:
		return next() % 12; /* an fd */
	case 5:
		return 0xdead000 + (next() % 4096); /* unmapped */
	case 6:
		return next() & 0xffff;
	default:
		return next();
	}
}

static void batch(void)
{
	for (int i = 0; i < BATCH; i++) {
		long nr = (long)(next() % 460);
		if (skipped(nr))
			continue;
		unsigned long a[6];
		for (int j = 0; j < 6; j++)
			a[j] = arg();
		for (int j = 0; j < 4096; j++)
			buf[next() % 65536] = (unsigned char)next();
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	_exit(0);
}

/* Wait for a batch; after 2 s (a call that blocks for good) kill it. */
static void reap(pid_t p)
{
	for (int i = 0; i < 200; i++) {
		if (waitpid(p, NULL, WNOHANG) != 0)
			return;
		usleep(10000);
	}
	kill(p, SIGKILL);
	while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	rng = argc > 1 ? strtoull(argv[1], NULL, 0) | 1 : 88172645463325252ULL;
	long count = argc > 2 ? atol(argv[2]) : 2000;
	buf = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	signal(SIGCHLD, SIG_DFL);
	for (long done = 0; done < count; done += BATCH) {
		next();
		pid_t p = fork();
		if (p == 0)
			batch();
		if (p < 0) {
			usleep(10000); /* --pids: children of children still going */
			continue;
		}
		reap(p);
	}
	printf("fuzz done\n");
	return 0;
}
