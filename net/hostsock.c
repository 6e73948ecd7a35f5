/*
 * TCP and UDP over the host's network (--net=host): each guest socket is
 * a host socket that uos made in its own process (non-blocking,
 * close-on-exec) and serves call by call.  The host fd never enters a
 * guest: the guest holds a uos socket file whose calls land here.
 *
 * uos does the waiting: every host call is non-blocking, a call that
 * would block gives -EAGAIN and its caller parks on the host fd (pollfd),
 * which the event loop polls.  A blocking connect is a host non-blocking
 * connect whose EINPROGRESS (then EALREADY) socket.c turns into a wait
 * for POLLOUT; the connect served again reports the outcome, as Linux's.
 *
 * What a guest may ask of the host is allow-listed: the MSG_* flags that
 * reach the host, the options (those needing CAP_NET_ADMIN, the device and
 * the mark: EPERM, whatever uos's own privileges), ports below 1024 only
 * with the guest's CAP_NET_BIND_SERVICE.  The host sockets all guests
 * hold are bounded (ENFILE beyond).
 *
 * Not like Linux: a close with SO_LINGER's time does not wait; a stream's
 * MSG_TRUNC reads the bytes it would discard; SO_SNDTIMEO does not bound
 * a blocking connect; options with pointers or control messages are not
 * known (ENOPROTOOPT); /proc/net/tcp lists only uos's loopback.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "creds.h"
#include "net_impl.h"
#include "vfs.h"

#define HOST_SOCK_MAX 4096   /* the host sockets all guests may hold together */
#define HOST_FD_RESERVE 256  /* host fds left to uos itself under its RLIMIT_NOFILE */
#define UDP_MAX_V4 65507
#define UDP_MAX_V6 65527
#define PORT_PRIVILEGED 1024 /* net.ipv4.ip_unprivileged_port_start */

/*
 * The flags a guest's send and receive may hand the host (MSG_DONTWAIT:
 * always set; MSG_WAITALL and MSG_NOSIGNAL are the handler's).  A stream's
 * MSG_TRUNC (discard without copying) is a plain receive here: the host
 * would leave uos's buffer unwritten, and the handler copies it out.
 */
#define SEND_FLAGS (MSG_OOB | MSG_DONTROUTE | MSG_MORE | MSG_EOR | MSG_CONFIRM | MSG_FASTOPEN)
#define RECV_FLAGS (MSG_OOB | MSG_PEEK)

struct host_sock {
	struct sock sk;
	int fd; /* uos's host socket, -1 once released */
};

static const struct sock_ops host_ops;

static struct host_sock *hs_of(struct sock *sk)
{
	return container_of(sk, struct host_sock, sk);
}

static int fd_of(struct sock *sk)
{
	return hs_of(sk)->fd;
}

/* A host call's result as uos gives it: the count, or -errno. */
static long host_ret(long r)
{
	return r < 0 ? -errno : r;
}

/* The bound on host sockets: HOST_SOCK_MAX, within uos's own RLIMIT_NOFILE. */
static int host_max(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= HOST_SOCK_MAX + HOST_FD_RESERVE)
		return HOST_SOCK_MAX;
	return rl.rlim_cur > 2 * HOST_FD_RESERVE ? (int)rl.rlim_cur - HOST_FD_RESERVE
						 : (int)rl.rlim_cur / 2;
}

/* A sock for host socket fd (owned), or NULL (fd closed) when out of memory. */
static struct sock *wrap(struct net *n, int fd, int family, int type, int protocol)
{
	struct host_sock *hs = malloc(sizeof(*hs));

	if (!hs) {
		close(fd);
		return NULL;
	}
	sock_init(&hs->sk, n, &host_ops, family, type, protocol);
	hs->fd = fd;
	n->host_socks++;
	return &hs->sk;
}

/* Room for one more host socket, else ENFILE (the system-wide table is full, as uos sees it). */
static int take_slot(struct net *n)
{
	if (!n->host_max)
		n->host_max = host_max();
	return n->host_socks < n->host_max ? 0 : -ENFILE;
}

/* The host's error for a socket it would not make: uos out of fds is the guest's ENFILE. */
static int create_err(void)
{
	return errno == EMFILE ? -ENFILE : -errno;
}

int hostsock_create(struct net *n, int family, int type, int protocol, struct sock **out)
{
	int proto = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	int fd, err;

	if (protocol && protocol != proto)
		return -EPROTONOSUPPORT;
	err = take_slot(n);
	if (err)
		return err;
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return create_err();
	*out = wrap(n, fd, family, type, proto);
	return *out ? 0 : -ENOMEM;
}

static long hs_send(struct sock *sk, struct net_msg *m)
{
	struct iovec iov = {.iov_base = m->buf, .iov_len = m->len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (m->nfds) /* ancillary files are AF_UNIX's (__sock_cmsg_send) */
		return -EINVAL;
	if (m->addrlen) {
		mh.msg_name = (void *)m->addr;
		mh.msg_namelen = m->addrlen;
	}
	return host_ret(sendmsg(fd_of(sk), &mh,
				(m->flags & SEND_FLAGS) | MSG_DONTWAIT | MSG_NOSIGNAL));
}

static long hs_recv(struct sock *sk, struct net_msg *m)
{
	struct sockaddr_storage ss;
	struct iovec iov = {.iov_base = m->buf, .iov_len = m->len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_name = &ss,
			    .msg_namelen = sizeof(ss)};
	int flags = (m->flags & RECV_FLAGS) | MSG_DONTWAIT;
	long r;

	if (m->flags & MSG_ERRQUEUE)
		return -EAGAIN; /* no IP_RECVERR: the error queue stays empty */
	if (sk->type == SOCK_DGRAM)
		flags |= m->flags & MSG_TRUNC;
	r = host_ret(recvmsg(fd_of(sk), &mh, flags));
	if (r < 0)
		return r;
	m->out_flags |= mh.msg_flags & MSG_TRUNC;
	if (m->name) {
		unsigned int n = sk->type == SOCK_DGRAM ? mh.msg_namelen : 0;
		memcpy(m->name, &ss, n < m->namelen ? n : m->namelen);
		m->namelen = n;
	}
	return r;
}

static short hs_poll(struct sock *sk)
{
	struct pollfd p = {.fd = fd_of(sk), .events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP};

	return poll(&p, 1, 0) > 0 ? p.revents : 0;
}

static int hs_pollfd(struct sock *sk)
{
	return fd_of(sk);
}

static int hs_shutdown(struct sock *sk, int mode)
{
	return (int)host_ret(shutdown(fd_of(sk), mode - 1)); /* NET_*_SHUTDOWN back to SHUT_* */
}

/*
 * A host TCP close with SO_LINGER on and a time waits that long for the
 * bytes to go, non-blocking or not (inet_release): uos must not.  The
 * linger is dropped, and the host sends what is left after the close, as
 * without it.  SO_LINGER 0 (a reset) stays.
 */
static void no_lingering(int fd)
{
	struct linger lg;
	socklen_t len = sizeof(lg);

	if (!getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len) && lg.l_onoff && lg.l_linger) {
		lg = (struct linger){0};
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
}

/* The file is closed: so is the host socket, and its slot is free. */
static void hs_release(struct sock *sk)
{
	struct host_sock *hs = hs_of(sk);

	if (hs->fd < 0)
		return;
	no_lingering(hs->fd);
	close(hs->fd);
	hs->fd = -1;
	sk->net->host_socks--;
}

static void hs_destroy(struct sock *sk)
{
	hs_release(sk); /* an accepted sock whose file was never made */
	free(hs_of(sk));
}

static bool hs_queued(struct sock *sk)
{
	return false; /* nothing of uos waits in a host socket */
}

static void hs_purge(struct sock *sk)
{
}

static size_t queue_len(struct sock *sk, unsigned long cmd)
{
	int n = 0;

	return ioctl(fd_of(sk), cmd, &n) || n < 0 ? 0 : (size_t)n;
}

static size_t hs_inq(struct sock *sk)
{
	return queue_len(sk, FIONREAD);
}

static size_t hs_outq(struct sock *sk)
{
	return queue_len(sk, SIOCOUTQ);
}

static int hs_name(struct sock *sk, bool peer, void *addr, unsigned int *len)
{
	struct sockaddr_storage ss;
	socklen_t n = sizeof(ss);
	int r = peer ? getpeername(fd_of(sk), (struct sockaddr *)&ss, &n)
		     : getsockname(fd_of(sk), (struct sockaddr *)&ss, &n);

	if (r)
		return -errno;
	memcpy(addr, &ss, n < *len ? n : *len);
	*len = n;
	return 0;
}

static size_t hs_max_msg(struct sock *sk)
{
	if (sk->type == SOCK_STREAM)
		return 0;
	return sk->family == AF_INET ? UDP_MAX_V4 : UDP_MAX_V6;
}

/* The port of an INET address (0 when too short to say: the host then judges it). */
static unsigned int port_of(int family, const void *addr, unsigned int len)
{
	in_port_t port = 0;

	if (family == AF_INET && len >= sizeof(struct sockaddr_in))
		memcpy(&port, (const char *)addr + offsetof(struct sockaddr_in, sin_port), 2);
	if (family == AF_INET6 && len >= offsetof(struct sockaddr_in6, sin6_flowinfo))
		memcpy(&port, (const char *)addr + offsetof(struct sockaddr_in6, sin6_port), 2);
	return ntohs(port);
}

/* A privileged port needs the guest's CAP_NET_BIND_SERVICE, whatever uos's own rights. */
static int hs_bind(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len)
{
	unsigned int port = port_of(sk->family, addr, len);

	if (port && port < PORT_PRIVILEGED && c && c->cred &&
	    !creds_capable(c->cred, CAP_NET_BIND_SERVICE))
		return -EACCES;
	return (int)host_ret(bind(fd_of(sk), addr, len));
}

/* -EINPROGRESS and -EALREADY as the host says them: socket.c makes a blocking caller wait. */
static int hs_connect(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len,
		      const struct net_cred *cr)
{
	return (int)host_ret(connect(fd_of(sk), addr, len));
}

static int hs_listen(struct sock *sk, int backlog, const struct net_cred *cr)
{
	int r = (int)host_ret(listen(fd_of(sk), backlog));

	if (!r)
		sk->listening = true;
	return r;
}

static int hs_accept(struct sock *sk, struct sock **out)
{
	int err = take_slot(sk->net), fd;

	if (err)
		return err;
	fd = accept4(fd_of(sk), NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return create_err();
	*out = wrap(sk->net, fd, sk->family, sk->type, sk->protocol);
	return *out ? 0 : -ENOMEM;
}

static int hs_getsockopt(struct sock *sk, int level, int name, void *val, unsigned int *len)
{
	socklen_t n = *len;
	int err = hostsock_opt_check(level, name, false, NULL, 0);

	if (err)
		return err;
	if ((int)*len < 0)
		return -EINVAL;
	if (getsockopt(fd_of(sk), level, name, val, &n))
		return -errno;
	*len = n;
	return 0;
}

static int hs_setsockopt(struct sock *sk, int level, int name, const void *val, unsigned int len)
{
	int err = hostsock_opt_check(level, name, true, val, len);

	if (err)
		return err;
	if (len > NET_OPT_MAX) /* the handler copied in no more, and no option here is longer */
		len = NET_OPT_MAX;
	return (int)host_ret(setsockopt(fd_of(sk), level, name, val, len));
}

static const struct sock_ops host_ops = {
	.send = hs_send,
	.recv = hs_recv,
	.poll = hs_poll,
	.pollfd = hs_pollfd,
	.shutdown = hs_shutdown,
	.release = hs_release,
	.destroy = hs_destroy,
	.queued = hs_queued,
	.purge = hs_purge,
	.inq = hs_inq,
	.outq = hs_outq,
	.name = hs_name,
	.max_msg = hs_max_msg,
	.bind = hs_bind,
	.connect = hs_connect,
	.listen = hs_listen,
	.accept = hs_accept,
	.getsockopt = hs_getsockopt,
	.setsockopt = hs_setsockopt,
	.sol_socket = true,
};
