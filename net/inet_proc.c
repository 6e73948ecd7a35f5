/*
 * /proc/net/{tcp,udp}{,6}: one line per socket of the table, as Linux's
 * tcp4_seq_show and kin print them (kernel addresses as zeros, timers and
 * counters as a socket without traffic in flight shows them; IPv4 lines
 * padded to Linux's width), sockets in TIME_WAIT as get_timewait4_sock.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "inet_impl.h"

enum { TCP_ESTABLISHED_ = 1, TCP_TIME_WAIT_ = 6, TCP_CLOSE_ = 7, TCP_LISTEN_ = 10 };

static int state_of(const struct unix_sock *u)
{
	if (u->sk.listening)
		return TCP_LISTEN_;
	return u->has_remote && (u->sk.type == SOCK_DGRAM || u->peer) ? TCP_ESTABLISHED_ : TCP_CLOSE_;
}

/* An address as /proc/net prints it: the 32-bit words of its bytes in memory order. */
static void put_ip(FILE *m, const uint8_t *ip, bool v6)
{
	uint32_t w[4];

	memcpy(w, ip, 16);
	if (!v6)
		fprintf(m, "%08X", w[3]);
	else
		fprintf(m, "%08X%08X%08X%08X", w[0], w[1], w[2], w[3]);
}

static void put_sock(FILE *m, int sl, const struct unix_sock *u, bool v6)
{
	bool tcp = u->sk.type == SOCK_STREAM;
	struct inet_addr none = {{0}, 0};
	const struct inet_addr *r = u->has_remote ? &u->remote : &none;
	long start = ftell(m);

	fprintf(m, tcp ? "%4d: " : "%5d: ", sl);
	put_ip(m, u->local.ip, v6);
	fprintf(m, ":%04X ", u->local.port);
	put_ip(m, r->ip, v6);
	if (u->sk.dead) /* in TIME_WAIT (get_timewait4_sock): its timer, no owner or inode */
		fprintf(m, ":%04X %02X %08X:%08X 03:%08lX %08X %5d %8d %d %d %016x", r->port,
			TCP_TIME_WAIT_, 0, 0, (unsigned long)inet_time_wait_left(u) * 100, 0, 0, 0,
			0, 3, 0);
	else
		fprintf(m, ":%04X %02X %08X:%08X 00:00000000 00000000 %5u %8d %lu %d %016x",
			r->port, state_of(u), (unsigned)u->sk.wmem,
			(unsigned)(u->sk.listening ? (size_t)u->acc_len : u->qbytes), u->sk.uid, 0,
			u->sk.ino, u->sk.refs, 0);
	if (tcp && !u->sk.dead) /* rto, ato, quick/pingpong, cwnd, ssthresh (a listener: fastopen) */
		fprintf(m, u->sk.listening ? " 100 0 0 10 0" : " 20 0 0 10 -1");
	else if (!tcp)
		fprintf(m, " 0"); /* drops */
	while (!v6 && ftell(m) - start < (tcp ? 149 : 127))
		fputc(' ', m);
	fputc('\n', m);
}

long net_proc_inet(struct net *n, bool tcp, bool v6, const char *header, char **out)
{
	size_t len = 0;
	FILE *m = open_memstream(out, &len);
	int sl = 0;

	if (!m)
		return -ENOMEM;
	fputs(header, m);
	for (struct sock *sk = n->socks; sk; sk = sk->next) {
		struct unix_sock *u = us_of(sk);
		if (sk->ops != &inet_ops || (sk->dead && inet_time_wait_left(u) <= 0) ||
		    (sk->type == SOCK_STREAM) != tcp ||
		    (sk->family == AF_INET6) != v6 || !(u->inet_bound || u->has_remote))
			continue;
		put_sock(m, sl++, u, v6);
	}
	if (fclose(m))
		return -ENOMEM;
	return (long)len;
}
