/* fd_dup_fcntl: dup, dup2, dup3 and fcntl pick the lowest free numbers, share
 * the open file description (offset, status flags) but not FD_CLOEXEC, and
 * reject bad arguments with the kernel's errnos. */
#include <fcntl.h>
#include <sys/resource.h>
#include "guest.h"

static void dups(void)
{
	int fd = open("/etc/passwd", O_RDONLY);
	char c;

	SHOW("open", fd);
	SHOW("dup", dup(fd));
	SHOW("dup2 to 10", dup2(fd, 10));
	SHOW("dup2 to itself", dup2(fd, fd));
	SHOW("dup2 bad fd to itself", dup2(77, 77));
	SHOW("dup3 to 11 O_CLOEXEC", dup3(fd, 11, O_CLOEXEC));
	SHOW("dup3 to itself", dup3(fd, fd, 0));
	SHOW("dup3 bad flags", dup3(fd, 12, 0x1));
	SHOW("dup bad fd", dup(99));
	SHOW("dup2 to -1", dup2(fd, -1));
	SHOW("fd 10 FD_CLOEXEC", fcntl(10, F_GETFD));
	SHOW("fd 11 FD_CLOEXEC", fcntl(11, F_GETFD));
	SHOW("read 1 via fd", read(fd, &c, 1));
	SHOW("offset seen via dup 10", lseek(10, 0, SEEK_CUR));
	SHOW("lseek 10 to 5", lseek(10, 5, SEEK_SET));
	SHOW("offset seen via original", lseek(fd, 0, SEEK_CUR));
	SHOW("close 10", close(10));
	SHOW("close 10 again", close(10));
	SHOW("fd still readable", read(fd, &c, 1));
	SHOW("dup fills lowest", dup(fd));
}

static void fcntls(void)
{
	int fd = open("/dev/null", O_RDWR);

	SHOW("open /dev/null", fd);
	SHOW("F_DUPFD 20", fcntl(fd, F_DUPFD, 20));
	SHOW("F_DUPFD 20 again", fcntl(fd, F_DUPFD, 20));
	SHOW("F_DUPFD_CLOEXEC 30", fcntl(fd, F_DUPFD_CLOEXEC, 30));
	SHOW("F_GETFD 30", fcntl(30, F_GETFD));
	SHOW("F_DUPFD -1", fcntl(fd, F_DUPFD, -1));
	SHOW("F_DUPFD huge", fcntl(fd, F_DUPFD, 1 << 30));
	SHOW("F_GETFD", fcntl(fd, F_GETFD));
	SHOW("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
	SHOW("F_GETFD", fcntl(fd, F_GETFD));
	SHOW("F_GETFL & accmode", fcntl(fd, F_GETFL) & O_ACCMODE);
	SHOW("F_SETFL O_NONBLOCK|O_APPEND", fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND));
	SHOW("F_GETFL has NONBLOCK|APPEND",
	     (fcntl(fd, F_GETFL) & (O_NONBLOCK | O_APPEND)) == (O_NONBLOCK | O_APPEND));
	SHOW("dup sees NONBLOCK (shared)", (fcntl(20, F_GETFL) & O_NONBLOCK) != 0);
	SHOW("dup FD_CLOEXEC not shared", fcntl(20, F_GETFD));
	SHOW("F_SETFL cannot change accmode", (fcntl(fd, F_SETFL, O_RDONLY), fcntl(fd, F_GETFL) & O_ACCMODE));
	SHOW("fcntl bad cmd", fcntl(fd, 12345));
	SHOW("fcntl bad fd", fcntl(4242, F_GETFD));
	SHOW("close_on_exec of closed fd", fcntl(29, F_GETFD));
}

int main(void)
{
	struct rlimit rl = { 64, 64 };

	close_inherited_fds();
	SHOW("setrlimit NOFILE 64", setrlimit(RLIMIT_NOFILE, &rl));
	dups();
	fcntls();
	SHOW("dup2 beyond RLIMIT_NOFILE", dup2(0, 64));
	SHOW("F_DUPFD at RLIMIT_NOFILE", fcntl(0, F_DUPFD, 64));
	return 0;
}
