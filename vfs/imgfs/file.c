/*
 * File contents: read and write at any offset through the block map and
 * the block cache (runs of whole blocks not in it with one pread or pwrite
 * of the image), holes reading as zeros, truncation, and symlink targets
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

/* Copy part of physical block pblk (0: a hole, zeros) into buf, through the cache. */
static int get_block(struct imgfs *fs, uint32_t pblk, uint32_t boff, uint32_t n, uint8_t *buf)
{
	struct imgfs_buf *b;
	int err;

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

/* Copy part of logical block lblk into buf. */
static int read_part(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint32_t boff,
		     uint32_t n, uint8_t *buf)
{
	uint32_t pblk;
	int err = imgfs_bmap(fs, ip, lblk, IMGFS_MAP_FIND, &pblk);

	return err ? err : get_block(fs, pblk, boff, n, buf);
}

/* How many of the n blocks from pblk on have no buffer in the cache (they go past it). */
static long uncached(struct imgfs *fs, uint32_t pblk, long n)
{
	long k;

	for (k = 0; k < n && !imgfs_bcached(fs, pblk + k); k++)
		;
	return k;
}

/*
 * Read whole blocks from logical block lblk on (at most max) into buf:
 * a run of blocks that are contiguous on the image and not in the cache is
 * read with one pread, past the cache (a big read neither evicts the cache
 * nor pays a copy per block), a hole is zeros; a cached block is copied
 * from the cache.  The number of bytes read, or -errno.
 */
static long read_blocks(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint64_t max,
			uint8_t *buf)
{
	uint32_t pblk;
	long k, n = imgfs_bmap_run(fs, ip, lblk, max, IMGFS_MAP_FIND, &pblk);

	if (n < 0)
		return n;
	if (!pblk) {
		memset(buf, 0, (size_t)n * fs->bs);
		return n * fs->bs;
	}
	k = uncached(fs, pblk, n);
	if (!k) {
		int err = get_block(fs, pblk, 0, fs->bs, buf);
		return err ? err : (long)fs->bs;
	}
	size_t want = (size_t)k * fs->bs;
	ssize_t got = pread(fs->fd, buf, want, (off_t)pblk * fs->bs);
	return got == (ssize_t)want ? (long)want : -EIO;
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

long imgfs_read_mapped(struct imgfs *fs, uint32_t ino, size_t len, uint64_t off, const void **at)
{
	struct imgfs_inode *ip;
	uint32_t pblk = 0, boff = off % fs->bs;
	long k, n, r = -EAGAIN;
	int err = get_reg(fs, ino, &ip);

	if (err)
		return err;
	uint64_t size = imgfs_isize(ip);
	if (off >= size || !len)
		r = 0;
	else if (fs->map) {
		len = len < size - off ? len : size - off;
		n = imgfs_bmap_run(fs, ip, off / fs->bs, (boff + len + fs->bs - 1) / fs->bs,
				   IMGFS_MAP_FIND, &pblk);
		k = n > 0 && pblk ? uncached(fs, pblk, n) : 0;
		uint64_t start = (uint64_t)pblk * fs->bs + boff, got = (uint64_t)k * fs->bs - boff;
		if (n < 0)
			r = n;
		else if (k && start + got <= fs->maplen) {
			*at = fs->map + start;
			r = (long)(got < len ? got : len);
		}
	}
	imgfs_iput_ip(fs, ip);
	return r;
}

/* Copy buf into part of physical block pblk through the cache (whole: no need to read it). */
static int put_block(struct imgfs *fs, uint32_t pblk, uint32_t boff, uint32_t n,
		     const uint8_t *buf)
{
	struct imgfs_buf *b;
	int err = imgfs_bget(fs, pblk, n != fs->bs, &b);

	if (err)
		return err;
	memcpy(b->data + boff, buf, n);
	imgfs_bdirty_data(b);
	imgfs_brelse(fs, b);
	return 0;
}

/* Copy buf into part of logical block lblk, allocating it. */
static int write_part(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint32_t boff,
		      uint32_t n, const uint8_t *buf)
{
	uint32_t pblk;
	int err = imgfs_bmap(fs, ip, lblk, IMGFS_MAP_ALLOC, &pblk);

	return err ? err : put_block(fs, pblk, boff, n, buf);
}

/*
 * Write whole blocks from logical block lblk on (at most max) from buf.  A
 * run of blocks contiguous on the image and not in the cache goes to the
 * image with one pwrite, past the cache, and new blocks are taken raw (not
 * zeroed first): a file's bytes may reach the image before the metadata
 * that points at them, never after, the order a flush keeps.  A run with
 * a block freed since the last flush waits in the cache (the image still
 * gives that block to its old file), as does a cached block, or a run the
 * image refuses.  Bytes written, or -errno.
 */
static long write_blocks(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint64_t max,
			 const uint8_t *buf)
{
	uint32_t pblk;
	long i, k, n = imgfs_bmap_run(fs, ip, lblk, max, IMGFS_MAP_RAW, &pblk);
	int err;

	if (n < 0)
		return n;
	/* imgfs_bmap_run checked that every block of the run is on the image */
	k = uncached(fs, pblk, n);
	size_t want = (size_t)k * fs->bs;
	if (k && !imgfs_freed_meets(fs, pblk, k) &&
	    pwrite(fs->fd, buf, want, (off_t)pblk * fs->bs) == (ssize_t)want)
		return (long)want;
	for (i = 0; i < (k ? k : 1); i++) {
		err = put_block(fs, pblk + i, 0, fs->bs, buf + i * fs->bs);
		if (err)
			return i ? i * fs->bs : err;
	}
	return i * fs->bs;
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
		long r;

		if (!boff && n == fs->bs)
			r = write_blocks(fs, ip, pos / fs->bs, (len - done) / fs->bs,
					 (const uint8_t *)buf + done);
		else if (!(r = write_part(fs, ip, pos / fs->bs, boff, n, (const uint8_t *)buf + done)))
			r = n;
		if (r < 0) {
			err = (int)r;
			break;
		}
		done += r;
	}
	if (off + done > imgfs_isize(ip))
		imgfs_set_isize(fs, ip, off + done);
	if (err) /* as ext2_write_failed: no block past the size, raw ones least */
		imgfs_trunc_blocks(fs, ip, (imgfs_isize(ip) + fs->bs - 1) / fs->bs);
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
	err = imgfs_bmap(fs, ip, size / fs->bs, IMGFS_MAP_FIND, &pblk);
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
	err = imgfs_bmap(fs, ip, 0, IMGFS_MAP_FIND, &pblk);
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
		err = imgfs_bmap(fs, ip, off / fs->bs, IMGFS_MAP_FIND, &pblk);
	imgfs_iput_ip(fs, ip);
	return err ? err : pblk != 0;
}
