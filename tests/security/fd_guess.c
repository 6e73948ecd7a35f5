/*
 * fd_guess MAXFD: name every fd number the guest could guess.
 *
 * Attack: uos holds host fds of its own (its image, the exec stub's memfd,
 * hostfs directories, /proc/<pid>/mem of each guest, its signalfd), and
 * the guest process holds host fds for a moment while uos maps a file.  The
 * guest tries every number 0..MAXFD with fstat, fcntl(F_GETFD/F_GETFL),
 * read, write, lseek, ioctl(FIONREAD), mmap, fchdir, dup, pidfd_getfd (on
 * a pidfd of its own), and opens and readlinks /proc/self/fd/N,
 * /dev/fd/N and /proc/<pid>/fd/N for its own pids, in the hope of reaching
 * one of those.
 *
 * The guest's only fds are 0, 1, 2 (stdin /dev/null, stdout and stderr
 * files the script gave uos) and 3 (its pidfd), so every call must fail on
 * every other number.  Prints, per call, the fds that did not fail; the
 * script (fd_guess.sh) compares with "0 1 2 3" and checks the host side
 * (nothing created or changed; a write of "PWNED" went to every fd but 1
 * and 2).
 */
#include "sec.h"

#include <sys/ioctl.h>
#include <sys/stat.h>

static char line[8192];
static int len;

static void note(int fd)
{
	if (len < (int)sizeof(line) - 16)
		len += snprintf(line + len, sizeof(line) - len, " %d", fd);
}

static void report(const char *what)
{
	char out[sizeof(line) + 64];
	int n = snprintf(out, sizeof(out), "%s:%s\n", what, len ? line : " none");
	(void)!write(1, out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
	len = 0;
}

int main(int argc, char **argv)
{
	int max = argc > 1 ? atoi(argv[1]) : 1100;
	char path[64], buf[256];
	struct stat st;
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd != 3) {
		say("fd_guess: the pidfd is %d, not 3 (unexpected fds open)\n", pidfd);
		return 2;
	}
	for (int fd = 0; fd <= max; fd++)
		if (fstat(fd, &st) == 0)
			note(fd);
	report("fstat");
	for (int fd = 0; fd <= max; fd++)
		if (fcntl(fd, F_GETFD) >= 0 && fcntl(fd, F_GETFL) >= 0)
			note(fd);
	report("fcntl");
	for (int fd = 0; fd <= max; fd++)
		if (read(fd, buf, 0) >= 0)
			note(fd);
	report("read");
	for (int fd = 0; fd <= max; fd++)
		if (fd != 1 && fd != 2 && write(fd, "PWNED", 5) >= 0)
			note(fd);
	report("write");
	for (int fd = 0; fd <= max; fd++)
		if (lseek(fd, 0, SEEK_CUR) >= 0 || errno != EBADF)
			note(fd);
	report("lseek");
	for (int fd = 0; fd <= max; fd++) {
		int n;
		if (ioctl(fd, FIONREAD, &n) >= 0 || errno != EBADF)
			note(fd);
	}
	report("ioctl");
	for (int fd = 0; fd <= max; fd++) {
		void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED)
			munmap(m, 4096);
		if (m != MAP_FAILED || errno != EBADF)
			note(fd);
	}
	report("mmap");
	for (int fd = 0; fd <= max; fd++)
		if (fchdir(fd) == 0 || errno != EBADF)
			note(fd);
	report("fchdir");
	for (int fd = 0; fd <= max; fd++) {
		int d = dup(fd);
		if (d >= 0) {
			close(d);
			note(fd);
		}
	}
	report("dup");
	for (int fd = 0; fd <= max; fd++) {
		int d = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		if (d >= 0) {
			close(d);
			note(fd);
		}
	}
	report("pidfd_getfd");
	const char *fmts[] = {"/proc/self/fd/%d", "/dev/fd/%d", "/proc/1/fd/%d",
			      "/proc/thread-self/fd/%d"};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		for (int fd = 0; fd <= max; fd++) {
			snprintf(path, sizeof(path), fmts[i], fd);
			int d = open(path, O_RDONLY);
			if (d >= 0)
				close(d);
			if (d >= 0 || readlink(path, buf, sizeof(buf)) >= 0 ||
			    (errno != ENOENT && errno != EBADF))
				note(fd);
		}
		snprintf(path, sizeof(path), fmts[i], 0);
		path[strlen(path) - 2] = 0;
		report(path);
	}
	say("fd_guess: done\n");
	return 0;
}
