/*
 * socket: AF_NETLINK (NETLINK_ROUTE) requests and answers, names, queues,
 * and the interface ioctls.  Natively the host may have more interfaces
 * than lo: the cases assert only what holds for lo (index 1, 127.0.0.1/8,
 * ::1/128) in any network namespace where it is up.
 */
#define AREA "socket"
#include "../harness.h"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define BIG 65536

static char nlbuf[4 * BIG]; /* a dump's answers */

static int nl_open(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

/* Send one message of type with body (len bytes) to the kernel: sendto's result. */
static ssize_t nl_send(int fd, int type, int flags, unsigned seq, const void *body, size_t len)
{
	char buf[512] = {0};
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct sockaddr_nl k = {.nl_family = AF_NETLINK};

	h->nlmsg_len = NLMSG_LENGTH(len);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	memcpy(NLMSG_DATA(h), body, len);
	return sendto(fd, buf, h->nlmsg_len, 0, (struct sockaddr *)&k, sizeof(k));
}

static ssize_t send_gen(int fd, int type, int flags, unsigned seq, int family)
{
	struct rtgenmsg g = {.rtgen_family = family};
	char body[8] = {0}; /* as big as ifaddrmsg: a dump request of any type */

	memcpy(body, &g, sizeof(g));
	return nl_send(fd, type, flags, seq, body, sizeof(body));
}

/* Receive answers into nlbuf until NLMSG_DONE or NLMSG_ERROR: the bytes, or -1. */
static ssize_t nl_dump(int fd)
{
	size_t got = 0;

	for (;;) {
		ssize_t n = recv(fd, nlbuf + got, sizeof(nlbuf) - got, 0);
		if (n <= 0)
			return -1;
		struct nlmsghdr *h = (struct nlmsghdr *)(nlbuf + got);
		int len = (int)n, end = 0;
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			end |= h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR;
		got += (size_t)n;
		if (end)
			return (ssize_t)got;
	}
}

static unsigned portid_of(int fd)
{
	struct sockaddr_nl a = {0};
	socklen_t len = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &len);
	return a.nl_pid;
}

static struct rtattr *attr_of(struct rtattr *rta, int len, int type)
{
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == type)
			return rta;
	return NULL;
}

static struct rtattr *link_attr(struct nlmsghdr *h, int type)
{
	return attr_of(IFLA_RTA(NLMSG_DATA(h)), (int)IFLA_PAYLOAD(h), type);
}

/* The RTM_NEWLINK of index in the n answers at nlbuf, or NULL. */
static struct nlmsghdr *find_link(ssize_t n, int index)
{
	int len = (int)n;

	for (struct nlmsghdr *h = (struct nlmsghdr *)nlbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == RTM_NEWLINK &&
		    ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index == index)
			return h;
	return NULL;
}

/* The RTM_NEWADDR of family on index 1 with address a, or NULL. */
static struct nlmsghdr *find_addr(ssize_t n, int family, const void *a)
{
	int len = (int)n;

	for (struct nlmsghdr *h = (struct nlmsghdr *)nlbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		struct ifaddrmsg *ifa = NLMSG_DATA(h);
		if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != family || ifa->ifa_index != 1)
			continue;
		struct rtattr *r = attr_of(IFA_RTA(ifa), (int)IFA_PAYLOAD(h), IFA_ADDRESS);
		if (r && !memcmp(RTA_DATA(r), a, family == AF_INET ? 4 : 16))
			return h;
	}
	return NULL;
}

/* The route of table, type, family to dst/dst_len, or NULL. */
static struct nlmsghdr *find_route(ssize_t n, int family, int table, int type, const void *dst,
				   int dst_len)
{
	int len = (int)n;

	for (struct nlmsghdr *h = (struct nlmsghdr *)nlbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		struct rtmsg *rt = NLMSG_DATA(h);
		if (h->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != family ||
		    rt->rtm_table != table || rt->rtm_type != type || rt->rtm_dst_len != dst_len)
			continue;
		struct rtattr *r = attr_of(RTM_RTA(rt), (int)RTM_PAYLOAD(h), RTA_DST);
		if (r && !memcmp(RTA_DATA(r), dst, family == AF_INET ? 4 : 16))
			return h;
	}
	return NULL;
}

/* The last message of the n answers at nlbuf. */
static struct nlmsghdr *last_msg(ssize_t n)
{
	int len = (int)n;
	struct nlmsghdr *last = NULL;

	for (struct nlmsghdr *h = (struct nlmsghdr *)nlbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		last = h;
	return last;
}

static ssize_t get_link_by_index(int fd, int flags, unsigned seq, int index)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index};

	return nl_send(fd, RTM_GETLINK, flags, seq, &ifi, sizeof(ifi));
}

static int error_of(struct nlmsghdr *h)
{
	return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
}

/* Sockets and names. */

CASE(netlink_socket_types)
{
	close(OK(socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)));
	close(OK(socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE)));
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE), ESOCKTNOSUPPORT);
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_SEQPACKET, NETLINK_ROUTE), ESOCKTNOSUPPORT);
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_STREAM, 99), ESOCKTNOSUPPORT); /* the type first */
}

CASE(netlink_protocol_out_of_range)
{
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_RAW, 32), EPROTONOSUPPORT); /* MAX_LINKS */
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_RAW, -1), EPROTONOSUPPORT);
}

CASE(netlink_audit_absent_or_there)
{
	/* A kernel without audit (uos) says EPROTONOSUPPORT; the host may have it. */
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT), err = errno;
	if (fd < 0)
		EXPECT_EQ(err, EPROTONOSUPPORT);
	else
		close(fd);
}

CASE(netlink_getsockname_unbound_zero)
{
	int fd = OK(nl_open());
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	OK(getsockname(fd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(len, sizeof(a));
	EXPECT_EQ(a.nl_family, AF_NETLINK);
	EXPECT_EQ(a.nl_pid, 0);
	EXPECT_EQ(a.nl_groups, 0);
	len = sizeof(a);
	OK(getpeername(fd, (struct sockaddr *)&a, &len)); /* no ENOTCONN: the kernel */
	EXPECT_EQ(a.nl_pid, 0);
	close(fd);
}

CASE(netlink_bind_zero_takes_pid_then_others)
{
	struct sockaddr_nl a = {.nl_family = AF_NETLINK};
	int fd = OK(nl_open()), fd2 = OK(nl_open());
	OK(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(portid_of(fd), (unsigned)getpid());
	OK(bind(fd2, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_NE(portid_of(fd2), 0);
	EXPECT_NE(portid_of(fd2), (unsigned)getpid());
	close(fd);
	close(fd2);
}

CASE(netlink_bind_twice)
{
	struct sockaddr_nl a = {.nl_family = AF_NETLINK};
	int fd = OK(nl_open());
	OK(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	a.nl_pid = portid_of(fd);
	OK(bind(fd, (struct sockaddr *)&a, sizeof(a))); /* the same id again */
	a.nl_pid++;
	EXPECT_ERRNO(bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	a.nl_pid = 0;
	EXPECT_ERRNO(bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	close(fd);
}

CASE(netlink_bind_taken_and_bad)
{
	struct sockaddr_nl a = {.nl_family = AF_NETLINK};
	int fd = OK(nl_open()), fd2 = OK(nl_open());
	OK(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	a.nl_pid = portid_of(fd);
	EXPECT_ERRNO(bind(fd2, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	EXPECT_ERRNO(bind(fd2, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL);
	a.nl_family = AF_INET;
	EXPECT_ERRNO(bind(fd2, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	a.nl_family = AF_NETLINK;
	a.nl_pid = 0x7ffffff3;
	OK(bind(fd2, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(portid_of(fd2), 0x7ffffff3);
	close(fd);
	close(fd2);
}

CASE(netlink_send_autobinds)
{
	int fd = OK(nl_open());
	EXPECT_EQ(send_gen(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, AF_UNSPEC), 24);
	EXPECT_NE(portid_of(fd), 0);
	close(fd);
}

CASE(netlink_send_empty_enodata)
{
	int fd = OK(nl_open());
	EXPECT_ERRNO(send(fd, "", 0, 0), ENODATA);
	EXPECT_EQ(portid_of(fd), 0);
	close(fd);
}

CASE(netlink_sendto_bad_address)
{
	int fd = OK(nl_open());
	char req[16] = {0};
	struct sockaddr_nl a = {.nl_family = AF_NETLINK};
	EXPECT_ERRNO(sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL);
	a.nl_family = AF_UNIX;
	EXPECT_ERRNO(sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	a.nl_family = AF_NETLINK;
	a.nl_pid = 0x7ffffff5; /* nobody's */
	EXPECT_ERRNO(sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED);
	EXPECT_ERRNO(sendto(fd, (void *)8, sizeof(req), 0, NULL, 0), EFAULT);
	close(fd);
}

CASE(netlink_user_to_user)
{
	int a = OK(nl_open()), b = OK(nl_open());
	struct sockaddr_nl to = {.nl_family = AF_NETLINK}, from;
	socklen_t len = sizeof(from);
	char got[8];
	OK(bind(b, (struct sockaddr *)&to, sizeof(to)));
	to.nl_pid = portid_of(b);
	EXPECT_EQ(sendto(a, "hello", 5, 0, (struct sockaddr *)&to, sizeof(to)), 5);
	EXPECT_EQ(recvfrom(b, got, sizeof(got), 0, (struct sockaddr *)&from, &len), 5);
	EXPECT_MEMEQ(got, "hello", 5);
	EXPECT_EQ(from.nl_pid, portid_of(a));
	close(a);
	close(b);
}

CASE(netlink_connect_sets_peer)
{
	int fd = OK(nl_open());
	struct sockaddr_nl a = {.nl_family = AF_NETLINK, .nl_pid = 0x7ffffff7}, p;
	socklen_t len = sizeof(p);
	OK(connect(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_NE(portid_of(fd), 0); /* connect binds */
	OK(getpeername(fd, (struct sockaddr *)&p, &len));
	EXPECT_EQ(p.nl_pid, 0x7ffffff7);
	a.nl_family = AF_UNSPEC;
	OK(connect(fd, (struct sockaddr *)&a, sizeof(a)));
	OK(getpeername(fd, (struct sockaddr *)&p, &len));
	EXPECT_EQ(p.nl_pid, 0);
	close(fd);
}

CASE(netlink_listen_shutdown_fionread)
{
	int fd = OK(nl_open()), n;
	EXPECT_ERRNO(listen(fd, 1), EOPNOTSUPP);
	EXPECT_ERRNO(shutdown(fd, SHUT_RD), EOPNOTSUPP);
	EXPECT_ERRNO(ioctl(fd, FIONREAD, &n), ENOTTY);
	close(fd);
}

CASE(netlink_sockopts)
{
	int fd = OK(nl_open()), v = 1;
	socklen_t len = sizeof(v);
	OK(getsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &v, &len));
	EXPECT_EQ(v, 0);
	v = 1;
	OK(setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &v, sizeof(v)));
	OK(getsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &v, &len));
	EXPECT_EQ(v, 1);
	EXPECT_EQ(len, sizeof(int));
	len = 2;
	EXPECT_ERRNO(getsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &v, &len), EINVAL);
	EXPECT_ERRNO(setsockopt(fd, SOL_NETLINK, 99, &v, sizeof(v)), ENOPROTOOPT);
	len = sizeof(v);
	EXPECT_ERRNO(getsockopt(fd, SOL_NETLINK, 99, &v, &len), ENOPROTOOPT);
	EXPECT_ERRNO(getsockopt(fd, IPPROTO_TCP, 1, &v, &len), ENOPROTOOPT);
	OK(setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &v, sizeof(v)));
	close(fd);
}

CASE(netlink_memberships)
{
	int fd = OK(nl_open()), g = RTNLGRP_LINK;
	unsigned int groups[2] = {0};
	socklen_t len = sizeof(groups);
	OK(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)));
	g = 0;
	EXPECT_ERRNO(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)), EINVAL);
	g = 4000;
	EXPECT_ERRNO(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)), EINVAL);
	OK(getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &len));
	EXPECT_EQ(groups[0], 1u << (RTNLGRP_LINK - 1));
	struct sockaddr_nl a;
	len = sizeof(a);
	OK(getsockname(fd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(a.nl_groups, 1u << (RTNLGRP_LINK - 1));
	close(fd);
}

/* Links. */

CASE(netlink_getlink_dump_has_lo)
{
	int fd = OK(nl_open());
	EXPECT_EQ(send_gen(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 42, AF_UNSPEC), 24);
	ssize_t n = OK(nl_dump(fd));
	struct nlmsghdr *h = find_link(n, 1), *done = last_msg(n);
	EXPECT_TRUE(h != NULL);
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	EXPECT_EQ(ifi->ifi_type, ARPHRD_LOOPBACK);
	EXPECT_EQ(ifi->ifi_flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING), IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
	EXPECT_EQ(h->nlmsg_seq, 42);
	EXPECT_EQ(h->nlmsg_pid, portid_of(fd));
	EXPECT_EQ(h->nlmsg_flags, NLM_F_MULTI);
	EXPECT_EQ(done->nlmsg_type, NLMSG_DONE);
	EXPECT_EQ(done->nlmsg_seq, 42);
	EXPECT_EQ(done->nlmsg_flags, NLM_F_MULTI);
	EXPECT_EQ(done->nlmsg_len, NLMSG_LENGTH(sizeof(int)));
	EXPECT_EQ(*(int *)NLMSG_DATA(done), 0);
	close(fd);
}

CASE(netlink_getlink_lo_attributes)
{
	int fd = OK(nl_open());
	static const unsigned char zeros[6];
	OK(send_gen(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, AF_UNSPEC));
	ssize_t n = OK(nl_dump(fd));
	struct nlmsghdr *h = find_link(n, 1);
	EXPECT_TRUE(h != NULL);
	struct rtattr *r = link_attr(h, IFLA_IFNAME);
	EXPECT_TRUE(r != NULL);
	EXPECT_STREQ((char *)RTA_DATA(r), "lo");
	EXPECT_EQ(*(unsigned *)RTA_DATA(link_attr(h, IFLA_MTU)), 65536);
	EXPECT_EQ(*(unsigned char *)RTA_DATA(link_attr(h, IFLA_OPERSTATE)), 0); /* IF_OPER_UNKNOWN */
	EXPECT_EQ(*(unsigned char *)RTA_DATA(link_attr(h, IFLA_LINKMODE)), 0);
	EXPECT_TRUE(link_attr(h, IFLA_TXQLEN) != NULL);
	r = link_attr(h, IFLA_QDISC);
	EXPECT_TRUE(r != NULL);
	EXPECT_STREQ((char *)RTA_DATA(r), "noqueue");
	r = link_attr(h, IFLA_ADDRESS);
	EXPECT_EQ(RTA_PAYLOAD(r), 6);
	EXPECT_MEMEQ(RTA_DATA(r), zeros, 6);
	r = link_attr(h, IFLA_BROADCAST);
	EXPECT_EQ(RTA_PAYLOAD(r), 6);
	EXPECT_TRUE(link_attr(h, IFLA_STATS) != NULL);
	r = link_attr(h, IFLA_STATS64);
	EXPECT_TRUE(r && RTA_PAYLOAD(r) >= 192);
	close(fd);
}

CASE(netlink_getlink_by_index)
{
	int fd = OK(nl_open());
	char b[8];
	EXPECT_EQ(get_link_by_index(fd, NLM_F_REQUEST, 7, 1), 32);
	ssize_t n = OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	EXPECT_EQ(h->nlmsg_type, RTM_NEWLINK);
	EXPECT_EQ(h->nlmsg_len, n); /* one message, no NLMSG_DONE */
	EXPECT_EQ(h->nlmsg_flags, 0);
	EXPECT_EQ(h->nlmsg_seq, 7);
	EXPECT_STREQ((char *)RTA_DATA(link_attr(h, IFLA_IFNAME)), "lo");
	EXPECT_ERRNO(recv(fd, b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close(fd);
}

CASE(netlink_getlink_by_name)
{
	int fd = OK(nl_open());
	struct {
		struct ifinfomsg ifi;
		struct rtattr rta;
		char name[4];
	} req = {.ifi = {.ifi_family = AF_UNSPEC}, .rta = {RTA_LENGTH(3), IFLA_IFNAME}, .name = "lo"};
	OK(nl_send(fd, RTM_GETLINK, NLM_F_REQUEST, 8, &req, sizeof(req)));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	EXPECT_EQ(h->nlmsg_type, RTM_NEWLINK);
	EXPECT_EQ(((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index, 1);
	memcpy(req.name, "zz9", 4);
	OK(nl_send(fd, RTM_GETLINK, NLM_F_REQUEST, 9, &req, sizeof(req)));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(h->nlmsg_type, NLMSG_ERROR);
	EXPECT_EQ(error_of(h), -ENODEV);
	close(fd);
}

CASE(netlink_getlink_unknown_index_enodev)
{
	int fd = OK(nl_open());
	OK(get_link_by_index(fd, NLM_F_REQUEST, 11, 0x7fff0000));
	ssize_t n = OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	EXPECT_EQ(h->nlmsg_type, NLMSG_ERROR);
	EXPECT_EQ(n, 52); /* the error, then the request whole */
	EXPECT_EQ(h->nlmsg_len, 52);
	EXPECT_EQ(h->nlmsg_flags, 0);
	EXPECT_EQ(h->nlmsg_seq, 11);
	EXPECT_EQ(h->nlmsg_pid, portid_of(fd));
	struct nlmsgerr *e = NLMSG_DATA(h);
	EXPECT_EQ(e->error, -ENODEV);
	EXPECT_EQ(e->msg.nlmsg_type, RTM_GETLINK);
	EXPECT_EQ(e->msg.nlmsg_seq, 11);
	EXPECT_EQ(((struct ifinfomsg *)(e + 1))->ifi_index, 0x7fff0000);
	close(fd);
}

CASE(netlink_getlink_no_index_no_name_einval)
{
	int fd = OK(nl_open());
	OK(get_link_by_index(fd, NLM_F_REQUEST, 12, 0));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), -EINVAL);
	OK(get_link_by_index(fd, NLM_F_REQUEST, 12, -1));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), -EINVAL);
	close(fd);
}

CASE(netlink_getlink_short_request_einval)
{
	int fd = OK(nl_open());
	int four = 0;
	OK(nl_send(fd, RTM_GETLINK, NLM_F_REQUEST, 13, &four, sizeof(four)));
	ssize_t n = OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	EXPECT_EQ(h->nlmsg_type, NLMSG_ERROR);
	EXPECT_EQ(error_of(h), -EINVAL);
	EXPECT_EQ(n, 40);
	close(fd);
}

CASE(netlink_empty_body_acked)
{
	/* "All the messages must have at least 1 byte length": else only an ack. */
	int fd = OK(nl_open());
	OK(nl_send(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 14, NULL, 0));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(((struct nlmsghdr *)nlbuf)->nlmsg_type, NLMSG_ERROR);
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), 0);
	OK(nl_send(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 14, NULL, 0));
	EXPECT_ERRNO(recv(fd, nlbuf, sizeof(nlbuf), MSG_DONTWAIT), EAGAIN);
	close(fd);
}

CASE(netlink_ack_after_answer)
{
	int fd = OK(nl_open());
	OK(get_link_by_index(fd, NLM_F_REQUEST | NLM_F_ACK, 15, 1));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(((struct nlmsghdr *)nlbuf)->nlmsg_type, RTM_NEWLINK);
	ssize_t n = OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	EXPECT_EQ(h->nlmsg_type, NLMSG_ERROR);
	EXPECT_EQ(n, 36); /* an ack carries the request's header only */
	EXPECT_EQ(h->nlmsg_flags, NLM_F_CAPPED);
	EXPECT_EQ(h->nlmsg_seq, 15);
	EXPECT_EQ(error_of(h), 0);
	close(fd);
}

CASE(netlink_cap_ack_error)
{
	int fd = OK(nl_open()), one = 1;
	OK(setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)));
	OK(get_link_by_index(fd, NLM_F_REQUEST, 16, 0x7fff0000));
	ssize_t n = OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(n, 36);
	EXPECT_EQ(((struct nlmsghdr *)nlbuf)->nlmsg_flags, NLM_F_CAPPED);
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), -ENODEV);
	close(fd);
}

CASE(netlink_dump_with_ack_no_ack)
{
	int fd = OK(nl_open());
	OK(send_gen(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 17, AF_UNSPEC));
	ssize_t n = OK(nl_dump(fd));
	EXPECT_EQ(last_msg(n)->nlmsg_type, NLMSG_DONE);
	EXPECT_ERRNO(recv(fd, nlbuf, 16, MSG_DONTWAIT), EAGAIN);
	close(fd);
}

CASE(netlink_not_a_request_ignored)
{
	int fd = OK(nl_open());
	OK(get_link_by_index(fd, 0, 18, 1));
	EXPECT_ERRNO(recv(fd, nlbuf, 16, MSG_DONTWAIT), EAGAIN);
	OK(get_link_by_index(fd, NLM_F_ACK, 18, 1)); /* acked, not answered */
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(((struct nlmsghdr *)nlbuf)->nlmsg_type, NLMSG_ERROR);
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), 0);
	OK(nl_send(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 18, NULL, 0));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), 0);
	close(fd);
}

CASE(netlink_unknown_type_eopnotsupp)
{
	int fd = OK(nl_open());
	OK(send_gen(fd, 200, NLM_F_REQUEST, 19, AF_UNSPEC));
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), -EOPNOTSUPP);
	OK(send_gen(fd, RTM_GETADDR, NLM_F_REQUEST, 19, AF_UNSPEC)); /* no single get of these */
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(error_of((struct nlmsghdr *)nlbuf), -EOPNOTSUPP);
	close(fd);
}

CASE(netlink_truncated_messages_ignored)
{
	int fd = OK(nl_open());
	char req[64] = {0};
	struct nlmsghdr *h = (struct nlmsghdr *)req;
	EXPECT_EQ(send(fd, req, 10, 0), 10); /* shorter than a header */
	h->nlmsg_len = 60;		     /* longer than the datagram */
	h->nlmsg_type = RTM_GETLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK;
	EXPECT_EQ(send(fd, req, 32, 0), 32);
	h->nlmsg_len = 8; /* shorter than its header */
	EXPECT_EQ(send(fd, req, 32, 0), 32);
	EXPECT_ERRNO(recv(fd, nlbuf, 16, MSG_DONTWAIT), EAGAIN);
	close(fd);
}

CASE(netlink_two_requests_one_datagram)
{
	int fd = OK(nl_open());
	char req[64] = {0};
	for (int i = 0; i < 2; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)(req + 32 * i);
		h->nlmsg_len = 32;
		h->nlmsg_type = RTM_GETLINK;
		h->nlmsg_flags = NLM_F_REQUEST;
		h->nlmsg_seq = 100 + i;
		((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index = 1;
	}
	EXPECT_EQ(send(fd, req, sizeof(req), 0), 64);
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(((struct nlmsghdr *)nlbuf)->nlmsg_seq, 100);
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(((struct nlmsghdr *)nlbuf)->nlmsg_seq, 101);
	close(fd);
}

/* Receiving. */

CASE(netlink_recv_trunc)
{
	int fd = OK(nl_open());
	char small[16];
	struct iovec iov = {small, sizeof(small)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	OK(get_link_by_index(fd, NLM_F_REQUEST, 20, 1));
	OK(get_link_by_index(fd, NLM_F_REQUEST, 21, 1));
	EXPECT_EQ(recvmsg(fd, &mh, 0), 16);
	EXPECT_TRUE(mh.msg_flags & MSG_TRUNC);
	EXPECT_EQ(((struct nlmsghdr *)small)->nlmsg_seq, 20);
	ssize_t n = recv(fd, small, sizeof(small), MSG_TRUNC); /* the rest of the first is gone */
	EXPECT_TRUE(n > 16);
	EXPECT_EQ(((struct nlmsghdr *)small)->nlmsg_seq, 21);
	EXPECT_EQ(((struct nlmsghdr *)small)->nlmsg_len, n);
	close(fd);
}

CASE(netlink_recv_peek)
{
	int fd = OK(nl_open());
	OK(get_link_by_index(fd, NLM_F_REQUEST, 22, 1));
	ssize_t n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC); /* iproute2 sizes its buffer so */
	EXPECT_TRUE(n > 16);
	EXPECT_EQ(recv(fd, nlbuf, sizeof(nlbuf), MSG_PEEK), n);
	EXPECT_EQ(recv(fd, nlbuf, sizeof(nlbuf), 0), n);
	EXPECT_EQ(((struct nlmsghdr *)nlbuf)->nlmsg_seq, 22);
	EXPECT_ERRNO(recv(fd, nlbuf, sizeof(nlbuf), MSG_DONTWAIT), EAGAIN);
	close(fd);
}

CASE(netlink_nonblocking_eagain)
{
	int fd = OK(socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_ROUTE));
	char b[16];
	EXPECT_ERRNO(recv(fd, b, sizeof(b), 0), EAGAIN);
	EXPECT_ERRNO(read(fd, b, sizeof(b)), EAGAIN);
	close(fd);
	fd = OK(nl_open());
	EXPECT_ERRNO(recv(fd, b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	close(fd);
}

CASE(netlink_poll_readiness)
{
	int fd = OK(nl_open());
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLOUT);
	OK(send_gen(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 23, AF_INET));
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT);
	OK(nl_dump(fd));
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLOUT);
	close(fd);
}

CASE(netlink_sender_is_kernel)
{
	int fd = OK(nl_open());
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	OK(get_link_by_index(fd, NLM_F_REQUEST, 24, 1));
	OK(recvfrom(fd, nlbuf, sizeof(nlbuf), 0, (struct sockaddr *)&a, &len));
	EXPECT_EQ(len, sizeof(a));
	EXPECT_EQ(a.nl_family, AF_NETLINK);
	EXPECT_EQ(a.nl_pid, 0);
	EXPECT_EQ(a.nl_groups, 0);
	EXPECT_ERRNO(recv(fd, (void *)8, 16, MSG_DONTWAIT), EAGAIN);
	OK(get_link_by_index(fd, NLM_F_REQUEST, 24, 1));
	EXPECT_ERRNO(recv(fd, (void *)8, 16, 0), EFAULT);
	close(fd);
}

CASE(netlink_overrun_enobufs)
{
	/* Requests never read: answers past SO_RCVBUF are dropped, and one receive says so. */
	int fd = OK(nl_open()), rcv = 0, got = 0, seen_enobufs = 0, err;
	socklen_t len = sizeof(rcv);
	OK(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len));
	int requests = rcv / 512 + 100;
	for (int i = 0; i < requests; i++)
		EXPECT_EQ(get_link_by_index(fd, NLM_F_REQUEST, (unsigned)i, 1), 32);
	for (;;) {
		ssize_t n = recv(fd, nlbuf, sizeof(nlbuf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			seen_enobufs++;
			continue;
		}
		err = errno;
		if (n < 0)
			break;
		got++;
	}
	EXPECT_EQ(err, EAGAIN);
	EXPECT_EQ(seen_enobufs, 1);
	EXPECT_TRUE(got > 0 && got < requests);
	close(fd);
}

/* Addresses and routes. */

CASE(netlink_getaddr_inet)
{
	int fd = OK(nl_open());
	static const unsigned char lo4[4] = {127, 0, 0, 1}, lo6[16] = {[15] = 1};
	OK(send_gen(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 30, AF_INET));
	ssize_t n = OK(nl_dump(fd));
	struct nlmsghdr *h = find_addr(n, AF_INET, lo4);
	EXPECT_TRUE(h != NULL);
	EXPECT_TRUE(find_addr(n, AF_INET6, lo6) == NULL);
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	EXPECT_EQ(ifa->ifa_prefixlen, 8);
	EXPECT_EQ(ifa->ifa_scope, RT_SCOPE_HOST);
	EXPECT_TRUE(ifa->ifa_flags & IFA_F_PERMANENT);
	struct rtattr *r = attr_of(IFA_RTA(ifa), (int)IFA_PAYLOAD(h), IFA_LABEL);
	EXPECT_TRUE(r != NULL);
	EXPECT_STREQ((char *)RTA_DATA(r), "lo");
	r = attr_of(IFA_RTA(ifa), (int)IFA_PAYLOAD(h), IFA_LOCAL);
	EXPECT_TRUE(r != NULL);
	EXPECT_MEMEQ(RTA_DATA(r), lo4, 4);
	r = attr_of(IFA_RTA(ifa), (int)IFA_PAYLOAD(h), IFA_CACHEINFO);
	EXPECT_EQ(RTA_PAYLOAD(r), sizeof(struct ifa_cacheinfo));
	EXPECT_EQ(((struct ifa_cacheinfo *)RTA_DATA(r))->ifa_valid, 0xffffffffu);
	EXPECT_EQ(last_msg(n)->nlmsg_type, NLMSG_DONE);
	close(fd);
}

CASE(netlink_getaddr_inet6)
{
	int fd = OK(nl_open());
	static const unsigned char lo4[4] = {127, 0, 0, 1}, lo6[16] = {[15] = 1};
	OK(send_gen(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 31, AF_INET6));
	ssize_t n = OK(nl_dump(fd));
	struct nlmsghdr *h = find_addr(n, AF_INET6, lo6);
	EXPECT_TRUE(h != NULL);
	EXPECT_TRUE(find_addr(n, AF_INET, lo4) == NULL);
	EXPECT_EQ(((struct ifaddrmsg *)NLMSG_DATA(h))->ifa_prefixlen, 128);
	EXPECT_EQ(((struct ifaddrmsg *)NLMSG_DATA(h))->ifa_scope, RT_SCOPE_HOST);
	close(fd);
}

CASE(netlink_getaddr_unspec_both_inet_first)
{
	int fd = OK(nl_open());
	static const unsigned char lo4[4] = {127, 0, 0, 1}, lo6[16] = {[15] = 1};
	OK(send_gen(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 32, AF_UNSPEC));
	ssize_t n = OK(nl_dump(fd));
	struct nlmsghdr *a4 = find_addr(n, AF_INET, lo4), *a6 = find_addr(n, AF_INET6, lo6);
	EXPECT_TRUE(a4 != NULL && a6 != NULL);
	EXPECT_TRUE((char *)a4 < (char *)a6);
	close(fd);
}

CASE(netlink_getroute_inet_local_table)
{
	int fd = OK(nl_open());
	static const unsigned char net[4] = {127, 0, 0, 0}, one[4] = {127, 0, 0, 1},
				   bcast[4] = {127, 255, 255, 255};
	OK(send_gen(fd, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 33, AF_INET));
	ssize_t n = OK(nl_dump(fd));
	struct nlmsghdr *h = find_route(n, AF_INET, RT_TABLE_LOCAL, RTN_LOCAL, net, 8);
	EXPECT_TRUE(h != NULL);
	struct rtmsg *rt = NLMSG_DATA(h);
	EXPECT_EQ(rt->rtm_scope, RT_SCOPE_HOST);
	EXPECT_EQ(rt->rtm_protocol, RTPROT_KERNEL);
	struct rtattr *r = attr_of(RTM_RTA(rt), (int)RTM_PAYLOAD(h), RTA_PREFSRC);
	EXPECT_TRUE(r != NULL);
	EXPECT_MEMEQ(RTA_DATA(r), one, 4);
	r = attr_of(RTM_RTA(rt), (int)RTM_PAYLOAD(h), RTA_OIF);
	EXPECT_EQ(*(int *)RTA_DATA(r), 1);
	EXPECT_TRUE(find_route(n, AF_INET, RT_TABLE_LOCAL, RTN_LOCAL, one, 32) != NULL);
	EXPECT_TRUE(find_route(n, AF_INET, RT_TABLE_LOCAL, RTN_BROADCAST, bcast, 32) != NULL);
	EXPECT_EQ(last_msg(n)->nlmsg_type, NLMSG_DONE);
	close(fd);
}

CASE(netlink_getroute_inet6_local)
{
	int fd = OK(nl_open());
	static const unsigned char lo6[16] = {[15] = 1};
	OK(send_gen(fd, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 34, AF_INET6));
	ssize_t n = OK(nl_dump(fd));
	EXPECT_TRUE(find_route(n, AF_INET6, RT_TABLE_LOCAL, RTN_LOCAL, lo6, 128) != NULL);
	int len = (int)n;
	for (struct nlmsghdr *h = (struct nlmsghdr *)nlbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == RTM_NEWROUTE)
			EXPECT_EQ(((struct rtmsg *)NLMSG_DATA(h))->rtm_family, AF_INET6);
	close(fd);
}

CASE(netlink_getrule_defaults)
{
	int fd = OK(nl_open()), local = 0, main_ = 0, v6 = 0;
	OK(send_gen(fd, RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP, 35, AF_INET));
	ssize_t n = OK(nl_dump(fd));
	int len = (int)n;
	for (struct nlmsghdr *h = (struct nlmsghdr *)nlbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type != RTM_NEWRULE)
			continue;
		struct rtmsg *frh = NLMSG_DATA(h); /* struct fib_rule_hdr has rtmsg's layout */
		struct rtattr *prio = attr_of(RTM_RTA(frh), (int)RTM_PAYLOAD(h), 6 /* FRA_PRIORITY */);
		v6 |= frh->rtm_family != AF_INET;
		local |= frh->rtm_table == RT_TABLE_LOCAL && !prio;
		main_ |= frh->rtm_table == RT_TABLE_MAIN && prio && *(int *)RTA_DATA(prio) == 32766;
	}
	EXPECT_TRUE(local);
	EXPECT_TRUE(main_);
	EXPECT_TRUE(!v6);
	EXPECT_EQ(last_msg(n)->nlmsg_type, NLMSG_DONE);
	close(fd);
}

/* A GETROUTE of one destination with RTA_DST of len bytes (4: 127.0.0.1). */
static ssize_t get_route_to(int fd, unsigned seq, int len)
{
	struct {
		struct rtmsg rt;
		struct rtattr rta;
		unsigned char dst[4];
	} req = {.rt = {.rtm_family = AF_INET, .rtm_dst_len = 32},
		 .rta = {RTA_LENGTH(len), RTA_DST}, .dst = {127, 0, 0, 1}};
	return nl_send(fd, RTM_GETROUTE, NLM_F_REQUEST, seq, &req, sizeof(req));
}

CASE(netlink_route_get_loopback)
{
	int fd = OK(nl_open());
	static const unsigned char one[4] = {127, 0, 0, 1};
	OK(get_route_to(fd, 36, 4));
	ssize_t n = OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	EXPECT_EQ(h->nlmsg_type, RTM_NEWROUTE);
	EXPECT_EQ(h->nlmsg_len, n);
	EXPECT_EQ(h->nlmsg_seq, 36);
	struct rtmsg *rt = NLMSG_DATA(h);
	EXPECT_EQ(rt->rtm_type, RTN_LOCAL);
	EXPECT_EQ(rt->rtm_table, RT_TABLE_MAIN);
	EXPECT_TRUE(rt->rtm_flags & RTM_F_CLONED);
	struct rtattr *r = attr_of(RTM_RTA(rt), (int)RTM_PAYLOAD(h), RTA_OIF);
	EXPECT_TRUE(r != NULL);
	EXPECT_EQ(*(int *)RTA_DATA(r), 1);
	r = attr_of(RTM_RTA(rt), (int)RTM_PAYLOAD(h), RTA_PREFSRC);
	EXPECT_TRUE(r != NULL);
	EXPECT_MEMEQ(RTA_DATA(r), one, 4);
	r = attr_of(RTM_RTA(rt), (int)RTM_PAYLOAD(h), RTA_UID);
	EXPECT_TRUE(r != NULL);
	EXPECT_EQ(*(unsigned *)RTA_DATA(r), getuid());
	OK(get_route_to(fd, 37, 3)); /* RTA_DST too short for an IPv4 address */
	OK(recv(fd, nlbuf, sizeof(nlbuf), 0));
	EXPECT_EQ(error_of(h), -ERANGE);
	close(fd);
}

/* The interface ioctls and the C library's interface calls. */

static int if_ioctl(int fd, unsigned long cmd, const char *name, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strcpy(ifr->ifr_name, name);
	return ioctl(fd, cmd, ifr);
}

CASE(ioctl_lo_on_any_socket)
{
	int fams[] = {AF_UNIX, AF_INET, AF_NETLINK};
	struct ifreq ifr;
	for (int i = 0; i < 3; i++) {
		int fd = OK(socket(fams[i], SOCK_DGRAM, 0));
		OK(if_ioctl(fd, SIOCGIFINDEX, "lo", &ifr));
		EXPECT_EQ(ifr.ifr_ifindex, 1);
		OK(if_ioctl(fd, SIOCGIFFLAGS, "lo", &ifr));
		EXPECT_EQ(ifr.ifr_flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING),
			  IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
		OK(if_ioctl(fd, SIOCGIFMTU, "lo", &ifr));
		EXPECT_EQ(ifr.ifr_mtu, 65536);
		OK(if_ioctl(fd, SIOCGIFHWADDR, "lo", &ifr));
		EXPECT_EQ(ifr.ifr_hwaddr.sa_family, ARPHRD_LOOPBACK);
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_ifindex = 1;
		OK(ioctl(fd, SIOCGIFNAME, &ifr));
		EXPECT_STREQ(ifr.ifr_name, "lo");
		EXPECT_ERRNO(if_ioctl(fd, SIOCGIFFLAGS, "nosuch0", &ifr), ENODEV);
		EXPECT_ERRNO(ioctl(fd, SIOCGIFFLAGS, (void *)8), EFAULT);
		close(fd);
	}
}

CASE(ioctl_inet_addresses)
{
	int fd = OK(socket(AF_INET, SOCK_DGRAM, 0)), u = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct ifreq ifr;
	OK(if_ioctl(fd, SIOCGIFADDR, "lo", &ifr));
	struct sockaddr_in *in = (struct sockaddr_in *)&ifr.ifr_addr;
	EXPECT_EQ(in->sin_family, AF_INET);
	EXPECT_EQ(in->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	OK(if_ioctl(fd, SIOCGIFNETMASK, "lo", &ifr));
	EXPECT_EQ(in->sin_addr.s_addr, htonl(0xff000000));
	EXPECT_ERRNO(if_ioctl(u, SIOCGIFADDR, "lo", &ifr), ENOTTY); /* devinet_ioctl's, AF_INET only */
	EXPECT_ERRNO(if_ioctl(fd, SIOCGIFADDR, "nosuch0", &ifr), ENODEV);
	close(fd);
	close(u);
}

CASE(ioctl_ifconf_lists_lo)
{
	int fd = OK(socket(AF_INET, SOCK_DGRAM, 0)), found = 0;
	struct ifreq reqs[32];
	struct ifconf ifc = {.ifc_len = 0, .ifc_req = NULL};
	OK(ioctl(fd, SIOCGIFCONF, &ifc));
	EXPECT_TRUE(ifc.ifc_len > 0 && ifc.ifc_len % (int)sizeof(struct ifreq) == 0);
	ifc.ifc_len = sizeof(reqs);
	ifc.ifc_req = reqs;
	OK(ioctl(fd, SIOCGIFCONF, &ifc));
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
		struct sockaddr_in *in = (struct sockaddr_in *)&reqs[i].ifr_addr;
		found |= !strcmp(reqs[i].ifr_name, "lo") && in->sin_family == AF_INET &&
			 in->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
	}
	EXPECT_TRUE(found);
	ifc.ifc_len = sizeof(struct ifreq) - 1; /* only whole entries */
	OK(ioctl(fd, SIOCGIFCONF, &ifc));
	EXPECT_EQ(ifc.ifc_len, 0);
	EXPECT_ERRNO(ioctl(fd, SIOCGIFCONF, (void *)8), EFAULT);
	close(fd);
}

CASE(libc_getifaddrs_has_lo)
{
	struct ifaddrs *all;
	int v4 = 0, v6 = 0;
	OK(getifaddrs(&all));
	for (struct ifaddrs *p = all; p; p = p->ifa_next) {
		if (strcmp(p->ifa_name, "lo") || !p->ifa_addr)
			continue;
		EXPECT_TRUE(p->ifa_flags & IFF_UP);
		EXPECT_TRUE(p->ifa_flags & IFF_LOOPBACK);
		if (p->ifa_addr->sa_family == AF_INET)
			v4 |= ((struct sockaddr_in *)p->ifa_addr)->sin_addr.s_addr ==
			      htonl(INADDR_LOOPBACK);
		if (p->ifa_addr->sa_family == AF_INET6)
			v6 |= IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)p->ifa_addr)->sin6_addr);
	}
	freeifaddrs(all);
	EXPECT_TRUE(v4);
	EXPECT_TRUE(v6);
}

CASE(libc_if_nameindex)
{
	char name[IF_NAMESIZE];
	int found = 0;
	EXPECT_EQ(if_nametoindex("lo"), 1);
	EXPECT_EQ(if_nametoindex("nosuch0"), 0);
	EXPECT_STREQ(if_indextoname(1, name), "lo");
	struct if_nameindex *ni = if_nameindex();
	EXPECT_TRUE(ni != NULL);
	for (int i = 0; ni[i].if_index; i++)
		found |= ni[i].if_index == 1 && !strcmp(ni[i].if_name, "lo");
	if_freenameindex(ni);
	EXPECT_TRUE(found);
}
