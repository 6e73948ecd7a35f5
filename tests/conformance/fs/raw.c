/* fs: the legacy syscall numbers libc no longer uses (open, fstat, lstat,
 * creat, pwrite64 ...) called directly, so each table row is exercised. */
#define AREA "fs"
#include "../harness.h"
#include <sys/syscall.h>
#include <sys/uio.h>

CASE(raw_open_close)
{
	int fd = OK((int)syscall(SYS_open, "/etc/passwd", O_RDONLY));
	EXPECT_EQ(syscall(SYS_close, fd), 0);
}

CASE(raw_open_enoent)
{
	EXPECT_ERRNO(syscall(SYS_open, "/nonexistent-uosconf", O_RDONLY), ENOENT);
}

CASE(raw_fstat)
{
	struct stat st;
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(syscall(SYS_fstat, fd, &st), 0);
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_ERRNO(syscall(SYS_fstat, 555, &st), EBADF);
	close(fd);
}

CASE(raw_lstat)
{
	struct stat st;
	EXPECT_EQ(syscall(SYS_lstat, "/proc/self", &st), 0);
	EXPECT_TRUE(S_ISLNK(st.st_mode));
}

CASE(raw_stat)
{
	struct stat st;
	EXPECT_EQ(syscall(SYS_stat, "/etc", &st), 0);
	EXPECT_TRUE(S_ISDIR(st.st_mode));
}

CASE(raw_creat)
{
	scratch();
	int fd = OK((int)syscall(SYS_creat, "f", 0644));
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
}

CASE(raw_creat_on_dir_eisdir)
{
	EXPECT_ERRNO(syscall(SYS_creat, "/etc", 0644), EISDIR);
}

CASE(raw_readlinkat)
{
	char b[PATH_MAX];
	EXPECT_TRUE(syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", b, sizeof(b)) > 0);
	EXPECT_ERRNO(syscall(SYS_readlinkat, AT_FDCWD, "/etc/passwd", b, sizeof(b)), EINVAL);
}

CASE(raw_faccessat)
{
	EXPECT_EQ(syscall(SYS_faccessat, AT_FDCWD, "/etc/passwd", R_OK), 0);
	EXPECT_ERRNO(syscall(SYS_faccessat, AT_FDCWD, "/nonexistent-uosconf", F_OK), ENOENT);
}

CASE(raw_access)
{
	EXPECT_EQ(syscall(SYS_access, "/etc/passwd", R_OK), 0);
}

CASE(raw_pwrite64_dev_null)
{
	int fd = OK(open("/dev/null", O_WRONLY));
	EXPECT_EQ(syscall(SYS_pwrite64, fd, "abc", 3, 0), 3);
	close(fd);
}

CASE(raw_pwritev_dev_null)
{
	struct iovec iov[2] = {{"ab", 2}, {"c", 1}};
	int fd = OK(open("/dev/null", O_WRONLY));
	EXPECT_EQ(syscall(SYS_pwritev, fd, iov, 2, 0, 0), 3);
	close(fd);
}

CASE(raw_pwrite_rdonly_ebadf)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(syscall(SYS_pwrite64, fd, "x", 1, 0), EBADF);
	close(fd);
}
