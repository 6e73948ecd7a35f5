/*
 * AF_INET and AF_INET6 on uos's own loopback (--net=none): TCP and UDP
 * sockets that reach each other through interface lo (127.0.0.0/8, ::1,
 * IPv4-mapped IPv6 addresses), never the host's network.
 *
 * The sockets are AF_UNIX's (unix.c): a TCP connection is a stream pair
 * made by connect and queued on the listener until accept (unix_conn.c),
 * a UDP datagram is queued on the socket bound to its port.  What differs
 * is here: names (addresses and ports, kept as IPv6 with IPv4 mapped),
 * binding with Linux's conflicts (SO_REUSEADDR, SO_REUSEPORT, IPV6_V6ONLY),
 * ephemeral ports from ip_local_port_range, other addresses unreachable
 * (ENETUNREACH) or not local (EADDRNOTAVAIL), a UDP datagram nobody is
 * bound for (or that does not fit the receiver) dropped, and the IP and
 * TCP options programs set and read back.
 *
 * TCP's own ends: a close sends a FIN (or a reset, with data unread or
 * SO_LINGER without time), and bytes sent to a closed peer are answered
 * with a reset; shutdown(SHUT_RD) stays local.  Binding, ephemeral ports
 * and TIME_WAIT are the port table's (inet_bind.c); /proc/net's tables are
 * inet_proc.c's.  /proc/net's
 * tables list the sockets with a name (net_proc_inet).
 */
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "creds.h"
#include "inet_impl.h"
#include "vfs.h"

#define UDP_MAX_V4 65507 /* 65535 less the IPv4 and UDP headers */
#define UDP_MAX_V6 65527


/* A name from a guest's address of family fam (the socket's), or -EINVAL / -EAFNOSUPPORT. */
static int get_name(int fam, const void *addr, unsigned int len, struct inet_addr *a)
{
	sa_family_t f;

	if (len < sizeof(f))
		return -EINVAL;
	memcpy(&f, addr, sizeof(f));
	*a = (struct inet_addr){0};
	if (fam == AF_INET) {
		struct sockaddr_in sin;
		if (len < sizeof(sin))
			return -EINVAL;
		memcpy(&sin, addr, sizeof(sin));
		if (f != AF_INET && !(f == AF_UNSPEC && sin.sin_addr.s_addr == htonl(INADDR_ANY)))
			return -EAFNOSUPPORT;
		memcpy(a->ip, inet_v4_prefix, 12);
		memcpy(a->ip + 12, &sin.sin_addr, 4);
		a->port = ntohs(sin.sin_port);
		return 0;
	}
	struct sockaddr_in6 sin6 = {0};
	if (len < 24) /* SIN6_LEN_RFC2133 */
		return -EINVAL;
	memcpy(&sin6, addr, len < sizeof(sin6) ? len : sizeof(sin6));
	if (f != AF_INET6)
		return -EAFNOSUPPORT;
	memcpy(a->ip, &sin6.sin6_addr, 16);
	a->port = ntohs(sin6.sin6_port);
	return 0;
}

/* A name as the family fam shows it, into addr (room *len); its length in *len. */
static void put_name(int fam, const struct inet_addr *a, void *addr, unsigned int *len)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(a->port)};
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(a->port)};
	const void *src = &sin;
	unsigned int n = sizeof(sin);

	if (fam == AF_INET) {
		memcpy(&sin.sin_addr, a->ip + 12, 4);
	} else {
		memcpy(&sin6.sin6_addr, a->ip, 16);
		src = &sin6;
		n = sizeof(sin6);
	}
	if (addr)
		memcpy(addr, src, *len < n ? *len : n);
	*len = n;
}

/* An address u may bind to: loopback or any (of its family), else EADDRNOTAVAIL. */
static int local_ok(const struct unix_sock *u, const uint8_t *ip)
{
	if (u->sk.family == AF_INET6 && is_v4(ip) && u->v6only)
		return -EADDRNOTAVAIL;
	return is_any(ip) || is_loopback(ip) ? 0 : -EADDRNOTAVAIL;
}

static int inet_bind(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len)
{
	struct unix_sock *u = us_of(sk);
	struct inet_addr a;
	int err = get_name(sk->family, addr, len, &a);

	if (err)
		return err;
	if ((err = local_ok(u, a.ip)))
		return err;
	if (a.port && a.port < 1024 && c && c->cred &&
	    !creds_capable(c->cred, CAP_NET_BIND_SERVICE))
		return -EACCES; /* no CAP_NET_BIND_SERVICE */
	if (u->inet_bound)
		return -EINVAL;
	return a.port ? inet_bind_to(u, &a) : inet_autobind(u, a.ip, false);
}

/* Where u sends to: a loopback destination (any is 127.0.0.1 or ::1), else ENETUNREACH. */
static int dest_of(const struct unix_sock *u, const void *addr, unsigned int len,
		   struct inet_addr *d)
{
	int err = get_name(u->sk.family, addr, len, d);

	if (err)
		return err;
	if (is_any(d->ip)) {
		d->ip[15] = 1;
		if (is_v4(d->ip))
			d->ip[12] = 127;
	}
	if (!is_loopback(d->ip) || (u->v6only && is_v4(d->ip)))
		return -ENETUNREACH;
	return 0;
}

/* The source of what u sends to d: its bound name, else an ephemeral port on loopback. */
static int source_for(struct unix_sock *u, const struct inet_addr *d)
{
	uint8_t src[16];

	if (u->inet_bound)
		return 0;
	memcpy(src, d->ip, 16);
	if (is_v4(src))
		src[13] = src[14] = 0, src[15] = 1; /* 127.0.0.1 */
	return inet_autobind(u, src, true);
}

/* A connection's server end takes its listener's options, as sk_clone_lock copies them. */
static void inherit(struct unix_sock *e, const struct unix_sock *o)
{
	e->sk.flags = o->sk.flags;
	e->sk.linger = o->sk.linger;
	e->sk.linger_secs = o->sk.linger_secs;
	e->sk.sndbuf = o->sk.sndbuf;
	e->sk.rcvbuf = o->sk.rcvbuf;
	e->sk.rcvtimeo = o->sk.rcvtimeo;
	e->sk.sndtimeo = o->sk.sndtimeo;
	e->v6only = o->v6only;
	memcpy(e->inet_opts, o->inet_opts, sizeof(e->inet_opts));
}

static int inet_connect(struct sock *sk, struct vfs_caller *c, const void *addr,
			unsigned int len, const struct net_cred *cr)
{
	struct unix_sock *u = us_of(sk), *o, *e;
	struct inet_addr d;
	sa_family_t f = AF_UNSPEC;
	int err;

	if (len >= sizeof(f))
		memcpy(&f, addr, sizeof(f));
	if (f == AF_UNSPEC && sk->type == SOCK_DGRAM) {
		u->has_remote = false; /* dissolve the association */
		return 0;
	}
	if (sk->type == SOCK_STREAM && u->connected)
		return -EISCONN;
	err = dest_of(u, addr, len, &d);
	if (!err)
		err = source_for(u, &d);
	if (err)
		return err;
	if (sk->type == SOCK_DGRAM) {
		u->remote = d;
		u->has_remote = true;
		return 0;
	}
	o = d.port ? inet_find_bound(sk->net, SOCK_STREAM, d.ip, d.port, true) : NULL;
	if (!o)
		return -ECONNREFUSED;
	err = unix_connect_to(u, o, cr);
	if (err)
		return err;
	u->remote = d;
	u->has_remote = true;
	e = u->peer; /* the server's end: named by the address connected to */
	inherit(e, o);
	e->local = d;
	e->remote = u->local;
	e->has_remote = true;
	return 0;
}

static int inet_listen(struct sock *sk, int backlog, const struct net_cred *cr)
{
	struct unix_sock *u = us_of(sk);
	uint8_t any[16] = {0};
	int err;

	if (sk->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (u->connected)
		return -EINVAL;
	if (!u->inet_bound) {
		if (sk->family == AF_INET)
			memcpy(any, inet_v4_prefix, 12);
		if ((err = inet_autobind(u, any, false)))
			return err;
	}
	return unix_listen(sk, backlog, cr);
}

/* UDP: a datagram to its port's socket, or dropped (nobody bound, or no room there). */
static long udp_send(struct unix_sock *u, struct net_msg *m)
{
	struct inet_addr d;
	struct unix_sock *o;
	size_t max = u->sk.family == AF_INET ? UDP_MAX_V4 : UDP_MAX_V6;
	long err;

	if (m->addrlen) {
		err = dest_of(u, m->addr, m->addrlen, &d);
		if (err)
			return err;
	} else if (u->has_remote) {
		d = u->remote;
	} else {
		return -EDESTADDRREQ;
	}
	if (m->len > max)
		return -EMSGSIZE;
	if (u->sk.shutdown & NET_SEND_SHUTDOWN)
		return -EPIPE;
	if ((err = source_for(u, &d)))
		return err;
	o = inet_find_bound(u->sk.net, SOCK_DGRAM, d.ip, d.port, false);
	if (o && o->has_remote && memcmp(&o->remote, &u->local, sizeof(u->local)))
		o = NULL; /* connected to another: it takes nothing from us */
	err = o ? unix_dgram_to(u, o, m) : (long)m->len;
	return err == -EAGAIN ? (long)m->len : err; /* a full receiver drops it */
}

/*
 * TCP's send: a pending error or a closed sending side first (EPIPE), as
 * tcp_sendmsg's sk_stream_error.  Bytes for a peer that closed are taken:
 * its stack answers them with a reset, which the next call reports
 * (tcp_reset in CLOSE_WAIT: EPIPE).
 */
static long tcp_send(struct unix_sock *u, struct net_msg *m)
{
	struct sock *sk = &u->sk;

	if (sk->err || (sk->shutdown & NET_SEND_SHUTDOWN) || !u->peer) {
		int err = sock_take_err(sk);
		return err ? -err : -EPIPE;
	}
	if (u->peer->sk.dead) {
		sk->err = EPIPE;
		sk->shutdown = NET_SHUTDOWN_MASK;
		sock_wake(sk);
		return (long)m->len;
	}
	m->addrlen = 0; /* a connected TCP socket ignores the address */
	m->nfds = 0;	/* and control messages: no SCM_RIGHTS or SCM_CREDENTIALS on TCP */
	m->cred_given = false;
	return unix_send(sk, m);
}

static long inet_send(struct sock *sk, struct net_msg *m)
{
	return sk->type == SOCK_DGRAM ? udp_send(us_of(sk), m) : tcp_send(us_of(sk), m);
}

/* The peer's FIN reached p: it reads to the end, and may still send. */
static void fin_to(struct unix_sock *p)
{
	p->sk.shutdown |= NET_RCV_SHUTDOWN;
	p->fin = true;
	sock_wake(&p->sk);
}

/* After the peer's FIN a stream ends at 0, before an error a later reset left (SOCK_DONE). */
static long inet_recv(struct sock *sk, struct net_msg *m)
{
	struct unix_sock *u = us_of(sk);

	if (sk->type == SOCK_DGRAM)
		return unix_recv(sk, m);
	m->name = NULL; /* TCP names no sender */
	m->namelen = 0;
	if (u->fin && !u->head && !(m->flags & MSG_OOB))
		return 0;
	long r = unix_recv(sk, m);
	m->got_cred = false; /* nor passes credentials */
	return r;
}

/* u's FIN goes to its peer, once; whether it went before the peer's decides TIME_WAIT. */
static void send_fin(struct unix_sock *u)
{
	if (u->fin_sent || !u->peer)
		return;
	u->fin_sent = true;
	u->fin_first = !u->fin;
	fin_to(u->peer);
}

/* TCP's shutdown: SHUT_WR sends a FIN; SHUT_RD is this socket's own business. */
static int inet_shutdown(struct sock *sk, int mode)
{
	if (sk->type != SOCK_STREAM)
		return unix_shutdown(sk, mode);
	sk->shutdown |= (unsigned)mode;
	if (mode & NET_SEND_SHUTDOWN)
		send_fin(us_of(sk));
	sock_wake(sk);
	return 0;
}

/*
 * TCP's close (tcp_close): a reset when data is left unread or SO_LINGER
 * is on with no time, else a FIN; a socket whose FIN went first keeps its
 * name in TIME_WAIT (inet_bind.c).
 */
static void inet_release(struct sock *sk)
{
	struct unix_sock *u = us_of(sk), *p = u->peer;

	if (sk->type != SOCK_STREAM || !p) {
		unix_release(sk);
		return;
	}
	if (u->head || (sk->linger && !sk->linger_secs)) {
		p->sk.err = ECONNRESET;
		p->sk.shutdown = NET_SHUTDOWN_MASK;
		sock_wake(&p->sk);
	} else {
		send_fin(u);
		if (u->fin_first)
			inet_time_wait(u);
	}
	unix_let_go(u);
}

void inet_from_name(const struct unix_sock *to, const struct sock *from, void *addr,
		    unsigned int *len)
{
	const struct unix_sock *u = container_of(from, struct unix_sock, sk);

	if (addr)
		put_name(to->sk.family, &u->local, addr, len);
}

static int inet_name(struct sock *sk, bool peer, void *addr, unsigned int *len)
{
	struct unix_sock *u = us_of(sk);

	if (peer && !(u->has_remote && (sk->type == SOCK_DGRAM || u->peer)))
		return -ENOTCONN;
	put_name(sk->family, peer ? &u->remote : &u->local, addr, len);
	return 0;
}

static size_t inet_max_msg(struct sock *sk)
{
	if (sk->type != SOCK_DGRAM)
		return 0;
	return sk->family == AF_INET ? UDP_MAX_V4 : UDP_MAX_V6;
}

/* The IP, IPv6 and TCP options kept and read back, with Linux's defaults on lo. */
static const struct inet_opt {
	int level, name, dflt;
} inet_opts[INET_NOPTS] = {
	{IPPROTO_TCP, TCP_NODELAY, 0},	  {IPPROTO_TCP, TCP_MAXSEG, 536},
	{IPPROTO_TCP, TCP_KEEPIDLE, 7200}, {IPPROTO_TCP, TCP_KEEPINTVL, 75},
	{IPPROTO_TCP, TCP_KEEPCNT, 9},	  {IPPROTO_TCP, TCP_QUICKACK, 1},
	{IPPROTO_TCP, TCP_USER_TIMEOUT, 0}, {IPPROTO_TCP, TCP_DEFER_ACCEPT, 0},
	{IPPROTO_TCP, TCP_SYNCNT, 6},	  {IPPROTO_TCP, TCP_LINGER2, 60},
	{IPPROTO_TCP, TCP_FASTOPEN, 0},	  {IPPROTO_TCP, TCP_NOTSENT_LOWAT, 0},
	{IPPROTO_IP, IP_TOS, 0},	  {IPPROTO_IP, IP_TTL, 64},
	{IPPROTO_IP, IP_RECVERR, 0},	  {IPPROTO_IP, IP_PKTINFO, 0},
	{IPPROTO_IP, IP_FREEBIND, 0},	  {IPPROTO_IP, IP_MTU_DISCOVER, 1},
	{IPPROTO_IPV6, IPV6_V6ONLY, 0},	  {IPPROTO_IPV6, IPV6_UNICAST_HOPS, 64},
	{IPPROTO_IPV6, IPV6_RECVERR, 0},  {IPPROTO_IPV6, IPV6_TCLASS, 0},
	{IPPROTO_IPV6, IPV6_RECVPKTINFO, 0}, {IPPROTO_IPV6, IPV6_MTU_DISCOVER, 1},
};

/* The option's slot: -EOPNOTSUPP for IPv6's on an IPv4 socket, else -ENOPROTOOPT when unknown. */
static int opt_slot(const struct sock *sk, int level, int name)
{
	if (level == IPPROTO_IPV6 && sk->family != AF_INET6)
		return -EOPNOTSUPP;
	if (level == IPPROTO_TCP && sk->type != SOCK_STREAM)
		return -ENOPROTOOPT;
	for (int i = 0; i < INET_NOPTS; i++)
		if (inet_opts[i].level == level && inet_opts[i].name == name)
			return i;
	return -ENOPROTOOPT;
}

/*
 * TCP_INFO: the state, and what Linux shows for a loopback connection with
 * nothing in flight (its MSS, windows and timers); the counters are zeros.
 * Linux 6.1's struct is 232 bytes, of which glibc's struct names 104.
 */
#define TCP_INFO_LEN 232
static int tcp_info(const struct unix_sock *u, void *val, unsigned int *len)
{
	unsigned char buf[TCP_INFO_LEN] = {0};
	struct tcp_info ti = {.tcpi_state = TCP_CLOSE, .tcpi_rto = 1000000, .tcpi_snd_mss = 536,
			      .tcpi_snd_cwnd = 10, .tcpi_reordering = 3,
			      .tcpi_snd_ssthresh = 0x7fffffff};

	if (u->sk.listening) {
		ti = (struct tcp_info){.tcpi_state = TCP_LISTEN, .tcpi_snd_cwnd = 10,
				       .tcpi_reordering = 3};
	} else if (u->connected) {
		ti.tcpi_state = u->peer && !u->fin ? TCP_ESTABLISHED
			      : u->fin_sent	   ? TCP_CLOSE
						   : TCP_CLOSE_WAIT;
		ti.tcpi_options = TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE;
		ti.tcpi_snd_wscale = ti.tcpi_rcv_wscale = 10;
		ti.tcpi_rto = 200000;
		ti.tcpi_snd_mss = 32768;
		ti.tcpi_rcv_mss = 536;
		ti.tcpi_advmss = 65483;
		ti.tcpi_pmtu = 65535;
		ti.tcpi_rcv_ssthresh = ti.tcpi_rcv_space = 65483;
	}
	memcpy(buf, &ti, sizeof(ti));
	if ((int)*len < 0)
		return -EINVAL;
	if (*len > sizeof(buf))
		*len = sizeof(buf);
	memcpy(val, buf, *len);
	return 0;
}

static int inet_getsockopt(struct sock *sk, int level, int name, void *val, unsigned int *len)
{
	struct unix_sock *u = us_of(sk);
	int i, v;

	if (level == IPPROTO_TCP && name == TCP_INFO && sk->type == SOCK_STREAM)
		return tcp_info(u, val, len);
	if (level == IPPROTO_TCP && sk->type != SOCK_STREAM && sk->family == AF_INET)
		return -EOPNOTSUPP; /* UDP's get of another level: ip_getsockopt's answer */
	if ((i = opt_slot(sk, level, name)) < 0)
		return i;
	if ((int)*len < 0)
		return -EINVAL;
	v = name == IPV6_V6ONLY && level == IPPROTO_IPV6 ? u->v6only : u->inet_opts[i];
	if (*len > sizeof(v))
		*len = sizeof(v);
	memcpy(val, &v, *len);
	return 0;
}

static int inet_setsockopt(struct sock *sk, int level, int name, const void *val, unsigned int len)
{
	struct unix_sock *u = us_of(sk);
	int i = opt_slot(sk, level, name), v;

	if (i < 0)
		return i;
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) {
		if (u->inet_bound)
			return -EINVAL; /* only before bind */
		u->v6only = v;
		return 0;
	}
	u->inet_opts[i] = v;
	return 0;
}

const struct sock_ops inet_ops = {
	.send = inet_send,
	.recv = inet_recv,
	.poll = unix_poll,
	.shutdown = inet_shutdown,
	.release = inet_release,
	.destroy = unix_destroy,
	.queued = unix_queued,
	.purge = unix_purge,
	.inq = unix_inq,
	.outq = unix_outq,
	.name = inet_name,
	.max_msg = inet_max_msg,
	.bind = inet_bind,
	.connect = inet_connect,
	.listen = inet_listen,
	.accept = unix_accept,
	.getsockopt = inet_getsockopt,
	.setsockopt = inet_setsockopt,
};

int inet_create(struct net *n, int family, int type, int protocol, struct sock **out)
{
	int proto = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	struct unix_sock *u;

	if (type == SOCK_RAW || type == SOCK_PACKET)
		return -EPERM; /* no CAP_NET_RAW in uos's network */
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return protocol ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;
	if (protocol && protocol != proto)
		return -EPROTONOSUPPORT;
	u = unix_alloc(n, &inet_ops, family, type, proto);
	if (!u)
		return -ENOMEM;
	for (int i = 0; i < INET_NOPTS; i++)
		u->inet_opts[i] = inet_opts[i].dflt;
	*out = &u->sk;
	return 0;
}
