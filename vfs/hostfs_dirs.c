/*
 * hostfs's directory cache: the host directories a walk has stepped
 * through stay open, so that the next walk through them costs one fstatat
 * per component (the revalidation) instead of an openat, an fstat and a
 * close.  Directories that nodes still use are kept whatever their number
 * (each node held an fd of its own before); of the others, the
 * HDIR_IDLE_MAX used last stay open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostfs_impl.h"

static struct hdir **bucket(struct hostfs_sb *hs, const struct hdir *p, const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)((uintptr_t)p >> 4);

	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		h = (h ^ *s) * 16777619u;
	return &hs->hash[h & (HDIR_BUCKETS - 1)];
}

static void idle_del(struct hdir *d)
{
	struct hostfs_sb *hs = d->hs;

	*(d->iprev ? &d->iprev->inext : &hs->idle_first) = d->inext;
	*(d->inext ? &d->inext->iprev : &hs->idle_last) = d->iprev;
	d->iprev = d->inext = NULL;
	hs->nidle--;
}

static void idle_add(struct hdir *d)
{
	struct hostfs_sb *hs = d->hs;

	d->iprev = hs->idle_last;
	d->inext = NULL;
	*(hs->idle_last ? &hs->idle_last->inext : &hs->idle_first) = d;
	hs->idle_last = d;
	hs->nidle++;
}

static void dir_free(struct hdir *d)
{
	struct hdir *p = d->parent;

	close(d->fd);
	free(d);
	if (p)
		hdir_put(p);
}

/* Take d out of the cache; an idle d is freed, a used one when its last user puts it. */
static void unhash(struct hdir *d)
{
	struct hdir **pp = bucket(d->hs, d->parent, d->name);

	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	d->hashed = false;
	if (!d->refs) {
		idle_del(d);
		dir_free(d);
	}
}

void hdir_get(struct hdir *d)
{
	if (d->refs++ == 0 && d->hashed)
		idle_del(d);
}

void hdir_put(struct hdir *d)
{
	if (--d->refs)
		return;
	if (!d->hashed) {
		dir_free(d);
		return;
	}
	idle_add(d);
	if (d->hs->nidle > HDIR_IDLE_MAX)
		unhash(d->hs->idle_first);
}

static struct hdir *dir_new(struct hostfs_sb *hs, int fd, const struct stat *st, const char *name)
{
	struct hdir *d = calloc(1, sizeof(*d) + strlen(name) + 1);

	if (!d)
		return NULL;
	d->fd = fd;
	d->dev = st->st_dev;
	d->ino = st->st_ino;
	d->mode = st->st_mode;
	d->refs = 1;
	d->hs = hs;
	strcpy(d->name, name);
	return d;
}

int hdir_root(struct hostfs_sb *hs, const char *hostdir)
{
	struct stat st;
	int fd = open(hostdir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		int err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	hs->root = dir_new(hs, fd, &st, "");
	if (!hs->root) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}

int hdir_child(struct hdir *p, const char *name, const struct stat *st, struct hdir **out)
{
	struct hdir **slot = bucket(p->hs, p, name);

	for (struct hdir *d = *slot; d; d = d->hnext) {
		if (d->parent != p || strcmp(d->name, name))
			continue;
		if (d->dev == st->st_dev && d->ino == st->st_ino) {
			hdir_get(d);
			d->mode = st->st_mode;
			*out = d;
			return 0;
		}
		unhash(d); /* the host has another directory there now */
		break;
	}
	struct stat now;
	int fd = openat(p->fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &now)) {
		int err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	struct hdir *d = dir_new(p->hs, fd, &now, name);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	hdir_get(p);
	d->parent = p;
	d->hashed = true;
	d->hnext = *slot;
	*slot = d;
	*out = d;
	return 0;
}

void hdir_fini(struct hostfs_sb *hs)
{
	while (hs->idle_first)
		unhash(hs->idle_first);
	hdir_put(hs->root);
}
