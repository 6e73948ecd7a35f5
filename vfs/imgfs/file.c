/*
 * File contents: read and write at any offset through the block map and
 * the block cache, holes reading as zeros, truncation, and symlink targets
 * (in i_block when shorter than 60 bytes, else in one data block).  Sizes
 * beyond 4 GiB use i_size_high (the large_file feature).
 */
#include <string.h>
#include <unistd.h>

#include "imgfs_impl.h"

static int get_reg(struct imgfs *fs, uint32_t ino, struct imgfs_inode **out)
{
	int err = imgfs_iget_ip(fs, ino, out);

	if (err)
		return err;
	if (S_ISREG((*out)->d.i_mode))
		return 0;
	err = S_ISDIR((*out)->d.i_mode) ? -EISDIR : -EINVAL;
	imgfs_iput_ip(fs, *out);
	return err;
}

/* Copy part of logical block lblk (or zeros for a hole) into buf. */
static int read_part(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint32_t boff,
		     uint32_t n, uint8_t *buf)
{
	struct imgfs_buf *b;
	uint32_t pblk;
	int err = imgfs_bmap(fs, ip, lblk, false, &pblk);

	if (err)
		return err;
	if (!pblk) {
		memset(buf, 0, n);
		return 0;
	}
	err = imgfs_bread(fs, pblk, &b);
	if (err)
		return err;
	memcpy(buf, b->data + boff, n);
	imgfs_brelse(fs, b);
	return 0;
}

/*
 * Read whole blocks from logical block lblk on (at most max) into buf:
 * a run of blocks that are contiguous on the image and not in the cache is
 * read with one pread, past the cache (a big read neither evicts the cache
 * nor pays a copy per block); anything else goes one block through the
 * cache.  The number of bytes read, or -errno.
 */
#define RUN_MAX 256
static long read_blocks(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint64_t max,
			uint8_t *buf)
{
	uint32_t pblk, next;
	uint64_t k = 1;
	int err = imgfs_bmap(fs, ip, lblk, false, &pblk);

	if (err)
		return err;
	if (!pblk || imgfs_bcached(fs, pblk) || pblk >= fs->sb.s_blocks_count) {
		err = read_part(fs, ip, lblk, 0, fs->bs, buf);
		return err ? err : (long)fs->bs;
	}
	while (k < max && k < RUN_MAX && pblk + k < fs->sb.s_blocks_count &&
	       !imgfs_bmap(fs, ip, lblk + k, false, &next) && next == pblk + k &&
	       !imgfs_bcached(fs, next))
		k++;
	size_t want = k * fs->bs;
	ssize_t n = pread(fs->fd, buf, want, (off_t)pblk * fs->bs);
	return n == (ssize_t)want ? (long)want : -EIO;
}

long imgfs_read(struct imgfs *fs, uint32_t ino, void *buf, size_t len, uint64_t off)
{
	struct imgfs_inode *ip;
	uint64_t size;
	size_t done = 0;
	int err = get_reg(fs, ino, &ip);

	if (err)
		return err;
	size = imgfs_isize(ip);
	if (off >= size)
		len = 0;
	else if (len > size - off)
		len = size - off;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t boff = pos % fs->bs;
		uint32_t n = fs->bs - boff < len - done ? fs->bs - boff : len - done;

		if (!boff && n == fs->bs) {
			long r = read_blocks(fs, ip, pos / fs->bs, (len - done) / fs->bs,
					     (uint8_t *)buf + done);
			if (r < 0) {
				err = (int)r;
				break;
			}
			done += r;
			continue;
		}
		err = read_part(fs, ip, pos / fs->bs, boff, n, (uint8_t *)buf + done);
		if (err)
			break;
		done += n;
	}
	imgfs_iput_ip(fs, ip);
	return done ? (long)done : err;
}

/* Copy buf into part of logical block lblk, allocating it. */
static int write_part(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint32_t boff,
		      uint32_t n, const uint8_t *buf)
{
	struct imgfs_buf *b;
	uint32_t pblk;
	int err = imgfs_bmap(fs, ip, lblk, true, &pblk);

	if (err)
		return err;
	/* A whole block is overwritten: no need to read the old one. */
	err = imgfs_bget(fs, pblk, n != fs->bs, &b);
	if (err)
		return err;
	memcpy(b->data + boff, buf, n);
	imgfs_bdirty_data(b);
	imgfs_brelse(fs, b);
	return 0;
}

long imgfs_write(struct imgfs *fs, uint32_t ino, const void *buf, size_t len, uint64_t off)
{
	struct imgfs_inode *ip;
	uint64_t max = imgfs_max_size(fs);
	size_t done = 0;
	int err;

	if (!fs->writable)
		return -EROFS;
	err = get_reg(fs, ino, &ip);
	if (err)
		return err;
	if (off >= max && len) {
		imgfs_iput_ip(fs, ip);
		return -EFBIG;
	}
	if (len > max - off)
		len = max - off;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t boff = pos % fs->bs;
		uint32_t n = fs->bs - boff < len - done ? fs->bs - boff : len - done;

		err = write_part(fs, ip, pos / fs->bs, boff, n, (const uint8_t *)buf + done);
		if (err)
			break;
		done += n;
	}
	if (off + done > imgfs_isize(ip))
		imgfs_set_isize(fs, ip, off + done);
	if (done)
		imgfs_touch(ip, true);
	imgfs_iupdate(fs, ip);
	imgfs_iput_ip(fs, ip);
	return done ? (long)done : err;
}

/* Zero the bytes of the block holding size past size, so that growing again reads zeros. */
static int zero_tail(struct imgfs *fs, struct imgfs_inode *ip, uint64_t size)
{
	struct imgfs_buf *b;
	uint32_t pblk, boff = size % fs->bs;
	int err;

	if (!boff)
		return 0;
	err = imgfs_bmap(fs, ip, size / fs->bs, false, &pblk);
	if (err || !pblk)
		return err;
	err = imgfs_bread(fs, pblk, &b);
	if (err)
		return err;
	memset(b->data + boff, 0, fs->bs - boff);
	imgfs_bdirty_data(b);
	imgfs_brelse(fs, b);
	return 0;
}

int imgfs_truncate(struct imgfs *fs, uint32_t ino, uint64_t size)
{
	struct imgfs_inode *ip;
	int err;

	if (!fs->writable)
		return -EROFS;
	err = get_reg(fs, ino, &ip);
	if (err)
		return err;
	if (size > imgfs_max_size(fs)) {
		err = -EFBIG;
		goto out;
	}
	if (size < imgfs_isize(ip)) {
		err = imgfs_trunc_blocks(fs, ip, (size + fs->bs - 1) / fs->bs);
		if (!err)
			err = zero_tail(fs, ip, size);
		if (err)
			goto out;
	}
	imgfs_set_isize(fs, ip, size);
	imgfs_touch(ip, true);
	err = imgfs_iupdate(fs, ip);
out:
	imgfs_iput_ip(fs, ip);
	return err;
}

static long read_link(struct imgfs *fs, struct imgfs_inode *ip, char *buf, size_t size)
{
	uint64_t len = imgfs_isize(ip);
	struct imgfs_buf *b;
	uint32_t pblk;
	int err;

	if (!len || len >= fs->bs)
		return -EUCLEAN;
	if (len > size)
		len = size;
	if (imgfs_fast_symlink(fs, ip)) {
		if (len >= sizeof(ip->d.i_block))
			return -EUCLEAN;
		memcpy(buf, ip->d.i_block, len);
		return len;
	}
	err = imgfs_bmap(fs, ip, 0, false, &pblk);
	if (!err && !pblk)
		err = -EUCLEAN;
	if (!err)
		err = imgfs_bread(fs, pblk, &b);
	if (err)
		return err;
	memcpy(buf, b->data, len);
	imgfs_brelse(fs, b);
	return len;
}

long imgfs_readlink(struct imgfs *fs, uint32_t ino, char *buf, size_t size)
{
	struct imgfs_inode *ip;
	long r = imgfs_iget_ip(fs, ino, &ip);

	if (r)
		return r;
	r = S_ISLNK(ip->d.i_mode) ? read_link(fs, ip, buf, size) : -EINVAL;
	imgfs_iput_ip(fs, ip);
	return r;
}

int imgfs_mapped(struct imgfs *fs, uint32_t ino, uint64_t off)
{
	struct imgfs_inode *ip;
	uint32_t pblk = 0;
	int err = get_reg(fs, ino, &ip);

	if (err)
		return err;
	if (off / fs->bs < imgfs_max_size(fs) / fs->bs)
		err = imgfs_bmap(fs, ip, off / fs->bs, false, &pblk);
	imgfs_iput_ip(fs, ip);
	return err ? err : pblk != 0;
}
