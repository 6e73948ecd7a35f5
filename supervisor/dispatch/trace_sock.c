/*
 * --trace's decoding of the socket calls' structures as strace 6 prints
 * them: value-result lengths ([110 => 16]) and the addresses they measure,
 * MSG_* flags, struct msghdr with its control messages (SCM_RIGHTS'
 * descriptors, SCM_CREDENTIALS), sendmmsg's and recvmmsg's vectors, socket option levels, names and
 * values, shutdown's how.
 *
 * A value-result length is read at the call's entry too (enter_socklenp,
 * enter_omsghdr: trace_enter keeps the text), so that the exit shows what
 * the call changed.  An address whose length was not read prints as a
 * pointer, as strace does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gmem.h"
#include "trace.h"
#include "trace_line.h"

#define SYS_SETSOCKOPT 54
#define CONTROL_CAP 4096 /* bytes of msg_control decoded */

/* clang-format off */
static const struct flag msgflags[] = {
	{0x1, "MSG_OOB"},	     {0x2, "MSG_PEEK"},		  {0x4, "MSG_DONTROUTE"},
	{0x8, "MSG_CTRUNC"},	     {0x10, "MSG_PROBE"},	  {0x20, "MSG_TRUNC"},
	{0x40, "MSG_DONTWAIT"},	     {0x80, "MSG_EOR"},		  {0x100, "MSG_WAITALL"},
	{0x200, "MSG_FIN"},	     {0x400, "MSG_SYN"},	  {0x800, "MSG_CONFIRM"},
	{0x1000, "MSG_RST"},	     {0x2000, "MSG_ERRQUEUE"},	  {0x4000, "MSG_NOSIGNAL"},
	{0x8000, "MSG_MORE"},	     {0x10000, "MSG_WAITFORONE"}, {0x20000, "MSG_SENDPAGE_NOTLAST"},
	{0x40000, "MSG_BATCH"},	     {0x80000, "MSG_NO_SHARED_FRAGS"}, {0x4000000, "MSG_ZEROCOPY"},
	{0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"}, {0x80000000UL, "MSG_CMSG_COMPAT"},
};

static const struct flag levels[] = {
	{0, "SOL_IP"}, {1, "SOL_SOCKET"}, {6, "SOL_TCP"}, {17, "SOL_UDP"}, {41, "SOL_IPV6"},
	{58, "SOL_ICMPV6"}, {132, "SOL_SCTP"}, {136, "SOL_UDPLITE"}, {255, "SOL_RAW"},
	{263, "SOL_PACKET"}, {270, "SOL_NETLINK"}, {282, "SOL_TLS"}, {283, "SOL_XDP"},
};

/* SOL_SOCKET's names as strace 6.1 knows them (26: SO_ATTACH_FILTER or SO_GET_FILTER) */
static const char *const so_names[] = {
	NULL, "SO_DEBUG", "SO_REUSEADDR", "SO_TYPE", "SO_ERROR", "SO_DONTROUTE", "SO_BROADCAST",
	"SO_SNDBUF", "SO_RCVBUF", "SO_KEEPALIVE", "SO_OOBINLINE", "SO_NO_CHECK", "SO_PRIORITY",
	"SO_LINGER", "SO_BSDCOMPAT", "SO_REUSEPORT", "SO_PASSCRED", "SO_PEERCRED", "SO_RCVLOWAT",
	"SO_SNDLOWAT", "SO_RCVTIMEO_OLD", "SO_SNDTIMEO_OLD", "SO_SECURITY_AUTHENTICATION",
	"SO_SECURITY_ENCRYPTION_TRANSPORT", "SO_SECURITY_ENCRYPTION_NETWORK", "SO_BINDTODEVICE",
	NULL, "SO_DETACH_FILTER", "SO_PEERNAME", "SO_TIMESTAMP_OLD", "SO_ACCEPTCONN", "SO_PEERSEC",
	"SO_SNDBUFFORCE", "SO_RCVBUFFORCE", "SO_PASSSEC", "SO_TIMESTAMPNS_OLD", "SO_MARK",
	"SO_TIMESTAMPING_OLD", "SO_PROTOCOL", "SO_DOMAIN", "SO_RXQ_OVFL", "SO_WIFI_STATUS",
	"SO_PEEK_OFF", "SO_NOFCS", "SO_LOCK_FILTER", "SO_SELECT_ERR_QUEUE", "SO_BUSY_POLL",
	"SO_MAX_PACING_RATE", "SO_BPF_EXTENSIONS", "SO_INCOMING_CPU", "SO_ATTACH_BPF",
	"SO_ATTACH_REUSEPORT_CBPF", "SO_ATTACH_REUSEPORT_EBPF", "SO_CNX_ADVICE", NULL, "SO_MEMINFO",
	"SO_INCOMING_NAPI_ID", "SO_COOKIE", NULL, "SO_PEERGROUPS", "SO_ZEROCOPY", "SO_TXTIME",
	"SO_BINDTOIFINDEX", "SO_TIMESTAMP_NEW", "SO_TIMESTAMPNS_NEW", "SO_TIMESTAMPING_NEW",
	"SO_RCVTIMEO_NEW", "SO_SNDTIMEO_NEW", "SO_DETACH_REUSEPORT_BPF", "SO_PREFER_BUSY_POLL",
	"SO_BUSY_POLL_BUDGET", "SO_NETNS_COOKIE", "SO_BUF_LOCK", "SO_RESERVE_MEM", "SO_TXREHASH",
	"SO_RCVMARK",
};

static const char *const tcp_names[] = {
	NULL, "TCP_NODELAY", "TCP_MAXSEG", "TCP_CORK", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
	"TCP_KEEPCNT", "TCP_SYNCNT", "TCP_LINGER2", "TCP_DEFER_ACCEPT", "TCP_WINDOW_CLAMP",
	"TCP_INFO", "TCP_QUICKACK", "TCP_CONGESTION", "TCP_MD5SIG", "TCP_COOKIE_TRANSACTIONS",
	"TCP_THIN_LINEAR_TIMEOUTS", "TCP_THIN_DUPACK", "TCP_USER_TIMEOUT", "TCP_REPAIR",
	"TCP_REPAIR_QUEUE", "TCP_QUEUE_SEQ", "TCP_REPAIR_OPTIONS", "TCP_FASTOPEN", "TCP_TIMESTAMP",
	"TCP_NOTSENT_LOWAT", "TCP_CC_INFO", "TCP_SAVE_SYN", "TCP_SAVED_SYN", "TCP_REPAIR_WINDOW",
	"TCP_FASTOPEN_CONNECT", "TCP_ULP", "TCP_MD5SIG_EXT", "TCP_FASTOPEN_KEY",
	"TCP_FASTOPEN_NO_COOKIE", "TCP_ZEROCOPY_RECEIVE", "TCP_INQ", "TCP_TX_DELAY",
};

static const char *const ip_names[] = {
	NULL, "IP_TOS", "IP_TTL", "IP_HDRINCL", "IP_OPTIONS", "IP_ROUTER_ALERT", "IP_RECVOPTS",
	"IP_RETOPTS", "IP_PKTINFO", "IP_PKTOPTIONS", "IP_MTU_DISCOVER", "IP_RECVERR", "IP_RECVTTL",
	"IP_RECVTOS", "IP_MTU", "IP_FREEBIND", "IP_IPSEC_POLICY", "IP_XFRM_POLICY", "IP_PASSSEC",
	"IP_TRANSPARENT", "IP_ORIGDSTADDR", "IP_MINTTL", "IP_NODEFRAG", "IP_CHECKSUM",
	"IP_BIND_ADDRESS_NO_PORT", "IP_RECVFRAGSIZE", "IP_RECVERR_RFC4884", NULL, NULL, NULL, NULL,
	NULL, "IP_MULTICAST_IF", "IP_MULTICAST_TTL", "IP_MULTICAST_LOOP", "IP_ADD_MEMBERSHIP",
	"IP_DROP_MEMBERSHIP", "IP_UNBLOCK_SOURCE", "IP_BLOCK_SOURCE", "IP_ADD_SOURCE_MEMBERSHIP",
	"IP_DROP_SOURCE_MEMBERSHIP", "IP_MSFILTER", "MCAST_JOIN_GROUP", "MCAST_BLOCK_SOURCE",
	"MCAST_UNBLOCK_SOURCE", "MCAST_LEAVE_GROUP", "MCAST_JOIN_SOURCE_GROUP",
	"MCAST_LEAVE_SOURCE_GROUP", "MCAST_MSFILTER", "IP_MULTICAST_ALL", "IP_UNICAST_IF",
};

static const struct flag ipv6_opts[] = {
	{1, "IPV6_ADDRFORM"}, {7, "IPV6_CHECKSUM"}, {16, "IPV6_UNICAST_HOPS"},
	{17, "IPV6_MULTICAST_IF"}, {18, "IPV6_MULTICAST_HOPS"}, {19, "IPV6_MULTICAST_LOOP"},
	{20, "IPV6_ADD_MEMBERSHIP"}, {21, "IPV6_DROP_MEMBERSHIP"}, {23, "IPV6_MTU_DISCOVER"},
	{24, "IPV6_MTU"}, {25, "IPV6_RECVERR"}, {26, "IPV6_V6ONLY"}, {49, "IPV6_RECVPKTINFO"},
	{50, "IPV6_PKTINFO"}, {51, "IPV6_RECVHOPLIMIT"}, {52, "IPV6_HOPLIMIT"},
	{62, "IPV6_DONTFRAG"}, {66, "IPV6_RECVTCLASS"}, {67, "IPV6_TCLASS"},
	{75, "IPV6_TRANSPARENT"}, {78, "IPV6_FREEBIND"},
};

static const struct flag scmtypes[] = {
	{1, "SCM_RIGHTS"}, {2, "SCM_CREDENTIALS"}, {3, "SCM_SECURITY"},
};

static const struct flag shuthows[] = {{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}};
/* clang-format on */

/*
 * A socket option's or control message's level: SOL_SOCKET, or 0x... with
 * strace's comment (unknown: "SOL_??" for options, "SOL_???" for messages).
 */
static void put_level(struct line *l, unsigned int v, const char *unknown)
{
	for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
		if (levels[i].value == v) {
			lputf(l, "%s", levels[i].name);
			return;
		}
	lputf(l, "%#x /* %s */", v, unknown);
}

/* ---- value-result lengths and the addresses they measure ---- */

/*
 * At the entry: the length, when strace reads it (both pointers set for an
 * address; the length's pointer for getsockopt).
 */
void enter_socklenp(struct line *l, const struct argctx *c, unsigned long v)
{
	const struct sys_entry *e = sys_lookup(c->a->nr);
	bool addr = c->i && e && e->args.k[c->i - 1] == ARG_OSOCKADDR;
	int len;

	if (v && (!addr || c->a->a[c->i - 1]) && gmem_read(c->t, &len, v, sizeof(len)) == 0)
		lputf(l, "%d", len);
}

/* The length at the exit: *rlen, when the call succeeded and it can be read. */
static bool exit_len(const struct argctx *c, int j, int *rlen)
{
	return c->ret >= 0 && j <= 5 && gmem_read(c->t, rlen, c->a->a[j], sizeof(*rlen)) == 0;
}

void put_socklenp(struct line *l, const struct argctx *c, unsigned long v)
{
	long ulen;
	int rlen;

	if (!entry_value(c, c->i, &ulen))
		put_ptr(l, c, v);
	else if (!exit_len(c, c->i, &rlen))
		lputf(l, "[%ld]", ulen);
	else if (ulen != rlen)
		lputf(l, "[%ld => %d]", ulen, rlen);
	else
		lputf(l, "[%d]", rlen);
}

void put_osockaddr(struct line *l, const struct argctx *c, unsigned long v)
{
	long ulen;
	int rlen;

	if (!entry_value(c, c->i + 1, &ulen) || !exit_len(c, c->i + 1, &rlen))
		put_ptr(l, c, v);
	else
		put_sockaddr_len(l, c, v, ulen < rlen ? ulen : rlen);
}

void put_msgflags(struct line *l, const struct argctx *c, unsigned long v)
{
	put_flags(l, msgflags, ARRAY_SIZE(msgflags), v & 0xffffffffUL);
}

/* ---- struct msghdr ---- */

struct gmsghdr {
	uint64_t name;
	uint32_t namelen, pad;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, pad2;
};

/* One control message's type and data (level: its cmsg_level). */
static void put_cmsg_data(struct line *l, int level, int type, const unsigned char *d, size_t n)
{
	if (level != 1) {
		lputf(l, "%#x", (unsigned int)type);
		return;
	}
	if (type >= 1 && type <= (int)ARRAY_SIZE(scmtypes))
		lputf(l, "%s", scmtypes[type - 1].name);
	else
		lputf(l, "%#x /* SCM_??? */", (unsigned int)type);
	if (type == 1 && n >= sizeof(int)) { /* SCM_RIGHTS */
		lputf(l, ", cmsg_data=[");
		for (size_t i = 0; i + sizeof(int) <= n; i += sizeof(int)) {
			int fd;

			memcpy(&fd, d + i, sizeof(fd));
			lputf(l, i ? ", %d" : "%d", fd);
		}
		lputf(l, "]");
	} else if (type == 2 && n >= 12) { /* SCM_CREDENTIALS */
		uint32_t u[3];

		memcpy(u, d, sizeof(u));
		lputf(l, ", cmsg_data={pid=%d, uid=%u, gid=%u}", (int)u[0], u[1], u[2]);
	}
}

/* msg_control as strace walks it: each header of 16 bytes, its data, aligned to 8. */
static void put_control(struct line *l, const struct argctx *c, uint64_t v, uint64_t len)
{
	size_t cap = len < CONTROL_CAP ? (size_t)len : CONTROL_CAP, left = cap;
	unsigned char *buf = cap >= 16 ? malloc(cap) : NULL;
	const unsigned char *p = buf;

	lputf(l, ", msg_control=");
	if (!buf || gmem_read(c->t, buf, v, cap) < 0) {
		put_addr(l, v);
		free(buf);
		return;
	}
	lputf(l, "[");
	while (left >= 16) {
		uint64_t clen;
		int32_t lt[2];
		size_t n;

		memcpy(&clen, p, sizeof(clen));
		memcpy(lt, p + 8, sizeof(lt));
		n = clen > left ? left : (size_t)clen;
		lputf(l, "%s{cmsg_len=%llu, cmsg_level=", p == buf ? "" : ", ",
		      (unsigned long long)clen);
		put_level(l, (unsigned int)lt[0], "SOL_???");
		lputf(l, ", cmsg_type=");
		put_cmsg_data(l, lt[0], lt[1], p + 16, n > 16 ? n - 16 : 0);
		lputf(l, "}");
		if (n < 16) {
			left -= 16;
			break;
		}
		n = (size_t)((clen + 7) & ~7ULL);
		if (n >= left) {
			left = 0;
			break;
		}
		p += n;
		left -= n;
	}
	if (left || cap < len)
		lputf(l, ", ...");
	lputf(l, "]");
	free(buf);
}

/*
 * The msghdr at v.  ulen: msg_namelen at the entry (recvmsg), or -1; data:
 * the bytes its vectors hold (recvmsg's result), or -1: each whole.
 */
static void put_msghdr_at(struct line *l, const struct argctx *c, unsigned long v, long ulen,
			  long data)
{
	struct gmsghdr m;
	long namelen;

	if (!v || gmem_read(c->t, &m, v, sizeof(m)) < 0) {
		put_addr(l, v);
		return;
	}
	namelen = ulen >= 0 && (long)(int)m.namelen > ulen ? ulen : (long)(int)m.namelen;
	lputf(l, "{msg_name=");
	put_sockaddr_len(l, c, m.name, namelen);
	lputf(l, ", msg_namelen=");
	if (ulen >= 0 && ulen != (long)(int)m.namelen)
		lputf(l, "%ld => ", ulen);
	lputf(l, "%d, msg_iov=", (int)m.namelen);
	put_iov_n(l, c, m.iov, m.iovlen > 1024 ? -1 : (long)m.iovlen, data);
	lputf(l, ", msg_iovlen=%llu", (unsigned long long)m.iovlen);
	if (m.controllen)
		put_control(l, c, m.control, m.controllen);
	lputf(l, ", msg_controllen=%llu, msg_flags=", (unsigned long long)m.controllen);
	put_flags(l, msgflags, ARRAY_SIZE(msgflags), (uint32_t)m.flags);
	lputf(l, "}");
}

void put_msghdr(struct line *l, const struct argctx *c, unsigned long v)
{
	put_msghdr_at(l, c, v, -1, -1);
}

/*
 * sendmmsg's vector: each struct mmsghdr (64 bytes: the msghdr, msg_len and
 * padding), msg_len for the messages the call sent (its result).
 */
void put_mmsghdrs(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned int n = c->i < 5 ? (unsigned int)c->a->a[c->i + 1] : 0;
	uint32_t len;

	if (!v || (n && gmem_read(c->t, &len, v, sizeof(len)) < 0)) {
		put_addr(l, v);
		return;
	}
	lputf(l, "[");
	for (unsigned int i = 0; i < n; i++) {
		unsigned long m = v + 64UL * i;

		if (i == STR_SHOWN || gmem_read(c->t, &len, m + 56, sizeof(len)) < 0) {
			lputf(l, ", ...");
			break;
		}
		lputf(l, i ? ", {msg_hdr=" : "{msg_hdr=");
		put_msghdr_at(l, c, m, -1, -1);
		if ((long)i < c->ret)
			lputf(l, ", msg_len=%u", len);
		lputf(l, "}");
	}
	lputf(l, "]");
}

/* recvmmsg's at the entry: each message's msg_namelen, as many as are shown */
void enter_ommsghdrs(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned int n = (unsigned int)c->a->a[2];
	uint32_t namelen;

	for (unsigned int i = 0; i < n && i <= STR_SHOWN; i++) {
		if (gmem_read(c->t, &namelen, v + 64UL * i + 8, sizeof(namelen)) < 0)
			break;
		lputf(l, i ? " %d" : "%d", (int)namelen);
	}
}

/* recvmmsg's vector: the messages received, against their lengths at the entry. */
void put_ommsghdrs(struct line *l, const struct argctx *c, unsigned long v)
{
	const char *p = c->in[c->i];
	uint32_t len;

	if (!p || c->ret < 0) {
		put_addr(l, v);
		return;
	}
	lputf(l, "[");
	for (long i = 0; i < c->ret; i++) {
		unsigned long m = v + 64UL * (unsigned long)i;
		char *end;
		long ulen = strtol(p, &end, 10);

		if (end == p || gmem_read(c->t, &len, m + 56, sizeof(len)) < 0) {
			lputf(l, i ? ", ..." : "...");
			break;
		}
		p = end;
		lputf(l, i ? ", {msg_hdr=" : "{msg_hdr=");
		put_msghdr_at(l, c, m, ulen, len);
		lputf(l, ", msg_len=%u}", len);
	}
	lputf(l, "]");
}

bool decode_recvmmsg_result(struct line *l, const struct argctx *c, long ret)
{
	if (ret == 0) {
		lputf(l, " = 0 (Timeout)");
		return true;
	}
	if (!c->a->a[4])
		return false;
	lputf(l, " = %ld (left ", ret);
	put_timespec_at(l, c->t, c->a->a[4]);
	lputf(l, ")");
	return true;
}

/* recvmsg's: its msg_namelen at the entry */
void enter_omsghdr(struct line *l, const struct argctx *c, unsigned long v)
{
	struct gmsghdr m;

	if (v && gmem_read(c->t, &m, v, sizeof(m)) == 0)
		lputf(l, "%d", (int)m.namelen);
}

void put_omsghdr(struct line *l, const struct argctx *c, unsigned long v)
{
	long ulen;

	if (!entry_value(c, c->i, &ulen))
		put_ptr(l, c, v);
	else if (c->ret < 0)
		lputf(l, "{msg_namelen=%ld}", ulen);
	else
		put_msghdr_at(l, c, v, ulen, c->ret);
}

/* ---- socket options ---- */

void put_socklevel(struct line *l, const struct argctx *c, unsigned long v)
{
	put_level(l, (unsigned int)v, "SOL_??");
}

/* names[v], or v in hex with strace's comment ("0x3039 /" "* SO_??? *" "/"). */
static void put_indexed(struct line *l, const char *const *names, size_t n, unsigned int v,
			const char *unknown)
{
	if (v < n && names[v])
		lputf(l, "%s", names[v]);
	else
		lputf(l, "%#x /* %s */", v, unknown);
}

void put_sockopt(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned int name = (unsigned int)v;

	switch ((int)c->a->a[1]) {
	case 1: /* SOL_SOCKET */
		if (name == 26)
			lputf(l, c->a->nr == SYS_SETSOCKOPT ? "SO_ATTACH_FILTER" : "SO_GET_FILTER");
		else
			put_indexed(l, so_names, ARRAY_SIZE(so_names), name, "SO_???");
		break;
	case 0:
		put_indexed(l, ip_names, ARRAY_SIZE(ip_names), name, "IP_???");
		break;
	case 6:
		put_indexed(l, tcp_names, ARRAY_SIZE(tcp_names), name, "TCP_???");
		break;
	case 41:
		for (size_t i = 0; i < ARRAY_SIZE(ipv6_opts); i++)
			if (ipv6_opts[i].value == name) {
				lputf(l, "%s", ipv6_opts[i].name);
				return;
			}
		lputf(l, "%#x /* IPV6_??? */", name);
		break;
	default:
		lputf(l, "%u", name);
	}
}

/* The SOL_SOCKET options whose value strace 6.1's setsockopt shows as an int at any length from 4.
 */
static bool so_int_option(int name)
{
	static const unsigned char ints[] = {
	    1,	2,  5,	6,  7,	8,  9,	10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35,
	    36, 37, 40, 41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75};

	for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
		if (ints[i] == name)
			return true;
	return false;
}

/* The int at v, [N]; errname: as its errno's name when not 0 (SO_ERROR). */
static void put_optint(struct line *l, const struct argctx *c, unsigned long v, bool errname)
{
	const char *err;
	int n;

	if (gmem_read(c->t, &n, v, sizeof(n)) < 0)
		put_addr(l, v);
	else if (errname && n && (err = trace_errno_name(n)))
		lputf(l, "[%s]", err);
	else
		lputf(l, "[%d]", n);
}

/* The len bytes at v as a string. */
static void put_optstr(struct line *l, const struct argctx *c, unsigned long v, long len)
{
	char buf[STR_SHOWN];
	size_t n = len < STR_SHOWN ? (size_t)len : STR_SHOWN;

	if (gmem_read(c->t, buf, v, n) < 0)
		put_addr(l, v);
	else
		put_quoted(l, buf, n, (size_t)len > n, false);
}

/* A struct of up to n ints at v with these field names: "{l_onoff=1, l_linger=0}". */
static void put_optstruct(struct line *l, const struct argctx *c, unsigned long v,
			  const char *const *fields, size_t n)
{
	int w[3];

	if (gmem_read(c->t, w, v, n * sizeof(int)) < 0) {
		put_addr(l, v);
		return;
	}
	for (size_t i = 0; i < n; i++)
		lputf(l, "%s%s=%d", i ? ", " : "{", fields[i], w[i]);
	lputf(l, "}");
}

/*
 * An option's value of len bytes at v (get: getsockopt's, len the one it
 * returned): SO_LINGER's and SO_PEERCRED's structs, SO_ERROR's errno name,
 * ints as [N], other lengths as a string, as strace 6.1 shows them.
 */
static void put_optval(struct line *l, const struct argctx *c, unsigned long v, long len, bool get)
{
	static const char *const linger[] = {"l_onoff", "l_linger"};
	static const char *const cred[] = {"pid", "uid", "gid"};
	int level = (int)c->a->a[1], name = (int)c->a->a[2];
	bool so = level == 1;

	if (!v || len <= 0)
		put_addr(l, v);
	else if (so && name == 13 && len >= (get ? 4 : 8)) /* SO_LINGER */
		put_optstruct(l, c, v, linger, len >= 8 ? 2 : 1);
	else if (so && name == 17 && get && len >= 12) /* SO_PEERCRED */
		put_optstruct(l, c, v, cred, 3);
	else if (so && !get && (name == 13 || name == 26 || name == 51)) /* filters: not decoded */
		put_addr(l, v);
	else if (level == 270 || (so && !get && so_int_option(name)) || (so && get && name == 4))
		len >= 4 ? put_optint(l, c, v, get && so && name == 4) : put_addr(l, v);
	else if (len == sizeof(int))
		put_optint(l, c, v, false);
	else
		put_optstr(l, c, v, len);
}

void put_sockoptval(struct line *l, const struct argctx *c, unsigned long v)
{
	put_optval(l, c, v, (int)c->a->a[4], false);
}

void put_osockoptval(struct line *l, const struct argctx *c, unsigned long v)
{
	long ulen;
	int rlen;

	if (!entry_value(c, c->i + 1, &ulen) || !exit_len(c, c->i + 1, &rlen) || ulen <= 0)
		put_addr(l, v);
	else
		put_optval(l, c, v, rlen, true);
}

void put_shuthow(struct line *l, const struct argctx *c, unsigned long v)
{
	if ((unsigned int)v < ARRAY_SIZE(shuthows))
		lputf(l, "%s", shuthows[v].name);
	else
		lputf(l, "%#x /* SHUT_??? */", (unsigned int)v);
}
