/*
 * hostfs's directory cache: the host directories a walk has stepped
 * through stay open, so that the next walk through them costs nothing
 * where inotify tells of the host's changes, and one fstatat per component
 * (the revalidation) elsewhere, instead of an openat, an fstat and a close.
 * Directories that nodes still use are kept whatever their number (each
 * node held an fd of its own before); of the others, the HDIR_IDLE_MAX
 * used last stay open.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/statfs.h>

#include "base.h"
#include "hostnote.h"
#include <unistd.h>

#include "hostfs_impl.h"

uint32_t hdir_hash(const struct hdir *p, const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)((uintptr_t)p >> 4);

	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		h = (h ^ *s) * 16777619u;
	return h;
}

static struct hdir **bucket(struct hostfs_sb *hs, const struct hdir *p, const char *name)
{
	return &hs->hash[hdir_hash(p, name) & (HDIR_BUCKETS - 1)];
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

/* What a watch reports: its names created, removed or renamed, and itself gone. */
#define WATCH_MASK                                                                                 \
	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |    \
	 IN_ONLYDIR)

/*
 * Whether every change on d's filesystem goes through the host's VFS, and
 * so makes inotify events: local filesystems.  Not sysfs, procfs, cgroupfs
 * (the kernel changes them), nor network or FUSE filesystems (others do).
 * A directory on its parent's filesystem (the same st_dev) is as its parent.
 */
static bool fs_notifies(const struct hdir *d)
{
	struct statfs sf;

	if (d->parent && d->parent->dev == d->dev)
		return d->parent->notifies;
	if (fstatfs(d->fd, &sf))
		return false;
	switch (sf.f_type) {
	case EXT4_SUPER_MAGIC: /* also ext2 and ext3 */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC:
	case OVERLAYFS_SUPER_MAGIC:
		return true;
	default:
		return false;
	}
}

static struct hdir **wd_bucket(struct hostfs_sb *hs, int wd)
{
	return &hs->bywd[(unsigned)wd & (HDIR_WD_BUCKETS - 1)];
}

/* Watch d's names, where its filesystem tells of every change (else d->wd stays -1). */
static void watch(struct hdir *d)
{
	struct hostfs_sb *hs = d->hs;
	char proc[64];

	if (hs->ifd < 0 || hs->nwatch >= HDIR_WATCH_MAX || !d->notifies)
		return;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", d->fd);
	int wd = inotify_add_watch(hs->ifd, proc, WATCH_MASK);
	if (wd < 0)
		return; /* no watch left: d's names are revalidated */
	struct hdir **b = wd_bucket(hs, wd);
	d->wd = wd;
	d->watched = ++hs->clock;
	d->wnext = *b;
	*b = d;
	hs->nwatch++;
}

/* Stop watching d; the host's watch goes when no other entry (the same directory) has it. */
static void unwatch(struct hdir *d)
{
	struct hostfs_sb *hs = d->hs;
	bool shared = false;

	if (d->wd < 0)
		return;
	for (struct hdir **pp = wd_bucket(hs, d->wd); *pp;) {
		if (*pp == d)
			*pp = d->wnext;
		else
			shared |= (*pp)->wd == d->wd, pp = &(*pp)->wnext;
	}
	if (!shared && hs->ifd >= 0)
		inotify_rm_watch(hs->ifd, d->wd); /* EINVAL if the host took it (removed directory) */
	d->wd = -1;
	hs->nwatch--;
}

static void dir_free(struct hdir *d)
{
	struct hdir *p = d->parent;

	unwatch(d);
	hlink_drop_dir(d);
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

/* A new entry for fd, the directory name of parent (NULL: the root), which it references. */
static struct hdir *dir_new(struct hostfs_sb *hs, struct hdir *parent, int fd, const struct stat *st,
			    const char *name)
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
	d->wd = -1;
	d->epoch = hs->epoch;
	d->checked = hs->clock;
	d->lookups = 1;
	strcpy(d->name, name);
	if (parent)
		hdir_get(parent);
	d->parent = parent;
	d->notifies = fs_notifies(d);
	return d;
}

/* d was looked up once more: at the HDIR_WATCH_LOOKUPS-th, watched from now on where it can be. */
static void looked_up(struct hdir *d)
{
	if (d->lookups < HDIR_WATCH_LOOKUPS && ++d->lookups == HDIR_WATCH_LOOKUPS)
		watch(d);
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
	hs->root = dir_new(hs, NULL, fd, &st, "");
	if (!hs->root) {
		close(fd);
		return -ENOMEM;
	}
	hs->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC); /* none: every name is revalidated */
	hs->noted = hs->ifd >= 0 && hostnote_watch(hs->ifd) == 0;
	hs->root->lookups = HDIR_WATCH_LOOKUPS;
	watch(hs->root);
	return 0;
}

/* The cached child name of p, or NULL. */
static struct hdir *cached(struct hdir *p, const char *name)
{
	for (struct hdir *d = *bucket(p->hs, p, name); d; d = d->hnext)
		if (d->parent == p && !strcmp(d->name, name))
			return d;
	return NULL;
}

bool hdir_still_there(const struct hdir *p, unsigned epoch, unsigned long checked)
{
	return epoch == p->hs->epoch && checked >= p->watched;
}

struct hdir *hdir_known(struct hdir *p, const char *name)
{
	struct hdir *d = p->wd >= 0 ? cached(p, name) : NULL;

	if (!d || !hdir_still_there(p, d->epoch, d->checked))
		return NULL;
	hdir_get(d);
	looked_up(d);
	return d;
}

/* One event: the name it is about is looked at again by the next lookup. */
static void on_event(struct hostfs_sb *hs, const struct inotify_event *ev)
{
	if (ev->mask & (IN_Q_OVERFLOW | IN_UNMOUNT)) {
		hs->epoch++; /* events lost, or a filesystem gone from under a watch: check all */
		return;
	}
	if (!ev->len)
		return; /* about the directory itself: its parent's event tells of its name */
	for (struct hdir *d = *wd_bucket(hs, ev->wd); d; d = d->wnext) {
		struct hdir *child = d->wd == ev->wd ? cached(d, ev->name) : NULL;
		if (child)
			child->epoch = hs->epoch - 1;
		if (d->wd == ev->wd)
			hlink_forget(d, ev->name);
	}
}

void hdir_events(struct hostfs_sb *hs, unsigned long walk)
{
	/* Room for a few events; a read that left room for the longest took all there were. */
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	if (hs->ifd < 0 || hs->walked == walk)
		return;
	hs->walked = walk;
	if (hs->noted) {
		unsigned long notes = hostnote_count();
		if (notes == hs->notes)
			return; /* nothing was queued since the last read */
		hs->notes = notes;
	}
	do {
		n = read(hs->ifd, buf, sizeof(buf));
		for (ssize_t off = 0; off < n;) {
			const struct inotify_event *ev = (const void *)(buf + off);
			on_event(hs, ev);
			off += (ssize_t)(sizeof(*ev) + ev->len);
		}
	} while (n > (ssize_t)(sizeof(buf) - sizeof(struct inotify_event) - NAME_MAX - 1));
}

int hdir_child(struct hdir *p, const char *name, const struct stat *st, struct hdir **out)
{
	struct hdir **slot = bucket(p->hs, p, name), *d = cached(p, name);

	if (d && d->dev == st->st_dev && d->ino == st->st_ino) {
		hdir_get(d);
		d->mode = st->st_mode;
		d->epoch = p->hs->epoch;
		d->checked = p->hs->clock;
		looked_up(d);
		*out = d;
		return 0;
	}
	if (d)
		unhash(d); /* the host has another directory there now */
	struct stat now;
	int fd = openat(p->fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &now)) {
		int err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	d = dir_new(p->hs, p, fd, &now, name);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	d->hashed = true;
	d->hnext = *slot;
	*slot = d;
	*out = d;
	return 0;
}

/*
 * The inotify instance goes first, and with it every watch at once: no
 * inotify_rm_watch for each (about 25 us apiece), and its release, which
 * waits for the host (uos_close_late), comes after uos is gone.
 */
void hdir_fini(struct hostfs_sb *hs)
{
	if (hs->ifd >= 0)
		uos_close_late(hs->ifd);
	hs->ifd = -1;
	while (hs->idle_first)
		unhash(hs->idle_first);
	hdir_put(hs->root);
}
