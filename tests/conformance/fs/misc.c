/* fs: whole-file calls: flock, sync/syncfs, posix_fadvise, sync_file_range, fallocate and
 * copy_file_range, with their errnos. */
#define AREA "fs"
#include "../harness.h"
#include <sys/file.h>
#include <sys/syscall.h>

static int put(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

CASE(flock_exclusive_conflicts_between_opens)
{
	scratch();
	OK(put("f", ""));
	int a = OK(open("f", O_RDONLY));
	int b = OK(open("f", O_RDONLY));
	EXPECT_EQ(flock(a, LOCK_EX), 0);
	EXPECT_ERRNO(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	EXPECT_ERRNO(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	EXPECT_EQ(flock(a, LOCK_UN), 0);
	EXPECT_EQ(flock(b, LOCK_EX | LOCK_NB), 0);
	close(a);
	close(b);
}

CASE(flock_shared_locks_coexist)
{
	scratch();
	OK(put("f", ""));
	int a = OK(open("f", O_RDONLY));
	int b = OK(open("f", O_RDONLY));
	EXPECT_EQ(flock(a, LOCK_SH), 0);
	EXPECT_EQ(flock(b, LOCK_SH | LOCK_NB), 0);
	close(a);
	close(b);
}

CASE(flock_released_on_last_close)
{
	scratch();
	OK(put("f", ""));
	int a = OK(open("f", O_RDONLY));
	int dupa = OK(dup(a));
	int b = OK(open("f", O_RDONLY));
	OK(flock(a, LOCK_EX));
	close(a);
	EXPECT_ERRNO(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK); /* the dup still holds it */
	close(dupa);
	EXPECT_EQ(flock(b, LOCK_EX | LOCK_NB), 0);
	close(b);
}

CASE(flock_shared_with_forked_child)
{
	int st;
	scratch();
	OK(put("f", ""));
	int a = OK(open("f", O_RDONLY));
	OK(flock(a, LOCK_EX));
	pid_t pid = OK(fork());
	if (pid == 0) {
		int b = open("f", O_RDONLY);
		/* same open file description: relocking is fine; another one conflicts */
		_exit(flock(a, LOCK_EX | LOCK_NB) == 0 && flock(b, LOCK_EX | LOCK_NB) == -1 &&
			      errno == EWOULDBLOCK ? 0 : 1);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
	close(a);
}

CASE(flock_bad_operation_einval)
{
	scratch();
	OK(put("f", ""));
	int a = OK(open("f", O_RDONLY));
	int r = flock(a, 0), e = errno;
	close(a);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINVAL);
}

CASE(flock_ebadf)
{
	EXPECT_ERRNO(flock(-1, LOCK_SH), EBADF);
}

CASE(sync_and_syncfs)
{
	sync();
	int fd = OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	int r = syncfs(fd), e = errno;
	close(fd);
	if (r)
		FAIL("syncfs: %s", h_ename(e));
	EXPECT_ERRNO(syncfs(-1), EBADF);
	EXPECT_EQ(syscall(SYS_sync), 0);
}

CASE(fadvise_ok_and_errors)
{
	int p[2];
	scratch();
	OK(put("f", "data"));
	int fd = OK(open("f", O_RDONLY));
	EXPECT_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	EXPECT_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
	EXPECT_EQ(posix_fadvise(fd, 0, 0, 99), EINVAL);
	EXPECT_EQ(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL), EBADF);
	close(fd);
	OK(pipe(p));
	EXPECT_EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	close(p[0]);
	close(p[1]);
}

CASE(sync_file_range_ok_and_errors)
{
	scratch();
	OK(put("f", "data"));
	int fd = OK(open("f", O_RDWR));
	EXPECT_EQ(sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE), 0);
	EXPECT_ERRNO(sync_file_range(fd, 0, 0, 0x80), EINVAL);
	EXPECT_ERRNO(sync_file_range(fd, -1, 0, 0), EINVAL);
	close(fd);
	EXPECT_ERRNO(sync_file_range(-1, 0, 0, 0), EBADF);
}

CASE(fallocate_extends_file)
{
	struct stat st;
	char buf[16];
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	EXPECT_EQ(fallocate(fd, 0, 0, 8192), 0);
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 8192);
	EXPECT_EQ(pread(fd, buf, sizeof(buf), 4000), sizeof(buf));
	EXPECT_MEMEQ(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	close(fd);
}

CASE(fallocate_keep_size)
{
	struct stat st;
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(write(fd, "ab", 2));
	EXPECT_EQ(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 65536), 0);
	OK(fstat(fd, &st));
	close(fd);
	EXPECT_EQ(st.st_size, 2);
}

CASE(fallocate_errors)
{
	int p[2];
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	EXPECT_ERRNO(fallocate(fd, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(fallocate(fd, 0, -1, 10), EINVAL);
	close(fd);
	fd = OK(open("f", O_RDONLY));
	EXPECT_ERRNO(fallocate(fd, 0, 0, 10), EBADF);
	close(fd);
	OK(pipe(p));
	EXPECT_ERRNO(fallocate(p[1], 0, 0, 10), ESPIPE);
	close(p[0]);
	close(p[1]);
}

CASE(copy_file_range_copies_and_advances)
{
	char buf[16] = {0};
	scratch();
	OK(put("src", "0123456789"));
	int in = OK(open("src", O_RDONLY));
	int out = OK(open("dst", O_CREAT | O_RDWR, 0644));
	OK(lseek(in, 2, SEEK_SET));
	EXPECT_EQ(copy_file_range(in, NULL, out, NULL, 5, 0), 5);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 7);
	EXPECT_EQ(lseek(out, 0, SEEK_CUR), 5);
	EXPECT_EQ(pread(out, buf, sizeof(buf) - 1, 0), 5);
	EXPECT_STREQ(buf, "23456");
	close(in);
	close(out);
}

CASE(copy_file_range_explicit_offsets)
{
	char buf[16] = {0};
	scratch();
	OK(put("src", "abcdefgh"));
	int in = OK(open("src", O_RDONLY));
	int out = OK(open("dst", O_CREAT | O_RDWR, 0644));
	loff_t ioff = 4, ooff = 1;
	EXPECT_EQ(copy_file_range(in, &ioff, out, &ooff, 100, 0), 4);
	EXPECT_EQ(ioff, 8);
	EXPECT_EQ(ooff, 5);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 0);
	EXPECT_EQ(pread(out, buf, sizeof(buf) - 1, 0), 5);
	EXPECT_MEMEQ(buf, "\0efgh", 5);
	close(in);
	close(out);
}

CASE(copy_file_range_errors)
{
	scratch();
	OK(put("src", "abc"));
	int in = OK(open("src", O_RDONLY));
	int out = OK(open("dst", O_CREAT | O_RDWR, 0644));
	EXPECT_ERRNO(copy_file_range(out, NULL, in, NULL, 1, 0), EBADF); /* in is read-only */
	EXPECT_ERRNO(copy_file_range(in, NULL, out, NULL, 1, 1), EINVAL);
	EXPECT_EQ(copy_file_range(in, NULL, out, NULL, 0, 0), 0);
	close(in);
	close(out);
}

/*
 * copy_file_range's and sendfile's positions at the edges: offsets that
 * would wrap are EOVERFLOW, a copy stops at the input's end (also for a
 * count of SIZE_MAX), an output at LLONG_MAX is EFBIG, an input position
 * near LLONG_MAX copies nothing; sendfile checks both ends as
 * rw_verify_area (EINVAL).
 */
CASE(copy_file_range_sendfile_position_edges)
{
	loff_t i, o;
	scratch();
	int a = OK(open("a", O_CREAT | O_RDWR, 0644)), b = OK(open("b", O_CREAT | O_RDWR, 0644));
	EXPECT_EQ(write(a, "0123456789", 10), 10);
	i = 0, o = 0;
	EXPECT_EQ(syscall(SYS_copy_file_range, a, &i, b, &o, (size_t)-1, 0), 10);
	i = 3, o = 0;
	EXPECT_EQ(syscall(SYS_copy_file_range, a, &i, b, &o, (size_t)LLONG_MAX, 0), 7);
	i = LLONG_MAX - 10, o = 0;
	EXPECT_EQ(syscall(SYS_copy_file_range, a, &i, b, &o, 64, 0), 0);
	i = 0, o = LLONG_MAX;
	EXPECT_ERRNO(syscall(SYS_copy_file_range, a, &i, b, &o, 5, 0), EFBIG);
	i = 5, o = 1LL << 62;
	EXPECT_ERRNO(syscall(SYS_copy_file_range, a, &i, b, &o, (size_t)-1 - 10, 0), EOVERFLOW);
	i = 0, o = 2;
	EXPECT_ERRNO(syscall(SYS_copy_file_range, a, &i, a, &o, 5, 0), EINVAL);
	i = LLONG_MAX - 3;
	EXPECT_ERRNO(syscall(SYS_sendfile, b, a, &i, 64), EINVAL);
	i = 0;
	EXPECT_ERRNO(syscall(SYS_sendfile, b, a, &i, (size_t)-1), EINVAL);
	close(a);
	close(b);
}
