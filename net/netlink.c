/*
 * AF_NETLINK sockets (netlink(7)), as Linux's net/netlink/af_netlink.c, for
 * NETLINK_ROUTE only: the guest's requests go to rtnl.c, which answers
 * about uos's interfaces, and its answers queue on the socket as
 * datagrams from port 0 (the kernel).  A datagram to another socket's
 * port id is queued on it as Linux's netlink_unicast does.  Other
 * protocols say EPROTONOSUPPORT, as a kernel built without them (libaudit
 * then goes on without audit).
 *
 * Port ids: bind of nl_pid 0, or a send before any bind, takes the caller's
 * pid if free, else a negative one (netlink_autobind).  Multicast groups
 * are kept (NETLINK_ADD_MEMBERSHIP, nl_groups) but nothing is ever sent to
 * them: uos's network does not change.
 *
 * The queue is bounded as Linux's: an answer that finds SO_RCVBUF full
 * (or MEMCG_SOCK) is dropped and the next receive says ENOBUFS
 * (netlink_overrun); a guest's datagram to a full socket waits.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "memcg.h"
#include "net_impl.h"
#include "netlink_impl.h"

#define NL_SKB_SLOP 256		/* what Linux charges a datagram beyond its bytes */
#define NL_AUTOBIND_FIRST (-4097) /* netlink_autobind's rover starts below -4096 */
#define NL_GROUPS 38		/* RTNLGRP_MAX in Linux 6.18: the groups one may join */

struct nl_skb {
	struct nl_skb *next;
	unsigned int from;    /* the sender's port id: 0 the kernel */
	struct net_cred cred; /* the sender's (the kernel's: zeros) */
	size_t len, charged;
	char data[];
};

struct nl_sock {
	struct sock sk;
	unsigned int portid; /* 0 until bound */
	bool bound;
	unsigned long long groups;	 /* multicast groups joined (bit g - 1: group g) */
	unsigned int dst_portid, dst_group; /* connect(2) */
	unsigned int nlflags;		 /* NETLINK_* options set, one bit per option */
	struct nl_skb *head, *tail;
	size_t qbytes; /* charged bytes queued, against SO_RCVBUF */
};

static struct nl_sock *nl_of(struct sock *sk)
{
	return container_of(sk, struct nl_sock, sk);
}

/* The live netlink socket bound to portid, or NULL. */
static struct nl_sock *lookup(struct net *n, unsigned int portid)
{
	for (struct sock *sk = n->socks; sk; sk = sk->next)
		if (sk->family == AF_NETLINK && !sk->dead && nl_of(sk)->bound &&
		    nl_of(sk)->portid == portid)
			return nl_of(sk);
	return NULL;
}

static int insert(struct nl_sock *nl, unsigned int portid)
{
	if (lookup(nl->sk.net, portid))
		return -EADDRINUSE;
	nl->portid = portid;
	nl->bound = true;
	return 0;
}

/*
 * netlink_autobind: the caller's pid first, then negative ids, from where
 * the last one was taken (Linux starts at random), so that each usually
 * takes one try.
 */
static int autobind(struct nl_sock *nl)
{
	struct net *n = nl->sk.net;
	struct net_cred cr = {0};

	if (n->caller)
		n->caller(n->caller_arg, &cr);
	if (cr.pid > 0 && !insert(nl, (unsigned int)cr.pid))
		return 0;
	while (insert(nl, (unsigned int)NL_AUTOBIND_FIRST - n->nl_autobinds++))
		;
	return 0;
}

/* The queue. */

/*
 * A socket's queue has room again, or it is gone: whoever waits to send to
 * it (to_user) tries again.  Rare (a queue past SO_RCVBUF), so all are woken.
 */
static void wake_senders(struct net *n)
{
	for (struct sock *sk = n->socks; sk; sk = sk->next)
		if (sk->family == AF_NETLINK)
			sock_wake(sk);
}

/* Queue len bytes of data from port from (cred) on nl: -ENOBUFS past SO_RCVBUF or MEMCG_SOCK. */
static int enqueue(struct nl_sock *nl, unsigned int from, const struct net_cred *cred,
		   const void *data, size_t len)
{
	struct net *n = nl->sk.net;
	size_t cost = sizeof(struct nl_skb) + len + NL_SKB_SLOP;
	struct nl_skb *skb;

	if (nl->qbytes > (size_t)nl->sk.rcvbuf || memcg_charge(n->cg, MEMCG_SOCK, cost))
		return -ENOBUFS;
	skb = malloc(sizeof(*skb) + len);
	if (!skb) {
		memcg_uncharge(n->cg, MEMCG_SOCK, cost);
		return -ENOBUFS;
	}
	*skb = (struct nl_skb){.from = from, .cred = *cred, .len = len, .charged = cost};
	memcpy(skb->data, data, len);
	if (nl->tail)
		nl->tail->next = skb;
	else
		nl->head = skb;
	nl->tail = skb;
	nl->qbytes += cost;
	sock_wake(&nl->sk);
	return 0;
}

static void dequeue_free(struct nl_sock *nl)
{
	struct nl_skb *skb = nl->head;
	bool was_full = nl->qbytes > (size_t)nl->sk.rcvbuf;

	nl->head = skb->next;
	if (!nl->head)
		nl->tail = NULL;
	nl->qbytes -= skb->charged;
	memcg_uncharge(nl->sk.net->cg, MEMCG_SOCK, skb->charged);
	free(skb);
	if (was_full)
		wake_senders(nl->sk.net);
}

/* An answer from the kernel: dropped when there is no room, and ENOBUFS said once. */
static void answer(struct nl_sock *nl, struct nl_buf *b)
{
	static const struct net_cred kernel = {0};

	if (b->oom || (b->len && enqueue(nl, 0, &kernel, b->p, b->len))) {
		if (!(nl->nlflags & (1u << NETLINK_NO_ENOBUFS)))
			nl->sk.err = ENOBUFS; /* netlink_overrun */
		sock_wake(&nl->sk);
	}
	nlb_free(b);
}

/* The kernel's side: netlink_rcv_skb and netlink_ack. */

/* NLMSG_ERROR for h: the error (0: an ack) and, for an error, the request whole. */
static void ack(struct nl_sock *nl, const struct nlmsghdr *h, int err)
{
	struct nl_buf b = {0};
	struct nlmsgerr e = {.error = err, .msg = *h};
	bool capped = !err || (nl->nlflags & (1u << NETLINK_CAP_ACK));
	size_t off = nlb_msg(&b, NLMSG_ERROR, capped ? NLM_F_CAPPED : 0, h->nlmsg_seq, nl->portid,
			     &e, sizeof(e));

	if (!capped)
		nlb_raw(&b, NLMSG_DATA(h), h->nlmsg_len - NLMSG_HDRLEN);
	nlb_end(&b, off);
	answer(nl, &b);
}

/* One request (a NETLINK_ROUTE message): its answers queued; 0, RTNL_DUMPED or -errno. */
static int request(struct nl_sock *nl, const struct nlmsghdr *h)
{
	struct net *n = nl->sk.net;
	struct net_cred cr = {0};
	struct nl_buf b = {0};

	if (n->caller)
		n->caller(n->caller_arg, &cr);
	int err = rtnl_request(h, nl->portid, cr.uid, &b);

	answer(nl, &b);
	return err;
}

/*
 * The messages of a datagram to the kernel, in turn: a request is answered,
 * anything else only acked if asked; a message that does not fit ends the
 * datagram silently.
 */
static void kernel_input(struct nl_sock *nl, const char *p, size_t len)
{
	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		int err = 0;
		if (h->nlmsg_len < NLMSG_HDRLEN || len < h->nlmsg_len)
			return;
		if ((h->nlmsg_flags & NLM_F_REQUEST) && h->nlmsg_type >= NLMSG_MIN_TYPE)
			err = request(nl, h);
		if (err != RTNL_DUMPED && ((h->nlmsg_flags & NLM_F_ACK) || err))
			ack(nl, h, err);
		size_t step = NLMSG_ALIGN(h->nlmsg_len);
		step = step < len ? step : len;
		p += step;
		len -= step;
	}
}

/* Sending and receiving. */

/* A datagram to the socket bound to portid: -ECONNREFUSED without one, -EAGAIN when it is full. */
static long to_user(struct nl_sock *nl, unsigned int portid, struct net_msg *m)
{
	struct nl_sock *to = lookup(nl->sk.net, portid);

	if (!to)
		return -ECONNREFUSED;
	if (to->qbytes > (size_t)to->sk.rcvbuf)
		return -EAGAIN; /* its reader or its close wakes us (wake_senders) */
	return enqueue(to, nl->portid, &m->cred, m->buf, m->len) ?: (long)m->len;
}

/* Where a message goes: the address given, else the connected one. */
static int dest_of(struct nl_sock *nl, const struct net_msg *m, unsigned int *portid)
{
	struct sockaddr_nl sa;

	*portid = nl->dst_portid;
	if (!m->addrlen)
		return 0;
	if (m->addrlen < sizeof(sa))
		return -EINVAL;
	memcpy(&sa, m->addr, sizeof(sa));
	if (sa.nl_family != AF_NETLINK)
		return -EINVAL;
	*portid = sa.nl_pid; /* nl_groups: no socket listens for a group's messages */
	return 0;
}

static long nl_send(struct sock *sk, struct net_msg *m)
{
	struct nl_sock *nl = nl_of(sk);
	unsigned int portid;
	long err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (!m->len)
		return -ENODATA; /* netlink_sendmsg: an empty message is refused */
	err = dest_of(nl, m, &portid);
	if (!err && !nl->bound)
		err = autobind(nl);
	if (err)
		return err;
	if (m->len > (size_t)sk->sndbuf - 32)
		return -EMSGSIZE;
	if (portid)
		return to_user(nl, portid, m);
	kernel_input(nl, m->buf, m->len);
	return (long)m->len;
}

static void put_nl_name(unsigned int portid, unsigned int groups, void *addr, unsigned int *len)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = portid, .nl_groups = groups};

	if (addr)
		memcpy(addr, &sa, *len < sizeof(sa) ? *len : sizeof(sa));
	*len = sizeof(sa);
}

static long nl_recv(struct sock *sk, struct net_msg *m)
{
	struct nl_sock *nl = nl_of(sk);
	struct nl_skb *skb = nl->head;
	int err = sock_take_err(sk);

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (err)
		return -err;
	if (!skb)
		return -EAGAIN;
	size_t n = skb->len < m->len ? skb->len : m->len;
	long ret = (m->flags & MSG_TRUNC) ? (long)skb->len : (long)n;
	memcpy(m->buf, skb->data, n);
	if (n < skb->len)
		m->out_flags |= MSG_TRUNC;
	if (m->name)
		put_nl_name(skb->from, 0, m->name, &m->namelen);
	if (sk->passcred) { /* the kernel's answers carry pid 0, uid 0, gid 0 */
		m->cred = skb->cred;
		m->got_cred = true;
	}
	if (!(m->flags & MSG_PEEK))
		dequeue_free(nl);
	return ret;
}

static short nl_poll(struct sock *sk)
{
	short mask = POLLOUT | POLLWRNORM | POLLWRBAND; /* datagram_poll: never full to send */

	if (sk->err)
		mask |= POLLERR;
	if (nl_of(sk)->head)
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

/* Names. */

static int nl_bind(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len)
{
	struct nl_sock *nl = nl_of(sk);
	struct sockaddr_nl sa;
	int err = 0;

	if (len < sizeof(sa))
		return -EINVAL;
	memcpy(&sa, addr, sizeof(sa));
	if (sa.nl_family != AF_NETLINK)
		return -EINVAL;
	if (nl->bound && sa.nl_pid != nl->portid)
		return -EINVAL; /* bound once: only the same port id again */
	if (!nl->bound)
		err = sa.nl_pid ? insert(nl, sa.nl_pid) : autobind(nl);
	if (!err) /* nl_groups: the first 32 groups */
		nl->groups = (nl->groups & ~0xffffffffULL) | sa.nl_groups;
	return err;
}

static int nl_connect(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len,
		      const struct net_cred *cr)
{
	struct nl_sock *nl = nl_of(sk);
	struct sockaddr_nl sa;

	if (len < sizeof(sa_family_t))
		return -EINVAL;
	memcpy(&sa, addr, len < sizeof(sa) ? len : sizeof(sa));
	if (sa.nl_family == AF_UNSPEC) {
		nl->dst_portid = nl->dst_group = 0;
		return 0;
	}
	if (sa.nl_family != AF_NETLINK || len < sizeof(sa))
		return -EINVAL;
	if (!nl->bound)
		autobind(nl);
	nl->dst_portid = sa.nl_pid;
	nl->dst_group = (unsigned int)__builtin_ffs((int)sa.nl_groups);
	return 0;
}

static int nl_name(struct sock *sk, bool peer, void *addr, unsigned int *len)
{
	struct nl_sock *nl = nl_of(sk);

	if (peer)
		put_nl_name(nl->dst_portid, nl->dst_group ? 1u << (nl->dst_group - 1) : 0, addr, len);
	else
		put_nl_name(nl->portid, (unsigned int)nl->groups, addr, len);
	return 0;
}

/* Options (SOL_NETLINK), as netlink_setsockopt and netlink_getsockopt. */

static bool flag_opt(int name)
{
	return name == NETLINK_PKTINFO || name == NETLINK_BROADCAST_ERROR ||
	       name == NETLINK_NO_ENOBUFS || name == NETLINK_LISTEN_ALL_NSID ||
	       name == NETLINK_CAP_ACK || name == NETLINK_EXT_ACK || name == NETLINK_GET_STRICT_CHK;
}

static int nl_setsockopt(struct sock *sk, int level, int name, const void *val, unsigned int len)
{
	struct nl_sock *nl = nl_of(sk);
	unsigned int v = 0;

	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (len >= sizeof(int))
		memcpy(&v, val, sizeof(v));
	if (flag_opt(name)) {
		nl->nlflags = v ? nl->nlflags | (1u << name) : nl->nlflags & ~(1u << name);
		return 0;
	}
	if (name != NETLINK_ADD_MEMBERSHIP && name != NETLINK_DROP_MEMBERSHIP)
		return -ENOPROTOOPT;
	if (!v || v - 1 >= NL_GROUPS)
		return -EINVAL;
	if (name == NETLINK_ADD_MEMBERSHIP)
		nl->groups |= 1ULL << (v - 1);
	else
		nl->groups &= ~(1ULL << (v - 1));
	return 0;
}

static int nl_getsockopt(struct sock *sk, int level, int name, void *val, unsigned int *len)
{
	struct nl_sock *nl = nl_of(sk);
	unsigned int v;

	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if ((int)*len < 0)
		return -EINVAL;
	if (name == NETLINK_LIST_MEMBERSHIPS) {
		/* The words that fit (Linux then says the length of all: here, what was filled). */
		unsigned int n = *len < sizeof(nl->groups) ? *len / 4 * 4 : sizeof(nl->groups);
		memcpy(val, &nl->groups, n);
		*len = n;
		return 0;
	}
	if (!flag_opt(name))
		return -ENOPROTOOPT;
	if (*len < sizeof(int))
		return -EINVAL;
	v = !!(nl->nlflags & (1u << name));
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

/* The rest of the socket. */

static int nl_no_shutdown(struct sock *sk, int mode)
{
	return -EOPNOTSUPP;
}

static int nl_no_listen(struct sock *sk, int backlog, const struct net_cred *cr)
{
	return -EOPNOTSUPP;
}

static int nl_no_accept(struct sock *sk, struct sock **out)
{
	return -EOPNOTSUPP;
}

static void nl_purge(struct sock *sk)
{
	while (nl_of(sk)->head)
		dequeue_free(nl_of(sk));
}

/* The file is closed: its port id is free, and a sender waiting for its room learns so. */
static void nl_release(struct sock *sk)
{
	nl_purge(sk);
	wake_senders(sk->net);
}

static bool nl_queued(struct sock *sk)
{
	return nl_of(sk)->head;
}

static void nl_destroy(struct sock *sk)
{
	nl_purge(sk);
	memcg_uncharge(sk->net->cg, MEMCG_SOCK, sizeof(struct nl_sock) + NL_SKB_SLOP);
	free(nl_of(sk));
}

static size_t nl_max_msg(struct sock *sk)
{
	return (size_t)sk->sndbuf - 32;
}

static const struct sock_ops netlink_ops = {
	.send = nl_send,
	.recv = nl_recv,
	.poll = nl_poll,
	.shutdown = nl_no_shutdown,
	.release = nl_release,
	.destroy = nl_destroy,
	.queued = nl_queued,
	.purge = nl_purge,
	.name = nl_name,
	.max_msg = nl_max_msg,
	.bind = nl_bind,
	.connect = nl_connect,
	.listen = nl_no_listen,
	.accept = nl_no_accept,
	.getsockopt = nl_getsockopt,
	.setsockopt = nl_setsockopt,
};

int netlink_create(struct net *n, int type, int protocol, struct sock **out)
{
	size_t cost = sizeof(struct nl_sock) + NL_SKB_SLOP;
	struct nl_sock *nl;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != NETLINK_ROUTE) /* uos has no other (audit, generic ...) */
		return -EPROTONOSUPPORT;
	if (memcg_charge(n->cg, MEMCG_SOCK, cost))
		return -ENOBUFS;
	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		memcg_uncharge(n->cg, MEMCG_SOCK, cost);
		return -ENOMEM;
	}
	sock_init(&nl->sk, n, &netlink_ops, AF_NETLINK, type, protocol);
	*out = &nl->sk;
	return 0;
}
