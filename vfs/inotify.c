/*
 * inotify: watches on inodes and the event queue of each inotify file, as
 * inotify(7) and Linux's fs/notify/inotify describe them.
 *
 * A watch names an inode by its st_dev and st_ino, the identity every
 * filesystem of uos reports (the overlay keeps a copied-up file's lower
 * identity), so a watch follows the inode through renames and links.  The
 * hooks (vfs_notify_*) are called where the VFS does the thing; each returns
 * at once while ns->notify.nwatches is 0.  An event on an inode goes to the
 * watches of its directory first (with the name), then to its own, as
 * fsnotify sends them.  A queued event is a struct inotify_event with its
 * name padded with NULs to a multiple of the header's size; an event equal
 * to the last one still queued is merged into it; past INOTIFY_MAX_EVENTS
 * one IN_Q_OVERFLOW (wd -1) is queued instead.  IN_IGNORED follows a
 * watch's removal: inotify_rm_watch, IN_ONESHOT, or its inode going.
 *
 * Open files: vfs_open gives each file books (struct vfs_notify, listed in
 * ns->notify.files) that keep its identity, its directory's and its name
 * (a rename moves them) for the events of the open file and of its close,
 * and let an unlinked inode that is still open report IN_DELETE_SELF at its
 * last close, as Linux does.  The directory is found when the file opens
 * while an inotify instance exists, else at its first event through its
 * path; a file renamed before any instance existed keeps its old name.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h> /* RENAME_EXCHANGE */
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>

#include "vfs_impl.h"

#define INOTIFY_MAX_EVENTS 16384  /* /proc/sys/fs/inotify/max_queued_events */
#define INOTIFY_MAX_INSTANCES 128 /* max_user_instances */
#define INOTIFY_MAX_WATCHES 65536 /* max_user_watches */
#define INOTIFY_EV_SIZE sizeof(struct inotify_event)

struct inotify_watch {
	struct inotify_watch *next;
	int wd;
	uint32_t mask; /* the events, and IN_ONESHOT, IN_EXCL_UNLINK */
	dev_t dev;
	ino_t ino;
	bool dying; /* unlinked while open: IN_DELETE_SELF comes at the last close */
};

struct inotify_ev {
	struct inotify_ev *next;
	struct inotify_event hdr; /* hdr.len: the padded name's size */
	char name[];
};

struct inotify_file {
	struct vfs_file base;
	struct vfs_ns *ns;
	struct inotify_file *next; /* in ns->notify.instances */
	struct inotify_watch *watches;
	int last_wd;
	struct inotify_ev *head, *tail;
	int qlen;
	size_t qbytes; /* what FIONREAD reports */
	bool overflow_queued;
};

/* The books of a file vfs_open opened. */
struct vfs_notify {
	struct vfs_ns *ns;
	struct vfs_file *f;
	struct vfs_notify *prev, *next; /* in ns->notify.files */
	bool have_id;			/* the file's own identity, taken at its first event */
	dev_t dev;
	ino_t ino;
	mode_t mode;
	bool have_parent;
	bool unlinked; /* its last name went: IN_EXCL_UNLINK watches ignore it */
	dev_t pdev;
	ino_t pino;
	char *name; /* its name since a rename (owned), or NULL: the last part of f->path */
};

static struct inotify_file *in_of(struct vfs_file *f)
{
	return container_of(f, struct inotify_file, base);
}

/* The event queue. */

static bool same_event(const struct inotify_ev *e, int wd, uint32_t mask, const char *name)
{
	if (e->hdr.wd != wd || e->hdr.mask != mask || (e->hdr.mask & IN_IGNORED))
		return false;
	if (!name)
		return e->hdr.len == 0;
	return e->hdr.len && !strcmp(e->name, name);
}

static void append(struct inotify_file *in, struct inotify_ev *e)
{
	if (in->tail)
		in->tail->next = e;
	else
		in->head = e;
	in->tail = e;
	in->qlen++;
	in->qbytes += INOTIFY_EV_SIZE + e->hdr.len;
	waitq_wake_polled(in->ns->waitq, in);
}

static struct inotify_ev *ev_alloc(int wd, uint32_t mask, uint32_t cookie, const char *name)
{
	size_t nlen = name ? strlen(name) + 1 : 0;
	size_t len = (nlen + INOTIFY_EV_SIZE - 1) / INOTIFY_EV_SIZE * INOTIFY_EV_SIZE;
	struct inotify_ev *e = calloc(1, sizeof(*e) + len);

	if (!e)
		return NULL;
	e->hdr.wd = wd;
	e->hdr.mask = mask;
	e->hdr.cookie = cookie;
	e->hdr.len = (uint32_t)len;
	if (nlen)
		memcpy(e->name, name, nlen);
	return e;
}

/* Queue one event (fsnotify_add_event and inotify_merge). */
static void queue(struct inotify_file *in, int wd, uint32_t mask, uint32_t cookie, const char *name)
{
	struct inotify_ev *e;

	if (in->qlen >= INOTIFY_MAX_EVENTS) {
		if (in->overflow_queued)
			return;
		e = ev_alloc(-1, IN_Q_OVERFLOW, 0, NULL);
		in->overflow_queued = e != NULL;
	} else if (in->tail && same_event(in->tail, wd, mask, name)) {
		return;
	} else {
		e = ev_alloc(wd, mask, cookie, name);
	}
	if (e)
		append(in, e);
}

static void dequeue(struct inotify_file *in)
{
	struct inotify_ev *e = in->head;

	in->head = e->next;
	if (!in->head)
		in->tail = NULL;
	in->qlen--;
	in->qbytes -= INOTIFY_EV_SIZE + e->hdr.len;
	if (e->hdr.mask & IN_Q_OVERFLOW)
		in->overflow_queued = false;
	free(e);
}

/* Watches. */

static void watch_remove(struct inotify_file *in, struct inotify_watch *w)
{
	struct inotify_watch **pp = &in->watches;

	while (*pp != w)
		pp = &(*pp)->next;
	*pp = w->next;
	queue(in, w->wd, IN_IGNORED, 0, NULL);
	in->ns->notify.nwatches--;
	free(w);
}

static struct inotify_watch *watch_find(struct inotify_file *in, dev_t dev, ino_t ino)
{
	for (struct inotify_watch *w = in->watches; w; w = w->next)
		if (w->dev == dev && w->ino == ino)
			return w;
	return NULL;
}

/* Send mask to every watch on (dev, ino) that asked for it and has none of the skip bits. */
static void deliver_skip(struct vfs_ns *ns, dev_t dev, ino_t ino, uint32_t mask, const char *name,
			 uint32_t cookie, uint32_t skip)
{
	for (struct inotify_file *in = ns->notify.instances; in; in = in->next) {
		struct inotify_watch *w = watch_find(in, dev, ino);
		if (!w || !(w->mask & mask & IN_ALL_EVENTS) || (w->mask & skip))
			continue;
		queue(in, w->wd, mask, cookie, name);
		if (w->mask & IN_ONESHOT)
			watch_remove(in, w);
	}
}

static void deliver(struct vfs_ns *ns, dev_t dev, ino_t ino, uint32_t mask, const char *name,
		    uint32_t cookie)
{
	deliver_skip(ns, dev, ino, mask, name, cookie, 0);
}

/* The inode (dev, ino) is gone: IN_DELETE_SELF, then every watch on it goes (IN_IGNORED). */
static void inode_gone(struct vfs_ns *ns, dev_t dev, ino_t ino)
{
	deliver(ns, dev, ino, IN_DELETE_SELF, NULL, 0);
	for (struct inotify_file *in = ns->notify.instances; in; in = in->next) {
		struct inotify_watch *w = watch_find(in, dev, ino);
		if (w)
			watch_remove(in, w);
	}
}

static bool watched(struct vfs_ns *ns, dev_t dev, ino_t ino)
{
	for (struct inotify_file *in = ns->notify.instances; in; in = in->next)
		if (watch_find(in, dev, ino))
			return true;
	return false;
}

/* The inotify file. */

static long in_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct inotify_file *in = in_of(f);
	size_t done = 0;

	if (!in->head)
		return -EAGAIN;
	while (in->head && INOTIFY_EV_SIZE + in->head->hdr.len <= len - done) {
		struct inotify_ev *e = in->head;
		memcpy((char *)buf + done, &e->hdr, INOTIFY_EV_SIZE);
		memcpy((char *)buf + done + INOTIFY_EV_SIZE, e->name, e->hdr.len);
		done += INOTIFY_EV_SIZE + e->hdr.len;
		dequeue(in);
	}
	return done ? (long)done : -EINVAL; /* the first event does not fit */
}

static short in_poll(struct vfs_file *f)
{
	return in_of(f)->head ? POLLIN | POLLRDNORM : 0;
}

static const void *in_wchan(struct vfs_file *f)
{
	return in_of(f);
}

static long in_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	int n = (int)in_of(f)->qbytes;

	if (cmd != FIONREAD)
		return -ENOTTY;
	memcpy(arg, &n, sizeof(n));
	return 0;
}

static void in_release(struct vfs_file *f)
{
	struct inotify_file *in = in_of(f);
	struct inotify_file **pp = &in->ns->notify.instances;

	while (*pp && *pp != in)
		pp = &(*pp)->next;
	if (*pp)
		*pp = in->next;
	while (in->watches) {
		struct inotify_watch *w = in->watches;
		in->watches = w->next;
		in->ns->notify.nwatches--;
		free(w);
	}
	while (in->head)
		dequeue(in);
}

static const struct vfs_file_ops inotify_ops = {
	.read = in_read,
	.stat = vfs_anon_stat,
	.ioctl = in_ioctl,
	.poll = in_poll,
	.wchan = in_wchan,
	.release = in_release,
};

int vfs_inotify(struct vfs_ns *ns, int flags, struct vfs_file **out)
{
	int n = 0;

	for (struct inotify_file *in = ns->notify.instances; in; in = in->next)
		n++;
	if (n >= INOTIFY_MAX_INSTANCES)
		return -EMFILE;
	struct inotify_file *in = vfs_file_alloc(
	    sizeof(*in), &inotify_ops, O_RDONLY | (flags & O_NONBLOCK), "anon_inode:inotify");
	if (!in)
		return -ENOMEM;
	in->ns = ns;
	in->next = ns->notify.instances;
	ns->notify.instances = in;
	*out = &in->base;
	return 0;
}

bool vfs_is_inotify(struct vfs_file *f)
{
	return f->ops == &inotify_ops;
}

/* inotify_update_existing_watch: replace the mask, or add keep to it (IN_MASK_ADD). */
static int watch_update(struct inotify_watch *w, uint32_t mask, uint32_t keep)
{
	if (mask & IN_MASK_CREATE)
		return -EEXIST;
	w->mask = (mask & IN_MASK_ADD) ? w->mask | keep : keep;
	return w->wd;
}

int vfs_inotify_add(struct vfs_file *f, const struct stat *st, uint32_t mask)
{
	struct inotify_file *in = in_of(f);
	struct inotify_watch *w = watch_find(in, st->st_dev, st->st_ino);
	uint32_t keep = mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);

	if (w)
		return watch_update(w, mask, keep);
	if (in->ns->notify.nwatches >= INOTIFY_MAX_WATCHES)
		return -ENOSPC;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->wd = ++in->last_wd;
	w->mask = keep;
	w->dev = st->st_dev;
	w->ino = st->st_ino;
	w->next = in->watches;
	in->watches = w;
	in->ns->notify.nwatches++;
	return w->wd;
}

int vfs_inotify_rm(struct vfs_file *f, int wd)
{
	struct inotify_file *in = in_of(f);

	for (struct inotify_watch *w = in->watches; w; w = w->next)
		if (w->wd == wd) {
			watch_remove(in, w);
			return 0;
		}
	return -EINVAL;
}

/* Hooks: helpers. */

static int node_id(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	return n->fs->stat(c, n, st);
}

static uint32_t isdir(mode_t mode)
{
	return S_ISDIR(mode) ? IN_ISDIR : 0;
}

/* The last component of a canonical path (NULL for "/"), and its parent's stat. */
static const char *parent_of(struct vfs_caller *c, const char *canon, struct stat *pst)
{
	const char *slash = strrchr(canon, '/');
	char *dir;
	int err;

	if (!slash || !slash[1])
		return NULL;
	dir = slash == canon ? strdup("/") : strndup(canon, (size_t)(slash - canon));
	if (!dir)
		return NULL;
	err = vfs_stat(c, NULL, dir, 0, pst);
	free(dir);
	return err ? NULL : slash + 1;
}

/* An event on the inode st whose canonical path is canon: its directory's watches, then its own. */
static void path_event(struct vfs_caller *c, const char *canon, const struct stat *st,
		       uint32_t mask)
{
	struct stat pst;
	const char *name = parent_of(c, canon, &pst);

	mask |= isdir(st->st_mode);
	if (name)
		deliver(c->ns, pst.st_dev, pst.st_ino, mask, name, 0);
	deliver(c->ns, st->st_dev, st->st_ino, mask, NULL, 0);
}

/* fsnotify_change: the event an attribute change makes, or 0. */
static uint32_t attr_mask(unsigned valid)
{
	uint32_t mask = 0;

	if (valid & (VFS_ATTR_UID | VFS_ATTR_GID | VFS_ATTR_MODE))
		mask |= IN_ATTRIB;
	if (valid & VFS_ATTR_SIZE)
		mask |= IN_MODIFY;
	if ((valid & (VFS_ATTR_ATIME | VFS_ATTR_MTIME)) == (VFS_ATTR_ATIME | VFS_ATTR_MTIME))
		mask |= IN_ATTRIB;
	else if (valid & VFS_ATTR_ATIME)
		mask |= IN_ACCESS;
	else if (valid & VFS_ATTR_MTIME)
		mask |= IN_MODIFY;
	return mask;
}

/* The identity of n's file (an open file's inode never changes): false when it has none. */
static bool file_id(struct vfs_notify *n)
{
	struct stat st;

	if (!n->have_id && !vfs_fstat(n->f, &st)) {
		n->have_id = true;
		n->dev = st.st_dev;
		n->ino = st.st_ino;
		n->mode = st.st_mode;
	}
	return n->have_id;
}

/* Whether a file other than skip is open on the inode (dev, ino). */
static bool open_elsewhere(struct vfs_ns *ns, dev_t dev, ino_t ino, const struct vfs_file *skip)
{
	for (struct vfs_notify *n = ns->notify.files; n; n = n->next)
		if (n->f != skip && file_id(n) && n->dev == dev && n->ino == ino)
			return true;
	return false;
}

static bool any_excl_unlink(struct vfs_ns *ns)
{
	for (struct inotify_file *in = ns->notify.instances; in; in = in->next)
		for (struct inotify_watch *w = in->watches; w; w = w->next)
			if (w->mask & IN_EXCL_UNLINK)
				return true;
	return false;
}

/* The open files of inode st lost their last name (for IN_EXCL_UNLINK). */
static void mark_unlinked(struct vfs_ns *ns, const struct stat *st)
{
	for (struct vfs_notify *n = ns->notify.files; n; n = n->next)
		if (file_id(n) && n->dev == st->st_dev && n->ino == st->st_ino)
			n->unlinked = true;
}

/* The last name of inode st went: IN_DELETE_SELF now, or at its last close (dying). */
static void unlinked(struct vfs_ns *ns, const struct stat *st)
{
	if (any_excl_unlink(ns))
		mark_unlinked(ns, st);
	if (!watched(ns, st->st_dev, st->st_ino))
		return;
	if (!open_elsewhere(ns, st->st_dev, st->st_ino, NULL)) {
		inode_gone(ns, st->st_dev, st->st_ino);
		return;
	}
	for (struct inotify_file *in = ns->notify.instances; in; in = in->next) {
		struct inotify_watch *w = watch_find(in, st->st_dev, st->st_ino);
		if (w)
			w->dying = true;
	}
}

static bool dying(struct vfs_ns *ns, dev_t dev, ino_t ino)
{
	for (struct inotify_file *in = ns->notify.instances; in; in = in->next) {
		struct inotify_watch *w = watch_find(in, dev, ino);
		if (w && w->dying)
			return true;
	}
	return false;
}

/* Hooks on open files. */

static void file_parent(struct vfs_caller *c, struct vfs_notify *n)
{
	struct stat pst;

	if (n->have_parent || !c || !parent_of(c, n->f->path, &pst))
		return;
	n->have_parent = true;
	n->pdev = pst.st_dev;
	n->pino = pst.st_ino;
}

/* The name of n's file in its directory, or NULL. */
static const char *file_name(const struct vfs_notify *n)
{
	const char *slash = strrchr(n->f->path, '/');

	if (n->name)
		return n->name;
	return slash && slash[1] ? slash + 1 : NULL;
}

/* An event on open file f (t may be NULL at a close); false when f has no identity. */
static bool file_event(struct vfs_caller *c, struct vfs_file *f, uint32_t mask)
{
	struct vfs_notify *n = f->notify;

	if (!n || !file_id(n))
		return false;
	uint32_t skip = n->unlinked ? IN_EXCL_UNLINK : 0;
	mask |= isdir(n->mode);
	file_parent(c, n);
	if (n->have_parent && file_name(n))
		deliver_skip(n->ns, n->pdev, n->pino, mask, file_name(n), 0, skip);
	deliver_skip(n->ns, n->dev, n->ino, mask, NULL, 0, skip);
	return true;
}

void vfs_notify_open(struct vfs_caller *c, struct vfs_file *f)
{
	struct vfs_ns *ns = c->ns;

	if (f->flags & O_PATH)
		return;
	if (!f->notify) {
		struct vfs_notify *n = calloc(1, sizeof(*n));
		if (!n)
			return;
		n->ns = ns;
		n->f = f;
		n->next = ns->notify.files;
		if (n->next)
			n->next->prev = n;
		ns->notify.files = n;
		f->notify = n;
	}
	if (ns->notify.instances) /* the directory, while the path is fresh */
		file_parent(c, f->notify);
	if (ns->notify.nwatches)
		file_event(c, f, IN_OPEN);
}

void vfs_notify_file(struct vfs_caller *c, struct vfs_file *f, uint32_t mask)
{
	if (c->ns->notify.nwatches)
		file_event(c, f, mask);
}

void vfs_notify_setattr_file(struct vfs_caller *c, struct vfs_file *f, unsigned valid)
{
	uint32_t mask = attr_mask(valid);

	if (mask)
		vfs_notify_file(c, f, mask);
}

static void books_free(struct vfs_notify *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		n->ns->notify.files = n->next;
	if (n->next)
		n->next->prev = n->prev;
	n->f->notify = NULL;
	free(n->name);
	free(n);
}

void vfs_notify_close(struct vfs_file *f)
{
	struct vfs_notify *n = f->notify;
	bool wrote = (f->flags & O_ACCMODE) != O_RDONLY;

	if (!n)
		return;
	struct vfs_ns *ns = n->ns;
	if (ns->notify.nwatches && file_event(NULL, f, wrote ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE) &&
	    dying(ns, n->dev, n->ino) && !open_elsewhere(ns, n->dev, n->ino, f))
		inode_gone(ns, n->dev, n->ino);
	books_free(n);
}

/* Hooks of the namespace-changing calls. */

void vfs_notify_create(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		       mode_t mode)
{
	struct stat dst;

	if (c->ns->notify.nwatches && !node_id(c, dir, &dst))
		deliver(c->ns, dst.st_dev, dst.st_ino, IN_CREATE | isdir(mode), name, 0);
}

void vfs_notify_link(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_node *dir,
		     const char *name)
{
	struct stat st;

	if (!c->ns->notify.nwatches || node_id(c, n, &st))
		return;
	deliver(c->ns, st.st_dev, st.st_ino, IN_ATTRIB, NULL, 0); /* fsnotify_link_count */
	vfs_notify_create(c, dir, name, st.st_mode);
}

void vfs_notify_remove(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		       const struct stat *st)
{
	struct vfs_ns *ns = c->ns;
	struct stat dst;

	if (!ns->notify.nwatches)
		return;
	if (!S_ISDIR(st->st_mode))
		deliver(ns, st->st_dev, st->st_ino, IN_ATTRIB, NULL, 0); /* fsnotify_link_count */
	if (S_ISDIR(st->st_mode) || st->st_nlink <= 1)
		unlinked(ns, st);
	if (!node_id(c, dir, &dst))
		deliver(ns, dst.st_dev, dst.st_ino, IN_DELETE | isdir(st->st_mode), name, 0);
}

static uint32_t next_cookie(struct vfs_ns *ns)
{
	if (!++ns->notify.cookie)
		ns->notify.cookie++; /* 0 means "no cookie" */
	return ns->notify.cookie;
}

/* fsnotify_move: inode src moved from oname in od to nname in nd, over target (or NULL). */
static void moved(struct vfs_ns *ns, const struct stat *od, const char *oname,
		  const struct stat *nd, const char *nname, const struct stat *src,
		  const struct stat *target)
{
	uint32_t dir = isdir(src->st_mode), cookie = next_cookie(ns);

	deliver(ns, od->st_dev, od->st_ino, IN_MOVED_FROM | dir, oname, cookie);
	deliver(ns, nd->st_dev, nd->st_ino, IN_MOVED_TO | dir, nname, cookie);
	/* Events on the inode itself carry no IN_ISDIR (as Linux 6 reports them). */
	if (target) /* fsnotify_link_count */
		deliver(ns, target->st_dev, target->st_ino, IN_ATTRIB, NULL, 0);
	deliver(ns, src->st_dev, src->st_ino, IN_MOVE_SELF, NULL, 0);
}

/* The open files of inode src named oname in od are now nname in nd (their later events). */
static void rename_books(struct vfs_ns *ns, const struct stat *src, const struct stat *od,
			 const char *oname, const struct stat *nd, const char *nname)
{
	for (struct vfs_notify *n = ns->notify.files; n; n = n->next) {
		if (!file_id(n) || n->dev != src->st_dev || n->ino != src->st_ino)
			continue;
		if (n->have_parent && (n->pdev != od->st_dev || n->pino != od->st_ino ||
				       !file_name(n) || strcmp(file_name(n), oname)))
			continue; /* opened through another link */
		char *name = strdup(nname);
		if (!name)
			continue;
		free(n->name);
		n->name = name;
		n->have_parent = true;
		n->pdev = nd->st_dev;
		n->pino = nd->st_ino;
	}
}

void vfs_notify_rename(struct vfs_caller *c, const struct vfs_node *odir, const char *oname,
		       const struct vfs_node *ndir, const char *nname, const struct stat *ost,
		       const struct stat *nst, unsigned flags)
{
	struct vfs_ns *ns = c->ns;
	struct stat od, nd;

	if (!ns->notify.instances || node_id(c, odir, &od) || node_id(c, ndir, &nd))
		return;
	rename_books(ns, ost, &od, oname, &nd, nname);
	if ((flags & RENAME_EXCHANGE) && nst)
		rename_books(ns, nst, &nd, nname, &od, oname);
	if (!ns->notify.nwatches)
		return;
	if (flags & RENAME_EXCHANGE) {
		moved(ns, &od, oname, &nd, nname, ost, NULL);
		if (nst)
			moved(ns, &nd, nname, &od, oname, nst, NULL);
		return;
	}
	moved(ns, &od, oname, &nd, nname, ost, nst);
	if (nst && (S_ISDIR(nst->st_mode) || nst->st_nlink <= 1))
		unlinked(ns, nst);
}

void vfs_notify_setattr(struct vfs_caller *c, const char *canon, const struct stat *st,
			unsigned valid)
{
	uint32_t mask = attr_mask(valid);

	if (c->ns->notify.nwatches && mask)
		path_event(c, canon, st, mask);
}
