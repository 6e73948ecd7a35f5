/*
 * Building netlink messages (netlink_impl.h), as Linux's nlmsg_put and
 * nla_put: every message and attribute starts at a 4-byte boundary, and
 * the padding is zeros.
 */
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>

#include "netlink_impl.h"

void nlb_free(struct nl_buf *b)
{
	free(b->p);
	*b = (struct nl_buf){0};
}

/* Room for n more bytes (zeroed), or NULL (oom set). */
static void *grow(struct nl_buf *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 2048;
		while (cap < b->len + n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	void *at = b->p + b->len;
	memset(at, 0, n);
	b->len += n;
	return at;
}

size_t nlb_msg(struct nl_buf *b, int type, int flags, unsigned int seq, unsigned int portid,
	       const void *hdr, size_t hdrlen)
{
	size_t off = b->len;
	struct nlmsghdr h = {.nlmsg_type = (unsigned short)type, .nlmsg_flags = (unsigned short)flags,
			     .nlmsg_seq = seq, .nlmsg_pid = portid};
	char *p = grow(b, NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen));

	if (p) {
		memcpy(p, &h, sizeof(h));
		memcpy(p + NLMSG_HDRLEN, hdr, hdrlen);
	}
	return off;
}

void nlb_end(struct nl_buf *b, size_t off)
{
	unsigned int len = (unsigned int)(b->len - off);

	if (!b->oom)
		memcpy(b->p + off, &len, sizeof(len));
}

void nlb_attr(struct nl_buf *b, int type, const void *data, size_t len)
{
	struct nlattr a = {.nla_len = (unsigned short)(NLA_HDRLEN + len),
			   .nla_type = (unsigned short)type};
	char *p = grow(b, NLA_HDRLEN + NLA_ALIGN(len));

	if (!p)
		return;
	memcpy(p, &a, sizeof(a));
	if (len)
		memcpy(p + NLA_HDRLEN, data, len);
}

void nlb_u32(struct nl_buf *b, int type, unsigned int v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

void nlb_u8(struct nl_buf *b, int type, unsigned char v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

size_t nlb_nest(struct nl_buf *b, int type)
{
	size_t off = b->len;

	nlb_attr(b, type, NULL, 0); /* no NLA_F_NESTED: as nla_nest_start_noflag */
	return off;
}

void nlb_nest_end(struct nl_buf *b, size_t off)
{
	unsigned short len = (unsigned short)(b->len - off);

	if (!b->oom)
		memcpy(b->p + off, &len, sizeof(len));
}

void nlb_raw(struct nl_buf *b, const void *data, size_t len)
{
	char *p = grow(b, NLMSG_ALIGN(len));

	if (p && len)
		memcpy(p, data, len);
}
