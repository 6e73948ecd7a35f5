/* pipe: pipe, pipe2, EOF, EPIPE/SIGPIPE, O_NONBLOCK, capacity, atomicity. */
#define AREA "pipe"
#include "../harness.h"
#include <sys/ioctl.h>

CASE(pipe_write_read)
{
	int p[2];
	char b[8] = {0};
	OK(pipe(p));
	EXPECT_EQ(write(p[1], "hello", 5), 5);
	EXPECT_EQ(read(p[0], b, sizeof(b)), 5);
	EXPECT_STREQ(b, "hello");
	close(p[0]);
	close(p[1]);
}

CASE(pipe_fds_lowest)
{
	int a = OK(dup(0)), p[2];
	close(a);
	OK(pipe(p));
	EXPECT_EQ(p[0], a);
	EXPECT_EQ(p[1], a + 1);
	close(p[0]);
	close(p[1]);
}

CASE(pipe_eof_after_writer_closes)
{
	int p[2];
	char b[4];
	OK(pipe(p));
	EXPECT_EQ(write(p[1], "x", 1), 1);
	close(p[1]);
	EXPECT_EQ(read(p[0], b, 4), 1);
	EXPECT_EQ(read(p[0], b, 4), 0);
	close(p[0]);
}

CASE(pipe_epipe_without_reader)
{
	int p[2];
	struct sigaction sa = {.sa_handler = SIG_IGN}, old;
	OK(pipe(p));
	close(p[0]);
	OK(sigaction(SIGPIPE, &sa, &old));
	int r = write(p[1], "x", 1), e = errno;
	sigaction(SIGPIPE, &old, NULL);
	close(p[1]);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPIPE);
}

static volatile int got_pipe;
static void on_pipe(int s)
{
	got_pipe = s;
}

CASE(pipe_sigpipe_raised)
{
	int p[2];
	struct sigaction sa = {.sa_handler = on_pipe}, old;
	got_pipe = 0;
	OK(pipe(p));
	close(p[0]);
	OK(sigaction(SIGPIPE, &sa, &old));
	write(p[1], "x", 1);
	sigaction(SIGPIPE, &old, NULL);
	close(p[1]);
	EXPECT_EQ(got_pipe, SIGPIPE);
}

CASE(pipe_nonblock_empty_eagain)
{
	int p[2];
	char b[1];
	OK(pipe2(p, O_NONBLOCK));
	EXPECT_ERRNO(read(p[0], b, 1), EAGAIN);
	close(p[0]);
	close(p[1]);
}

CASE(pipe_nonblock_full_eagain)
{
	int p[2];
	static char big[65536];
	OK(pipe2(p, O_NONBLOCK));
	EXPECT_EQ(write(p[1], big, sizeof(big)), 65536);
	EXPECT_ERRNO(write(p[1], big, 1), EAGAIN);
	close(p[0]);
	close(p[1]);
}

CASE(pipe_partial_write_nonblock)
{
	int p[2];
	static char big[70000];
	OK(pipe2(p, O_NONBLOCK));
	EXPECT_EQ(write(p[1], big, 60000), 60000);
	ssize_t n = write(p[1], big, 10000); /* partial: how much is up to the page slots */
	EXPECT_TRUE(n > 0 && n < 10000);
	close(p[0]);
	close(p[1]);
}

CASE(pipe2_cloexec)
{
	int p[2];
	OK(pipe2(p, O_CLOEXEC));
	EXPECT_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	close(p[0]);
	close(p[1]);
}

CASE(pipe2_bad_flags_einval)
{
	int p[2];
	EXPECT_ERRNO(pipe2(p, O_APPEND), EINVAL);
}

CASE(pipe_efault)
{
	EXPECT_ERRNO(pipe((int *)16), EFAULT);
}

CASE(pipe_accmode)
{
	int p[2];
	OK(pipe(p));
	EXPECT_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	EXPECT_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	EXPECT_ERRNO(write(p[0], "x", 1), EBADF);
	close(p[0]);
	close(p[1]);
}

CASE(pipe_fionread)
{
	int p[2], n = -1;
	OK(pipe(p));
	write(p[1], "abc", 3);
	EXPECT_EQ(ioctl(p[0], FIONREAD, &n), 0);
	EXPECT_EQ(n, 3);
	close(p[0]);
	close(p[1]);
}

CASE(pipe_setpipe_sz)
{
	int p[2];
	OK(pipe(p));
	EXPECT_TRUE(fcntl(p[0], F_SETPIPE_SZ, 1 << 17) >= 1 << 17);
	EXPECT_EQ(fcntl(p[1], F_GETPIPE_SZ), 1 << 17);
	close(p[0]);
	close(p[1]);
}

CASE(pipe_across_fork)
{
	int p[2];
	char b[8] = {0};
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		close(p[0]);
		write(p[1], "child", 5);
		_exit(0);
	}
	close(p[1]);
	EXPECT_EQ(read(p[0], b, sizeof(b)), 5);
	EXPECT_STREQ(b, "child");
	EXPECT_EQ(read(p[0], b, sizeof(b)), 0);
	close(p[0]);
	waitpid(pid, NULL, 0);
}

CASE(fifo_open_rdwr_roundtrip)
{
	char b[4] = {0};
	scratch();
	OK(mkfifo("f", 0644));
	int fd = OK(open("f", O_RDWR));
	EXPECT_EQ(write(fd, "abc", 3), 3);
	EXPECT_EQ(read(fd, b, 3), 3);
	EXPECT_STREQ(b, "abc");
	close(fd);
}

CASE(fifo_nonblock_wronly_enxio)
{
	scratch();
	OK(mkfifo("f", 0644));
	EXPECT_ERRNO(open("f", O_WRONLY | O_NONBLOCK), ENXIO);
}
