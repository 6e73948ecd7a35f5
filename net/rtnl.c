/*
 * NETLINK_ROUTE's kernel side, as Linux's rtnetlink_rcv_msg and the dumps of
 * rtnl_dump_ifinfo, inet_dump_ifaddr/inet6_dump_ifaddr and the FIB: the
 * answers about uos's interfaces, addresses and routes (ifaces.h), in the
 * attributes and order Linux 6.18 gives them for lo in a fresh network
 * namespace.  A dump comes whole in one answer, NLMSG_DONE at its end.
 *
 * Changes (RTM_NEW*, DEL*, SET*) say EPERM, as to a container without
 * CAP_NET_ADMIN: uos's network is fixed.  Gets other than links, addresses,
 * routes, rules, queueing disciplines and IP settings (and the empty
 * neighbour table), and single gets but a link's and a route's, say
 * EOPNOTSUPP.
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/gen_stats.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "ifaces.h"
#include "netlink_impl.h"

/* Attributes Linux 6.18 sends that the build's headers may lack. */
#define IFLA_GSO_IPV4_MAX_SIZE_ 63
#define IFLA_GRO_IPV4_MAX_SIZE_ 64
#define IFLA_MAX_PACING_OFFLOAD_HORIZON_ 66
#define IFLA_NETNS_IMMUTABLE_ 67
#define IFLA_HEADROOM_ 68
#define IFLA_TAILROOM_ 69
#define IFA_PROTO_ 11
#define IFAPROT_KERNEL_LO_ 1
#define LINK_STATS_LEN 96    /* struct rtnl_link_stats */
#define LINK_STATS64_LEN 200 /* struct rtnl_link_stats64 */

/* What a request is answered to. */
struct rtnl_req {
	const struct nlmsghdr *h;
	unsigned int portid;
	struct nl_buf *out;
	int flags;	  /* of the answers: NLM_F_MULTI in a dump */
	unsigned int uid; /* the asker's (a route lookup's RTA_UID) */
};

/* Links. */

static void link_sizes(struct nl_buf *b, const struct iface *ifc)
{
	nlb_u32(b, IFLA_MTU, ifc->mtu);
	nlb_u32(b, IFLA_MIN_MTU, 0);
	nlb_u32(b, IFLA_MAX_MTU, 0);
	nlb_u32(b, IFLA_GROUP, 0);
	nlb_u32(b, IFLA_PROMISCUITY, 0);
	nlb_u32(b, IFLA_ALLMULTI, 0);
	nlb_u32(b, IFLA_NUM_TX_QUEUES, 1);
	nlb_u32(b, IFLA_GSO_MAX_SEGS, 65535);
	nlb_u32(b, IFLA_GSO_MAX_SIZE, 65536);
	nlb_u32(b, IFLA_GRO_MAX_SIZE, 65536);
	nlb_u32(b, IFLA_GSO_IPV4_MAX_SIZE_, 65536);
	nlb_u32(b, IFLA_GRO_IPV4_MAX_SIZE_, 65536);
	nlb_u32(b, IFLA_TSO_MAX_SIZE, 524280);
	nlb_u32(b, IFLA_TSO_MAX_SEGS, 65535);
	nlb_u32(b, IFLA_MAX_PACING_OFFLOAD_HORIZON_, 0);
	nlb_u32(b, IFLA_NUM_RX_QUEUES, 1);
}

static void link_state(struct nl_buf *b)
{
	static const unsigned short room = 0;
	static const char stats[LINK_STATS64_LEN] = {0};
	static const unsigned char hw[6] = {0};

	nlb_u8(b, IFLA_CARRIER, 1);
	nlb_u32(b, IFLA_CARRIER_CHANGES, 0);
	nlb_u32(b, IFLA_CARRIER_UP_COUNT, 0);
	nlb_u32(b, IFLA_CARRIER_DOWN_COUNT, 0);
	nlb_attr(b, IFLA_HEADROOM_, &room, sizeof(room));
	nlb_attr(b, IFLA_TAILROOM_, &room, sizeof(room));
	nlb_u8(b, IFLA_PROTO_DOWN, 0);
	nlb_attr(b, IFLA_ADDRESS, hw, sizeof(hw));
	nlb_attr(b, IFLA_BROADCAST, hw, sizeof(hw));
	nlb_attr(b, IFLA_STATS64, stats, LINK_STATS64_LEN);
	nlb_attr(b, IFLA_STATS, stats, LINK_STATS_LEN);
	size_t xdp = nlb_nest(b, IFLA_XDP);
	nlb_u8(b, IFLA_XDP_ATTACHED, XDP_ATTACHED_NONE);
	nlb_nest_end(b, xdp);
}

/*
 * IFLA_AF_SPEC: of IPv6's part (inet6_fill_link_af), the flags (IF_READY),
 * the token and the address generation mode (EUI-64); not the per-device
 * sysctls and counters Linux adds, which uos does not keep.
 */
static void link_af_spec(struct nl_buf *b)
{
	static const unsigned char token[16] = {0};
	size_t spec = nlb_nest(b, IFLA_AF_SPEC), inet6 = nlb_nest(b, AF_INET6);

	nlb_u32(b, IFLA_INET6_FLAGS, 0x80000000u); /* IF_READY */
	nlb_attr(b, IFLA_INET6_TOKEN, token, sizeof(token));
	nlb_u8(b, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_EUI64);
	nlb_nest_end(b, inet6);
	nlb_nest_end(b, spec);
}

/* RTM_NEWLINK for ifc, as rtnl_fill_ifinfo. */
static void put_link(struct rtnl_req *r, const struct iface *ifc)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_type = ifc->type,
				.ifi_index = ifc->index, .ifi_flags = ifc->flags};
	struct rtnl_link_ifmap map = {0};
	struct nl_buf *b = r->out;
	size_t off = nlb_msg(b, RTM_NEWLINK, r->flags, r->h->nlmsg_seq, r->portid, &ifi, sizeof(ifi));

	nlb_attr(b, IFLA_IFNAME, ifc->name, strlen(ifc->name) + 1);
	nlb_u32(b, IFLA_TXQLEN, ifc->txqlen);
	nlb_u8(b, IFLA_OPERSTATE, ifc->operstate);
	nlb_u8(b, IFLA_LINKMODE, 0);
	nlb_u8(b, IFLA_NETNS_IMMUTABLE_, 1); /* lo cannot leave its namespace */
	link_sizes(b, ifc);
	link_state(b);
	nlb_attr(b, IFLA_QDISC, ifc->qdisc, strlen(ifc->qdisc) + 1);
	link_af_spec(b);
	nlb_attr(b, IFLA_MAP, &map, sizeof(map));
	nlb_end(b, off);
}

/* A GETLINK dump: every link (AF_BRIDGE asks for bridge ports: none). */
static int dump_links(struct rtnl_req *r, int family)
{
	const struct iface *ifc;

	for (int i = 0; family != AF_BRIDGE && (ifc = iface_at(i)); i++)
		put_link(r, ifc);
	return RTNL_DUMPED;
}

/* The attribute of type in the attributes at p (len bytes), or NULL. */
static const struct nlattr *find_attr(const char *p, size_t len, int type)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		size_t step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			return NULL;
		p += step;
		len -= step;
	}
	return NULL;
}

/* A GETLINK of one link, by index or else by IFLA_IFNAME, as rtnl_getlink. */
static int get_link(struct rtnl_req *r)
{
	const struct nlmsghdr *h = r->h;
	struct ifinfomsg ifi;
	const struct nlattr *name;
	const struct iface *ifc = NULL;
	char want[IFNAMSIZ] = "";

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(ifi)))
		return -EINVAL;
	memcpy(&ifi, NLMSG_DATA(h), sizeof(ifi));
	name = find_attr((const char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(ifi)),
			 h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(ifi))), IFLA_IFNAME);
	if (name && name->nla_len - NLA_HDRLEN >= IFNAMSIZ)
		return -EINVAL; /* the policy's NLA_STRING of IFNAMSIZ - 1 */
	if (name)
		memcpy(want, (const char *)name + NLA_HDRLEN, name->nla_len - NLA_HDRLEN);
	if (ifi.ifi_index > 0)
		ifc = iface_by_index(ifi.ifi_index);
	else if (name)
		ifc = iface_by_name(want);
	else
		return -EINVAL;
	if (!ifc)
		return -ENODEV;
	put_link(r, ifc);
	return 0;
}

/* Addresses. */

static void put_addr(struct rtnl_req *r, const struct iface_addr *a)
{
	struct ifaddrmsg ifa = {.ifa_family = (unsigned char)a->family, .ifa_prefixlen = a->prefixlen,
				.ifa_flags = a->flags, .ifa_scope = a->scope,
				.ifa_index = (unsigned int)a->index};
	/* Permanent: no lifetimes; the stamps (hundredths of a second since boot) read 0. */
	struct ifa_cacheinfo ci = {.ifa_prefered = 0xffffffffU, .ifa_valid = 0xffffffffU};
	const struct iface *ifc = iface_by_index(a->index);
	struct nl_buf *b = r->out;
	unsigned int alen = iface_addr_len(a->family);
	size_t off = nlb_msg(b, RTM_NEWADDR, r->flags, r->h->nlmsg_seq, r->portid, &ifa, sizeof(ifa));

	nlb_attr(b, IFA_ADDRESS, a->addr, alen);
	if (a->family == AF_INET) { /* inet_fill_ifaddr */
		nlb_attr(b, IFA_LOCAL, a->addr, alen);
		nlb_attr(b, IFA_LABEL, ifc->name, strlen(ifc->name) + 1);
		nlb_u32(b, IFA_FLAGS, a->flags);
		nlb_attr(b, IFA_CACHEINFO, &ci, sizeof(ci));
	} else { /* inet6_fill_ifaddr */
		nlb_attr(b, IFA_CACHEINFO, &ci, sizeof(ci));
		nlb_u32(b, IFA_FLAGS, a->flags);
		nlb_u8(b, IFA_PROTO_, IFAPROT_KERNEL_LO_);
	}
	nlb_end(b, off);
}

/* Whether a dump asked for family (AF_INET or AF_INET6) shows one of fam: others show all. */
static bool family_shows(int family, int fam)
{
	return family == fam || (family != AF_INET && family != AF_INET6);
}

/* Families in the order rtnl_dump_all walks them. */
static const int families[] = {AF_INET, AF_INET6};

static int dump_addrs(struct rtnl_req *r, int family)
{
	const struct iface_addr *a;

	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		for (int i = 0; (a = iface_addr_at(i)); i++)
			if (a->family == families[f] && family_shows(family, a->family))
				put_addr(r, a);
	return RTNL_DUMPED;
}

/* Routes. */

static void put_route(struct rtnl_req *r, const struct iface_route *rt)
{
	struct rtmsg rtm = {.rtm_family = (unsigned char)rt->family, .rtm_dst_len = rt->dst_len,
			    .rtm_table = rt->table, .rtm_protocol = RTPROT_KERNEL,
			    .rtm_scope = rt->scope, .rtm_type = rt->type};
	struct rta_cacheinfo ci = {0};
	struct nl_buf *b = r->out;
	size_t off = nlb_msg(b, RTM_NEWROUTE, r->flags, r->h->nlmsg_seq, r->portid, &rtm, sizeof(rtm));

	nlb_u32(b, RTA_TABLE, rt->table);
	nlb_attr(b, RTA_DST, rt->dst, iface_addr_len(rt->family));
	if (rt->family == AF_INET) { /* fib_dump_info */
		nlb_attr(b, RTA_PREFSRC, rt->prefsrc, sizeof(rt->prefsrc));
		nlb_u32(b, RTA_OIF, (unsigned int)rt->oif);
	} else { /* rt6_fill_node */
		nlb_u32(b, RTA_PRIORITY, 0);
		nlb_u32(b, RTA_OIF, (unsigned int)rt->oif);
		nlb_attr(b, RTA_CACHEINFO, &ci, sizeof(ci));
		nlb_u8(b, RTA_PREF, 0);
	}
	nlb_end(b, off);
}

static int dump_routes(struct rtnl_req *r, int family)
{
	const struct iface_route *rt;

	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		for (int i = 0; (rt = iface_route_at(i)); i++)
			if (rt->family == families[f] && family_shows(family, rt->family))
				put_route(r, rt);
	return RTNL_DUMPED;
}

/* Queueing disciplines: each interface's root one (lo: noqueue), as tc_fill_qdisc. */

#define TC_STATS_LEN 40 /* struct tc_stats, padded */

static void put_qdisc(struct rtnl_req *r, const struct iface *ifc)
{
	struct tcmsg tcm = {.tcm_family = AF_UNSPEC, .tcm_ifindex = ifc->index,
			    .tcm_parent = TC_H_ROOT, .tcm_info = 2}; /* tcm_info: its refcount */
	static const char basic[16], queue[20], stats[TC_STATS_LEN];
	struct nl_buf *b = r->out;
	size_t off = nlb_msg(b, RTM_NEWQDISC, r->flags, r->h->nlmsg_seq, r->portid, &tcm, sizeof(tcm));

	nlb_attr(b, TCA_KIND, ifc->qdisc, strlen(ifc->qdisc) + 1);
	nlb_u8(b, TCA_HW_OFFLOAD, 0);
	size_t st = nlb_nest(b, TCA_STATS2); /* its counters: zeros */
	nlb_attr(b, TCA_STATS_BASIC, basic, sizeof(basic));
	nlb_attr(b, TCA_STATS_QUEUE, queue, sizeof(queue));
	nlb_nest_end(b, st);
	nlb_attr(b, TCA_STATS, stats, sizeof(stats));
	nlb_end(b, off);
}

static void dump_qdiscs(struct rtnl_req *r)
{
	const struct iface *ifc;

	for (int i = 0; (ifc = iface_at(i)); i++)
		put_qdisc(r, ifc);
}

/*
 * Per-device IP settings (inet_netconf_fill_devconf, inet6_netconf_fill_devconf):
 * lo's, then "all" and "default", each off, as sysctl's defaults in a new
 * namespace (uos forwards nothing).
 */
static void put_netconf(struct rtnl_req *r, int family, int ifindex)
{
	struct netconfmsg ncm = {.ncm_family = (unsigned char)family};
	struct nl_buf *b = r->out;
	size_t off = nlb_msg(b, RTM_NEWNETCONF, r->flags, r->h->nlmsg_seq, r->portid, &ncm,
			     sizeof(ncm));

	nlb_u32(b, NETCONFA_IFINDEX, (unsigned int)ifindex);
	nlb_u32(b, NETCONFA_FORWARDING, 0);
	if (family == AF_INET) {
		nlb_u32(b, NETCONFA_RP_FILTER, 0);
		nlb_u32(b, NETCONFA_MC_FORWARDING, 0);
		nlb_u32(b, NETCONFA_BC_FORWARDING, 0);
	}
	nlb_u32(b, NETCONFA_PROXY_NEIGH, 0);
	nlb_u32(b, NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, 0);
	nlb_end(b, off);
}

static void dump_netconf(struct rtnl_req *r, int family)
{
	static const int which[] = {IFACE_LO, NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT};

	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++)
			if (family_shows(family, families[f]))
				put_netconf(r, families[f], which[i]);
}

/* Rules: the defaults of fib_default_rules_init and fib6_rules_net_init. */

static const struct {
	unsigned char family, table;
	unsigned int priority;
} rules[] = {
	{AF_INET, RT_TABLE_LOCAL, 0},	   {AF_INET, RT_TABLE_MAIN, 32766},
	{AF_INET, RT_TABLE_DEFAULT, 32767}, {AF_INET6, RT_TABLE_LOCAL, 0},
	{AF_INET6, RT_TABLE_MAIN, 32766},
};

/* RTM_NEWRULE, as fib_nl_fill_rule. */
static void put_rule(struct rtnl_req *r, int i)
{
	struct fib_rule_hdr frh = {.family = rules[i].family, .table = rules[i].table,
				   .action = FR_ACT_TO_TBL};
	struct nl_buf *b = r->out;
	size_t off = nlb_msg(b, RTM_NEWRULE, r->flags, r->h->nlmsg_seq, r->portid, &frh, sizeof(frh));

	nlb_u32(b, FRA_TABLE, rules[i].table);
	nlb_u32(b, FRA_SUPPRESS_PREFIXLEN, 0xffffffffu);
	nlb_u8(b, FRA_PROTOCOL, RTPROT_KERNEL);
	if (rules[i].priority)
		nlb_u32(b, FRA_PRIORITY, rules[i].priority);
	nlb_end(b, off);
}

/* A GETRULE dump: AF_INET's, AF_INET6's, or with AF_UNSPEC both; other families have none. */
static void dump_rules(struct rtnl_req *r, int family)
{
	for (int i = 0; i < (int)(sizeof(rules) / sizeof(rules[0])); i++)
		if (rules[i].family == family || family == AF_UNSPEC)
			put_rule(r, i);
}

/* Route lookups: RTM_GETROUTE of one destination (ip route get). */

#define RTCF_BROADCAST_ 0x10000000u
#define RTCF_LOCAL_ 0x80000000u

static bool in_prefix(const unsigned char *a, const unsigned char *net, int len)
{
	for (int i = 0; i < len; i++)
		if ((a[i / 8] ^ net[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* The route dst of family takes (the longest prefix), or NULL: only lo's own are reachable. */
static const struct iface_route *route_to(int family, const unsigned char *dst)
{
	const struct iface_route *rt, *best = NULL;

	for (int i = 0; (rt = iface_route_at(i)); i++)
		if (rt->family == family && in_prefix(dst, rt->dst, rt->dst_len) &&
		    (!best || rt->dst_len > best->dst_len))
			best = rt;
	return best;
}

/* What a lookup asks: RTA_DST and RTA_SRC (zeros when not given). */
struct route_query {
	unsigned char dst[16], src[16];
	bool has_src;
	int iif; /* RTA_IIF: an input route (0: output) */
};

/*
 * inet_rtm_getroute's answer (rt_fill_info): the cached route, in table
 * main; the source asked for, else the one chosen (RTA_PREFSRC).
 */
static void put_route4(struct rtnl_req *r, const struct iface_route *rt,
		       const struct route_query *q)
{
	unsigned int cflags = rt->type == RTN_BROADCAST ? RTCF_BROADCAST_ | RTCF_LOCAL_ : RTCF_LOCAL_;
	struct rtmsg rtm = {.rtm_family = AF_INET, .rtm_dst_len = 32, .rtm_table = RT_TABLE_MAIN,
			    .rtm_type = rt->type, .rtm_flags = cflags | RTM_F_CLONED};
	struct rta_cacheinfo ci = {.rta_clntref = 2};
	struct nl_buf *b = r->out;
	size_t off;

	rtm.rtm_src_len = q->has_src ? 32 : 0;
	off = nlb_msg(b, RTM_NEWROUTE, 0, r->h->nlmsg_seq, r->portid, &rtm, sizeof(rtm));
	nlb_u32(b, RTA_TABLE, RT_TABLE_MAIN);
	nlb_attr(b, RTA_DST, q->dst, 4);
	if (q->has_src)
		nlb_attr(b, RTA_SRC, q->src, 4);
	nlb_u32(b, RTA_OIF, (unsigned int)rt->oif);
	if (!q->has_src)
		nlb_attr(b, RTA_PREFSRC, rt->prefsrc, sizeof(rt->prefsrc));
	nlb_u32(b, RTA_UID, r->uid);
	nlb_attr(b, RTA_CACHEINFO, &ci, sizeof(ci));
	nlb_end(b, off);
}

/* inet6_rtm_getroute's answer (rt6_fill_node): the route itself, with the source asked (or ::). */
static void put_route6(struct rtnl_req *r, const struct iface_route *rt,
		       const struct route_query *q)
{
	struct rtmsg rtm = {.rtm_family = AF_INET6, .rtm_dst_len = 128, .rtm_src_len = 128,
			    .rtm_table = rt->table, .rtm_protocol = RTPROT_KERNEL, .rtm_type = rt->type};
	struct rta_cacheinfo ci = {.rta_clntref = 2};
	struct nl_buf *b = r->out;
	size_t off = nlb_msg(b, RTM_NEWROUTE, 0, r->h->nlmsg_seq, r->portid, &rtm, sizeof(rtm));

	nlb_u32(b, RTA_TABLE, rt->table);
	nlb_attr(b, RTA_DST, rt->dst, 16);
	nlb_attr(b, RTA_SRC, q->src, 16);
	if (q->iif)
		nlb_u32(b, RTA_IIF, (unsigned int)q->iif);
	else
		nlb_attr(b, RTA_PREFSRC, rt->dst, 16); /* ::1, lo's own */
	nlb_u32(b, RTA_PRIORITY, 0);
	nlb_u32(b, RTA_OIF, (unsigned int)rt->oif);
	nlb_attr(b, RTA_CACHEINFO, &ci, sizeof(ci));
	nlb_u8(b, RTA_PREF, 0);
	nlb_end(b, off);
}

/* The value of attribute type after h's rtmsg into out (alen bytes): 1 given, 0 not, -ERANGE short. */
static int route_addr(const struct nlmsghdr *h, int type, unsigned int alen, unsigned char *out)
{
	size_t hdr = NLMSG_ALIGN(sizeof(struct rtmsg));
	const struct nlattr *a = find_attr((const char *)NLMSG_DATA(h) + hdr,
					   h->nlmsg_len - NLMSG_LENGTH(hdr), type);

	if (!a)
		return 0;
	if (a->nla_len < NLA_HDRLEN + alen)
		return -ERANGE; /* the policy's length */
	memcpy(out, (const char *)a + NLA_HDRLEN, alen);
	return 1;
}

/*
 * RTA_IIF and RTA_OIF, when given, must name an interface (else ENODEV, as
 * dev_get_by_index); the input interface goes into q.
 */
static int route_devs(const struct nlmsghdr *h, struct route_query *q)
{
	static const int types[] = {RTA_IIF, RTA_OIF};
	unsigned char index[4];

	for (int i = 0; i < 2; i++) {
		int ifindex = 0, err = route_addr(h, types[i], sizeof(index), index);
		if (err < 0)
			return err;
		if (err)
			memcpy(&ifindex, index, sizeof(ifindex));
		if (ifindex && !iface_by_index(ifindex))
			return -ENODEV;
		if (types[i] == RTA_IIF)
			q->iif = ifindex;
	}
	return 0;
}

/* The route an IPv4 lookup takes: 0.0.0.0 is the loopback's; a source must be uos's own. */
static const struct iface_route *route4(const struct route_query *q)
{
	static const unsigned char loopback[4] = {127, 0, 0, 1}, any[4] = {0};
	const struct iface_route *from = route_to(AF_INET, q->src);

	if (q->has_src && (!from || from->type != RTN_LOCAL))
		return NULL;
	return route_to(AF_INET, memcmp(q->dst, any, 4) ? q->dst : loopback);
}

/*
 * The route to RTA_DST from RTA_SRC, as inet_rtm_getroute and
 * inet6_rtm_getroute find it: an answer, or ENETUNREACH (only lo's own
 * addresses are reachable).  An IPv4 input route (RTA_IIF) from lo is
 * EINVAL; RTA_OIF is only checked; RTM_F_FIB_MATCH is not looked at.
 */
static int get_route(struct rtnl_req *r, int family)
{
	struct route_query q = {0};
	unsigned int alen = iface_addr_len(family);
	const struct iface_route *rt;
	int err;

	if (family != AF_INET && family != AF_INET6)
		return -EOPNOTSUPP;
	if (r->h->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtmsg)))
		return -EINVAL;
	err = route_addr(r->h, RTA_DST, alen, q.dst);
	if (err >= 0)
		err = route_addr(r->h, RTA_SRC, alen, q.src);
	if (err < 0)
		return err;
	q.has_src = err;
	err = route_devs(r->h, &q);
	if (err)
		return err;
	if (family == AF_INET && q.iif)
		return -EINVAL; /* ip_route_input from lo: a martian, whatever the source */
	rt = family == AF_INET ? route4(&q) : route_to(AF_INET6, q.dst);
	if (!rt)
		return -ENETUNREACH;
	if (family == AF_INET)
		put_route4(r, rt, &q);
	else
		put_route6(r, rt, &q);
	return 0;
}

/* The requests. */

/* A dump of type for family: its messages, then NLMSG_DONE, as netlink_dump. */
static int dump(struct rtnl_req *r, int type, int family)
{
	int done = 0;

	r->flags = NLM_F_MULTI;
	if (type == RTM_GETLINK)
		dump_links(r, family);
	else if (type == RTM_GETADDR)
		dump_addrs(r, family);
	else if (type == RTM_GETROUTE)
		dump_routes(r, family);
	else if (type == RTM_GETRULE)
		dump_rules(r, family);
	else if (type == RTM_GETQDISC && r->h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct tcmsg)))
		dump_qdiscs(r);
	else if (type == RTM_GETNETCONF)
		dump_netconf(r, family);
	else if (type != RTM_GETNEIGH && type != RTM_GETQDISC)
		return -EOPNOTSUPP; /* (no neighbours; tc_dump_qdisc dumps none for a short request) */
	size_t off = nlb_msg(r->out, NLMSG_DONE, NLM_F_MULTI, r->h->nlmsg_seq, r->portid, &done,
			     sizeof(done));
	nlb_end(r->out, off);
	return RTNL_DUMPED;
}

int rtnl_request(const struct nlmsghdr *h, unsigned int portid, unsigned int uid,
		 struct nl_buf *out)
{
	struct rtnl_req r = {.h = h, .portid = portid, .out = out, .uid = uid};
	int type = h->nlmsg_type;

	if (type > RTM_MAX)
		return -EOPNOTSUPP;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtgenmsg)))
		return 0; /* "all the messages must have at least 1 byte length" */
	int family = ((const struct rtgenmsg *)NLMSG_DATA(h))->rtgen_family;
	if ((type - RTM_BASE) % 4 != RTM_GETLINK - RTM_BASE)
		return -EPERM; /* a change: no CAP_NET_ADMIN over uos's network */
	if (h->nlmsg_flags & NLM_F_DUMP)
		return dump(&r, type, family);
	if (type == RTM_GETLINK)
		return get_link(&r);
	if (type == RTM_GETROUTE)
		return get_route(&r, family);
	return -EOPNOTSUPP;
}
