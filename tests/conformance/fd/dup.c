/* fd: dup, dup2, dup3, fcntl, close_range and the fd table they change. */
#define AREA "fd"
#include "../harness.h"
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/close_range.h>

static int pw(void)
{
	return open("/etc/passwd", O_RDONLY);
}

CASE(dup_lowest_free)
{
	int fd = OK(pw());
	int d = OK(dup(fd));
	EXPECT_EQ(d, fd + 1);
	close(fd);
	close(d);
}

CASE(dup_clears_cloexec)
{
	int fd = OK(open("/etc/passwd", O_RDONLY | O_CLOEXEC));
	int d = OK(dup(fd));
	EXPECT_EQ(fcntl(d, F_GETFD), 0);
	close(fd);
	close(d);
}

CASE(dup_ebadf)
{
	EXPECT_ERRNO(dup(555), EBADF);
	EXPECT_ERRNO(dup(-1), EBADF);
}

CASE(dup2_to_target)
{
	int fd = OK(pw());
	EXPECT_EQ(dup2(fd, 100), 100);
	struct stat a, b;
	OK(fstat(fd, &a));
	OK(fstat(100, &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	close(fd);
	close(100);
}

CASE(dup2_same_fd_returns_it)
{
	int fd = OK(pw());
	EXPECT_EQ(dup2(fd, fd), fd);
	close(fd);
}

CASE(dup2_same_bad_fd_ebadf)
{
	EXPECT_ERRNO(dup2(555, 555), EBADF);
}

CASE(dup2_closes_target)
{
	int a = OK(pw());
	int b = OK(open("/dev/null", O_RDONLY));
	EXPECT_EQ(dup2(a, b), b);
	struct stat sa, sb;
	OK(fstat(a, &sa));
	OK(fstat(b, &sb));
	EXPECT_EQ(sa.st_ino, sb.st_ino);
	close(a);
	close(b);
}

CASE(dup2_target_out_of_range)
{
	int fd = OK(pw());
	EXPECT_ERRNO(dup2(fd, -1), EBADF);
	EXPECT_ERRNO(dup2(fd, 1 << 30), EBADF);
	close(fd);
}

CASE(dup3_cloexec)
{
	int fd = OK(pw());
	EXPECT_EQ(dup3(fd, 101, O_CLOEXEC), 101);
	EXPECT_EQ(fcntl(101, F_GETFD), FD_CLOEXEC);
	close(fd);
	close(101);
}

CASE(dup3_same_fd_einval)
{
	int fd = OK(pw());
	EXPECT_ERRNO(dup3(fd, fd, 0), EINVAL);
	close(fd);
}

CASE(dup3_bad_flags_einval)
{
	int fd = OK(pw());
	EXPECT_ERRNO(dup3(fd, 102, O_NONBLOCK), EINVAL);
	close(fd);
}

CASE(fcntl_dupfd_min)
{
	int fd = OK(pw());
	EXPECT_EQ(fcntl(fd, F_DUPFD, 50), 50);
	EXPECT_EQ(fcntl(fd, F_DUPFD, 50), 51);
	close(50);
	close(51);
	close(fd);
}

CASE(fcntl_dupfd_cloexec)
{
	int fd = OK(pw());
	int d = OK(fcntl(fd, F_DUPFD_CLOEXEC, 60));
	EXPECT_EQ(d, 60);
	EXPECT_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	close(d);
	close(fd);
}

CASE(fcntl_dupfd_negative_einval)
{
	int fd = OK(pw());
	EXPECT_ERRNO(fcntl(fd, F_DUPFD, -1), EINVAL);
	close(fd);
}

CASE(fcntl_dupfd_over_limit_einval)
{
	int fd = OK(pw());
	EXPECT_ERRNO(fcntl(fd, F_DUPFD, 1 << 30), EINVAL);
	close(fd);
}

CASE(fcntl_setfd_getfd)
{
	int fd = OK(pw());
	EXPECT_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_SETFD, 0), 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
}

CASE(fcntl_cloexec_is_per_fd)
{
	int fd = OK(pw());
	int d = OK(dup(fd));
	OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	EXPECT_EQ(fcntl(d, F_GETFD), 0);
	close(fd);
	close(d);
}

CASE(fcntl_setfl_nonblock_shared)
{
	int fd = OK(pw());
	int d = OK(dup(fd));
	OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	EXPECT_TRUE(fcntl(d, F_GETFL) & O_NONBLOCK);
	close(fd);
	close(d);
}

CASE(fcntl_setfl_ignores_accmode)
{
	int fd = OK(pw());
	OK(fcntl(fd, F_SETFL, O_RDWR));
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(fd);
}

CASE(fcntl_getfl_append)
{
	int fd = OK(open("/dev/null", O_WRONLY | O_APPEND));
	EXPECT_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_WRONLY | O_APPEND);
	close(fd);
}

CASE(fcntl_bad_cmd_einval)
{
	int fd = OK(pw());
	EXPECT_ERRNO(fcntl(fd, 9999), EINVAL);
	close(fd);
}

CASE(fcntl_ebadf)
{
	EXPECT_ERRNO(fcntl(555, F_GETFD), EBADF);
}

CASE(fcntl_getlk_unlocked)
{
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
	int fd = OK(pw());
	EXPECT_EQ(fcntl(fd, F_GETLK, &fl), 0);
	EXPECT_EQ(fl.l_type, F_UNLCK);
	close(fd);
}

CASE(fcntl_setlk_wrlck_on_rdonly_ebadf)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd = OK(pw());
	EXPECT_ERRNO(fcntl(fd, F_SETLK, &fl), EBADF);
	close(fd);
}

CASE(fcntl_pipe_size)
{
	int p[2];
	OK(pipe(p));
	EXPECT_EQ(fcntl(p[0], F_GETPIPE_SZ), 65536);
	close(p[0]);
	close(p[1]);
}

CASE(close_range_closes)
{
	int a = OK(dup2(OK(pw()), 200));
	OK(dup2(a, 201));
	OK(dup2(a, 203));
	EXPECT_EQ(syscall(SYS_close_range, 200, 202, 0), 0);
	EXPECT_ERRNO(fcntl(200, F_GETFD), EBADF);
	EXPECT_ERRNO(fcntl(201, F_GETFD), EBADF);
	EXPECT_EQ(fcntl(203, F_GETFD), 0);
	close(203);
}

CASE(close_range_cloexec)
{
	OK(dup2(OK(pw()), 210));
	EXPECT_EQ(syscall(SYS_close_range, 210, 210, CLOSE_RANGE_CLOEXEC), 0);
	EXPECT_EQ(fcntl(210, F_GETFD), FD_CLOEXEC);
	close(210);
}

CASE(close_range_first_gt_last_einval)
{
	EXPECT_ERRNO(syscall(SYS_close_range, 10, 5, 0), EINVAL);
}

CASE(close_range_bad_flags_einval)
{
	EXPECT_ERRNO(syscall(SYS_close_range, 300, 301, 0x8000), EINVAL);
}

CASE(fionread_regular)
{
	int n = -1;
	int fd = OK(pw());
	struct stat st;
	OK(fstat(fd, &st));
	EXPECT_EQ(ioctl(fd, FIONREAD, &n), 0);
	EXPECT_EQ(n, st.st_size);
	close(fd);
}

CASE(fioclex_fionclex)
{
	int fd = OK(pw());
	EXPECT_EQ(ioctl(fd, FIOCLEX), 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(ioctl(fd, FIONCLEX), 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
}

CASE(ioctl_tcgets_on_file_enotty)
{
	char buf[64];
	int fd = OK(pw());
	EXPECT_ERRNO(ioctl(fd, TCGETS, buf), ENOTTY);
	close(fd);
}

CASE(ioctl_ebadf)
{
	int n;
	EXPECT_ERRNO(ioctl(555, FIONREAD, &n), EBADF);
}

CASE(isatty_file_false)
{
	int fd = OK(pw());
	int r = isatty(fd), e = errno;
	EXPECT_EQ(r, 0);
	EXPECT_EQ(e, ENOTTY);
	close(fd);
}

CASE(std_fds_open)
{
	EXPECT_TRUE(fcntl(0, F_GETFD) >= 0);
	EXPECT_TRUE(fcntl(1, F_GETFD) >= 0);
	EXPECT_TRUE(fcntl(2, F_GETFD) >= 0);
}

CASE(proc_self_fd_lists_open)
{
	char link[64], target[PATH_MAX];
	int fd = OK(pw());
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	EXPECT_EQ(n, 11);
	target[n > 0 ? n : 0] = 0;
	EXPECT_STREQ(target, "/etc/passwd");
	close(fd);
}

CASE(rlimit_nofile_enforced)
{
	struct rlimit old, lim;
	OK(getrlimit(RLIMIT_NOFILE, &old));
	lim = old;
	lim.rlim_cur = 64;
	OK(setrlimit(RLIMIT_NOFILE, &lim));
	int r = dup2(0, 64), e = errno;
	int r2 = fcntl(0, F_DUPFD, 64), e2 = errno;
	setrlimit(RLIMIT_NOFILE, &old);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EBADF);
	EXPECT_EQ(r2, -1);
	EXPECT_EQ(e2, EINVAL);
}
