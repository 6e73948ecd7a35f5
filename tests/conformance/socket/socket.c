/* socket: AF_UNIX socketpair and named sockets, loopback TCP/UDP, errors. */
#define AREA "socket"
#include "../harness.h"
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

CASE(socketpair_stream_roundtrip)
{
	int s[2];
	char b[8] = {0};
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	EXPECT_EQ(write(s[0], "ping", 4), 4);
	EXPECT_EQ(read(s[1], b, sizeof(b)), 4);
	EXPECT_STREQ(b, "ping");
	close(s[0]);
	close(s[1]);
}

CASE(socketpair_eof_on_close)
{
	int s[2];
	char b[4];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	close(s[0]);
	EXPECT_EQ(read(s[1], b, 4), 0);
	close(s[1]);
}

CASE(socketpair_dgram_boundaries)
{
	int s[2];
	char b[8];
	OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
	send(s[0], "ab", 2, 0);
	send(s[0], "cde", 3, 0);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 2);
	EXPECT_EQ(recv(s[1], b, sizeof(b), 0), 3);
	close(s[0]);
	close(s[1]);
}

CASE(socketpair_inet_eopnotsupp)
{
	int s[2];
	EXPECT_ERRNO(socketpair(AF_INET, SOCK_STREAM, 0, s), EOPNOTSUPP);
}

CASE(socket_bad_family_eafnosupport)
{
	EXPECT_ERRNO(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
}

CASE(socket_bad_type_einval)
{
	EXPECT_ERRNO(socket(AF_UNIX, 99, 0), EINVAL);
}

CASE(getsockname_on_file_enotsock)
{
	struct sockaddr_un a;
	socklen_t l = sizeof(a);
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(getsockname(fd, (struct sockaddr *)&a, &l), ENOTSOCK);
	EXPECT_ERRNO(getpeername(fd, (struct sockaddr *)&a, &l), ENOTSOCK);
	close(fd);
}

CASE(getsockname_ebadf)
{
	struct sockaddr_un a;
	socklen_t l = sizeof(a);
	EXPECT_ERRNO(getsockname(555, (struct sockaddr *)&a, &l), EBADF);
}

CASE(unix_bind_listen_connect)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char b[4] = {0};
	scratch();
	strcpy(a.sun_path, "sock");
	int l = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(bind(l, (struct sockaddr *)&a, sizeof(a)));
	OK(listen(l, 4));
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	int s = OK(accept(l, NULL, NULL));
	EXPECT_EQ(write(c, "hi", 2), 2);
	EXPECT_EQ(read(s, b, 2), 2);
	EXPECT_STREQ(b, "hi");
	close(s);
	close(c);
	close(l);
}

CASE(unix_bind_existing_eaddrinuse)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	scratch();
	strcpy(a.sun_path, "sock");
	int x = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(bind(x, (struct sockaddr *)&a, sizeof(a)));
	int y = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(bind(y, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	close(x);
	close(y);
}

CASE(unix_connect_missing_enoent)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	scratch();
	strcpy(a.sun_path, "nosock");
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof(a)), ENOENT);
	close(c);
}

CASE(tcp_loopback_roundtrip)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	char b[4] = {0};
	int l = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(bind(l, (struct sockaddr *)&a, sizeof(a)));
	OK(listen(l, 1));
	OK(getsockname(l, (struct sockaddr *)&a, &len));
	EXPECT_TRUE(a.sin_port != 0);
	int c = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	int s = OK(accept(l, NULL, NULL));
	EXPECT_EQ(send(c, "abc", 3, 0), 3);
	EXPECT_EQ(recv(s, b, 3, MSG_WAITALL), 3);
	EXPECT_STREQ(b, "abc");
	close(s);
	close(c);
	close(l);
}

CASE(udp_loopback_roundtrip)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	char b[8] = {0};
	int r = OK(socket(AF_INET, SOCK_DGRAM, 0));
	OK(bind(r, (struct sockaddr *)&a, sizeof(a)));
	OK(getsockname(r, (struct sockaddr *)&a, &len));
	int s = OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_EQ(sendto(s, "dg", 2, 0, (struct sockaddr *)&a, sizeof(a)), 2);
	EXPECT_EQ(recv(r, b, sizeof(b), 0), 2);
	close(r);
	close(s);
}

CASE(tcp_connect_refused)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int t = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(bind(t, (struct sockaddr *)&a, sizeof(a)));
	OK(getsockname(t, (struct sockaddr *)&a, &len));
	close(t); /* the port is now free and nobody listens */
	int c = OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED);
	close(c);
}

CASE(setsockopt_reuseaddr)
{
	int one = 1, v = 0;
	socklen_t l = sizeof(v);
	int s = OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &l), 0);
	EXPECT_EQ(v, 1);
	close(s);
}

CASE(getsockopt_type)
{
	int v = 0;
	socklen_t l = sizeof(v);
	int s = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l), 0);
	EXPECT_EQ(v, SOCK_DGRAM);
	close(s);
}

CASE(shutdown_write_gives_eof)
{
	int s[2];
	char b[4];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	OK(shutdown(s[0], SHUT_WR));
	EXPECT_EQ(read(s[1], b, 4), 0);
	close(s[0]);
	close(s[1]);
}

CASE(send_on_unconnected_enotconn)
{
	int s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(send(s, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	close(s);
}
