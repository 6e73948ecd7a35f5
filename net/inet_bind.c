/*
 * The loopback's port table (Linux's bind hash and inet_csk_bind_conflict):
 * the TCP and UDP sockets with a port, hashed by port.  A name clashes with
 * a socket bound to it (or to the any address of the port) unless both set
 * SO_REUSEPORT, or both SO_REUSEADDR and the other is not listening.
 *
 * TIME_WAIT: a TCP socket that sent its FIN before its peer's keeps its
 * name for NET_TIME_WAIT_SECS after its close (TCP_TIMEWAIT_LEN), so a
 * bind to it clashes as above (with the closed socket's SO_REUSEADDR); a
 * connect's ephemeral port may reuse it (net.ipv4.tcp_tw_reuse, which
 * loopback has).  Past NET_MAX_TIME_WAIT such sockets a close takes none,
 * as Linux past tcp_max_tw_buckets.  They are let go lazily, when their
 * port's bucket is looked at, and at the end (net_fini).
 */
#include <errno.h>
#include <sys/socket.h>
#include <time.h>

#include "inet_impl.h"

#define NET_TIME_WAIT_SECS 60
#define NET_MAX_TIME_WAIT 4096

static long long now_secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static struct unix_sock **bucket(struct net *n, uint16_t port)
{
	return &n->inet_bound[port % NET_PORT_HASH];
}

static void unlink_bound(struct unix_sock *u)
{
	for (struct unix_sock **p = bucket(u->sk.net, u->local.port); *p; p = &(*p)->inet_next)
		if (*p == u) {
			*p = u->inet_next;
			break;
		}
	u->inet_bound = false;
}

/* Let go of the sockets whose TIME_WAIT is over in port's bucket (all of them: all). */
static void reap(struct net *n, uint16_t port, bool all)
{
	if (!n->ntime_wait)
		return; /* nothing to look at: no clock read on every port autobind tries */
	long long now = now_secs();
	struct unix_sock **p = bucket(n, port);

	while (*p) {
		struct unix_sock *u = *p;
		if (!u->tw_until || (!all && u->tw_until > now)) {
			p = &u->inet_next;
			continue;
		}
		*p = u->inet_next;
		u->inet_bound = false;
		u->tw_until = 0;
		n->ntime_wait--;
		sock_put(&u->sk);
	}
}

long inet_time_wait_left(const struct unix_sock *u)
{
	return u->tw_until ? (long)(u->tw_until - now_secs()) : 0;
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

struct unix_sock *inet_find_bound(struct net *n, int type, const uint8_t *ip, uint16_t port,
				  bool want_listen)
{
	struct unix_sock *best = NULL;

	for (struct unix_sock *u = *bucket(n, port); u; u = u->inet_next)
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
static bool clashes(struct unix_sock *u, const struct inet_addr *a, bool for_connect)
{
	reap(u->sk.net, a->port, false);
	for (struct unix_sock *o = *bucket(u->sk.net, a->port); o; o = o->inet_next) {
		if (o->sk.type != u->sk.type || o->local.port != a->port)
			continue;
		if (o->sk.dead && (!o->tw_until || for_connect))
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

static void link_bound(struct unix_sock *u, const struct inet_addr *a)
{
	struct unix_sock **b = bucket(u->sk.net, a->port);

	u->local = *a;
	u->inet_bound = true;
	u->inet_next = *b;
	*b = u;
}

int inet_bind_to(struct unix_sock *u, const struct inet_addr *a)
{
	if (clashes(u, a, false))
		return -EADDRINUSE;
	link_bound(u, a);
	return 0;
}

int inet_autobind(struct unix_sock *u, const uint8_t *ip, bool for_connect)
{
	struct net *n = u->sk.net;
	unsigned int range = NET_PORT_LAST - NET_PORT_FIRST + 1;
	struct inet_addr a;

	memcpy(a.ip, ip, 16);
	for (unsigned int i = 0; i < range; i++) {
		a.port = (uint16_t)(NET_PORT_FIRST + (n->next_port + i) % range);
		if (!clashes(u, &a, for_connect)) {
			n->next_port = (n->next_port + i + 1) % range;
			link_bound(u, &a);
			return 0;
		}
	}
	return -EADDRINUSE;
}

void inet_unbind(struct unix_sock *u)
{
	if (!u->tw_until)
		unlink_bound(u);
}

void inet_time_wait(struct unix_sock *u)
{
	struct net *n = u->sk.net;

	if (n->ntime_wait >= NET_MAX_TIME_WAIT)
		return;
	if (!u->inet_bound) /* an accepted socket: its listener's name */
		link_bound(u, &u->local);
	u->tw_until = now_secs() + NET_TIME_WAIT_SECS;
	n->ntime_wait++;
	sock_get(&u->sk); /* the table's, until it is over */
}

void inet_fini(struct net *n)
{
	for (unsigned int port = 0; port < NET_PORT_HASH; port++)
		reap(n, (uint16_t)port, true);
}
