/*
 * The socket and readiness calls tests/system/trace_strace.sh compares between `strace -f` and
 * `uos --trace`: an AF_UNIX server and client (bind, listen, accept4, getsockname,
 * getpeername, sendmsg with SCM_RIGHTS, recvmsg, sendmmsg, recvmmsg, sendto/recvfrom with flags,
 * socket options, shutdown), TCP and UDP on the loopback, select, pselect6, ppoll, epoll_pwait,
 * pread64 and pwrite64, kill and tgkill, a handler's rt_sigreturn.  One process: every connect
 * finds its listener's backlog, so nothing waits.  Its socket is argv[1]/sock.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

/* A datagram with the sender's credentials (SO_PASSCRED): SCM_CREDENTIALS. */
static void pass_creds(void)
{
	int sv[2], one = 1;
	char buf[8], ctl[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec io = {buf, sizeof(buf)};
	struct msghdr m = {
	    .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	write(sv[1], "c", 1);
	recvmsg(sv[0], &m, 0);
	close(sv[0]);
	close(sv[1]);
}

/* Two messages in one sendmmsg, read back by one recvmmsg: one message of both on a stream. */
static void send_two(int c, int s)
{
	char buf[2][8];
	struct iovec in[2] = {{buf[0], 8}, {buf[1], 8}};
	struct mmsghdr got[2] = {{.msg_hdr = {.msg_iov = &in[0], .msg_iovlen = 1}},
				 {.msg_hdr = {.msg_iov = &in[1], .msg_iovlen = 1}}};
	struct iovec io[2] = {{(char *)"one", 3}, {(char *)"two", 3}};
	struct mmsghdr mm[2] = {{.msg_hdr = {.msg_iov = &io[0], .msg_iovlen = 1}},
				{.msg_hdr = {.msg_iov = &io[1], .msg_iovlen = 1}}};

	sendmmsg(c, mm, 2, MSG_NOSIGNAL);
	recvmmsg(s, got, 2, MSG_DONTWAIT, NULL);
}

/* Pass fd over c with SCM_RIGHTS, and take it from s. */
static void pass_fd(int c, int s, int fd)
{
	char data[] = "fd", in[8];
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl = {0};
	struct iovec io = {data, 2};
	struct msghdr m = {.msg_iov = &io,
			   .msg_iovlen = 1,
			   .msg_control = ctl.buf,
			   .msg_controllen = sizeof(ctl.buf)};
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	sendmsg(c, &m, MSG_NOSIGNAL);
	io = (struct iovec){in, sizeof(in)};
	memset(&ctl, 0, sizeof(ctl));
	recvmsg(s, &m, MSG_CMSG_CLOEXEC);
	memcpy(&fd, CMSG_DATA(h), sizeof(int));
	close(fd);
	/* a message without control data, and a failed one */
	m.msg_control = NULL;
	m.msg_controllen = 0;
	io = (struct iovec){data, 2};
	sendmsg(c, &m, 0);
	io = (struct iovec){in, sizeof(in)};
	recvmsg(s, &m, MSG_DONTWAIT);
	recvmsg(s, &m, MSG_DONTWAIT);
	send_two(c, s);
}

/* Readiness of s (data waiting) and c (nothing to read) by select, pselect6, ppoll, epoll. */
static void readiness(int s, int c)
{
	fd_set in, out;
	struct timeval tv = {0, 0}; /* no waiting: the time left is 0 both ways */
	struct timespec ts = {0, 0};
	struct pollfd pf[2] = {{.fd = s, .events = POLLIN}, {.fd = c, .events = POLLIN | POLLOUT}};
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = c}, got[4];
	sigset_t mask;
	int ep;

	FD_ZERO(&in);
	FD_ZERO(&out);
	FD_SET(s, &in);
	FD_SET(c, &in);
	FD_SET(c, &out);
	/* glibc's select is pselect6: the select syscall itself, then the wrapper */
	syscall(SYS_select, c > s ? c + 1 : s + 1, &in, &out, NULL, &tv);
	FD_ZERO(&in);
	FD_SET(c, &in);
	select(c + 1, &in, NULL, NULL, &tv);
	syscall(SYS_select, 0, NULL, NULL, NULL, (void *)1); /* EFAULT */
	FD_ZERO(&in);
	FD_SET(s, &in);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	pselect(s + 1, &in, NULL, NULL, &ts, &mask);
	ppoll(pf, 2, &ts, &mask);
	ppoll(pf + 1, 1, NULL, NULL);
	pf[1].events = 0;
	ppoll(pf + 1, 1, &ts, NULL); /* nothing ready: (Timeout) */
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
	epoll_pwait(ep, got, 4, 0, &mask);
	close(ep);
}

static void options(int s)
{
	int one = 1, v = 0;
	socklen_t len = sizeof(v);
	struct linger lg = {1, 0};

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len);
	len = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len); /* not SO_RCVBUF: the host's default */
	len = sizeof(lg);
	getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len);
	getsockopt(s, SOL_TCP, TCP_NODELAY, &v, &len);
	setsockopt(s, SOL_SOCKET, 12345, &one, sizeof(one));
}

static void unix_socket(const char *dir)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX}, b;
	socklen_t len;
	char buf[16];
	int l, c, s;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", dir);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a,
	     offsetof(struct sockaddr_un, sun_path) + strlen(a.sun_path) + 1);
	listen(l, 4);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	len = sizeof(b);
	s = accept4(l, (struct sockaddr *)&b, &len, SOCK_CLOEXEC);
	len = sizeof(b);
	getsockname(s, (struct sockaddr *)&b, &len);
	len = sizeof(b);
	getpeername(c, (struct sockaddr *)&b, &len);
	getpeername(l, (struct sockaddr *)&b, &len);
	getpeername(l, NULL, &len);
	pass_fd(c, s, l);
	sendto(c, "to", 2, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0);
	readiness(s, c);
	recvfrom(s, buf, sizeof(buf), MSG_PEEK, NULL, NULL);
	recvfrom(s, buf, sizeof(buf), 0, NULL, NULL);
	recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL);
	options(c);
	shutdown(c, SHUT_WR);
	shutdown(s, SHUT_RDWR);
	close(s);
	close(c);
	close(l);
	unlink(a.sun_path);
}

/* A datagram with its sender's name: msg_namelen goes from 128 to 16. */
static void recv_named(int u)
{
	struct sockaddr_storage from;
	char buf[8];
	struct iovec io = {buf, sizeof(buf)};
	struct msghdr m = {
	    .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &io, .msg_iovlen = 1};

	recvmsg(u, &m, 0);
}

/* TCP and UDP on 127.0.0.1, with ports the kernel picks. */
static void inet_sockets(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_in b;
	socklen_t len = sizeof(a);
	char buf[8];
	int l, c, s, u, one = 1;

	l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	getsockname(l, (struct sockaddr *)&a, &len);
	listen(l, 1);
	c = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	connect(c, (struct sockaddr *)&a, sizeof(a));
	len = 64;
	s = accept(l, (struct sockaddr *)&b, &len);
	send(c, "tcp", 3, 0);
	recv(s, buf, sizeof(buf), 0);
	close(s);
	close(c);
	close(l);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = 0;
	bind(u, (struct sockaddr *)&a, sizeof(a));
	len = sizeof(a);
	getsockname(u, (struct sockaddr *)&a, &len);
	sendto(u, "udp", 3, 0, (struct sockaddr *)&a, sizeof(a));
	len = sizeof(b);
	recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&b, &len);
	sendto(u, "name", 4, 0, (struct sockaddr *)&a, sizeof(a));
	recv_named(u);
	close(u);
}

static void on_usr2(int sig)
{
	(void)sig;
}

static void files_and_signals(const char *dir)
{
	char path[256], buf[8];
	int fd;

	snprintf(path, sizeof(path), "%s/p", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	pwrite(fd, "offset", 6, 100);
	pread(fd, buf, sizeof(buf), 102);
	close(fd);
	unlink(path);
	signal(SIGUSR2, on_usr2);
	kill(getpid(), SIGUSR2); /* the handler returns: rt_sigreturn({mask=[]}) = 0 */
	signal(SIGUSR2, SIG_IGN);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
	kill(getpid(), 0);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	unix_socket(argv[1]);
	pass_creds();
	inet_sockets();
	files_and_signals(argv[1]);
	write(1, "done\n", 5);
	return 0;
}
