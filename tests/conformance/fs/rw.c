/* fs: read, write, pread, pwrite, readv, writev, preadv, pwritev, lseek. */
#define AREA "fs"
#include "../harness.h"
#include <sys/syscall.h>
#include <sys/uio.h>

/* A scratch file holding "0123456789"; returns its fd open O_RDWR. */
static int ten(void)
{
	int fd = open("ten", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd >= 0 && write(fd, "0123456789", 10) != 10)
		return -1;
	if (fd >= 0)
		lseek(fd, 0, SEEK_SET);
	return fd;
}

CASE(read_advances_offset)
{
	char b[4];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(read(fd, b, 4), 4);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 4);
	close(fd);
}

CASE(read_eof_returns_zero)
{
	struct stat st;
	char b[16];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	OK(fstat(fd, &st));
	EXPECT_EQ(lseek(fd, 0, SEEK_END), st.st_size);
	EXPECT_EQ(read(fd, b, sizeof(b)), 0);
	close(fd);
}

CASE(read_zero_count)
{
	char b[1];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(read(fd, b, 0), 0);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	close(fd);
}

CASE(read_whole_file_matches_size)
{
	struct stat st;
	char b[4096];
	long total = 0, n;
	int fd = OK(open("/etc/passwd", O_RDONLY));
	OK(fstat(fd, &st));
	while ((n = read(fd, b, sizeof(b))) > 0)
		total += n;
	EXPECT_EQ(n, 0);
	EXPECT_EQ(total, st.st_size);
	close(fd);
}

CASE(read_ebadf)
{
	char b[1];
	EXPECT_ERRNO(read(555, b, 1), EBADF);
}

CASE(read_wronly_ebadf)
{
	char b[1];
	int fd = OK(open("/dev/null", O_WRONLY));
	EXPECT_ERRNO(read(fd, b, 1), EBADF);
	close(fd);
}

CASE(read_directory_eisdir)
{
	char b[16];
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(read(fd, b, sizeof(b)), EISDIR);
	close(fd);
}

CASE(read_efault)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(read(fd, (void *)8, 4), EFAULT);
	close(fd);
}

CASE(write_rdonly_ebadf)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(write(fd, "x", 1), EBADF);
	close(fd);
}

CASE(write_ebadf)
{
	EXPECT_ERRNO(write(555, "x", 1), EBADF);
}

CASE(pread_does_not_move_offset)
{
	char a[8], b[8];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(pread(fd, a, 8, 2), 8);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_EQ(lseek(fd, 2, SEEK_SET), 2);
	EXPECT_EQ(read(fd, b, 8), 8);
	EXPECT_MEMEQ(a, b, 8);
	close(fd);
}

CASE(pread_negative_offset_einval)
{
	char b[4];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(pread(fd, b, 4, -1), EINVAL);
	close(fd);
}

CASE(pread_past_eof_zero)
{
	char b[4];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(pread(fd, b, 4, 1 << 30), 0);
	close(fd);
}

CASE(pread_on_pipe_espipe)
{
	int p[2];
	char b[1];
	OK(pipe(p));
	EXPECT_ERRNO(pread(p[0], b, 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
}

CASE(readv_scatters)
{
	char a[3], b[5], whole[8];
	struct iovec iov[2] = {{a, 3}, {b, 5}};
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(readv(fd, iov, 2), 8);
	EXPECT_EQ(pread(fd, whole, 8, 0), 8);
	EXPECT_MEMEQ(a, whole, 3);
	EXPECT_MEMEQ(b, whole + 3, 5);
	close(fd);
}

CASE(readv_bad_iovcnt_einval)
{
	char a[1];
	struct iovec iov[1] = {{a, 1}};
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(readv(fd, iov, -1), EINVAL);
	EXPECT_ERRNO(readv(fd, iov, 1025), EINVAL);
	close(fd);
}

CASE(readv_zero_iovcnt)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(readv(fd, NULL, 0), 0);
	close(fd);
}

CASE(preadv_offset)
{
	char a[4], whole[4];
	struct iovec iov[1] = {{a, 4}};
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(preadv(fd, iov, 1, 5), 4);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_EQ(pread(fd, whole, 4, 5), 4);
	EXPECT_MEMEQ(a, whole, 4);
	close(fd);
}

CASE(writev_to_dev_null)
{
	struct iovec iov[2] = {{"ab", 2}, {"cde", 3}};
	int fd = OK(open("/dev/null", O_WRONLY));
	EXPECT_EQ(writev(fd, iov, 2), 5);
	close(fd);
}

CASE(lseek_set_cur_end)
{
	struct stat st;
	int fd = OK(open("/etc/passwd", O_RDONLY));
	OK(fstat(fd, &st));
	EXPECT_EQ(lseek(fd, 10, SEEK_SET), 10);
	EXPECT_EQ(lseek(fd, 5, SEEK_CUR), 15);
	EXPECT_EQ(lseek(fd, -1, SEEK_END), st.st_size - 1);
	close(fd);
}

CASE(lseek_negative_einval)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	close(fd);
}

CASE(lseek_bad_whence_einval)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(lseek(fd, 0, 77), EINVAL);
	close(fd);
}

CASE(lseek_past_end_allowed)
{
	char b[1];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(lseek(fd, 1 << 30, SEEK_SET), 1 << 30);
	EXPECT_EQ(read(fd, b, 1), 0);
	close(fd);
}

CASE(lseek_pipe_espipe)
{
	int p[2];
	OK(pipe(p));
	EXPECT_ERRNO(lseek(p[0], 0, SEEK_CUR), ESPIPE);
	close(p[0]);
	close(p[1]);
}

CASE(lseek_ebadf)
{
	EXPECT_ERRNO(lseek(555, 0, SEEK_SET), EBADF);
}

CASE(write_then_read_back)
{
	char b[16] = {0};
	scratch();
	int fd = OK(ten());
	EXPECT_EQ(read(fd, b, 16), 10);
	EXPECT_STREQ(b, "0123456789");
	close(fd);
}

CASE(pwrite_in_middle)
{
	char b[11] = {0};
	scratch();
	int fd = OK(ten());
	EXPECT_EQ(pwrite(fd, "ab", 2, 4), 2);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_EQ(read(fd, b, 10), 10);
	EXPECT_STREQ(b, "0123ab6789");
	close(fd);
}

CASE(write_past_end_makes_hole)
{
	char b[4];
	struct stat st;
	scratch();
	int fd = OK(ten());
	EXPECT_EQ(pwrite(fd, "z", 1, 20), 1);
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 21);
	EXPECT_EQ(pread(fd, b, 4, 12), 4);
	EXPECT_EQ(b[0] | b[1] | b[2] | b[3], 0);
	close(fd);
}

CASE(pwritev_gathers)
{
	char b[11] = {0};
	struct iovec iov[2] = {{"AB", 2}, {"CD", 2}};
	scratch();
	int fd = OK(ten());
	EXPECT_EQ(pwritev(fd, iov, 2, 3), 4);
	EXPECT_EQ(pread(fd, b, 10, 0), 10);
	EXPECT_STREQ(b, "012ABCD789");
	close(fd);
}

CASE(lseek_seek_data_hole)
{
	scratch();
	int fd = OK(ten());
	EXPECT_EQ(lseek(fd, 0, SEEK_DATA), 0);
	EXPECT_EQ(lseek(fd, 0, SEEK_HOLE), 10);
	EXPECT_ERRNO(lseek(fd, 10, SEEK_DATA), ENXIO);
	close(fd);
}

CASE(ftruncate_shrinks_and_grows)
{
	struct stat st;
	char b[4];
	scratch();
	int fd = OK(ten());
	EXPECT_EQ(ftruncate(fd, 4), 0);
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 4);
	EXPECT_EQ(ftruncate(fd, 8), 0);
	EXPECT_EQ(pread(fd, b, 4, 4), 4);
	EXPECT_EQ(b[0] | b[3], 0);
	close(fd);
}

CASE(ftruncate_rdonly_einval)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(ftruncate(fd, 0), EINVAL);
	close(fd);
}

CASE(ftruncate_negative_einval)
{
	scratch();
	int fd = OK(ten());
	EXPECT_ERRNO(ftruncate(fd, -1), EINVAL);
	close(fd);
}

CASE(truncate_path)
{
	struct stat st;
	scratch();
	close(OK(ten()));
	EXPECT_EQ(truncate("ten", 3), 0);
	OK(stat("ten", &st));
	EXPECT_EQ(st.st_size, 3);
}

CASE(truncate_directory_eisdir)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(truncate("d", 0), EISDIR);
}

CASE(fsync_regular_file)
{
	scratch();
	int fd = OK(ten());
	EXPECT_EQ(fsync(fd), 0);
	EXPECT_EQ(fdatasync(fd), 0);
	close(fd);
}

CASE(fsync_ebadf)
{
	EXPECT_ERRNO(fsync(555), EBADF);
}

CASE(shared_offset_after_dup)
{
	char b[2];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	int d = OK(dup(fd));
	EXPECT_EQ(read(fd, b, 2), 2);
	EXPECT_EQ(lseek(d, 0, SEEK_CUR), 2);
	close(fd);
	close(d);
}

CASE(separate_offsets_two_opens)
{
	char b[2];
	int a = OK(open("/etc/passwd", O_RDONLY));
	int c = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_EQ(read(a, b, 2), 2);
	EXPECT_EQ(lseek(c, 0, SEEK_CUR), 0);
	close(a);
	close(c);
}

/* preadv2/pwritev2: RWF_APPEND writes at the end; RWF_NOWAIT on an empty pipe is EAGAIN. */
CASE(pwritev2_append_preadv2_nowait)
{
	scratch();
	char b[8] = "";
	struct iovec w = {"xy", 2}, r = {b, sizeof(b)};
	int fd = OK(open("f", O_RDWR | O_CREAT, 0644));
	OK(write(fd, "abc", 3));
	EXPECT_EQ(pwritev2(fd, &w, 1, 0, RWF_APPEND), 2);
	EXPECT_EQ(preadv2(fd, &r, 1, 0, 0), 5);
	EXPECT_TRUE(!memcmp(b, "abcxy", 5));
	EXPECT_ERRNO(pwritev2(fd, &w, 1, 0, 0x1000), EOPNOTSUPP);
	close(fd);
	int p[2];
	OK(pipe(p));
	EXPECT_ERRNO(preadv2(p[0], &r, 1, -1, RWF_NOWAIT), EAGAIN);
	close(p[0]);
	close(p[1]);
}

/*
 * rw_verify_area: a transfer that would end past LLONG_MAX is EINVAL, also
 * for an O_APPEND file (its position argument is checked) and for vectors,
 * before RWF_NOWAIT is looked at; at LLONG_MAX with no bytes it is fine.
 */
CASE(rw_past_llong_max_einval)
{
	char b[64];
	struct iovec iov[2] = {{b, 10}, {b, 10}};
	scratch();
	int fd = OK(ten());
	int ap = OK(open("ap", O_CREAT | O_RDWR | O_APPEND, 0644));
	int null = OK(open("/dev/null", O_RDWR));
	EXPECT_ERRNO(pwrite(fd, b, 64, LLONG_MAX - 10), EINVAL);
	EXPECT_ERRNO(pread(fd, b, 64, LLONG_MAX - 10), EINVAL);
	EXPECT_ERRNO(pwrite(null, b, 64, LLONG_MAX - 10), EINVAL);
	EXPECT_ERRNO(pwrite(ap, b, 10, LLONG_MAX - 5), EINVAL);
	EXPECT_ERRNO(pwritev(fd, iov, 2, LLONG_MAX - 15), EINVAL);
	EXPECT_ERRNO(preadv(fd, iov, 2, LLONG_MAX - 15), EINVAL);
	EXPECT_ERRNO(pwritev2(fd, iov, 2, LLONG_MAX - 15, RWF_NOWAIT), EINVAL);
	EXPECT_EQ(pwrite(fd, b, 0, LLONG_MAX), 0);
	close(fd);
	close(ap);
	close(null);
}

/*
 * access_ok: read and write refuse a buffer that does not fit in user space
 * (EFAULT, even for /dev/null, which reads none of it); a vector refuses a
 * length negative as an ssize_t (EINVAL, checked for every segment first)
 * and then a segment that does not fit (EFAULT).
 */
CASE(rw_buffer_past_user_space_efault)
{
	static char b[4096];
	struct iovec neg[2] = {{(void *)0xffff800000000000UL, 1}, {b, -1UL}};
	struct iovec high[2] = {{b, 1}, {(void *)0xffff800000000000UL, 1}};
	int null = OK(open("/dev/null", O_RDWR));
	EXPECT_ERRNO(syscall(SYS_write, null, b, -1UL), EFAULT);
	EXPECT_ERRNO(syscall(SYS_write, null, b, 1UL << 62), EFAULT);
	EXPECT_ERRNO(syscall(SYS_read, null, b, 0x800000000000UL - (unsigned long)b), EFAULT);
	EXPECT_ERRNO(syscall(SYS_write, null, 0xffff800000000000UL, 0), EFAULT);
	EXPECT_EQ(syscall(SYS_write, null, 0x7ffffffff000UL, 0), 0);
	EXPECT_ERRNO(writev(null, neg, 2), EINVAL);
	EXPECT_ERRNO(writev(null, high, 2), EFAULT);
	EXPECT_ERRNO(readv(null, high, 2), EFAULT);
	close(null);
}
