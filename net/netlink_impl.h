/*
 * What the netlink socket (netlink.c) shares with the kernel side of
 * NETLINK_ROUTE (rtnl.c): a buffer that answers are built in.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct nlmsghdr;

/* Netlink messages being built: grows as needed; oom once it could not. */
struct nl_buf {
	char *p;
	size_t len, cap;
	bool oom;
};

void nlb_free(struct nl_buf *b);
/*
 * Start a message (type, flags, seq, to portid) with hdrlen bytes of hdr
 * (the family header) after its nlmsghdr: its offset, for nlb_end.
 */
size_t nlb_msg(struct nl_buf *b, int type, int flags, unsigned int seq, unsigned int portid,
	       const void *hdr, size_t hdrlen);
/* Close the message at off: its nlmsg_len covers what was added since. */
void nlb_end(struct nl_buf *b, size_t off);
/* An attribute of len bytes of data (padded to 4). */
void nlb_attr(struct nl_buf *b, int type, const void *data, size_t len);
void nlb_u32(struct nl_buf *b, int type, unsigned int v);
void nlb_u8(struct nl_buf *b, int type, unsigned char v);
/* len bytes of data as they are (padded to 4). */
void nlb_raw(struct nl_buf *b, const void *data, size_t len);
/* A nested attribute: open (its offset), then close when its members are in. */
size_t nlb_nest(struct nl_buf *b, int type);
void nlb_nest_end(struct nl_buf *b, size_t off);

#define RTNL_DUMPED 1 /* rtnl_request: a dump answered (no ack follows) */

/*
 * A NETLINK_ROUTE request h (nlmsg_len checked) from portid, sent by a
 * caller of real uid uid: its answers into out.  0 (ack if asked),
 * RTNL_DUMPED, or -errno for NLMSG_ERROR.
 */
int rtnl_request(const struct nlmsghdr *h, unsigned int portid, unsigned int uid,
		 struct nl_buf *out);
