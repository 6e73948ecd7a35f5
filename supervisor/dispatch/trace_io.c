/*
 * --trace's decoding of I/O vectors (readv, writev), poll's array and the
 * strings a call returns, as strace prints them: at most STR_SHOWN elements
 * of at most STR_SHOWN bytes each.  An array that cannot be read prints its
 * address.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gmem.h"
#include "trace_line.h"

/* clang-format off */
static const struct flag pollevents[] = {
	{0x1, "POLLIN"},	{0x2, "POLLPRI"},	 {0x4, "POLLOUT"},	{0x8, "POLLERR"},
	{0x10, "POLLHUP"},	{0x20, "POLLNVAL"},	 {0x40, "POLLRDNORM"},	{0x80, "POLLRDBAND"},
	{0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"},	{0x2000, "POLLRDHUP"},
};
/* clang-format on */

struct giovec {
	uint64_t base, len;
};

/* The count argument after argument c->i, as an int. */
static int next_count(const struct argctx *c)
{
	return c->i < 5 ? (int)c->a->a[c->i + 1] : 0;
}

void put_iov_n(struct line *l, const struct argctx *c, unsigned long v, long n, long data)
{
	if (n < 0 || n > 1024) {
		put_ptr(l, c, v);
		return;
	}
	lputf(l, "[");
	for (long i = 0; i < n; i++) {
		struct giovec io;
		char buf[STR_SHOWN];
		size_t len, shown;

		if (i == STR_SHOWN) {
			lputf(l, ", ...");
			break;
		}
		if (gmem_read(c->t, &io, v + sizeof(io) * (unsigned long)i, sizeof(io)) < 0) {
			lputf(l, i ? ", ...%#lx" : "%#lx", v);
			break;
		}
		len = data >= 0 && (uint64_t)data < io.len ? (size_t)data : io.len;
		shown = len < STR_SHOWN ? len : STR_SHOWN;
		lputf(l, i ? ", {iov_base=" : "{iov_base=");
		if (gmem_read(c->t, buf, io.base, shown) < 0)
			put_addr(l, io.base);
		else
			put_quoted(l, buf, shown, len > shown, false);
		lputf(l, ", iov_len=%llu}", (unsigned long long)io.len);
		if (data >= 0)
			data -= (long)len;
	}
	lputf(l, "]");
}

void put_iovec(struct line *l, const struct argctx *c, unsigned long v)
{
	put_iov_n(l, c, v, next_count(c), -1);
}

void put_oiovec(struct line *l, const struct argctx *c, unsigned long v)
{
	if (c->ret < 0)
		put_ptr(l, c, v);
	else
		put_iov_n(l, c, v, next_count(c), c->ret);
}

/* n pollfds at v; revents: the entries with revents only, as the result shows them. */
static void put_pollfds_at(struct line *l, const struct argctx *c, unsigned long v, bool revents)
{
	unsigned long n = c->a->a[1] & 0xffffffffUL;
	const char *sep = "";

	lputf(l, "[");
	for (unsigned long i = 0; i < n && i < 1024; i++) {
		struct {
			int32_t fd;
			int16_t events, revents;
		} p;

		if (gmem_read(c->t, &p, v + 8 * i, sizeof(p)) < 0)
			break;
		if (revents && !p.revents)
			continue;
		lputf(l, "%s{fd=%d", sep, p.fd);
		if (revents || p.fd >= 0) { /* strace leaves out a negative fd's events */
			lputf(l, revents ? ", revents=" : ", events=");
			put_flags(l, pollevents, ARRAY_SIZE(pollevents),
				  (uint16_t)(revents ? p.revents : p.events));
		}
		lputf(l, "}");
		sep = ", ";
	}
	lputf(l, "]");
}

void put_pollfds(struct line *l, const struct argctx *c, unsigned long v)
{
	if (!v || (c->a->a[1] && gmem_read(c->t, &(int){0}, v, sizeof(int)) < 0))
		put_ptr(l, c, v);
	else
		put_pollfds_at(l, c, v, false);
}

/* Whether any of the n pollfds at v has revents. */
static bool any_revents(const struct argctx *c, unsigned long v, unsigned long n)
{
	for (unsigned long i = 0; i < n && i < 1024; i++) {
		int16_t revents;

		if (gmem_read(c->t, &revents, v + 8 * i + 6, sizeof(revents)) < 0)
			return false;
		if (revents)
			return true;
	}
	return false;
}

bool decode_poll_result(struct line *l, const struct argctx *c, long ret, bool left)
{
	unsigned long v = c->a->a[0], n = c->a->a[1] & 0xffffffffUL;
	bool any = any_revents(c, v, n);

	left = left && c->a->a[2];
	if (ret == 0) {
		lputf(l, " = 0 (Timeout)");
		return true;
	}
	if (!v || !n || (!any && !left)) /* strace adds nothing */
		return false;
	lputf(l, " = %ld (", ret);
	if (any)
		put_pollfds_at(l, c, v, true);
	if (left) {
		lputf(l, any ? ", left " : "left ");
		put_timespec_at(l, c->t, c->a->a[2]);
	}
	lputf(l, ")");
	return true;
}

void put_ocstr(struct line *l, const struct argctx *c, unsigned long v)
{
	if (c->ret < 0)
		put_ptr(l, c, v);
	else
		put_gstring(l, c->t, v, LINE_CAP);
}

/* ---- epoll ---- */

/* clang-format off */
static const struct flag epollevents[] = {
	{0x1, "EPOLLIN"},	  {0x2, "EPOLLPRI"},	     {0x4, "EPOLLOUT"},	      {0x8, "EPOLLERR"},
	{0x10, "EPOLLHUP"},	  {0x20, "EPOLLNVAL"},	     {0x40, "EPOLLRDNORM"},   {0x80, "EPOLLRDBAND"},
	{0x100, "EPOLLWRNORM"},	  {0x200, "EPOLLWRBAND"},    {0x400, "EPOLLMSG"},     {0x2000, "EPOLLRDHUP"},
	{1u << 28, "EPOLLEXCLUSIVE"}, {1u << 29, "EPOLLWAKEUP"}, {1u << 30, "EPOLLONESHOT"},
	{1u << 31, "EPOLLET"},
};

static const struct flag epollops[] = {{1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}};
/* clang-format on */

/* x86-64's struct epoll_event is packed: 12 bytes. */
struct gepoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

static void put_epoll_event(struct line *l, const struct gepoll_event *e)
{
	lputf(l, "{events=");
	put_flags(l, epollevents, ARRAY_SIZE(epollevents), e->events);
	lputf(l, ", data={u32=%u, u64=%llu}}", (uint32_t)e->data, (unsigned long long)e->data);
}

void put_epollop(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, epollops, ARRAY_SIZE(epollops), (int)v);
}

void put_epollevent(struct line *l, const struct argctx *c, unsigned long v)
{
	struct gepoll_event e;

	if (c->i && (int)c->a->a[1] == 2) /* EPOLL_CTL_DEL: the event is not read */
		put_ptr(l, c, v);
	else if (!v || gmem_read(c->t, &e, v, sizeof(e)) < 0)
		put_ptr(l, c, v);
	else
		put_epoll_event(l, &e);
}

void put_oepollevents(struct line *l, const struct argctx *c, unsigned long v)
{
	struct gepoll_event e;

	if (c->ret < 0) {
		put_ptr(l, c, v);
		return;
	}
	lputf(l, "[");
	for (long i = 0; i < c->ret; i++) {
		if (i == STR_SHOWN) {
			lputf(l, ", ...");
			break;
		}
		if (gmem_read(c->t, &e, v + sizeof(e) * (unsigned long)i, sizeof(e)) < 0)
			break;
		lputf(l, i ? ", " : "");
		put_epoll_event(l, &e);
	}
	lputf(l, "]");
}

void put_epollflags(struct line *l, const struct argctx *c, unsigned long v)
{
	static const struct flag cloexec[] = {{02000000, "EPOLL_CLOEXEC"}};

	put_flags(l, cloexec, ARRAY_SIZE(cloexec), v & 0xffffffffUL);
}
