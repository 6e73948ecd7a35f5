/*
 * The path walk: uos resolves every guest path itself, one component at a
 * time, so that no symlink leads out of the guest's world and mount points
 * are crossed by uos, never by the host.
 *
 * A walk keeps the canonical (symlink-free, absolute) path of where it
 * stands and the node there.  ".." is lexical on that canonical path, which
 * is what Linux does, since every prefix was resolved as the walk went.
 * Symlinks are read by uos; an absolute target restarts at the walk's root:
 * the process's root (chroot), or the start directory for RESOLVE_IN_ROOT.
 * ".." at that root stays there, as Linux's follow_dotdot does.
 * Limits as Linux: 40 symlinks (ELOOP), PATH_MAX (ENAMETOOLONG), NAME_MAX.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs_impl.h"

#define WALK_MAX_LINKS 40

void vfs_node_clear(struct vfs_node *n)
{
	memset(n, 0, sizeof(*n));
}

void vfs_node_release(struct vfs_node *n)
{
	if (n->fs && n->fs->release)
		n->fs->release(n);
	vfs_node_clear(n);
}

int vfs_path_join(char *out, const char *parent, const char *name)
{
	size_t pl = strlen(parent), nl = strlen(name);
	bool root = pl == 1 && parent[0] == '/';

	if (pl + nl + 2 > PATH_MAX)
		return -ENAMETOOLONG;
	memmove(out, parent, pl);
	if (!root)
		out[pl++] = '/';
	memcpy(out + pl, name, nl + 1);
	return 0;
}

/* Lexical "..": drop the last component of a canonical path ("/" stays). */
static void path_up(char *canon)
{
	char *slash = strrchr(canon, '/');

	if (slash == canon)
		canon[1] = '\0';
	else if (slash)
		*slash = '\0';
}

static int mount_root(struct vfs_ns *ns, const char *path, struct vfs_node *out)
{
	struct vfs_mount *m = vfs_mount_find(ns, path);
	int err;

	vfs_node_clear(out);
	if (!m)
		return -ENOENT;
	err = m->fs->root(m->sb, out);
	if (!err) {
		out->sb = m->sb;
		out->fs = m->fs;
	}
	return err;
}

/* One step: the child name of dir, whose canonical path is canon. */
static int step(struct vfs_caller *c, const struct vfs_node *dir, const char *canon,
		const char *name, struct vfs_node *out)
{
	char child[PATH_MAX];
	int err = vfs_path_join(child, canon, name);

	if (err)
		return err;
	vfs_node_clear(out);
	if (vfs_mount_at(c->ns, child))
		return mount_root(c->ns, child, out);
	err = dir->fs->lookup(c, dir, name, out);
	if (!err && !out->sb && out->fs == dir->fs)
		out->sb = dir->sb;
	return err;
}

/* Resolve a canonical path (no symlinks expected) from the root. */
static int resolve_canon(struct vfs_caller *c, const char *canon, struct vfs_node *out)
{
	char prefix[PATH_MAX];
	const char *p = canon;
	struct vfs_node cur;
	int err = mount_root(c->ns, "/", &cur);

	strcpy(prefix, "/"); /* an initialiser would clear all 4 KiB, every walk */
	while (!err) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchrnul(p, '/');
		char name[NAME_MAX + 1];
		if ((size_t)(end - p) > NAME_MAX)
			err = -ENAMETOOLONG;
		else if (!S_ISDIR(cur.mode))
			err = -ENOTDIR;
		if (err)
			break;
		memcpy(name, p, end - p);
		name[end - p] = '\0';
		struct vfs_node next;
		err = step(c, &cur, prefix, name, &next);
		if (!err)
			err = vfs_path_join(prefix, prefix, name);
		vfs_node_release(&cur);
		cur = next;
		p = end;
	}
	if (err) {
		vfs_node_release(&cur);
		return err;
	}
	*out = cur;
	return 0;
}

/*
 * Search permission on a directory for the caller's fs ids; CAP_DAC_OVERRIDE
 * or CAP_DAC_READ_SEARCH search any directory (generic_permission).
 */
static int may_search(struct vfs_caller *c, const struct vfs_node *dir)
{
	struct stat st;
	int err;

	if (!c->cred || creds_capable(c->cred, CAP_DAC_OVERRIDE) ||
	    creds_capable(c->cred, CAP_DAC_READ_SEARCH))
		return 0;
	err = dir->fs->stat(c, dir, &st);
	if (err)
		return err;
	return vfs_perm_node(c, dir, &st, X_OK, false);
}

/*
 * Where a walk starts: the root, the dirfd's directory, or the cwd; an empty
 * path (AT_EMPTY_PATH) stands on dir, whatever it is.
 */
static int walk_start(struct vfs_caller *c, struct vfs_file *dir, const char *root, bool absolute,
		      bool empty, struct vfs_walk *w)
{
	const char *start = root;

	/*
	 * An O_TMPFILE file or a removed directory has no path to walk: the
	 * walk stands on the open file itself (linkat, fchownat ... with
	 * AT_EMPTY_PATH).
	 */
	if (!absolute && dir && empty && (dir->tmpnode || dir->removed)) {
		struct stat st;
		vfs_file_get(dir);
		w->node.fs = &vfs_magic_ops;
		w->node.file = dir;
		w->node.mode = vfs_fstat(dir, &st) ? S_IFREG : st.st_mode;
		snprintf(w->canon, PATH_MAX, "%s", dir->path);
		return 0;
	}
	if (!absolute && dir) {
		struct stat st;
		int err = vfs_fstat(dir, &st);
		if (err)
			return err;
		if (!S_ISDIR(st.st_mode) && !empty)
			return -ENOTDIR;
		if (dir->removed && !empty)
			return -ENOENT; /* a removed directory has no entries, not even a new one */
		start = dir->path;
	} else if (!absolute) {
		start = c->fs->cwd;
	}
	if (!start || start[0] != '/')
		return dir ? -ENOTDIR : -ENOENT;
	if (strlen(start) >= PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(w->canon, start);
	return resolve_canon(c, w->canon, &w->node);
}

const char *vfs_root(const struct vfs_caller *c)
{
	return c->fs && c->fs->root ? c->fs->root : "/";
}

int vfs_path_seen(const struct vfs_caller *c, const char *canon, char *out, size_t size)
{
	const char *root = vfs_root(c);
	size_t rl = strlen(root);
	bool inside = canon[0] != '/' || rl == 1 ||
		      (!strncmp(canon, root, rl) && (canon[rl] == '\0' || canon[rl] == '/'));
	const char *seen = canon;

	if (inside && canon[0] == '/' && rl > 1)
		seen = canon[rl] ? canon + rl : "/";
	snprintf(out, size, "%s", seen);
	return inside ? 0 : 1;
}

/* The walk's root: the process's, or with WALK_IN_ROOT the start directory. */
static int walk_root(struct vfs_caller *c, struct vfs_file *dir, int wflags, char *root)
{
	const char *r = vfs_root(c);

	if (wflags & WALK_IN_ROOT)
		r = dir ? dir->path : c->fs->cwd;
	if (!r || r[0] != '/')
		return dir ? -ENOTDIR : -ENOENT;
	if (strlen(r) >= PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(root, r);
	return 0;
}

/* The state of one walk in progress. */
struct walker {
	struct vfs_caller *c;
	struct vfs_walk *w;
	int wflags;
	int nlinks;
	int depth; /* components below the start, for WALK_BENEATH */
	char root[PATH_MAX]; /* where "/" leads and ".." stops */
	char rest[PATH_MAX]; /* what is left to walk */
	char tmp[PATH_MAX];
};

/* A magic link was followed: the walk now stands on the open file f itself. */
static int stand_on_file(struct vfs_walk *w, struct vfs_node *link, struct vfs_file *f)
{
	struct stat st;

	vfs_node_release(link);
	vfs_node_release(&w->node);
	w->node.fs = &vfs_magic_ops;
	w->node.file = f;
	w->node.mode = vfs_fstat(f, &st) ? S_IFREG : st.st_mode;
	snprintf(w->canon, PATH_MAX, "%s", f->path ? f->path : "");
	return 0;
}

/*
 * Follow the symlink node `link` met at the walk's position, with `more`
 * still to walk after it.  Consumes link.
 */
static int follow(struct walker *wk, struct vfs_node *link, const char *more)
{
	struct vfs_walk *w = wk->w;
	struct vfs_file *f = NULL;
	int err = 0;

	if (++wk->nlinks > WALK_MAX_LINKS || (wk->wflags & WALK_NO_SYMLINKS))
		err = -ELOOP;
	if (!err && link->fs->magic)
		err = link->fs->magic(wk->c, link, &f);
	if (err > 0 && (wk->wflags & (WALK_NO_MAGIC | WALK_BENEATH | WALK_IN_ROOT))) {
		vfs_file_put(f);
		err = (wk->wflags & WALK_NO_MAGIC) ? -ELOOP : -EXDEV;
	}
	if (err > 0)
		return stand_on_file(w, link, f);
	long len = err ? err : -EINVAL;
	if (!err && link->fs->readlink)
		len = link->fs->readlink(wk->c, link, wk->tmp, PATH_MAX);
	vfs_node_release(link);
	if (len < 0)
		return (int)len;
	if (len == 0)
		return -ENOENT;
	size_t ml = strlen(more);
	if ((size_t)len + 1 + ml >= PATH_MAX)
		return -ENAMETOOLONG;
	if (ml) {
		wk->tmp[len] = '/';
		memcpy(wk->tmp + len + 1, more, ml + 1);
	} else {
		wk->tmp[len] = '\0';
	}
	strcpy(wk->rest, wk->tmp);
	if (wk->rest[0] == '/' && (wk->wflags & WALK_BENEATH))
		return -EXDEV;
	if (wk->rest[0] == '/') {
		vfs_node_release(&w->node);
		strcpy(w->canon, wk->root);
		return resolve_canon(wk->c, w->canon, &w->node);
	}
	return 0;
}

/* Walk the component name; more is what follows it (no leading slash). */
static int walk_one(struct walker *wk, const char *name, const char *more)
{
	struct vfs_walk *w = wk->w;
	bool last = !*more;
	struct vfs_node child;
	int err;

	if (!strcmp(name, "."))
		return 0;
	if (!strcmp(name, "..")) {
		if ((wk->wflags & WALK_BENEATH) && wk->depth-- == 0)
			return -EXDEV;
		if (!strcmp(w->canon, wk->root))
			return 0;
		if ((wk->wflags & WALK_NO_XDEV) && vfs_mount_at(wk->c->ns, w->canon))
			return -EXDEV;
		path_up(w->canon);
		vfs_node_release(&w->node);
		return resolve_canon(wk->c, w->canon, &w->node);
	}
	err = step(wk->c, &w->node, w->canon, name, &child);
	if (!err && (wk->wflags & WALK_NO_XDEV) && child.fs != w->node.fs) {
		vfs_node_release(&child);
		return -EXDEV;
	}
	if (err) {
		if (err == -ENOENT && last)
			w->missing_last = true;
		return err;
	}
	if (S_ISLNK(child.mode) &&
	    (!last || (wk->wflags & WALK_FOLLOW) || w->trailing_slash))
		return follow(wk, &child, more);
	err = vfs_path_join(w->canon, w->canon, name);
	vfs_node_release(&w->node);
	w->node = child;
	wk->depth++;
	return err;
}

static int set_last(struct vfs_walk *w, const char *name)
{
	strcpy(w->last, name);
	if (!strcmp(name, "."))
		w->last_type = WALK_LAST_DOT;
	else if (!strcmp(name, ".."))
		w->last_type = WALK_LAST_DOTDOT;
	else
		w->last_type = WALK_LAST_NORM;
	return 0;
}

static int walk_loop(struct walker *wk)
{
	struct vfs_walk *w = wk->w;
	int err = 0;

	while (!err) {
		const char *p = wk->rest;
		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		const char *end = strchrnul(p, '/');
		const char *more = end;
		while (*more == '/')
			more++;
		char name[NAME_MAX + 1];
		if ((size_t)(end - p) > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, p, end - p);
		name[end - p] = '\0';
		if (!S_ISDIR(w->node.mode))
			return -ENOTDIR;
		err = may_search(wk->c, &w->node);
		if (err)
			return err;
		if (!*more && (wk->wflags & WALK_PARENT))
			return set_last(w, name);
		/* rest becomes what follows name (walk_one may rewrite it). */
		memmove(wk->rest, more, strlen(more) + 1);
		err = walk_one(wk, name, wk->rest);
	}
	return err;
}

/*
 * One block kept for the next request of its kind: nearly every call walks,
 * and the walk's two large structs (12 and 4.4 KiB) from malloc and back
 * each time showed in its profile (large-bin requests consolidate the
 * fastbins).  uos walks from one thread.
 */
struct spare {
	void *p;
};
static struct spare spare_walker, spare_walk;

static void *spare_take(struct spare *s, size_t size)
{
	void *p = s->p;

	s->p = NULL;
	return p ? p : malloc(size);
}

static void spare_give(struct spare *s, void *p)
{
	if (s->p)
		free(p);
	else
		s->p = p;
}

int vfs_walk(struct vfs_caller *c, struct vfs_file *dir, const char *path, int wflags,
	     struct vfs_walk *w)
{
	size_t len = strlen(path);
	int err;

	/* Field by field: both structs are mostly path buffers, 16 KiB to clear. */
	vfs_node_clear(&w->node);
	w->canon[0] = w->last[0] = '\0';
	w->last_type = WALK_LAST_NORM;
	w->trailing_slash = w->missing_last = false;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!len && !(wflags & WALK_EMPTY))
		return -ENOENT;
	struct walker *wk = spare_take(&spare_walker, sizeof(*wk));
	if (!wk)
		return -ENOMEM;
	wk->c = c;
	wk->w = w;
	wk->wflags = wflags;
	wk->nlinks = wk->depth = 0;
	wk->root[0] = wk->tmp[0] = '\0';
	c->ns->walks++;
	err = walk_root(c, dir, wflags, wk->root);
	memcpy(wk->rest, path, len + 1);
	w->trailing_slash = len && path[len - 1] == '/';
	w->last_type = WALK_LAST_ROOT;
	if (!err && path[0] == '/' && (wflags & WALK_BENEATH))
		err = -EXDEV;
	else if (!err)
		err = walk_start(c, dir, wk->root, path[0] == '/', !len, w);
	if (!err)
		err = walk_loop(wk);
	spare_give(&spare_walker, wk);
	if (!err && !(wflags & WALK_PARENT) && (w->trailing_slash || (wflags & WALK_DIRECTORY)) &&
	    !S_ISDIR(w->node.mode))
		err = -ENOTDIR;
	if (err)
		vfs_node_release(&w->node);
	return err;
}

int vfs_walk_last(struct vfs_caller *c, struct vfs_walk *w, struct vfs_node *out)
{
	vfs_node_clear(out);
	if (w->last_type != WALK_LAST_NORM)
		return -EINVAL;
	return step(c, &w->node, w->canon, w->last, out);
}

int vfs_walk_alloc(struct vfs_caller *c, struct vfs_file *dir, const char *path, int wflags,
		   struct vfs_walk **out)
{
	struct vfs_walk *w = spare_take(&spare_walk, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	err = vfs_walk(c, dir, path, wflags, w);
	if (err) {
		spare_give(&spare_walk, w);
		return err;
	}
	*out = w;
	return 0;
}

void vfs_walk_free(struct vfs_walk *w)
{
	if (!w)
		return;
	vfs_node_release(&w->node);
	spare_give(&spare_walk, w);
}

int vfs_at_wflags(int atflags)
{
	int wflags = (atflags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW;

	if (atflags & AT_EMPTY_PATH)
		wflags |= WALK_EMPTY;
	return wflags;
}

/*
 * Paths that follow renames.  uos keeps what a process holds as canonical
 * paths (open files, the cwd, exe, mapped regions' names, mount points),
 * and walks from them; Linux keeps dentries, which a rename moves.  So a
 * rename rewrites every kept path at or below the old name, and an unlink
 * or rmdir marks what was open by the name removed (walks from it fail with
 * ENOENT as in a removed directory; procfs shows " (deleted)").
 */

/*
 * A name no kept path can have (not absolute): a swap goes through it, since
 * one pass may meet a path twice (a file in two fd tables).
 */
#define RENAME_SWAP "\001"

void vfs_repath(char **p, const char *from, const char *to)
{
	size_t n = strlen(from);
	char *s = *p, *fresh;

	if (!s || strncmp(s, from, n) || (s[n] && s[n] != '/'))
		return;
	if (asprintf(&fresh, "%s%s", to, s + n) < 0)
		return;
	free(s);
	*p = fresh;
}

void vfs_set_hooks(struct vfs_ns *ns, const struct vfs_hooks *h, struct kernel *k,
		   struct waitq *q)
{
	ns->hooks = h;
	ns->k = k;
	ns->waitq = q;
}

int vfs_park(struct vfs_caller *c, const void *chan, long long deadline_ns)
{
	struct vfs_ns *ns = c->ns;

	if (ns && ns->hooks && ns->hooks->park)
		ns->hooks->park(c, chan, deadline_ns);
	return -UOS_EBLOCK;
}

bool vfs_waits_on(struct vfs_ns *ns, int tid, const void *chan)
{
	return ns->hooks && ns->hooks->waits_on && ns->hooks->waits_on(ns->k, tid, chan);
}

/* One pass: every kept path at or below from now starts with to. */
static void repath_all(struct vfs_ns *ns, const char *from, const char *to)
{
	if (ns->hooks)
		ns->hooks->moved(ns->k, from, to);
	for (int i = 0; i < ns->nmounts; i++)
		if (ns->mounts[i].path[0])
			vfs_repath(&ns->mounts[i].path, from, to);
}

/*
 * The name gone was removed (unlink, rmdir, or replaced by a rename): what
 * was open by it is marked removed (its path stays, inotify names events
 * by it), and the cwds, exe and mapped regions' names of it or below read
 * "<gone> (deleted)", as Linux's d_path shows an unhashed dentry.
 */
static void name_gone(struct vfs_ns *ns, const char *gone)
{
	char marked[PATH_MAX + 16];

	snprintf(marked, sizeof(marked), "%s (deleted)", gone);
	if (ns->hooks)
		ns->hooks->gone(ns->k, gone, marked);
}

void vfs_rename_moved(struct vfs_ns *ns, const struct vfs_walk *ow, const struct vfs_walk *nw,
		      unsigned flags)
{
	char oldc[PATH_MAX], newc[PATH_MAX];

	if (vfs_path_join(oldc, ow->canon, ow->last) || vfs_path_join(newc, nw->canon, nw->last))
		return;
	if (!(flags & RENAME_EXCHANGE)) {
		name_gone(ns, newc); /* what the new name named before, if anything */
		repath_all(ns, oldc, newc);
		return;
	}
	repath_all(ns, oldc, RENAME_SWAP);
	repath_all(ns, newc, oldc);
	repath_all(ns, RENAME_SWAP, newc);
}

void vfs_name_gone(struct vfs_ns *ns, const struct vfs_walk *w)
{
	char gone[PATH_MAX];

	if (!vfs_path_join(gone, w->canon, w->last))
		name_gone(ns, gone);
}
