/*
 * fd exhaustion.  MODE:
 *   emfile   RLIMIT_NOFILE 256, open /dev/null until EMFILE (253 opened)
 *   slots    a table of 1048576 slots (dup2 to fd 1048575), then fork
 *            children that keep their copy until fork fails: the slots of
 *            every table are bounded (ENOMEM for the copy); then all go and
 *            fork works again
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exhaust.h"

static int emfile(void)
{
	struct rlimit r = {256, 256};
	long n = 0;
	said("setrlimit NOFILE 256", setrlimit(RLIMIT_NOFILE, &r));
	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	printf("open until: %s after %ld\n", ename(errno), n);
	for (int fd = 3; fd < 256; fd++)
		close(fd);
	said("open after closing", open("/dev/null", O_RDONLY));
	return 0;
}

static int slots(void)
{
	struct rlimit r = {1 << 20, 1 << 20};
	int gate[2], kids = 0, err = 0;
	pid_t pids[64];
	said("setrlimit NOFILE 1048576", setrlimit(RLIMIT_NOFILE, &r));
	said("dup2 to 1048575", dup2(0, (1 << 20) - 1) < 0 ? -1 : 0);
	pipe(gate);
	while (kids < 64) {
		pid_t p = fork();
		if (p < 0) {
			err = errno;
			break;
		}
		if (p == 0) {
			char c;
			close(gate[1]);
			read(gate[0], &c, 1); /* keep the table until the parent lets go */
			_exit(0);
		}
		pids[kids++] = p;
	}
	printf("fork until: %s\n", err ? ename(err) : "no bound within 64 children");
	close(gate[1]);
	for (int i = 0; i < kids; i++)
		waitpid(pids[i], NULL, 0);
	close((1 << 20) - 1);
	pid_t p = fork();
	if (p == 0)
		_exit(7);
	int st = 0;
	waitpid(p, &st, 0);
	printf("fork after: %s\n", p > 0 && WEXITSTATUS(st) == 7 ? "ok" : "failed");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "emfile"))
		return emfile();
	if (argc > 1 && !strcmp(argv[1], "slots"))
		return slots();
	fprintf(stderr, "usage: ex_fds emfile|slots\n");
	return 2;
}
