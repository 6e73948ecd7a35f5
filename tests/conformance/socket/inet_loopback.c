/* socket: TCP and UDP over the loopback (IPv4, IPv6, dual stack), names, options, errors. */
#define AREA "socket"
#include "../harness.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

static struct sockaddr_in v4(const char *ip, int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static struct sockaddr_in6 v6(const char *ip, int port)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
	inet_pton(AF_INET6, ip, &a.sin6_addr);
	return a;
}

/* A TCP listener on ip (port chosen by the kernel); its port in *port. */
static int tcp_listener(int fam, const char *ip, int *port)
{
	int l = socket(fam, SOCK_STREAM, 0);
	if (l < 0)
		return -1;
	if (fam == AF_INET) {
		struct sockaddr_in a = v4(ip, 0);
		socklen_t len = sizeof(a);
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 8) ||
		    getsockname(l, (struct sockaddr *)&a, &len))
			return -1;
		*port = ntohs(a.sin_port);
	} else {
		struct sockaddr_in6 a = v6(ip, 0);
		socklen_t len = sizeof(a);
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 8) ||
		    getsockname(l, (struct sockaddr *)&a, &len))
			return -1;
		*port = ntohs(a.sin6_port);
	}
	return l;
}

CASE(inet_tcp_v4_roundtrip_and_names)
{
	int port;
	char b[8] = {0};
	struct sockaddr_in a = v4("127.0.0.1", 0), got;
	socklen_t len = sizeof(got);
	int l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	EXPECT_TRUE(port >= 1024);
	int c = OK(socket(AF_INET, SOCK_STREAM, 0));
	a.sin_port = htons(port);
	OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	int s = OK(accept(l, (struct sockaddr *)&got, &len));
	EXPECT_EQ(len, sizeof(got));
	EXPECT_EQ(got.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	int cport = ntohs(got.sin_port);
	len = sizeof(got);
	OK(getsockname(c, (struct sockaddr *)&got, &len));
	EXPECT_EQ(ntohs(got.sin_port), cport);
	len = sizeof(got);
	OK(getpeername(c, (struct sockaddr *)&got, &len));
	EXPECT_EQ(ntohs(got.sin_port), port);
	len = sizeof(got);
	OK(getsockname(s, (struct sockaddr *)&got, &len));
	EXPECT_EQ(ntohs(got.sin_port), port);
	EXPECT_EQ(send(c, "hello", 5, 0), 5);
	EXPECT_EQ(recv(s, b, 5, MSG_WAITALL), 5);
	EXPECT_STREQ(b, "hello");
	OK(shutdown(c, SHUT_WR));
	EXPECT_EQ(recv(s, b, sizeof(b), 0), 0); /* half close: EOF this way */
	EXPECT_EQ(send(s, "back", 4, 0), 4);	/* the other way still open */
	EXPECT_EQ(recv(c, b, sizeof(b), 0), 4);
	close(s);
	close(c);
	close(l);
}

CASE(inet_tcp_v6_and_dual_stack)
{
	int port;
	char b[4] = {0};
	struct sockaddr_in6 got;
	socklen_t len = sizeof(got);
	int l = OK(tcp_listener(AF_INET6, "::", &port));
	int c4 = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a4 = v4("127.0.0.1", port);
	OK(connect(c4, (struct sockaddr *)&a4, sizeof(a4))); /* v4 to a dual-stack listener */
	int s4 = OK(accept(l, (struct sockaddr *)&got, &len));
	EXPECT_EQ(len, sizeof(got));
	EXPECT_TRUE(IN6_IS_ADDR_V4MAPPED(&got.sin6_addr));
	int c6 = OK(socket(AF_INET6, SOCK_STREAM, 0));
	struct sockaddr_in6 a6 = v6("::1", port);
	OK(connect(c6, (struct sockaddr *)&a6, sizeof(a6)));
	len = sizeof(got);
	int s6 = OK(accept(l, (struct sockaddr *)&got, &len));
	EXPECT_TRUE(IN6_IS_ADDR_LOOPBACK(&got.sin6_addr));
	EXPECT_EQ(write(c6, "six", 3), 3);
	EXPECT_EQ(read(s6, b, 3), 3);
	EXPECT_STREQ(b, "six");
	close(s6);
	close(c6);
	close(s4);
	close(c4);
	close(l);
}

CASE(inet_v6only_refuses_v4)
{
	int one = 1, port;
	struct sockaddr_in6 a = v6("::", 0);
	socklen_t len = sizeof(a);
	int l = OK(socket(AF_INET6, SOCK_STREAM, 0));
	OK(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)));
	OK(bind(l, (struct sockaddr *)&a, sizeof(a)));
	OK(listen(l, 1));
	OK(getsockname(l, (struct sockaddr *)&a, &len));
	port = ntohs(a.sin6_port);
	int c = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a4 = v4("127.0.0.1", port);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a4, sizeof(a4)), ECONNREFUSED);
	close(c);
	close(l);
}

CASE(inet_connect_refused)
{
	int port;
	int l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	close(l);
	int c = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = v4("127.0.0.1", port);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED);
	close(c);
}

CASE(inet_nonblocking_connect_einprogress)
{
	int port, err = -1;
	socklen_t len = sizeof(err);
	int l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	int c = OK(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	struct sockaddr_in a = v4("127.0.0.1", port);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	struct pollfd p = {.fd = c, .events = POLLOUT};
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_TRUE(p.revents & POLLOUT);
	OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(err, 0);
	OK(connect(c, (struct sockaddr *)&a, sizeof(a))); /* reports the connection made */
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof(a)), EISCONN);
	int s = OK(accept(l, NULL, NULL));
	close(s);
	close(c);
	close(l);
}

CASE(inet_bind_errors)
{
	int one = 1;
	struct sockaddr_in a = v4("127.0.0.1", 0), got, far = v4("192.0.2.1", 0);
	socklen_t len = sizeof(got);
	int x = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(bind(x, (struct sockaddr *)&a, sizeof(a)));
	OK(getsockname(x, (struct sockaddr *)&got, &len));
	EXPECT_TRUE(ntohs(got.sin_port) >= 1024);
	EXPECT_ERRNO(bind(x, (struct sockaddr *)&a, sizeof(a)), EINVAL); /* bound already */
	OK(listen(x, 1));
	int y = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(setsockopt(y, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT_ERRNO(bind(y, (struct sockaddr *)&got, sizeof(got)), EADDRINUSE);
	EXPECT_ERRNO(bind(y, (struct sockaddr *)&far, sizeof(far)), EADDRNOTAVAIL);
	EXPECT_ERRNO(bind(y, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL);
	struct sockaddr_in6 w = v6("::1", 0);
	EXPECT_ERRNO(bind(y, (struct sockaddr *)&w, sizeof(w)), EAFNOSUPPORT);
	close(y);
	close(x);
}

CASE(inet_reuseaddr_rebind_after_close)
{
	int one = 1, port;
	int l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	close(l);
	int m = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(setsockopt(m, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	struct sockaddr_in a = v4("127.0.0.1", port);
	OK(bind(m, (struct sockaddr *)&a, sizeof(a)));
	close(m);
}

CASE(inet_tcp_unconnected_errors)
{
	char b[4];
	int s = OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_ERRNO(send(s, "x", 1, MSG_NOSIGNAL), EPIPE);
	EXPECT_ERRNO(recv(s, b, sizeof(b), MSG_DONTWAIT), ENOTCONN);
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	EXPECT_ERRNO(getpeername(s, (struct sockaddr *)&a, &len), ENOTCONN);
	close(s);
}

CASE(inet_tcp_options)
{
	int v = 1, got = -1;
	socklen_t len = sizeof(got);
	int s = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &got, &len));
	EXPECT_EQ(got, IPPROTO_TCP);
	OK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)));
	len = sizeof(got);
	OK(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &got, &len));
	EXPECT_EQ(got, 1);
	len = sizeof(got);
	EXPECT_ERRNO(getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &got, &len), EOPNOTSUPP);
	int u = OK(socket(AF_INET, SOCK_DGRAM, 0));
	len = sizeof(got);
	OK(getsockopt(u, SOL_SOCKET, SO_PROTOCOL, &got, &len));
	EXPECT_EQ(got, IPPROTO_UDP);
	close(u);
	close(s);
}

CASE(inet_socket_type_errors)
{
	EXPECT_ERRNO(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
	EXPECT_ERRNO(socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
}

CASE(inet_udp_roundtrip_and_sender)
{
	struct sockaddr_in a = v4("127.0.0.1", 0), from, me;
	socklen_t len = sizeof(a);
	char b[16];
	int r = OK(socket(AF_INET, SOCK_DGRAM, 0));
	OK(bind(r, (struct sockaddr *)&a, sizeof(a)));
	OK(getsockname(r, (struct sockaddr *)&a, &len));
	int s = OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_ERRNO(send(s, "x", 1, 0), EDESTADDRREQ);
	EXPECT_EQ(sendto(s, "one", 3, 0, (struct sockaddr *)&a, sizeof(a)), 3);
	EXPECT_EQ(sendto(s, "two!", 4, 0, (struct sockaddr *)&a, sizeof(a)), 4);
	len = sizeof(from);
	EXPECT_EQ(recvfrom(r, b, sizeof(b), 0, (struct sockaddr *)&from, &len), 3);
	EXPECT_EQ(len, sizeof(from));
	EXPECT_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	len = sizeof(me);
	OK(getsockname(s, (struct sockaddr *)&me, &len));
	EXPECT_EQ(from.sin_port, me.sin_port); /* the sender was given a port */
	EXPECT_EQ(recv(r, b, 2, 0), 2);	       /* a short buffer truncates */
	EXPECT_ERRNO(recv(r, b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close(s);
	close(r);
}

CASE(inet_udp_nobody_listening_dropped)
{
	struct sockaddr_in a = v4("127.0.0.1", 0);
	socklen_t len = sizeof(a);
	int t = OK(socket(AF_INET, SOCK_DGRAM, 0));
	OK(bind(t, (struct sockaddr *)&a, sizeof(a)));
	OK(getsockname(t, (struct sockaddr *)&a, &len));
	close(t);
	int s = OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_EQ(sendto(s, "lost", 4, 0, (struct sockaddr *)&a, sizeof(a)), 4);
	close(s);
}

CASE(inet_udp_connected)
{
	struct sockaddr_in a = v4("127.0.0.1", 0), peer;
	socklen_t len = sizeof(a);
	char b[8];
	int r = OK(socket(AF_INET, SOCK_DGRAM, 0));
	OK(bind(r, (struct sockaddr *)&a, sizeof(a)));
	OK(getsockname(r, (struct sockaddr *)&a, &len));
	int s = OK(socket(AF_INET, SOCK_DGRAM, 0));
	OK(connect(s, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(peer);
	OK(getpeername(s, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(peer.sin_port, a.sin_port);
	EXPECT_EQ(send(s, "hi", 2, 0), 2);
	EXPECT_EQ(recv(r, b, sizeof(b), 0), 2);
	close(s);
	close(r);
}

CASE(inet_server_closes_with_unread_data_reset)
{
	int port;
	char b[4];
	int l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	int c = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = v4("127.0.0.1", port);
	OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	int s = OK(accept(l, NULL, NULL));
	EXPECT_EQ(send(c, "unread", 6, 0), 6);
	usleep(20000);
	close(s); /* with data unread: a reset */
	usleep(20000);
	EXPECT_ERRNO(recv(c, b, sizeof(b), 0), ECONNRESET);
	close(c);
	close(l);
}

/* A TCP connection on 127.0.0.1: client *c, server end *s, listener *l. */
static int tcp_conn(int *c, int *s, int *l)
{
	int port;
	*l = tcp_listener(AF_INET, "127.0.0.1", &port);
	*c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = v4("127.0.0.1", port);
	if (*l < 0 || *c < 0 || connect(*c, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	*s = accept(*l, NULL, NULL);
	return *s < 0 ? -1 : 0;
}

CASE(inet_write_after_peer_close_is_reset)
{
	int c, s, l, e;
	char b[4];
	socklen_t len = sizeof(e);
	OK(tcp_conn(&c, &s, &l));
	close(s);
	usleep(20000);
	EXPECT_EQ(recv(c, b, sizeof(b), 0), 0); /* the FIN */
	struct pollfd p = {c, POLLIN | POLLOUT | POLLRDHUP, 0};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT | POLLRDHUP); /* half closed: it may still send */
	EXPECT_EQ(send(c, "x", 1, MSG_NOSIGNAL), 1);	     /* taken; the peer's stack resets */
	usleep(20000);
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT | POLLRDHUP | POLLERR | POLLHUP);
	EXPECT_EQ(recv(c, b, sizeof(b), 0), 0); /* after a FIN the end comes before the error */
	OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &len));
	EXPECT_EQ(e, EPIPE);
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	close(c);
	close(l);
}

CASE(inet_second_write_after_peer_close_epipe)
{
	int c, s, l;
	OK(tcp_conn(&c, &s, &l));
	close(s);
	usleep(20000);
	EXPECT_EQ(send(c, "ab", 2, MSG_NOSIGNAL), 2);
	usleep(20000);
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE); /* the reset's error, taken */
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE); /* and then shut down */
	int e;
	socklen_t len = sizeof(e);
	OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &len));
	EXPECT_EQ(e, 0);
	close(c);
	close(l);
}

CASE(inet_peer_shut_wr_still_takes_data)
{
	int c, s, l;
	char b[8] = {0};
	OK(tcp_conn(&c, &s, &l));
	OK(shutdown(s, SHUT_WR));
	EXPECT_EQ(recv(c, b, sizeof(b), 0), 0);
	EXPECT_EQ(send(c, "more", 4, MSG_NOSIGNAL), 4);
	EXPECT_EQ(recv(s, b, sizeof(b), 0), 4);
	EXPECT_STREQ(b, "more");
	EXPECT_ERRNO(send(s, "x", 1, MSG_NOSIGNAL), EPIPE);
	close(c);
	close(s);
	close(l);
}

CASE(inet_shut_rd_is_local)
{
	int c, s, l;
	char b[8] = {0};
	OK(tcp_conn(&c, &s, &l));
	OK(shutdown(s, SHUT_RD));
	EXPECT_EQ(send(c, "abc", 3, MSG_NOSIGNAL), 3); /* the peer is not told */
	usleep(20000);
	struct pollfd p = {s, POLLIN | POLLRDHUP, 0};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLRDHUP);
	p = (struct pollfd){c, POLLIN | POLLOUT | POLLRDHUP, 0};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLOUT);
	EXPECT_EQ(recv(s, b, sizeof(b), 0), 3); /* what came is still read */
	EXPECT_STREQ(b, "abc");
	EXPECT_EQ(recv(s, b, sizeof(b), 0), 0); /* then the end, without waiting */
	EXPECT_EQ(send(s, "up", 2, MSG_NOSIGNAL), 2);
	EXPECT_EQ(recv(c, b, sizeof(b), 0), 2);
	close(c);
	close(s);
	close(l);
}

CASE(inet_linger_values)
{
	int s = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct linger lg = {7, 7};
	socklen_t len = sizeof(lg);
	OK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
	EXPECT_EQ(len, sizeof(lg));
	EXPECT_EQ(lg.l_onoff, 0);
	EXPECT_EQ(lg.l_linger, 0);
	lg = (struct linger){5, 99999999};
	OK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	len = sizeof(lg);
	OK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
	EXPECT_EQ(lg.l_onoff, 1);
	EXPECT_EQ(lg.l_linger, 99999999);
	EXPECT_ERRNO(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(int)), EINVAL);
	lg = (struct linger){0, 3};
	OK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	len = sizeof(lg);
	OK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
	EXPECT_EQ(lg.l_onoff, 0);
	EXPECT_EQ(lg.l_linger, 99999999); /* off keeps the last time */
	len = sizeof(int);
	OK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len)); /* copied short */
	EXPECT_EQ(len, sizeof(int));
	close(s);
}

CASE(inet_linger_zero_close_resets)
{
	int c, s, l;
	char b[4];
	OK(tcp_conn(&c, &s, &l));
	struct linger lg = {1, 0};
	OK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(s);
	usleep(20000);
	EXPECT_ERRNO(recv(c, b, sizeof(b), 0), ECONNRESET);
	EXPECT_EQ(recv(c, b, sizeof(b), 0), 0);
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	close(c);
	close(l);
}

CASE(inet_reset_reported_to_writer)
{
	int c, s, l;
	OK(tcp_conn(&c, &s, &l));
	struct linger lg = {1, 0};
	OK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(s);
	usleep(20000);
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), ECONNRESET); /* the error first */
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	close(c);
	close(l);
}

/* bind of a fresh TCP socket (SO_REUSEADDR if reuse) to a: 0 or the errno. */
static int rebind(const struct sockaddr_in *a, int reuse)
{
	int n = socket(AF_INET, SOCK_STREAM, 0), r;
	setsockopt(n, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));
	r = bind(n, (const struct sockaddr *)a, sizeof(*a)) ? errno : 0;
	close(n);
	return r;
}

CASE(inet_time_wait_keeps_the_first_closer_s_port)
{
	int c, s, l;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	OK(tcp_conn(&c, &s, &l));
	OK(getsockname(c, (struct sockaddr *)&a, &len));
	close(c); /* its FIN first: TIME_WAIT */
	usleep(10000);
	close(s);
	usleep(10000);
	EXPECT_EQ(rebind(&a, 0), EADDRINUSE);
	EXPECT_EQ(rebind(&a, 1), EADDRINUSE); /* the closed socket had no SO_REUSEADDR */
	close(l);
}

CASE(inet_time_wait_yields_to_reuseaddr_on_both)
{
	int one = 1, c, s, l, port;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	c = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	a = v4("127.0.0.1", port);
	OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = OK(accept(l, NULL, NULL));
	OK(getsockname(c, (struct sockaddr *)&a, &len));
	close(c);
	usleep(10000);
	close(s);
	usleep(10000);
	EXPECT_EQ(rebind(&a, 0), EADDRINUSE);
	EXPECT_EQ(rebind(&a, 1), 0);
	close(l);
}

CASE(inet_time_wait_second_closer_is_free)
{
	int c, s, l;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	OK(tcp_conn(&c, &s, &l));
	OK(getsockname(c, (struct sockaddr *)&a, &len));
	OK(shutdown(s, SHUT_WR)); /* the server's FIN first */
	usleep(10000);
	close(c);
	usleep(10000);
	close(s);
	usleep(10000);
	EXPECT_EQ(rebind(&a, 0), 0);
	close(l);
}

CASE(inet_server_restart_needs_reuseaddr)
{
	int one = 1, port, c, s;
	int l = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = v4("127.0.0.1", 0);
	socklen_t len = sizeof(a);
	OK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	OK(bind(l, (struct sockaddr *)&a, sizeof(a)));
	OK(listen(l, 4));
	OK(getsockname(l, (struct sockaddr *)&a, &len));
	port = ntohs(a.sin_port);
	c = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = OK(accept(l, NULL, NULL));
	close(s); /* the server closes first: its end waits on the listener's port */
	usleep(10000);
	close(c);
	usleep(10000);
	close(l);
	a = v4("127.0.0.1", port);
	EXPECT_EQ(rebind(&a, 0), EADDRINUSE);
	EXPECT_EQ(rebind(&a, 1), 0); /* the accepted end took the listener's SO_REUSEADDR */
}

CASE(inet_accepted_takes_listener_options)
{
	int one = 1, v, port, c, s;
	socklen_t len = sizeof(v);
	int l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	OK(setsockopt(l, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	OK(setsockopt(l, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	c = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = v4("127.0.0.1", port);
	OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = OK(accept(l, NULL, NULL));
	OK(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len));
	EXPECT_EQ(v, 1);
	OK(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	EXPECT_EQ(v, 1);
	OK(getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, &len));
	EXPECT_EQ(v, 0);
	close(c);
	close(s);
	close(l);
}

/* The line of /proc/net/tcp (or tcp6) whose local port is port and state st, or "". */
static void proc_tcp_line(const char *table, int port, const char *st, char *out, size_t size)
{
	char line[512], key[32];
	FILE *f = fopen(table, "r");
	snprintf(key, sizeof(key), ":%04X ", port);
	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');
		if (p && !strncmp(strchr(p + 1, ':'), key, strlen(key)) && strstr(line, st)) {
			snprintf(out, size, "%s", line);
			break;
		}
	}
	if (f)
		fclose(f);
}

CASE(inet_proc_net_tcp_lists_sockets)
{
	int port;
	char line[512], want[64];
	struct stat st;
	int l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	OK(fstat(l, &st));
	proc_tcp_line("/proc/net/tcp", port, " 0A ", line, sizeof(line));
	EXPECT_TRUE(strstr(line, "0100007F:") != NULL);
	snprintf(want, sizeof(want), " %lu ", (unsigned long)st.st_ino);
	EXPECT_TRUE(strstr(line, want) != NULL);
	EXPECT_EQ(strlen(line), 150); /* padded to Linux's width, with its newline */
	int six = OK(tcp_listener(AF_INET6, "::1", &port));
	proc_tcp_line("/proc/net/tcp6", port, " 0A ", line, sizeof(line));
	EXPECT_TRUE(strstr(line, "00000000000000000000000001000000:") != NULL);
	close(six);
	close(l);
}

CASE(inet_proc_net_tcp_shows_time_wait)
{
	int c, s, l;
	char line[512];
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	OK(tcp_conn(&c, &s, &l));
	OK(getsockname(c, (struct sockaddr *)&a, &len));
	close(c);
	usleep(10000);
	close(s);
	usleep(10000);
	proc_tcp_line("/proc/net/tcp", ntohs(a.sin_port), " 06 ", line, sizeof(line));
	EXPECT_TRUE(strstr(line, " 06 00000000:00000000 03:0000") != NULL);
	EXPECT_TRUE(strstr(line, " 00000000     0        0 0 3 ") != NULL); /* no owner, no inode */
	EXPECT_EQ(strlen(line), 150);
	close(l);
}

CASE(inet_tcp_info_states)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	int c, s, l, port;
	int u = OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(getsockopt(u, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(len, sizeof(ti));
	EXPECT_EQ(ti.tcpi_state, 7); /* TCP_CLOSE */
	EXPECT_EQ(ti.tcpi_snd_cwnd, 10);
	l = OK(tcp_listener(AF_INET, "127.0.0.1", &port));
	OK(getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(ti.tcpi_state, 10); /* TCP_LISTEN */
	close(l);
	OK(tcp_conn(&c, &s, &l));
	OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(ti.tcpi_state, 1); /* TCP_ESTABLISHED */
	EXPECT_EQ(ti.tcpi_options, 7); /* timestamps, SACK, window scaling */
	EXPECT_EQ(ti.tcpi_pmtu, 65535);
	close(s);
	usleep(10000);
	OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(ti.tcpi_state, 8); /* TCP_CLOSE_WAIT */
	len = 8;
	OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(len, 8);
	int d = OK(socket(AF_INET, SOCK_DGRAM, 0));
	len = sizeof(ti);
	EXPECT_ERRNO(getsockopt(d, IPPROTO_TCP, TCP_INFO, &ti, &len), EOPNOTSUPP);
	close(d);
	close(c);
	close(l);
	close(u);
}

/* TCP takes no control messages (SCM_RIGHTS is dropped) and names no sender on receive. */
CASE(inet_tcp_ignores_scm_rights_and_names_no_sender)
{
	int c, s, l;
	OK(tcp_conn(&c, &s, &l));
	int pass = OK(open("/dev/null", O_RDONLY));
	char byte = 'x', got = 0;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl = {0};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			   .msg_controllen = sizeof(ctl.buf)};
	ctl.h.cmsg_level = SOL_SOCKET;
	ctl.h.cmsg_type = SCM_RIGHTS;
	ctl.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&ctl.h), &pass, sizeof(int));
	EXPECT_EQ(sendmsg(c, &m, 0), 1);
	struct sockaddr_storage from;
	memset(&ctl, 0, sizeof(ctl));
	iov.iov_base = &got;
	m = (struct msghdr){.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf)};
	EXPECT_EQ(recvmsg(s, &m, 0), 1);
	EXPECT_EQ(got, 'x');
	EXPECT_EQ(m.msg_namelen, 0);
	EXPECT_EQ(m.msg_controllen, 0);
	socklen_t alen = sizeof(from);
	EXPECT_EQ(write(c, "y", 1), 1);
	EXPECT_EQ(recvfrom(s, &got, 1, 0, (struct sockaddr *)&from, &alen), 1);
	EXPECT_EQ(alen, 0);
	close(pass);
	close(c);
	close(s);
	close(l);
}
