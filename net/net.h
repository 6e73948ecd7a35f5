/*
 * The network layer: sockets as open files (struct vfs_file) whose
 * protocols live in uos.  It sits on the VFS and the base layer; the
 * socket handlers (sys_socket.c) decode the guest's calls, copy data and
 * control messages in and out, and call these.  The host's network is
 * reached only when the user says so: --net=host (hostsock.c) and
 * --publish (publish.c); a host AF_UNIX socket never.
 *
 * Today: AF_UNIX stream, datagram and seqpacket sockets, in pairs
 * (socketpair) or named (bind, listen, connect, accept); TCP and UDP over
 * IPv4 and IPv6 on uos's own loopback, or as host sockets (--net=host);
 * AF_NETLINK's NETLINK_ROUTE, which answers about uos's one interface, lo
 * (ifaces.h), as do the interface ioctls of any socket.  AF_PACKET: EPERM.
 * Other families: EAFNOSUPPORT.
 *
 * Data moves through uos buffers: the handler hands a struct net_msg.
 * Calls that would block give -EAGAIN; the caller parks on net_chan(f)
 * unless the call or the file is non-blocking.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct memcg;
struct pollfd;
struct publish;
struct relay;
struct sock;
struct unix_sock;
struct vfs_caller;
struct vfs_file;
struct waitq;

/* Who sends: SO_PEERCRED and SCM_CREDENTIALS carry it (uos's pid and ids). */
struct net_cred {
	int pid;
	unsigned int uid, gid;
	int stamp; /* with pid, what tells that process from a later one (the kernel's; 0: none) */
};

#define NET_PORT_HASH 1024

/* The books of every socket of one uos. */
struct net {
	struct waitq *wq;	/* whose waiters a socket's change wakes, or NULL */
	struct memcg *cg;	/* socket buffers are charged here (MEMCG_SOCK), or NULL */
	unsigned long next_ino; /* sockfs inode numbers */
	/*
	 * The credentials of the caller being served (its pid, real uid and
	 * gid), which every message carries unless it names others: set by
	 * the kernel, which knows who calls (NULL: none).
	 */
	void (*caller)(const void *arg, struct net_cred *out);
	const void *caller_arg;
	struct unix_sock *unix_bound; /* AF_UNIX sockets with a name (unix_conn.c) */
	struct sock *socks;	      /* every sock not yet freed */
	/* The loopback's TCP and UDP sockets with a port, hashed by it (inet_bind.c). */
	struct unix_sock *inet_bound[NET_PORT_HASH];
	int ntime_wait; /* how many of them are closed, in TIME_WAIT */
	unsigned int next_port;	      /* the next ephemeral port to try */
	unsigned int nl_autobinds;    /* netlink port ids handed out below -4096 (netlink.c) */
	/* Socket files in flight, for the collector (unix_gc.c). */
	long inflight;		/* how many times */
	struct sock *flying;	/* the socks whose file is, at least once */
	long nflying;
	long closes;		/* sockets closed since it last ran */
	bool gc_running;
	/* Files out of flight whose put waits for the one in progress (net_put_file). */
	struct vfs_file **puts;
	int nputs, puts_room;
	bool putting;
	/* --net=host: INET sockets are host sockets (hostsock.c), host_socks of host_max. */
	bool host;
	int host_socks, host_max;
	/* --publish: the host listeners, and the connections relayed to guests (publish.c). */
	struct publish *pubs;
	struct relay *relays;
	int nrelays;
};
void net_init(struct net *n, struct waitq *wq, struct memcg *cg);
/*
 * uos ends (every fd table is gone): free the sockets that messages in
 * flight still hold (cycles of sockets passed to each other).
 */
void net_fini(struct net *n);

/* --publish [HOSTADDR:]HOSTPORT:GUESTPORT[/udp], parsed. */
struct net_publish {
	struct sockaddr_storage host; /* HOSTADDR (0.0.0.0 by default) and HOSTPORT */
	socklen_t hostlen;
	unsigned short guest_port;
	bool udp;
};
/* Parse spec: 0, -EINVAL (its form), -ERANGE (a port not in 1..65535). */
int net_publish_parse(const char *spec, struct net_publish *p);
/* Listen on the host for p: 0, or the host's -errno (bind, listen). */
int net_publish_open(struct net *n, const struct net_publish *p);
/*
 * The event loop's side of --publish: net_serve takes waiting connections
 * and moves what the relays can move now (a count of what progressed, 0:
 * nothing); net_watch fills at most max (net_watch_count) pollfds with the
 * host fds net waits on (fd -1: not now), and net_watch_ready hands their
 * revents back in the same order, for the next net_serve.
 */
int net_serve(struct net *n);
int net_watch_count(struct net *n);
int net_watch(struct net *n, struct pollfd *pfd, int max);
void net_watch_ready(struct net *n, const struct pollfd *pfd, int count);
/* Close the listeners and relays (net_fini). */
void net_publish_fini(struct net *n);

#define NET_OPT_MAX 256 /* the longest socket option value the handlers copy (TCP_INFO: 232) */
#define NET_SCM_MAX_FD 253 /* SCM_MAX_FD: files in one SCM_RIGHTS message */
/* The sysctls uos's network behaves by (/proc/sys/net shows them). */
#define NET_SOMAXCONN 4096	   /* net.core.somaxconn: the largest listen backlog */
#define NET_UNIX_MAX_DGRAM_QLEN 10 /* net.unix.max_dgram_qlen: a receiver queues one more */
#define NET_PORT_FIRST 32768	   /* net.ipv4.ip_local_port_range */
#define NET_PORT_LAST 60999

/* One message of a send or a receive. */
struct net_msg {
	void *buf;  /* the data, a uos buffer */
	size_t len; /* send: its length; receive: its room */
	int flags;  /* the call's MSG_* flags */
	const void *addr;     /* send: the address given (sendto, msg_name), addrlen bytes */
	unsigned int addrlen; /* 0: none */
	struct vfs_caller *caller; /* send to an address: who looks its path name up */
	struct net_cred cred; /* send: the credentials claimed, if cred_given; receive: out */
	bool cred_given;      /* send: SCM_CREDENTIALS named them (else the caller's) */
	/*
	 * SCM_RIGHTS.  Send: nfds files (the caller's references; the
	 * message takes its own).  Receive: at most maxfds files are taken
	 * out (the caller owns the references); the rest are dropped and
	 * MSG_CTRUNC set.
	 */
	struct vfs_file **fds;
	int nfds, maxfds;
	int out_flags;	/* receive: MSG_TRUNC, MSG_CTRUNC */
	void *name;	      /* receive: the sender's name out (room namelen), or NULL */
	unsigned int namelen; /* its length (0: unnamed) */
	bool got_cred;	/* receive: cred holds the sender's (the socket has SO_PASSCRED) */
};

/* Whether f is a socket (else ENOTSOCK for the socket calls). */
bool net_is_socket(struct vfs_file *f);

/*
 * socket(2) with type's SOCK_* type (the caller took SOCK_NONBLOCK and
 * SOCK_CLOEXEC out: flags has O_NONBLOCK), for creator cr.
 */
int net_socket(struct net *n, int family, int type, int protocol, int flags,
	       const struct net_cred *cr, struct vfs_file **out);
/* socketpair(2): two connected sockets; EOPNOTSUPP for families without pairs. */
int net_socketpair(struct net *n, int family, int type, int protocol, int flags,
		   const struct net_cred *cr, struct vfs_file *out[2]);

/*
 * Send m on f: the bytes taken (a stream may take part, and takes the
 * files and credentials with its first bytes), -EAGAIN when nothing fits
 * now, -EPIPE (the caller sends SIGPIPE unless MSG_NOSIGNAL), -ENOTCONN,
 * -ECONNREFUSED, -EMSGSIZE, -ENOBUFS, -ETOOMANYREFS.
 */
long net_send(struct vfs_file *f, struct net_msg *m);
/*
 * Receive into m from f: the bytes given (a datagram's whole length with
 * MSG_TRUNC), 0 at the end of the stream, -EAGAIN when nothing is there,
 * -ECONNRESET once after the peer went away with data unread, -EINVAL.
 */
long net_recv(struct vfs_file *f, struct net_msg *m);
/*
 * The text of /proc/net/unix: Linux's header, then one line per AF_UNIX
 * socket (kernel addresses shown as zeros).  Its length and a malloc'd
 * buffer in *out, or -ENOMEM.
 */
long net_proc_unix(struct net *n, char **out);
/*
 * The text of /proc/net/tcp (tcp), udp, and their IPv6 tables (v6): header,
 * then one line per loopback socket with a name.  As net_proc_unix.
 */
long net_proc_inet(struct net *n, bool tcp, bool v6, const char *header, char **out);
/* Whether cmd is an interface ioctl (SIOCGIFFLAGS ...): its argument is a struct ifreq, in and out. */
bool net_iface_ioctl_cmd(unsigned long cmd);
/*
 * SIOCGIFCONF: the IPv4 addresses' struct ifreq into buf (len bytes, whole
 * entries only); the bytes filled, or with buf NULL the bytes all need.
 */
long net_ifconf(void *buf, unsigned int len);
/* /proc/net's files about the interfaces. */
enum net_proc_file {
	NET_PROC_ARP,
	NET_PROC_DEV,
	NET_PROC_IF_INET6,
	NET_PROC_IGMP,
	NET_PROC_IGMP6,
	NET_PROC_ROUTE,
	NET_PROC_IPV6_ROUTE,
};
/* The text of one of them, as net_proc_unix. */
long net_proc_iface(enum net_proc_file which, char **out);
/* The largest message f can send at once (SOCK_STREAM: 0, any length). */
size_t net_max_msg(struct vfs_file *f);
/*
 * bind(2) of f to addr (len bytes, copied in): an AF_UNIX path name makes a
 * socket inode through the VFS as c; an abstract name or autobind none.
 */
int net_bind(struct vfs_caller *c, struct vfs_file *f, const void *addr, unsigned int len);
/*
 * connect(2) to addr, found as c; cr: the caller's credentials (the peer's
 * SO_PEERCRED).  -EAGAIN when the listener's backlog is full: wait on
 * net_chan(f).  AF_UNSPEC dissolves a datagram socket's association.
 */
int net_connect(struct vfs_caller *c, struct vfs_file *f, const void *addr, unsigned int len,
		const struct net_cred *cr);
/* listen(2), with the listener's credentials (its connections' SO_PEERCRED). */
int net_listen(struct vfs_file *f, int backlog, const struct net_cred *cr);
/*
 * accept4(2): a new socket file (flags: O_NONBLOCK; its owner cr) for the
 * first connection, and the peer's name into addr (room *len, length out).
 * -EAGAIN when none waits.
 */
int net_accept(struct vfs_file *f, int flags, const struct net_cred *cr, struct vfs_file **out,
	       void *addr, unsigned int *len);
/* What a call on f that gave -EAGAIN waits on (the channel its change wakes). */
const void *net_chan(struct vfs_file *f);
/* shutdown(2): how is SHUT_RD, SHUT_WR or SHUT_RDWR (checked: else -EINVAL). */
int net_shutdown(struct vfs_file *f, int how);

/*
 * getsockopt(2)/setsockopt(2): val is a uos buffer of *len (get: room in,
 * length out) bytes.  -ENOPROTOOPT for what is not known, -EINVAL for a
 * short value.
 */
/*
 * The process at the other end of a connected AF_UNIX socket (SO_PEERPIDFD),
 * or -ENODATA (unconnected, or TCP, which knows no peer process).
 */
int net_peer_cred(struct vfs_file *f, struct net_cred *out);
int net_getsockopt(struct vfs_file *f, int level, int name, void *val, unsigned int *len);
int net_setsockopt(struct vfs_file *f, int level, int name, const void *val, unsigned int len);
/*
 * getsockname(2)/getpeername(2) (peer): the address into addr (room
 * *len), its full length into *len.  -ENOTCONN without a peer.
 */
int net_name(struct vfs_file *f, bool peer, void *addr, unsigned int *len);
