/* dir: getdents64, getdents, getcwd, chdir, fchdir, chroot, mkdir, rmdir. */
#define AREA "dir"
#include "../harness.h"
#include <sys/syscall.h>

struct d64 {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Does directory fd list name (with type *type)?  Reads to the end. */
static int lists(int fd, const char *name, int *type)
{
	char buf[8192];
	long n;
	int found = 0;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long o = 0; o < n;) {
			struct d64 *d = (struct d64 *)(buf + o);
			if (!strcmp(d->name, name)) {
				found = 1;
				if (type)
					*type = d->type;
			}
			o += d->reclen;
		}
	return n < 0 ? -1 : found;
}

CASE(getdents_dot_and_dotdot)
{
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(lists(fd, ".", NULL), 1);
	lseek(fd, 0, SEEK_SET);
	EXPECT_EQ(lists(fd, "..", NULL), 1);
	close(fd);
}

CASE(getdents_lists_file_with_type)
{
	int type = -1;
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(lists(fd, "passwd", &type), 1);
	EXPECT_EQ(type, DT_REG);
	close(fd);
}

CASE(getdents_dir_type)
{
	int type = -1;
	int fd = OK(open("/", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(lists(fd, "etc", &type), 1);
	EXPECT_EQ(type, DT_DIR);
	close(fd);
}

CASE(getdents_eof_zero)
{
	char buf[8192];
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	lists(fd, "x", NULL);
	EXPECT_EQ(syscall(SYS_getdents64, fd, buf, sizeof(buf)), 0);
	close(fd);
}

CASE(getdents_rewind)
{
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(lists(fd, "passwd", NULL), 1);
	EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	EXPECT_EQ(lists(fd, "passwd", NULL), 1);
	close(fd);
}

CASE(getdents_small_buffer_einval)
{
	char buf[8];
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof(buf)), EINVAL);
	close(fd);
}

CASE(getdents_on_file_enotdir)
{
	char buf[1024];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
}

CASE(getdents_ebadf)
{
	char buf[1024];
	EXPECT_ERRNO(syscall(SYS_getdents64, 555, buf, sizeof(buf)), EBADF);
}

CASE(getdents_efault)
{
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(syscall(SYS_getdents64, fd, (void *)16, 4096), EFAULT);
	close(fd);
}

CASE(getdents_reclen_aligned)
{
	char buf[4096];
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	long n = OK(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	EXPECT_TRUE(n > 0);
	for (long o = 0; o < n;) {
		struct d64 *d = (struct d64 *)(buf + o);
		EXPECT_EQ(d->reclen % 8, 0);
		EXPECT_TRUE(d->reclen >= 19 + strlen(d->name) + 1);
		o += d->reclen;
	}
	close(fd);
}

/* The old getdents: the name at offset 18, d_type in the record's last byte. */
CASE(getdents_old_layout)
{
	char buf[8192];
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	int type = -1;
	long n;
	while ((n = syscall(SYS_getdents, fd, buf, sizeof(buf))) > 0)
		for (long o = 0; o < n;) {
			unsigned short reclen;
			memcpy(&reclen, buf + o + 16, sizeof(reclen));
			if (!strcmp(buf + o + 18, "passwd"))
				type = (unsigned char)buf[o + reclen - 1];
			o += reclen;
		}
	EXPECT_EQ(n, 0);
	EXPECT_EQ(type, DT_REG);
	lseek(fd, 0, SEEK_SET);
	EXPECT_ERRNO(syscall(SYS_getdents, fd, buf, 1), EINVAL);
	close(fd);
}

CASE(chroot_errors)
{
	EXPECT_ERRNO(chroot("/nonexistent-uosconf"), ENOENT);
	EXPECT_ERRNO(chroot("/etc/passwd"), ENOTDIR);
	EXPECT_ERRNO(chroot((const char *)1), EFAULT);
	EXPECT_ERRNO(chroot(""), ENOENT);
}

/* In a child (the root is for good): "/" and ".." stay in the new root. */
static int jailed(void)
{
	struct stat root, up;
	if (chroot("jail") < 0)
		return errno == EPERM && geteuid() != 0 ? 0 : 1;
	if (open("/f", O_RDONLY) < 0 || stat("/", &root) < 0 || stat("/../..", &up) < 0)
		return 2;
	if (root.st_ino != up.st_ino || access("/jail", F_OK) == 0)
		return 3;
	char cwd[PATH_MAX];
	if (chdir("/") < 0 || !getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/"))
		return 4;
	return 0;
}

CASE(chroot_new_root)
{
	scratch();
	OK(mkdir("jail", 0755));
	close(OK(open("jail/f", O_CREAT | O_WRONLY, 0644)));
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(jailed());
	int st;
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(st, 0);
}

CASE(readdir_libc_finds_passwd)
{
	DIR *d = opendir("/etc");
	struct dirent *de;
	int found = 0;
	EXPECT_TRUE(d != NULL);
	while ((de = readdir(d)))
		found |= !strcmp(de->d_name, "passwd");
	closedir(d);
	EXPECT_EQ(found, 1);
}

CASE(getcwd_after_chdir)
{
	char b[PATH_MAX];
	OK(chdir("/etc"));
	EXPECT_TRUE(getcwd(b, sizeof(b)) != NULL);
	EXPECT_STREQ(b, "/etc");
}

CASE(getcwd_root)
{
	char b[PATH_MAX];
	OK(chdir("/"));
	EXPECT_TRUE(getcwd(b, sizeof(b)) != NULL);
	EXPECT_STREQ(b, "/");
}

CASE(getcwd_erange)
{
	char b[3];
	OK(chdir("/etc"));
	EXPECT_ERRNO(syscall(SYS_getcwd, b, sizeof(b)), ERANGE);
}

CASE(getcwd_returns_length)
{
	char b[64];
	OK(chdir("/etc"));
	EXPECT_EQ(syscall(SYS_getcwd, b, sizeof(b)), 5);
}

CASE(getcwd_efault)
{
	EXPECT_ERRNO(syscall(SYS_getcwd, (void *)16, 64), EFAULT);
}

CASE(chdir_dotdot)
{
	char b[PATH_MAX];
	OK(chdir("/usr/include"));
	OK(chdir(".."));
	EXPECT_TRUE(getcwd(b, sizeof(b)) != NULL);
	EXPECT_STREQ(b, "/usr");
}

CASE(chdir_root_dotdot_stays)
{
	char b[PATH_MAX];
	OK(chdir("/"));
	OK(chdir(".."));
	EXPECT_TRUE(getcwd(b, sizeof(b)) != NULL);
	EXPECT_STREQ(b, "/");
}

CASE(chdir_relative_open)
{
	OK(chdir("/etc"));
	int fd = OK(open("passwd", O_RDONLY));
	close(fd);
}

CASE(chdir_enoent)
{
	EXPECT_ERRNO(chdir("/nonexistent-uosconf"), ENOENT);
}

CASE(chdir_file_enotdir)
{
	EXPECT_ERRNO(chdir("/etc/passwd"), ENOTDIR);
}

CASE(chdir_efault)
{
	EXPECT_ERRNO(chdir((const char *)16), EFAULT);
}

CASE(fchdir_dirfd)
{
	char b[PATH_MAX];
	int d = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	OK(fchdir(d));
	EXPECT_TRUE(getcwd(b, sizeof(b)) != NULL);
	EXPECT_STREQ(b, "/etc");
	close(d);
}

CASE(fchdir_file_enotdir)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(fchdir(fd), ENOTDIR);
	close(fd);
}

CASE(fchdir_ebadf)
{
	EXPECT_ERRNO(fchdir(555), EBADF);
}

CASE(chdir_through_symlink)
{
	char b[PATH_MAX];
	scratch();
	OK(symlink("/etc", "l"));
	OK(chdir("l"));
	EXPECT_TRUE(getcwd(b, sizeof(b)) != NULL);
	EXPECT_STREQ(b, "/etc");
}

CASE(mkdir_basic)
{
	struct stat st;
	scratch();
	EXPECT_EQ(mkdir("d", 0755), 0);
	OK(stat("d", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(st.st_mode & 0777, 0755);
	EXPECT_EQ(st.st_nlink, 2);
}

CASE(mkdir_parent_nlink)
{
	struct stat a, b;
	scratch();
	OK(stat(".", &a));
	OK(mkdir("d", 0755));
	OK(stat(".", &b));
	EXPECT_EQ(b.st_nlink, a.st_nlink + 1);
}

CASE(mkdir_eexist)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(mkdir("d", 0755), EEXIST);
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	EXPECT_ERRNO(mkdir("f", 0755), EEXIST);
}

CASE(mkdir_missing_parent_enoent)
{
	scratch();
	EXPECT_ERRNO(mkdir("a/b", 0755), ENOENT);
}

CASE(mkdir_umask)
{
	struct stat st;
	scratch();
	umask(077);
	OK(mkdir("d", 0777));
	OK(stat("d", &st));
	EXPECT_EQ(st.st_mode & 0777, 0700);
}

CASE(mkdir_trailing_slash)
{
	scratch();
	EXPECT_EQ(mkdir("d/", 0755), 0);
}

CASE(mkdirat_dirfd)
{
	struct stat st;
	scratch();
	OK(mkdir("p", 0755));
	int d = OK(open("p", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(mkdirat(d, "c", 0700), 0);
	EXPECT_EQ(stat("p/c", &st), 0);
	close(d);
}

CASE(mkdir_shows_in_getdents)
{
	int type = -1;
	scratch();
	OK(mkdir("sub", 0755));
	int fd = OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(lists(fd, "sub", &type), 1);
	EXPECT_EQ(type, DT_DIR);
	close(fd);
}

CASE(rmdir_empty)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_EQ(rmdir("d"), 0);
	EXPECT_ERRNO(access("d", F_OK), ENOENT);
}

CASE(rmdir_not_empty)
{
	scratch();
	OK(mkdir("d", 0755));
	OK(mkdir("d/e", 0755));
	EXPECT_ERRNO(rmdir("d"), ENOTEMPTY);
}

CASE(rmdir_file_enotdir)
{
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	EXPECT_ERRNO(rmdir("f"), ENOTDIR);
}

CASE(rmdir_dot_einval)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(rmdir("d/."), EINVAL);
}

CASE(rmdir_enoent)
{
	scratch();
	EXPECT_ERRNO(rmdir("nothing"), ENOENT);
}

CASE(rmdir_cwd_then_getcwd_deleted)
{
	char b[PATH_MAX];
	scratch();
	OK(mkdir("d", 0755));
	OK(chdir("d"));
	EXPECT_EQ(rmdir("../d"), 0);
	char *r = getcwd(b, sizeof(b));
	int e = errno;
	EXPECT_TRUE(r == NULL);
	EXPECT_EQ(e, ENOENT);
}

CASE(getdents_of_removed_dir_enoent)
{
	char buf[1024];
	scratch();
	OK(mkdir("d", 0755));
	int fd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(rmdir("d"));
	EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOENT);
	close(fd);
}

CASE(unlinkat_removedir)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(unlinkat(AT_FDCWD, "d", 0), EISDIR);
	EXPECT_EQ(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR), 0);
}
