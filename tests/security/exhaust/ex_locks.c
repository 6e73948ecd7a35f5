/*
 * Record locks: F_SETLK write locks on every other byte of a file in DIR
 * (each its own record) until one fails.  uos bounds the records: ENOLCK,
 * as fcntl(2) names for a full lock table.  Then one unlock of the whole
 * file frees them, and a lock works again.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <unistd.h>

#include "exhaust.h"

#define MAX 200000

int main(int argc, char **argv)
{
	char path[4096];
	long n = 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(path, sizeof(path), "%s/locks", argc > 1 ? argv[1] : "/tmp");
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	for (; n < MAX; n++) {
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2 * n, .l_len = 1};
		if (fcntl(fd, F_SETLK, &fl) < 0)
			break;
	}
	if (n < MAX)
		printf("F_SETLK until: %s after %ld\n", ename(errno), n);
	else
		printf("F_SETLK until: none after %ld\n", n);
	struct flock all = {.l_type = F_UNLCK, .l_whence = SEEK_SET};
	said("unlock all", fcntl(fd, F_SETLK, &all));
	all.l_type = F_WRLCK;
	said("lock after", fcntl(fd, F_SETLK, &all));
	unlink(path);
	return 0;
}
