/*
 * overlay: a writable upper layer over a read-only lower one, as Linux's
 * overlayfs does it.  The default root is this: the host's / (hostfs,
 * read-only) under an in-memory tmpfs, so the guest writes where it likes
 * and the host is never touched.
 *
 * A node (struct ovl_inode, owned by the vfs_node's ip) holds the name's
 * node in each layer where it exists and its path from the overlay's root.
 * Lookup: an upper non-directory, whiteout or opaque directory hides the
 * lower; otherwise a directory in both layers merges.  Anything that changes
 * a lower file first copies it up (its parent directories, then the file
 * with its data, mode, owner and times: overlay_copyup.c).  A deletion of a
 * name the lower layer has leaves a whiteout in the upper layer: a char
 * device 0/0, like Linux's.  A directory made where a lower one was deleted
 * is opaque: it holds an entry named OVL_OPAQUE (also a char device 0/0),
 * which lookup and readdir hide.  Renaming a directory that exists in the
 * lower layer gives EXDEV, as Linux's overlayfs does without redirect_dir;
 * tools (mv) then copy.  stat reports the lower file's st_dev/st_ino for
 * anything that came from the lower layer, even after copy-up (the overlay
 * remembers the origin), and the upper's for files made in the overlay;
 * the fstat of an open copied-up file shows the same (vfs_file's id_dev).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "overlay_impl.h"
#include "vfs_impl.h"

#define OVL_OPAQUE ".wh..wh..opq"
#define OVERLAYFS_MAGIC 0x794c7630

static struct ovl_inode *oi_of(const struct vfs_node *n)
{
	return n->ip;
}

static struct ovl_sb *os_of(const struct vfs_node *n)
{
	return n->sb->priv;
}

/* The node of the layer that counts: the upper if there is one. */
static const struct vfs_node *top(const struct ovl_inode *oi)
{
	return ovl_has(&oi->upper) ? &oi->upper : &oi->lower;
}

static void oi_free(struct ovl_inode *oi)
{
	if (!oi)
		return;
	vfs_node_release(&oi->upper);
	vfs_node_release(&oi->lower);
	free(oi->rel);
	free(oi);
}

static struct ovl_inode *oi_alloc(const char *parent_rel, const char *name)
{
	struct ovl_inode *oi = calloc(1, sizeof(*oi));
	size_t pl = strlen(parent_rel), nl = strlen(name);

	if (!oi)
		return NULL;
	oi->rel = malloc(pl + nl + 2);
	if (!oi->rel) {
		free(oi);
		return NULL;
	}
	char *p = oi->rel; /* "parent_rel/name", or name at the root */
	if (pl) {
		memcpy(p, parent_rel, pl);
		p[pl] = '/';
		p += pl + 1;
	}
	memcpy(p, name, nl + 1);
	vfs_node_clear(&oi->upper);
	vfs_node_clear(&oi->lower);
	return oi;
}

int ovl_layer_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		     struct vfs_node *out)
{
	vfs_node_clear(out);
	if (!ovl_has(dir) || !S_ISDIR(dir->mode))
		return -ENOENT;
	int err = dir->fs->lookup(c, dir, name, out);
	if (!err && !out->sb)
		out->sb = dir->sb;
	if (!err && !out->fs)
		out->fs = dir->fs;
	return err;
}

static bool is_whiteout_node(struct vfs_caller *c, const struct vfs_node *n)
{
	struct stat st;

	if (!S_ISCHR(n->mode))
		return false;
	return !n->fs->stat(c, n, &st) && st.st_rdev == 0;
}

static bool dir_is_opaque(struct vfs_caller *c, const struct vfs_node *udir)
{
	struct vfs_node m;
	bool opaque = !ovl_layer_lookup(c, udir, OVL_OPAQUE, &m) && is_whiteout_node(c, &m);

	vfs_node_release(&m);
	return opaque;
}

static void node_set(struct vfs_node *out, struct vfs_sb *sb, struct ovl_inode *oi)
{
	vfs_node_clear(out);
	out->fs = &vfs_overlay_ops;
	out->sb = sb;
	out->ip = oi;
	out->mode = top(oi)->mode;
}

static int ovl_root(struct vfs_sb *sb, struct vfs_node *out)
{
	struct ovl_sb *os = sb->priv;
	struct ovl_inode *oi = oi_alloc("", "");
	int err;

	if (!oi)
		return -ENOMEM;
	oi->rel[0] = '\0';
	err = os->upper->fs->root(os->upper, &oi->upper);
	if (!err) {
		oi->upper.sb = os->upper;
		oi->upper.fs = os->upper->fs;
		err = os->lower->fs->root(os->lower, &oi->lower);
		oi->lower.sb = os->lower;
		oi->lower.fs = os->lower->fs;
	}
	if (err) {
		oi_free(oi);
		return err;
	}
	oi->opaque = dir_is_opaque(NULL, &oi->upper);
	node_set(out, sb, oi);
	return 0;
}

/* Fill oi's layers for name in dir (the overlay directory node). */
static int lookup_layers(struct vfs_caller *c, const struct ovl_inode *d, const char *name,
			 struct ovl_inode *oi)
{
	int err = ovl_layer_lookup(c, &d->upper, name, &oi->upper);

	if (err && err != -ENOENT)
		return err;
	if (!err && is_whiteout_node(c, &oi->upper))
		return -ENOENT;
	if (!err && !S_ISDIR(oi->upper.mode))
		return 0;
	if (!err && dir_is_opaque(c, &oi->upper)) {
		oi->opaque = true;
		return 0;
	}
	if (d->opaque)
		return ovl_has(&oi->upper) ? 0 : -ENOENT;
	int lerr = ovl_layer_lookup(c, &d->lower, name, &oi->lower);
	if (lerr && lerr != -ENOENT)
		return lerr;
	/* An upper directory merges only with a lower directory. */
	if (!lerr && ovl_has(&oi->upper) && !S_ISDIR(oi->lower.mode))
		vfs_node_release(&oi->lower);
	return ovl_has(&oi->upper) || ovl_has(&oi->lower) ? 0 : -ENOENT;
}

static int ovl_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		      struct vfs_node *out)
{
	struct ovl_inode *oi;
	int err;

	if (!strcmp(name, OVL_OPAQUE))
		return -ENOENT;
	oi = oi_alloc(oi_of(dir)->rel, name);
	if (!oi)
		return -ENOMEM;
	err = lookup_layers(c, oi_of(dir), name, oi);
	if (err) {
		oi_free(oi);
		return err;
	}
	node_set(out, dir->sb, oi);
	return 0;
}

static int ovl_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	struct ovl_inode *oi = oi_of(n);
	const struct vfs_node *tn = top(oi);
	int err = tn->fs->stat(c, tn, st);

	if (err || !ovl_has(&oi->upper))
		return err;
	if (ovl_has(&oi->lower)) {
		struct stat lst;
		if (!oi->lower.fs->stat(c, &oi->lower, &lst)) {
			st->st_dev = lst.st_dev;
			st->st_ino = lst.st_ino;
		}
		return 0;
	}
	const struct ovl_origin *o = ovl_origin_find(os_of(n), st->st_dev, st->st_ino);
	if (o) {
		st->st_dev = o->ldev;
		st->st_ino = o->lino;
	}
	return 0;
}

static long ovl_readlink(struct vfs_caller *c, const struct vfs_node *n, char *buf, size_t size)
{
	const struct vfs_node *tn = top(oi_of(n));

	return tn->fs->readlink ? tn->fs->readlink(c, tn, buf, size) : -EINVAL;
}

static void ovl_release(struct vfs_node *n)
{
	oi_free(n->ip);
}

/* Directories: the merged listing. */

struct name_list {
	struct vfs_dirent *ents;
	int n, cap;
};

static int list_add(struct name_list *l, unsigned long ino, unsigned char type, const char *name)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		struct vfs_dirent *e = realloc(l->ents, (size_t)cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		l->ents = e;
		l->cap = cap;
	}
	struct vfs_dirent *e = &l->ents[l->n++];
	e->ino = ino;
	e->type = type;
	snprintf(e->name, sizeof(e->name), "%s", name);
	return 0;
}

static int find_name(const struct name_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->ents[i].name, name))
			return i;
	return -1;
}

struct dirent64_ {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Every name of one layer's directory except "." and "..". */
static int read_layer(struct vfs_caller *c, const struct vfs_node *dir, struct name_list *l)
{
	struct vfs_file *f;
	char *buf = malloc(COPY_CHUNK);
	long n;
	int err = buf ? dir->fs->open(c, dir, "", O_RDONLY | O_DIRECTORY, &f) : -ENOMEM;

	if (err) {
		free(buf);
		return err;
	}
	while (!err && (n = vfs_getdents(f, buf, COPY_CHUNK)) > 0) {
		for (long off = 0; !err && off < n;) {
			struct dirent64_ *d = (void *)(buf + off);
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				err = list_add(l, d->d_ino, d->d_type, d->d_name);
		}
	}
	if (!err && n < 0)
		err = (int)n;
	vfs_file_put(f);
	free(buf);
	return err;
}

/* Is the upper entry name a whiteout (or the opaque marker)? */
static bool upper_whiteout(struct vfs_caller *c, const struct vfs_node *udir, const char *name)
{
	struct vfs_node n;
	bool wo;

	if (!strcmp(name, OVL_OPAQUE))
		return true;
	wo = !ovl_layer_lookup(c, udir, name, &n) && is_whiteout_node(c, &n);
	vfs_node_release(&n);
	return wo;
}

/*
 * The merged names of directory oi: upper entries that are not whiteouts,
 * then lower entries the upper neither has nor whites out.
 */
static int merged_names(struct vfs_caller *c, const struct ovl_inode *oi, struct name_list *out)
{
	struct name_list up = {0}, low = {0};
	int err = ovl_has(&oi->upper) ? read_layer(c, &oi->upper, &up) : 0;

	if (!err && ovl_has(&oi->lower) && !oi->opaque)
		err = read_layer(c, &oi->lower, &low);
	for (int i = 0; !err && i < up.n; i++)
		if (up.ents[i].type != DT_CHR || !upper_whiteout(c, &oi->upper, up.ents[i].name))
			err = list_add(out, up.ents[i].ino, up.ents[i].type, up.ents[i].name);
	for (int i = 0; !err && i < low.n; i++)
		if (find_name(&up, low.ents[i].name) < 0)
			err = list_add(out, low.ents[i].ino, low.ents[i].type, low.ents[i].name);
	free(up.ents);
	free(low.ents);
	return err;
}

static int open_dir(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out)
{
	struct name_list l = {0};
	struct stat st;
	int err = ovl_stat(c, n, &st);

	if (!err)
		err = list_add(&l, st.st_ino, DT_DIR, ".");
	if (!err)
		err = list_add(&l, st.st_ino, DT_DIR, "..");
	if (!err)
		err = merged_names(c, oi_of(n), &l);
	if (err) {
		free(l.ents);
		return err;
	}
	return vfs_dirfile(l.ents, l.n, &st, flags, canon, out);
}

static int ovl_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out)
{
	struct ovl_inode *oi = oi_of(n);
	int acc = flags & O_ACCMODE;
	int err;

	if (!(flags & O_PATH) && S_ISDIR(n->mode))
		return open_dir(c, n, canon, flags, out);
	if (!(flags & O_PATH) && S_ISREG(n->mode) &&
	    (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))) {
		err = ovl_copy_up(c, os_of(n), oi);
		if (err)
			return err;
	}
	const struct vfs_node *tn = top(oi);
	struct stat own, shown;
	if (!tn->fs->open)
		return -ENXIO;
	err = tn->fs->open(c, tn, canon, flags, out);
	/* A copied-up file shows its lower file's identity: its fstat too. */
	if (!err && ovl_has(&oi->upper) && !tn->fs->stat(c, tn, &own) && !ovl_stat(c, n, &shown) &&
	    (own.st_dev != shown.st_dev || own.st_ino != shown.st_ino)) {
		(*out)->id_dev = shown.st_dev;
		(*out)->id_ino = shown.st_ino;
	}
	return err;
}

static int ovl_statfs(const struct vfs_node *n, struct statfs *sf)
{
	struct vfs_node root;
	struct vfs_sb *up = os_of(n)->upper;
	int err = up->fs->root(up, &root);

	root.sb = up;
	root.fs = up->fs;
	if (!err)
		err = up->fs->statfs ? up->fs->statfs(&root, sf) : -ENOSYS;
	vfs_node_release(&root);
	if (!err)
		sf->f_type = OVERLAYFS_MAGIC;
	return err;
}

static long ovl_getxattr(const struct vfs_node *n, const char *name, void *buf, size_t size)
{
	const struct vfs_node *tn = top(oi_of(n));

	return tn->fs->getxattr ? tn->fs->getxattr(tn, name, buf, size) : -ENODATA;
}

static long ovl_listxattr(const struct vfs_node *n, char *buf, size_t size)
{
	const struct vfs_node *tn = top(oi_of(n));

	return tn->fs->listxattr ? tn->fs->listxattr(tn, buf, size) : 0;
}

/*
 * A change copies the file up first (with its attributes), as Linux's
 * ovl_xattr_set; removing what a lower file lacks gives its ENODATA
 * without a copy-up.
 */
static int ovl_setxattr(struct vfs_caller *c, const struct vfs_node *n, const char *name,
			const void *value, size_t size, int flags)
{
	struct ovl_inode *oi = oi_of(n);
	int err;

	if (!value && !ovl_has(&oi->upper)) {
		long r = ovl_getxattr(n, name, NULL, 0);
		if (r < 0)
			return (int)r;
	}
	err = ovl_copy_up(c, os_of(n), oi);
	if (err)
		return err;
	const struct vfs_node *u = &oi->upper;
	return u->fs->setxattr ? u->fs->setxattr(c, u, name, value, size, flags) : -EOPNOTSUPP;
}

/* Namespace changes: always in the upper layer. */

/* Put a whiteout at name in the upper directory udir. */
static int make_whiteout(struct vfs_caller *c, const struct vfs_node *udir, const char *name)
{
	struct vfs_newnode nn = {.mode = S_IFCHR | 0, .rdev = 0};

	return udir->fs->create ? udir->fs->create(c, udir, name, &nn, NULL) : -EROFS;
}

/* Remove a whiteout at name in udir if there is one. */
static int drop_whiteout(struct vfs_caller *c, const struct vfs_node *udir, const char *name)
{
	if (!upper_whiteout(c, udir, name))
		return 0;
	return udir->fs->unlink(c, udir, name);
}

/* The directory's upper node, copied up when needed (borrowed from dir's inode). */
static int dir_upper(struct vfs_caller *c, const struct vfs_node *dir, const struct vfs_node **out)
{
	struct ovl_inode *d = oi_of(dir);
	int err = ovl_copy_up(c, os_of(dir), d);

	*out = &d->upper;
	return err;
}

/* Whether the lower layer of directory d has name (so a deletion needs a whiteout). */
static bool lower_has(struct vfs_caller *c, const struct ovl_inode *d, const char *name)
{
	struct vfs_node n;
	bool found;

	if (d->opaque || !ovl_has(&d->lower))
		return false;
	found = !ovl_layer_lookup(c, &d->lower, name, &n);
	vfs_node_release(&n);
	return found;
}

static int ovl_create(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		      const struct vfs_newnode *nn, struct vfs_node *out)
{
	const struct vfs_node *ud;
	struct ovl_inode *oi = oi_alloc(oi_of(dir)->rel, name);
	int err = oi ? dir_upper(c, dir, &ud) : -ENOMEM;
	bool was_lower = !err && (upper_whiteout(c, ud, name) || lower_has(c, oi_of(dir), name));

	if (!err)
		err = drop_whiteout(c, ud, name);
	if (!err)
		err = ud->fs->create(c, ud, name, nn, &oi->upper);
	if (!err && !oi->upper.sb)
		oi->upper.sb = ud->sb;
	if (!err && S_ISDIR(nn->mode) && was_lower) {
		err = make_whiteout(c, &oi->upper, OVL_OPAQUE);
		oi->opaque = true;
	}
	if (err || !out) {
		oi_free(oi);
		return err;
	}
	node_set(out, dir->sb, oi);
	return 0;
}

static int ovl_link(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_node *dir,
		    const char *name)
{
	const struct vfs_node *ud;
	struct ovl_inode *oi = oi_of(n);
	int err = ovl_copy_up(c, os_of(n), oi);

	if (!err)
		err = dir_upper(c, dir, &ud);
	if (!err)
		err = drop_whiteout(c, ud, name);
	if (!err)
		err = ud->fs->link ? ud->fs->link(c, &oi->upper, ud, name) : -EPERM;
	return err;
}

/* Remove what name is in the upper layer (a directory: its whiteouts first). */
static int remove_upper(struct vfs_caller *c, const struct vfs_node *ud, const char *name,
			bool isdir)
{
	struct vfs_node n;
	struct name_list l = {0};
	int err = ovl_layer_lookup(c, ud, name, &n);

	if (err == -ENOENT)
		return 0;
	if (!err && isdir)
		err = read_layer(c, &n, &l);
	for (int i = 0; !err && i < l.n; i++)
		err = n.fs->unlink(c, &n, l.ents[i].name); /* only whiteouts are left */
	vfs_node_release(&n);
	free(l.ents);
	if (err)
		return err;
	return isdir ? ud->fs->rmdir(c, ud, name) : ud->fs->unlink(c, ud, name);
}

static int do_remove(struct vfs_caller *c, const struct vfs_node *dir, const char *name, bool isdir)
{
	struct vfs_node victim;
	const struct vfs_node *ud;
	int err = ovl_lookup(c, dir, name, &victim);

	if (err)
		return err;
	if (isdir) {
		struct name_list l = {0};
		err = merged_names(c, oi_of(&victim), &l);
		if (!err && l.n)
			err = -ENOTEMPTY;
		free(l.ents);
	}
	bool lower = lower_has(c, oi_of(dir), name);
	vfs_node_release(&victim);
	if (!err)
		err = dir_upper(c, dir, &ud);
	if (!err)
		err = remove_upper(c, ud, name, isdir);
	if (!err && lower)
		err = make_whiteout(c, ud, name);
	return err;
}

static int ovl_unlink(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	return do_remove(c, dir, name, false);
}

static int ovl_rmdir(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	return do_remove(c, dir, name, true);
}

/* A directory that has a lower part cannot move (no redirect_dir): EXDEV. */
static bool dir_pinned(const struct vfs_node *n)
{
	const struct ovl_inode *oi = oi_of(n);

	return S_ISDIR(n->mode) && ovl_has(&oi->lower);
}

/* rename over an existing directory: it must be empty in the merged view. */
static int clear_target_dir(struct vfs_caller *c, const struct vfs_node *target)
{
	struct name_list l = {0};
	int err = merged_names(c, oi_of(target), &l);

	if (!err && l.n)
		err = -ENOTEMPTY;
	free(l.ents);
	return err;
}

static int ovl_rename(struct vfs_caller *c, const struct vfs_node *odir, const char *oname,
		      const struct vfs_node *ndir, const char *nname, unsigned flags)
{
	struct vfs_node src, dst;
	const struct vfs_node *oud = NULL, *nud = NULL;
	bool have_dst = false, src_lower, dst_lower = false;
	int err = ovl_lookup(c, odir, oname, &src);

	if (err)
		return err;
	vfs_node_clear(&dst);
	if (!(flags & RENAME_NOREPLACE))
		have_dst = !ovl_lookup(c, ndir, nname, &dst);
	if (dir_pinned(&src) || (have_dst && (flags & RENAME_EXCHANGE) && dir_pinned(&dst)))
		err = -EXDEV;
	if (!err && have_dst && !(flags & RENAME_EXCHANGE) && S_ISDIR(dst.mode))
		err = clear_target_dir(c, &dst);
	src_lower = lower_has(c, oi_of(odir), oname);
	dst_lower = lower_has(c, oi_of(ndir), nname);
	if (!err)
		err = ovl_copy_up(c, os_of(&src), oi_of(&src));
	if (!err && have_dst && (flags & RENAME_EXCHANGE))
		err = ovl_copy_up(c, os_of(&dst), oi_of(&dst));
	if (!err)
		err = dir_upper(c, odir, &oud);
	if (!err)
		err = dir_upper(c, ndir, &nud);
	if (!err && have_dst && !(flags & RENAME_EXCHANGE) && S_ISDIR(dst.mode))
		err = remove_upper(c, nud, nname, true);
	bool dir_over_lower = S_ISDIR(src.mode) && dst_lower && !(flags & RENAME_EXCHANGE);
	vfs_node_release(&src);
	vfs_node_release(&dst);
	if (err)
		return err;
	if (!(flags & RENAME_EXCHANGE)) {
		flags &= ~(unsigned)RENAME_NOREPLACE; /* a whiteout there is replaced */
		struct vfs_node probe;
		if (ovl_layer_lookup(c, nud, nname, &probe))
			flags |= RENAME_NOREPLACE;
		vfs_node_release(&probe);
	}
	err = oud->fs->rename(c, oud, oname, nud, nname, flags);
	if (!err && src_lower && !(flags & RENAME_EXCHANGE))
		err = make_whiteout(c, oud, oname);
	if (!err && dir_over_lower) {
		struct vfs_node moved;
		if (!ovl_layer_lookup(c, nud, nname, &moved) && !dir_is_opaque(c, &moved))
			err = make_whiteout(c, &moved, OVL_OPAQUE);
		vfs_node_release(&moved);
	}
	return err;
}

static int ovl_setattr(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_attr *a)
{
	struct ovl_inode *oi = oi_of(n);
	int err = ovl_copy_up(c, os_of(n), oi);

	if (err)
		return err;
	return oi->upper.fs->setattr ? oi->upper.fs->setattr(c, &oi->upper, a) : -EROFS;
}

static void ovl_kill_sb(struct vfs_sb *sb)
{
	struct ovl_sb *os = sb->priv;

	vfs_sb_free(os->upper);
	vfs_sb_free(os->lower);
	free(os->orig);
	free(os);
}

/* The lower layer is read-only: what changed is in the upper one. */
static int ovl_sync_fs(struct vfs_sb *sb, unsigned age, int *hostfd)
{
	struct ovl_sb *os = sb->priv;

	return vfs_sb_sync(os->upper, age, hostfd);
}

const struct vfs_fs_ops vfs_overlay_ops = {
	.name = "overlay",
	.root = ovl_root,
	.lookup = ovl_lookup,
	.stat = ovl_stat,
	.readlink = ovl_readlink,
	.open = ovl_open,
	.statfs = ovl_statfs,
	.getxattr = ovl_getxattr,
	.listxattr = ovl_listxattr,
	.setxattr = ovl_setxattr,
	.release = ovl_release,
	.create = ovl_create,
	.link = ovl_link,
	.unlink = ovl_unlink,
	.rmdir = ovl_rmdir,
	.rename = ovl_rename,
	.setattr = ovl_setattr,
	.kill_sb = ovl_kill_sb,
	.sync_fs = ovl_sync_fs,
};

/* The upper root takes the lower root's mode, owner and times (it is the same directory). */
static void root_attrs(struct ovl_sb *os)
{
	struct vfs_node u, l;
	struct stat st;

	vfs_node_clear(&u);
	vfs_node_clear(&l);
	if (!os->lower->fs->root(os->lower, &l) && !os->upper->fs->root(os->upper, &u)) {
		l.sb = os->lower;
		l.fs = os->lower->fs;
		u.sb = os->upper;
		u.fs = os->upper->fs;
		struct vfs_attr a = {.valid = VFS_ATTR_MODE | VFS_ATTR_UID | VFS_ATTR_GID |
					      VFS_ATTR_ATIME | VFS_ATTR_MTIME | VFS_ATTR_CTIME};
		if (!l.fs->stat(NULL, &l, &st) && u.fs->setattr) {
			a.mode = st.st_mode & 07777;
			a.uid = st.st_uid;
			a.gid = st.st_gid;
			a.atime = st.st_atim;
			a.mtime = st.st_mtim;
			a.ctime = st.st_ctim;
			u.fs->setattr(NULL, &u, &a);
		}
	}
	vfs_node_release(&u);
	vfs_node_release(&l);
}

int vfs_overlay_sb(struct vfs_ns *ns, struct vfs_sb *lower, struct vfs_sb *upper,
		   struct vfs_sb **out)
{
	struct ovl_sb *os = calloc(1, sizeof(*os));

	if (!os) {
		vfs_sb_free(lower);
		vfs_sb_free(upper);
		return -ENOMEM;
	}
	os->lower = lower;
	os->upper = upper;
	root_attrs(os);
	*out = vfs_sb_alloc(&vfs_overlay_ops, os, false);
	if (!*out) {
		struct vfs_sb tmp = {.priv = os};
		ovl_kill_sb(&tmp);
		return -ENOMEM;
	}
	(*out)->dev = ns ? vfs_anon_dev(ns) : 0;
	return 0;
}
