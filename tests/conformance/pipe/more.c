/* pipe: several processes on one pipe: PIPE_BUF atomicity with concurrent writers, EOF only
 * after every writer is gone, SIGPIPE and EPIPE, blocking reads and writes woken by the
 * other side, capacity, poll/select readiness, and per-end flags. */
#define AREA "pipe"
#include "../harness.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static int reap(pid_t pid)
{
	int st = -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

#define WRITERS 4
#define RECORDS 64

CASE(pipe_buf_writes_atomic_with_several_writers)
{
	int p[2];
	pid_t kids[WRITERS];
	OK(pipe(p));
	for (int w = 0; w < WRITERS; w++) {
		kids[w] = OK(fork());
		if (kids[w] == 0) {
			char rec[PIPE_BUF];
			close(p[0]);
			memset(rec, 'a' + w, sizeof(rec));
			for (int i = 0; i < RECORDS; i++)
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	size_t total = (size_t)WRITERS * RECORDS * PIPE_BUF, n = 0;
	char *all = malloc(total + 1);
	if (!all)
		FAIL("malloc");
	for (ssize_t r; n <= total && (r = read(p[0], all + n, total + 1 - n)) > 0;)
		n += r;
	close(p[0]);
	int bad_exit = 0, torn = -1;
	for (int w = 0; w < WRITERS; w++)
		bad_exit |= reap(kids[w]) != 0;
	for (size_t rec = 0; n == total && rec < total / PIPE_BUF && torn < 0; rec++)
		for (size_t i = 1; i < PIPE_BUF; i++)
			if (all[rec * PIPE_BUF + i] != all[rec * PIPE_BUF]) {
				torn = (int)rec;
				break;
			}
	free(all);
	EXPECT_EQ(bad_exit, 0);
	EXPECT_EQ(n, total);
	EXPECT_EQ(torn, -1);
}

CASE(eof_only_after_every_writer_closes)
{
	int p[2];
	char c;
	OK(pipe2(p, O_NONBLOCK));
	int w2 = OK(dup(p[1]));
	close(p[1]);
	EXPECT_ERRNO(read(p[0], &c, 1), EAGAIN);
	close(w2);
	EXPECT_EQ(read(p[0], &c, 1), 0);
	close(p[0]);
}

CASE(eof_waits_for_child_writer)
{
	int p[2];
	char c;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		close(p[0]);
		usleep(20000);
		write(p[1], "k", 1);
		_exit(0);
	}
	close(p[1]);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'k');
	EXPECT_EQ(read(p[0], &c, 1), 0);
	close(p[0]);
	EXPECT_EQ(reap(pid), 0);
}

CASE(eof_after_several_children_exit)
{
	int p[2];
	char buf[16];
	pid_t kids[3];
	OK(pipe(p));
	for (int i = 0; i < 3; i++) {
		kids[i] = OK(fork());
		if (kids[i] == 0) {
			close(p[0]);
			_exit(write(p[1], "x", 1) == 1 ? 0 : 1);
		}
	}
	close(p[1]);
	size_t n = 0;
	for (ssize_t r; (r = read(p[0], buf + n, sizeof(buf) - n)) > 0;)
		n += r;
	close(p[0]);
	for (int i = 0; i < 3; i++)
		reap(kids[i]);
	EXPECT_EQ(n, 3);
}

CASE(sigpipe_kills_writer_by_default)
{
	int p[2];
	OK(pipe(p));
	close(p[0]);
	pid_t pid = OK(fork());
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(0);
	}
	close(p[1]);
	int st = reap(pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGPIPE);
}

CASE(sigpipe_blocked_epipe_and_pending)
{
	int p[2];
	sigset_t s, pend;
	OK(pipe(p));
	close(p[0]);
	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	int r = write(p[1], "x", 1), e = errno;
	sigpending(&pend);
	int pending = sigismember(&pend, SIGPIPE);
	struct timespec zero = {0, 0};
	sigtimedwait(&s, NULL, &zero);
	close(p[1]);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPIPE);
	EXPECT_EQ(pending, 1);
}

CASE(reader_closing_wakes_blocked_writer)
{
	int p[2];
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		static char big[1 << 18];
		signal(SIGPIPE, SIG_IGN);
		close(p[0]);
		ssize_t r = write(p[1], big, sizeof(big));
		_exit((r == -1 && errno == EPIPE) || (r > 0 && r < (ssize_t)sizeof(big)) ? 0 : 1);
	}
	close(p[1]);
	usleep(30000);
	close(p[0]);
	int st = reap(pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

CASE(blocking_read_woken_by_child_write)
{
	int p[2];
	char buf[8] = {0};
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		usleep(30000);
		write(p[1], "late", 4);
		_exit(0);
	}
	EXPECT_EQ(read(p[0], buf, sizeof(buf) - 1), 4);
	EXPECT_STREQ(buf, "late");
	close(p[0]);
	close(p[1]);
	reap(pid);
}

CASE(big_blocking_write_completes)
{
	int p[2];
	const size_t size = 300000;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		char *b = calloc(1, size);
		close(p[0]);
		_exit(b && write(p[1], b, size) == (ssize_t)size ? 0 : 1);
	}
	close(p[1]);
	char buf[8192];
	size_t n = 0;
	for (ssize_t r; (r = read(p[0], buf, sizeof(buf))) > 0;)
		n += r;
	close(p[0]);
	EXPECT_EQ(reap(pid), 0);
	EXPECT_EQ(n, size);
}

CASE(default_capacity_64k)
{
	int p[2];
	char buf[4096] = {0};
	OK(pipe2(p, O_NONBLOCK));
	size_t n = 0;
	for (ssize_t r; (r = write(p[1], buf, sizeof(buf))) > 0;)
		n += r;
	int e = errno;
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(e, EAGAIN);
	EXPECT_EQ(n, 65536);
}

CASE(nonblock_small_write_all_or_eagain)
{
	int p[2];
	static char buf[65536 - 100];
	OK(pipe2(p, O_NONBLOCK));
	EXPECT_EQ(write(p[1], buf, sizeof(buf)), sizeof(buf));
	EXPECT_ERRNO(write(p[1], buf, PIPE_BUF), EAGAIN);
	EXPECT_EQ(write(p[1], buf, 50), 50);
	close(p[0]);
	close(p[1]);
}

CASE(read_returns_what_is_there)
{
	int p[2];
	char buf[100];
	OK(pipe(p));
	OK(write(p[1], "abc", 3));
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 3);
	close(p[0]);
	close(p[1]);
}

CASE(zero_length_read_and_write)
{
	int p[2];
	char c;
	OK(pipe(p));
	EXPECT_EQ(write(p[1], &c, 0), 0);
	EXPECT_EQ(read(p[0], &c, 0), 0);
	close(p[0]);
	close(p[1]);
}

CASE(wrong_end_ebadf)
{
	int p[2];
	char c = 0;
	OK(pipe(p));
	EXPECT_ERRNO(write(p[0], &c, 1), EBADF);
	EXPECT_ERRNO(read(p[1], &c, 1), EBADF);
	close(p[0]);
	close(p[1]);
}

CASE(pwrite_on_pipe_espipe)
{
	int p[2];
	OK(pipe(p));
	EXPECT_ERRNO(pwrite(p[1], "x", 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
}

CASE(pipe2_nonblock_in_getfl)
{
	int p[2];
	OK(pipe2(p, O_NONBLOCK));
	EXPECT_TRUE(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	close(p[0]);
	close(p[1]);
}

CASE(setfl_nonblock_is_per_end)
{
	int p[2];
	char c;
	OK(pipe(p));
	OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(read(p[0], &c, 1), EAGAIN);
	EXPECT_EQ(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
}

CASE(readv_writev_on_pipe)
{
	int p[2];
	char a[3], b[4];
	OK(pipe(p));
	struct iovec w[2] = {{"abc", 3}, {"defg", 4}};
	EXPECT_EQ(writev(p[1], w, 2), 7);
	struct iovec r[2] = {{a, 3}, {b, 4}};
	EXPECT_EQ(readv(p[0], r, 2), 7);
	EXPECT_MEMEQ(a, "abc", 3);
	EXPECT_MEMEQ(b, "defg", 4);
	close(p[0]);
	close(p[1]);
}

CASE(fionread_after_partial_read)
{
	int p[2], n = -1;
	char buf[4];
	OK(pipe(p));
	OK(write(p[1], "0123456789", 10));
	OK(read(p[0], buf, 4));
	OK(ioctl(p[0], FIONREAD, &n));
	EXPECT_EQ(n, 6);
	close(p[0]);
	close(p[1]);
}

CASE(poll_pollout_after_drain)
{
	int p[2];
	char buf[4096] = {0};
	OK(pipe2(p, O_NONBLOCK));
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	struct pollfd pf = {.fd = p[1], .events = POLLOUT};
	EXPECT_EQ(poll(&pf, 1, 0), 0);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), sizeof(buf));
	EXPECT_EQ(poll(&pf, 1, 0), 1);
	EXPECT_TRUE(pf.revents & POLLOUT);
	close(p[0]);
	close(p[1]);
}

CASE(poll_data_and_hup)
{
	int p[2];
	OK(pipe(p));
	OK(write(p[1], "x", 1));
	close(p[1]);
	struct pollfd pf = {.fd = p[0], .events = POLLIN};
	EXPECT_EQ(poll(&pf, 1, 0), 1);
	EXPECT_EQ(pf.revents, POLLIN | POLLHUP);
	close(p[0]);
}

CASE(poll_woken_by_child_write)
{
	int p[2];
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		usleep(20000);
		write(p[1], "x", 1);
		_exit(0);
	}
	struct pollfd pf = {.fd = p[0], .events = POLLIN};
	int r = poll(&pf, 1, 5000);
	reap(pid);
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(r, 1);
	EXPECT_EQ(pf.revents, POLLIN);
}

CASE(select_on_both_ends)
{
	int p[2];
	fd_set r, w;
	struct timeval tv = {0, 0};
	OK(pipe(p));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	EXPECT_EQ(select(p[1] + 1, &r, &w, NULL, &tv), 1);
	EXPECT_TRUE(FD_ISSET(p[1], &w));
	EXPECT_TRUE(!FD_ISSET(p[0], &r));
	close(p[0]);
	close(p[1]);
}

CASE(dup2_over_write_end_keeps_pipe)
{
	int p[2];
	char c;
	OK(pipe(p));
	int keep = OK(dup(p[1]));
	int other = OK(open("/dev/null", O_WRONLY));
	OK(dup2(other, p[1])); /* the old write end closes, keep still holds the pipe */
	OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(read(p[0], &c, 1), EAGAIN);
	close(keep);
	EXPECT_EQ(read(p[0], &c, 1), 0);
	close(other);
	close(p[0]);
	close(p[1]);
}

CASE(raw_pipe_fills_two_fds)
{
	int p[2] = {-1, -1};
	OK(syscall(SYS_pipe, p));
	EXPECT_TRUE(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	EXPECT_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	EXPECT_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	close(p[0]);
	close(p[1]);
}
