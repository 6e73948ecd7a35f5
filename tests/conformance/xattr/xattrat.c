/*
 * xattr: Linux 6.13's setxattrat, getxattrat, listxattrat and
 * removexattrat (struct xattr_args; AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH).
 */
#define AREA "xattr"
#include "../harness.h"
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#define NR_setxattrat 463
#define NR_getxattrat 464
#define NR_listxattrat 465
#define NR_removexattrat 466

struct xargs {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

static long setat(int dfd, const char *path, unsigned at, const char *name, const void *v,
		  size_t size, unsigned flags)
{
	struct xargs a = {(uintptr_t)v, (uint32_t)size, flags};
	return syscall(NR_setxattrat, dfd, path, at, name, &a, sizeof(a));
}

static long getat(int dfd, const char *path, unsigned at, const char *name, void *v, size_t size)
{
	struct xargs a = {(uintptr_t)v, (uint32_t)size, 0};
	return syscall(NR_getxattrat, dfd, path, at, name, &a, sizeof(a));
}

static void mkfile(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
}

CASE(at_set_get_from_dirfd)
{
	char buf[8];
	scratch();
	OK(mkdir("d", 0755));
	mkfile("d/f");
	int dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(setat(dfd, "f", 0, "user.k", "av", 2, 0));
	EXPECT_EQ(getat(dfd, "f", 0, "user.k", buf, sizeof(buf)), 2);
	EXPECT_EQ(getxattr("d/f", "user.k", buf, sizeof(buf)), 2);
	EXPECT_EQ(syscall(NR_listxattrat, dfd, "f", 0, buf, sizeof(buf)), 7);
	OK(syscall(NR_removexattrat, dfd, "f", 0, "user.k"));
	EXPECT_ERRNO(getxattr("d/f", "user.k", buf, sizeof(buf)), ENODATA);
	close(dfd);
}

CASE(at_flags_einval)
{
	char buf[8];
	scratch();
	mkfile("f");
	EXPECT_ERRNO(setat(AT_FDCWD, "f", 0x800, "user.k", "a", 1, 0), EINVAL);
	EXPECT_ERRNO(getat(AT_FDCWD, "f", AT_REMOVEDIR, "user.k", buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(syscall(NR_listxattrat, AT_FDCWD, "f", 0x800, buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(syscall(NR_removexattrat, AT_FDCWD, "f", 0x800, "user.k"), EINVAL);
}

CASE(at_args_size)
{
	struct xargs a = {(uintptr_t) "a", 1, 0};
	char big[8192] = {0};
	scratch();
	mkfile("f");
	EXPECT_ERRNO(syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.k", &a, 8), EINVAL);
	EXPECT_ERRNO(syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.k", big, sizeof(big)), E2BIG);
	memcpy(big, &a, sizeof(a));
	OK(syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.k", big, 64));
	big[40] = 1;
	EXPECT_ERRNO(syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.k", big, 64), E2BIG);
	EXPECT_ERRNO(syscall(NR_setxattrat, AT_FDCWD, "f", 0, "user.k", (void *)8, 16), EFAULT);
}

CASE(getat_flags_einval)
{
	char buf[8];
	struct xargs a = {(uintptr_t)buf, sizeof(buf), XATTR_CREATE};
	scratch();
	mkfile("f");
	EXPECT_ERRNO(syscall(NR_getxattrat, AT_FDCWD, "f", 0, "user.k", &a, sizeof(a)), EINVAL);
}

CASE(at_setat_flags)
{
	scratch();
	mkfile("f");
	OK(setat(AT_FDCWD, "f", 0, "user.k", "a", 1, XATTR_CREATE));
	EXPECT_ERRNO(setat(AT_FDCWD, "f", 0, "user.k", "a", 1, XATTR_CREATE), EEXIST);
	EXPECT_ERRNO(setat(AT_FDCWD, "f", 0, "user.n", "a", 1, XATTR_REPLACE), ENODATA);
	EXPECT_ERRNO(setat(AT_FDCWD, "f", 0, "user.n", "a", 1, 4), EINVAL);
}

CASE(at_empty_path_fd)
{
	char buf[8];
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(setat(fd, "", AT_EMPTY_PATH, "user.k", "ev", 2, 0));
	EXPECT_EQ(getxattr("f", "user.k", buf, sizeof(buf)), 2);
	EXPECT_EQ(getat(fd, "", AT_EMPTY_PATH, "user.k", buf, sizeof(buf)), 2);
	EXPECT_ERRNO(getat(fd, "", 0, "user.k", buf, sizeof(buf)), ENOENT);
	close(fd);
}

CASE(at_nofollow)
{
	char buf[8];
	scratch();
	mkfile("f");
	OK(symlink("f", "l"));
	EXPECT_ERRNO(setat(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, "user.k", "a", 1, 0), EPERM);
	OK(setat(AT_FDCWD, "l", 0, "user.k", "a", 1, 0));
	EXPECT_EQ(syscall(NR_listxattrat, AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, buf, sizeof(buf)), 0);
	EXPECT_EQ(syscall(NR_listxattrat, AT_FDCWD, "l", 0, buf, sizeof(buf)), 7);
}

CASE(at_empty_path_needs_a_fd)
{
	char buf[8];
	scratch();
	int fd = OK(open(".", O_PATH));
	EXPECT_ERRNO(syscall(NR_listxattrat, AT_FDCWD, "", AT_EMPTY_PATH, buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(syscall(NR_listxattrat, fd, "", AT_EMPTY_PATH, buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(syscall(NR_listxattrat, fd, NULL, AT_EMPTY_PATH, buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(syscall(NR_listxattrat, AT_FDCWD, NULL, 0, buf, sizeof(buf)), EFAULT);
	EXPECT_ERRNO(syscall(NR_listxattrat, AT_FDCWD, "", 0, buf, sizeof(buf)), ENOENT);
	close(fd);
}

CASE(at_bad_dirfd)
{
	char buf[8];
	EXPECT_ERRNO(getat(999, "f", 0, "user.k", buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(getat(999, "", AT_EMPTY_PATH, "user.k", buf, sizeof(buf)), EBADF);
}
