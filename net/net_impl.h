/*
 * What the socket layer (socket.c) shares with the protocols (unix.c): the
 * protocol-independent socket state, as Linux's struct sock, and the
 * operations a protocol fills, as its struct proto_ops.
 *
 * A socket file (socket.c) holds one reference to its sock; a protocol may
 * hold more (a message queued by a sender holds its sender's, which it is
 * charged to), so a sock outlives its file until its last message is read.
 * The sock is the channel its waiters park on and its changes wake.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "base.h"
#include "net.h"

#define NET_RCV_SHUTDOWN 1
#define NET_SEND_SHUTDOWN 2
#define NET_SHUTDOWN_MASK 3

/* Linux's defaults: net.core.wmem_default, rmem_default, and SOCK_MIN_SNDBUF/RCVBUF. */
#define NET_BUF_DEFAULT 212992
#define NET_BUF_MAX (4194304 * 2) /* wmem_max, doubled as setsockopt does */
#define NET_SNDBUF_MIN 4608
#define NET_RCVBUF_MIN 2304
/* The kernel's tick (CONFIG_HZ of Debian's kernels): SO_LINGER's time is kept in ticks. */
#define NET_HZ 250

struct sock;
struct vfs_caller;

struct sock_ops {
	long (*send)(struct sock *sk, struct net_msg *m);
	long (*recv)(struct sock *sk, struct net_msg *m);
	short (*poll)(struct sock *sk);
	int (*shutdown)(struct sock *sk, int mode); /* mode: NET_*_SHUTDOWN bits */
	/* The file is closed: let go of the peer; the sock is put after. */
	void (*release)(struct sock *sk);
	/* Free what the protocol holds (the last reference went). */
	void (*destroy)(struct sock *sk);
	/* Whether messages (or connections) wait in sk's queues, and drop them (net_fini). */
	bool (*queued)(struct sock *sk);
	void (*purge)(struct sock *sk);
	/* FIONREAD: unread bytes, or the next datagram's; SIOCOUTQ: bytes sent and not yet read (NULL: ENOTTY). */
	size_t (*inq)(struct sock *sk);
	size_t (*outq)(struct sock *sk);
	int (*name)(struct sock *sk, bool peer, void *addr, unsigned int *len);
	size_t (*max_msg)(struct sock *sk);
	int (*bind)(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len);
	int (*connect)(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len,
		       const struct net_cred *cr);
	int (*listen)(struct sock *sk, int backlog, const struct net_cred *cr);
	int (*accept)(struct sock *sk, struct sock **out);
	/* Options of the protocol's levels (IPPROTO_TCP ...); NULL: -EOPNOTSUPP. */
	int (*getsockopt)(struct sock *sk, int level, int name, void *val, unsigned int *len);
	int (*setsockopt)(struct sock *sk, int level, int name, const void *val, unsigned int len);
	/* The host fd whose readiness is sk's (hostsock.c); NULL: sk's own poll and channel. */
	int (*pollfd)(struct sock *sk);
	/* The protocol answers SOL_SOCKET too, but for the timeouts (uos does the waiting). */
	bool sol_socket;
};

struct sock {
	int refs;
	struct sock *next, **pprev; /* in the net's list of socks */
	struct net *net;
	const struct sock_ops *ops;
	int family, type, protocol;
	unsigned long ino; /* its socket file's inode number (0: none, a connection not accepted) */
	unsigned int uid;  /* its file's owner (/proc/net's uid column) */
	unsigned shutdown; /* NET_*_SHUTDOWN */
	int err;	   /* SO_ERROR, taken by the next call that reports it */
	int sndbuf, rcvbuf;
	size_t wmem;	   /* bytes this sock sent that are still queued (against sndbuf) */
	long long rcvtimeo, sndtimeo; /* SO_RCVTIMEO, SO_SNDTIMEO in ns: 0 none, <0 no waiting */
	bool passcred;	   /* SO_PASSCRED */
	bool linger;	   /* SO_LINGER on, for linger_secs (negative: for ever) */
	long long linger_secs;
	bool dead;	   /* its file is closed */
	bool listening;
	bool connect_pending; /* a non-blocking TCP connect said EINPROGRESS */
	/* Where a call that gave -EAGAIN waits (a connect: the listener), or NULL: on sk. */
	const void *wait_chan;
	struct vfs_file *file; /* its socket file (not a reference), or NULL once closed */
	int inflight;	       /* how many messages in flight hold that file (SCM_RIGHTS) */
	struct sock *flying_next, **flying_pprev; /* in the net's list while inflight */
	bool has_peercred;
	struct net_cred peercred; /* SO_PEERCRED */
	/* Options kept and read back (SO_KEEPALIVE ...): one bit per optname. */
	unsigned long long flags;
};

/* The sock of socket file f (net_is_socket). */
struct sock *net_sock(struct vfs_file *f);
/* Initialise sk for n with ops, with one reference (the file's). */
void sock_init(struct sock *sk, struct net *n, const struct sock_ops *ops, int family, int type,
	       int protocol);
void sock_get(struct sock *sk);
void sock_put(struct sock *sk);
/* sk changed: wake its waiters and every poller. */
void sock_wake(struct sock *sk);
/* A socket file for sk (consumes the reference), or NULL when out of memory. */
struct vfs_file *sock_file(struct sock *sk, int flags, const struct net_cred *owner);
/*
 * Put f, a file that was in flight.  A socket's last put empties its queue,
 * which puts the files in it: a chain of sockets in flight would recurse
 * once per link, so a put inside another waits for it to finish (as
 * Linux's delayed fput).
 */
void net_put_file(struct net *n, struct vfs_file *f);
/* Take sk's pending error (SO_ERROR semantics): the error, or 0. */
int sock_take_err(struct sock *sk);

/* inet.c: the loopback's TCP and UDP sockets. */
int inet_create(struct net *n, int family, int type, int protocol, struct sock **out);
/* hostsock.c: TCP and UDP over the host's network (--net=host). */
int hostsock_create(struct net *n, int family, int type, int protocol, struct sock **out);
/*
 * hostsock_opt.c: whether a guest may get (set: false) or set option name of
 * level on a host socket: 0, -EPERM (a privilege), -ENOPROTOOPT.
 */
int hostsock_opt_check(int level, int name, bool set, const void *val, unsigned int len);
/* inet_bind.c: let go of the sockets in TIME_WAIT (uos ends). */
void inet_fini(struct net *n);
/* netlink.c: AF_NETLINK sockets (NETLINK_ROUTE). */
int netlink_create(struct net *n, int type, int protocol, struct sock **out);
/* unix.c: AF_UNIX sockets, unconnected, or connected in a pair. */
int unix_create(struct net *n, int type, int protocol, struct sock **out);
int unix_pair(struct net *n, int type, int protocol, const struct net_cred *cr,
	      struct sock *out[2]);
/*
 * unix_gc.c: count sk's file into flight (d 1) or out of it (-1); and
 * collect the AF_UNIX sockets that only messages in flight hold, in cycles
 * no fd reaches: now (unix_gc), or as a socket is closed (unix_gc_closed).
 */
void unix_flight(struct sock *sk, int d);
void unix_gc(struct net *n);
void unix_gc_closed(struct net *n);
