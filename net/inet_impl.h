/*
 * What the loopback's TCP and UDP (inet.c) share with their port table
 * (inet_bind.c) and their /proc/net tables (inet_proc.c): addresses, kept
 * as IPv6 with IPv4 mapped.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "unix_impl.h"

static const uint8_t inet_v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static inline bool is_v4(const uint8_t *ip)
{
	return !memcmp(ip, inet_v4_prefix, sizeof(inet_v4_prefix));
}

static inline bool is_any(const uint8_t *ip)
{
	static const uint8_t zero[16];
	return !memcmp(ip, zero, 16) || (is_v4(ip) && !memcmp(ip + 12, zero, 4));
}

/* 127.0.0.0/8, or ::1. */
static inline bool is_loopback(const uint8_t *ip)
{
	static const uint8_t one[16] = {[15] = 1};
	return is_v4(ip) ? ip[12] == 127 : !memcmp(ip, one, 16);
}

extern const struct sock_ops inet_ops;

/* inet_bind.c: the port table. */
/* The live socket of type bound to port that gets what is sent to ip (listening, if want_listen). */
struct unix_sock *inet_find_bound(struct net *n, int type, const uint8_t *ip, uint16_t port,
				  bool want_listen);
/* Bind u to a, unless it clashes with a socket bound already (-EADDRINUSE). */
int inet_bind_to(struct unix_sock *u, const struct inet_addr *a);
/*
 * Bind u to ip and a free ephemeral port (inet_csk_get_port with port 0);
 * for a connect, a port only sockets in TIME_WAIT hold is free (loopback's
 * tcp_tw_reuse).  -EADDRINUSE when none is.
 */
int inet_autobind(struct unix_sock *u, const uint8_t *ip, bool for_connect);
/* TCP's u closed first (its FIN went before the peer's): its name stays taken a while. */
void inet_time_wait(struct unix_sock *u);
/* The seconds u, closed, stays in TIME_WAIT (/proc/net/tcp shows it so); 0 or less: none. */
long inet_time_wait_left(const struct unix_sock *u);
