/*
 * The imgfs block cache: every block imgfs reads or writes passes through a
 * buffer here, found by a hash on the block number and kept on an LRU list.
 * Changes stay in the buffer (dirty) until imgfs_cache_flush, or until the
 * cache is over its bound and must evict: clean unpinned buffers go first,
 * then the least recent dirty one is written back and dropped.  A pinned
 * buffer (refs > 0) is never evicted, so a caller's pointer stays valid
 * until imgfs_brelse; a dropped buffer is kept, up to the bound, for the
 * next block (a big write's blocks come and go by the thousand).  A flush
 * writes files' bytes before any metadata, so that an image cut short
 * during one never has an inode or an indirect block pointing at a block
 * that still holds someone else's old bytes.  (Whole blocks of a file go
 * to the image past the cache, file.c: bytes before metadata all the same.)
 *
 * Dirty buffers are written in the middle of an operation only when it
 * grows the cache past CACHE_HARD times its bound (one huge write): up to
 * there the cache grows, and imgfs_balance, called between operations,
 * flushes it whole and trims it.  So the image file changes by whole
 * flushes of a state between operations, where bitmaps, inodes and
 * directory entries agree, not by a stray block of an operation half done.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "imgfs_impl.h"

static size_t hash_of(const struct imgfs_cache *c, uint32_t blk)
{
	return (blk * 2654435761u) % c->nhash;
}

/* Seconds on a clock that never goes back: a dirty buffer's age. */
static uint32_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint32_t)ts.tv_sec;
}

void imgfs_bdirty(struct imgfs_buf *b)
{
	if (!b->dirty)
		b->dirtied = now_s();
	b->dirty = true;
}

void imgfs_bdirty_data(struct imgfs_buf *b)
{
	imgfs_bdirty(b);
	b->filedata = true;
}

static void lru_unlink(struct imgfs_buf *b)
{
	b->lprev->lnext = b->lnext;
	b->lnext->lprev = b->lprev;
}

static void lru_push(struct imgfs_cache *c, struct imgfs_buf *b)
{
	b->lnext = c->lru.lnext;
	b->lprev = &c->lru;
	c->lru.lnext->lprev = b;
	c->lru.lnext = b;
}

int imgfs_cache_init(struct imgfs *fs)
{
	struct imgfs_cache *c = &fs->cache;

	c->limit = IMGFS_CACHE_BYTES / fs->bs;
	c->nhash = c->limit | 1; /* chains stay short at the default bound */
	c->hash = calloc(c->nhash, sizeof(*c->hash));
	if (!c->hash)
		return -ENOMEM;
	c->lru.lnext = c->lru.lprev = &c->lru;
	return 0;
}

void imgfs_set_cache_limit(struct imgfs *fs, size_t bytes)
{
	size_t n = bytes / fs->bs;

	fs->cache.limit = n < 64 ? 64 : n;
}

static int cmp_blk(const void *a, const void *b)
{
	uint32_t x = (*(struct imgfs_buf *const *)a)->blk, y = (*(struct imgfs_buf *const *)b)->blk;

	return x < y ? -1 : x > y;
}

#define RUN_MAX 256 /* blocks one write back takes at a time */

/*
 * Write back v[0..n), dirty buffers in block order: each run of consecutive
 * blocks in one pwritev (a big file's data is a few calls, not one per
 * block).  A run that does not reach the image stays dirty; -EIO then.
 */
static int bwrite_sorted(struct imgfs *fs, struct imgfs_buf **v, size_t n)
{
	struct iovec iov[RUN_MAX];
	int err = 0;

	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && j - i < RUN_MAX && (j == i || v[j]->blk == v[j - 1]->blk + 1); j++)
			iov[j - i] = (struct iovec){v[j]->data, fs->bs};
		ssize_t want = (ssize_t)((j - i) * fs->bs);
		if (pwritev(fs->fd, iov, (int)(j - i), (off_t)v[i]->blk * fs->bs) != want) {
			err = -EIO;
			continue;
		}
		for (size_t k = i; k < j; k++)
			v[k]->dirty = false;
	}
	return err;
}

static void unhash(struct imgfs_cache *c, struct imgfs_buf *b)
{
	struct imgfs_buf **pp = &c->hash[hash_of(c, b->blk)];

	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
}

static void buf_free(struct imgfs_buf *b)
{
	free(b->data);
	free(b);
}

static void drop(struct imgfs_cache *c, struct imgfs_buf *b)
{
	unhash(c, b);
	lru_unlink(b);
	c->count--;
	if (c->nspare < c->limit) { /* a big write's blocks come and go by the thousand */
		b->hnext = c->spare;
		c->spare = b;
		c->nspare++;
		return;
	}
	buf_free(b);
}

/* A buffer to fill: a spare one, or a new one.  NULL when out of memory. */
static struct imgfs_buf *buf_new(struct imgfs *fs)
{
	struct imgfs_cache *c = &fs->cache;
	struct imgfs_buf *b = c->spare;
	if (b) {
		c->spare = b->hnext;
		c->nspare--;
		*b = (struct imgfs_buf){.data = b->data};
		return b;
	}
	b = calloc(1, sizeof(*b));
	if (b && !(b->data = malloc(fs->bs))) {
		free(b);
		b = NULL;
	}
	return b;
}



/*
 * Write back up to n of the least recent dirty unpinned buffers, in block
 * order, so that a cache full of a big write's blocks drains in large
 * sequential runs instead of one scan of the whole list per block.
 */
static int writeback_tail(struct imgfs *fs, size_t n)
{
	struct imgfs_cache *c = &fs->cache;
	struct imgfs_buf *b, **v = malloc(n * sizeof(*v));
	size_t k = 0;
	int err = 0;

	if (!v)
		return -ENOMEM;
	for (b = c->lru.lprev; b != &c->lru && k < n; b = b->lprev)
		if (!b->refs && b->dirty)
			v[k++] = b;
	qsort(v, k, sizeof(*v), cmp_blk);
	err = bwrite_sorted(fs, v, k);
	free(v);
	return err;
}

/*
 * Evict one buffer: the least recent clean one among the last EVICT_SCAN;
 * else, within CACHE_HARD times the bound, none (the cache grows until
 * imgfs_balance); past it, write back a batch of dirty ones first (then
 * they are clean).
 */
#define EVICT_SCAN 64
#define CACHE_HARD 4
static int evict_one(struct imgfs *fs)
{
	struct imgfs_cache *c = &fs->cache;
	struct imgfs_buf *b;
	int err, pass, seen;

	for (pass = 0; pass < 2; pass++) {
		seen = 0;
		for (b = c->lru.lprev; b != &c->lru && seen < EVICT_SCAN; b = b->lprev) {
			if (b->refs)
				continue;
			seen++;
			if (!b->dirty) {
				drop(c, b);
				return 0;
			}
		}
		if (!seen || c->count < c->limit * CACHE_HARD)
			return 0; /* everything pinned or dirty: grow past the bound for now */
		err = writeback_tail(fs, c->limit / 4 + 1);
		if (err)
			return err;
	}
	return 0;
}

static struct imgfs_buf *find(struct imgfs_cache *c, uint32_t blk)
{
	struct imgfs_buf *b;

	for (b = c->hash[hash_of(c, blk)]; b; b = b->hnext)
		if (b->blk == blk)
			return b;
	return NULL;
}

static int fill(struct imgfs *fs, struct imgfs_buf *b, bool read)
{
	ssize_t n;

	if (!read) {
		memset(b->data, 0, fs->bs);
		return 0;
	}
	n = pread(fs->fd, b->data, fs->bs, (off_t)b->blk * fs->bs);
	if (n < 0)
		return -EIO;
	if (n < (ssize_t)fs->bs)
		memset(b->data + n, 0, fs->bs - n);
	return 0;
}

int imgfs_bget(struct imgfs *fs, uint32_t blk, bool read, struct imgfs_buf **out)
{
	struct imgfs_cache *c = &fs->cache;
	struct imgfs_buf *b;
	int err;

	if (blk >= fs->sb.s_blocks_count)
		return -EUCLEAN;
	b = find(c, blk);
	if (b) {
		if (!read) {
			memset(b->data, 0, fs->bs);
			b->filedata = false; /* a new use: the caller says which */
		}
		lru_unlink(b);
		lru_push(c, b);
		b->refs++;
		*out = b;
		return 0;
	}
	while (c->count >= c->limit) {
		size_t before = c->count;

		err = evict_one(fs);
		if (err)
			return err;
		if (c->count == before)
			break;
	}
	b = buf_new(fs);
	if (!b)
		return -ENOMEM;
	b->blk = blk;
	err = fill(fs, b, read);
	if (err) {
		buf_free(b);
		return err;
	}
	b->refs = 1;
	b->hnext = c->hash[hash_of(c, blk)];
	c->hash[hash_of(c, blk)] = b;
	lru_push(c, b);
	c->count++;
	*out = b;
	return 0;
}

bool imgfs_bcached(struct imgfs *fs, uint32_t blk)
{
	return find(&fs->cache, blk) != NULL;
}

void imgfs_brelse(struct imgfs *fs, struct imgfs_buf *b)
{
	if (b)
		b->refs--;
}

void imgfs_bforget(struct imgfs *fs, uint32_t blk)
{
	struct imgfs_buf *b = find(&fs->cache, blk);

	if (b && !b->refs)
		drop(&fs->cache, b);
	else if (b)
		b->dirty = false;
}

/* Write the dirty buffers whose filedata is data, in block order (front to back). */
static int flush_kind(struct imgfs *fs, struct imgfs_buf **v, bool data)
{
	struct imgfs_cache *c = &fs->cache;
	struct imgfs_buf *b;
	size_t n = 0;

	for (b = c->lru.lnext; b != &c->lru; b = b->lnext)
		if (b->dirty && b->filedata == data)
			v[n++] = b;
	qsort(v, n, sizeof(*v), cmp_blk);
	return bwrite_sorted(fs, v, n);
}

int imgfs_cache_flush(struct imgfs *fs)
{
	struct imgfs_buf **v = malloc((fs->cache.count + 1) * sizeof(*v));
	int err;

	if (!v)
		return -ENOMEM;
	err = flush_kind(fs, v, true);
	if (!err) /* no metadata may point at bytes that did not reach the image */
		err = flush_kind(fs, v, false);
	free(v);
	return err;
}

void imgfs_cache_trim(struct imgfs *fs)
{
	struct imgfs_cache *c = &fs->cache;
	struct imgfs_buf *b, *prev;

	for (b = c->lru.lprev; b != &c->lru && c->count > c->limit; b = prev) {
		prev = b->lprev;
		if (!b->refs && !b->dirty)
			drop(c, b);
	}
}

bool imgfs_cache_over(const struct imgfs *fs)
{
	return fs->cache.count > fs->cache.limit;
}

bool imgfs_cache_aged(struct imgfs *fs, unsigned age)
{
	struct imgfs_cache *c = &fs->cache;
	uint32_t now = now_s();

	for (struct imgfs_buf *b = c->lru.lnext; b != &c->lru; b = b->lnext)
		if (b->dirty && now - b->dirtied >= age)
			return true;
	return false;
}

void imgfs_cache_fini(struct imgfs *fs)
{
	struct imgfs_cache *c = &fs->cache;

	if (!c->hash)
		return;
	while (c->lru.lnext != &c->lru)
		drop(c, c->lru.lnext);
	for (struct imgfs_buf *b = c->spare, *next; b; b = next) {
		next = b->hnext;
		buf_free(b);
	}
	c->spare = NULL;
	c->nspare = 0;
	free(c->hash);
	c->hash = NULL;
}
