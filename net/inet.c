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
 * with a reset; shutdown(SHUT_RD) stays local.  Not like Linux yet: there
 * is no TIME_WAIT, so a port is free again at close.  /proc/net's
 * tables list the sockets with a name (net_proc_inet).
 */
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "creds.h"
#include "unix_impl.h"
#include "vfs.h"

#define UDP_MAX_V4 65507 /* 65535 less the IPv4 and UDP headers */
#define UDP_MAX_V6 65527

static const struct sock_ops inet_ops;

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_v4(const uint8_t *ip)
{
	return !memcmp(ip, v4_prefix, sizeof(v4_prefix));
}

static bool is_any(const uint8_t *ip)
{
	static const uint8_t zero[16];
	return !memcmp(ip, zero, 16) || (is_v4(ip) && !memcmp(ip + 12, zero, 4));
}

/* 127.0.0.0/8, or ::1. */
static bool is_loopback(const uint8_t *ip)
{
	static const uint8_t one[16] = {[15] = 1};
	return is_v4(ip) ? ip[12] == 127 : !memcmp(ip, one, 16);
}

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
		memcpy(a->ip, v4_prefix, 12);
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

/* Whether a socket of family fam bound to local gets what is sent to ip. */
static bool covers_ip(int fam, bool v6only, const uint8_t *local, const uint8_t *ip)
{
	if (!memcmp(local, ip, 16))
		return true;
	if (!is_any(local))
		return false;
	if (fam == AF_INET)
		return is_v4(ip);
	return !v6only || !is_v4(ip);
}

static bool covers(const struct unix_sock *u, const uint8_t *ip)
{
	return covers_ip(u->sk.family, u->v6only, u->local.ip, ip);
}

/* The socket of type bound to port that gets what is sent to ip (listening, if want_listen). */
static struct unix_sock *find_bound(struct net *n, int type, const uint8_t *ip, uint16_t port,
				    bool want_listen)
{
	struct unix_sock *best = NULL;

	for (struct unix_sock *u = n->inet_bound; u; u = u->inet_next)
		if (u->sk.type == type && u->local.port == port && covers(u, ip) &&
		    (!want_listen || u->sk.listening) && !u->sk.dead)
			if (!best || is_any(best->local.ip)) /* a specific address wins */
				best = u;
	return best;
}

static bool reuses(const struct sock *sk, int opt)
{
	return sk->flags & (1ULL << opt);
}

/* Would binding u to a (u's type) clash with a socket bound already? */
static bool clashes(struct unix_sock *u, const struct inet_addr *a)
{
	for (struct unix_sock *o = u->sk.net->inet_bound; o; o = o->inet_next) {
		if (o->sk.type != u->sk.type || o->local.port != a->port || o->sk.dead)
			continue;
		if (!covers(o, a->ip) && !covers_ip(u->sk.family, u->v6only, a->ip, o->local.ip))
			continue;
		if (reuses(&u->sk, SO_REUSEPORT) && reuses(&o->sk, SO_REUSEPORT))
			continue;
		if (reuses(&u->sk, SO_REUSEADDR) && reuses(&o->sk, SO_REUSEADDR) &&
		    !o->sk.listening)
			continue;
		return true;
	}
	return false;
}

static void bind_to(struct unix_sock *u, const struct inet_addr *a)
{
	u->local = *a;
	u->inet_bound = true;
	u->inet_next = u->sk.net->inet_bound;
	u->sk.net->inet_bound = u;
}

/* Bind u to ip and a free ephemeral port (as inet_csk_get_port with port 0). */
static int autobind(struct unix_sock *u, const uint8_t *ip)
{
	struct net *n = u->sk.net;
	unsigned int range = NET_PORT_LAST - NET_PORT_FIRST + 1;
	struct inet_addr a;

	memcpy(a.ip, ip, 16);
	for (unsigned int i = 0; i < range; i++) {
		a.port = (uint16_t)(NET_PORT_FIRST + (n->next_port + i) % range);
		if (!clashes(u, &a)) {
			n->next_port = (n->next_port + i + 1) % range;
			bind_to(u, &a);
			return 0;
		}
	}
	return -EADDRINUSE;
}

void inet_unbind(struct unix_sock *u)
{
	for (struct unix_sock **p = &u->sk.net->inet_bound; *p; p = &(*p)->inet_next)
		if (*p == u) {
			*p = u->inet_next;
			break;
		}
	u->inet_bound = false;
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
	if (!a.port)
		return autobind(u, a.ip);
	if (clashes(u, &a))
		return -EADDRINUSE;
	bind_to(u, &a);
	return 0;
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
	return autobind(u, src);
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
	o = d.port ? find_bound(sk->net, SOCK_STREAM, d.ip, d.port, true) : NULL;
	if (!o)
		return -ECONNREFUSED;
	err = unix_connect_to(u, o, cr);
	if (err)
		return err;
	u->remote = d;
	u->has_remote = true;
	e = u->peer; /* the server's end: named by the address connected to */
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
			memcpy(any, v4_prefix, 12);
		if ((err = autobind(u, any)))
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
	o = find_bound(u->sk.net, SOCK_DGRAM, d.ip, d.port, false);
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

	if (sk->type == SOCK_STREAM && u->fin && !u->head && !(m->flags & MSG_OOB))
		return 0;
	return unix_recv(sk, m);
}

/* TCP's shutdown: SHUT_WR sends a FIN; SHUT_RD is this socket's own business. */
static int inet_shutdown(struct sock *sk, int mode)
{
	struct unix_sock *p = us_of(sk)->peer;

	if (sk->type != SOCK_STREAM)
		return unix_shutdown(sk, mode);
	sk->shutdown |= (unsigned)mode;
	if (p && (mode & NET_SEND_SHUTDOWN))
		fin_to(p);
	sock_wake(sk);
	return 0;
}

/*
 * TCP's close (tcp_close): a reset when data is left unread or SO_LINGER
 * is on with no time, else a FIN; the closed socket's name is free at
 * once (no TIME_WAIT).
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
		fin_to(p);
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

static int inet_getsockopt(struct sock *sk, int level, int name, void *val, unsigned int *len)
{
	struct unix_sock *u = us_of(sk);
	int i = opt_slot(sk, level, name), v;

	if (i < 0)
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

/*
 * /proc/net/{tcp,udp}{,6}: one line per socket of the table, as Linux's
 * tcp4_seq_show and kin print them (kernel addresses as zeros, timers and
 * counters as a socket without traffic in flight shows them; IPv4 lines
 * padded to Linux's width).
 */
enum { TCP_ESTABLISHED_ = 1, TCP_CLOSE_ = 7, TCP_LISTEN_ = 10 };

static int state_of(const struct unix_sock *u)
{
	if (u->sk.listening)
		return TCP_LISTEN_;
	return u->has_remote && (u->sk.type == SOCK_DGRAM || u->peer) ? TCP_ESTABLISHED_ : TCP_CLOSE_;
}

/* An address as /proc/net prints it: the 32-bit words of its bytes in memory order. */
static void put_ip(FILE *m, const uint8_t *ip, bool v6)
{
	uint32_t w[4];

	memcpy(w, ip, 16);
	if (!v6)
		fprintf(m, "%08X", w[3]);
	else
		fprintf(m, "%08X%08X%08X%08X", w[0], w[1], w[2], w[3]);
}

static void put_sock(FILE *m, int sl, const struct unix_sock *u, bool v6)
{
	bool tcp = u->sk.type == SOCK_STREAM;
	struct inet_addr none = {{0}, 0};
	const struct inet_addr *r = u->has_remote ? &u->remote : &none;
	long start = ftell(m);

	fprintf(m, tcp ? "%4d: " : "%5d: ", sl);
	put_ip(m, u->local.ip, v6);
	fprintf(m, ":%04X ", u->local.port);
	put_ip(m, r->ip, v6);
	fprintf(m, ":%04X %02X %08X:%08X 00:00000000 00000000 %5u %8d %lu %d %016x", r->port,
		state_of(u), (unsigned)u->sk.wmem,
		(unsigned)(u->sk.listening ? (size_t)u->acc_len : u->qbytes), u->sk.uid, 0,
		u->sk.ino, u->sk.refs, 0);
	if (tcp) /* rto, ato, quick/pingpong, cwnd, ssthresh (a listener: its fastopen queue) */
		fprintf(m, u->sk.listening ? " 100 0 0 10 0" : " 20 0 0 10 -1");
	else
		fprintf(m, " 0"); /* drops */
	while (!v6 && ftell(m) - start < (tcp ? 149 : 127))
		fputc(' ', m);
	fputc('\n', m);
}

long net_proc_inet(struct net *n, bool tcp, bool v6, const char *header, char **out)
{
	size_t len = 0;
	FILE *m = open_memstream(out, &len);
	int sl = 0;

	if (!m)
		return -ENOMEM;
	fputs(header, m);
	for (struct sock *sk = n->socks; sk; sk = sk->next) {
		struct unix_sock *u = us_of(sk);
		if (sk->ops != &inet_ops || sk->dead || (sk->type == SOCK_STREAM) != tcp ||
		    (sk->family == AF_INET6) != v6 || !(u->inet_bound || u->has_remote))
			continue;
		put_sock(m, sl++, u, v6);
	}
	if (fclose(m))
		return -ENOMEM;
	return (long)len;
}

static const struct sock_ops inet_ops = {
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
