/*
 * The namespace operations: create, mkdir, symlink, link, unlink, rmdir
 * and rename.  Each one checks everything that can fail before the first
 * change, allocates before it links (a failed allocation leaves nothing
 * behind), and keeps link counts as ext2 does: a directory counts its own
 * "." and its parent's entry, and each subdirectory's "..".
 */
#include <string.h>

#include "imgfs_impl.h"

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

static int get_wdir(struct imgfs *fs, uint32_t ino, struct imgfs_inode **dp)
{
	int err;

	if (!fs->writable)
		return -EROFS;
	err = imgfs_iget_ip(fs, ino, dp);
	if (err)
		return err;
	if (!S_ISDIR((*dp)->d.i_mode))
		err = -ENOTDIR;
	else if ((*dp)->d.i_links_count == 0)
		err = -ENOENT; /* removed while someone held it */
	if (err)
		imgfs_iput_ip(fs, *dp);
	return err;
}

/* The parent dir, pinned, after checking that name is free in it. */
static int new_name(struct imgfs *fs, uint32_t dir, const char *name, size_t *len,
		    struct imgfs_inode **dp)
{
	uint32_t ino;
	int err = imgfs_check_name(name, len);

	if (err)
		return err;
	if (is_dot(name))
		return -EEXIST;
	err = get_wdir(fs, dir, dp);
	if (err)
		return err;
	err = imgfs_dir_find(fs, *dp, name, *len, &ino);
	if (err == -ENOENT)
		return 0;
	imgfs_iput_ip(fs, *dp);
	return err ? err : -EEXIST;
}

/* A new inode in dir's neighbourhood, pinned, with nlink links. */
static int new_inode(struct imgfs *fs, struct imgfs_inode *dp, mode_t mode, uid_t uid,
		     gid_t gid, int nlink, struct imgfs_inode **ip)
{
	uint32_t ino;
	int err = imgfs_ialloc(fs, dp->ino, mode, &ino);

	if (err)
		return err;
	err = imgfs_inew(fs, ino, mode, uid, gid, ip);
	if (err) {
		imgfs_ifree(fs, ino, S_ISDIR(mode));
		return err;
	}
	(*ip)->d.i_links_count = nlink;
	return imgfs_iupdate(fs, *ip);
}

/* Undo new_inode: with no links, the last iput frees the inode and its blocks. */
static void drop_new(struct imgfs *fs, struct imgfs_inode *ip)
{
	ip->d.i_links_count = 0;
	imgfs_iput_ip(fs, ip);
}

static int finish(struct imgfs *fs, struct imgfs_inode *dp, struct imgfs_inode *ip,
		  const char *name, size_t len, uint32_t *ino)
{
	int err = imgfs_dir_add(fs, dp, name, len, ip->ino, ip->d.i_mode);

	if (err) {
		drop_new(fs, ip);
		return err;
	}
	if (ino)
		*ino = ip->ino;
	imgfs_iput_ip(fs, ip);
	return 0;
}

int imgfs_create(struct imgfs *fs, uint32_t dir, const char *name, mode_t mode, dev_t rdev,
		 uid_t uid, gid_t gid, uint32_t *ino)
{
	struct imgfs_inode *dp, *ip;
	size_t len;
	int err;

	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	if (!S_ISREG(mode) && !S_ISCHR(mode) && !S_ISBLK(mode) && !S_ISFIFO(mode) &&
	    !S_ISSOCK(mode))
		return -EINVAL;
	err = new_name(fs, dir, name, &len, &dp);
	if (err)
		return err;
	err = new_inode(fs, dp, mode, uid, gid, 1, &ip);
	if (!err && (S_ISCHR(mode) || S_ISBLK(mode))) {
		imgfs_set_rdev(ip, rdev);
		err = imgfs_iupdate(fs, ip);
		if (err)
			drop_new(fs, ip);
	}
	if (!err)
		err = finish(fs, dp, ip, name, len, ino);
	imgfs_iput_ip(fs, dp);
	return err;
}

int imgfs_mkdir(struct imgfs *fs, uint32_t dir, const char *name, mode_t mode, uid_t uid,
		gid_t gid, uint32_t *ino)
{
	struct imgfs_inode *dp, *ip;
	size_t len;
	int err = new_name(fs, dir, name, &len, &dp);

	if (err)
		return err;
	if (dp->d.i_links_count >= EXT2_LINK_MAX)
		err = -EMLINK;
	if (!err)
		err = new_inode(fs, dp, S_IFDIR | (mode & 07777), uid, gid, 2, &ip);
	if (!err) {
		err = imgfs_dir_init(fs, ip, dp->ino);
		if (err)
			drop_new(fs, ip);
	}
	if (!err)
		err = finish(fs, dp, ip, name, len, ino);
	if (!err) {
		dp->d.i_links_count++;
		err = imgfs_iupdate(fs, dp);
	}
	imgfs_iput_ip(fs, dp);
	return err;
}

static int write_target(struct imgfs *fs, struct imgfs_inode *ip, const char *target, size_t n)
{
	struct imgfs_buf *b;
	uint32_t pblk;
	int err;

	if (n < sizeof(ip->d.i_block)) {
		memcpy(ip->d.i_block, target, n);
	} else {
		err = imgfs_bmap(fs, ip, 0, IMGFS_MAP_ALLOC, &pblk);
		if (!err)
			err = imgfs_bread(fs, pblk, &b);
		if (err)
			return err;
		memcpy(b->data, target, n);
		imgfs_bdirty(b);
		imgfs_brelse(fs, b);
	}
	imgfs_set_isize(fs, ip, n);
	return imgfs_iupdate(fs, ip);
}

int imgfs_symlink(struct imgfs *fs, uint32_t dir, const char *name, const char *target,
		  uid_t uid, gid_t gid, uint32_t *ino)
{
	struct imgfs_inode *dp, *ip;
	size_t len, n = strlen(target);
	int err;

	if (!n)
		return -ENOENT;
	if (n >= fs->bs)
		return -ENAMETOOLONG;
	err = new_name(fs, dir, name, &len, &dp);
	if (err)
		return err;
	err = new_inode(fs, dp, S_IFLNK | 0777, uid, gid, 1, &ip);
	if (!err) {
		err = write_target(fs, ip, target, n);
		if (err)
			drop_new(fs, ip);
	}
	if (!err)
		err = finish(fs, dp, ip, name, len, ino);
	imgfs_iput_ip(fs, dp);
	return err;
}

int imgfs_link(struct imgfs *fs, uint32_t ino, uint32_t dir, const char *name)
{
	struct imgfs_inode *dp, *ip;
	size_t len;
	int err = new_name(fs, dir, name, &len, &dp);

	if (err)
		return err;
	err = imgfs_iget_ip(fs, ino, &ip);
	if (err)
		goto out;
	if (S_ISDIR(ip->d.i_mode))
		err = -EPERM;
	else if (ip->d.i_links_count >= EXT2_LINK_MAX)
		err = -EMLINK;
	/*
	 * A count of 0 here is an inode still pinned by an open file: an
	 * O_TMPFILE file, which the VFS lets linkat name (Linux's I_LINKABLE);
	 * with a link it is no longer evicted at the last iput.
	 */
	if (!err)
		err = imgfs_dir_add(fs, dp, name, len, ino, ip->d.i_mode);
	if (!err) {
		ip->d.i_links_count++;
		imgfs_touch(ip, false);
		err = imgfs_iupdate(fs, ip);
	}
	imgfs_iput_ip(fs, ip);
out:
	imgfs_iput_ip(fs, dp);
	return err;
}

/* The parent dir and the inode that name in it names, both pinned. */
static int old_name(struct imgfs *fs, uint32_t dir, const char *name, size_t *len,
		    struct imgfs_inode **dp, struct imgfs_inode **ip)
{
	uint32_t ino = 0;
	int err = imgfs_check_name(name, len);

	if (err)
		return err;
	err = get_wdir(fs, dir, dp);
	if (err)
		return err;
	err = imgfs_dir_find(fs, *dp, name, *len, &ino);
	if (!err)
		err = imgfs_iget_ip(fs, ino, ip);
	if (err == -ENOENT && ino)
		err = -EUCLEAN; /* an entry naming a free inode */
	if (err)
		imgfs_iput_ip(fs, *dp);
	return err;
}

int imgfs_unlink(struct imgfs *fs, uint32_t dir, const char *name)
{
	struct imgfs_inode *dp, *ip;
	size_t len;
	int err;

	if (is_dot(name))
		return strcmp(name, ".") ? -ENOTEMPTY : -EISDIR;
	err = old_name(fs, dir, name, &len, &dp, &ip);
	if (err)
		return err;
	if (S_ISDIR(ip->d.i_mode))
		err = -EISDIR;
	if (!err)
		err = imgfs_dir_remove(fs, dp, name, len);
	if (!err) {
		ip->d.i_links_count--;
		imgfs_touch(ip, false);
		err = imgfs_iupdate(fs, ip);
	}
	imgfs_iput_ip(fs, ip);
	imgfs_iput_ip(fs, dp);
	return err;
}

int imgfs_rmdir(struct imgfs *fs, uint32_t dir, const char *name)
{
	struct imgfs_inode *dp, *ip;
	size_t len;
	int err;

	if (is_dot(name))
		return strcmp(name, ".") ? -ENOTEMPTY : -EINVAL;
	err = old_name(fs, dir, name, &len, &dp, &ip);
	if (err)
		return err;
	if (!S_ISDIR(ip->d.i_mode))
		err = -ENOTDIR;
	if (!err)
		err = imgfs_dir_empty(fs, ip);
	if (err >= 0)
		err = err ? imgfs_dir_remove(fs, dp, name, len) : -ENOTEMPTY;
	if (!err) {
		ip->d.i_links_count = 0;
		imgfs_touch(ip, false);
		imgfs_iupdate(fs, ip);
		if (dp->d.i_links_count > 2)
			dp->d.i_links_count--;
		err = imgfs_iupdate(fs, dp);
	}
	imgfs_iput_ip(fs, ip);
	imgfs_iput_ip(fs, dp);
	return err;
}
