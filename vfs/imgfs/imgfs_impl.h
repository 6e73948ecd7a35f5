/*
 * What the files of vfs/imgfs share: the mounted filesystem, the block
 * cache's buffers and the in-memory inodes.  Nothing outside vfs/imgfs sees
 * these; the module's API is imgfs.h.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "format.h"
#include "imgfs.h"

#ifndef EUCLEAN
#define EUCLEAN 117
#endif

/*
 * One cached block.  refs pins it (no eviction); dirty means newer than the
 * image, since dirtied (seconds on CLOCK_MONOTONIC_COARSE: the periodic
 * writeback's age); filedata marks a file's bytes, which a flush writes
 * before the metadata that points at them.
 */
struct imgfs_buf {
	uint32_t blk;
	int refs;
	bool dirty, filedata;
	uint32_t dirtied;
	struct imgfs_buf *hnext;	    /* hash chain */
	struct imgfs_buf *lprev, *lnext; /* LRU list, most recent at the head */
	uint8_t *data;
};

struct imgfs_cache {
	struct imgfs_buf **hash;
	size_t nhash;
	size_t count, limit; /* buffers cached, and the bound */
	struct imgfs_buf lru; /* list head */
	struct imgfs_buf *spare; /* dropped buffers kept for reuse (chained by hnext) */
	size_t nspare;		 /* at most limit */
};

/* An inode in memory: pinned by refs, its on-disk copy in d (written by iupdate). */
struct imgfs_inode {
	uint32_t ino;
	int refs;
	struct ext2_inode d;
	uint32_t goal; /* where the next block allocation looks first (0: the group) */
	struct imgfs_inode *next;
};

/*
 * The blocks freed since the last flush, as extents: the image still gives
 * them to their old files, so a file's new bytes for them wait in the cache
 * for the flush.  Past FREED_MAX extents, every block counts (overflow).
 */
#define FREED_MAX 64
struct imgfs_freed {
	uint32_t start[FREED_MAX], len[FREED_MAX];
	unsigned n;
	bool overflow;
};

struct imgfs {
	int fd;
	bool writable;
	/*
	 * The image mapped read-only, or NULL: reads hand its pages straight
	 * to process_vm_writev (imgfs_read_mapped).  uos never touches it
	 * itself, so an image cut short on the host gives a short copy, not
	 * SIGBUS.
	 */
	const uint8_t *map;
	size_t maplen;
	struct ext2_super_block sb;
	uint32_t bs;	       /* block size */
	uint32_t ngroups;
	uint32_t isize;	       /* on-disk inode size */
	uint32_t apb;	       /* block addresses per block (bs / 4) */
	uint32_t gdt_blocks;   /* blocks the group descriptor table fills */
	struct ext2_group_desc *gd;
	bool sb_dirty, gd_dirty;
	struct imgfs_freed freed;
	struct imgfs_cache cache;
	struct imgfs_inode *inodes;
	struct imgfs_progress *progress; /* what populate has copied (imgfs_set_progress), or NULL */
};

/* populate.c, tar.c: one more entry copied, with bytes of contents. */
static inline void imgfs_note_copied(struct imgfs *fs, uint64_t bytes)
{
	struct imgfs_progress *p = fs->progress;

	if (!p)
		return;
	p->files++;
	p->bytes += bytes;
	if (p->tick)
		p->tick(p);
}

/* cache.c */
int imgfs_cache_init(struct imgfs *fs);
void imgfs_cache_fini(struct imgfs *fs);
/* Block blk, read from the image (read) or zero-filled; pinned.  -EUCLEAN out of range. */
int imgfs_bget(struct imgfs *fs, uint32_t blk, bool read, struct imgfs_buf **out);
static inline int imgfs_bread(struct imgfs *fs, uint32_t blk, struct imgfs_buf **out)
{
	return imgfs_bget(fs, blk, true, out);
}
void imgfs_brelse(struct imgfs *fs, struct imgfs_buf *b);
/* Whether blk has a buffer in the cache (then reads must go through it). */
bool imgfs_bcached(struct imgfs *fs, uint32_t blk);
/* Mark b newer than the image (metadata, or a file's bytes: imgfs_bdirty_data). */
void imgfs_bdirty(struct imgfs_buf *b);
void imgfs_bdirty_data(struct imgfs_buf *b);
/* Write every dirty buffer: files' bytes first, then metadata.  0 or -EIO. */
int imgfs_cache_flush(struct imgfs *fs);
/* Drop clean unpinned buffers, least recent first, down to the bound. */
void imgfs_cache_trim(struct imgfs *fs);
/* Whether the cache holds more buffers than its bound. */
bool imgfs_cache_over(const struct imgfs *fs);
/* Whether a buffer has been dirty for at least age seconds. */
bool imgfs_cache_aged(struct imgfs *fs, unsigned age);
/* Forget a block (freed): drop it from the cache without writing it. */
void imgfs_bforget(struct imgfs *fs, uint32_t blk);

/* alloc.c */
/* A free block near goal, zeroed in the cache when zero.  0 and *blk, or -ENOSPC. */
int imgfs_balloc(struct imgfs *fs, uint32_t goal, uint32_t *blk);
int imgfs_bfree(struct imgfs *fs, uint32_t blk);
/* Whether a block of [blk, blk + n) was freed since the last flush (imgfs_freed_clear). */
bool imgfs_freed_meets(const struct imgfs *fs, uint32_t blk, uint32_t n);
void imgfs_freed_clear(struct imgfs *fs);
/* Take the free blocks from blk on, at most n, up to the first in use or the group's end: how many, or -errno. */
long imgfs_balloc_run(struct imgfs *fs, uint32_t blk, uint32_t n);
/* A free inode for a new file of mode in directory parent's neighbourhood. */
int imgfs_ialloc(struct imgfs *fs, uint32_t parent, mode_t mode, uint32_t *ino);
int imgfs_ifree(struct imgfs *fs, uint32_t ino, bool dir);
/* Whether blk may hold file data or metadata (inside the image, past the superblock). */
bool imgfs_block_valid(const struct imgfs *fs, uint32_t blk);

/* inode.c */
/* The in-memory inode ino, pinned (a new reference). */
int imgfs_iget_ip(struct imgfs *fs, uint32_t ino, struct imgfs_inode **out);
void imgfs_iput_ip(struct imgfs *fs, struct imgfs_inode *ip);
/* Write ip->d into the inode table (the cached block). */
int imgfs_iupdate(struct imgfs *fs, struct imgfs_inode *ip);
/* A fresh inode ino (just allocated) with mode, uid, gid, times now; pinned. */
int imgfs_inew(struct imgfs *fs, uint32_t ino, mode_t mode, uid_t uid, gid_t gid,
	       struct imgfs_inode **out);
uint64_t imgfs_isize(const struct imgfs_inode *ip);
void imgfs_set_isize(struct imgfs *fs, struct imgfs_inode *ip, uint64_t size);
uint32_t imgfs_now(void);
/* Set ctime (and mtime when mtime) to now. */
void imgfs_touch(struct imgfs_inode *ip, bool mtime);
void imgfs_add_iblocks(struct imgfs *fs, struct imgfs_inode *ip, long nblocks);
/* Whether ip is a fast symlink (target in i_block). */
/* Store a device number in i_block as fs/ext2 does. */
void imgfs_set_rdev(struct imgfs_inode *ip, dev_t rdev);
bool imgfs_fast_symlink(const struct imgfs *fs, const struct imgfs_inode *ip);
unsigned char imgfs_mode_ft(mode_t mode);

/* bmap.c */
/*
 * The physical block of logical block lblk of ip: 0 for a hole (FIND), or a
 * new block, zeroed in the cache (ALLOC) or left as the image has it (RAW:
 * the caller writes it whole before anyone reads it; indirect blocks are
 * zeroed all the same).  -EFBIG past the map.
 */
enum imgfs_map { IMGFS_MAP_FIND, IMGFS_MAP_ALLOC, IMGFS_MAP_RAW };
int imgfs_bmap(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, enum imgfs_map how,
	       uint32_t *pblk);
/*
 * As imgfs_bmap, for up to max blocks from lblk on: how many of them follow
 * *pblk on the image (or are a hole with it, *pblk 0), at least 1; RAW
 * takes the free blocks after *pblk for empty slots.  Or -errno.
 */
long imgfs_bmap_run(struct imgfs *fs, struct imgfs_inode *ip, uint64_t lblk, uint64_t max,
		    enum imgfs_map how, uint32_t *pblk);
/* Free every block of ip from logical block from on, indirect blocks included. */
int imgfs_trunc_blocks(struct imgfs *fs, struct imgfs_inode *ip, uint64_t from);
/* Whether ip's i_block holds block addresses (not a fast symlink or a device). */
bool imgfs_has_blocks(const struct imgfs *fs, const struct imgfs_inode *ip);
/* The largest file size the block map can address. */
uint64_t imgfs_max_size(const struct imgfs *fs);

/* dir.c */
int imgfs_dir_find(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len,
		   uint32_t *ino);
int imgfs_dir_add(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len,
		  uint32_t ino, mode_t mode);
int imgfs_dir_remove(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len);
/* Point the existing entry name at ino (rename over a target, "..").  */
int imgfs_dir_set(struct imgfs *fs, struct imgfs_inode *dp, const char *name, size_t len,
		  uint32_t ino, mode_t mode);
/* 1 when dp holds only "." and "..", 0 when not, or -errno. */
int imgfs_dir_empty(struct imgfs *fs, struct imgfs_inode *dp);
/* Write the first block of a new directory: "." and "..". */
int imgfs_dir_init(struct imgfs *fs, struct imgfs_inode *dp, uint32_t parent);
int imgfs_check_name(const char *name, size_t *len);

/*
 * ip's in-inode attribute space (what ext4 and e2fsprogs keep past
 * i_extra_isize in a large inode) into buf[fs->isize] when buf is not
 * NULL, and zeroed on the image when clear: its length (0: none) or -errno.
 */
int imgfs_ibody(struct imgfs *fs, struct imgfs_inode *ip, uint8_t *buf, bool clear);
/* xattr.c: drop ip's hold on its attribute block (i_file_acl), freeing it when it was the last. */
int imgfs_xattr_drop(struct imgfs *fs, struct imgfs_inode *ip);
/* Forget the in-memory copy and free the inode's blocks and the inode (nlink 0, unpinned). */
int imgfs_ievict(struct imgfs *fs, struct imgfs_inode *ip);
