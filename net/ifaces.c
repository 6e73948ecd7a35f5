/*
 * The interfaces of uos's network (ifaces.h), and the interface ioctls
 * (SIOCGIF*) on any socket, as Linux's dev_ioctl and, for the IPv4
 * addresses, devinet_ioctl on an AF_INET socket.  A guest cannot change
 * them: the setters say EPERM, as to a container without CAP_NET_ADMIN.
 */
#include <errno.h>
#include <net/if_arp.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "ifaces.h"
#include "net.h"

#define LO_FLAGS (IFF_UP | IFF_LOOPBACK | IFF_RUNNING | 0x10000) /* 0x10000: IFF_LOWER_UP */

static const struct iface ifaces[] = {
	{"lo", IFACE_LO, LO_FLAGS, 65536, 1000, ARPHRD_LOOPBACK, "noqueue", 0},
};

static const struct iface_addr addrs[] = {
	{AF_INET, IFACE_LO, 8, RT_SCOPE_HOST, IFA_F_PERMANENT, {127, 0, 0, 1}},
	{AF_INET6, IFACE_LO, 128, RT_SCOPE_HOST, IFA_F_PERMANENT, {[15] = 1}},
};

/* The kernel's routes for lo's addresses (fib_add_ifaddr, addrconf): all in table local. */
static const struct iface_route routes[] = {
	{AF_INET, RT_TABLE_LOCAL, 8, RT_SCOPE_HOST, RTN_LOCAL, {127, 0, 0, 0}, {127, 0, 0, 1},
	 IFACE_LO},
	{AF_INET, RT_TABLE_LOCAL, 32, RT_SCOPE_HOST, RTN_LOCAL, {127, 0, 0, 1}, {127, 0, 0, 1},
	 IFACE_LO},
	{AF_INET, RT_TABLE_LOCAL, 32, RT_SCOPE_LINK, RTN_BROADCAST, {127, 255, 255, 255},
	 {127, 0, 0, 1}, IFACE_LO},
	{AF_INET6, RT_TABLE_LOCAL, 128, RT_SCOPE_UNIVERSE, RTN_LOCAL, {[15] = 1}, {0}, IFACE_LO},
};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

const struct iface *iface_at(int i)
{
	return i >= 0 && i < N(ifaces) ? &ifaces[i] : NULL;
}

const struct iface_addr *iface_addr_at(int i)
{
	return i >= 0 && i < N(addrs) ? &addrs[i] : NULL;
}

const struct iface_route *iface_route_at(int i)
{
	return i >= 0 && i < N(routes) ? &routes[i] : NULL;
}

const struct iface *iface_by_index(int index)
{
	for (int i = 0; i < N(ifaces); i++)
		if (ifaces[i].index == index)
			return &ifaces[i];
	return NULL;
}

const struct iface *iface_by_name(const char *name)
{
	for (int i = 0; i < N(ifaces); i++)
		if (!strncmp(ifaces[i].name, name, IFNAMSIZ))
			return &ifaces[i];
	return NULL;
}

unsigned int iface_addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* The interface ioctls. */

/* The IPv4 address of ifc, or NULL. */
static const struct iface_addr *inet_addr_of(const struct iface *ifc)
{
	for (int i = 0; i < N(addrs); i++)
		if (addrs[i].index == ifc->index && addrs[i].family == AF_INET)
			return &addrs[i];
	return NULL;
}

static void put_in(struct sockaddr *sa, const unsigned char *a)
{
	struct sockaddr_in in = {.sin_family = AF_INET};

	if (a)
		memcpy(&in.sin_addr, a, 4);
	memcpy(sa, &in, sizeof(in));
}

/* SIOCGIFADDR and kin: devinet_ioctl, on an AF_INET socket only (else ENOTTY). */
static long inet_ioctl(const struct iface *ifc, unsigned long cmd, struct ifreq *ifr)
{
	const struct iface_addr *a = inet_addr_of(ifc);
	unsigned char mask[4] = {0};

	if (!a)
		return -EADDRNOTAVAIL;
	for (int b = 0; b < a->prefixlen; b++)
		mask[b / 8] |= (unsigned char)(0x80 >> (b % 8));
	switch (cmd) {
	case SIOCGIFADDR:
	case SIOCGIFDSTADDR: /* not point-to-point: its own address */
		put_in(&ifr->ifr_addr, a->addr);
		return 0;
	case SIOCGIFNETMASK:
		put_in(&ifr->ifr_addr, mask);
		return 0;
	case SIOCGIFBRDADDR: /* lo has none */
		put_in(&ifr->ifr_addr, NULL);
		return 0;
	default:
		return -ENOTTY;
	}
}

static long dev_ioctl(const struct iface *ifc, unsigned long cmd, struct ifreq *ifr)
{
	switch (cmd) {
	case SIOCGIFFLAGS:
		ifr->ifr_flags = (short)(ifc->flags & 0xffff);
		return 0;
	case SIOCGIFINDEX:
		ifr->ifr_ifindex = ifc->index;
		return 0;
	case SIOCGIFMTU:
		ifr->ifr_mtu = (int)ifc->mtu;
		return 0;
	case SIOCGIFMETRIC:
		ifr->ifr_metric = 0;
		return 0;
	case SIOCGIFTXQLEN:
		ifr->ifr_qlen = (int)ifc->txqlen;
		return 0;
	case SIOCGIFHWADDR:
		memset(&ifr->ifr_hwaddr, 0, sizeof(ifr->ifr_hwaddr));
		ifr->ifr_hwaddr.sa_family = ifc->type;
		return 0;
	default:
		return -ENOTTY;
	}
}

/* The interface ioctls uos knows: whether devinet_ioctl (AF_INET only) has it, and setters. */
static const struct {
	unsigned long cmd;
	bool inet, set;
} if_cmds[] = {
	{SIOCGIFNAME, false, false},	{SIOCGIFFLAGS, false, false},  {SIOCSIFFLAGS, false, true},
	{SIOCGIFADDR, true, false},	{SIOCSIFADDR, true, true},     {SIOCGIFDSTADDR, true, false},
	{SIOCSIFDSTADDR, true, true},	{SIOCGIFBRDADDR, true, false}, {SIOCSIFBRDADDR, true, true},
	{SIOCGIFNETMASK, true, false},	{SIOCSIFNETMASK, true, true},  {SIOCGIFMETRIC, false, false},
	{SIOCSIFMETRIC, false, true},	{SIOCGIFMTU, false, false},    {SIOCSIFMTU, false, true},
	{SIOCSIFNAME, false, true},	{SIOCSIFHWADDR, false, true},  {SIOCGIFHWADDR, false, false},
	{SIOCADDMULTI, false, true},	{SIOCDELMULTI, false, true},   {SIOCGIFINDEX, false, false},
	{SIOCGIFTXQLEN, false, false},	{SIOCSIFTXQLEN, false, true},
};

static int if_cmd(unsigned long cmd)
{
	for (int i = 0; i < N(if_cmds); i++)
		if (if_cmds[i].cmd == cmd)
			return i;
	return -1;
}

bool net_iface_ioctl_cmd(unsigned long cmd)
{
	return if_cmd(cmd) >= 0;
}

static long by_index(struct ifreq *ifr)
{
	const struct iface *ifc = iface_by_index(ifr->ifr_ifindex);

	if (!ifc)
		return -ENODEV;
	memset(ifr->ifr_name, 0, IFNAMSIZ);
	strcpy(ifr->ifr_name, ifc->name);
	return 0;
}

long net_iface_ioctl(int family, unsigned long cmd, struct ifreq *ifr)
{
	int i = if_cmd(cmd);
	const struct iface *ifc;

	if (i < 0 || (if_cmds[i].inet && family != AF_INET))
		return -ENOTTY;
	if (if_cmds[i].set) /* no CAP_NET_ADMIN over uos's network */
		return -EPERM;
	if (cmd == SIOCGIFNAME)
		return by_index(ifr);
	ifr->ifr_name[IFNAMSIZ - 1] = '\0';
	ifc = iface_by_name(ifr->ifr_name);
	if (!ifc)
		return -ENODEV;
	return if_cmds[i].inet ? inet_ioctl(ifc, cmd, ifr) : dev_ioctl(ifc, cmd, ifr);
}

long net_ifconf(void *buf, unsigned int len)
{
	struct ifreq ifr;
	long done = 0;

	for (int i = 0; i < N(addrs); i++) {
		const struct iface *ifc = iface_by_index(addrs[i].index);
		if (addrs[i].family != AF_INET || !ifc)
			continue;
		if (buf && len - (unsigned long)done < sizeof(ifr))
			break; /* only whole entries, as inet_gifconf */
		if (buf) {
			memset(&ifr, 0, sizeof(ifr));
			strcpy(ifr.ifr_name, ifc->name);
			put_in(&ifr.ifr_addr, addrs[i].addr);
			memcpy((char *)buf + done, &ifr, sizeof(ifr));
		}
		done += (long)sizeof(ifr);
	}
	return done;
}
