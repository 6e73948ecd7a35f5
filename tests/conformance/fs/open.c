/* fs: open, openat, openat2, creat, close: flags, errors, and what follows. */
#define AREA "fs"
#include "../harness.h"
#include <linux/openat2.h>
#include <sys/syscall.h>

CASE(open_read_existing)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_TRUE(fd >= 3);
	EXPECT_EQ(close(fd), 0);
}

CASE(open_lowest_fd)
{
	int a = OK(open("/etc/passwd", O_RDONLY));
	int b = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(b, a + 1);
	close(a);
	int c = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(c, a);
	close(b);
	close(c);
}

CASE(open_enoent)
{
	EXPECT_ERRNO(open("/nonexistent-uosconf/x", O_RDONLY), ENOENT);
}

CASE(open_empty_path_enoent)
{
	EXPECT_ERRNO(open("", O_RDONLY), ENOENT);
}

CASE(open_enotdir_component)
{
	EXPECT_ERRNO(open("/etc/passwd/x", O_RDONLY), ENOTDIR);
}

CASE(open_directory_flag_on_file)
{
	EXPECT_ERRNO(open("/etc/passwd", O_RDONLY | O_DIRECTORY), ENOTDIR);
}

CASE(open_directory_rdonly_ok)
{
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	close(fd);
}

CASE(open_directory_wronly_eisdir)
{
	EXPECT_ERRNO(open("/etc", O_WRONLY), EISDIR);
	EXPECT_ERRNO(open("/etc", O_RDWR), EISDIR);
}

CASE(open_efault)
{
	EXPECT_ERRNO(open((const char *)1, O_RDONLY), EFAULT);
}

CASE(open_enametoolong)
{
	char p[PATH_MAX + 10];
	memset(p, 'a', sizeof(p) - 1);
	p[0] = '/';
	p[sizeof(p) - 1] = 0;
	EXPECT_ERRNO(open(p, O_RDONLY), ENAMETOOLONG);
}

CASE(open_component_too_long)
{
	char p[300] = "/";
	memset(p + 1, 'b', 260);
	p[261] = 0;
	EXPECT_ERRNO(open(p, O_RDONLY), ENAMETOOLONG);
}

CASE(open_cloexec_flag)
{
	int fd = OK(open("/etc/passwd", O_RDONLY | O_CLOEXEC));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
}

CASE(open_getfl_accmode)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(fd);
}

CASE(open_path_fstat)
{
	int fd = OK(open("/etc/passwd", O_PATH));
	struct stat st;
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_TRUE(S_ISREG(st.st_mode));
	char c;
	EXPECT_ERRNO(read(fd, &c, 1), EBADF);
	close(fd);
}

CASE(openat_dirfd_relative)
{
	int d = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	int fd = OK(openat(d, "passwd", O_RDONLY));
	close(fd);
	close(d);
}

CASE(openat_bad_dirfd)
{
	EXPECT_ERRNO(openat(987, "passwd", O_RDONLY), EBADF);
}

CASE(openat_dirfd_not_dir)
{
	int f = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(openat(f, "x", O_RDONLY), ENOTDIR);
	close(f);
}

CASE(openat_absolute_ignores_dirfd)
{
	int fd = OK(openat(987, "/etc/passwd", O_RDONLY));
	close(fd);
}

CASE(openat_at_fdcwd)
{
	int fd = OK(openat(AT_FDCWD, "/etc/passwd", O_RDONLY));
	close(fd);
}

CASE(openat2_basic)
{
	struct open_how how = {.flags = O_RDONLY};
	int fd = OK((int)syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", &how, sizeof(how)));
	close(fd);
}

CASE(openat2_bad_size)
{
	struct open_how how = {.flags = O_RDONLY};
	EXPECT_ERRNO(syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", &how, 4), EINVAL);
}

CASE(openat2_unknown_flags)
{
	struct open_how how = {.flags = 1ULL << 40};
	EXPECT_ERRNO(syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", &how, sizeof(how)), EINVAL);
}

CASE(openat2_resolve_beneath_dotdot)
{
	int d = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_BENEATH};
	EXPECT_ERRNO(syscall(SYS_openat2, d, "../etc/passwd", &how, sizeof(how)), EXDEV);
	close(d);
}

CASE(close_bad_fd)
{
	EXPECT_ERRNO(close(-1), EBADF);
	EXPECT_ERRNO(close(999), EBADF);
}

CASE(close_twice)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(close(fd), 0);
	EXPECT_ERRNO(close(fd), EBADF);
}

CASE(open_dev_null_write)
{
	int fd = OK(open("/dev/null", O_WRONLY));
	EXPECT_EQ(write(fd, "abc", 3), 3);
	close(fd);
}

CASE(open_dev_zero_read)
{
	int fd = OK(open("/dev/zero", O_RDONLY));
	char b[16];
	memset(b, 1, sizeof(b));
	EXPECT_EQ(read(fd, b, sizeof(b)), 16);
	EXPECT_EQ(b[0] | b[15], 0);
	close(fd);
}

CASE(open_creat_new)
{
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	struct stat st;
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, 0);
	EXPECT_EQ(st.st_mode & 07777, 0644);
	close(fd);
}

CASE(open_excl)
{
	scratch();
	int fd = OK(open("f", O_CREAT | O_EXCL | O_WRONLY, 0600));
	close(fd);
	EXPECT_ERRNO(open("f", O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST);
}

CASE(open_excl_dangling_symlink)
{
	scratch();
	OK(symlink("target", "link"));
	EXPECT_ERRNO(open("link", O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST);
	EXPECT_ERRNO(access("target", F_OK), ENOENT);
}

CASE(open_creat_through_dangling_symlink)
{
	scratch();
	OK(symlink("target", "link"));
	int fd = OK(open("link", O_CREAT | O_WRONLY, 0600));
	close(fd);
	EXPECT_EQ(access("target", F_OK), 0);
}

CASE(open_trunc)
{
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(write(fd, "hello", 5), 5);
	close(fd);
	fd = OK(open("f", O_WRONLY | O_TRUNC));
	struct stat st;
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, 0);
	close(fd);
}

CASE(open_append_writes_at_end)
{
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(write(fd, "abc", 3), 3);
	close(fd);
	fd = OK(open("f", O_WRONLY | O_APPEND));
	EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	EXPECT_EQ(write(fd, "de", 2), 2);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5);
	close(fd);
	char b[8] = {0};
	fd = OK(open("f", O_RDONLY));
	EXPECT_EQ(read(fd, b, sizeof(b)), 5);
	EXPECT_STREQ(b, "abcde");
	close(fd);
}

CASE(open_creat_umask)
{
	scratch();
	umask(027);
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0777));
	struct stat st;
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0750);
	close(fd);
}

CASE(open_creat_on_dir_eisdir)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(open("d", O_CREAT | O_WRONLY, 0644), EISDIR);
}

CASE(open_creat_missing_parent)
{
	scratch();
	EXPECT_ERRNO(open("nodir/f", O_CREAT | O_WRONLY, 0644), ENOENT);
}

CASE(open_nofollow_symlink_eloop)
{
	scratch();
	OK(symlink("/etc/passwd", "l"));
	EXPECT_ERRNO(open("l", O_RDONLY | O_NOFOLLOW), ELOOP);
}

CASE(open_symlink_loop_eloop)
{
	scratch();
	OK(symlink("b", "a"));
	OK(symlink("a", "b"));
	EXPECT_ERRNO(open("a", O_RDONLY), ELOOP);
}

CASE(creat_truncates)
{
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(write(fd, "xyz", 3), 3);
	close(fd);
	fd = OK(creat("f", 0644));
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	struct stat st;
	EXPECT_EQ(stat("f", &st), 0);
	EXPECT_EQ(st.st_size, 0);
	close(fd);
}

CASE(open_tmpfile_unnamed)
{
	scratch();
	int fd = OK(open(".", O_TMPFILE | O_RDWR, 0600));
	EXPECT_EQ(write(fd, "x", 1), 1);
	struct stat st;
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_nlink, 0);
	close(fd);
}
