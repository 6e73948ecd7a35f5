/*
 * What AF_UNIX's data path (unix.c) shares with its names and connections
 * (unix_conn.c) and with the loopback's TCP and UDP (inet.c), which use the
 * same sockets: the socket, its messages, and the calls between them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "net_impl.h"

#define UNIX_MAX_DGRAM_QLEN NET_UNIX_MAX_DGRAM_QLEN
#define UNIX_SKB_MAX 65536     /* a stream's message at most (Linux: half the sndbuf, less) */
/*
 * What a message costs uos beyond its bytes (its header, its files' array,
 * the allocator's own): charged to MEMCG_SOCK with them, so that many small
 * messages are bounded by what they hold, as Linux charges an skb's truesize.
 */
#define UNIX_SKB_SLOP 32

#define INET_NOPTS 24

struct unix_skb {
	struct unix_skb *next;
	struct sock *from; /* the sender (a reference): its wmem counts len */
	size_t len, off;   /* bytes [off, len) of data are unread */
	size_t charged;	   /* what MEMCG_SOCK was charged for it (skb_cost) */
	struct vfs_file **fds;
	int nfds;
	struct net_cred cred;
	char data[];
};

struct unix_sock {
	struct sock sk;
	struct unix_sock *peer; /* the connected peer (a reference), or NULL */
	bool connected;		/* a stream or seqpacket socket that was connected */
	struct unix_skb *head, *tail; /* the receive queue */
	int qlen;
	size_t qbytes;
	/* Its name (unix_conn.c): addrlen 0 while unbound. */
	struct sockaddr_un addr;
	unsigned int addrlen;
	bool has_inode;		  /* a path name: the socket inode it made */
	dev_t dev;
	ino_t ino;
	struct unix_sock *bound_next; /* in the net's list of named sockets */
	/* AF_INET and AF_INET6 (inet.c): names as IPv6 (IPv4 mapped), ports in host order. */
	struct inet_addr {
		uint8_t ip[16];
		uint16_t port;
	} local, remote;
	bool inet_bound, has_remote, v6only;
	bool fin; /* TCP: the peer sends no more; reads end at 0 before any error (SOCK_DONE) */
	bool fin_sent, fin_first; /* TCP: it sent its FIN, before the peer's (TIME_WAIT follows) */
	long long tw_until;	  /* closed, in TIME_WAIT until then (CLOCK_MONOTONIC s), or 0 */
	struct unix_sock *inet_next; /* in the net's list of bound INET sockets */
	int inet_opts[INET_NOPTS];   /* the IP and TCP options kept (inet.c's table) */
	/* Listening: connections not yet accepted (their server ends), at most backlog + 1. */
	struct unix_sock *acc_head, *acc_tail, *acc_next;
	int acc_len, backlog;
	/* The collector's marks (unix_gc.c), good during one run. */
	bool gc_candidate, gc_live;
	int gc_refs;
	struct unix_sock *gc_next;
};

extern const struct sock_ops unix_ops;
/* The data path, which the loopback's INET sockets share (inet.c). */
long unix_send(struct sock *sk, struct net_msg *m);
long unix_recv(struct sock *sk, struct net_msg *m);
short unix_poll(struct sock *sk);
int unix_shutdown(struct sock *sk, int mode);
void unix_release(struct sock *sk);
/* Let go of what a closed socket holds (its queue, its peer, its name); the peer was told. */
void unix_let_go(struct unix_sock *u);
void unix_destroy(struct sock *sk);
bool unix_queued(struct sock *sk);
void unix_purge(struct sock *sk);
size_t unix_inq(struct sock *sk);
size_t unix_outq(struct sock *sk);

struct unix_sock *us_of(struct sock *sk);
/* Stream and seqpacket sockets connect; datagram sockets only have a default peer. */
bool conn_based(const struct sock *sk);
/* A new unconnected socket of n with ops, or NULL when out of memory (or past MEMCG_SOCK). */
struct unix_sock *unix_alloc(struct net *n, const struct sock_ops *ops, int family, int type,
			     int protocol);
/* Connect a and b to each other (each holds a reference to the other). */
void unix_join(struct unix_sock *a, struct unix_sock *b);
/* Close sk as its file's close does (an embryo that was never accepted). */
void unix_drop(struct unix_sock *u);

/* A datagram from u to the socket to (its queue's room and u's sndbuf allowing). */
long unix_dgram_to(struct unix_sock *u, struct unix_sock *to, struct net_msg *m);

/* unix_conn.c: names, and the connections made through them. */
long unix_send_to(struct unix_sock *u, struct net_msg *m);
void unix_unbind(struct unix_sock *u);
void unix_conn_release(struct unix_sock *u);
int unix_name(struct sock *sk, bool peer, void *addr, unsigned int *len);
int unix_bind(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len);
int unix_connect(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len,
		 const struct net_cred *cr);
int unix_listen(struct sock *sk, int backlog, const struct net_cred *cr);
int unix_accept(struct sock *sk, struct sock **out);
/* The sender's name for a receiver (recvfrom): into addr (room *len), its length in *len. */
void unix_from_name(const struct sock *from, void *addr, unsigned int *len);
/* A connection of u to the listener o: the server's end queues on o until accept. */
int unix_connect_to(struct unix_sock *u, struct unix_sock *o, const struct net_cred *cr);

/* inet.c: the loopback's TCP and UDP names. */
void inet_unbind(struct unix_sock *u);
void inet_from_name(const struct unix_sock *to, const struct sock *from, void *addr,
		    unsigned int *len);

