/*
 * What publish.c (the rules, TCP relays) shares with publish_udp.c (UDP
 * flows): a published port, and uos's own client to the guest.
 */
#pragma once

#include "net_impl.h"

#define RELAY_MAX 1024	   /* connections (or UDP peers) relayed at once per uos */
#define ACCEPT_BATCH 64	   /* connections or datagrams taken from one host socket per turn */
#define PUBLISH_DGRAM_MAX 65535

struct flow;

struct publish {
	struct publish *next;
	int lfd; /* the host listener, or the host UDP socket */
	int spare; /* an fd kept to give back when uos runs out (shed_one) */
	unsigned short guest_port;
	bool udp;
	bool ready;	   /* a connection or a datagram may wait */
	char *dgram;	   /* UDP: a datagram's room */
	struct flow *flows; /* UDP: one per host peer, newest first */
	int nflows;
};

/* uos's client socket of type to 127.0.0.1:port on the loopback (non-blocking), or -errno. */
int publish_connect_guest(struct net *n, int type, unsigned short port, struct vfs_file **out);
/* A UDP rule's turn: datagrams in from host peers, replies back; the count moved. */
int publish_udp_serve(struct net *n, struct publish *pub);
void publish_udp_fini(struct publish *pub);
