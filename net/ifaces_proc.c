/*
 * /proc/net's files about the interfaces (ifaces.h), as Linux prints them:
 * arp (arp_seq_show: lo has no neighbours, the header alone), dev (dev_seq_show: lo's counters, zeros in uos, which counts no traffic),
 * if_inet6 (if6_seq_show), igmp and igmp6 (lo's all-hosts groups, which
 * every interface up joins: 224.0.0.1, ff02::1, ff01::1), route (rt_cont_show: the main table has no IPv4
 * route, the header alone) and ipv6_route (ipv6_route_native_seq_show:
 * the null entries of the main and local tables around ::1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "ifaces.h"
#include "net.h"

static void put_hex(FILE *m, const unsigned char *a, int n)
{
	for (int i = 0; i < n; i++)
		fprintf(m, "%02x", a[i]);
}

static void dev(FILE *m)
{
	const struct iface *ifc;

	fputs("Inter-|   Receive                                                |  Transmit\n"
	      " face |bytes    packets errs drop fifo frame compressed multicast|"
	      "bytes    packets errs drop fifo colls carrier compressed\n", m);
	for (int i = 0; (ifc = iface_at(i)); i++) {
		fprintf(m, "%6s:%8d %7d %4d %4d %4d %5d %10d %9d ", ifc->name, 0, 0, 0, 0, 0, 0, 0, 0);
		fprintf(m, "%8d %7d %4d %4d %4d %5d %7d %10d\n", 0, 0, 0, 0, 0, 0, 0, 0);
	}
}

/* The scope if6_seq_show prints: IPV6_ADDR_LOOPBACK's for ::1 (uos has no other). */
#define IPV6_ADDR_LOOPBACK_SCOPE 0x10

static void if_inet6(FILE *m)
{
	const struct iface_addr *a;

	for (int i = 0; (a = iface_addr_at(i)); i++) {
		if (a->family != AF_INET6)
			continue;
		put_hex(m, a->addr, 16);
		fprintf(m, " %02x %02x %02x %02x %8s\n", a->index, a->prefixlen,
			IPV6_ADDR_LOOPBACK_SCOPE, a->flags, iface_by_index(a->index)->name);
	}
}

/* igmp_mc_seq_show and igmp6_mc_seq_show, for lo (the groups' timers: none running). */
static void igmp(FILE *m, bool v6)
{
	const struct iface *lo = iface_by_index(IFACE_LO);

	if (v6) {
		fprintf(m, "%-4d %-15s %s %5d %08X %ld\n", lo->index, lo->name,
			"ff020000000000000000000000000001", 1, 0xcu, 0L);
		fprintf(m, "%-4d %-15s %s %5d %08X %ld\n", lo->index, lo->name,
			"ff010000000000000000000000000001", 1, 0x8u, 0L);
		return;
	}
	fputs("Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n", m);
	fprintf(m, "%d\t%-10s: %5d %7s\n", lo->index, lo->name, 1, "V3");
	fprintf(m, "\t\t\t\t%08X %5d %d:%08lX\t\t%d\n", 0x010000e0u, 1, 0, 0UL, 0);
}

static void route(FILE *m)
{
	fprintf(m, "%-127s\n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU"
			       "\tWindow\tIRTT");
}

#define RTF_UP_ 0x1
#define RTF_NONEXTHOP_ 0x200000
#define RTF_LOCAL_ 0x80000000u
#define RTF_REJECT_ 0x200

/* One line of ipv6_route: dst/len, no source or gateway, then metric, refs, use, flags. */
static void ipv6_line(FILE *m, const unsigned char *dst, int len, unsigned metric, unsigned refs,
		      unsigned flags, const char *dev_name)
{
	static const unsigned char zero[16];

	put_hex(m, dst, 16);
	fprintf(m, " %02x ", len);
	put_hex(m, zero, 16);
	fputs(" 00 ", m);
	put_hex(m, zero, 16);
	fprintf(m, " %08x %08x %08x %08x %8s\n", metric, refs, 0, flags, dev_name);
}

static void ipv6_route(FILE *m)
{
	static const unsigned char zero[16];
	const struct iface_route *rt;
	/* ip6_null_entry: an unreachable route, on lo, at the root of each table. */
	unsigned null_flags = RTF_REJECT_ | RTF_NONEXTHOP_;

	ipv6_line(m, zero, 0, 0xffffffffu, 1, null_flags, "lo");
	for (int i = 0; (rt = iface_route_at(i)); i++)
		if (rt->family == AF_INET6)
			ipv6_line(m, rt->dst, rt->dst_len, 0, 2, RTF_LOCAL_ | RTF_NONEXTHOP_ | RTF_UP_,
				  iface_by_index(rt->oif)->name);
	ipv6_line(m, zero, 0, 0xffffffffu, 1, null_flags, "lo");
}

long net_proc_iface(enum net_proc_file which, char **out)
{
	size_t len = 0;
	FILE *m = open_memstream(out, &len);

	if (!m)
		return -ENOMEM;
	if (which == NET_PROC_ARP)
		fputs("IP address       HW type     Flags       HW address            Mask     Device\n", m);
	else if (which == NET_PROC_DEV)
		dev(m);
	else if (which == NET_PROC_IF_INET6)
		if_inet6(m);
	else if (which == NET_PROC_IGMP || which == NET_PROC_IGMP6)
		igmp(m, which == NET_PROC_IGMP6);
	else if (which == NET_PROC_ROUTE)
		route(m);
	else
		ipv6_route(m);
	if (fclose(m))
		return -ENOMEM;
	return (long)len;
}
