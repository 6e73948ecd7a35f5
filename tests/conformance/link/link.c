/* link: readlink, symlink, link, unlink, rename and what stat sees after. */
#define AREA "link"
#include "../harness.h"
#include <sys/syscall.h>

static int mkfile(const char *p, const char *data)
{
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, data, strlen(data)) != (ssize_t)strlen(data))
		return -1;
	return close(fd);
}

CASE(readlink_proc_self_exe)
{
	char b[PATH_MAX];
	ssize_t n = OK(readlink("/proc/self/exe", b, sizeof(b) - 1));
	EXPECT_TRUE(n > 0 && b[0] == '/');
}

CASE(readlink_not_link_einval)
{
	char b[64];
	EXPECT_ERRNO(readlink("/etc/passwd", b, sizeof(b)), EINVAL);
}

CASE(readlink_enoent)
{
	char b[64];
	EXPECT_ERRNO(readlink("/nonexistent-uosconf", b, sizeof(b)), ENOENT);
}

CASE(readlink_zero_size_einval)
{
	char b[1];
	EXPECT_ERRNO(syscall(SYS_readlink, "/proc/self/exe", b, 0), EINVAL);
}

CASE(readlink_truncates_no_nul)
{
	char b[8];
	memset(b, 'X', sizeof(b));
	scratch();
	OK(symlink("/abcdefghij", "l"));
	EXPECT_EQ(readlink("l", b, 4), 4);
	EXPECT_MEMEQ(b, "/abcXXXX", 8);
}

CASE(symlink_and_readlink)
{
	char b[64] = {0};
	scratch();
	EXPECT_EQ(symlink("some/target", "l"), 0);
	EXPECT_EQ(readlink("l", b, sizeof(b)), 11);
	EXPECT_STREQ(b, "some/target");
}

CASE(symlink_eexist)
{
	scratch();
	OK(symlink("x", "l"));
	EXPECT_ERRNO(symlink("y", "l"), EEXIST);
}

CASE(symlink_empty_target_enoent)
{
	scratch();
	EXPECT_ERRNO(symlink("", "l"), ENOENT);
}

CASE(symlinkat_readlinkat)
{
	char b[16] = {0};
	scratch();
	int d = OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(symlinkat("tgt", d, "l"), 0);
	EXPECT_EQ(readlinkat(d, "l", b, sizeof(b)), 3);
	EXPECT_STREQ(b, "tgt");
	close(d);
}

CASE(readlinkat_empty_path_on_o_path)
{
	char b[16] = {0};
	scratch();
	OK(symlink("tgt", "l"));
	int fd = OK(open("l", O_PATH | O_NOFOLLOW));
	EXPECT_EQ(readlinkat(fd, "", b, sizeof(b)), 3);
	close(fd);
}

CASE(relative_symlink_resolves_from_link_dir)
{
	char b[8] = {0};
	scratch();
	OK(mkdir("d", 0755));
	OK(mkfile("d/f", "hi"));
	OK(symlink("f", "d/l"));
	int fd = OK(open("d/l", O_RDONLY));
	EXPECT_EQ(read(fd, b, sizeof(b)), 2);
	close(fd);
}

CASE(link_shares_inode)
{
	struct stat a, b;
	scratch();
	OK(mkfile("f", "x"));
	EXPECT_EQ(link("f", "g"), 0);
	OK(stat("f", &a));
	OK(stat("g", &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(a.st_nlink, 2);
}

CASE(link_eexist)
{
	scratch();
	OK(mkfile("f", "x"));
	OK(mkfile("g", "y"));
	EXPECT_ERRNO(link("f", "g"), EEXIST);
}

CASE(link_directory_eperm)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(link("d", "e"), EPERM);
}

CASE(link_enoent)
{
	scratch();
	EXPECT_ERRNO(link("nothing", "e"), ENOENT);
}

CASE(linkat_no_follow_default)
{
	struct stat st;
	scratch();
	OK(mkfile("f", "x"));
	OK(symlink("f", "l"));
	EXPECT_EQ(linkat(AT_FDCWD, "l", AT_FDCWD, "h", 0), 0);
	OK(lstat("h", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_EQ(linkat(AT_FDCWD, "l", AT_FDCWD, "h2", AT_SYMLINK_FOLLOW), 0);
	OK(lstat("h2", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
}

CASE(unlink_removes_name)
{
	scratch();
	OK(mkfile("f", "x"));
	EXPECT_EQ(unlink("f"), 0);
	EXPECT_ERRNO(access("f", F_OK), ENOENT);
}

CASE(unlink_open_file_still_readable)
{
	char b[4] = {0};
	struct stat st;
	scratch();
	OK(mkfile("f", "abc"));
	int fd = OK(open("f", O_RDONLY));
	OK(unlink("f"));
	EXPECT_EQ(read(fd, b, 3), 3);
	EXPECT_STREQ(b, "abc");
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_nlink, 0);
	close(fd);
}

CASE(unlink_decrements_nlink)
{
	struct stat st;
	scratch();
	OK(mkfile("f", "x"));
	OK(link("f", "g"));
	OK(unlink("g"));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_nlink, 1);
}

CASE(unlink_directory_eisdir)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(unlink("d"), EISDIR);
}

CASE(unlink_enoent)
{
	scratch();
	EXPECT_ERRNO(unlink("nothing"), ENOENT);
}

CASE(unlink_symlink_not_target)
{
	scratch();
	OK(mkfile("f", "x"));
	OK(symlink("f", "l"));
	OK(unlink("l"));
	EXPECT_EQ(access("f", F_OK), 0);
}

CASE(unlink_in_procfs_eperm)
{
	EXPECT_ERRNO(unlink("/proc/self/status"), EPERM);
}

/* procfs names are fixed: a missing one is ENOENT, not a place to make a name. */
CASE(names_in_procfs_enoent)
{
	EXPECT_ERRNO(mkdir("/proc/uosconf-dir", 0755), ENOENT);
	EXPECT_ERRNO(symlink("x", "/proc/self/uosconf-link"), ENOENT);
	EXPECT_ERRNO(open("/proc/self/uosconf-file", O_CREAT | O_WRONLY, 0644), ENOENT);
	EXPECT_ERRNO(rename("/proc/self/status", "/proc/self/uosconf-new"), ENOENT);
}

CASE(rename_file)
{
	char b[4] = {0};
	scratch();
	OK(mkfile("a", "abc"));
	EXPECT_EQ(rename("a", "b"), 0);
	EXPECT_ERRNO(access("a", F_OK), ENOENT);
	int fd = OK(open("b", O_RDONLY));
	EXPECT_EQ(read(fd, b, 3), 3);
	close(fd);
}

CASE(rename_replaces_file)
{
	struct stat a, b;
	scratch();
	OK(mkfile("a", "1"));
	OK(mkfile("b", "22"));
	OK(stat("a", &a));
	EXPECT_EQ(rename("a", "b"), 0);
	OK(stat("b", &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
}

CASE(rename_same_file_noop)
{
	scratch();
	OK(mkfile("a", "1"));
	OK(link("a", "b"));
	EXPECT_EQ(rename("a", "b"), 0);
	EXPECT_EQ(access("a", F_OK), 0);
}

CASE(rename_dir_over_file_enotdir)
{
	scratch();
	OK(mkdir("d", 0755));
	OK(mkfile("f", "1"));
	EXPECT_ERRNO(rename("d", "f"), ENOTDIR);
	EXPECT_ERRNO(rename("f", "d"), EISDIR);
}

CASE(rename_over_nonempty_dir)
{
	scratch();
	OK(mkdir("d", 0755));
	OK(mkdir("e", 0755));
	OK(mkfile("e/f", "1"));
	EXPECT_ERRNO(rename("d", "e"), ENOTEMPTY);
}

CASE(rename_dir_into_itself_einval)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(rename("d", "d/sub"), EINVAL);
}

CASE(renameat2_noreplace)
{
	scratch();
	OK(mkfile("a", "1"));
	OK(mkfile("b", "2"));
	EXPECT_ERRNO(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE), EEXIST);
}

CASE(renameat2_exchange)
{
	struct stat a0, a1;
	scratch();
	OK(mkfile("a", "1"));
	OK(mkdir("b", 0755));
	OK(stat("a", &a0));
	EXPECT_EQ(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE), 0);
	OK(stat("b", &a1));
	EXPECT_EQ(a0.st_ino, a1.st_ino);
	OK(stat("a", &a1));
	EXPECT_TRUE(S_ISDIR(a1.st_mode));
}

CASE(rename_enoent)
{
	scratch();
	EXPECT_ERRNO(rename("nothing", "b"), ENOENT);
}

CASE(mknod_fifo)
{
	struct stat st;
	scratch();
	EXPECT_EQ(mknod("p", S_IFIFO | 0644, 0), 0);
	OK(stat("p", &st));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

CASE(mkfifo_eexist)
{
	scratch();
	OK(mkfifo("p", 0644));
	EXPECT_ERRNO(mkfifo("p", 0644), EEXIST);
}
