/*
 * The block map of an inode: 12 direct blocks, then single, double and
 * triple indirect blocks (ext2's i_block[15]).  A zero address is a hole,
 * read as zeros.  Blocks are allocated on demand, near the inode's previous
 * allocation (ip->goal) or else in its group; every indirect block counts in
 * i_blocks like a data block.  Truncation frees data blocks from a logical
 * block on and every indirect block left with nothing under it.
 */
#include <string.h>

#include "imgfs_impl.h"

bool imgfs_has_blocks(const struct imgfs *fs, const struct imgfs_inode *ip)
{
	mode_t m = ip->d.i_mode;

	return S_ISREG(m) || S_ISDIR(m) || (S_ISLNK(m) && !imgfs_fast_symlink(fs, ip));
}

uint64_t imgfs_max_size(const struct imgfs *fs)
{
	uint64_t apb = fs->apb, res, upper;
	unsigned bits = 10 + fs->sb.s_log_block_size;

	/* As ext2_max_size: i_blocks (512-byte units, 32 bits) bounds it too. */
	res = EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
	upper = (((1ull << 32) - 1) >> (bits - 9)) - (2 + apb);
	if (res > upper)
		res = upper;
	return res << bits;
}

/* Split lblk into a depth (0 direct .. 3 triple) and the index at each level. */
static int path_of(const struct imgfs *fs, uint64_t lblk, uint32_t idx[4])
{
	uint64_t apb = fs->apb;

	if (lblk < EXT2_NDIR_BLOCKS) {
		idx[0] = lblk;
		return 0;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	if (lblk < apb) {
		idx[0] = EXT2_IND_BLOCK;
		idx[1] = lblk;
		return 1;
	}
	lblk -= apb;
	if (lblk < apb * apb) {
		idx[0] = EXT2_DIND_BLOCK;
		idx[1] = lblk / apb;
		idx[2] = lblk % apb;
		return 2;
	}
	lblk -= apb * apb;
	if (lblk < apb * apb * apb) {
		idx[0] = EXT2_TIND_BLOCK;
		idx[1] = lblk / (apb * apb);
		idx[2] = (lblk / apb) % apb;
		idx[3] = lblk % apb;
		return 3;
	}
	return -EFBIG;
}

static uint32_t goal_of(const struct imgfs *fs, const struct imgfs_inode *ip)
{
	uint32_t g = (ip->ino - 1) / fs->sb.s_inodes_per_group;

	if (ip->goal)
		return ip->goal;
	return fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group;
}

/* A new block, counted in ip's i_blocks: zero-filled in the cache unless raw. */
static int new_block(struct imgfs *fs, struct imgfs_inode *ip, bool raw, uint32_t *blk)
{
	struct imgfs_buf *b;
	int err = imgfs_balloc(fs, goal_of(fs, ip), blk);

	if (err)
		return err;
	if (!raw) {
		err = imgfs_bget(fs, *blk, false, &b);
		if (err) {
			imgfs_bfree(fs, *blk);
			return err;
		}
		imgfs_bdirty(b);
		imgfs_brelse(fs, b);
	}
	ip->goal = *blk + 1;
	imgfs_add_iblocks(fs, ip, 1);
	return 0;
}

/*
 * Fill *slot (in ip or in an indirect block) when empty and how allocates:
 * 1 when it changed.  data: the slot is the data block's own, not an
 * indirect block's.
 */
static int fill_slot(struct imgfs *fs, struct imgfs_inode *ip, uint32_t *slot,
		     enum imgfs_map how, bool data)
{
	int err;

	if (*slot) {
		return imgfs_block_valid(fs, *slot) ? 0 : -EUCLEAN;
	}
	if (how == IMGFS_MAP_FIND)
		return 0;
	err = new_block(fs, ip, data && how == IMGFS_MAP_RAW, slot);
	return err ? err : 1;
}

/*
 * The slots that map lblk on, *first up to *end: ip's direct blocks, or the
 * last-level indirect block's, pinned in *bp.  Indirect blocks on the way
 * are allocated unless how is FIND; a missing one gives *slots NULL.
 * *changed says whether ip changed (its i_block or i_blocks).
 */
static int walk(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, enum imgfs_map how,
		uint32_t **slots, uint32_t *first, uint32_t *end, struct imgfs_buf **bp,
		bool *changed)
{
	uint32_t idx[4], *slot;
	struct imgfs_buf *b = NULL;
	int depth = path_of(fs, lblk, idx), i, r;

	*bp = NULL;
	if (depth < 0)
		return depth;
	*slots = ip->d.i_block;
	*first = idx[depth];
	*end = depth ? fs->apb : EXT2_NDIR_BLOCKS;
	if (!depth)
		return 0;
	slot = &ip->d.i_block[idx[0]];
	for (i = 1; i <= depth; i++) {
		r = fill_slot(fs, ip, slot, how, false);
		if (r > 0) {
			*changed = true;
			if (b)
				imgfs_bdirty(b);
		}
		uint32_t blk = *slot;
		imgfs_brelse(fs, b);
		if (r < 0)
			return r;
		if (!blk) {
			*slots = NULL;
			return 0;
		}
		r = imgfs_bread(fs, blk, &b);
		if (r)
			return r;
		slot = (uint32_t *)b->data + idx[i];
	}
	*bp = b;
	*slots = (uint32_t *)b->data;
	return 0;
}

/*
 * Raw new blocks for the empty slots from slots[from] on (at most n), right
 * after the block before them, while the image has them free: how many.
 */
static uint32_t extend_raw(struct imgfs *fs, struct imgfs_inode *ip, uint32_t *slots,
			   uint32_t from, uint32_t n)
{
	uint32_t want = slots[from - 1] + 1, empty = 0;
	long got;

	while (empty < n && !slots[from + empty])
		empty++;
	got = imgfs_balloc_run(fs, want, empty);

	for (long i = 0; i < got; i++)
		slots[from + i] = want + (uint32_t)i;
	if (got <= 0)
		return 0;
	imgfs_add_iblocks(fs, ip, got);
	ip->goal = want + (uint32_t)got;
	return (uint32_t)got;
}

/* After slots[first], the blocks that follow it on the image, allocated (RAW) when empty. */
static uint32_t run_after(struct imgfs *fs, struct imgfs_inode *ip, uint32_t *slots,
			  uint32_t first, uint32_t n, enum imgfs_map how, bool *filled)
{
	uint32_t k = 1, got;

	while (k < n) {
		if (!slots[first + k] && how == IMGFS_MAP_RAW) {
			got = extend_raw(fs, ip, slots, first + k, n - k);
			if (!got)
				break;
			*filled = true;
			k += got;
			continue;
		}
		if (slots[first + k] != slots[first] + k || !imgfs_block_valid(fs, slots[first + k]))
			break;
		k++;
	}
	return k;
}

long imgfs_bmap_run(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint64_t max,
		    enum imgfs_map how, uint32_t *pblk)
{
	uint32_t *slots, first, end, n, k;
	struct imgfs_buf *b;
	bool changed = false, filled = false;
	long ret = walk(fs, ip, lblk, how, &slots, &first, &end, &b, &changed);

	if (ret)
		goto out;
	n = max < end - first ? (uint32_t)max : end - first;
	*pblk = 0;
	ret = n;
	if (!slots || !n)
		goto out; /* a hole to the end of a missing indirect block (or max 0) */
	ret = fill_slot(fs, ip, &slots[first], how, true);
	if (ret < 0)
		goto out;
	filled = ret > 0;
	*pblk = slots[first];
	if (*pblk) {
		ret = run_after(fs, ip, slots, first, n, how, &filled);
	} else {
		for (k = 1; k < n && !slots[first + k]; k++)
			;
		ret = k;
	}
	if (b && filled)
		imgfs_bdirty(b);
	changed |= filled;
out:
	imgfs_brelse(fs, b);
	if (changed) {
		int err = imgfs_iupdate(fs, ip);
		if (err && ret >= 0)
			ret = err;
	}
	return ret;
}

int imgfs_bmap(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, enum imgfs_map how,
	       uint32_t *pblk)
{
	long r = imgfs_bmap_run(fs, ip, lblk, 1, how, pblk);

	return r < 0 ? (int)r : 0;
}

static uint64_t span_of(const struct imgfs *fs, int level)
{
	uint64_t s = 1;

	while (level-- > 0)
		s *= fs->apb;
	return s;
}

/* Free what *slot covers (logical [base, base + apb^level)) from logical block from on. */
static int free_tree(struct imgfs *fs, struct imgfs_inode *ip, uint32_t *slot, int level,
		     uint64_t base, uint64_t from)
{
	uint64_t child = span_of(fs, level - 1);
	struct imgfs_buf *b;
	uint32_t i, blk = *slot;
	int err = 0;

	if (!blk)
		return 0;
	if (level > 0) {
		err = imgfs_bread(fs, blk, &b);
		if (err)
			return err;
		for (i = 0; i < fs->apb && !err; i++) {
			uint32_t *p = (uint32_t *)b->data + i;

			if (base + (i + 1) * child <= from || !*p)
				continue;
			err = free_tree(fs, ip, p, level - 1, base + i * child, from);
			imgfs_bdirty(b);
		}
		imgfs_brelse(fs, b);
	}
	if (err || base < from)
		return err;
	*slot = 0;
	imgfs_add_iblocks(fs, ip, -1);
	return imgfs_bfree(fs, blk);
}

int imgfs_trunc_blocks(struct imgfs *fs, struct imgfs_inode *ip, uint64_t from)
{
	uint64_t base = EXT2_NDIR_BLOCKS;
	int level, err = 0;
	uint32_t i;

	for (i = from < EXT2_NDIR_BLOCKS ? from : EXT2_NDIR_BLOCKS; i < EXT2_NDIR_BLOCKS && !err; i++)
		err = free_tree(fs, ip, &ip->d.i_block[i], 0, i, from);
	for (level = 1; level <= 3 && !err; level++) {
		uint64_t span = span_of(fs, level);

		if (base + span > from)
			err = free_tree(fs, ip, &ip->d.i_block[EXT2_IND_BLOCK + level - 1], level,
					base, from);
		base += span;
	}
	ip->goal = 0;
	if (!err)
		err = imgfs_iupdate(fs, ip);
	return err;
}
