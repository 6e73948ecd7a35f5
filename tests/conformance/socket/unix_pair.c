/*
 * unix_pair: socketpair(AF_UNIX, ...) as Linux behaves (issue 10): creation
 * and its errors, flags, identity (fstat, /proc/self/fd), stream, datagram
 * and seqpacket transfer, shutdown, readiness, ioctls, socket options,
 * names, SCM_RIGHTS, SCM_CREDENTIALS, blocking and fork.
 *
 * Cases that fork give the child an alarm, so that a failing parent never
 * leaves a child blocked forever; children report through their exit status.
 */
#define AREA "socket"
#include "../harness.h"
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * The parent's part of a forking case: a blocking call that is never woken
 * fails with EINTR after 10 s (a failed case, not a hung program); the case
 * ends with alarm(0).
 */
static void parent_watchdog(void)
{
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	alarm(10);
}

/* The child's part of a forking case: die on its own after 5 s. */
#define CHILD_START()                                                                              \
	do {                                                                                       \
		signal(SIGALRM, SIG_DFL);                                                          \
		alarm(5);                                                                          \
	} while (0)

/* Wait for pid; the case fails unless it exited with status 0. */
#define EXPECT_CHILD_OK(pid)                                                                       \
	do {                                                                                       \
		int st_ = -1;                                                                      \
		EXPECT_EQ(waitpid((pid), &st_, 0), (pid));                                         \
		EXPECT_TRUE(WIFEXITED(st_) && WEXITSTATUS(st_) == 0);                              \
	} while (0)

static void sleep_ms(int ms)
{
	struct timespec ts = {0, ms * 1000000L};
	nanosleep(&ts, NULL);
}

/* The number the next new fd gets (whatever fds 0-2 are in the runner). */
static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return fd;
}

static void close2(int s[2])
{
	close(s[0]);
	close(s[1]);
}

/* ---- creation ---- */

CASE(pair_stream_created)
{
	int s[2] = {-1, -1};
	EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
	EXPECT_TRUE(s[0] >= 0 && s[1] >= 0 && s[0] != s[1]);
	close2(s);
}

CASE(pair_dgram_created)
{
	int s[2] = {-1, -1};
	EXPECT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, s), 0);
	EXPECT_TRUE(s[0] >= 0 && s[1] >= 0 && s[0] != s[1]);
	close2(s);
}

CASE(pair_seqpacket_created)
{
	int s[2] = {-1, -1};
	EXPECT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s), 0);
	EXPECT_TRUE(s[0] >= 0 && s[1] >= 0 && s[0] != s[1]);
	close2(s);
}

CASE(pair_protocol_pf_unix_accepted)
{
	int s[2];
	EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, PF_UNIX, s), 0);
	close2(s);
	EXPECT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, PF_UNIX, s), 0);
	close2(s);
}

CASE(pair_bad_protocol_eprotonosupport)
{
	int s[2];
	EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_STREAM, 2, s), EPROTONOSUPPORT);
	EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_DGRAM, 99, s), EPROTONOSUPPORT);
}

CASE(pair_bad_type_einval)
{
	int s[2];
	EXPECT_ERRNO(socketpair(AF_UNIX, 99, 0, s), EINVAL);
	EXPECT_ERRNO(socketpair(AF_UNIX, -1, 0, s), EINVAL);
}

CASE(pair_type_zero_esocktnosupport)
{
	int s[2];
	EXPECT_ERRNO(socketpair(AF_UNIX, 0, 0, s), ESOCKTNOSUPPORT);
}

CASE(pair_rdm_esocktnosupport)
{
	int s[2];
	EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_RDM, 0, s), ESOCKTNOSUPPORT);
}

CASE(pair_raw_becomes_dgram)
{
	int s[2], v = -1;
	socklen_t l = sizeof(v);
	OK(socketpair(AF_UNIX, SOCK_RAW, 0, s));
	EXPECT_EQ(getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l), 0);
	EXPECT_EQ(v, SOCK_DGRAM);
	close2(s);
}

CASE(pair_inet_eopnotsupp)
{
	int s[2];
	EXPECT_ERRNO(socketpair(AF_INET, SOCK_STREAM, 0, s), EOPNOTSUPP);
	EXPECT_ERRNO(socketpair(AF_INET, SOCK_DGRAM, 0, s), EOPNOTSUPP);
}

CASE(pair_bad_family_eafnosupport)
{
	int s[2];
	EXPECT_ERRNO(socketpair(12345, SOCK_STREAM, 0, s), EAFNOSUPPORT);
}

CASE(pair_bad_type_flags_einval)
{
	int s[2];
	EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, s), EINVAL);
	EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_DGRAM | O_APPEND, 0, s), EINVAL);
}

CASE(pair_bad_sv_efault)
{
	EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)1), EFAULT);
}

CASE(pair_bad_sv_efault_no_fd_left)
{
	int next = OK(lowest_free_fd());
	EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_DGRAM, 0, (int *)1), EFAULT);
	int after = OK(lowest_free_fd());
	EXPECT_EQ(after, next);
	EXPECT_ERRNO(fcntl(next + 1, F_GETFD), EBADF);
}

/* ---- flags ---- */

CASE(pair_nonblock_both_ends)
{
	int s[2];
	char b[4];
	OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s));
	EXPECT_TRUE(OK(fcntl(s[0], F_GETFL)) & O_NONBLOCK);
	EXPECT_TRUE(OK(fcntl(s[1], F_GETFL)) & O_NONBLOCK);
	EXPECT_EQ(OK(fcntl(s[0], F_GETFL)) & O_ACCMODE, O_RDWR);
	EXPECT_ERRNO(recv(s[0], b, sizeof(b), 0), EAGAIN);
	EXPECT_ERRNO(read(s[1], b, sizeof(b)), EAGAIN);
	close2(s);
}

CASE(pair_blocking_by_default)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(OK(fcntl(s[0], F_GETFL)) & O_NONBLOCK, 0);
	EXPECT_EQ(OK(fcntl(s[0], F_GETFD)) & FD_CLOEXEC, 0);
	EXPECT_EQ(OK(fcntl(s[1], F_GETFD)) & FD_CLOEXEC, 0);
	close2(s);
}

CASE(pair_cloexec_both_ends)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s));
	EXPECT_EQ(OK(fcntl(s[0], F_GETFD)) & FD_CLOEXEC, FD_CLOEXEC);
	EXPECT_EQ(OK(fcntl(s[1], F_GETFD)) & FD_CLOEXEC, FD_CLOEXEC);
	EXPECT_EQ(OK(fcntl(s[0], F_GETFL)) & O_NONBLOCK, 0);
	close2(s);
}

CASE(pair_fionbio_sets_nonblock)
{
	int s[2], on = 1;
	char b[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(ioctl(s[0], FIONBIO, &on), 0);
	EXPECT_TRUE(OK(fcntl(s[0], F_GETFL)) & O_NONBLOCK);
	EXPECT_ERRNO(read(s[0], b, 2), EAGAIN);
	close2(s);
}

/* ---- identity ---- */

CASE(pair_fstat_ifsock)
{
	int s[2];
	struct stat a, b;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(fstat(s[0], &a));
	OK(fstat(s[1], &b));
	EXPECT_TRUE(S_ISSOCK(a.st_mode));
	EXPECT_TRUE(S_ISSOCK(b.st_mode));
	EXPECT_NE(a.st_ino, b.st_ino);
	EXPECT_EQ(a.st_size, 0);
	close2(s);
}

CASE(pair_proc_fd_link_socket_inode)
{
	int s[2];
	char p[64], l0[64] = {0}, l1[64] = {0}, want[64];
	struct stat st;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	snprintf(p, sizeof(p), "/proc/self/fd/%d", s[0]);
	OK(readlink(p, l0, sizeof(l0) - 1));
	snprintf(p, sizeof(p), "/proc/self/fd/%d", s[1]);
	OK(readlink(p, l1, sizeof(l1) - 1));
	OK(fstat(s[0], &st));
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)st.st_ino);
	EXPECT_STREQ(l0, want);
	OK(fstat(s[1], &st));
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)st.st_ino);
	EXPECT_STREQ(l1, want);
	EXPECT_TRUE(strcmp(l0, l1) != 0);
	close2(s);
}

/* ---- stream transfer ---- */

CASE(pair_stream_write_read_both_ways)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(write(s[0], "ping", 4), 4);
	EXPECT_EQ(write(s[1], "pong!", 5), 5);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 4);
	EXPECT_MEMEQ(b, "ping", 4);
	EXPECT_EQ(read(s[0], b, sizeof(b)), 5);
	EXPECT_MEMEQ(b, "pong!", 5);
	close2(s);
}

CASE(pair_stream_send_recv)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(send(s[1], "hello", 5, 0), 5);
	EXPECT_EQ(recv(s[0], b, sizeof(b), 0), 5);
	EXPECT_STREQ(b, "hello");
	close2(s);
}

CASE(pair_stream_writes_coalesce_in_order)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(write(s[0], "ab", 2), 2);
	EXPECT_EQ(write(s[0], "cd", 2), 2);
	EXPECT_EQ(write(s[0], "e", 1), 1);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 5);
	EXPECT_STREQ(b, "abcde");
	close2(s);
}

CASE(pair_stream_sendmsg_recvmsg_iovecs)
{
	int s[2];
	char a[4] = {0}, b[3] = {0}, c[8] = {0};
	struct iovec out[3] = {{"one", 3}, {"-two-", 5}, {"three", 5}};
	struct msghdr m = {.msg_iov = out, .msg_iovlen = 3};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(sendmsg(s[0], &m, 0), 13);
	struct iovec in[3] = {{a, 4}, {b, 3}, {c, 8}};
	struct msghdr r = {.msg_iov = in, .msg_iovlen = 3};
	EXPECT_EQ(recvmsg(s[1], &r, 0), 13);
	EXPECT_MEMEQ(a, "one-", 4);
	EXPECT_MEMEQ(b, "two", 3);
	EXPECT_MEMEQ(c, "-three", 6);
	EXPECT_EQ(r.msg_flags, 0);
	close2(s);
}

CASE(pair_stream_partial_reads)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(write(s[0], "abcdef", 6), 6);
	EXPECT_EQ(read(s[1], b, 2), 2);
	EXPECT_MEMEQ(b, "ab", 2);
	EXPECT_EQ(read(s[1], b, 3), 3);
	EXPECT_MEMEQ(b, "cde", 3);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 1);
	EXPECT_MEMEQ(b, "f", 1);
	close2(s);
}

CASE(pair_stream_msg_peek_keeps_data)
{
	int s[2];
	char b[8] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(send(s[0], "abc", 3, 0), 3);
	EXPECT_EQ(recv(s[1], b, sizeof(b), MSG_PEEK), 3);
	EXPECT_STREQ(b, "abc");
	memset(b, 0, sizeof(b));
	EXPECT_EQ(recv(s[1], b, 2, MSG_PEEK), 2);
	EXPECT_STREQ(b, "ab");
	memset(b, 0, sizeof(b));
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 3);
	EXPECT_STREQ(b, "abc");
	EXPECT_ERRNO(recv(s[1], b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close2(s);
}

CASE(pair_stream_msg_dontwait_eagain)
{
	int s[2];
	char b[4];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(recv(s[0], b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	/* the flag is per call: the file stays blocking */
	EXPECT_EQ(OK(fcntl(s[0], F_GETFL)) & O_NONBLOCK, 0);
	close2(s);
}

CASE(pair_stream_msg_waitall_waits)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(write(s[0], "abc", 3), 3);
	parent_watchdog();
	pid_t p = OK(fork());
	if (p == 0) {
		CHILD_START();
		sleep_ms(30);
		_exit(write(s[0], "defgh", 5) == 5 ? 0 : 1);
	}
	EXPECT_EQ(recv(s[1], b, 8, MSG_WAITALL), 8);
	EXPECT_STREQ(b, "abcdefgh");
	EXPECT_CHILD_OK(p);
	alarm(0);
	close2(s);
}

CASE(pair_stream_eof_after_peer_close)
{
	int s[2];
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(write(s[0], "xy", 2), 2);
	close(s[0]);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 2); /* data first, then EOF */
	EXPECT_EQ(read(s[1], b, sizeof(b)), 0);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 0);
	close(s[1]);
}

static volatile sig_atomic_t n_sigpipe;

static void on_sigpipe(int sig)
{
	(void)sig;
	n_sigpipe++;
}

CASE(pair_stream_write_after_peer_close_epipe_sigpipe)
{
	int s[2];
	struct sigaction sa = {.sa_handler = on_sigpipe}, old;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	close(s[1]);
	sigaction(SIGPIPE, &sa, &old);
	n_sigpipe = 0;
	errno = 0;
	ssize_t r = write(s[0], "x", 1);
	int e = errno, n = n_sigpipe;
	errno = 0;
	ssize_t r2 = send(s[0], "x", 1, 0);
	int e2 = errno, n2 = n_sigpipe;
	sigaction(SIGPIPE, &old, NULL);
	close(s[0]);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPIPE);
	EXPECT_EQ(n, 1);
	EXPECT_EQ(r2, -1);
	EXPECT_EQ(e2, EPIPE);
	EXPECT_EQ(n2, 2);
}

CASE(pair_stream_msg_nosignal_epipe_no_sigpipe)
{
	int s[2];
	struct sigaction sa = {.sa_handler = on_sigpipe}, old;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	close(s[1]);
	sigaction(SIGPIPE, &sa, &old);
	n_sigpipe = 0;
	errno = 0;
	ssize_t r = send(s[0], "x", 1, MSG_NOSIGNAL);
	int e = errno, n = n_sigpipe;
	sigaction(SIGPIPE, &old, NULL);
	close(s[0]);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPIPE);
	EXPECT_EQ(n, 0);
}

/* ---- shutdown ---- */

CASE(pair_shutdown_wr_peer_eof_other_way_works)
{
	int s[2];
	char b[8] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(shutdown(s[0], SHUT_WR), 0);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 0);
	EXPECT_EQ(write(s[1], "back", 4), 4);
	EXPECT_EQ(read(s[0], b, sizeof(b)), 4);
	EXPECT_STREQ(b, "back");
	close2(s);
}

CASE(pair_shutdown_rd_then_read_zero)
{
	int s[2];
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(shutdown(s[0], SHUT_RD), 0);
	EXPECT_EQ(read(s[0], b, sizeof(b)), 0);
	EXPECT_EQ(recv(s[0], b, sizeof(b), MSG_DONTWAIT), 0);
	close2(s);
}

CASE(pair_shutdown_bad_how_einval)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(shutdown(s[0], 3), EINVAL);
	EXPECT_ERRNO(shutdown(s[0], -1), EINVAL);
	close2(s);
}

CASE(pair_shutdown_not_socket_enotsock)
{
	int p[2];
	OK(pipe(p));
	EXPECT_ERRNO(shutdown(p[0], SHUT_RDWR), ENOTSOCK);
	close(p[0]);
	close(p[1]);
}

CASE(pair_shutdown_bad_fd_ebadf)
{
	EXPECT_ERRNO(shutdown(555, SHUT_RDWR), EBADF);
	EXPECT_ERRNO(shutdown(-1, SHUT_RDWR), EBADF);
}

CASE(pair_send_after_own_shut_wr_epipe)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(shutdown(s[0], SHUT_WR));
	EXPECT_ERRNO(send(s[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	close2(s);
}

CASE(pair_stream_sendto_with_address_eisconn)
{
	int s[2];
	struct sockaddr_un a = {.sun_family = AF_UNIX, .sun_path = "x"};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(sendto(s[0], "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), EISCONN);
	close2(s);
}

CASE(pair_lseek_espipe)
{
	int s[2];
	char b[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(lseek(s[0], 0, SEEK_CUR), ESPIPE);
	EXPECT_ERRNO(pread(s[0], b, 1, 0), ESPIPE);
	EXPECT_ERRNO(pwrite(s[0], "x", 1, 0), ESPIPE);
	close2(s);
}

CASE(pair_listen_accept_einval)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(listen(s[0], 1), EINVAL);
	EXPECT_ERRNO(accept(s[0], NULL, NULL), EINVAL);
	close2(s);
}

CASE(pair_dgram_listen_eopnotsupp)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_ERRNO(listen(s[0], 1), EOPNOTSUPP);
	EXPECT_ERRNO(accept(s[0], NULL, NULL), EOPNOTSUPP);
	close2(s);
}

/* ---- datagram and seqpacket ---- */

CASE(pair_dgram_larger_than_sndbuf_emsgsize)
{
	int s[2], v = 10000;
	static char big[64 * 1024];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	OK(setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v))); /* 20000 */
	EXPECT_ERRNO(send(s[0], big, sizeof(big), MSG_DONTWAIT), EMSGSIZE);
	EXPECT_EQ(send(s[0], big, 1000, MSG_DONTWAIT), 1000);
	close2(s);
}

CASE(pair_dgram_boundaries_kept)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(send(s[0], "ab", 2, 0), 2);
	EXPECT_EQ(send(s[0], "cde", 3, 0), 3);
	EXPECT_EQ(write(s[0], "f", 1), 1);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 2);
	EXPECT_MEMEQ(b, "ab", 2);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 3);
	EXPECT_MEMEQ(b, "cde", 3);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 1);
	EXPECT_MEMEQ(b, "f", 1);
	close2(s);
}

CASE(pair_seqpacket_boundaries_kept)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
	EXPECT_EQ(send(s[0], "ab", 2, 0), 2);
	EXPECT_EQ(send(s[0], "cde", 3, 0), 3);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 2);
	EXPECT_MEMEQ(b, "ab", 2);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 3);
	EXPECT_MEMEQ(b, "cde", 3);
	close2(s);
}

CASE(pair_dgram_short_buffer_truncates_drops_rest)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(send(s[0], "hello", 5, 0), 5);
	EXPECT_EQ(send(s[0], "xy", 2, 0), 2);
	EXPECT_EQ(recv(s[1], b, 3, 0), 3);
	EXPECT_MEMEQ(b, "hel", 3);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 2);
	EXPECT_MEMEQ(b, "xy", 2);
	EXPECT_ERRNO(recv(s[1], b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close2(s);
}

CASE(pair_seqpacket_short_buffer_truncates_drops_rest)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
	EXPECT_EQ(send(s[0], "hello", 5, 0), 5);
	EXPECT_EQ(send(s[0], "xy", 2, 0), 2);
	EXPECT_EQ(read(s[1], b, 3), 3);
	EXPECT_MEMEQ(b, "hel", 3);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 2);
	EXPECT_MEMEQ(b, "xy", 2);
	close2(s);
}

CASE(pair_dgram_recvmsg_sets_msg_trunc)
{
	int s[2];
	char b[4] = {0};
	struct iovec v = {b, 4};
	struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(send(s[0], "123456", 6, 0), 6);
	EXPECT_EQ(send(s[0], "78", 2, 0), 2);
	EXPECT_EQ(recvmsg(s[1], &m, 0), 4);
	EXPECT_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
	EXPECT_MEMEQ(b, "1234", 4);
	m.msg_flags = 0;
	EXPECT_EQ(recvmsg(s[1], &m, 0), 2);
	EXPECT_EQ(m.msg_flags, 0);
	close2(s);
}

CASE(pair_seqpacket_recvmsg_sets_msg_trunc)
{
	int s[2];
	char b[4] = {0};
	struct iovec v = {b, 4};
	struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
	EXPECT_EQ(send(s[0], "123456", 6, 0), 6);
	EXPECT_EQ(recvmsg(s[1], &m, 0), 4);
	EXPECT_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
	close2(s);
}

CASE(pair_dgram_recv_msg_trunc_real_length)
{
	int s[2];
	char b[4] = {0};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(send(s[0], "123456789", 9, 0), 9);
	EXPECT_EQ(recv(s[1], b, 2, MSG_TRUNC), 9);
	EXPECT_MEMEQ(b, "12", 2);
	EXPECT_ERRNO(recv(s[1], b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close2(s);
}

CASE(pair_dgram_peek_trunc_length_keeps_message)
{
	int s[2];
	char b[4] = {0};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(send(s[0], "123456789", 9, 0), 9);
	EXPECT_EQ(recv(s[1], NULL, 0, MSG_PEEK | MSG_TRUNC), 9);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 4);
	close2(s);
}

CASE(pair_dgram_zero_length)
{
	int s[2];
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(send(s[0], "", 0, 0), 0);
	EXPECT_EQ(send(s[0], "z", 1, 0), 1);
	EXPECT_EQ(recv(s[1], b, sizeof(b), MSG_DONTWAIT), 0);
	EXPECT_EQ(recv(s[1], b, sizeof(b), MSG_DONTWAIT), 1);
	EXPECT_ERRNO(recv(s[1], b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close2(s);
}

CASE(pair_seqpacket_zero_length)
{
	int s[2];
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
	EXPECT_EQ(send(s[0], "", 0, 0), 0);
	EXPECT_EQ(send(s[0], "z", 1, 0), 1);
	EXPECT_EQ(recv(s[1], b, sizeof(b), MSG_DONTWAIT), 0);
	EXPECT_EQ(recv(s[1], b, sizeof(b), MSG_DONTWAIT), 1);
	EXPECT_ERRNO(recv(s[1], b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close2(s);
}

CASE(pair_seqpacket_eof_after_close)
{
	int s[2];
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
	EXPECT_EQ(send(s[0], "last", 4, 0), 4);
	close(s[0]);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 4);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 0);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 0);
	close(s[1]);
}

CASE(pair_seqpacket_send_after_peer_close_epipe)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s));
	close(s[1]);
	EXPECT_ERRNO(send(s[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	close(s[0]);
}

CASE(pair_dgram_send_after_peer_close_econnrefused)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	close(s[1]);
	EXPECT_ERRNO(send(s[0], "x", 1, MSG_NOSIGNAL), ECONNREFUSED);
	close(s[0]);
}

/* ---- readiness ---- */

CASE(pair_poll_fresh_end_pollout)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	struct pollfd p = {.fd = s[0], .events = POLLIN | POLLOUT};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLOUT);
	close2(s);
}

CASE(pair_poll_pollin_after_peer_write)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	struct pollfd p = {.fd = s[1], .events = POLLIN};
	EXPECT_EQ(poll(&p, 1, 0), 0);
	EXPECT_EQ(p.revents, 0);
	EXPECT_EQ(write(s[0], "a", 1), 1);
	p.events = POLLIN | POLLOUT;
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT);
	close2(s);
}

CASE(pair_poll_stream_after_peer_close)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	close(s[0]);
	struct pollfd p = {.fd = s[1], .events = POLLIN | POLLOUT | POLLRDHUP};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	p.events = POLLIN;
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLHUP);
	p.events = 0;
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLHUP);
	close(s[1]);
}

CASE(pair_poll_after_peer_shut_wr)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(shutdown(s[0], SHUT_WR));
	struct pollfd p = {.fd = s[1], .events = POLLIN | POLLOUT | POLLRDHUP};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT | POLLRDHUP);
	close2(s);
}

CASE(pair_epoll_rdhup_after_peer_shut_wr)
{
	int s[2];
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP}, got[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	int ep = OK(epoll_create1(EPOLL_CLOEXEC));
	ev.data.fd = s[1];
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, s[1], &ev));
	EXPECT_EQ(epoll_wait(ep, got, 2, 0), 0);
	OK(shutdown(s[0], SHUT_WR));
	EXPECT_EQ(epoll_wait(ep, got, 2, 1000), 1);
	EXPECT_EQ(got[0].data.fd, s[1]);
	EXPECT_EQ(got[0].events, EPOLLIN | EPOLLRDHUP);
	close(ep);
	close2(s);
}

CASE(pair_epoll_in_out_hup)
{
	int s[2];
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT}, got[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	int ep = OK(epoll_create1(0));
	ev.data.u32 = 7;
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, s[1], &ev));
	EXPECT_EQ(epoll_wait(ep, got, 2, 0), 1);
	EXPECT_EQ(got[0].events, EPOLLOUT);
	EXPECT_EQ(write(s[0], "q", 1), 1);
	EXPECT_EQ(epoll_wait(ep, got, 2, 0), 1);
	EXPECT_EQ(got[0].events, EPOLLIN | EPOLLOUT);
	close(s[0]);
	EXPECT_EQ(epoll_wait(ep, got, 2, 0), 1);
	EXPECT_EQ(got[0].events, EPOLLIN | EPOLLOUT | EPOLLHUP);
	EXPECT_EQ(got[0].data.u32, 7);
	close(ep);
	close(s[1]);
}

CASE(pair_select_read_write_sets)
{
	int s[2];
	fd_set r, w;
	struct timeval tv = {0, 0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(s[1], &r);
	FD_SET(s[1], &w);
	EXPECT_EQ(select(s[1] + 1, &r, &w, NULL, &tv), 1);
	EXPECT_TRUE(!FD_ISSET(s[1], &r) && FD_ISSET(s[1], &w));
	EXPECT_EQ(write(s[0], "a", 1), 1);
	FD_ZERO(&r);
	FD_SET(s[1], &r);
	tv = (struct timeval){0, 0};
	EXPECT_EQ(select(s[1] + 1, &r, NULL, NULL, &tv), 1);
	EXPECT_TRUE(FD_ISSET(s[1], &r));
	close2(s);
}

CASE(pair_dgram_poll_pollin)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	struct pollfd p = {.fd = s[1], .events = POLLIN | POLLOUT};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLOUT);
	EXPECT_EQ(send(s[0], "", 0, 0), 0); /* an empty datagram is readable */
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT);
	close2(s);
}

/* ---- ioctls ---- */

CASE(pair_stream_fionread_unread_bytes)
{
	int s[2], n = -1;
	char b[4];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(ioctl(s[1], FIONREAD, &n), 0);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(write(s[0], "abc", 3), 3);
	EXPECT_EQ(write(s[0], "de", 2), 2);
	EXPECT_EQ(ioctl(s[1], FIONREAD, &n), 0);
	EXPECT_EQ(n, 5);
	EXPECT_EQ(read(s[1], b, 2), 2);
	EXPECT_EQ(ioctl(s[1], SIOCINQ, &n), 0);
	EXPECT_EQ(n, 3);
	close2(s);
}

CASE(pair_dgram_fionread_next_datagram)
{
	int s[2], n = -1;
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(ioctl(s[1], FIONREAD, &n), 0);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(send(s[0], "abc", 3, 0), 3);
	EXPECT_EQ(send(s[0], "defgh", 5, 0), 5);
	EXPECT_EQ(ioctl(s[1], FIONREAD, &n), 0);
	EXPECT_EQ(n, 3);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 3);
	EXPECT_EQ(ioctl(s[1], SIOCINQ, &n), 0);
	EXPECT_EQ(n, 5);
	close2(s);
}

/*
 * Linux's SIOCOUTQ on AF_UNIX is sk_wmem_alloc: the memory charged for the
 * queued buffers (768 for 5 bytes on x86_64), not the byte count; what is
 * promised is nonzero while the peer has unread data, 0 once it has read it.
 */
CASE(pair_stream_siocoutq_unread_by_peer)
{
	int s[2], n = -1;
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(ioctl(s[0], SIOCOUTQ, &n), 0);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(write(s[0], "abcde", 5), 5);
	EXPECT_EQ(ioctl(s[0], SIOCOUTQ, &n), 0);
	EXPECT_TRUE(n >= 5);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 5);
	EXPECT_EQ(ioctl(s[0], SIOCOUTQ, &n), 0);
	EXPECT_EQ(n, 0);
	close2(s);
}

CASE(pair_fionread_bad_pointer_efault)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(ioctl(s[0], FIONREAD, (int *)1), EFAULT);
	close2(s);
}

/* ---- socket options ---- */

static int intopt(int fd, int level, int name)
{
	int v = -12345;
	socklen_t l = sizeof(v);
	if (getsockopt(fd, level, name, &v, &l) < 0)
		return -1000 - errno;
	if (l != sizeof(v))
		return -2000 - (int)l;
	return v;
}

CASE(pair_getsockopt_type_domain_protocol)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_TYPE), SOCK_STREAM);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_DOMAIN), AF_UNIX);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_PROTOCOL), 0);
	close2(s);
	OK(socketpair(AF_UNIX, SOCK_SEQPACKET, PF_UNIX, s));
	EXPECT_EQ(intopt(s[1], SOL_SOCKET, SO_TYPE), SOCK_SEQPACKET);
	EXPECT_EQ(intopt(s[1], SOL_SOCKET, SO_DOMAIN), AF_UNIX);
	EXPECT_EQ(intopt(s[1], SOL_SOCKET, SO_PROTOCOL), 0);
	close2(s);
}

CASE(pair_getsockopt_error_acceptconn_zero)
{
	int s[2];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_ERROR), 0);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_ACCEPTCONN), 0);
	close2(s);
}

CASE(pair_so_peercred_is_caller)
{
	int s[2];
	struct ucred c = {0, 0, 0};
	socklen_t l = sizeof(c);
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(getsockopt(s[0], SOL_SOCKET, SO_PEERCRED, &c, &l), 0);
	EXPECT_EQ(l, sizeof(c));
	EXPECT_EQ(c.pid, getpid());
	EXPECT_EQ(c.uid, geteuid());
	EXPECT_EQ(c.gid, getegid());
	close2(s);
}

CASE(pair_so_sndbuf_doubled_with_minimum)
{
	int s[2], v = 10000;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_SNDBUF), 20000);
	v = 1;
	EXPECT_EQ(setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_SNDBUF), 4608);
	v = 0;
	EXPECT_EQ(setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_SNDBUF), 4608);
	close2(s);
}

CASE(pair_so_rcvbuf_doubled_with_minimum)
{
	int s[2], v = 10000;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(setsockopt(s[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_RCVBUF), 20000);
	v = 1;
	EXPECT_EQ(setsockopt(s[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
	EXPECT_EQ(intopt(s[0], SOL_SOCKET, SO_RCVBUF), 2304);
	close2(s);
}

CASE(pair_getsockopt_bad_optname_enoprotoopt)
{
	int s[2], v;
	socklen_t l = sizeof(v);
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(getsockopt(s[0], SOL_SOCKET, 9999, &v, &l), ENOPROTOOPT);
	EXPECT_ERRNO(setsockopt(s[0], SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	close2(s);
}

CASE(pair_getsockopt_bad_level_eopnotsupp)
{
	int s[2], v = 0;
	socklen_t l = sizeof(v);
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(getsockopt(s[0], 12345, 1, &v, &l), EOPNOTSUPP);
	EXPECT_ERRNO(getsockopt(s[0], IPPROTO_TCP, 1, &v, &l), EOPNOTSUPP);
	close2(s);
}

CASE(pair_setsockopt_bad_level_eopnotsupp)
{
	int s[2], v = 0;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(setsockopt(s[0], 12345, 1, &v, sizeof(v)), EOPNOTSUPP);
	close2(s);
}

CASE(pair_getsockopt_short_optlen_truncates)
{
	int s[2];
	unsigned char b[4] = {0xaa, 0xaa, 0xaa, 0xaa};
	socklen_t l = 2;
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(getsockopt(s[0], SOL_SOCKET, SO_TYPE, b, &l), 0);
	EXPECT_EQ(l, 2);
	EXPECT_EQ(b[0], SOCK_DGRAM);
	EXPECT_EQ(b[1], 0);
	EXPECT_EQ(b[2], 0xaa);
	l = 0;
	EXPECT_EQ(getsockopt(s[0], SOL_SOCKET, SO_TYPE, b, &l), 0);
	EXPECT_EQ(l, 0);
	close2(s);
}

CASE(pair_getsockopt_negative_optlen_einval)
{
	int s[2], v = 0;
	socklen_t l = (socklen_t)-1;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(getsockopt(s[0], SOL_SOCKET, SO_TYPE, &v, &l), EINVAL);
	close2(s);
}

CASE(pair_setsockopt_short_optlen_einval)
{
	int s[2], v = 4096;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(setsockopt(s[0], SOL_SOCKET, SO_SNDBUF, &v, 2), EINVAL);
	EXPECT_ERRNO(setsockopt(s[0], SOL_SOCKET, SO_PASSCRED, &v, 0), EINVAL);
	close2(s);
}

CASE(pair_getsockopt_not_socket_enotsock)
{
	int v;
	socklen_t l = sizeof(v);
	int fd = OK(open("/dev/null", O_RDONLY));
	EXPECT_ERRNO(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l), ENOTSOCK);
	close(fd);
}

/* ---- names ---- */

CASE(pair_getsockname_unnamed)
{
	int s[2];
	struct sockaddr_un a;
	socklen_t l = sizeof(a);
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	memset(&a, 0x55, sizeof(a));
	EXPECT_EQ(getsockname(s[0], (struct sockaddr *)&a, &l), 0);
	EXPECT_EQ(l, sizeof(sa_family_t));
	EXPECT_EQ(a.sun_family, AF_UNIX);
	close2(s);
}

CASE(pair_getpeername_unnamed)
{
	int s[2];
	struct sockaddr_un a;
	socklen_t l = sizeof(a);
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	memset(&a, 0x55, sizeof(a));
	EXPECT_EQ(getpeername(s[1], (struct sockaddr *)&a, &l), 0);
	EXPECT_EQ(l, sizeof(sa_family_t));
	EXPECT_EQ(a.sun_family, AF_UNIX);
	close2(s);
}

/* ---- SCM_RIGHTS ---- */

/* Send one byte with an SCM_RIGHTS message of n fds. */
static ssize_t send_fds(int sock, const int *fds, int n)
{
	char x = 'F';
	struct iovec v = {&x, 1};
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr m = {.msg_iov = &v,
			   .msg_iovlen = 1,
			   .msg_control = u.buf,
			   .msg_controllen = CMSG_SPACE(n * sizeof(int))};
	memset(&u, 0, sizeof(u));
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return sendmsg(sock, &m, 0);
}

/*
 * Receive one byte and up to 4 fds into fds; returns the count of fds, or
 * -1 with errno; *flags gets msg_flags.
 */
static int recv_fds(int sock, int *fds, int rflags, int *flags)
{
	char x;
	struct iovec v = {&x, 1};
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr m = {
	    .msg_iov = &v, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	if (recvmsg(sock, &m, rflags) != 1)
		return -1;
	*flags = m.msg_flags;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return -2;
	int n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	memcpy(fds, CMSG_DATA(c), n * sizeof(int));
	return n;
}

CASE(pair_scm_rights_pipe_write_end)
{
	int s[2], p[2], got = -1, fl = -1;
	char b[8] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(pipe(p));
	EXPECT_EQ(send_fds(s[0], &p[1], 1), 1);
	EXPECT_EQ(recv_fds(s[1], &got, 0, &fl), 1);
	EXPECT_EQ(fl, 0);
	EXPECT_TRUE(got >= 0 && got != p[1]);
	EXPECT_EQ(OK(fcntl(got, F_GETFD)) & FD_CLOEXEC, 0);
	close(p[1]);
	EXPECT_EQ(write(got, "via", 3), 3);
	close(got);
	EXPECT_EQ(read(p[0], b, sizeof(b)), 3);
	EXPECT_STREQ(b, "via");
	EXPECT_EQ(read(p[0], b, sizeof(b)), 0); /* the passed copy was the last writer */
	close(p[0]);
	close2(s);
}

CASE(pair_scm_rights_two_fds)
{
	int s[2], p[2], got[4] = {-1, -1, -1, -1}, fl = -1;
	char b[4] = {0};
	struct stat a, c;
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	OK(pipe(p));
	EXPECT_EQ(send_fds(s[0], p, 2), 1);
	EXPECT_EQ(recv_fds(s[1], got, 0, &fl), 2);
	OK(fstat(got[0], &a));
	OK(fstat(p[0], &c));
	EXPECT_EQ(a.st_ino, c.st_ino);
	EXPECT_EQ(OK(fcntl(got[0], F_GETFL)) & O_ACCMODE, O_RDONLY);
	EXPECT_EQ(OK(fcntl(got[1], F_GETFL)) & O_ACCMODE, O_WRONLY);
	EXPECT_EQ(write(got[1], "2", 1), 1);
	EXPECT_EQ(read(got[0], b, 1), 1);
	EXPECT_STREQ(b, "2");
	close(got[0]);
	close(got[1]);
	close(p[0]);
	close(p[1]);
	close2(s);
}

CASE(pair_scm_rights_cmsg_cloexec)
{
	int s[2], got = -1, fl = -1;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	int fd = OK(open("/dev/null", O_RDONLY));
	EXPECT_EQ(send_fds(s[0], &fd, 1), 1);
	EXPECT_EQ(recv_fds(s[1], &got, MSG_CMSG_CLOEXEC, &fl), 1);
	EXPECT_EQ(OK(fcntl(got, F_GETFD)) & FD_CLOEXEC, FD_CLOEXEC);
	EXPECT_EQ(OK(fcntl(fd, F_GETFD)) & FD_CLOEXEC, 0);
	close(got);
	close(fd);
	close2(s);
}

CASE(pair_scm_rights_ctrunc_no_fd_installed)
{
	int s[2];
	char x, ctl[sizeof(struct cmsghdr)];
	struct iovec v = {&x, 1};
	struct msghdr m = {
	    .msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	int fd = OK(open("/dev/null", O_RDONLY));
	EXPECT_EQ(send_fds(s[0], &fd, 1), 1);
	close(fd);
	int next = OK(lowest_free_fd());
	EXPECT_EQ(recvmsg(s[1], &m, 0), 1);
	EXPECT_EQ(m.msg_flags & MSG_CTRUNC, MSG_CTRUNC);
	int after = OK(lowest_free_fd());
	EXPECT_EQ(after, next);
	close2(s);
}

CASE(pair_scm_rights_no_control_ctrunc)
{
	int s[2];
	char x;
	struct iovec v = {&x, 1};
	struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	int fd = OK(open("/dev/null", O_RDONLY));
	EXPECT_EQ(send_fds(s[0], &fd, 1), 1);
	close(fd);
	int next = OK(lowest_free_fd());
	EXPECT_EQ(recvmsg(s[1], &m, 0), 1);
	EXPECT_EQ(m.msg_flags, MSG_CTRUNC);
	int after = OK(lowest_free_fd());
	EXPECT_EQ(after, next);
	close2(s);
}

CASE(pair_scm_rights_bad_fd_ebadf)
{
	int s[2], bad = -1;
	char b[4];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_ERRNO(send_fds(s[0], &bad, 1), EBADF);
	int fd = OK(lowest_free_fd()); /* not open */
	EXPECT_ERRNO(send_fds(s[0], &fd, 1), EBADF);
	/* nothing was sent */
	EXPECT_ERRNO(recv(s[1], b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close2(s);
}

CASE(pair_scm_rights_stream_data_still_read_with_read)
{
	int s[2], fd;
	char b[4] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	fd = OK(open("/dev/null", O_RDONLY));
	int next = fd;
	EXPECT_EQ(send_fds(s[0], &fd, 1), 1);
	close(fd);
	/* a plain read takes the byte and drops the fd */
	EXPECT_EQ(read(s[1], b, sizeof(b)), 1);
	EXPECT_STREQ(b, "F");
	int after = OK(lowest_free_fd());
	EXPECT_EQ(after, next);
	close2(s);
}

/* ---- SCM_CREDENTIALS ---- */

CASE(pair_scm_credentials_with_passcred)
{
	int s[2], on = 1;
	char x = 0;
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec v = {&x, 1};
	struct msghdr m = {
	    .msg_iov = &v, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	struct ucred c;
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(setsockopt(s[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), 0);
	EXPECT_EQ(intopt(s[1], SOL_SOCKET, SO_PASSCRED), 1);
	EXPECT_EQ(send(s[0], "c", 1, 0), 1);
	EXPECT_EQ(recvmsg(s[1], &m, 0), 1);
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	EXPECT_TRUE(h != NULL);
	EXPECT_EQ(h->cmsg_level, SOL_SOCKET);
	EXPECT_EQ(h->cmsg_type, SCM_CREDENTIALS);
	EXPECT_EQ(h->cmsg_len, CMSG_LEN(sizeof(struct ucred)));
	memcpy(&c, CMSG_DATA(h), sizeof(c));
	EXPECT_EQ(c.pid, getpid());
	EXPECT_EQ(c.uid, getuid());
	EXPECT_EQ(c.gid, getgid());
	close2(s);
}

CASE(pair_scm_credentials_from_child)
{
	int s[2], on = 1;
	char x = 0;
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec v = {&x, 1};
	struct msghdr m = {
	    .msg_iov = &v, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	struct ucred c;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(setsockopt(s[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	parent_watchdog();
	pid_t p = OK(fork());
	if (p == 0) {
		CHILD_START();
		_exit(write(s[0], "k", 1) == 1 ? 0 : 1);
	}
	EXPECT_EQ(recvmsg(s[1], &m, 0), 1);
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	EXPECT_TRUE(h != NULL);
	EXPECT_EQ(h->cmsg_type, SCM_CREDENTIALS);
	memcpy(&c, CMSG_DATA(h), sizeof(c));
	EXPECT_EQ(c.pid, p);
	EXPECT_EQ(c.uid, getuid());
	EXPECT_CHILD_OK(p);
	alarm(0);
	close2(s);
}

CASE(pair_no_credentials_without_passcred)
{
	int s[2];
	char x = 0;
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec v = {&x, 1};
	struct msghdr m = {
	    .msg_iov = &v, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(intopt(s[1], SOL_SOCKET, SO_PASSCRED), 0);
	EXPECT_EQ(send(s[0], "c", 1, 0), 1);
	EXPECT_EQ(recvmsg(s[1], &m, 0), 1);
	EXPECT_EQ(m.msg_controllen, 0);
	EXPECT_EQ(m.msg_flags, 0);
	close2(s);
}

/* ---- blocking and fork ---- */

CASE(pair_blocking_read_woken_by_child_write)
{
	int s[2];
	char b[8] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	parent_watchdog();
	pid_t p = OK(fork());
	if (p == 0) {
		CHILD_START();
		sleep_ms(30);
		_exit(write(s[1], "wake", 4) == 4 ? 0 : 1);
	}
	EXPECT_EQ(read(s[0], b, sizeof(b)), 4);
	EXPECT_STREQ(b, "wake");
	EXPECT_CHILD_OK(p);
	alarm(0);
	close2(s);
}

CASE(pair_blocking_write_woken_when_peer_reads)
{
	int s[2];
	static char buf[4096];
	long filled = 0;
	ssize_t r;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	memset(buf, 'f', sizeof(buf));
	int e = 0;
	while ((r = send(s[0], buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		filled += r;
	e = errno;
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EAGAIN);
	EXPECT_TRUE(filled > 0);
	struct pollfd pf = {.fd = s[0], .events = POLLOUT};
	EXPECT_EQ(poll(&pf, 1, 0), 0);
	parent_watchdog();
	pid_t p = OK(fork());
	if (p == 0) {
		long got = 0;
		CHILD_START();
		sleep_ms(30);
		while (got < filled) {
			ssize_t n = read(s[1], buf, sizeof(buf));
			if (n <= 0)
				_exit(1);
			got += n;
		}
		_exit(0);
	}
	EXPECT_EQ(write(s[0], "tail", 4), 4); /* blocks until the child reads */
	EXPECT_CHILD_OK(p);
	alarm(0);
	char b[8] = {0};
	EXPECT_EQ(read(s[1], b, sizeof(b)), 4);
	EXPECT_STREQ(b, "tail");
	close2(s);
}

CASE(pair_fork_parent_child_each_one_end)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	parent_watchdog();
	pid_t p = OK(fork());
	if (p == 0) {
		char c[16] = {0};
		CHILD_START();
		close(s[0]);
		ssize_t n = read(s[1], c, sizeof(c));
		if (n != 5 || memcmp(c, "hello", 5))
			_exit(1);
		for (int i = 0; i < n; i++)
			c[i] -= 'a' - 'A';
		if (write(s[1], c, n) != n)
			_exit(2);
		_exit(read(s[1], c, sizeof(c)) == 0 ? 0 : 3); /* then EOF */
	}
	close(s[1]);
	EXPECT_EQ(write(s[0], "hello", 5), 5);
	EXPECT_EQ(read(s[0], b, sizeof(b)), 5);
	EXPECT_STREQ(b, "HELLO");
	OK(shutdown(s[0], SHUT_WR));
	EXPECT_EQ(read(s[0], b, sizeof(b)), 0); /* the child exited: EOF */
	EXPECT_CHILD_OK(p);
	alarm(0);
	close(s[0]);
}

CASE(pair_dgram_fork_messages_both_ways)
{
	int s[2];
	char b[16] = {0};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	parent_watchdog();
	pid_t p = OK(fork());
	if (p == 0) {
		char c[16];
		CHILD_START();
		close(s[0]);
		for (int i = 0; i < 3; i++) {
			ssize_t n = recv(s[1], c, sizeof(c), 0);
			if (n != i + 1 || send(s[1], c, n, 0) != n)
				_exit(1);
		}
		_exit(0);
	}
	close(s[1]);
	EXPECT_EQ(send(s[0], "a", 1, 0), 1);
	EXPECT_EQ(send(s[0], "bb", 2, 0), 2);
	EXPECT_EQ(send(s[0], "ccc", 3, 0), 3);
	EXPECT_EQ(recv(s[0], b, sizeof(b), 0), 1);
	EXPECT_EQ(recv(s[0], b, sizeof(b), 0), 2);
	EXPECT_EQ(recv(s[0], b, sizeof(b), 0), 3);
	EXPECT_MEMEQ(b, "ccc", 3);
	EXPECT_CHILD_OK(p);
	alarm(0);
	close(s[0]);
}
