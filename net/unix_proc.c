/*
 * /proc/net/unix, as Linux's unix_seq_show: one line per AF_UNIX socket,
 * with its reference count, whether it listens (__SO_ACCEPTCON), its type,
 * its state (SS_UNCONNECTED, SS_CONNECTED, or SS_CONNECTING for a
 * connection not accepted yet), its inode and its name (an abstract name
 * with '@' for each NUL).  Kernel addresses are shown as zeros, as Linux
 * shows them to a reader without CAP_SYSLOG.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "unix_impl.h"

#define SO_ACCEPTCON_FLAG 0x10000 /* __SO_ACCEPTCON */
enum { SS_UNCONNECTED_ = 1, SS_CONNECTING_ = 2, SS_CONNECTED_ = 3 };

static int state_of(const struct unix_sock *u)
{
	bool established = u->peer && u->connected;

	if (!u->sk.ino) /* no socket file yet: a connection waiting for accept */
		return SS_CONNECTING_;
	return established ? SS_CONNECTED_ : SS_UNCONNECTED_;
}

static void put_line(FILE *m, struct unix_sock *u)
{
	fprintf(m, "%016x: %08X %08X %08X %04X %02X %5lu", 0, (unsigned)u->sk.refs, 0,
		u->sk.listening ? SO_ACCEPTCON_FLAG : 0, (unsigned)u->sk.type, state_of(u),
		u->sk.ino);
	if (u->addrlen > offsetof(struct sockaddr_un, sun_path)) {
		unsigned int n = u->addrlen - offsetof(struct sockaddr_un, sun_path);
		fputc(' ', m);
		if (u->has_inode) /* a path name: up to its NUL */
			fputs(u->addr.sun_path, m);
		else
			for (unsigned int i = 0; i < n; i++)
				fputc(u->addr.sun_path[i] ? u->addr.sun_path[i] : '@', m);
	}
	fputc('\n', m);
}

long net_proc_unix(struct net *n, char **out)
{
	size_t len = 0;
	FILE *m = open_memstream(out, &len);

	if (!m)
		return -ENOMEM;
	fputs("Num       RefCount Protocol Flags    Type St Inode Path\n", m);
	for (struct sock *sk = n->socks; sk; sk = sk->next)
		if (sk->family == AF_UNIX && !sk->dead)
			put_line(m, us_of(sk));
	if (fclose(m))
		return -ENOMEM;
	return (long)len;
}
