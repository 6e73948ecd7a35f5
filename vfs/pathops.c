/*
 * Path operations other than open: stat, readlink, access, chdir, statfs
 * (the namespace-changing calls are in wops.c, extended attributes in
 * xattr.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs_impl.h"

int vfs_stat(struct vfs_caller *c, struct vfs_file *dir, const char *path, int atflags,
	     struct stat *st)
{
	struct vfs_walk *w;
	int err;

	if (!*path && (atflags & AT_EMPTY_PATH) && dir)
		return vfs_fstat(dir, st);
	err = vfs_walk_alloc(c, dir, path, vfs_at_wflags(atflags), &w);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	err = w->node.fs->stat(c, &w->node, st);
	vfs_walk_free(w);
	return err;
}

long vfs_readlink(struct vfs_caller *c, struct vfs_file *dir, const char *path, char *buf,
		  size_t size)
{
	struct vfs_walk *w;
	/* readlinkat(2): an empty path names the symlink dir itself refers to (O_PATH). */
	bool empty = !*path && dir;
	long len = vfs_walk_alloc(c, dir, path, empty ? WALK_EMPTY : 0, &w);

	if (len)
		return len;
	len = empty && !S_ISLNK(w->node.mode) ? -ENOENT : -EINVAL;
	if (S_ISLNK(w->node.mode) && w->node.fs->readlink)
		len = w->node.fs->readlink(c, &w->node, buf, size);
	vfs_walk_free(w);
	return len;
}

int vfs_access(struct vfs_caller *c, struct vfs_file *dir, const char *path, int mode, int atflags)
{
	struct vfs_walk *w;
	struct stat st;
	int err = vfs_walk_alloc(c, dir, path, vfs_at_wflags(atflags), &w);

	if (err)
		return err;
	err = w->node.fs->stat(c, &w->node, &st);
	if (!err && mode != F_OK) {
		bool special = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode);
		if ((mode & W_OK) && vfs_node_readonly(&w->node) && !special)
			err = -EROFS;
		else
			err = vfs_perm_node(c, &w->node, &st, mode, !(atflags & AT_EACCESS));
	}
	vfs_walk_free(w);
	return err;
}

/* Replace the kept path *slot (the cwd or the root) with a copy of canon. */
static int set_kept(char **slot, const char *canon)
{
	char *p = strdup(canon);

	if (!p)
		return -ENOMEM;
	free(*slot);
	*slot = p;
	return 0;
}

/*
 * chdir and chroot: path must be a directory the caller may search; then,
 * if privileged, it becomes *slot.
 */
static int enter_dir(struct vfs_caller *c, struct vfs_file *dir, const char *path, bool privileged,
		     char **slot)
{
	struct vfs_walk *w;
	struct stat st;
	int err = vfs_walk_alloc(c, dir, path, WALK_FOLLOW | WALK_DIRECTORY, &w);

	if (err)
		return err;
	err = w->node.fs->stat(c, &w->node, &st);
	if (!err)
		err = vfs_perm_node(c, &w->node, &st, X_OK, false);
	if (!err && w->canon[0] != '/')
		err = -ENOTDIR;
	if (!err && !privileged)
		err = -EPERM;
	if (!err)
		err = set_kept(slot, w->canon);
	vfs_walk_free(w);
	return err;
}

int vfs_chdir(struct vfs_caller *c, struct vfs_file *dir, const char *path)
{
	return enter_dir(c, dir, path, true, &c->fs->cwd);
}

int vfs_chroot(struct vfs_caller *c, const char *path, bool privileged)
{
	return enter_dir(c, NULL, path, privileged, &c->fs->root);
}

int vfs_fchdir(struct vfs_caller *c, struct vfs_file *f)
{
	struct stat st;
	int err = vfs_fstat(f, &st);

	if (err)
		return err;
	if (!S_ISDIR(st.st_mode) || f->path[0] != '/')
		return -ENOTDIR;
	err = vfs_perm(c, &st, X_OK, false);
	return err ? err : set_kept(&c->fs->cwd, f->path);
}

int vfs_statfs(struct vfs_caller *c, struct vfs_file *dir, const char *path, struct statfs *sf)
{
	struct vfs_walk *w;
	int err = vfs_walk_alloc(c, dir, path, WALK_FOLLOW, &w);

	if (err)
		return err;
	memset(sf, 0, sizeof(*sf));
	if (w->node.fs == &vfs_magic_ops)
		err = vfs_fstatfs(c, w->node.file, sf);
	else
		err = w->node.fs->statfs ? w->node.fs->statfs(&w->node, sf) : -ENOSYS;
	vfs_walk_free(w);
	return err;
}

/* The mount c's path p is in (the one with the longest mount point), or NULL. */
static const struct vfs_mount *mount_of(struct vfs_caller *c, const char *p)
{
	const struct vfs_mount *best = NULL;

	for (int i = 0; c && c->ns && p[0] == '/' && i < c->ns->nmounts; i++) {
		const struct vfs_mount *m = &c->ns->mounts[i];
		size_t n = strlen(m->path);
		bool under = n == 1 || (!strncmp(p, m->path, n) && (!p[n] || p[n] == '/'));
		if (under && (!best || n > strlen(best->path)))
			best = m;
	}
	return best;
}

/* statfs of the filesystem mounted where c's path p is: its root's.  -ENOENT: no mount. */
static int mount_statfs(struct vfs_caller *c, const char *p, struct statfs *sf)
{
	const struct vfs_mount *m = mount_of(c, p);
	struct vfs_node root;
	int err;

	if (!m || !m->fs->statfs)
		return -ENOENT;
	err = m->fs->root(m->sb, &root);
	if (err)
		return err;
	root.sb = m->sb;
	root.fs = m->fs;
	err = m->fs->statfs(&root, sf);
	vfs_node_release(&root);
	return err;
}

int vfs_fstatfs(struct vfs_caller *c, struct vfs_file *f, struct statfs *sf)
{
	int hfd;

	memset(sf, 0, sizeof(*sf));
	if (f->ops->statfs)
		return f->ops->statfs(f, sf);
	hfd = vfs_hostfd(f);
	if (hfd >= 0) {
		if (fstatfs(hfd, sf))
			return -errno;
		sf->f_flags |= ST_RDONLY;
		return 0;
	}
	/* A file of a filesystem that has no statfs of its own files (procfs, devfs): its mount's. */
	if (!mount_statfs(c, f->path, sf))
		return 0;
	memset(sf, 0, sizeof(*sf));
	/* Pipes, sockets, terminals: Linux reports their pseudo filesystem. */
	sf->f_type = 0x50495045; /* PIPEFS_MAGIC */
	sf->f_bsize = 4096;
	sf->f_frsize = 4096;
	sf->f_namelen = NAME_MAX;
	return 0;
}
