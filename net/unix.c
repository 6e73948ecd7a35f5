/*
 * AF_UNIX sockets (unix(7)), as Linux's net/unix/af_unix.c: the data path
 * of stream, datagram and seqpacket sockets (names and connections:
 * unix_conn.c).
 *
 * A message (struct unix_skb) is queued on the receiver, charged to its
 * sender: the bytes count against the sender's SO_SNDBUF until read (a
 * full sender blocks or gets EAGAIN) and against the guests' memory charge
 * (MEMCG_SOCK: ENOBUFS past it), and the message holds a reference to the
 * sender's sock.  A stream is read across messages, but never across
 * files passed (SCM_RIGHTS) or, with SO_PASSCRED, across writers; a
 * datagram or seqpacket message is read whole or truncated.
 *
 * Closing one end of a connected stream or seqpacket pair shuts the other
 * down both ways (it reads the end of the stream, its writes get EPIPE),
 * and gives it ECONNRESET once if the closed end left data unread.
 *
 * Files in flight (SCM_RIGHTS) count against MEMCG_INFLIGHT
 * (ETOOMANYREFS past it).  Sockets that only messages in flight hold, in
 * cycles no fd reaches, are collected (unix_gc.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "memcg.h"
#include "unix_impl.h"
#include "vfs.h"


/* What a socket itself costs uos: charged to MEMCG_SOCK while it lives (connections waiting too). */
#define UNIX_SOCK_COST (sizeof(struct unix_sock) + UNIX_SKB_SLOP)

struct unix_sock *us_of(struct sock *sk)
{
	return container_of(sk, struct unix_sock, sk);
}

bool conn_based(const struct sock *sk)
{
	return sk->type != SOCK_DGRAM;
}

/* Messages. */

/* f goes into flight (d 1) or comes out of it (-1): counted for the collector (unix_gc.c). */
static void flight(struct vfs_file *f, int d)
{
	if (net_is_socket(f))
		unix_flight(net_sock(f), d);
}

static void put_fds(struct net *n, struct vfs_file **fds, int nfds)
{
	for (int i = 0; i < nfds; i++) {
		flight(fds[i], -1);
		net_put_file(n, fds[i]);
	}
	memcg_give(n->cg, MEMCG_INFLIGHT, (unsigned long)nfds);
}

/* What a message of len bytes with nfds files holds: charged to MEMCG_SOCK. */
static size_t skb_cost(size_t len, int nfds)
{
	return sizeof(struct unix_skb) + len + (size_t)nfds * sizeof(struct vfs_file *) +
	       UNIX_SKB_SLOP;
}

/* A message of len bytes of buf from sender s, with m's files (taken) on it when first. */
static int skb_new(struct sock *s, const char *buf, size_t len, struct net_msg *m, bool first,
		   struct unix_skb **out)
{
	struct unix_skb *skb;
	int nfds = first ? m->nfds : 0;
	size_t cost = skb_cost(len, nfds);

	if (memcg_charge(s->net->cg, MEMCG_SOCK, cost))
		return -ENOBUFS;
	if (nfds && memcg_take_n(s->net->cg, MEMCG_INFLIGHT, (unsigned long)nfds)) {
		memcg_uncharge(s->net->cg, MEMCG_SOCK, cost);
		return -ETOOMANYREFS;
	}
	skb = calloc(1, sizeof(*skb) + len);
	if (skb && nfds)
		skb->fds = malloc((size_t)nfds * sizeof(*skb->fds));
	if (!skb || (nfds && !skb->fds)) {
		free(skb);
		memcg_uncharge(s->net->cg, MEMCG_SOCK, cost);
		memcg_give(s->net->cg, MEMCG_INFLIGHT, (unsigned long)nfds);
		return -ENOBUFS;
	}
	memcpy(skb->data, buf, len);
	skb->len = len;
	skb->charged = cost;
	skb->cred = m->cred;
	for (int i = 0; i < nfds; i++) {
		vfs_file_get(m->fds[i]);
		flight(m->fds[i], 1);
		skb->fds[i] = m->fds[i];
	}
	skb->nfds = nfds;
	skb->from = s;
	sock_get(s);
	s->wmem += len;
	*out = skb;
	return 0;
}

static void enqueue(struct unix_sock *to, struct unix_skb *skb)
{
	if (to->tail)
		to->tail->next = skb;
	else
		to->head = skb;
	to->tail = skb;
	to->qlen++;
	to->qbytes += skb->len - skb->off;
}

/* Take the first message off u's queue and free it: its sender gets its room back. */
static void dequeue_free(struct unix_sock *u)
{
	struct unix_skb *skb = u->head;
	struct sock *from = skb->from;

	u->head = skb->next;
	if (!u->head)
		u->tail = NULL;
	u->qlen--;
	u->qbytes -= skb->len - skb->off;
	put_fds(from->net, skb->fds, skb->nfds);
	free(skb->fds);
	memcg_uncharge(from->net->cg, MEMCG_SOCK, skb->charged);
	from->wmem -= skb->len;
	sock_wake(from);
	sock_put(from);
	free(skb);
}

/* Hand skb's files to m (up to its room; the rest are closed: MSG_CTRUNC). */
static void take_fds(struct unix_skb *skb, struct net_msg *m, bool peek)
{
	int n = skb->nfds < m->maxfds ? skb->nfds : m->maxfds;

	for (int i = 0; i < n; i++) {
		m->fds[i] = skb->fds[i];
		if (peek)
			vfs_file_get(skb->fds[i]);
		else
			flight(skb->fds[i], -1);
	}
	m->nfds = n;
	if (n < skb->nfds)
		m->out_flags |= MSG_CTRUNC;
	if (peek)
		return;
	put_fds(skb->from->net, skb->fds + n, skb->nfds - n);
	memcg_give(skb->from->net->cg, MEMCG_INFLIGHT, (unsigned long)n);
	skb->nfds = 0;
}

static void take_cred(struct unix_sock *u, struct unix_skb *skb, struct net_msg *m)
{
	if (u->sk.passcred) {
		m->cred = skb->cred;
		m->got_cred = true;
	}
}

/* Sending. */

/* Why a connected socket cannot send now, or 0. */
static long send_check(struct unix_sock *u)
{
	struct unix_sock *p = u->peer;

	if (!p) /* TCP: sk_stream_wait_connect's EPIPE */
		return u->sk.family != AF_UNIX && u->sk.type == SOCK_STREAM ? -EPIPE : -ENOTCONN;
	if (u->sk.shutdown & NET_SEND_SHUTDOWN)
		return -EPIPE;
	if (p->sk.dead && u->sk.type == SOCK_DGRAM) {
		u->peer = NULL; /* a datagram socket's dead peer is forgotten */
		sock_put(&p->sk);
		return -ECONNREFUSED;
	}
	/* A TCP peer's shutdown(SHUT_RD) is its own: it still takes what comes. */
	if (p->sk.dead || ((p->sk.shutdown & NET_RCV_SHUTDOWN) && u->sk.family == AF_UNIX))
		return -EPIPE;
	return 0;
}

static long stream_send(struct unix_sock *u, struct net_msg *m)
{
	struct sock *sk = &u->sk;
	size_t done = 0;
	long err = 0;

	while (done < m->len && sk->wmem < (size_t)sk->sndbuf) {
		size_t n = m->len - done;
		size_t most = (size_t)sk->sndbuf / 2 > 64 ? (size_t)sk->sndbuf / 2 - 64 : 64;
		struct unix_skb *skb;
		n = n < most ? n : most;
		n = n < UNIX_SKB_MAX ? n : UNIX_SKB_MAX;
		err = skb_new(sk, (char *)m->buf + done, n, m, !done, &skb);
		if (err)
			break;
		enqueue(u->peer, skb);
		done += n;
	}
	if (done)
		sock_wake(&u->peer->sk);
	if (done || !m->len)
		return (long)done;
	return err ? err : -EAGAIN;
}

long unix_dgram_to(struct unix_sock *u, struct unix_sock *to, struct net_msg *m)
{
	struct sock *sk = &u->sk;
	struct unix_skb *skb;
	long err;

	if (m->len > (size_t)sk->sndbuf - 32)
		return -EMSGSIZE;
	if (to->qlen > UNIX_MAX_DGRAM_QLEN || sk->wmem >= (size_t)sk->sndbuf)
		return -EAGAIN;
	err = skb_new(sk, m->buf, m->len, m, true, &skb);
	if (err)
		return err;
	enqueue(to, skb);
	sock_wake(&to->sk);
	return (long)m->len;
}

long unix_send(struct sock *sk, struct net_msg *m)
{
	struct unix_sock *u = us_of(sk);
	long err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->addrlen && sk->type == SOCK_STREAM)
		return u->connected ? -EISCONN : -EOPNOTSUPP;
	if (m->addrlen && sk->type == SOCK_DGRAM)
		return unix_send_to(u, m); /* a seqpacket socket ignores the address */
	err = send_check(u);
	if (err)
		return err;
	return sk->type == SOCK_STREAM ? stream_send(u, m) : unix_dgram_to(u, u->peer, m);
}

/* Receiving. */

/* Nothing queued: the pending error, the end (0), -EAGAIN, or -EINVAL/-ENOTCONN unconnected. */
static long recv_empty(struct unix_sock *u)
{
	struct sock *sk = &u->sk;
	int err = sock_take_err(sk);

	if (conn_based(sk) && !u->connected) /* AF_UNIX streams say EINVAL, TCP ENOTCONN */
		return sk->type == SOCK_STREAM && sk->family == AF_UNIX ? -EINVAL : -ENOTCONN;
	if (err)
		return -err;
	if (sk->shutdown & NET_RCV_SHUTDOWN)
		return 0;
	return -EAGAIN;
}

/* Whether a stream read that has copied from first may go on into skb. */
static bool stream_glues(const struct unix_sock *u, const struct unix_skb *first,
			 const struct unix_skb *skb)
{
	if (skb->nfds)
		return false;
	return !u->sk.passcred || !memcmp(&first->cred, &skb->cred, sizeof(skb->cred));
}

static long stream_recv(struct unix_sock *u, struct net_msg *m)
{
	bool peek = m->flags & MSG_PEEK;
	struct unix_skb *skb = u->head, *first = skb;
	size_t done = 0;

	take_cred(u, first, m);
	if (u->sk.family == AF_UNIX) /* a TCP receive gives no address */
		unix_from_name(first->from, m->name, &m->namelen);
	while (skb && done < m->len) {
		size_t n = skb->len - skb->off;
		n = n < m->len - done ? n : m->len - done;
		memcpy((char *)m->buf + done, skb->data + skb->off, n);
		done += n;
		bool had_fds = skb->nfds;
		if (had_fds)
			take_fds(skb, m, peek);
		struct unix_skb *next = skb->next;
		if (!peek) {
			skb->off += n;
			u->qbytes -= n;
			if (skb->off == skb->len)
				dequeue_free(u);
		}
		if (had_fds || !next || !stream_glues(u, first, next))
			break;
		skb = next;
	}
	return (long)done;
}

static long dgram_recv(struct unix_sock *u, struct net_msg *m)
{
	struct unix_skb *skb = u->head;
	size_t n = skb->len < m->len ? skb->len : m->len;
	long ret = (m->flags & MSG_TRUNC) ? (long)skb->len : (long)n;

	memcpy(m->buf, skb->data, n);
	if (n < skb->len)
		m->out_flags |= MSG_TRUNC;
	if (u->sk.family == AF_UNIX)
		unix_from_name(skb->from, m->name, &m->namelen);
	else
		inet_from_name(u, skb->from, m->name, &m->namelen);
	take_cred(u, skb, m);
	take_fds(skb, m, m->flags & MSG_PEEK);
	if (!(m->flags & MSG_PEEK))
		dequeue_free(u);
	return ret;
}

long unix_recv(struct sock *sk, struct net_msg *m)
{
	struct unix_sock *u = us_of(sk);

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (!u->head)
		return recv_empty(u);
	return sk->type == SOCK_STREAM ? stream_recv(u, m) : dgram_recv(u, m);
}

/* Readiness, as unix_poll and unix_dgram_poll. */

static bool writable(const struct sock *sk)
{
	return sk->wmem * 4 <= (size_t)sk->sndbuf;
}

short unix_poll(struct sock *sk)
{
	struct unix_sock *u = us_of(sk);
	short mask = 0;

	if (sk->err)
		mask |= POLLERR;
	if (sk->shutdown == NET_SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (sk->shutdown & NET_RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->head)
		mask |= POLLIN | POLLRDNORM;
	if (sk->listening)
		return mask | (u->acc_head ? POLLIN | POLLRDNORM : 0);
	if (conn_based(sk) && !u->connected)
		mask |= POLLHUP;
	if (writable(sk))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

/* shutdown(2): mode's directions here, and the opposite ones at a connected peer. */
int unix_shutdown(struct sock *sk, int mode)
{
	struct unix_sock *p = us_of(sk)->peer;

	sk->shutdown |= (unsigned)mode;
	if (p && conn_based(sk)) {
		unsigned peer_mode = 0;
		if (mode & NET_RCV_SHUTDOWN)
			peer_mode |= NET_SEND_SHUTDOWN;
		if (mode & NET_SEND_SHUTDOWN)
			peer_mode |= NET_RCV_SHUTDOWN;
		p->sk.shutdown |= peer_mode;
		sock_wake(&p->sk);
	}
	sock_wake(sk);
	return 0;
}

/* The file is closed: a connected peer is shut down (and reset, with data left unread). */
void unix_release(struct sock *sk)
{
	struct unix_sock *u = us_of(sk), *p = u->peer;

	if (p && conn_based(sk)) {
		if (u->head)
			p->sk.err = ECONNRESET;
		p->sk.shutdown = NET_SHUTDOWN_MASK;
		sock_wake(&p->sk);
	}
	unix_let_go(u);
}

void unix_let_go(struct unix_sock *u)
{
	struct unix_sock *p = u->peer;

	u->sk.shutdown = NET_SHUTDOWN_MASK;
	while (u->head)
		dequeue_free(u);
	unix_conn_release(u);
	u->peer = NULL;
	if (p)
		sock_put(&p->sk);
}

void unix_destroy(struct sock *sk)
{
	memcg_uncharge(sk->net->cg, MEMCG_SOCK, UNIX_SOCK_COST);
	free(us_of(sk));
}

bool unix_queued(struct sock *sk)
{
	return us_of(sk)->head || us_of(sk)->acc_head;
}

void unix_purge(struct sock *sk)
{
	struct unix_sock *u = us_of(sk);

	while (u->head)
		dequeue_free(u);
	unix_conn_release(u);
}

size_t unix_inq(struct sock *sk)
{
	struct unix_sock *u = us_of(sk);

	if (sk->type == SOCK_STREAM)
		return u->qbytes;
	return u->head ? u->head->len : 0;
}

size_t unix_outq(struct sock *sk)
{
	return sk->wmem;
}

static size_t unix_max_msg(struct sock *sk)
{
	return sk->type == SOCK_STREAM ? 0 : (size_t)sk->sndbuf - 32;
}

const struct sock_ops unix_ops = {
	.send = unix_send,
	.recv = unix_recv,
	.poll = unix_poll,
	.shutdown = unix_shutdown,
	.release = unix_release,
	.destroy = unix_destroy,
	.queued = unix_queued,
	.purge = unix_purge,
	.inq = unix_inq,
	.outq = unix_outq,
	.name = unix_name,
	.max_msg = unix_max_msg,
	.bind = unix_bind,
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
};

struct unix_sock *unix_alloc(struct net *n, const struct sock_ops *ops, int family, int type,
			     int protocol)
{
	struct unix_sock *u;

	if (memcg_charge(n->cg, MEMCG_SOCK, UNIX_SOCK_COST))
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u) {
		memcg_uncharge(n->cg, MEMCG_SOCK, UNIX_SOCK_COST);
		return NULL;
	}
	sock_init(&u->sk, n, ops, family, type, protocol);
	return u;
}

void unix_join(struct unix_sock *a, struct unix_sock *b)
{
	a->peer = b;
	b->peer = a;
	sock_get(&a->sk);
	sock_get(&b->sk);
	a->connected = b->connected = conn_based(&a->sk);
}

void unix_drop(struct unix_sock *u)
{
	u->sk.dead = true;
	u->sk.ops->release(&u->sk);
	sock_wake(&u->sk);
	sock_put(&u->sk);
}

int unix_create(struct net *n, int type, int protocol, struct sock **out)
{
	struct unix_sock *u;

	if (protocol && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	if (type == SOCK_RAW)
		type = SOCK_DGRAM; /* as Linux's unix_create */
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	u = unix_alloc(n, &unix_ops, AF_UNIX, type, 0);
	if (!u)
		return -ENOMEM;
	*out = &u->sk;
	return 0;
}

int unix_pair(struct net *n, int type, int protocol, const struct net_cred *cr,
	      struct sock *out[2])
{
	int err = unix_create(n, type, protocol, &out[0]);

	if (err)
		return err;
	err = unix_create(n, type, protocol, &out[1]);
	if (err) {
		sock_put(out[0]);
		return err;
	}
	unix_join(us_of(out[0]), us_of(out[1]));
	for (int i = 0; i < 2; i++) {
		out[i]->peercred = *cr;
		out[i]->has_peercred = true;
	}
	return 0;
}
