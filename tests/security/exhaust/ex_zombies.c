/*
 * Zombies: fork children that exit at once and are never reaped, until
 * fork fails.  Under --pids N the zombies count (the pids cgroup's way):
 * EAGAIN after N-1 children.  Then they are reaped and fork works again.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/wait.h>
#include <unistd.h>

#include "exhaust.h"

int main(void)
{
	long n = 0;
	pid_t p;
	setvbuf(stdout, NULL, _IONBF, 0);
	while (n < 100000 && (p = fork()) >= 0) {
		if (p == 0)
			_exit(0);
		n++;
	}
	printf("fork until: %s after %ld children\n", n < 100000 ? ename(errno) : "none", n);
	long reaped = 0;
	while (waitpid(-1, NULL, 0) > 0)
		reaped++;
	printf("reaped: %ld\n", reaped);
	p = fork();
	if (p == 0)
		_exit(0);
	printf("fork after reaping: %s\n", p > 0 && waitpid(p, NULL, 0) == p ? "ok" : "failed");
	return 0;
}
