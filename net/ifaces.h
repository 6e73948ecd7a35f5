/*
 * The interfaces of uos's network: the facts that rtnetlink (rtnl.c), the
 * interface ioctls (ifaces.c) and /proc/net (ifaces_proc.c) report.  uos has
 * one, lo, as a fresh network namespace has it after `ip link set lo up`;
 * nothing changes them.
 */
#pragma once

#include <stdbool.h>

struct ifreq;

#define IFACE_LO 1 /* lo's index */

struct iface {
	const char *name;
	int index;
	unsigned int flags; /* IFF_*, as rtnetlink's ifi_flags */
	unsigned int mtu, txqlen;
	unsigned short type; /* ARPHRD_* */
	const char *qdisc;
	unsigned char operstate; /* IF_OPER_*: lo says 0, IF_OPER_UNKNOWN */
};

/* An address of an interface. */
struct iface_addr {
	int family; /* AF_INET or AF_INET6 */
	int index;  /* its interface */
	unsigned char prefixlen, scope, flags; /* flags: IFA_F_* */
	unsigned char addr[16];
};

/* A route of the local or main table. */
struct iface_route {
	int family;
	unsigned char table, dst_len, scope, type; /* RT_TABLE_*, RT_SCOPE_*, RTN_* */
	unsigned char dst[16];
	unsigned char prefsrc[4]; /* IPv4: the source it names (RTA_PREFSRC) */
	int oif;
};

/* The i-th interface, address or route (from 0), or NULL past the last. */
const struct iface *iface_at(int i);
const struct iface_addr *iface_addr_at(int i);
const struct iface_route *iface_route_at(int i);
/* The interface of that index or name, or NULL. */
const struct iface *iface_by_index(int index);
const struct iface *iface_by_name(const char *name);
/* The length of an address of family (4 or 16). */
unsigned int iface_addr_len(int family);
/*
 * An interface ioctl on a socket of family: ifr is the guest's struct ifreq,
 * copied in, filled out.  -ENODEV for a name uos has not, -EPERM for a
 * setter, -ENOTTY for the IPv4 address ones on a socket not AF_INET.
 */
long net_iface_ioctl(int family, unsigned long cmd, struct ifreq *ifr);
