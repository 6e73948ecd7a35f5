/*
 * Sockets as open files: the file kind (read, write, poll, fstat, ioctl,
 * close), the socket-level options, and the calls of net.h, which pick the
 * family's protocol (unix.c) and hand it the sock.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "ifaces.h"
#include "memcg.h"
#include "net_impl.h"
#include "vfs_impl.h"
#include "waitq.h"

#define SOCKFS_MAGIC 0x534F434B
#define SOCKFS_DEV 0x8 /* sockfs's anonymous device, 0:8 on Linux */
#define SOCK_INO_BASE 100000

struct socket_file {
	struct vfs_file base;
	struct sock *sk;
	unsigned long ino;
	unsigned int uid, gid; /* the creator's: the socket inode's owner */
};

static const struct vfs_file_ops socket_ops;

static struct socket_file *sf_of(struct vfs_file *f)
{
	return container_of(f, struct socket_file, base);
}

struct sock *net_sock(struct vfs_file *f)
{
	return sf_of(f)->sk;
}

void net_init(struct net *n, struct waitq *wq, struct memcg *cg)
{
	*n = (struct net){.wq = wq, .cg = cg};
}

void sock_init(struct sock *sk, struct net *n, const struct sock_ops *ops, int family, int type,
	       int protocol)
{
	*sk = (struct sock){.refs = 1, .net = n, .ops = ops, .family = family, .type = type,
			    .protocol = protocol, .sndbuf = NET_BUF_DEFAULT, .rcvbuf = NET_BUF_DEFAULT};
	sk->next = n->socks;
	if (sk->next)
		sk->next->pprev = &sk->next;
	sk->pprev = &n->socks;
	n->socks = sk;
}

void sock_get(struct sock *sk)
{
	sk->refs++;
}

void sock_put(struct sock *sk)
{
	UOS_BUG_ON(sk->refs <= 0);
	if (--sk->refs)
		return;
	*sk->pprev = sk->next;
	if (sk->next)
		sk->next->pprev = sk->pprev;
	sk->ops->destroy(sk);
}

void net_fini(struct net *n)
{
	struct sock *sk;

	net_publish_fini(n);
	sk = n->socks;
	while (sk) {
		if (!sk->ops->queued(sk)) {
			sk = sk->next;
			continue;
		}
		sock_get(sk);
		sk->ops->purge(sk); /* may free any sock but sk: start over */
		sock_put(sk);
		sk = n->socks;
	}
	inet_fini(n);
	free(n->puts);
	n->puts = NULL;
	n->puts_room = 0;
}

void net_put_file(struct net *n, struct vfs_file *f)
{
	if (n->putting && n->nputs == n->puts_room) {
		int room = n->puts_room ? n->puts_room * 2 : 64;
		struct vfs_file **p = realloc(n->puts, (size_t)room * sizeof(*p));
		if (p) {
			n->puts = p;
			n->puts_room = room;
		}
	}
	if (n->putting && n->nputs < n->puts_room) {
		n->puts[n->nputs++] = f;
		return;
	}
	if (n->putting) { /* out of memory: put it now, recursing once more */
		vfs_file_put(f);
		return;
	}
	n->putting = true;
	vfs_file_put(f);
	while (n->nputs)
		vfs_file_put(n->puts[--n->nputs]);
	n->putting = false;
}

void sock_wake(struct sock *sk)
{
	waitq_wake_polled(sk->net->wq, sk);
}

int sock_take_err(struct sock *sk)
{
	int err = sk->err;

	sk->err = 0;
	return err;
}

bool net_is_socket(struct vfs_file *f)
{
	return f->ops == &socket_ops;
}

/* read(2) and write(2) are recv and send without flags. */
static long sock_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct net_msg m = {.buf = buf, .len = len};

	return net_recv(f, &m);
}

static long sock_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	struct net_msg m = {.buf = (void *)buf, .len = len};

	return net_send(f, &m); /* the caller's credentials go with it */
}

static int sock_stat(struct vfs_file *f, struct stat *st)
{
	struct socket_file *s = sf_of(f);

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	st->st_nlink = 1;
	st->st_ino = s->ino;
	st->st_dev = SOCKFS_DEV;
	st->st_uid = s->uid;
	st->st_gid = s->gid;
	st->st_blksize = 4096;
	return 0;
}

static int sock_statfs(struct vfs_file *f, struct statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = SOCKFS_MAGIC;
	sf->f_bsize = 4096;
	sf->f_frsize = 4096;
	sf->f_namelen = NAME_MAX;
	return 0;
}

static long sock_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	struct sock *sk = net_sock(f);
	size_t n;

	if (net_iface_ioctl_cmd(cmd))
		return net_iface_ioctl(sk->family, cmd, arg);
	if (cmd == FIONREAD && sk->ops->inq) /* SIOCINQ */
		n = sk->ops->inq(sk);
	else if (cmd == SIOCOUTQ && sk->ops->outq)
		n = sk->ops->outq(sk);
	else
		return -ENOTTY;
	*(int *)arg = n > INT_MAX ? INT_MAX : (int)n;
	return 0;
}

static long long sock_timeout(struct vfs_file *f, bool out)
{
	struct sock *sk = net_sock(f);

	return out ? sk->sndtimeo : sk->rcvtimeo;
}

static short sock_poll(struct vfs_file *f)
{
	struct sock *sk = net_sock(f);

	return sk->ops->poll(sk);
}

static int sock_pollfd(struct vfs_file *f)
{
	struct sock *sk = net_sock(f);

	return sk->ops->pollfd ? sk->ops->pollfd(sk) : -1;
}

static const void *sock_wchan(struct vfs_file *f)
{
	return net_sock(f);
}

/* The socket's file is gone: the protocol lets go of its peer, then the file's reference goes. */
static void sock_drop(struct sock *sk)
{
	struct net *n = sk->net;

	sk->dead = true;
	sk->file = NULL;
	sk->ops->release(sk);
	sock_wake(sk);
	sock_put(sk);
	unix_gc_closed(n); /* a closed socket may leave a cycle only flight holds */
}

static void sock_release(struct vfs_file *f)
{
	sock_drop(net_sock(f));
}

static const struct vfs_file_ops socket_ops = {
	.read = sock_read,
	.write = sock_write,
	.stat = sock_stat,
	.statfs = sock_statfs,
	.ioctl = sock_ioctl,
	.poll = sock_poll,
	.pollfd = sock_pollfd,
	.wchan = sock_wchan,
	.timeout = sock_timeout,
	.release = sock_release,
};

struct vfs_file *sock_file(struct sock *sk, int flags, const struct net_cred *owner)
{
	char path[32];
	unsigned long ino = SOCK_INO_BASE + sk->net->next_ino++;

	snprintf(path, sizeof(path), "socket:[%lu]", ino);
	struct socket_file *s = vfs_file_alloc(sizeof(*s), &socket_ops, O_RDWR | (flags & O_NONBLOCK),
					       path);
	if (!s)
		return NULL;
	s->sk = sk;
	sk->file = &s->base;
	s->ino = ino;
	sk->ino = ino;
	sk->uid = owner->uid;
	s->uid = owner->uid;
	s->gid = owner->gid;
	return &s->base;
}

int net_socket(struct net *n, int family, int type, int protocol, int flags,
	       const struct net_cred *cr, struct vfs_file **out)
{
	struct sock *sk;
	int err;

	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type > SOCK_PACKET)
		return -EINVAL;
	/* A family uos has not (yet): what a kernel built without it answers. */
	if (family == AF_UNIX)
		err = unix_create(n, type, protocol, &sk);
	else if ((family == AF_INET || family == AF_INET6) && n->host &&
		 (type == SOCK_STREAM || type == SOCK_DGRAM))
		err = hostsock_create(n, family, type, protocol, &sk);
	else if (family == AF_INET || family == AF_INET6)
		err = inet_create(n, family, type, protocol, &sk);
	else if (family == AF_NETLINK)
		err = netlink_create(n, type, protocol, &sk);
	else if (family == AF_PACKET)
		err = -EPERM; /* packet_create: no CAP_NET_RAW in uos's network */
	else
		err = -EAFNOSUPPORT;
	if (err)
		return err;
	*out = sock_file(sk, flags, cr);
	if (!*out) {
		sock_put(sk);
		return -ENOMEM;
	}
	return 0;
}

int net_socketpair(struct net *n, int family, int type, int protocol, int flags,
		   const struct net_cred *cr, struct vfs_file *out[2])
{
	struct sock *sk[2];
	int err;

	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type > SOCK_PACKET)
		return -EINVAL;
	if (family != AF_UNIX) /* only AF_UNIX makes pairs */
		return -EOPNOTSUPP;
	err = unix_pair(n, type, protocol, cr, sk);
	if (err)
		return err;
	out[0] = sock_file(sk[0], flags, cr);
	out[1] = out[0] ? sock_file(sk[1], flags, cr) : NULL;
	if (!out[1]) {
		if (out[0])
			vfs_file_put(out[0]); /* drops sk[0] */
		else
			sock_drop(sk[0]);
		sock_drop(sk[1]);
		return -ENOMEM;
	}
	return 0;
}

long net_send(struct vfs_file *f, struct net_msg *m)
{
	struct sock *sk = net_sock(f);
	struct net *n = sk->net;

	if (!m->cred_given && n->caller)
		n->caller(n->caller_arg, &m->cred);
	/* Files that would not fit in flight may fit once garbage holds none (wait_for_unix_gc). */
	if (m->nfds && !memcg_fits(n->cg, MEMCG_INFLIGHT, (unsigned long)m->nfds))
		unix_gc(n);
	return sk->ops->send(sk, m);
}

long net_recv(struct vfs_file *f, struct net_msg *m)
{
	struct sock *sk = net_sock(f);

	return sk->ops->recv(sk, m);
}

size_t net_max_msg(struct vfs_file *f)
{
	struct sock *sk = net_sock(f);

	return sk->ops->max_msg(sk);
}

int net_bind(struct vfs_caller *c, struct vfs_file *f, const void *addr, unsigned int len)
{
	struct sock *sk = net_sock(f);

	return sk->ops->bind(sk, c, addr, len);
}

int net_connect(struct vfs_caller *c, struct vfs_file *f, const void *addr, unsigned int len,
		const struct net_cred *cr)
{
	struct sock *sk = net_sock(f);

	int err;

	sk->wait_chan = NULL;
	if (sk->connect_pending) { /* the connect after EINPROGRESS reports the connection made */
		sk->connect_pending = false;
		return 0;
	}
	err = sk->ops->connect(sk, c, addr, len, cr);
	/* A connect under way on the host (hostsock.c): a blocking caller waits it out. */
	if ((err == -EINPROGRESS || err == -EALREADY) && !(f->flags & O_NONBLOCK))
		return -EAGAIN;
	/*
	 * A TCP connect on a non-blocking socket is under way (on the loopback:
	 * already made; a host socket says for itself).
	 */
	if (!err && !sk->ops->pollfd && sk->family != AF_UNIX && sk->type == SOCK_STREAM &&
	    (f->flags & O_NONBLOCK)) {
		sk->connect_pending = true;
		err = -EINPROGRESS;
	}
	return err;
}

int net_listen(struct vfs_file *f, int backlog, const struct net_cred *cr)
{
	struct sock *sk = net_sock(f);

	return sk->ops->listen(sk, backlog, cr);
}

int net_accept(struct vfs_file *f, int flags, const struct net_cred *cr, struct vfs_file **out,
	       void *addr, unsigned int *len)
{
	struct sock *sk = net_sock(f), *nsk;
	int err = sk->ops->accept(sk, &nsk);

	if (err)
		return err;
	err = nsk->ops->name(nsk, true, addr, len);
	*out = sock_file(nsk, flags, cr);
	if (!*out) {
		sock_drop(nsk);
		return -ENOMEM;
	}
	return err;
}

const void *net_chan(struct vfs_file *f)
{
	struct sock *sk = net_sock(f);

	return sk->wait_chan ? sk->wait_chan : sk;
}

int net_shutdown(struct vfs_file *f, int how)
{
	struct sock *sk = net_sock(f);

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	return sk->ops->shutdown(sk, how + 1); /* SHUT_RD -> RCV, SHUT_WR -> SEND */
}

int net_name(struct vfs_file *f, bool peer, void *addr, unsigned int *len)
{
	struct sock *sk = net_sock(f);

	return sk->ops->name(sk, peer, addr, len);
}
