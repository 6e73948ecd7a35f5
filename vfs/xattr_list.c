/*
 * In-memory extended attributes (see xattr_list.h).  An inode has few, so
 * a flat array searched in order is enough, and it keeps insertion order
 * for listxattr as Linux's tmpfs does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "xattr_list.h"

#define XLIST_ENT_COST 64 /* what an entry costs beyond its name and value */

static struct xattr_ent *find(const struct xattr_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

static size_t cost(const char *name, size_t size)
{
	return strlen(name) + 1 + size + XLIST_ENT_COST;
}

long xlist_get(const struct xattr_list *l, const char *name, void *buf, size_t size)
{
	const struct xattr_ent *e = find(l, name);

	if (!e)
		return -ENODATA;
	if (size && e->size > size)
		return -ERANGE;
	if (size && e->size)
		memcpy(buf, e->value, e->size);
	return (long)e->size;
}

long xlist_list(const struct xattr_list *l, char *buf, size_t size)
{
	size_t len = 0;

	for (int i = 0; i < l->n; i++) {
		size_t n = strlen(l->v[i].name) + 1;
		if (size && len + n > size)
			return -ERANGE;
		if (size)
			memcpy(buf + len, l->v[i].name, n);
		len += n;
	}
	return (long)len;
}

static void ent_free(struct xattr_list *l, struct memcg *cg, struct xattr_ent *e)
{
	size_t c = cost(e->name, e->size);

	memcg_uncharge(cg, MEMCG_TMPFS, c);
	l->bytes -= c;
	free(e->name);
	free(e->value);
}

/* Take the charge of a value of size for name (replacing old, or NULL). */
static int charge(struct xattr_list *l, struct memcg *cg, const char *name, size_t size,
		  const struct xattr_ent *old)
{
	size_t freed = old ? cost(old->name, old->size) : 0, c = cost(name, size);

	if (l->bytes - freed + c > XLIST_MAX)
		return -ENOSPC;
	return memcg_charge(cg, MEMCG_TMPFS, c);
}

static int append(struct xattr_list *l, struct xattr_ent e)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 4;
		struct xattr_ent *v = realloc(l->v, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = e;
	return 0;
}

int xlist_set(struct xattr_list *l, struct memcg *cg, const char *name, const void *value,
	      size_t size, int flags)
{
	struct xattr_ent *old = find(l, name);

	if (old && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!old && (value == NULL || (flags & XATTR_REPLACE)))
		return -ENODATA;
	if (!value) {
		ent_free(l, cg, old);
		memmove(old, old + 1, (size_t)(l->v + l->n - old - 1) * sizeof(*old));
		l->n--;
		return 0;
	}
	struct xattr_ent e = {.name = strdup(name), .value = malloc(size ? size : 1), .size = size};
	int err = e.name && e.value ? charge(l, cg, name, size, old) : -ENOMEM;
	if (!err && !old && (err = append(l, e)))
		memcg_uncharge(cg, MEMCG_TMPFS, cost(name, size));
	if (err) {
		free(e.name);
		free(e.value);
		return err;
	}
	memcpy(e.value, value, size);
	l->bytes += cost(name, size);
	if (old) {
		ent_free(l, cg, old);
		*old = e;
	}
	return 0;
}

void xlist_free(struct xattr_list *l, struct memcg *cg)
{
	for (int i = 0; i < l->n; i++)
		ent_free(l, cg, &l->v[i]);
	free(l->v);
	*l = (struct xattr_list){0};
}
