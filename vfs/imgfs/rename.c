/*
 * rename(2) inside one image, with RENAME_NOREPLACE and RENAME_EXCHANGE.
 * Every check comes first (types, emptiness, a directory moved under
 * itself, link limits); then the one step that may allocate (adding the new
 * name) comes before anything is removed, so -ENOSPC changes nothing.  A
 * directory that changes parent gets its ".." rewritten and the parents'
 * link counts follow.
 */
#include <string.h>

#include "imgfs_impl.h"

struct side {
	struct imgfs_inode *dp, *ip; /* parent and the inode named (ip NULL: none) */
	const char *name;
	size_t len;
};

static void put_side(struct imgfs *fs, struct side *s)
{
	imgfs_iput_ip(fs, s->ip);
	imgfs_iput_ip(fs, s->dp);
}

static int get_side(struct imgfs *fs, uint32_t dir, const char *name, struct side *s)
{
	uint32_t ino = 0;
	int err = imgfs_check_name(name, &s->len);

	s->name = name;
	s->dp = s->ip = NULL;
	if (err)
		return err;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return -EBUSY;
	if (!fs->writable)
		return -EROFS;
	err = imgfs_iget_ip(fs, dir, &s->dp);
	if (err)
		return err;
	if (!S_ISDIR(s->dp->d.i_mode))
		return -ENOTDIR;
	err = imgfs_dir_find(fs, s->dp, name, s->len, &ino);
	if (!err)
		err = imgfs_iget_ip(fs, ino, &s->ip);
	if (err == -ENOENT && ino)
		err = -EUCLEAN;
	return err == -ENOENT ? 0 : err;
}

/* 1 when directory anc is dir or one of its ancestors. */
static int is_ancestor(struct imgfs *fs, uint32_t anc, uint32_t dir)
{
	uint32_t cur = dir, depth;
	int err;

	for (depth = 0; depth < fs->sb.s_inodes_count; depth++) {
		if (cur == anc)
			return 1;
		if (cur == EXT2_ROOT_INO)
			return 0;
		err = imgfs_lookup(fs, cur, "..", &cur);
		if (err)
			return err;
	}
	return -EUCLEAN; /* a loop of ".." entries */
}

static int check_move(struct imgfs *fs, struct side *from, struct side *to)
{
	int r;

	if (!S_ISDIR(from->ip->d.i_mode) || from->dp == to->dp)
		return 0;
	r = is_ancestor(fs, from->ip->ino, to->dp->ino);
	return r ? (r > 0 ? -EINVAL : r) : 0;
}

static int check_replace(struct imgfs *fs, struct side *o, struct side *n)
{
	bool odir = S_ISDIR(o->ip->d.i_mode);
	int r;

	if (!n->ip)
		return odir && o->dp != n->dp && n->dp->d.i_links_count >= EXT2_LINK_MAX ? -EMLINK
											  : 0;
	if (odir && !S_ISDIR(n->ip->d.i_mode))
		return -ENOTDIR;
	if (!odir && S_ISDIR(n->ip->d.i_mode))
		return -EISDIR;
	if (!odir)
		return 0;
	r = imgfs_dir_empty(fs, n->ip);
	return r < 0 ? r : (r ? 0 : -ENOTEMPTY);
}

/* Point moved directory ip's ".." at its new parent. */
static int reparent(struct imgfs *fs, struct imgfs_inode *ip, struct imgfs_inode *np)
{
	return imgfs_dir_set(fs, ip, "..", 2, np->ino, S_IFDIR);
}

static int do_move(struct imgfs *fs, struct side *o, struct side *n)
{
	bool odir = S_ISDIR(o->ip->d.i_mode);
	int err;

	if (n->ip)
		err = imgfs_dir_set(fs, n->dp, n->name, n->len, o->ip->ino, o->ip->d.i_mode);
	else
		err = imgfs_dir_add(fs, n->dp, n->name, n->len, o->ip->ino, o->ip->d.i_mode);
	if (!err)
		err = imgfs_dir_remove(fs, o->dp, o->name, o->len);
	if (err)
		return err;
	if (n->ip) {
		n->ip->d.i_links_count = odir ? 0 : n->ip->d.i_links_count - 1;
		imgfs_touch(n->ip, false);
		imgfs_iupdate(fs, n->ip);
		if (odir) /* the replaced directory's ".." is gone */
			n->dp->d.i_links_count--;
	}
	if (odir && o->dp != n->dp) {
		err = reparent(fs, o->ip, n->dp);
		o->dp->d.i_links_count--;
		n->dp->d.i_links_count++;
	}
	imgfs_touch(o->ip, false);
	imgfs_iupdate(fs, o->ip);
	imgfs_iupdate(fs, o->dp);
	imgfs_iupdate(fs, n->dp);
	return err;
}

static int do_exchange(struct imgfs *fs, struct side *o, struct side *n)
{
	bool odir = S_ISDIR(o->ip->d.i_mode), ndir = S_ISDIR(n->ip->d.i_mode);
	int err;

	err = imgfs_dir_set(fs, o->dp, o->name, o->len, n->ip->ino, n->ip->d.i_mode);
	if (!err)
		err = imgfs_dir_set(fs, n->dp, n->name, n->len, o->ip->ino, o->ip->d.i_mode);
	if (err || o->dp == n->dp)
		return err;
	if (odir)
		err = reparent(fs, o->ip, n->dp);
	if (ndir && !err)
		err = reparent(fs, n->ip, o->dp);
	o->dp->d.i_links_count += (int)ndir - (int)odir;
	n->dp->d.i_links_count += (int)odir - (int)ndir;
	imgfs_touch(o->ip, false);
	imgfs_touch(n->ip, false);
	imgfs_iupdate(fs, o->ip);
	imgfs_iupdate(fs, n->ip);
	imgfs_iupdate(fs, o->dp);
	imgfs_iupdate(fs, n->dp);
	return err;
}

static int rename_checked(struct imgfs *fs, struct side *o, struct side *n, unsigned flags)
{
	int err;

	if (!o->ip)
		return -ENOENT;
	if (n->ip == o->ip)
		return 0; /* two names of one inode: rename(2) does nothing */
	if ((flags & IMGFS_RENAME_NOREPLACE) && n->ip)
		return -EEXIST;
	if (flags & IMGFS_RENAME_EXCHANGE) {
		if (!n->ip)
			return -ENOENT;
		err = check_move(fs, o, n);
		if (!err)
			err = check_move(fs, n, o);
		return err ? err : do_exchange(fs, o, n);
	}
	err = check_move(fs, o, n);
	if (!err)
		err = check_replace(fs, o, n);
	return err ? err : do_move(fs, o, n);
}

int imgfs_rename(struct imgfs *fs, uint32_t odir, const char *oname, uint32_t ndir,
		 const char *nname, unsigned flags)
{
	struct side o, n = {0};
	int err;

	if ((flags & IMGFS_RENAME_NOREPLACE) && (flags & IMGFS_RENAME_EXCHANGE))
		return -EINVAL;
	err = get_side(fs, odir, oname, &o);
	if (!err)
		err = get_side(fs, ndir, nname, &n);
	if (!err)
		err = rename_checked(fs, &o, &n, flags);
	put_side(fs, &n);
	put_side(fs, &o);
	return err;
}
