/*
 * AF_UNIX names and the connections made through them, as af_unix.c:
 * bind to a path name (a socket inode made through the VFS, found again by
 * its device and inode numbers), to an abstract name (uos's own table), or
 * autobind ("\0" and five hex digits); listen with a backlog; connect, which
 * makes the server's end (an embryo) and queues it on the listener until
 * accept takes it; datagrams sent to a name.
 *
 * A name found that no socket has bound, or a path that is no socket,
 * refuses (ECONNREFUSED); a socket inode of the host (a --mount) is one no
 * uos socket has bound, so a guest never reaches a host socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unix_impl.h"
#include "vfs.h"

#define SUN_PATH_OFF offsetof(struct sockaddr_un, sun_path)

/* unix_validate_addr: AF_UNIX, with at least one byte of name. */
static int valid_addr(const void *addr, unsigned int len)
{
	sa_family_t fam;

	if (len <= SUN_PATH_OFF || len > sizeof(struct sockaddr_un))
		return -EINVAL;
	memcpy(&fam, addr, sizeof(fam));
	return fam == AF_UNIX ? 0 : -EINVAL;
}

/* The path of a path name (NUL-terminated in path[sizeof sun_path + 1]). */
static void path_of(const struct sockaddr_un *a, unsigned int len, char *path)
{
	memcpy(path, a->sun_path, len - SUN_PATH_OFF);
	path[len - SUN_PATH_OFF] = '\0';
}

static bool abstract(const struct sockaddr_un *a)
{
	return a->sun_path[0] == '\0';
}

/* The socket bound to an abstract name (the bytes of addr, len), or NULL. */
static struct unix_sock *find_abstract(struct net *n, const struct sockaddr_un *a,
				       unsigned int len)
{
	for (struct unix_sock *u = n->unix_bound; u; u = u->bound_next)
		if (!u->has_inode && u->addrlen == len && !memcmp(&u->addr, a, len))
			return u;
	return NULL;
}

static struct unix_sock *find_inode(struct net *n, dev_t dev, ino_t ino)
{
	for (struct unix_sock *u = n->unix_bound; u; u = u->bound_next)
		if (u->has_inode && u->dev == dev && u->ino == ino)
			return u;
	return NULL;
}

/*
 * The socket a name leads to, for a socket of type: -ECONNREFUSED when none
 * is bound there, -EPROTOTYPE for another type, the path lookup's error, or
 * -EACCES without write permission on the socket inode.
 */
static int find_other(struct net *n, struct vfs_caller *c, const void *addr, unsigned int len,
		      int type, struct unix_sock **out)
{
	struct sockaddr_un a = {0};
	struct unix_sock *o;

	memcpy(&a, addr, len);
	if (abstract(&a)) {
		o = find_abstract(n, &a, len);
	} else {
		char path[sizeof(a.sun_path) + 1];
		struct stat st;
		path_of(&a, len, path);
		int err = vfs_stat(c, NULL, path, 0, &st);
		if (!err && S_ISSOCK(st.st_mode))
			err = vfs_access(c, NULL, path, W_OK, 0);
		if (err)
			return err;
		o = S_ISSOCK(st.st_mode) ? find_inode(n, st.st_dev, st.st_ino) : NULL;
	}
	if (!o || o->sk.dead)
		return -ECONNREFUSED;
	if (o->sk.type != type)
		return -EPROTOTYPE;
	*out = o;
	return 0;
}

static void name_it(struct unix_sock *u, const struct sockaddr_un *a, unsigned int len)
{
	memcpy(&u->addr, a, len);
	u->addrlen = len;
	u->bound_next = u->sk.net->unix_bound;
	u->sk.net->unix_bound = u;
}

/* Autobind: the first free abstract name "\0" and five hex digits. */
static int autobind(struct unix_sock *u)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	unsigned int len = SUN_PATH_OFF + 6;

	for (unsigned long i = 0; i < 0x100000; i++) {
		unsigned long v = (u->sk.net->next_ino + i) & 0xfffff;
		char hex[8];
		snprintf(hex, sizeof(hex), "%05lx", v);
		memcpy(a.sun_path + 1, hex, 5);
		if (!find_abstract(u->sk.net, &a, len)) {
			name_it(u, &a, len);
			return 0;
		}
	}
	return -ENOSPC;
}

/* A path name: the socket inode, made with 0777 less the umask (EADDRINUSE when the name is taken). */
static int bind_path(struct unix_sock *u, struct vfs_caller *c, const struct sockaddr_un *a,
		     unsigned int len)
{
	char path[sizeof(a->sun_path) + 1];
	struct stat st;
	int err;

	path_of(a, len, path);
	err = vfs_mknod(c, NULL, path, S_IFSOCK | (0777 & ~c->fs->umask), 0);
	if (err == -EEXIST)
		return -EADDRINUSE;
	if (!err)
		err = vfs_stat(c, NULL, path, AT_SYMLINK_NOFOLLOW, &st);
	if (err)
		return err;
	/* Linux keeps the length of the name as given up to its first NUL. */
	len = (unsigned int)(SUN_PATH_OFF + strlen(path) + 1);
	name_it(u, a, len);
	u->has_inode = true;
	u->dev = st.st_dev;
	u->ino = st.st_ino;
	return 0;
}

int unix_bind(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len)
{
	struct unix_sock *u = us_of(sk);
	struct sockaddr_un a = {0};
	int err;

	if (len == SUN_PATH_OFF && len >= sizeof(sa_family_t) &&
	    ((const struct sockaddr_un *)addr)->sun_family == AF_UNIX)
		return u->addrlen ? -EINVAL : autobind(u);
	err = valid_addr(addr, len);
	if (err)
		return err;
	if (u->addrlen)
		return -EINVAL; /* bound already */
	memcpy(&a, addr, len);
	if (!abstract(&a))
		return bind_path(u, c, &a, len);
	if (find_abstract(sk->net, &a, len))
		return -EADDRINUSE;
	name_it(u, &a, len);
	return 0;
}

void unix_unbind(struct unix_sock *u)
{
	for (struct unix_sock **p = &u->sk.net->unix_bound; *p; p = &(*p)->bound_next)
		if (*p == u) {
			*p = u->bound_next;
			break;
		}
	u->addrlen = 0;
}

int unix_listen(struct sock *sk, int backlog, const struct net_cred *cr)
{
	struct unix_sock *u = us_of(sk);

	if (!conn_based(sk))
		return -EOPNOTSUPP;
	if (!(u->addrlen || u->inet_bound) || u->connected)
		return -EINVAL; /* unbound, or connected */
	if ((unsigned int)backlog > NET_SOMAXCONN)
		backlog = NET_SOMAXCONN;
	u->backlog = backlog;
	sk->listening = true;
	sk->peercred = *cr; /* what its connections' clients see (SO_PEERCRED) */
	sk->has_peercred = true;
	sock_wake(sk); /* a connect waiting for room may go on */
	return 0;
}

int unix_connect_to(struct unix_sock *u, struct unix_sock *o, const struct net_cred *cr)
{
	struct unix_sock *e;

	if (u->connected)
		return -EISCONN;
	if (u->sk.listening)
		return -EINVAL;
	if (!o->sk.listening)
		return -ECONNREFUSED;
	if (o->acc_len > o->backlog) {
		u->sk.wait_chan = &o->sk; /* wait for accept to make room */
		return -EAGAIN;
	}
	e = unix_alloc(o->sk.net, o->sk.ops, o->sk.family, o->sk.type, o->sk.protocol);
	if (!e)
		return -ENOMEM;
	e->sk.passcred = o->sk.passcred;
	e->sk.sndbuf = o->sk.sndbuf;
	e->sk.peercred = *cr;
	e->sk.has_peercred = true;
	memcpy(&e->addr, &o->addr, o->addrlen); /* accept's socket has the listener's name */
	e->addrlen = o->addrlen;
	e->has_inode = o->has_inode; /* (it is not in the net's table: connects find the listener) */
	u->sk.peercred = o->sk.peercred;
	u->sk.has_peercred = true;
	unix_join(u, e); /* e's first reference is the listener's queue's, then its file's */
	if (o->acc_tail)
		o->acc_tail->acc_next = e;
	else
		o->acc_head = e;
	o->acc_tail = e;
	o->acc_len++;
	sock_wake(&o->sk);
	return 0;
}

/* A datagram socket's default peer, or none with AF_UNSPEC. */
static int connect_dgram(struct unix_sock *u, struct unix_sock *o)
{
	if (u->peer)
		sock_put(&u->peer->sk);
	u->peer = o;
	if (o)
		sock_get(&o->sk);
	return 0;
}

int unix_connect(struct sock *sk, struct vfs_caller *c, const void *addr, unsigned int len,
		 const struct net_cred *cr)
{
	struct unix_sock *u = us_of(sk), *o;
	sa_family_t fam;
	int err;

	if (!conn_based(sk) && len >= sizeof(fam)) {
		memcpy(&fam, addr, sizeof(fam));
		if (fam == AF_UNSPEC)
			return connect_dgram(u, NULL);
	}
	err = valid_addr(addr, len);
	if (!err)
		err = find_other(sk->net, c, addr, len, sk->type, &o);
	if (err)
		return err;
	return conn_based(sk) ? unix_connect_to(u, o, cr) : connect_dgram(u, o);
}

int unix_accept(struct sock *sk, struct sock **out)
{
	struct unix_sock *u = us_of(sk), *e = u->acc_head;

	if (!conn_based(sk))
		return -EOPNOTSUPP;
	if (!sk->listening)
		return -EINVAL;
	if (!e)
		return -EAGAIN;
	u->acc_head = e->acc_next;
	if (!u->acc_head)
		u->acc_tail = NULL;
	u->acc_len--;
	e->acc_next = NULL;
	sock_wake(sk); /* room for a waiting connect */
	*out = &e->sk;
	return 0;
}

/* A datagram to a name (sendto): the socket bound there, if it may take it. */
long unix_send_to(struct unix_sock *u, struct net_msg *m)
{
	struct unix_sock *o;
	int err = valid_addr(m->addr, m->addrlen);

	if (!err)
		err = find_other(u->sk.net, m->caller, m->addr, m->addrlen, u->sk.type, &o);
	if (err)
		return err;
	if (o->peer && o->peer != u)
		return -EPERM; /* it is connected to another socket */
	if (u->sk.shutdown & NET_SEND_SHUTDOWN)
		return -EPIPE;
	return unix_dgram_to(u, o, m);
}

/* The socket is closed: connections never accepted are reset, its name is freed. */
void unix_conn_release(struct unix_sock *u)
{
	while (u->acc_head) {
		struct unix_sock *e = u->acc_head;
		u->acc_head = e->acc_next;
		e->acc_next = NULL;
		if (e->peer)
			e->peer->sk.err = ECONNRESET;
		unix_drop(e);
	}
	u->acc_tail = NULL;
	u->acc_len = 0;
	u->sk.listening = false;
	if (u->addrlen)
		unix_unbind(u);
	if (u->inet_bound)
		inet_unbind(u);
}

static void put_name(const struct unix_sock *u, void *addr, unsigned int *len)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	unsigned int n = sizeof(sa_family_t);

	if (u && u->addrlen) {
		a = u->addr;
		n = u->addrlen;
	}
	if (addr)
		memcpy(addr, &a, *len < n ? *len : n);
	*len = n;
}

int unix_name(struct sock *sk, bool peer, void *addr, unsigned int *len)
{
	struct unix_sock *u = us_of(sk);

	if (peer && !u->peer)
		return -ENOTCONN;
	put_name(peer ? u->peer : u, addr, len);
	return 0;
}

void unix_from_name(const struct sock *from, void *addr, unsigned int *len)
{
	const struct unix_sock *u = container_of(from, struct unix_sock, sk);

	if (!addr)
		return;
	if (!u->addrlen) {
		*len = 0; /* an unnamed sender: no address */
		return;
	}
	put_name(u, addr, len);
}
