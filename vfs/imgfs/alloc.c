/*
 * Block and inode allocation: the bitmaps (one block each per group), the
 * group descriptors' free counts and the superblock's totals, kept in step.
 * Blocks are taken at or after a goal (the previous block of the file, or
 * the inode's group), so a file's blocks stay together and near its inode.
 * Inodes of files go in their parent's group; directories spread over the
 * groups with more than average free space ("Orlov-lite").  A bitmap that
 * contradicts the group descriptor or points into metadata is -EUCLEAN.
 */
#include <string.h>

#include "imgfs_impl.h"

bool imgfs_block_valid(const struct imgfs *fs, uint32_t blk)
{
	return blk > fs->sb.s_first_data_block && blk < fs->sb.s_blocks_count;
}

/* The first block of group g. */
static uint32_t group_first(const struct imgfs *fs, uint32_t g)
{
	return fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group;
}

static uint32_t group_blocks(const struct imgfs *fs, uint32_t g)
{
	uint32_t n = fs->sb.s_blocks_count - group_first(fs, g);

	return n < fs->sb.s_blocks_per_group ? n : fs->sb.s_blocks_per_group;
}

/* Block blk's group, and in *bit its bit in the group's bitmap. */
static uint32_t group_of(const struct imgfs *fs, uint32_t blk, uint32_t *bit)
{
	uint32_t rel = blk - fs->sb.s_first_data_block;

	*bit = rel % fs->sb.s_blocks_per_group;
	return rel / fs->sb.s_blocks_per_group;
}

static bool bit_set(const uint8_t *map, uint32_t i)
{
	return map[i >> 3] & (1u << (i & 7));
}

static void set_bit(uint8_t *map, uint32_t i)
{
	map[i >> 3] |= 1u << (i & 7);
}

static void clear_bit(uint8_t *map, uint32_t i)
{
	map[i >> 3] &= ~(1u << (i & 7));
}

/* The first clear bit in [from, n) of map, or n. */
static uint32_t find_zero(const uint8_t *map, uint32_t from, uint32_t n)
{
	uint32_t i = from;

	while (i < n) {
		if (!(i & 7) && map[i >> 3] == 0xff) {
			i += 8;
			continue;
		}
		if (!bit_set(map, i))
			return i;
		i++;
	}
	return n;
}

static bool is_metadata(const struct imgfs *fs, uint32_t g, uint32_t blk)
{
	const struct ext2_group_desc *gd = &fs->gd[g];
	uint32_t itb = fs->sb.s_inodes_per_group * fs->isize / fs->bs;

	return blk == gd->bg_block_bitmap || blk == gd->bg_inode_bitmap ||
	       (blk >= gd->bg_inode_table && blk < gd->bg_inode_table + itb) ||
	       blk <= fs->sb.s_first_data_block + fs->gdt_blocks;
}

static void count_blocks(struct imgfs *fs, uint32_t g, int delta)
{
	fs->gd[g].bg_free_blocks_count += delta;
	fs->sb.s_free_blocks_count += delta;
	fs->gd_dirty = fs->sb_dirty = true;
}

/* Take a free block of group g at or after bit from: 1 and *blk, 0 when none, -errno. */
static int take_block(struct imgfs *fs, uint32_t g, uint32_t from, uint32_t *blk)
{
	struct imgfs_buf *b;
	uint32_t bit, n = group_blocks(fs, g);
	int err;

	if (!fs->gd[g].bg_free_blocks_count)
		return 0;
	err = imgfs_bread(fs, fs->gd[g].bg_block_bitmap, &b);
	if (err)
		return err;
	bit = find_zero(b->data, from, n);
	if (bit < n) {
		*blk = group_first(fs, g) + bit;
		if (is_metadata(fs, g, *blk)) {
			imgfs_brelse(fs, b);
			return -EUCLEAN;
		}
		set_bit(b->data, bit);
		imgfs_bdirty(b);
		count_blocks(fs, g, -1);
	}
	imgfs_brelse(fs, b);
	return bit < n;
}

int imgfs_balloc(struct imgfs *fs, uint32_t goal, uint32_t *blk)
{
	uint32_t g0, from, i;
	int r;

	if (!fs->sb.s_free_blocks_count)
		return -ENOSPC;
	if (!imgfs_block_valid(fs, goal))
		goal = fs->sb.s_first_data_block;
	g0 = group_of(fs, goal, &from);
	for (i = 0; i <= fs->ngroups; i++) {
		r = take_block(fs, (g0 + i) % fs->ngroups, i ? 0 : from, blk);
		if (r)
			return r < 0 ? r : 0;
	}
	return -ENOSPC;
}

long imgfs_balloc_run(struct imgfs *fs, uint32_t blk, uint32_t n)
{
	struct imgfs_buf *b;
	uint32_t g, bit, lim, k;
	int err;

	if (!imgfs_block_valid(fs, blk))
		return 0;
	g = group_of(fs, blk, &bit);
	lim = group_blocks(fs, g) - bit;
	lim = lim < n ? lim : n;
	if (lim > fs->gd[g].bg_free_blocks_count) /* a bitmap that says more is corrupt */
		lim = fs->gd[g].bg_free_blocks_count;
	if (lim > fs->sb.s_free_blocks_count)
		lim = fs->sb.s_free_blocks_count;
	err = imgfs_bread(fs, fs->gd[g].bg_block_bitmap, &b);
	if (err)
		return err;
	for (k = 0; k < lim && !bit_set(b->data, bit + k) && !is_metadata(fs, g, blk + k); k++)
		set_bit(b->data, bit + k);
	if (k) {
		imgfs_bdirty(b);
		count_blocks(fs, g, -(int)k);
	}
	imgfs_brelse(fs, b);
	return k;
}

/* A file's blocks are freed in order, either way: a run grows its extent. */
static void freed_add(struct imgfs_freed *f, uint32_t blk)
{
	unsigned i = f->n - 1;

	if (f->n && blk == f->start[i] + f->len[i]) {
		f->len[i]++;
	} else if (f->n && blk + 1 == f->start[i]) {
		f->start[i]--;
		f->len[i]++;
	} else if (f->n < FREED_MAX) {
		f->start[f->n] = blk;
		f->len[f->n++] = 1;
	} else {
		f->overflow = true;
	}
}

bool imgfs_freed_meets(const struct imgfs *fs, uint32_t blk, uint32_t n)
{
	const struct imgfs_freed *f = &fs->freed;

	if (f->overflow)
		return true;
	for (unsigned i = 0; i < f->n; i++)
		if (blk < f->start[i] + f->len[i] && f->start[i] < blk + n)
			return true;
	return false;
}

void imgfs_freed_clear(struct imgfs *fs)
{
	fs->freed.n = 0;
	fs->freed.overflow = false;
}

int imgfs_bfree(struct imgfs *fs, uint32_t blk)
{
	struct imgfs_buf *b;
	uint32_t g, bit;
	int err;

	if (!imgfs_block_valid(fs, blk))
		return -EUCLEAN;
	g = group_of(fs, blk, &bit);
	if (is_metadata(fs, g, blk))
		return -EUCLEAN;
	err = imgfs_bread(fs, fs->gd[g].bg_block_bitmap, &b);
	if (err)
		return err;
	if (!bit_set(b->data, bit)) {
		imgfs_brelse(fs, b);
		return -EUCLEAN; /* freeing a free block: a corrupt block map */
	}
	clear_bit(b->data, bit);
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	count_blocks(fs, g, 1);
	imgfs_bforget(fs, blk);
	freed_add(&fs->freed, blk);
	return 0;
}

/* Directories: the emptiest groups (fewest directories at the top level). */
static uint32_t dir_group(const struct imgfs *fs, uint32_t pg, bool top)
{
	uint32_t avgi = fs->sb.s_free_inodes_count / fs->ngroups;
	uint32_t avgb = fs->sb.s_free_blocks_count / fs->ngroups;
	uint32_t i, g, best = UINT32_MAX;

	for (i = 0; i < fs->ngroups; i++) {
		g = (pg + i) % fs->ngroups;
		if (!fs->gd[g].bg_free_inodes_count || fs->gd[g].bg_free_inodes_count < avgi ||
		    fs->gd[g].bg_free_blocks_count < avgb)
			continue;
		if (!top)
			return g;
		if (best == UINT32_MAX ||
		    fs->gd[g].bg_used_dirs_count < fs->gd[best].bg_used_dirs_count)
			best = g;
	}
	return best == UINT32_MAX ? pg : best;
}

/* Take a free inode of group g: 1 and *ino, 0 when none, -errno. */
static int take_inode(struct imgfs *fs, uint32_t g, bool dir, uint32_t *ino)
{
	struct imgfs_buf *b;
	uint32_t bit, n = fs->sb.s_inodes_per_group;
	uint32_t from = g ? 0 : fs->sb.s_first_ino - 1;
	int err;

	if (!fs->gd[g].bg_free_inodes_count)
		return 0;
	err = imgfs_bread(fs, fs->gd[g].bg_inode_bitmap, &b);
	if (err)
		return err;
	bit = find_zero(b->data, from, n);
	if (bit < n) {
		set_bit(b->data, bit);
		imgfs_bdirty(b);
		*ino = g * n + bit + 1;
		fs->gd[g].bg_free_inodes_count--;
		fs->sb.s_free_inodes_count--;
		fs->gd[g].bg_used_dirs_count += dir;
		fs->gd_dirty = fs->sb_dirty = true;
	}
	imgfs_brelse(fs, b);
	return bit < n;
}

int imgfs_ialloc(struct imgfs *fs, uint32_t parent, mode_t mode, uint32_t *ino)
{
	bool dir = S_ISDIR(mode);
	uint32_t pg = (parent - 1) / fs->sb.s_inodes_per_group, g0, i;
	int r;

	if (!fs->sb.s_free_inodes_count)
		return -ENOSPC;
	if (pg >= fs->ngroups)
		pg = 0;
	g0 = dir ? dir_group(fs, pg, parent == EXT2_ROOT_INO) : pg;
	for (i = 0; i < fs->ngroups; i++) {
		r = take_inode(fs, (g0 + i) % fs->ngroups, dir, ino);
		if (r)
			return r < 0 ? r : 0;
	}
	return -ENOSPC;
}

int imgfs_ifree(struct imgfs *fs, uint32_t ino, bool dir)
{
	struct imgfs_buf *b;
	uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group;
	uint32_t bit = (ino - 1) % fs->sb.s_inodes_per_group;
	int err;

	err = imgfs_bread(fs, fs->gd[g].bg_inode_bitmap, &b);
	if (err)
		return err;
	if (!bit_set(b->data, bit)) {
		imgfs_brelse(fs, b);
		return -EUCLEAN;
	}
	clear_bit(b->data, bit);
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	fs->gd[g].bg_free_inodes_count++;
	fs->sb.s_free_inodes_count++;
	if (dir && fs->gd[g].bg_used_dirs_count)
		fs->gd[g].bg_used_dirs_count--;
	fs->gd_dirty = fs->sb_dirty = true;
	return 0;
}
