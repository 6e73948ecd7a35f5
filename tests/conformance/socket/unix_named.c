/* socket: AF_UNIX names (paths, abstract names, autobind), listen, connect, accept. */
#define AREA "socket"
#include "../harness.h"
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#define NAMELEN(p) ((socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1))

static struct sockaddr_un path_addr(const char *p)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strcpy(a.sun_path, p);
	return a;
}

/* An abstract name "\0name": its length counts the bytes after the family. */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int listener(int type, const char *p)
{
	struct sockaddr_un a = path_addr(p);
	int l = socket(AF_UNIX, type, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, NAMELEN(p)) < 0 || listen(l, 8) < 0)
		return -1;
	return l;
}

static int connector(int type, const char *p)
{
	struct sockaddr_un a = path_addr(p);
	int c = socket(AF_UNIX, type, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, NAMELEN(p)) < 0)
		return -1;
	return c;
}

CASE(named_bind_makes_socket_inode)
{
	struct sockaddr_un a = path_addr("s");
	struct stat st;
	scratch();
	umask(022);
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(bind(s, (struct sockaddr *)&a, NAMELEN("s")));
	OK(lstat("s", &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0755);
	close(s);
	OK(lstat("s", &st)); /* the inode stays after close */
}

CASE(named_getsockname_gives_path)
{
	struct sockaddr_un a = path_addr("sock"), got;
	socklen_t len = sizeof(got);
	scratch();
	int s = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	OK(getsockname(s, (struct sockaddr *)&got, &len));
	EXPECT_EQ(len, NAMELEN("sock"));
	EXPECT_STREQ(got.sun_path, "sock");
	close(s);
}

CASE(named_bind_existing_path_eaddrinuse)
{
	struct sockaddr_un a = path_addr("f");
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(bind(s, (struct sockaddr *)&a, NAMELEN("f")), EADDRINUSE);
	close(s);
}

CASE(named_bind_twice_einval)
{
	struct sockaddr_un a = path_addr("a"), b = path_addr("b");
	scratch();
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(bind(s, (struct sockaddr *)&a, NAMELEN("a")));
	EXPECT_ERRNO(bind(s, (struct sockaddr *)&b, NAMELEN("b")), EINVAL);
	close(s);
}

CASE(named_bind_bad_family_einval)
{
	struct sockaddr_un a = path_addr("x");
	a.sun_family = AF_INET;
	scratch();
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(bind(s, (struct sockaddr *)&a, NAMELEN("x")), EINVAL);
	close(s);
}

CASE(named_bind_missing_dir_enoent)
{
	struct sockaddr_un a = path_addr("nodir/s");
	scratch();
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(bind(s, (struct sockaddr *)&a, NAMELEN("nodir/s")), ENOENT);
	close(s);
}

CASE(named_stream_connect_accept_roundtrip)
{
	char b[8] = {0};
	struct sockaddr_un peer;
	socklen_t len = sizeof(peer);
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(connector(SOCK_STREAM, "srv"));
	int s = OK(accept(l, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(len, sizeof(sa_family_t)); /* an unnamed client */
	EXPECT_EQ(write(c, "ping", 4), 4);
	EXPECT_EQ(read(s, b, sizeof(b)), 4);
	EXPECT_STREQ(b, "ping");
	EXPECT_EQ(write(s, "pong", 4), 4);
	EXPECT_EQ(read(c, b, sizeof(b)), 4);
	EXPECT_STREQ(b, "pong");
	close(s);
	EXPECT_EQ(read(c, b, sizeof(b)), 0);
	close(c);
	close(l);
}

CASE(named_names_of_the_ends)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(connector(SOCK_STREAM, "srv"));
	int s = OK(accept(l, NULL, NULL));
	OK(getpeername(c, (struct sockaddr *)&a, &len));
	EXPECT_EQ(len, NAMELEN("srv"));
	EXPECT_STREQ(a.sun_path, "srv");
	len = sizeof(a);
	OK(getsockname(s, (struct sockaddr *)&a, &len)); /* the accepted end has the listener's name */
	EXPECT_EQ(len, NAMELEN("srv"));
	len = sizeof(a);
	OK(getsockname(c, (struct sockaddr *)&a, &len));
	EXPECT_EQ(len, sizeof(sa_family_t));
	len = sizeof(a);
	OK(getpeername(s, (struct sockaddr *)&a, &len));
	EXPECT_EQ(len, sizeof(sa_family_t));
	close(s);
	close(c);
	close(l);
}

CASE(named_data_before_accept)
{
	char b[4] = {0};
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(connector(SOCK_STREAM, "srv"));
	EXPECT_EQ(write(c, "abc", 3), 3);
	int s = OK(accept(l, NULL, NULL));
	EXPECT_EQ(read(s, b, 3), 3);
	EXPECT_STREQ(b, "abc");
	close(s);
	close(c);
	close(l);
}

CASE(named_connect_missing_enoent)
{
	struct sockaddr_un a = path_addr("none");
	scratch();
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, NAMELEN("none")), ENOENT);
	close(c);
}

CASE(named_connect_regular_file_econnrefused)
{
	struct sockaddr_un a = path_addr("f");
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, NAMELEN("f")), ECONNREFUSED);
	close(c);
}

CASE(named_connect_after_listener_closed_econnrefused)
{
	struct sockaddr_un a = path_addr("srv");
	scratch();
	close(OK(listener(SOCK_STREAM, "srv")));
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, NAMELEN("srv")), ECONNREFUSED);
	close(c);
}

CASE(named_connect_not_listening_econnrefused)
{
	struct sockaddr_un a = path_addr("b");
	scratch();
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(bind(s, (struct sockaddr *)&a, NAMELEN("b")));
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, NAMELEN("b")), ECONNREFUSED);
	close(c);
	close(s);
}

CASE(named_connect_other_type_eprototype)
{
	struct sockaddr_un a = path_addr("srv");
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, NAMELEN("srv")), EPROTOTYPE);
	close(c);
	close(l);
}

CASE(named_connect_unlinked_enoent)
{
	struct sockaddr_un a = path_addr("srv");
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	OK(unlink("srv"));
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, NAMELEN("srv")), ENOENT);
	close(c);
	close(l);
}

CASE(named_connect_twice_eisconn)
{
	struct sockaddr_un a = path_addr("srv");
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(connector(SOCK_STREAM, "srv"));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, NAMELEN("srv")), EISCONN);
	close(c);
	close(l);
}

CASE(named_listen_unbound_einval)
{
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(listen(s, 1), EINVAL);
	close(s);
}

CASE(named_listen_dgram_eopnotsupp)
{
	struct sockaddr_un a = path_addr("d");
	scratch();
	int s = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(s, (struct sockaddr *)&a, NAMELEN("d")));
	EXPECT_ERRNO(listen(s, 1), EOPNOTSUPP);
	close(s);
}

CASE(named_acceptconn_and_poll)
{
	int v = 0;
	socklen_t len = sizeof(v);
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	OK(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &len));
	EXPECT_EQ(v, 1);
	struct pollfd p = {.fd = l, .events = POLLIN | POLLOUT};
	EXPECT_EQ(poll(&p, 1, 0), 0); /* a listener is never writable */
	int c = OK(connector(SOCK_STREAM, "srv"));
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN);
	close(c);
	close(l);
}

CASE(named_accept_nonblock_eagain)
{
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	OK(fcntl(l, F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(accept(l, NULL, NULL), EAGAIN);
	close(l);
}

CASE(named_accept4_flags)
{
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(connector(SOCK_STREAM, "srv"));
	int s = OK(accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
	EXPECT_TRUE(fcntl(s, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(s, F_GETFD) & FD_CLOEXEC);
	EXPECT_ERRNO(accept4(l, NULL, NULL, 0x4000000), EINVAL);
	close(s);
	close(c);
	close(l);
}

CASE(named_backlog_full_nonblock_eagain)
{
	struct sockaddr_un a = path_addr("srv");
	scratch();
	int l = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(bind(l, (struct sockaddr *)&a, NAMELEN("srv")));
	OK(listen(l, 0));
	int c1 = OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	OK(connect(c1, (struct sockaddr *)&a, NAMELEN("srv")));
	int c2 = OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	EXPECT_ERRNO(connect(c2, (struct sockaddr *)&a, NAMELEN("srv")), EAGAIN);
	close(c2);
	close(c1);
	close(l);
}

CASE(named_listener_close_ends_pending_client)
{
	char b[4];
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(connector(SOCK_STREAM, "srv"));
	close(l);
	EXPECT_ERRNO(read(c, b, sizeof(b)), ECONNRESET); /* never accepted: reset */
	EXPECT_EQ(read(c, b, sizeof(b)), 0);
	close(c);
}

CASE(named_peercred_both_ends)
{
	struct ucred u;
	socklen_t len = sizeof(u);
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	int c = OK(connector(SOCK_STREAM, "srv"));
	int s = OK(accept(l, NULL, NULL));
	OK(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &u, &len));
	EXPECT_EQ(u.pid, getpid());
	len = sizeof(u);
	OK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &u, &len));
	EXPECT_EQ(u.pid, getpid());
	EXPECT_EQ(u.uid, geteuid());
	close(s);
	close(c);
	close(l);
}

CASE(named_abstract_roundtrip)
{
	struct sockaddr_un a, got;
	socklen_t alen = abstract_addr(&a, "uos-conform-abs"), len = sizeof(got);
	char b[4] = {0};
	int l = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(bind(l, (struct sockaddr *)&a, alen));
	OK(getsockname(l, (struct sockaddr *)&got, &len));
	EXPECT_EQ(len, alen);
	EXPECT_TRUE(!memcmp(&got, &a, alen));
	OK(listen(l, 1));
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(connect(c, (struct sockaddr *)&a, alen));
	int s = OK(accept(l, NULL, NULL));
	EXPECT_EQ(write(c, "ab", 2), 2);
	EXPECT_EQ(read(s, b, 2), 2);
	EXPECT_STREQ(b, "ab");
	close(s);
	close(c);
	close(l);
}

CASE(named_abstract_taken_then_freed)
{
	struct sockaddr_un a;
	socklen_t alen = abstract_addr(&a, "uos-conform-taken");
	int x = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(x, (struct sockaddr *)&a, alen));
	int y = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT_ERRNO(bind(y, (struct sockaddr *)&a, alen), EADDRINUSE);
	close(x);
	OK(bind(y, (struct sockaddr *)&a, alen)); /* the name went with the socket */
	close(y);
}

CASE(named_abstract_missing_econnrefused)
{
	struct sockaddr_un a;
	socklen_t alen = abstract_addr(&a, "uos-conform-nobody");
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	close(c);
}

CASE(named_autobind)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX}, got;
	socklen_t len = sizeof(got);
	int s = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(s, (struct sockaddr *)&a, sizeof(sa_family_t)));
	OK(getsockname(s, (struct sockaddr *)&got, &len));
	EXPECT_EQ(len, offsetof(struct sockaddr_un, sun_path) + 6);
	EXPECT_EQ(got.sun_path[0], 0);
	close(s);
}

CASE(named_dgram_sendto_and_sender_name)
{
	struct sockaddr_un r = path_addr("r"), w = path_addr("w"), from;
	socklen_t len = sizeof(from);
	char b[8];
	scratch();
	int rs = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(rs, (struct sockaddr *)&r, NAMELEN("r")));
	int ws = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT_EQ(sendto(ws, "one", 3, 0, (struct sockaddr *)&r, NAMELEN("r")), 3);
	EXPECT_EQ(recvfrom(rs, b, sizeof(b), 0, (struct sockaddr *)&from, &len), 3);
	EXPECT_EQ(len, 0); /* an unnamed sender */
	OK(bind(ws, (struct sockaddr *)&w, NAMELEN("w")));
	EXPECT_EQ(sendto(ws, "two", 3, 0, (struct sockaddr *)&r, NAMELEN("r")), 3);
	len = sizeof(from);
	EXPECT_EQ(recvfrom(rs, b, sizeof(b), 0, (struct sockaddr *)&from, &len), 3);
	EXPECT_EQ(len, NAMELEN("w"));
	EXPECT_STREQ(from.sun_path, "w");
	close(ws);
	close(rs);
}

CASE(named_dgram_connect_then_send)
{
	struct sockaddr_un r = path_addr("r");
	char b[8];
	scratch();
	int rs = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(rs, (struct sockaddr *)&r, NAMELEN("r")));
	int ws = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(connect(ws, (struct sockaddr *)&r, NAMELEN("r")));
	EXPECT_EQ(send(ws, "hey", 3, 0), 3);
	EXPECT_EQ(recv(rs, b, sizeof(b), 0), 3);
	struct sockaddr_un un = {.sun_family = AF_UNSPEC};
	OK(connect(ws, (struct sockaddr *)&un, sizeof(sa_family_t)));
	EXPECT_ERRNO(send(ws, "x", 1, 0), ENOTCONN);
	close(ws);
	close(rs);
}

CASE(named_dgram_to_socket_connected_elsewhere_eperm)
{
	struct sockaddr_un r = path_addr("r"), o = path_addr("o");
	scratch();
	int rs = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(rs, (struct sockaddr *)&r, NAMELEN("r")));
	int os = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(bind(os, (struct sockaddr *)&o, NAMELEN("o")));
	OK(connect(rs, (struct sockaddr *)&o, NAMELEN("o")));
	int ws = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT_ERRNO(sendto(ws, "x", 1, 0, (struct sockaddr *)&r, NAMELEN("r")), EPERM);
	close(ws);
	close(os);
	close(rs);
}

CASE(named_dgram_sendto_missing_enoent)
{
	struct sockaddr_un r = path_addr("none");
	scratch();
	int ws = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT_ERRNO(sendto(ws, "x", 1, 0, (struct sockaddr *)&r, NAMELEN("none")), ENOENT);
	close(ws);
}

CASE(named_seqpacket_connect_accept)
{
	char b[8];
	scratch();
	int l = OK(listener(SOCK_SEQPACKET, "sp"));
	int c = OK(connector(SOCK_SEQPACKET, "sp"));
	int s = OK(accept(l, NULL, NULL));
	EXPECT_EQ(send(c, "ab", 2, 0), 2);
	EXPECT_EQ(send(c, "cde", 3, 0), 3);
	EXPECT_EQ(recv(s, b, sizeof(b), 0), 2);
	EXPECT_EQ(recv(s, b, sizeof(b), 0), 3);
	close(s);
	close(c);
	close(l);
}

CASE(named_blocking_accept_woken_by_child_connect)
{
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	pid_t p = OK(fork());
	if (p == 0) {
		usleep(20000);
		int c = connector(SOCK_STREAM, "srv");
		_exit(c >= 0 && write(c, "k", 1) == 1 ? 0 : 1);
	}
	int s = OK(accept(l, NULL, NULL));
	char b;
	EXPECT_EQ(read(s, &b, 1), 1);
	int st;
	OK(waitpid(p, &st, 0));
	EXPECT_EQ(st, 0);
	close(s);
	close(l);
}

CASE(mmsg_send_and_receive_datagrams)
{
	int s[2];
	char out[3][4] = {"a", "bb", "ccc"}, in[3][8];
	struct iovec ov[3], iv[3];
	struct mmsghdr om[3], im[4];
	memset(om, 0, sizeof(om));
	memset(im, 0, sizeof(im));
	for (int i = 0; i < 3; i++) {
		ov[i] = (struct iovec){out[i], strlen(out[i])};
		om[i].msg_hdr.msg_iov = &ov[i];
		om[i].msg_hdr.msg_iovlen = 1;
		iv[i] = (struct iovec){in[i], sizeof(in[i])};
		im[i].msg_hdr.msg_iov = &iv[i];
		im[i].msg_hdr.msg_iovlen = 1;
	}
	im[3] = im[2];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_EQ(sendmmsg(s[0], om, 3, 0), 3);
	EXPECT_EQ(om[2].msg_len, 3);
	EXPECT_EQ(recvmmsg(s[1], im, 4, MSG_WAITFORONE, NULL), 3); /* the fourth is not there */
	EXPECT_EQ(im[0].msg_len, 1);
	EXPECT_EQ(im[1].msg_len, 2);
	EXPECT_EQ(im[2].msg_len, 3);
	EXPECT_TRUE(!memcmp(in[1], "bb", 2));
	EXPECT_ERRNO(recvmmsg(s[1], im, 1, MSG_DONTWAIT, NULL), EAGAIN);
	EXPECT_EQ(sendmmsg(s[0], om, 0, 0), 0);
	close(s[0]);
	close(s[1]);
}

CASE(mmsg_bad_timeout_einval)
{
	int s[2];
	char b[4];
	struct iovec v = {b, sizeof(b)};
	struct mmsghdr m = {.msg_hdr = {.msg_iov = &v, .msg_iovlen = 1}};
	struct timespec bad = {0, 1000000000L};
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	EXPECT_ERRNO(recvmmsg(s[1], &m, 1, 0, &bad), EINVAL);
	EXPECT_ERRNO(sendmmsg(-1, &m, 1, 0), EBADF);
	close(s[0]);
	close(s[1]);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

CASE(timeo_roundtrip_and_edom)
{
	int s[2];
	struct timeval tv = {1, 500000}, got;
	socklen_t len = sizeof(got);
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(setsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	OK(getsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO, &got, &len));
	EXPECT_EQ(len, sizeof(got));
	EXPECT_EQ(got.tv_sec, 1);
	EXPECT_EQ(got.tv_usec, 500000);
	len = sizeof(got);
	OK(getsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO, &got, &len));
	EXPECT_EQ(got.tv_sec + got.tv_usec, 0);
	tv.tv_usec = 1000000;
	EXPECT_ERRNO(setsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), EDOM);
	EXPECT_ERRNO(setsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO, &tv, 4), EINVAL);
	close(s[0]);
	close(s[1]);
}

CASE(timeo_recv_and_read_time_out)
{
	int s[2];
	char b[4];
	struct timeval tv = {0, 50000};
	struct timespec t0;
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(setsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_ERRNO(recv(s[0], b, sizeof(b), 0), EAGAIN);
	EXPECT_TRUE(ms_since(&t0) >= 40);
	EXPECT_ERRNO(read(s[0], b, sizeof(b)), EAGAIN);
	EXPECT_EQ(write(s[1], "x", 1), 1);
	EXPECT_EQ(read(s[0], b, sizeof(b)), 1); /* data there: no wait */
	close(s[0]);
	close(s[1]);
}

CASE(timeo_send_times_out_when_full)
{
	int s[2];
	char big[4096] = {0};
	struct timeval tv = {0, 50000};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	while (send(s[0], big, sizeof(big), MSG_DONTWAIT) > 0)
		;
	OK(setsockopt(s[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	EXPECT_ERRNO(send(s[0], big, sizeof(big), 0), EAGAIN);
	EXPECT_ERRNO(write(s[0], big, sizeof(big)), EAGAIN);
	close(s[0]);
	close(s[1]);
}

/* The line of /proc/net/unix for inode ino (its fields after the address), or "". */
static void proc_unix_line(unsigned long ino, char *out, size_t size)
{
	char line[512];
	FILE *f = fopen("/proc/net/unix", "r");
	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long i = 0;
		char *p = strchr(line, ':');
		if (p && sscanf(p + 1, "%*s %*s %*s %*s %*s %lu", &i) == 1 && i == ino) {
			snprintf(out, size, "%s", p + 2);
			break;
		}
	}
	if (f)
		fclose(f);
}

CASE(named_proc_net_unix_lists_sockets)
{
	struct stat st;
	char line[512], want[256];
	scratch();
	int l = OK(listener(SOCK_STREAM, "srv"));
	OK(fstat(l, &st));
	proc_unix_line(st.st_ino, line, sizeof(line));
	snprintf(want, sizeof(want), "00000000 00010000 0001 01 %5lu ", (unsigned long)st.st_ino);
	EXPECT_TRUE(strstr(line, want) != NULL); /* protocol, listening, stream, unconnected */
	EXPECT_TRUE(strstr(line, " srv\n") != NULL); /* the name as bound */
	int d = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	OK(fstat(d, &st));
	proc_unix_line(st.st_ino, line, sizeof(line));
	snprintf(want, sizeof(want), "00000000 00000000 0002 01 %5lu\n", (unsigned long)st.st_ino);
	EXPECT_TRUE(strstr(line, want) != NULL); /* unnamed datagram socket: no path */
	close(d);
	close(l);
}

CASE(proc_sys_net_values)
{
	char b[64] = {0};
	int fd = OK(open("/proc/sys/net/core/somaxconn", O_RDONLY));
	EXPECT_TRUE(read(fd, b, sizeof(b) - 1) > 1);
	EXPECT_TRUE(atoi(b) >= 128);
	close(fd);
	fd = OK(open("/proc/sys/net/ipv4/ip_local_port_range", O_RDONLY));
	memset(b, 0, sizeof(b));
	EXPECT_TRUE(read(fd, b, sizeof(b) - 1) > 3);
	EXPECT_TRUE(strchr(b, '\t') != NULL);
	close(fd);
}

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

/* The Pid: line of fd's fdinfo (a pidfd's process; -1 once reaped), or -2. */
static int fdinfo_pid(int fd)
{
	char p[64], l[256];
	int pid = -2;
	snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(p, "r");
	while (f && fgets(l, sizeof(l), f))
		sscanf(l, "Pid: %d", &pid);
	if (f)
		fclose(f);
	return pid;
}

CASE(peerpidfd_of_pair_names_self)
{
	int sv[2], fd = -1;
	socklen_t len = sizeof(fd);
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERPIDFD, &fd, &len));
	EXPECT_EQ(len, sizeof(fd));
	EXPECT_EQ(fdinfo_pid(fd), getpid());
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0));
	close(fd);
	len = 2; /* copied short, still installed */
	fd = 0;
	OK(getsockopt(sv[1], SOL_SOCKET, SO_PEERPIDFD, &fd, &len));
	EXPECT_EQ(len, 2);
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	EXPECT_ERRNO(setsockopt(sv[0], SOL_SOCKET, SO_PEERPIDFD, &fd, sizeof(fd)), ENOPROTOOPT);
	close(sv[0]);
	close(sv[1]);
}

CASE(peerpidfd_none_enodata_and_bad_pointer)
{
	int fd, sv[2];
	socklen_t len = sizeof(fd);
	int u = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(getsockopt(u, SOL_SOCKET, SO_PEERPIDFD, &fd, &len), ENODATA);
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	int next = OK(dup(0));
	close(next);
	EXPECT_ERRNO(getsockopt(sv[0], SOL_SOCKET, SO_PEERPIDFD, (void *)8, &len), EFAULT);
	int again = OK(dup(0)); /* no pidfd was left behind */
	EXPECT_EQ(again, next);
	close(again);
	len = -1;
	EXPECT_ERRNO(getsockopt(sv[0], SOL_SOCKET, SO_PEERPIDFD, &fd, &len), EINVAL);
	close(u);
	close(sv[0]);
	close(sv[1]);
}

CASE(peerpidfd_of_child_live_then_reaped)
{
	scratch();
	int l = OK(listener(SOCK_STREAM, "s"));
	pid_t c = OK(fork());
	if (c == 0) {
		int x = connector(SOCK_STREAM, "s");
		char b;
		_exit(x < 0 || write(x, "x", 1) != 1 || read(x, &b, 1) != 0);
	}
	int s = OK(accept(l, NULL, NULL)), fd;
	char b;
	socklen_t len = sizeof(fd);
	EXPECT_EQ(read(s, &b, 1), 1);
	OK(getsockopt(s, SOL_SOCKET, SO_PEERPIDFD, &fd, &len));
	EXPECT_EQ(fdinfo_pid(fd), c);
	close(fd);
	close(s); /* the child reads its end and exits */
	int st;
	EXPECT_EQ(waitpid(c, &st, 0), c);
	EXPECT_EQ(st, 0);
	close(l);
}

CASE(peerpidfd_of_reaped_peer)
{
	scratch();
	int l = OK(listener(SOCK_STREAM, "s")), fd, st;
	socklen_t len = sizeof(fd);
	pid_t e = OK(fork());
	if (e == 0)
		_exit(connector(SOCK_STREAM, "s") < 0);
	int s = OK(accept(l, NULL, NULL));
	EXPECT_EQ(waitpid(e, &st, 0), e);
	EXPECT_EQ(st, 0);
	OK(getsockopt(s, SOL_SOCKET, SO_PEERPIDFD, &fd, &len)); /* a pidfd all the same */
	EXPECT_EQ(fdinfo_pid(fd), -1);
	EXPECT_ERRNO(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0), ESRCH);
	struct pollfd p = {fd, POLLIN, 0};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	close(fd);
	close(s);
	close(l);
}

CASE(peercred_of_tcp_is_nobody)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int s = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	EXPECT_EQ(uc.pid, 0);
	EXPECT_EQ(uc.uid, (uid_t)-1);
	EXPECT_EQ(uc.gid, (gid_t)-1);
	int fd;
	len = sizeof(fd);
	EXPECT_ERRNO(getsockopt(s, SOL_SOCKET, SO_PEERPIDFD, &fd, &len), ENODATA);
	close(s);
}
