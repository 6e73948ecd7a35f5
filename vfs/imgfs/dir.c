/*
 * Directories: ext2's linked list of entries (inode, rec_len, name_len,
 * file_type, name) in whole blocks, each entry's rec_len reaching the next
 * and the last one reaching the block's end.  A new name reuses the slack at
 * the end of an entry or a deleted entry, else a new block is appended; a
 * removed name is merged into the previous entry of its block.  Directories
 * are always treated as linear: a hash-indexed one (dir_index) loses its
 * EXT2_INDEX_FL on the first change, as fs/ext2 does.  readdir's cookie is
 * the byte offset of an entry, resynchronised to the next entry boundary
 * when the entry it named has been merged away.  Every entry is checked
 * before use; a malformed one is -EUCLEAN.
 */
#include <dirent.h>
#include <string.h>

#include "imgfs_impl.h"

/* A position in a directory walk; b is pinned while the walk looks at it. */
struct dscan {
	struct imgfs_buf *b;
	uint64_t lblk;
	uint32_t off, prev; /* this entry and the previous one in the block (UINT32_MAX: none) */
	struct ext2_dir_entry *de;
};

typedef int (*dscan_fn)(struct imgfs *fs, struct dscan *s, void *ctx);

int imgfs_check_name(const char *name, size_t *len)
{
	*len = strlen(name);
	if (!*len)
		return -ENOENT;
	if (*len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if (memchr(name, '/', *len))
		return -EINVAL;
	return 0;
}

static int check_entry(const struct imgfs *fs, const uint8_t *blk, uint32_t off)
{
	const struct ext2_dir_entry *de = (const void *)(blk + off);

	if (off + 8 > fs->bs || de->rec_len < 12 || de->rec_len % 4 ||
	    off + de->rec_len > fs->bs || de->rec_len < EXT2_DIR_REC_LEN(de->name_len))
		return -EUCLEAN;
	if (de->inode > fs->sb.s_inodes_count || (de->inode && !de->name_len))
		return -EUCLEAN;
	return 0;
}

static int dir_block(struct imgfs *fs, struct imgfs_inode *dp, uint64_t lblk,
		     struct imgfs_buf **b)
{
	uint32_t pblk;
	int err = imgfs_bmap(fs, dp, lblk, IMGFS_MAP_FIND, &pblk);

	if (!err && !pblk)
		err = -EUCLEAN; /* a hole in a directory */
	return err ? err : imgfs_bread(fs, pblk, b);
}

/* Walk one block from byte from (an entry boundary); see dir_scan. */
static int scan_block(struct imgfs *fs, struct dscan *s, uint32_t from, dscan_fn fn, void *ctx)
{
	int r = 0;

	s->prev = UINT32_MAX;
	for (s->off = 0; s->off < fs->bs && !r; s->off += s->de->rec_len) {
		r = check_entry(fs, s->b->data, s->off);
		if (r)
			break;
		s->de = (struct ext2_dir_entry *)(s->b->data + s->off);
		if (s->off >= from)
			r = fn(fs, s, ctx);
		if (!r)
			s->prev = s->off;
	}
	return r;
}

/*
 * Call fn on each entry of dp from byte offset pos on.  fn returns 0 to go on,
 * > 0 to stop there: then dir_scan returns 1 and s->b stays pinned for the
 * caller (who releases it).  0 at the end, or -errno.
 */
static int dir_scan(struct imgfs *fs, struct imgfs_inode *dp, uint64_t pos, struct dscan *s,
		    dscan_fn fn, void *ctx)
{
	uint64_t nblocks = imgfs_isize(dp) / fs->bs;
	int r;

	for (s->lblk = pos / fs->bs; s->lblk < nblocks; s->lblk++) {
		r = dir_block(fs, dp, s->lblk, &s->b);
		if (r)
			return r;
		r = scan_block(fs, s, s->lblk == pos / fs->bs ? pos % fs->bs : 0, fn, ctx);
		if (r > 0)
			return 1;
		imgfs_brelse(fs, s->b);
		if (r)
			return r;
	}
	return 0;
}

struct name_ctx {
	const char *name;
	size_t len;
};

static int match(struct imgfs *fs, struct dscan *s, void *ctx)
{
	const struct name_ctx *n = ctx;

	return s->de->inode && s->de->name_len == n->len && !memcmp(s->de->name, n->name, n->len);
}

int imgfs_dir_find(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len,
		   uint32_t *ino)
{
	struct name_ctx n = {name, len};
	struct dscan s;
	int r = dir_scan(fs, dp, 0, &s, match, &n);

	if (r <= 0)
		return r ? r : -ENOENT;
	*ino = s.de->inode;
	imgfs_brelse(fs, s.b);
	return *ino ? 0 : -EUCLEAN;
}

static unsigned char ft_of(const struct imgfs *fs, mode_t mode)
{
	if (!(fs->sb.s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
		return EXT2_FT_UNKNOWN;
	return imgfs_mode_ft(mode);
}

static void put_entry(struct ext2_dir_entry *de, const char *name, size_t len, uint32_t ino,
		      unsigned char ft)
{
	de->inode = ino;
	de->name_len = len;
	de->file_type = ft;
	memcpy(de->name, name, len);
}

static void dir_changed(struct imgfs *fs, struct imgfs_inode *dp)
{
	dp->d.i_flags &= ~EXT2_INDEX_FL;
	imgfs_touch(dp, true);
}

static int has_room(struct imgfs *fs, struct dscan *s, void *ctx)
{
	const struct name_ctx *n = ctx;
	uint32_t have = s->de->inode ? EXT2_DIR_REC_LEN(s->de->name_len) : 0;

	return s->de->rec_len - have >= EXT2_DIR_REC_LEN(n->len);
}

/* A new last block holding only name. */
static int append_block(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len,
			uint32_t ino, unsigned char ft)
{
	uint64_t lblk = imgfs_isize(dp) / fs->bs;
	struct imgfs_buf *b;
	struct ext2_dir_entry *de;
	uint32_t pblk;
	int err = imgfs_bmap(fs, dp, lblk, IMGFS_MAP_ALLOC, &pblk);

	if (!err)
		err = imgfs_bread(fs, pblk, &b);
	if (err)
		return err;
	de = (struct ext2_dir_entry *)b->data;
	de->rec_len = fs->bs;
	put_entry(de, name, len, ino, ft);
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	imgfs_set_isize(fs, dp, (lblk + 1) * fs->bs);
	return 0;
}

int imgfs_dir_add(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len,
		  uint32_t ino, mode_t mode)
{
	struct name_ctx n = {name, len};
	struct ext2_dir_entry *de;
	struct dscan s;
	uint32_t have;
	int r = dir_scan(fs, dp, 0, &s, has_room, &n);

	if (r < 0)
		return r;
	if (!r) {
		r = append_block(fs, dp, name, len, ino, ft_of(fs, mode));
	} else {
		de = s.de;
		have = de->inode ? EXT2_DIR_REC_LEN(de->name_len) : 0;
		if (have) {
			struct ext2_dir_entry *nde = (void *)((uint8_t *)de + have);

			nde->rec_len = de->rec_len - have;
			de->rec_len = have;
			de = nde;
		}
		put_entry(de, name, len, ino, ft_of(fs, mode));
		imgfs_bdirty(s.b);
		imgfs_brelse(fs, s.b);
		r = 0;
	}
	if (r)
		return r;
	dir_changed(fs, dp);
	return imgfs_iupdate(fs, dp);
}

int imgfs_dir_remove(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len)
{
	struct name_ctx n = {name, len};
	struct dscan s;
	int r = dir_scan(fs, dp, 0, &s, match, &n);

	if (r <= 0)
		return r ? r : -ENOENT;
	if (s.prev != UINT32_MAX)
		((struct ext2_dir_entry *)(s.b->data + s.prev))->rec_len += s.de->rec_len;
	else
		s.de->inode = 0;
	imgfs_bdirty(s.b);
	imgfs_brelse(fs, s.b);
	dir_changed(fs, dp);
	return imgfs_iupdate(fs, dp);
}

int imgfs_dir_set(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len,
		  uint32_t ino, mode_t mode)
{
	struct name_ctx n = {name, len};
	struct dscan s;
	int r = dir_scan(fs, dp, 0, &s, match, &n);

	if (r <= 0)
		return r ? r : -ENOENT;
	s.de->inode = ino;
	s.de->file_type = ft_of(fs, mode);
	imgfs_bdirty(s.b);
	imgfs_brelse(fs, s.b);
	dir_changed(fs, dp);
	return imgfs_iupdate(fs, dp);
}

static int not_dot(struct imgfs *fs, struct dscan *s, void *ctx)
{
	const struct ext2_dir_entry *de = s->de;

	if (!de->inode)
		return 0;
	if (de->name_len == 1 && de->name[0] == '.')
		return 0;
	return !(de->name_len == 2 && de->name[0] == '.' && de->name[1] == '.');
}

int imgfs_dir_empty(struct imgfs *fs, struct imgfs_inode *dp)
{
	struct dscan s;
	int r = dir_scan(fs, dp, 0, &s, not_dot, NULL);

	if (r > 0)
		imgfs_brelse(fs, s.b);
	return r < 0 ? r : !r;
}

int imgfs_dir_init(struct imgfs *fs, struct imgfs_inode *dp, uint32_t parent)
{
	struct ext2_dir_entry *de;
	struct imgfs_buf *b;
	uint32_t pblk;
	int err = imgfs_bmap(fs, dp, 0, IMGFS_MAP_ALLOC, &pblk);

	if (!err)
		err = imgfs_bread(fs, pblk, &b);
	if (err)
		return err;
	de = (struct ext2_dir_entry *)b->data;
	de->rec_len = 12;
	put_entry(de, ".", 1, dp->ino, ft_of(fs, S_IFDIR));
	de = (struct ext2_dir_entry *)(b->data + 12);
	de->rec_len = fs->bs - 12;
	put_entry(de, "..", 2, parent, ft_of(fs, S_IFDIR));
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	imgfs_set_isize(fs, dp, fs->bs);
	return imgfs_iupdate(fs, dp);
}

static int get_dir(struct imgfs *fs, uint32_t ino, struct imgfs_inode **dp)
{
	int err = imgfs_iget_ip(fs, ino, dp);

	if (err)
		return err;
	if (S_ISDIR((*dp)->d.i_mode))
		return 0;
	imgfs_iput_ip(fs, *dp);
	return -ENOTDIR;
}

int imgfs_lookup(struct imgfs *fs, uint32_t dir, const char *name, uint32_t *ino)
{
	struct imgfs_inode *dp;
	size_t len;
	int err = imgfs_check_name(name, &len);

	if (err)
		return err;
	err = get_dir(fs, dir, &dp);
	if (err)
		return err;
	err = imgfs_dir_find(fs, dp, name, len, ino);
	imgfs_iput_ip(fs, dp);
	return err;
}

static const unsigned char ft_to_dt[] = {
	[EXT2_FT_UNKNOWN] = DT_UNKNOWN, [EXT2_FT_REG_FILE] = DT_REG, [EXT2_FT_DIR] = DT_DIR,
	[EXT2_FT_CHRDEV] = DT_CHR,	[EXT2_FT_BLKDEV] = DT_BLK,   [EXT2_FT_FIFO] = DT_FIFO,
	[EXT2_FT_SOCK] = DT_SOCK,	[EXT2_FT_SYMLINK] = DT_LNK,
};

struct rd_ctx {
	imgfs_filldir_t fn;
	void *ctx;
	bool filetype;
	uint64_t *pos;
};

static int emit(struct imgfs *fs, struct dscan *s, void *ctx)
{
	struct rd_ctx *rc = ctx;
	uint64_t here = s->lblk * fs->bs + s->off, next = here + s->de->rec_len;
	unsigned char dt = DT_UNKNOWN;

	if (s->de->inode) {
		if (rc->filetype && s->de->file_type < sizeof(ft_to_dt))
			dt = ft_to_dt[s->de->file_type];
		if (rc->fn(rc->ctx, s->de->name, s->de->name_len, s->de->inode, dt, next))
			return 1;
	}
	*rc->pos = next;
	return 0;
}

int imgfs_readdir(struct imgfs *fs, uint32_t dir, uint64_t *pos, imgfs_filldir_t fn, void *ctx)
{
	struct rd_ctx rc = {fn, ctx, fs->sb.s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE,
			    pos};
	struct imgfs_inode *dp;
	struct dscan s;
	int r = get_dir(fs, dir, &dp);

	if (r)
		return r;
	r = dir_scan(fs, dp, *pos, &s, emit, &rc);
	if (r > 0)
		imgfs_brelse(fs, s.b);
	else if (!r)
		*pos = imgfs_isize(dp);
	imgfs_iput_ip(fs, dp);
	return r < 0 ? r : 0;
}

int imgfs_namei(struct imgfs *fs, const char *path, uint32_t *ino)
{
	char name[EXT2_NAME_LEN + 1];
	uint32_t cur = EXT2_ROOT_INO;
	size_t n;
	int err;

	while (*path) {
		while (*path == '/')
			path++;
		n = strcspn(path, "/");
		if (!n)
			break;
		if (n > EXT2_NAME_LEN)
			return -ENAMETOOLONG;
		memcpy(name, path, n);
		name[n] = 0;
		path += n;
		err = imgfs_lookup(fs, cur, name, &cur);
		if (err)
			return err;
	}
	*ino = cur;
	return 0;
}
