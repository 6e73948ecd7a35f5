/* fs: stat, fstat, lstat, fstatat, statx, access, faccessat, statfs. */
#define AREA "fs"
#include "../harness.h"
#include <stdbool.h>
#include <stdint.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

CASE(stat_regular)
{
	struct stat st;
	EXPECT_EQ(stat("/etc/passwd", &st), 0);
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_TRUE(st.st_size > 0);
	EXPECT_TRUE(st.st_nlink >= 1);
	EXPECT_TRUE(st.st_ino != 0);
}

CASE(stat_directory)
{
	struct stat st;
	EXPECT_EQ(stat("/etc", &st), 0);
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_TRUE(st.st_nlink >= 2);
}

CASE(stat_root_dotdot_is_root)
{
	struct stat a, b;
	EXPECT_EQ(stat("/", &a), 0);
	EXPECT_EQ(stat("/..", &b), 0);
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(a.st_dev, b.st_dev);
}

CASE(stat_dev_null_chr)
{
	struct stat st;
	EXPECT_EQ(stat("/dev/null", &st), 0);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 1);
	EXPECT_EQ(minor(st.st_rdev), 3);
}

CASE(stat_enoent)
{
	struct stat st;
	EXPECT_ERRNO(stat("/nonexistent-uosconf", &st), ENOENT);
}

CASE(stat_enotdir)
{
	struct stat st;
	EXPECT_ERRNO(stat("/etc/passwd/", &st), ENOTDIR);
}

CASE(stat_efault_path)
{
	struct stat st;
	EXPECT_ERRNO(stat((const char *)16, &st), EFAULT);
}

CASE(stat_efault_buf)
{
	EXPECT_ERRNO(syscall(SYS_stat, "/etc/passwd", (void *)16), EFAULT);
}

CASE(stat_trailing_slash_dir)
{
	struct stat st;
	EXPECT_EQ(stat("/etc/", &st), 0);
	EXPECT_EQ(stat("/etc/.", &st), 0);
	EXPECT_EQ(stat("//etc//passwd", &st), 0);
}

CASE(fstat_matches_stat)
{
	struct stat a, b;
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(fstat(fd, &a), 0);
	EXPECT_EQ(stat("/etc/passwd", &b), 0);
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(a.st_dev, b.st_dev);
	EXPECT_EQ(a.st_size, b.st_size);
	EXPECT_EQ(a.st_mode, b.st_mode);
	close(fd);
}

CASE(fstat_ebadf)
{
	struct stat st;
	EXPECT_ERRNO(fstat(555, &st), EBADF);
}

CASE(fstat_pipe_fifo)
{
	int p[2];
	struct stat st;
	OK(pipe(p));
	EXPECT_EQ(fstat(p[0], &st), 0);
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
	close(p[0]);
	close(p[1]);
}

CASE(lstat_symlink)
{
	struct stat st;
	scratch();
	OK(symlink("/etc/passwd", "l"));
	EXPECT_EQ(lstat("l", &st), 0);
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_EQ(st.st_size, 11);
	EXPECT_EQ(stat("l", &st), 0);
	EXPECT_TRUE(S_ISREG(st.st_mode));
}

CASE(lstat_non_link_same_as_stat)
{
	struct stat a, b;
	EXPECT_EQ(lstat("/etc/passwd", &a), 0);
	EXPECT_EQ(stat("/etc/passwd", &b), 0);
	EXPECT_EQ(a.st_ino, b.st_ino);
}

CASE(fstatat_relative_dirfd)
{
	struct stat a, b;
	int d = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(fstatat(d, "passwd", &a, 0), 0);
	EXPECT_EQ(stat("/etc/passwd", &b), 0);
	EXPECT_EQ(a.st_ino, b.st_ino);
	close(d);
}

CASE(fstatat_empty_path)
{
	struct stat a, b;
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(fstatat(fd, "", &a, AT_EMPTY_PATH), 0);
	EXPECT_EQ(fstat(fd, &b), 0);
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_ERRNO(fstatat(fd, "", &a, 0), ENOENT);
	close(fd);
}

CASE(fstatat_bad_flags)
{
	struct stat st;
	EXPECT_ERRNO(fstatat(AT_FDCWD, "/etc/passwd", &st, 0x40000000), EINVAL);
}

CASE(fstatat_ebadf)
{
	struct stat st;
	EXPECT_ERRNO(fstatat(555, "passwd", &st, 0), EBADF);
}

CASE(statx_basic)
{
	struct statx sx;
	struct stat st;
	EXPECT_EQ(statx(AT_FDCWD, "/etc/passwd", 0, STATX_BASIC_STATS, &sx), 0);
	EXPECT_EQ(stat("/etc/passwd", &st), 0);
	EXPECT_TRUE((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	EXPECT_EQ(sx.stx_ino, st.st_ino);
	EXPECT_EQ(sx.stx_size, st.st_size);
	EXPECT_EQ(sx.stx_mode, st.st_mode);
	EXPECT_EQ(sx.stx_nlink, st.st_nlink);
}

CASE(statx_symlink_nofollow)
{
	struct statx sx;
	scratch();
	OK(symlink("/etc", "l"));
	EXPECT_EQ(statx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx), 0);
	EXPECT_TRUE(S_ISLNK(sx.stx_mode));
	EXPECT_EQ(statx(AT_FDCWD, "l", 0, STATX_TYPE, &sx), 0);
	EXPECT_TRUE(S_ISDIR(sx.stx_mode));
}

CASE(statx_reserved_mask_einval)
{
	struct statx sx;
	EXPECT_ERRNO(statx(AT_FDCWD, "/etc/passwd", 0, 0x80000000U, &sx), EINVAL);
}

CASE(statx_enoent)
{
	struct statx sx;
	EXPECT_ERRNO(statx(AT_FDCWD, "/nonexistent-uosconf", 0, STATX_BASIC_STATS, &sx), ENOENT);
}

CASE(access_exists)
{
	EXPECT_EQ(access("/etc/passwd", F_OK), 0);
	EXPECT_EQ(access("/etc/passwd", R_OK), 0);
}

CASE(access_enoent)
{
	EXPECT_ERRNO(access("/nonexistent-uosconf", F_OK), ENOENT);
}

CASE(access_bad_mode_einval)
{
	EXPECT_ERRNO(access("/etc/passwd", 0100), EINVAL);
}

CASE(access_root_x_needs_some_x_bit)
{
	EXPECT_ERRNO(access("/etc/passwd", X_OK), EACCES);
	EXPECT_EQ(access("/bin/sh", X_OK), 0);
	EXPECT_EQ(access("/etc", X_OK), 0);
}

CASE(faccessat_dirfd)
{
	int d = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(faccessat(d, "passwd", R_OK, 0), 0);
	EXPECT_ERRNO(faccessat(d, "nonexistent-uosconf", R_OK, 0), ENOENT);
	close(d);
}

CASE(faccessat2_bad_flags)
{
	EXPECT_ERRNO(syscall(SYS_faccessat2, AT_FDCWD, "/etc/passwd", R_OK, 0x1), EINVAL);
}

CASE(faccessat2_eaccess)
{
	EXPECT_EQ(syscall(SYS_faccessat2, AT_FDCWD, "/etc/passwd", R_OK, AT_EACCESS), 0);
}

CASE(access_nonroot_eacces)
{
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0600)));
	OK(seteuid(65534));
	int r = access("f", R_OK), e = errno;
	int r2 = faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS), e2 = errno;
	OK(seteuid(0));
	EXPECT_EQ(r, 0); /* access() checks the real uid: still root */
	EXPECT_EQ(r2, -1);
	EXPECT_EQ(e2, EACCES);
	(void)e;
}

CASE(statfs_root)
{
	struct statfs sf;
	EXPECT_EQ(statfs("/", &sf), 0);
	EXPECT_TRUE(sf.f_bsize > 0);
}

CASE(fstatfs_ebadf)
{
	struct statfs sf;
	EXPECT_ERRNO(fstatfs(555, &sf), EBADF);
}

CASE(statfs_enoent)
{
	struct statfs sf;
	EXPECT_ERRNO(statfs("/nonexistent-uosconf", &sf), ENOENT);
}

CASE(stat_size_after_write)
{
	struct stat st;
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(write(fd, "12345", 5), 5);
	EXPECT_EQ(stat("f", &st), 0);
	EXPECT_EQ(st.st_size, 5);
	EXPECT_EQ(st.st_uid, 0);
	close(fd);
}

CASE(stat_mtime_changes_on_write)
{
	struct stat a, b;
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	OK(fstat(fd, &a));
	struct timespec ts = {0, 20000000};
	nanosleep(&ts, NULL);
	EXPECT_EQ(write(fd, "x", 1), 1);
	OK(fstat(fd, &b));
	EXPECT_TRUE(b.st_mtim.tv_sec > a.st_mtim.tv_sec ||
		    (b.st_mtim.tv_sec == a.st_mtim.tv_sec && b.st_mtim.tv_nsec > a.st_mtim.tv_nsec));
	close(fd);
}

CASE(utimensat_sets_times)
{
	struct stat st;
	struct timespec ts[2] = {{1000, 0}, {2000, 500}};
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	EXPECT_EQ(utimensat(AT_FDCWD, "f", ts, 0), 0);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_atim.tv_sec, 1000);
	EXPECT_EQ(st.st_mtim.tv_sec, 2000);
	EXPECT_EQ(st.st_mtim.tv_nsec, 500);
}

CASE(utimensat_bad_nsec_einval)
{
	struct timespec ts[2] = {{0, 2000000000}, {0, 0}};
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	EXPECT_ERRNO(utimensat(AT_FDCWD, "f", ts, 0), EINVAL);
}

/* Both UTIME_OMIT: nothing to do, and Linux looks at neither the path, the fd nor the flags. */
CASE(utimensat_omit_both_checks_nothing)
{
	struct timespec ts[2] = {{5, UTIME_OMIT}, {-7, UTIME_OMIT}};
	EXPECT_EQ(syscall(SYS_utimensat, AT_FDCWD, "/nonexistent/x", ts, 0x1234), 0);
	EXPECT_EQ(syscall(SYS_utimensat, 999, NULL, ts, 0), 0);
}

/*
 * The order of utimensat's checks (do_utimes, vfs_utimes): the flags, then
 * the path or fd, then the nanoseconds; futimens takes no flags; a NULL path
 * with AT_FDCWD is a bad pointer.
 */
CASE(utimensat_order_of_checks)
{
	struct timespec bad[2] = {{1, 1000000000}, {1, 0}};
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, "missing", bad, 0), ENOENT);
	EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, "missing", bad, 0x1234), EINVAL);
	EXPECT_ERRNO(syscall(SYS_utimensat, 999, NULL, bad, 0), EBADF);
	EXPECT_ERRNO(syscall(SYS_utimensat, fd, NULL, bad, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_utimensat, fd, NULL, NULL, AT_SYMLINK_NOFOLLOW), EINVAL);
	EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0), EFAULT);
	EXPECT_EQ(syscall(SYS_utimensat, fd, NULL, NULL, 0), 0);
	close(fd);
}

/*
 * The extreme seconds are kept as the filesystem can (timestamp_truncate):
 * all of them on tmpfs, ext4's range elsewhere; either way no nanoseconds
 * at the ends of the range, and the call succeeds.
 */
static bool at_fs_max(const struct timespec *t)
{
	return t->tv_nsec == 0 &&
	       (t->tv_sec == LONG_MAX || t->tv_sec == 15032385535LL || t->tv_sec == INT32_MAX);
}

static bool at_fs_min(const struct timespec *t)
{
	return t->tv_nsec == 0 && (t->tv_sec == LONG_MIN || t->tv_sec == INT32_MIN);
}

CASE(utimes_extreme_seconds_clamped)
{
	struct stat st;
	struct timespec ts[2] = {{LONG_MAX, 999999999}, {LONG_MIN, 999999999}};
	struct timeval tv[2] = {{LONG_MIN, 999999}, {LONG_MAX, 999999}};
	struct {
		long actime, modtime;
	} ub = {LONG_MAX, LONG_MIN};
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	EXPECT_EQ(syscall(SYS_utimensat, AT_FDCWD, "f", ts, 0), 0);
	OK(stat("f", &st));
	EXPECT_TRUE(at_fs_max(&st.st_atim) && at_fs_min(&st.st_mtim));
	EXPECT_EQ(syscall(SYS_utimes, "f", tv), 0);
	OK(stat("f", &st));
	EXPECT_TRUE(at_fs_min(&st.st_atim) && at_fs_max(&st.st_mtim));
	EXPECT_EQ(syscall(SYS_utime, "f", &ub), 0);
	OK(stat("f", &st));
	EXPECT_TRUE(at_fs_max(&st.st_atim) && at_fs_min(&st.st_mtim));
}

/* utimes' and futimesat's tv_usec must be in [0, 10^6), checked before the path. */
CASE(utimes_bad_usec_einval)
{
	static const long bad[] = {1000000, -1, UTIME_NOW, UTIME_OMIT, LONG_MIN};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct timeval tv[2] = {{1, 0}, {1, bad[i]}};
		EXPECT_ERRNO(syscall(SYS_utimes, "/nonexistent/x", tv), EINVAL);
		EXPECT_ERRNO(syscall(SYS_futimesat, 999, "x", tv), EINVAL);
	}
}
