/*
 * --publish's spec (net_publish_parse), alone: the forms docker's -p takes
 * (a port pair, an IPv4 or bracketed IPv6 host address, /udp), ports out
 * of range (ERANGE) told apart from bad forms (EINVAL).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "net.h"
#include "suites.h"

static unsigned short host_port(const struct net_publish *p)
{
	return ntohs(((const struct sockaddr_in *)&p->host)->sin_port);
}

START_TEST(ports_only)
{
	struct net_publish p;
	ck_assert_int_eq(net_publish_parse("8080:80", &p), 0);
	ck_assert_int_eq(p.host.ss_family, AF_INET);
	ck_assert_uint_eq(((struct sockaddr_in *)&p.host)->sin_addr.s_addr, htonl(INADDR_ANY));
	ck_assert_uint_eq(host_port(&p), 8080);
	ck_assert_uint_eq(p.guest_port, 80);
	ck_assert(!p.udp);
}
END_TEST

START_TEST(addresses_and_udp)
{
	struct net_publish p;
	struct in6_addr one = IN6ADDR_LOOPBACK_INIT;
	ck_assert_int_eq(net_publish_parse("127.0.0.1:1:65535/udp", &p), 0);
	ck_assert_uint_eq(((struct sockaddr_in *)&p.host)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	ck_assert_uint_eq(host_port(&p), 1);
	ck_assert_uint_eq(p.guest_port, 65535);
	ck_assert(p.udp);
	ck_assert_int_eq(net_publish_parse("[::1]:8443:443", &p), 0);
	ck_assert_int_eq(p.host.ss_family, AF_INET6);
	ck_assert_int_eq(p.hostlen, sizeof(struct sockaddr_in6));
	ck_assert(!memcmp(&((struct sockaddr_in6 *)&p.host)->sin6_addr, &one, sizeof(one)));
	ck_assert_uint_eq(host_port(&p), 8443);
}
END_TEST

START_TEST(bad_forms)
{
	static const char *const bad[] = {"", "80", ":80", "80:", "a:80", "80:b", "1.2.3:80:80",
					  "::1:80:80", "[::1]80:80", "80:80/tcp", "80:80/udpx",
					  "localhost:80:80", "123456:80", "-1:80", " 80:80"};
	struct net_publish p;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(net_publish_parse(bad[i], &p) == -EINVAL, "'%s'", bad[i]);
}
END_TEST

START_TEST(out_of_range)
{
	struct net_publish p;
	ck_assert_int_eq(net_publish_parse("0:80", &p), -ERANGE);
	ck_assert_int_eq(net_publish_parse("80:65536", &p), -ERANGE);
	ck_assert_int_eq(net_publish_parse("127.0.0.1:99999:1/udp", &p), -ERANGE);
}
END_TEST

Suite *publish_suite(void)
{
	Suite *s = suite_create("publish");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, ports_only);
	tcase_add_test(tc, addresses_and_udp);
	tcase_add_test(tc, bad_forms);
	tcase_add_test(tc, out_of_range);
	suite_add_tcase(s, tc);
	return s;
}
