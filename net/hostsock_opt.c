/*
 * The socket options a guest may get and set on a host socket
 * (hostsock.c): an allow-list, because uos may itself hold privileges the
 * guest must not borrow (uos run as root would let the host grant
 * SO_MARK or IP_TRANSPARENT).  What needs CAP_NET_ADMIN or CAP_NET_RAW on
 * Linux, the device binding and the mark: EPERM, as for an unprivileged
 * process.  Options that carry guest pointers (SO_ATTACH_FILTER) or whose
 * control messages uos does not pass back are not known (ENOPROTOOPT).
 * SO_RCVTIMEO and SO_SNDTIMEO never come here: uos does the waiting.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "net_impl.h"

static const int sol_socket_ok[] = {
	SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_BROADCAST, SO_DONTROUTE, SO_OOBINLINE,
	SO_SNDBUF, SO_RCVBUF, SO_LINGER, SO_RCVLOWAT, SO_SNDLOWAT, SO_PRIORITY,
	SO_INCOMING_CPU, SO_PASSCRED,
};
static const int sol_socket_get[] = { /* read only */
	SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR, SO_ACCEPTCONN, SO_PEERCRED,
};
static const int sol_socket_priv[] = {
	SO_BINDTODEVICE, SO_BINDTOIFINDEX, SO_MARK, SO_SNDBUFFORCE, SO_RCVBUFFORCE,
};
static const int ip_ok[] = {
	IP_TOS, IP_TTL, IP_MTU_DISCOVER, IP_FREEBIND, IP_BIND_ADDRESS_NO_PORT,
	IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_MULTICAST_IF, IP_ADD_MEMBERSHIP,
	IP_DROP_MEMBERSHIP,
};
static const int ip_get[] = {IP_MTU};
static const int ip_priv[] = {IP_TRANSPARENT};
static const int ipv6_ok[] = {
	IPV6_V6ONLY, IPV6_UNICAST_HOPS, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP,
	IPV6_MULTICAST_IF, IPV6_TCLASS, IPV6_MTU_DISCOVER, IPV6_ADD_MEMBERSHIP,
	IPV6_DROP_MEMBERSHIP,
};
static const int ipv6_get[] = {IPV6_MTU};
static const int ipv6_priv[] = {IPV6_TRANSPARENT};
static const int tcp_ok[] = {
	TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT,
	TCP_SYNCNT, TCP_LINGER2, TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_QUICKACK,
	TCP_USER_TIMEOUT, TCP_FASTOPEN, TCP_FASTOPEN_CONNECT, TCP_NOTSENT_LOWAT,
};
/* TCP_CONGESTION set may load a module when uos holds CAP_NET_ADMIN: get only. */
static const int tcp_get[] = {TCP_INFO, TCP_CONGESTION};
static const int udp_ok[] = {UDP_CORK};

struct opt_level {
	int level;
	const int *ok, *get, *priv;
	int nok, nget, npriv;
};

static const int none[1];

static const struct opt_level levels[] = {
	{SOL_SOCKET, sol_socket_ok, sol_socket_get, sol_socket_priv, ARRAY_SIZE(sol_socket_ok),
	 ARRAY_SIZE(sol_socket_get), ARRAY_SIZE(sol_socket_priv)},
	{IPPROTO_IP, ip_ok, ip_get, ip_priv, ARRAY_SIZE(ip_ok), ARRAY_SIZE(ip_get),
	 ARRAY_SIZE(ip_priv)},
	{IPPROTO_IPV6, ipv6_ok, ipv6_get, ipv6_priv, ARRAY_SIZE(ipv6_ok), ARRAY_SIZE(ipv6_get),
	 ARRAY_SIZE(ipv6_priv)},
	{IPPROTO_TCP, tcp_ok, tcp_get, none, ARRAY_SIZE(tcp_ok), ARRAY_SIZE(tcp_get), 0},
	{IPPROTO_UDP, udp_ok, none, none, ARRAY_SIZE(udp_ok), 0, 0},
};

static bool in(const int *list, int n, int name)
{
	for (int i = 0; i < n; i++)
		if (list[i] == name)
			return true;
	return false;
}

/* SO_PRIORITY above 6 needs CAP_NET_ADMIN (sk_setsockopt). */
#define PRIORITY_MAX_UNPRIV 6

int hostsock_opt_check(int level, int name, bool set, const void *val, unsigned int len)
{
	for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
		const struct opt_level *l = &levels[i];
		if (l->level != level)
			continue;
		if (in(l->priv, l->npriv, name))
			return -EPERM;
		if (set && level == SOL_SOCKET && name == SO_PRIORITY && len >= sizeof(int)) {
			int prio;
			memcpy(&prio, val, sizeof(prio));
			if ((unsigned int)prio > PRIORITY_MAX_UNPRIV)
				return -EPERM;
		}
		if (in(l->ok, l->nok, name) || (!set && in(l->get, l->nget, name)))
			return 0;
		return -ENOPROTOOPT;
	}
	return -ENOPROTOOPT; /* a level of another protocol (SOL_RAW...) */
}
