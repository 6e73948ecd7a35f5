/*
 * The extended attributes of an inode kept in uos's memory (tmpfs), as
 * Linux's simple_xattrs: names with values, listed in the order they were
 * made.  What they take is charged to a memcg's MEMCG_TMPFS (the
 * --tmpfs-size budget), and one inode holds at most XLIST_MAX bytes, so
 * a guest cannot grow uos without bound through attributes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "memcg.h"

#define XLIST_MAX (1024 * 1024) /* bytes of names, values and overhead per inode */

struct xattr_ent {
	char *name;
	void *value;
	size_t size;
};

struct xattr_list {
	struct xattr_ent *v;
	int n, cap;
	size_t bytes; /* charged: names, values and XLIST_ENT_COST per entry */
};

/* The value of name into buf[size] (size 0: its length only): the length, -ENODATA, -ERANGE. */
long xlist_get(const struct xattr_list *l, const char *name, void *buf, size_t size);
/* Every name, NUL-terminated, into buf[size] (size 0: the length only): the length or -ERANGE. */
long xlist_list(const struct xattr_list *l, char *buf, size_t size);
/*
 * Set name to value[size] (XATTR_CREATE: -EEXIST if it is there;
 * XATTR_REPLACE: -ENODATA if not), or remove it when value is NULL
 * (-ENODATA if absent).  -ENOSPC past XLIST_MAX or cg's budget, -ENOMEM.
 */
int xlist_set(struct xattr_list *l, struct memcg *cg, const char *name, const void *value,
	      size_t size, int flags);
/* Free every entry and give back their charge. */
void xlist_free(struct xattr_list *l, struct memcg *cg);
