/*
 * Socket-level options (SOL_SOCKET), as Linux's sk_getsockopt and
 * sk_setsockopt: the socket's kind, its pending error, its buffers (a
 * size set is doubled, within Linux's bounds), SO_PASSCRED, SO_PEERCRED,
 * the receive and send timeouts, SO_LINGER (TCP's close reads it), and the boolean options programs set and
 * read back.  A value shorter
 * than it is copied short on a get and gives EINVAL on a set.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include "net_impl.h"

/* Options that are only kept and read back: what a socket in a loopback-only world does with them. */
static int kept_bit(int name)
{
	switch (name) {
	case SO_REUSEADDR:
	case SO_KEEPALIVE:
	case SO_BROADCAST:
	case SO_DONTROUTE:
	case SO_OOBINLINE:
	case SO_REUSEPORT:
	case SO_TIMESTAMP:
		return name;
	default:
		return -1;
	}
}

static int put_value(const void *v, unsigned int size, void *val, unsigned int *len)
{
	if ((int)*len < 0)
		return -EINVAL;
	if (*len > size)
		*len = size;
	memcpy(val, v, *len);
	return 0;
}

static int get_int(struct sock *sk, int name, int *v)
{
	int bit = kept_bit(name);

	if (bit >= 0) {
		*v = !!(sk->flags & (1ULL << bit));
		return 0;
	}
	switch (name) {
	case SO_TYPE:
		*v = sk->type;
		return 0;
	case SO_DOMAIN:
		*v = sk->family;
		return 0;
	case SO_PROTOCOL:
		*v = sk->protocol;
		return 0;
	case SO_ERROR:
		*v = sock_take_err(sk);
		return 0;
	case SO_SNDBUF:
		*v = sk->sndbuf;
		return 0;
	case SO_RCVBUF:
		*v = sk->rcvbuf;
		return 0;
	case SO_PASSCRED:
		*v = sk->passcred;
		return 0;
	case SO_ACCEPTCONN:
		*v = sk->listening;
		return 0;
	case SO_RCVLOWAT:
		*v = 1;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* SO_RCVTIMEO and SO_SNDTIMEO (their _OLD and _NEW names take the same 64-bit timeval here). */
static long long *timeo_of(struct sock *sk, int name)
{
	if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW)
		return &sk->rcvtimeo;
	if (name == SO_SNDTIMEO_OLD || name == SO_SNDTIMEO_NEW)
		return &sk->sndtimeo;
	return NULL;
}

/* sock_set_timeout: EDOM for bad microseconds; a negative time means no waiting at all. */
static int set_timeo(long long *t, const void *val, unsigned int len)
{
	struct timeval tv;

	if (len < sizeof(tv))
		return -EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0)
		*t = -1;
	else
		*t = (long long)tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
	return 0;
}

static void get_timeo(long long t, struct timeval *tv)
{
	*tv = t > 0 ? (struct timeval){t / 1000000000LL, t % 1000000000LL / 1000} : (struct timeval){0};
}

int net_peer_cred(struct vfs_file *f, struct net_cred *out)
{
	struct sock *sk = net_sock(f);

	if (sk->family != AF_UNIX || !sk->has_peercred || sk->peercred.pid <= 0)
		return -ENODATA;
	*out = sk->peercred;
	return 0;
}

/* SO_LINGER: seconds kept as ticks, a time past what ticks hold (or negative) for ever. */
static int set_linger(struct sock *sk, const void *val, unsigned int len)
{
	struct linger l;

	if (len < sizeof(l))
		return -EINVAL;
	memcpy(&l, val, sizeof(l));
	sk->linger = l.l_onoff;
	if (l.l_onoff)
		sk->linger_secs = (unsigned long)(long)l.l_linger >= LONG_MAX / NET_HZ ? -1 : l.l_linger;
	return 0;
}

static struct linger get_linger(const struct sock *sk)
{
	return (struct linger){sk->linger, sk->linger_secs < 0 ? (int)(LONG_MAX / NET_HZ)
							       : (int)sk->linger_secs};
}

int net_getsockopt(struct vfs_file *f, int level, int name, void *val, unsigned int *len)
{
	struct sock *sk = net_sock(f);
	int v, err;

	if (level != SOL_SOCKET || (sk->ops->sol_socket && !timeo_of(sk, name)))
		return sk->ops->getsockopt ? sk->ops->getsockopt(sk, level, name, val, len)
					   : -EOPNOTSUPP;
	if (timeo_of(sk, name)) {
		struct timeval tv;
		get_timeo(*timeo_of(sk, name), &tv);
		return put_value(&tv, sizeof(tv), val, len);
	}
	if (name == SO_LINGER) {
		struct linger l = get_linger(sk);
		return put_value(&l, sizeof(l), val, len);
	}
	if (name == SO_PEERCRED) {
		struct ucred uc = {.pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1};
		if (sk->has_peercred && sk->family == AF_UNIX)
			uc = (struct ucred){sk->peercred.pid, sk->peercred.uid, sk->peercred.gid};
		return put_value(&uc, sizeof(uc), val, len);
	}
	err = get_int(sk, name, &v);
	return err ? err : put_value(&v, sizeof(v), val, len);
}

/* SO_SNDBUF and SO_RCVBUF: doubled (room for Linux's bookkeeping), within its bounds. */
static int buf_size(unsigned int v, int min)
{
	if (v > NET_BUF_MAX / 2)
		v = NET_BUF_MAX / 2;
	return (int)v * 2 < min ? min : (int)v * 2;
}

int net_setsockopt(struct vfs_file *f, int level, int name, const void *val, unsigned int len)
{
	struct sock *sk = net_sock(f);
	int v, bit = kept_bit(name);

	if (level != SOL_SOCKET || (sk->ops->sol_socket && !timeo_of(sk, name)))
		return sk->ops->setsockopt ? sk->ops->setsockopt(sk, level, name, val, len)
					   : -EOPNOTSUPP;
	if (timeo_of(sk, name))
		return set_timeo(timeo_of(sk, name), val, len);
	if (name == SO_LINGER)
		return set_linger(sk, val, len);
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	if (bit >= 0) {
		sk->flags = v ? sk->flags | (1ULL << bit) : sk->flags & ~(1ULL << bit);
		return 0;
	}
	switch (name) {
	case SO_SNDBUF:
		sk->sndbuf = buf_size((unsigned int)v, NET_SNDBUF_MIN);
		sock_wake(sk); /* a writer may fit now */
		return 0;
	case SO_RCVBUF:
		sk->rcvbuf = buf_size((unsigned int)v, NET_RCVBUF_MIN);
		return 0;
	case SO_PASSCRED:
		sk->passcred = v;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}
