/*
 * The collector of AF_UNIX sockets in flight (Linux's net/unix/garbage.c,
 * its classic form): a socket whose file is referenced only by messages
 * in flight (SCM_RIGHTS in receive queues) may be part of a cycle no fd
 * reaches, such as a socket sent into its own queue and then closed.
 *
 * The candidates are the AF_UNIX sockets whose file's references all come
 * from flight.  Each message in a candidate's queues (its own, and a
 * listener's connections not yet accepted) that holds a candidate takes one
 * from that candidate's count; a candidate left with a count is held from
 * outside, and so is every candidate in its queues, transitively (a stack
 * through the socks, not recursion: a guest can chain 16384 of them).  The
 * others are garbage: their queues are emptied, which lets go of the files
 * in them and breaks the cycles.
 *
 * Only the socks in flight are looked at (the net's list of them).  It
 * runs as sockets are closed while some are in flight (as Linux's
 * unix_release_sock, amortized: unix_gc_closed), and before a send whose
 * files would not fit in flight; never inside itself.
 */
#include <sys/socket.h>

#include "unix_impl.h"
#include "vfs.h"

/* sk as an AF_UNIX socket, or NULL (other families have other structs). */
static struct unix_sock *unix_of(struct sock *sk)
{
	return sk->ops == &unix_ops ? us_of(sk) : NULL;
}

/* Candidates found live, to be scanned. */
struct gc_stack {
	struct unix_sock *top;
};

/* Call fn on each candidate held by a message in u's queues. */
static void each_held(struct unix_sock *u, void (*fn)(struct unix_sock *c, struct gc_stack *s),
		      struct gc_stack *s)
{
	for (struct unix_sock *q = u; q; q = q == u ? u->acc_head : q->acc_next) {
		for (struct unix_skb *skb = q->head; skb; skb = skb->next) {
			for (int i = 0; i < skb->nfds; i++) {
				struct unix_sock *c = net_is_socket(skb->fds[i])
							      ? unix_of(net_sock(skb->fds[i]))
							      : NULL;
				if (c && c->gc_candidate)
					fn(c, s);
			}
		}
	}
}

static void unref(struct unix_sock *c, struct gc_stack *s)
{
	c->gc_refs--;
}

/* c is held from outside: so is what its queues hold (scanned when popped). */
static void make_live(struct unix_sock *c, struct gc_stack *s)
{
	if (c->gc_live)
		return;
	c->gc_live = true;
	c->gc_next = s->top;
	s->top = c;
}

static bool candidate(const struct sock *sk)
{
	return sk->file && sk->inflight && sk->file->refs == sk->inflight;
}

/* Mark the candidates held from outside, and what they hold. */
static void mark(struct net *n)
{
	struct gc_stack s = {NULL};
	struct unix_sock *u;

	for (struct sock *sk = n->flying; sk; sk = sk->flying_next)
		if ((u = unix_of(sk)) && u->gc_candidate)
			each_held(u, unref, &s);
	for (struct sock *sk = n->flying; sk; sk = sk->flying_next)
		if ((u = unix_of(sk)) && u->gc_candidate && u->gc_refs > 0)
			make_live(u, &s);
	while ((u = s.top)) {
		s.top = u->gc_next;
		each_held(u, make_live, &s);
	}
}

static bool garbage(struct sock *sk)
{
	struct unix_sock *u = unix_of(sk);
	return u && u->gc_candidate && !u->gc_live;
}

void unix_gc(struct net *n)
{
	struct sock *sk;
	struct unix_sock *u;

	if (n->gc_running || !n->inflight)
		return;
	n->gc_running = true;
	for (sk = n->flying; sk; sk = sk->flying_next) {
		if ((u = unix_of(sk))) {
			u->gc_candidate = candidate(sk);
			u->gc_refs = sk->inflight;
			u->gc_live = false;
		}
	}
	mark(n);
	/*
	 * Take the garbage off first: emptying one queue takes other socks out
	 * of flight (and may free them).  Each stays held until its turn.
	 */
	struct sock *bin = NULL;
	for (sk = n->flying; sk; sk = sk->flying_next) {
		if (garbage(sk)) {
			sock_get(sk);
			us_of(sk)->gc_next = bin ? us_of(bin) : NULL;
			bin = sk;
		}
	}
	while (bin) {
		struct unix_sock *next = us_of(bin)->gc_next;
		us_of(bin)->gc_candidate = false;
		bin->ops->purge(bin);
		sock_put(bin);
		bin = next ? &next->sk : NULL;
	}
	n->gc_running = false;
}

void unix_flight(struct sock *sk, int d)
{
	struct net *n = sk->net;

	if (d > 0 && !sk->inflight++) {
		sk->flying_next = n->flying;
		if (n->flying)
			n->flying->flying_pprev = &sk->flying_next;
		sk->flying_pprev = &n->flying;
		n->flying = sk;
		n->nflying++;
	} else if (d < 0 && !--sk->inflight) {
		*sk->flying_pprev = sk->flying_next;
		if (sk->flying_next)
			sk->flying_next->flying_pprev = sk->flying_pprev;
		n->nflying--;
	}
	n->inflight += d;
}

/*
 * A socket was closed.  Its run costs as many steps as sockets are in
 * flight, so it waits for a share of closes as large as those, an eighth:
 * amortized, a close pays a few steps, and garbage waits at most that long
 * (or until a send needs the room, net_send).
 */
void unix_gc_closed(struct net *n)
{
	if (!n->inflight || ++n->closes < n->nflying / 8)
		return;
	n->closes = 0;
	unix_gc(n);
}
