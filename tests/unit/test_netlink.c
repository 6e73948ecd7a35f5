/*
 * Unit tests of net/netlink.c and net/rtnl.c on a kernel's struct net, no
 * guest: the answers are well-formed netlink (every message and attribute
 * within its parent, the dumps ending in NLMSG_DONE), answers never read
 * stay within the guests' socket memory and give it all back, and port ids
 * handed out are unique.
 */
#include <check.h>
#include <errno.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "memcg.h"
#include "net.h"
#include "suites.h"
#include "vfs.h"

static char answer[65536];

static struct vfs_file *nl_socket(struct kernel *k)
{
	struct net_cred cr = {0};
	struct vfs_file *f;

	ck_assert_int_eq(net_socket(&k->net, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, 0, &cr, &f), 0);
	return f;
}

#define REQ 40 /* a request: its header, and a family header as long as any (tcmsg's 20) */

/* Send a request of type (flags) for family, n times in one datagram. */
static long request(struct vfs_file *f, int type, int flags, int family, int n)
{
	static char req[REQ * 4096];
	struct net_msg m = {.buf = req, .len = (size_t)n * REQ};

	for (int i = 0; i < n; i++) {
		struct nlmsghdr h = {.nlmsg_len = REQ, .nlmsg_type = (unsigned short)type,
				     .nlmsg_flags = (unsigned short)flags, .nlmsg_seq = (unsigned)i};
		memset(req + REQ * i, 0, REQ);
		memcpy(req + REQ * i, &h, sizeof(h));
		req[REQ * i + NLMSG_HDRLEN] = (char)family;
		if (type == RTM_GETLINK && !(flags & NLM_F_DUMP))
			req[REQ * i + NLMSG_HDRLEN + 4] = 1; /* ifi_index: lo */
	}
	return net_send(f, &m);
}

static long receive(struct vfs_file *f)
{
	struct net_msg m = {.buf = answer, .len = sizeof(answer)};
	return net_recv(f, &m);
}

/* The messages of an answer of len bytes, and their attributes after hdrlen, fill it exactly. */
static int walk(long len, size_t hdrlen)
{
	int left = (int)len, msgs = 0;
	struct nlmsghdr *h;

	for (h = (struct nlmsghdr *)answer; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left), msgs++) {
		if (h->nlmsg_type == NLMSG_DONE)
			continue;
		int alen = (int)(h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(hdrlen)));
		struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(hdrlen));
		ck_assert_int_ge(alen, 0);
		while (RTA_OK(a, alen))
			a = RTA_NEXT(a, alen);
		ck_assert_int_eq(alen, 0);
	}
	ck_assert_int_eq(left, 0);
	return msgs;
}

START_TEST(dumps_well_formed)
{
	static const struct {
		int type;
		size_t hdrlen;
		int msgs; /* with NLMSG_DONE */
	} dumps[] = {
		{RTM_GETLINK, sizeof(struct ifinfomsg), 2},
		{RTM_GETADDR, sizeof(struct ifaddrmsg), 3},
		{RTM_GETROUTE, sizeof(struct rtmsg), 5},
		{RTM_GETRULE, sizeof(struct rtmsg), 6},
		{RTM_GETQDISC, sizeof(struct tcmsg), 2},
		{RTM_GETNETCONF, sizeof(struct netconfmsg), 7},
	};
	struct kernel k;
	kernel_init(&k);
	struct vfs_file *f = nl_socket(&k);
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		ck_assert_int_eq(request(f, dumps[i].type, NLM_F_REQUEST | NLM_F_DUMP, AF_UNSPEC, 1),
				 REQ);
		long n = receive(f);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(walk(n, dumps[i].hdrlen), dumps[i].msgs);
	}
	ck_assert_int_eq(receive(f), -EAGAIN);
	vfs_file_put(f);
	net_fini(&k.net);
}
END_TEST

START_TEST(unread_answers_bounded)
{
	struct kernel k;
	int big = 1 << 30, overruns = 0;
	kernel_init(&k);
	memcg_configure(&k.memcg, 1UL << 20, 1UL << 20);
	unsigned long room = memcg_room(&k.memcg, MEMCG_SOCK);
	struct vfs_file *f = nl_socket(&k);
	ck_assert_int_eq(net_setsockopt(f, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)), 0);
	for (int i = 0; i < 4; i++) /* answers of some 6 MB: far past the 1 MiB */
		ck_assert_int_eq(request(f, RTM_GETLINK, NLM_F_REQUEST, AF_UNSPEC, 1000), 1000 * REQ);
	ck_assert_uint_lt(memcg_room(&k.memcg, MEMCG_SOCK), 4096);
	long n;
	while ((n = receive(f)) != -EAGAIN) {
		overruns += n == -ENOBUFS;
		ck_assert(n > 0 || n == -ENOBUFS);
	}
	ck_assert_int_eq(overruns, 1);
	vfs_file_put(f);
	ck_assert_uint_eq(memcg_room(&k.memcg, MEMCG_SOCK), room);
	net_fini(&k.net);
}
END_TEST

START_TEST(port_ids_unique)
{
	struct kernel k;
	struct vfs_file *f[64];
	unsigned int ids[64];
	kernel_init(&k);
	for (int i = 0; i < 64; i++) {
		struct sockaddr_nl a = {0};
		unsigned int len = sizeof(a);
		f[i] = nl_socket(&k);
		ck_assert_int_eq(request(f[i], NLMSG_NOOP, NLM_F_REQUEST, 0, 1), REQ); /* autobinds */
		ck_assert_int_eq(net_name(f[i], false, &a, &len), 0);
		ids[i] = a.nl_pid;
		ck_assert_int_lt((int)ids[i], -4096); /* no caller's pid here: negative ids */
		for (int j = 0; j < i; j++)
			ck_assert_uint_ne(ids[i], ids[j]);
	}
	struct sockaddr_nl taken = {.nl_family = AF_NETLINK, .nl_pid = ids[7]};
	struct vfs_file *g = nl_socket(&k);
	ck_assert_int_eq(net_bind(NULL, g, &taken, sizeof(taken)), -EADDRINUSE);
	vfs_file_put(f[7]); /* its id is free once it is closed */
	ck_assert_int_eq(net_bind(NULL, g, &taken, sizeof(taken)), 0);
	vfs_file_put(g);
	for (int i = 0; i < 64; i++)
		if (i != 7)
			vfs_file_put(f[i]);
	net_fini(&k.net);
}
END_TEST

Suite *netlink_suite(void)
{
	Suite *s = suite_create("netlink");
	TCase *tc = tcase_create("netlink");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, dumps_well_formed);
	tcase_add_test(tc, unread_answers_bounded);
	tcase_add_test(tc, port_ids_unique);
	suite_add_tcase(s, tc);
	return s;
}
