/*
 * --publish [HOSTADDR:]HOSTPORT:GUESTPORT (TCP; UDP: publish_udp.c): uos listens on the host, and
 * joins each host connection to the guest's TCP listener on uos's own
 * loopback at GUESTPORT, as `docker run -p` does.  The guest sees a client
 * from 127.0.0.1 and an ephemeral port (the connect of inet.c, as a
 * guest's own client would make); no guest listener there: the host
 * connection is reset.
 *
 * A relay moves bytes both ways through a bounded buffer each
 * (RELAY_BUF): it reads no more from one side than the other takes, so a
 * slow reader holds the writer back (back-pressure).  An end of stream is
 * passed on as a shutdown of the other side once the buffer is drained; a
 * reset or error on either side closes both (the host side with a reset).
 *
 * Nothing here waits: the event loop (transport) asks which host fds
 * net watches (net_watch), polls them with its own, says which are ready
 * (net_watch_ready), and calls net_serve on each turn, which moves what
 * can move now.  Changes on the guest side need no fd: they come from
 * guest calls, and the loop serves the relays after each turn.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "publish_impl.h"
#include "vfs.h"

#define RELAY_BUF 65536	 /* bytes buffered each way per connection */

enum { RELAY_IN, RELAY_OUT }; /* host to guest, guest to host */

struct relay_dir {
	char *buf;
	size_t len;
	bool eof;  /* the sending side ended its stream */
	bool shut; /* and the receiving side was told (shutdown) */
};

struct relay {
	struct relay *next;
	int hfd;	     /* the host connection */
	struct vfs_file *gf; /* uos's client on the loopback, connected to the guest */
	short hrev;	     /* what the host fd was last seen ready for */
	struct relay_dir dir[2];
};


static int parse_port(const char *s, size_t len)
{
	unsigned long v = 0;

	if (!len || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -ERANGE;
}

/* HOSTADDR: an IPv4 address, or an IPv6 one in brackets. */
static int parse_addr(const char *s, size_t len, struct net_publish *p)
{
	char text[INET6_ADDRSTRLEN + 2];
	struct sockaddr_in *sin = (struct sockaddr_in *)&p->host;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&p->host;

	if (len >= sizeof(text))
		return -EINVAL;
	memcpy(text, s, len);
	text[len] = 0;
	if (len > 2 && text[0] == '[' && text[len - 1] == ']') {
		text[len - 1] = 0;
		sin6->sin6_family = AF_INET6;
		p->hostlen = sizeof(*sin6);
		return inet_pton(AF_INET6, text + 1, &sin6->sin6_addr) == 1 ? 0 : -EINVAL;
	}
	sin->sin_family = AF_INET;
	p->hostlen = sizeof(*sin);
	return inet_pton(AF_INET, text, &sin->sin_addr) == 1 ? 0 : -EINVAL;
}

int net_publish_parse(const char *spec, struct net_publish *p)
{
	const char *end = spec + strlen(spec), *c2 = NULL, *c1;
	int hport, gport, err = 0;

	*p = (struct net_publish){0};
	if (end - spec > 4 && !strcmp(end - 4, "/udp")) {
		p->udp = true;
		end -= 4;
	}
	for (const char *s = end; s > spec && !c2; s--)
		if (s[-1] == ':')
			c2 = s - 1;
	if (!c2)
		return -EINVAL;
	for (c1 = c2; c1 > spec && c1[-1] != ':' && c1[-1] != ']'; c1--)
		;
	gport = parse_port(c2 + 1, (size_t)(end - c2 - 1));
	hport = parse_port(c1, (size_t)(c2 - c1));
	if (c1 > spec && c1[-1] != ':')
		return -EINVAL; /* "]8080:80" */
	if (c1 > spec)
		err = parse_addr(spec, (size_t)(c1 - 1 - spec), p);
	else
		parse_addr("0.0.0.0", 7, p);
	if (err || hport == -EINVAL || gport == -EINVAL)
		return -EINVAL;
	if (hport < 0 || gport < 0)
		return -ERANGE;
	((struct sockaddr_in *)&p->host)->sin_port = htons((uint16_t)hport); /* same place in v6 */
	p->guest_port = (unsigned short)gport;
	return 0;
}

int net_publish_open(struct net *n, const struct net_publish *p)
{
	int one = 1, err = 0;
	int fd = socket(p->host.ss_family, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK |
						   SOCK_CLOEXEC, 0);
	struct publish *pub = fd >= 0 ? calloc(1, sizeof(*pub)) : NULL;

	if (!pub)
		err = fd < 0 ? -errno : -ENOMEM;
	else if ((pub->spare = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		err = -errno;
	else if (p->udp && !(pub->dgram = malloc(PUBLISH_DGRAM_MAX)))
		err = -ENOMEM;
	else if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		 bind(fd, (const struct sockaddr *)&p->host, p->hostlen) ||
		 (!p->udp && listen(fd, NET_SOMAXCONN)))
		err = -errno;
	if (err) {
		if (fd >= 0)
			close(fd);
		if (pub && pub->spare >= 0)
			close(pub->spare);
		if (pub)
			free(pub->dgram);
		free(pub);
		return err;
	}
	pub->next = n->pubs;
	pub->lfd = fd;
	pub->guest_port = p->guest_port;
	pub->udp = p->udp;
	n->pubs = pub;
	return 0;
}

/* Close a host connection with a reset (SO_LINGER 0), as a refused or broken one is. */
static void reset_close(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

int publish_connect_guest(struct net *n, int type, unsigned short port, struct vfs_file **out)
{
	struct net_cred uos = {0, 0, 0}; /* the kernel's own socket, as root's */
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int err = net_socket(n, AF_INET, type, 0, O_NONBLOCK, &uos, out);

	if (err)
		return err;
	err = net_connect(NULL, *out, &sin, sizeof(sin), &uos);
	if (err == -EINPROGRESS) /* on the loopback: already made */
		err = 0;
	if (err)
		vfs_file_put(*out);
	return err;
}

static void relay_free(struct relay *r)
{
	for (int i = 0; i < 2; i++)
		free(r->dir[i].buf);
	free(r);
}

/* A relay for host connection hfd (owned) to the guest's port, or none (hfd reset). */
static void relay_start(struct net *n, int hfd, unsigned short port)
{
	struct relay *r = n->nrelays < RELAY_MAX ? calloc(1, sizeof(*r)) : NULL;

	if (r) {
		r->dir[RELAY_IN].buf = malloc(RELAY_BUF);
		r->dir[RELAY_OUT].buf = malloc(RELAY_BUF);
	}
	if (!r || !r->dir[RELAY_IN].buf || !r->dir[RELAY_OUT].buf ||
	    publish_connect_guest(n, SOCK_STREAM, port, &r->gf)) {
		if (r)
			relay_free(r);
		reset_close(hfd);
		return;
	}
	r->hfd = hfd;
	r->hrev = POLLIN | POLLOUT;
	r->next = n->relays;
	n->relays = r;
	n->nrelays++;
}

/*
 * uos is out of fds: the connection would stay queued and the listener
 * ready, and the loop would spin.  Give back the spare fd, take the
 * connection with it and reset it, and keep the spare again.  (EMFILE
 * comes before the queue is looked at.)  Whether one was taken.
 */
static bool shed_one(struct publish *pub)
{
	int fd;

	if (pub->spare < 0)
		return false;
	close(pub->spare);
	fd = accept4(pub->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		reset_close(fd);
	pub->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd >= 0;
}

/* Take the connections waiting on a listener: the count taken. */
static int accept_all(struct net *n, struct publish *pub)
{
	int taken = 0, fd;

	while (pub->ready && taken < ACCEPT_BATCH) {
		fd = accept4(pub->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
			pub->ready = shed_one(pub);
			taken += pub->ready;
			continue;
		}
		if (fd < 0) {
			pub->ready = errno != EAGAIN && errno != EWOULDBLOCK;
			break;
		}
		relay_start(n, fd, pub->guest_port);
		taken++;
	}
	return taken;
}

/* Host to guest: read while there is room, then hand the guest what it takes. */
static int move_in(struct relay *r)
{
	struct relay_dir *d = &r->dir[RELAY_IN];
	struct net_msg m = {.flags = MSG_DONTWAIT | MSG_NOSIGNAL};
	int moved = 0;
	long got;

	if (!d->eof && d->len < RELAY_BUF && (r->hrev & (POLLIN | POLLHUP | POLLERR))) {
		got = recv(r->hfd, d->buf + d->len, RELAY_BUF - d->len, MSG_DONTWAIT);
		if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (got < 0)
			r->hrev &= (short)~(POLLIN | POLLHUP | POLLERR);
		d->eof = got == 0;
		d->len += got > 0 ? (size_t)got : 0;
		moved += got >= 0;
	}
	if (d->len) {
		m.buf = d->buf;
		m.len = d->len;
		got = net_send(r->gf, &m);
		if (got < 0 && got != -EAGAIN)
			return -1;
		if (got > 0) {
			memmove(d->buf, d->buf + got, d->len - (size_t)got);
			d->len -= (size_t)got;
			moved++;
		}
	}
	return moved;
}

/* Guest to host: take what the guest sent while there is room, then send it on. */
static int move_out(struct relay *r)
{
	struct relay_dir *d = &r->dir[RELAY_OUT];
	struct net_msg m = {.flags = MSG_DONTWAIT};
	int moved = 0;
	long got;

	if (!d->eof && d->len < RELAY_BUF) {
		m.buf = d->buf + d->len;
		m.len = RELAY_BUF - d->len;
		got = net_recv(r->gf, &m);
		if (got < 0 && got != -EAGAIN)
			return -1;
		d->eof = got == 0;
		d->len += got > 0 ? (size_t)got : 0;
		moved += got >= 0;
	}
	if (d->len && (r->hrev & POLLOUT)) {
		got = send(r->hfd, d->buf, d->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (got < 0)
			r->hrev &= (short)~POLLOUT;
		if (got > 0) {
			memmove(d->buf, d->buf + got, d->len - (size_t)got);
			d->len -= (size_t)got;
			moved++;
		}
	}
	return moved;
}

/* A side whose stream ended and whose bytes all went: tell the other (half-close). */
static void pass_eof(struct relay *r)
{
	struct relay_dir *in = &r->dir[RELAY_IN], *out = &r->dir[RELAY_OUT];

	if (in->eof && !in->len && !in->shut) {
		net_shutdown(r->gf, SHUT_WR);
		in->shut = true;
	}
	if (out->eof && !out->len && !out->shut) {
		shutdown(r->hfd, SHUT_WR);
		out->shut = true;
	}
}

/* One relay's turn: what moved (0: nothing), or -1 when it is over. */
static int relay_turn(struct relay *r)
{
	int a = move_in(r), b = a < 0 ? -1 : move_out(r);

	if (a < 0 || b < 0)
		return -1;
	pass_eof(r);
	return r->dir[RELAY_IN].shut && r->dir[RELAY_OUT].shut ? -2 : a + b;
}

static void relay_end(struct net *n, struct relay **pp, bool reset)
{
	struct relay *r = *pp;

	*pp = r->next;
	n->nrelays--;
	if (reset) { /* both ways: the guest's end closes with a reset too (SO_LINGER 0) */
		struct linger lg = {.l_onoff = 1, .l_linger = 0};
		reset_close(r->hfd);
		net_setsockopt(r->gf, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	} else {
		close(r->hfd);
	}
	vfs_file_put(r->gf);
	relay_free(r);
}

int net_serve(struct net *n)
{
	int served = 0, moved;

	for (struct publish *pub = n->pubs; pub; pub = pub->next)
		served += pub->udp ? publish_udp_serve(n, pub) : accept_all(n, pub);
	for (struct relay **pp = &n->relays; *pp;) {
		moved = relay_turn(*pp);
		if (moved < 0) {
			relay_end(n, pp, moved == -1);
			served++;
			continue;
		}
		served += moved;
		pp = &(*pp)->next;
	}
	return served;
}

int net_watch_count(struct net *n)
{
	int count = 0;

	for (struct publish *pub = n->pubs; pub; pub = pub->next)
		count++;
	return count + n->nrelays;
}

/* What a relay waits for on its host fd: room to read into, bytes to send. */
static short relay_events(const struct relay *r)
{
	const struct relay_dir *in = &r->dir[RELAY_IN], *out = &r->dir[RELAY_OUT];
	short ev = 0;

	if (!in->eof && in->len < RELAY_BUF && !(r->hrev & POLLIN))
		ev |= POLLIN;
	if (out->len && !(r->hrev & POLLOUT))
		ev |= POLLOUT;
	return ev;
}

int net_watch(struct net *n, struct pollfd *pfd, int max)
{
	int i = 0;

	for (struct publish *pub = n->pubs; pub && i < max; pub = pub->next, i++)
		pfd[i] = (struct pollfd){.fd = pub->ready ? -1 : pub->lfd, .events = POLLIN};
	for (struct relay *r = n->relays; r && i < max; r = r->next, i++) {
		short ev = relay_events(r);
		pfd[i] = (struct pollfd){.fd = ev ? r->hfd : -1, .events = ev};
	}
	return i;
}

void net_watch_ready(struct net *n, const struct pollfd *pfd, int count)
{
	int i = 0;

	for (struct publish *pub = n->pubs; pub && i < count; pub = pub->next, i++)
		pub->ready |= pfd[i].fd >= 0 && pfd[i].revents;
	for (struct relay *r = n->relays; r && i < count; r = r->next, i++)
		if (pfd[i].fd >= 0)
			r->hrev |= pfd[i].revents;
}

void net_publish_fini(struct net *n)
{
	while (n->relays)
		relay_end(n, &n->relays, false);
	while (n->pubs) {
		struct publish *pub = n->pubs;
		n->pubs = pub->next;
		publish_udp_fini(pub);
		close(pub->lfd);
		close(pub->spare);
		free(pub);
	}
}
