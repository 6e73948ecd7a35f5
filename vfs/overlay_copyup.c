/*
 * overlay copy-up (see overlay.c): anything that changes a lower file
 * first copies it up, its parent directories, then the file with its data,
 * mode, owner and times; the overlay remembers where each copied-up file
 * came from, so that stat keeps showing the lower st_dev/st_ino.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "overlay_impl.h"

const struct ovl_origin *ovl_origin_find(struct ovl_sb *os, dev_t udev, ino_t uino)
{
	for (int i = 0; i < os->norig; i++)
		if (os->orig[i].uino == uino && os->orig[i].udev == udev)
			return &os->orig[i];
	return NULL;
}

static void origin_add(struct ovl_sb *os, const struct stat *ust, const struct stat *lst)
{
	if (os->norig == os->cap) {
		int cap = os->cap ? os->cap * 2 : 64;
		struct ovl_origin *o = realloc(os->orig, (size_t)cap * sizeof(*o));
		if (!o)
			return; /* only st_ino changes then */
		os->orig = o;
		os->cap = cap;
	}
	os->orig[os->norig++] = (struct ovl_origin){ust->st_dev, ust->st_ino, lst->st_dev,
						     lst->st_ino};
}

/* Copy the bytes of the lower file l into the upper file u. */
static int copy_data(struct vfs_caller *c, const struct vfs_node *l, const struct vfs_node *u)
{
	struct vfs_file *in = NULL, *out = NULL;
	char *buf = malloc(COPY_CHUNK);
	int err = buf ? 0 : -ENOMEM;

	if (!err)
		err = l->fs->open(c, l, "", O_RDONLY, &in);
	if (!err)
		err = u->fs->open(c, u, "", O_WRONLY, &out);
	for (off_t off = 0; !err;) {
		long n = vfs_read(in, buf, COPY_CHUNK, off);
		if (n <= 0) {
			err = (int)n;
			break;
		}
		for (long done = 0; !err && done < n;) {
			long w = vfs_write(out, buf + done, (size_t)(n - done), off + done);
			err = w < 0 ? (int)w : w == 0 ? -EIO : 0;
			done += w > 0 ? w : 0;
		}
		off += n;
	}
	if (in)
		vfs_file_put(in);
	if (out)
		vfs_file_put(out);
	free(buf);
	return err;
}

/*
 * Give the copy u the lower file l's extended attributes (Linux's
 * ovl_copy_xattr); those of a namespace the upper layer does not keep
 * (EOPNOTSUPP) stay behind.
 */
static int copy_xattrs(struct vfs_caller *c, const struct vfs_node *l, const struct vfs_node *u)
{
	char *names = malloc(XATTR_LIST_MAX), *val = malloc(XATTR_SIZE_MAX);
	long len = names && val ? 0 : -ENOMEM;
	int err = 0;

	if (!len && l->fs->listxattr && u->fs->setxattr)
		len = l->fs->listxattr(l, names, XATTR_LIST_MAX);
	for (long i = 0; !err && i < len; i += (long)strlen(names + i) + 1) {
		long vl = l->fs->getxattr ? l->fs->getxattr(l, names + i, val, XATTR_SIZE_MAX) : -1;
		if (vl >= 0)
			err = u->fs->setxattr(c, u, names + i, val, (size_t)vl, 0);
		if (err == -EOPNOTSUPP)
			err = 0;
	}
	free(names);
	free(val);
	return len < 0 ? (int)len : err;
}

/* Make in udir a copy of the lower node l named name (no data yet), into *out. */
static int copy_node(struct vfs_caller *c, const struct vfs_node *udir, const char *name,
		     const struct vfs_node *l, const struct stat *lst, struct vfs_node *out)
{
	char target[PATH_MAX];
	struct vfs_newnode nn = {.mode = lst->st_mode, .rdev = lst->st_rdev,
				 .uid = lst->st_uid, .gid = lst->st_gid};
	int err;

	if (S_ISLNK(lst->st_mode)) {
		long len = l->fs->readlink(c, l, target, sizeof(target) - 1);
		if (len < 0)
			return (int)len;
		target[len] = '\0';
		nn.target = target;
	}
	vfs_node_clear(out);
	if (!udir->fs->create)
		return -EROFS;
	err = udir->fs->create(c, udir, name, &nn, out);
	if (!err && !out->sb)
		out->sb = udir->sb;
	if (!err && S_ISREG(lst->st_mode) && lst->st_size && (err = copy_data(c, l, out))) {
		/* A half copy (ENOSPC) must not stand for the file: Linux copies up in a workdir. */
		udir->fs->unlink(c, udir, name);
		vfs_node_release(out);
	}
	if (!err && (err = copy_xattrs(c, l, out))) {
		(S_ISDIR(lst->st_mode) ? udir->fs->rmdir : udir->fs->unlink)(c, udir, name);
		vfs_node_release(out);
	}
	if (err)
		return err;
	struct vfs_attr a = {.valid = VFS_ATTR_MODE | VFS_ATTR_UID | VFS_ATTR_GID | VFS_ATTR_ATIME |
				      VFS_ATTR_MTIME,
			     .mode = lst->st_mode & 07777, .uid = lst->st_uid, .gid = lst->st_gid,
			     .atime = lst->st_atim, .mtime = lst->st_mtim};
	if (S_ISLNK(lst->st_mode))
		a.valid &= ~(unsigned)VFS_ATTR_MODE;
	return out->fs->setattr ? out->fs->setattr(c, out, &a) : 0;
}

/*
 * The upper directory for rel (a directory path in the overlay), made by
 * copying up each missing component from the lower layer.
 */
static int upper_dir(struct vfs_caller *c, struct ovl_sb *os, const char *rel, struct vfs_node *out)
{
	struct vfs_node u, l;
	char name[NAME_MAX + 1];
	int err = os->upper->fs->root(os->upper, &u);

	u.sb = os->upper;
	u.fs = os->upper->fs;
	vfs_node_clear(&l);
	if (!err) {
		err = os->lower->fs->root(os->lower, &l);
		l.sb = os->lower;
		l.fs = os->lower->fs;
	}
	for (const char *p = rel; !err && *p;) {
		const char *end = strchrnul(p, '/');
		struct vfs_node nu, nl;
		struct stat lst;
		memcpy(name, p, (size_t)(end - p));
		name[end - p] = '\0';
		p = *end ? end + 1 : end;
		int lerr = ovl_layer_lookup(c, &l, name, &nl);
		err = ovl_layer_lookup(c, &u, name, &nu);
		if (err == -ENOENT && !lerr && !(err = nl.fs->stat(c, &nl, &lst)))
			err = copy_node(c, &u, name, &nl, &lst, &nu);
		vfs_node_release(&u);
		vfs_node_release(&l);
		u = nu;
		l = nl;
		if (!err && !S_ISDIR(u.mode))
			err = -ENOTDIR;
	}
	vfs_node_release(&l);
	if (err) {
		vfs_node_release(&u);
		return err;
	}
	*out = u;
	return 0;
}

/* Split rel into its parent's rel (in buf) and its last name. */
static const char *split_rel(const char *rel, char *buf)
{
	const char *slash = strrchr(rel, '/');

	if (!slash) {
		buf[0] = '\0';
		return rel;
	}
	memcpy(buf, rel, (size_t)(slash - rel));
	buf[slash - rel] = '\0';
	return slash + 1;
}

int ovl_copy_up(struct vfs_caller *c, struct ovl_sb *os, struct ovl_inode *oi)
{
	char prel[PATH_MAX];
	struct vfs_node udir;
	struct stat lst, ust;
	int err;

	if (ovl_has(&oi->upper))
		return 0;
	if (!oi->rel[0])
		return -EIO; /* the root always has an upper */
	if (S_ISDIR(oi->lower.mode))
		return upper_dir(c, os, oi->rel, &oi->upper);
	const char *name = split_rel(oi->rel, prel);
	err = upper_dir(c, os, prel, &udir);
	if (err)
		return err;
	err = oi->lower.fs->stat(c, &oi->lower, &lst);
	if (!err)
		err = copy_node(c, &udir, name, &oi->lower, &lst, &oi->upper);
	vfs_node_release(&udir);
	if (!err && !oi->upper.fs->stat(c, &oi->upper, &ust))
		origin_add(os, &ust, &lst);
	if (err)
		vfs_node_release(&oi->upper);
	return err;
}

/* See vfs_impl.h: an fd of a lower file reaches the node whose changes copy it up. */
int vfs_overlay_node_of(struct vfs_caller *c, struct vfs_file *f, const struct stat *st,
			struct stat *ost, struct vfs_walk **out)
{
	struct vfs_walk *w;

	if (!f->path || f->path[0] != '/' || vfs_walk_alloc(c, NULL, f->path, 0, &w))
		return -ENOENT;
	memset(ost, 0, sizeof(*ost));
	if (w->node.fs != &vfs_overlay_ops || w->node.fs->stat(c, &w->node, ost) ||
	    ost->st_dev != st->st_dev || ost->st_ino != st->st_ino) {
		vfs_walk_free(w);
		return -ENOENT;
	}
	*out = w;
	return 0;
}
