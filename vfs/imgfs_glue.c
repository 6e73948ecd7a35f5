/*
 * imgfs in the VFS: the walk's operations (root, lookup, stat, readlink,
 * open, statfs) and the namespace changes (create, link, unlink, rmdir,
 * rename, setattr, the xattr ops) on an ext2 image, each a thin call into the imgfs
 * library.  A node holds a reference to the vnode of its inode (node->ip);
 * open files take their own (imgfs_file.c).  The generic layer has done the
 * permission and type checks; imgfs adds ENOTEMPTY, ENOSPC, EMLINK and the
 * times.  Mounting locks the image file (one writer or many readers, see
 * imgfs_lock); unmounting syncs it; the image is closed, and so unlocked,
 * when the mount and the last open file are gone.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imgfs_glue.h"
#include "vfs_imgfs.h"

_Static_assert(VFS_ATTR_MODE == IMGFS_ATTR_MODE && VFS_ATTR_UID == IMGFS_ATTR_UID &&
		       VFS_ATTR_GID == IMGFS_ATTR_GID && VFS_ATTR_SIZE == IMGFS_ATTR_SIZE &&
		       VFS_ATTR_ATIME == IMGFS_ATTR_ATIME && VFS_ATTR_MTIME == IMGFS_ATTR_MTIME &&
		       VFS_ATTR_CTIME == IMGFS_ATTR_CTIME,
	       "imgfs_attr masks follow vfs_attr's");
_Static_assert(RENAME_NOREPLACE == IMGFS_RENAME_NOREPLACE &&
		       RENAME_EXCHANGE == IMGFS_RENAME_EXCHANGE,
	       "rename flags are Linux's");

static struct imgfs_vnode *vn_of(const struct vfs_node *n)
{
	return n->ip;
}

static struct imgfs *fs_of(const struct vfs_node *n)
{
	return vn_of(n)->vs->fs;
}

/* Fill out with a new reference to ino's vnode. */
static int node_set(struct imgfs_vsb *vs, uint32_t ino, struct vfs_node *out)
{
	struct imgfs_vnode *vn;
	struct stat st;
	int err = imgfs_getattr(vs->fs, ino, &st);

	if (!err)
		err = imgfs_vget(vs, ino, &vn);
	if (err)
		return err == -ENOENT ? -EUCLEAN : err; /* an entry naming a free inode */
	out->fs = &vfs_imgfs_ops;
	out->ip = vn;
	out->mode = st.st_mode;
	return 0;
}

static int img_root(struct vfs_sb *sb, struct vfs_node *out)
{
	return node_set(sb->priv, IMGFS_ROOT_INO, out);
}

static int img_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		      struct vfs_node *out)
{
	uint32_t ino;
	int err = imgfs_lookup(fs_of(dir), vn_of(dir)->ino, name, &ino);

	return err ? err : node_set(vn_of(dir)->vs, ino, out);
}

static int img_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	return imgfs_vstat(vn_of(n), st);
}

static long img_readlink(struct vfs_caller *c, const struct vfs_node *n, char *buf, size_t size)
{
	return imgfs_readlink(fs_of(n), vn_of(n)->ino, buf, size);
}

static int img_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out)
{
	return imgfs_vopen(vn_of(n), canon, flags, out);
}

static int img_statfs(const struct vfs_node *n, struct statfs *sf)
{
	int err = imgfs_statfs(fs_of(n), sf);

	if (!err && vfs_node_readonly(n))
		sf->f_flags |= ST_RDONLY;
	return err;
}

static void img_release(struct vfs_node *n)
{
	if (n->ip)
		imgfs_vput(n->ip);
	n->ip = NULL;
}

static int img_create(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		      const struct vfs_newnode *nn, struct vfs_node *out)
{
	struct imgfs *fs = fs_of(dir);
	uint32_t d = vn_of(dir)->ino, ino;
	int err;

	if (S_ISDIR(nn->mode))
		err = imgfs_mkdir(fs, d, name, nn->mode, nn->uid, nn->gid, &ino);
	else if (S_ISLNK(nn->mode))
		err = imgfs_symlink(fs, d, name, nn->target, nn->uid, nn->gid, &ino);
	else
		err = imgfs_create(fs, d, name, nn->mode, nn->rdev, nn->uid, nn->gid, &ino);
	if (err || !out)
		return err;
	return node_set(vn_of(dir)->vs, ino, out);
}

static int img_link(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_node *dir,
		    const char *name)
{
	return imgfs_link(fs_of(n), vn_of(n)->ino, vn_of(dir)->ino, name);
}

static int img_unlink(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	return imgfs_unlink(fs_of(dir), vn_of(dir)->ino, name);
}

static int img_rmdir(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	return imgfs_rmdir(fs_of(dir), vn_of(dir)->ino, name);
}

static int img_rename(struct vfs_caller *c, const struct vfs_node *odir, const char *oname,
		      const struct vfs_node *ndir, const char *nname, unsigned flags)
{
	return imgfs_rename(fs_of(odir), vn_of(odir)->ino, oname, vn_of(ndir)->ino, nname, flags);
}

static int img_setattr(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_attr *a)
{
	return imgfs_vsetattr(vn_of(n), a);
}

/* Extended attributes: in the inode's xattr block (imgfs/xattr.c). */
static long img_getxattr(const struct vfs_node *n, const char *name, void *buf, size_t size)
{
	return imgfs_getxattr(fs_of(n), vn_of(n)->ino, name, buf, size);
}

static long img_listxattr(const struct vfs_node *n, char *buf, size_t size)
{
	return imgfs_listxattr(fs_of(n), vn_of(n)->ino, buf, size);
}

static int img_setxattr(struct vfs_caller *c, const struct vfs_node *n, const char *name,
			const void *value, size_t size, int flags)
{
	return imgfs_setxattr(fs_of(n), vn_of(n)->ino, name, value, size, flags);
}

int imgfs_vnode_node(struct imgfs_vnode *vn, struct vfs_node *out)
{
	vfs_node_clear(out);
	return node_set(vn->vs, vn->ino, out);
}

/*
 * sync: the mapped files' copies and the block cache reach the image file,
 * all at once, so the file holds one consistent state; the caller's
 * fdatasync of the image then takes it to the host's disk.  The periodic
 * writeback (age > 0) writes the block cache only, and only when it holds
 * a change that old: a mapped file's copy is written at fsync, msync and its
 * last close, since uos does not see the guest's stores to it.  Between
 * calls (VFS_WB_BOUND), a cache grown past its bound is flushed and trimmed.
 */
static int img_sync_fs(struct vfs_sb *sb, unsigned age, int *hostfd)
{
	struct imgfs_vsb *vs = sb->priv;
	int err;

	if (age == VFS_WB_BOUND)
		return imgfs_balance(vs->fs);
	if (!imgfs_writable(vs->fs))
		return 0;
	if (age) {
		err = imgfs_writeback(vs->fs, age);
		return err < 0 ? err : 0;
	}
	err = imgfs_vsb_flush(vs);
	if (!err)
		*hostfd = vs->fd;
	return err;
}

static void img_kill_sb(struct vfs_sb *sb)
{
	struct imgfs_vsb *vs = sb->priv;

	imgfs_vsb_flush(vs);
	imgfs_sync(vs->fs);
	if (--vs->refs == 0) {
		imgfs_unmount(vs->fs);
		close(vs->fd);
		free(vs);
	}
}

const struct vfs_fs_ops vfs_imgfs_ops = {
	.name = "ext2",
	.root = img_root,
	.lookup = img_lookup,
	.stat = img_stat,
	.readlink = img_readlink,
	.open = img_open,
	.statfs = img_statfs,
	.release = img_release,
	.create = img_create,
	.link = img_link,
	.unlink = img_unlink,
	.rmdir = img_rmdir,
	.rename = img_rename,
	.setattr = img_setattr,
	.getxattr = img_getxattr,
	.listxattr = img_listxattr,
	.setxattr = img_setxattr,
	.kill_sb = img_kill_sb,
	.sync_fs = img_sync_fs,
};

int vfs_imgfs_sb_fd(struct vfs_ns *ns, int fd, bool readonly, struct vfs_sb **out, char *why,
		    size_t whylen)
{
	struct imgfs_vsb *vs = calloc(1, sizeof(*vs));
	/* One writer or many readers per image, across uos runs (imgfs_lock). */
	int err = vs ? imgfs_lock(fd, !readonly, why, whylen) : -ENOMEM;

	if (!err)
		err = imgfs_mount(fd, !readonly, &vs->fs, why, whylen);

	if (err) {
		free(vs);
		close(fd);
		return err;
	}
	vs->refs = 1;
	vs->fd = fd;
	vs->cg = ns->cg;
	vs->dev = vfs_anon_dev(ns);
	*out = vfs_sb_alloc(&vfs_imgfs_ops, vs, readonly);
	if (!*out) {
		imgfs_unmount(vs->fs);
		close(fd);
		free(vs);
		return -ENOMEM;
	}
	(*out)->dev = vs->dev;
	return 0;
}

int vfs_imgfs_sb(struct vfs_ns *ns, const char *image, bool readonly, struct vfs_sb **out,
		 char *why, size_t whylen)
{
	int fd = open(image, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", image, strerror(errno));
		return -errno;
	}
	return vfs_imgfs_sb_fd(ns, fd, readonly, out, why, whylen);
}
