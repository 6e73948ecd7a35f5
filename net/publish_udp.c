/*
 * --publish ...:GUESTPORT/udp: datagrams from host peers reach the guest's
 * UDP socket on its loopback port GUESTPORT, and its replies go back.
 * Each host peer gets a flow: uos's own UDP socket on the loopback,
 * connected to 127.0.0.1:GUESTPORT, so the guest sees the peer as
 * 127.0.0.1 and an ephemeral port and its replies to that address come
 * back to the flow, which sends them to the peer from the published
 * port.  Flows are bounded (RELAY_MAX per rule): a new peer beyond takes
 * the oldest flow's place.  A datagram that does not fit is dropped, as
 * UDP may.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "publish_impl.h"
#include "vfs.h"

struct flow {
	struct flow *next;
	struct sockaddr_storage peer;
	socklen_t peerlen;
	struct vfs_file *gf; /* uos's socket, connected to the guest's port */
};

static void flow_free(struct flow *f)
{
	vfs_file_put(f->gf);
	free(f);
}

/* Drop the oldest flow (the list's last). */
static void evict_oldest(struct publish *pub)
{
	struct flow **pp = &pub->flows;

	while ((*pp)->next)
		pp = &(*pp)->next;
	flow_free(*pp);
	*pp = NULL;
	pub->nflows--;
}

/* The flow of host peer (len bytes), made if new; NULL when none can be made. */
static struct flow *flow_for(struct net *n, struct publish *pub, const struct sockaddr_storage *peer,
			     socklen_t len)
{
	struct flow *f;

	for (f = pub->flows; f; f = f->next)
		if (f->peerlen == len && !memcmp(&f->peer, peer, len))
			return f;
	f = calloc(1, sizeof(*f));
	if (!f || publish_connect_guest(n, SOCK_DGRAM, pub->guest_port, &f->gf)) {
		free(f);
		return NULL;
	}
	if (pub->nflows == RELAY_MAX)
		evict_oldest(pub);
	memcpy(&f->peer, peer, len);
	f->peerlen = len;
	f->next = pub->flows;
	pub->flows = f;
	pub->nflows++;
	return f;
}

/* Datagrams waiting on the host socket, each to its peer's flow: the count taken. */
static int take_in(struct net *n, struct publish *pub)
{
	int moved = 0;

	while (pub->ready && moved < ACCEPT_BATCH) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		long r = recvfrom(pub->lfd, pub->dgram, PUBLISH_DGRAM_MAX, MSG_DONTWAIT,
				  (struct sockaddr *)&peer, &len);
		if (r < 0) {
			pub->ready = false;
			break;
		}
		struct flow *f = flow_for(n, pub, &peer, len);
		struct net_msg m = {.buf = pub->dgram, .len = (size_t)r, .flags = MSG_DONTWAIT};
		if (f)
			net_send(f->gf, &m); /* nobody bound, or no room: dropped */
		moved++;
	}
	return moved;
}

/* The guest's replies on a flow, sent to its peer: the count. */
static int send_back(struct publish *pub, struct flow *f)
{
	int moved = 0;

	for (;;) {
		struct net_msg m = {.buf = pub->dgram, .len = PUBLISH_DGRAM_MAX, .flags = MSG_DONTWAIT};
		long r = net_recv(f->gf, &m);
		if (r < 0)
			return moved;
		sendto(pub->lfd, pub->dgram, (size_t)r < m.len ? (size_t)r : m.len, MSG_DONTWAIT,
		       (const struct sockaddr *)&f->peer, f->peerlen);
		moved++;
	}
}

int publish_udp_serve(struct net *n, struct publish *pub)
{
	int moved = take_in(n, pub);

	for (struct flow *f = pub->flows; f; f = f->next)
		moved += send_back(pub, f);
	return moved;
}

void publish_udp_fini(struct publish *pub)
{
	while (pub->flows) {
		struct flow *f = pub->flows;
		pub->flows = f->next;
		flow_free(f);
	}
	free(pub->dgram);
}
