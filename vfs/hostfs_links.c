/*
 * hostfs's name cache (struct hlink): what a name that is not a directory
 * in a watched directory leads to, its identity and type, so that a lookup
 * of it asks the host nothing (ls -l's lgetxattr and getxattr after its
 * statx); and for a symlink its target too, so that a walk through it
 * (merged /usr's /bin, /lib and /lib64, every exec and library load) asks
 * the host for neither its fstatat nor its readlinkat.
 *
 * Neither changes in place: only creating, removing or renaming the name
 * replaces the file, and the parent's watch reports those (hostfs_dirs.c
 * reads the events at the start of each walk and drops the entry).  So an
 * entry holds where the parent is watched, in the same epoch, and was read
 * after the watch began, as a cached directory does (hdir_known).  Mode
 * bits, owner and times do change in place (chmod, lchown, utimensat): a
 * stat of the file still asks the host, and a node's mode is only read for
 * its type.
 *
 * At most HLINK_MAX entries, of targets up to HLINK_TARGET_MAX bytes; the
 * oldest goes when a new one comes, and a directory's go with it (dir_free):
 * they keep no directory open.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostfs_impl.h"

static struct hlink **lbucket(struct hostfs_sb *hs, const struct hdir *p, const char *name)
{
	return &hs->links[hdir_hash(p, name) & (HDIR_BUCKETS - 1)];
}

static struct hlink *find(struct hdir *p, const char *name)
{
	for (struct hlink *l = *lbucket(p->hs, p, name); l; l = l->hnext)
		if (l->parent == p && !strcmp(l->name, name))
			return l;
	return NULL;
}

static void drop(struct hlink *l)
{
	struct hostfs_sb *hs = l->parent->hs;
	struct hlink **pp = lbucket(hs, l->parent, l->name);

	while (*pp != l)
		pp = &(*pp)->hnext;
	*pp = l->hnext;
	*(l->dprev ? &l->dprev->dnext : &l->parent->links) = l->dnext;
	if (l->dnext)
		l->dnext->dprev = l->dprev;
	*(l->aprev ? &l->aprev->anext : &hs->link_first) = l->anext;
	*(l->anext ? &l->anext->aprev : &hs->link_last) = l->aprev;
	hs->nlinks--;
	free(l);
}

const struct hlink *hlink_known(struct hdir *p, const char *name)
{
	struct hlink *l = p->wd >= 0 ? find(p, name) : NULL;

	if (!l || !hdir_still_there(p, l->epoch, l->checked))
		return NULL;
	return l;
}

void hlink_keep(struct hdir *p, const char *name, const struct stat *st, const char *target,
		size_t len)
{
	struct hostfs_sb *hs = p->hs;
	size_t nlen = strlen(name);

	if (p->wd < 0 || len > HLINK_TARGET_MAX)
		return;
	struct hlink *l = find(p, name);
	if (l)
		drop(l);
	if (hs->nlinks >= HLINK_MAX)
		drop(hs->link_first);
	l = calloc(1, sizeof(*l) + nlen + 1 + len);
	if (!l)
		return;
	memcpy(l->name, name, nlen + 1);
	l->target = l->name + nlen + 1;
	memcpy(l->target, target, len);
	l->len = len;
	l->dev = st->st_dev;
	l->ino = st->st_ino;
	l->mode = st->st_mode;
	l->epoch = hs->epoch;
	l->checked = hs->clock;
	l->parent = p;
	l->dnext = p->links;
	if (p->links)
		p->links->dprev = l;
	p->links = l;
	struct hlink **b = lbucket(hs, p, name);
	l->hnext = *b;
	*b = l;
	l->aprev = hs->link_last;
	*(hs->link_last ? &hs->link_last->anext : &hs->link_first) = l;
	hs->link_last = l;
	hs->nlinks++;
}

void hlink_forget(struct hdir *p, const char *name)
{
	struct hlink *l = find(p, name);

	if (l)
		drop(l);
}

void hlink_drop_dir(struct hdir *d)
{
	while (d->links)
		drop(d->links);
}
