/*
 * Mounting an ext2 image: the superblock and group descriptors are read,
 * checked against each other and against the image's size, and kept in
 * memory (struct imgfs); they go back to the image on imgfs_sync and
 * imgfs_unmount.  Features imgfs does not implement are refused here with a
 * message, so later code can trust the geometry: group g's bitmaps and inode
 * table lie inside the image, counts fit their groups.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "imgfs_impl.h"

#define KNOWN_INCOMPAT EXT2_FEATURE_INCOMPAT_FILETYPE
#define KNOWN_RO_COMPAT (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

static int refuse(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int check_features(const struct ext2_super_block *sb, bool writable, char *why, size_t wl)
{
	uint32_t inc = sb->s_feature_incompat;

	if (sb->s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL)
		return refuse(why, wl, "the image has a journal (ext3/ext4): not supported");
	if (inc & (EXT3_FEATURE_INCOMPAT_RECOVER | EXT3_FEATURE_INCOMPAT_JOURNAL_DEV))
		return refuse(why, wl, "the image uses a journal (ext3/ext4): not supported");
	if (inc & EXT4_FEATURE_INCOMPAT_EXTENTS)
		return refuse(why, wl, "the image uses extents (ext4): not supported");
	if (inc & ~KNOWN_INCOMPAT)
		return refuse(why, wl, "unsupported incompatible features 0x%x",
			      inc & ~KNOWN_INCOMPAT);
	if (writable && (sb->s_feature_ro_compat & ~KNOWN_RO_COMPAT))
		return refuse(why, wl, "unsupported read-only features 0x%x: mount read-only",
			      sb->s_feature_ro_compat & ~KNOWN_RO_COMPAT);
	return 0;
}

static int check_geometry(struct imgfs *fs, uint64_t fsize, char *why, size_t wl)
{
	const struct ext2_super_block *sb = &fs->sb;
	uint64_t ngroups;

	if (sb->s_magic != EXT2_SUPER_MAGIC)
		return refuse(why, wl, "not an ext2 image (bad superblock magic)");
	if (sb->s_rev_level != EXT2_DYNAMIC_REV)
		return refuse(why, wl, "ext2 revision %u: only revision 1 is supported",
			      sb->s_rev_level);
	if (sb->s_log_block_size > 2)
		return refuse(why, wl, "block size 1024<<%u: only 1, 2 and 4 KiB are supported",
			      sb->s_log_block_size);
	fs->bs = 1024u << sb->s_log_block_size;
	fs->apb = fs->bs / 4;
	fs->isize = sb->s_inode_size;
	if (fs->isize != 128 && fs->isize != 256)
		return refuse(why, wl, "inode size %u: only 128 and 256 are supported", fs->isize);
	if (sb->s_first_data_block != (fs->bs == 1024 ? 1u : 0u))
		return refuse(why, wl, "bad first data block %u", sb->s_first_data_block);
	if (!sb->s_blocks_per_group || sb->s_blocks_per_group > 8 * fs->bs ||
	    !sb->s_inodes_per_group || sb->s_inodes_per_group > 8 * fs->bs ||
	    (sb->s_inodes_per_group * fs->isize) % fs->bs)
		return refuse(why, wl, "bad group geometry");
	if (sb->s_blocks_count <= sb->s_first_data_block + 2 || sb->s_blocks_count_hi)
		return refuse(why, wl, "bad block count %u", sb->s_blocks_count);
	ngroups = (sb->s_blocks_count - sb->s_first_data_block + sb->s_blocks_per_group - 1) /
		  sb->s_blocks_per_group;
	if ((uint64_t)ngroups * sb->s_inodes_per_group != sb->s_inodes_count)
		return refuse(why, wl, "inode count %u does not match %llu groups",
			      sb->s_inodes_count, (unsigned long long)ngroups);
	if ((uint64_t)sb->s_blocks_count * fs->bs > fsize)
		return refuse(why, wl, "the image file (%llu bytes) is smaller than its %u blocks",
			      (unsigned long long)fsize, sb->s_blocks_count);
	if (sb->s_first_ino < 11 || sb->s_first_ino >= sb->s_inodes_count)
		return refuse(why, wl, "bad first inode %u", sb->s_first_ino);
	if (sb->s_free_blocks_count > sb->s_blocks_count ||
	    sb->s_free_inodes_count > sb->s_inodes_count ||
	    sb->s_r_blocks_count > sb->s_blocks_count)
		return refuse(why, wl, "free counts larger than totals");
	fs->ngroups = ngroups;
	fs->gdt_blocks = (ngroups * sizeof(struct ext2_group_desc) + fs->bs - 1) / fs->bs;
	return 0;
}

static int check_group(const struct imgfs *fs, uint32_t g, char *why, size_t wl)
{
	const struct ext2_group_desc *gd = &fs->gd[g];
	uint32_t n = fs->sb.s_blocks_count;
	uint32_t itb = fs->sb.s_inodes_per_group * fs->isize / fs->bs;

	if (!imgfs_block_valid(fs, gd->bg_block_bitmap) ||
	    !imgfs_block_valid(fs, gd->bg_inode_bitmap) ||
	    !imgfs_block_valid(fs, gd->bg_inode_table) || gd->bg_inode_table + (uint64_t)itb > n)
		return refuse(why, wl, "group %u: bitmap or inode table outside the image", g);
	if (gd->bg_free_blocks_count > fs->sb.s_blocks_per_group ||
	    gd->bg_free_inodes_count > fs->sb.s_inodes_per_group ||
	    gd->bg_used_dirs_count > fs->sb.s_inodes_per_group)
		return refuse(why, wl, "group %u: counts larger than the group", g);
	return 0;
}

static int read_groups(struct imgfs *fs, char *why, size_t wl)
{
	size_t bytes = (size_t)fs->gdt_blocks * fs->bs;
	off_t at = (off_t)(fs->sb.s_first_data_block + 1) * fs->bs;
	uint32_t g;
	int err;

	if (fs->sb.s_first_data_block + 1 + fs->gdt_blocks >= fs->sb.s_blocks_count)
		return refuse(why, wl, "group descriptors outside the image");
	fs->gd = malloc(bytes);
	if (!fs->gd)
		return -ENOMEM;
	if (pread(fs->fd, fs->gd, bytes, at) != (ssize_t)bytes)
		return refuse(why, wl, "cannot read the group descriptors");
	for (g = 0; g < fs->ngroups; g++) {
		err = check_group(fs, g, why, wl);
		if (err)
			return err;
	}
	return 0;
}

static int check_root(struct imgfs *fs, char *why, size_t wl)
{
	struct stat st;
	int err = imgfs_getattr(fs, EXT2_ROOT_INO, &st);

	if (err || !S_ISDIR(st.st_mode))
		return refuse(why, wl, "the root inode is not a directory");
	return 0;
}

/* Map the image for imgfs_read_mapped; without the mapping, reads copy. */
static void map_image(struct imgfs *fs, size_t len)
{
	void *m = len ? mmap(NULL, len, PROT_READ, MAP_SHARED, fs->fd, 0) : MAP_FAILED;

	if (m != MAP_FAILED) {
		fs->map = m;
		fs->maplen = len;
	}
}

static int mount_fs(struct imgfs *fs, char *why, size_t wl)
{
	struct stat st;
	int err;

	if (fstat(fs->fd, &st) < 0)
		return refuse(why, wl, "cannot stat the image");
	if (pread(fs->fd, &fs->sb, sizeof(fs->sb), EXT2_SUPER_OFFSET) != sizeof(fs->sb))
		return refuse(why, wl, "the image is too small for an ext2 superblock");
	err = check_geometry(fs, st.st_size, why, wl);
	if (!err)
		err = check_features(&fs->sb, fs->writable, why, wl);
	if (!err)
		err = read_groups(fs, why, wl);
	if (!err)
		err = imgfs_cache_init(fs);
	if (!err)
		err = check_root(fs, why, wl);
	if (!err)
		map_image(fs, (size_t)st.st_size);
	return err;
}

int imgfs_mount(int fd, bool writable, struct imgfs **out, char *why, size_t whylen)
{
	struct imgfs *fs = calloc(1, sizeof(*fs));
	int err;

	if (!fs)
		return -ENOMEM;
	fs->fd = fd;
	fs->writable = writable;
	err = mount_fs(fs, why, whylen);
	if (err) {
		imgfs_cache_fini(fs);
		free(fs->gd);
		free(fs);
		return err;
	}
	*out = fs;
	return 0;
}

/* Put the superblock and the group descriptors into the cache. */
static int stage_super(struct imgfs *fs)
{
	struct imgfs_buf *b;
	uint32_t i, sbblk = EXT2_SUPER_OFFSET / fs->bs, sboff = EXT2_SUPER_OFFSET % fs->bs;
	int err;

	for (i = 0; fs->gd_dirty && i < fs->gdt_blocks; i++) {
		err = imgfs_bread(fs, fs->sb.s_first_data_block + 1 + i, &b);
		if (err)
			return err;
		memcpy(b->data, (uint8_t *)fs->gd + (size_t)i * fs->bs, fs->bs);
		imgfs_bdirty(b);
		imgfs_brelse(fs, b);
	}
	fs->gd_dirty = false;
	if (!fs->sb_dirty)
		return 0;
	err = imgfs_bread(fs, sbblk, &b);
	if (err)
		return err;
	fs->sb.s_wtime = imgfs_now();
	memcpy(b->data + sboff, &fs->sb, sizeof(fs->sb));
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	fs->sb_dirty = false;
	return 0;
}

int imgfs_flush(struct imgfs *fs)
{
	int err;

	if (!fs->writable)
		return 0;
	err = stage_super(fs);
	if (!err)
		err = imgfs_cache_flush(fs);
	if (!err)
		imgfs_freed_clear(fs);
	return err;
}

int imgfs_writeback(struct imgfs *fs, unsigned age)
{
	int err;

	if (!fs->writable || !imgfs_cache_aged(fs, age))
		return 0;
	err = imgfs_flush(fs);
	return err ? err : 1;
}

int imgfs_balance(struct imgfs *fs)
{
	int err;

	if (!imgfs_cache_over(fs))
		return 0;
	err = imgfs_flush(fs);
	imgfs_cache_trim(fs);
	return err;
}

int imgfs_sync(struct imgfs *fs)
{
	int err = imgfs_flush(fs);

	if (!err && fs->writable && fdatasync(fs->fd) < 0 && errno != EINVAL)
		err = -EIO;
	return err;
}

int imgfs_unmount(struct imgfs *fs)
{
	struct imgfs_inode *ip, *next;
	int err;

	/* Unlinked inodes still pinned (open files) die with the mount. */
	for (ip = fs->inodes; ip; ip = next) {
		next = ip->next;
		if (fs->writable && !ip->d.i_links_count)
			imgfs_ievict(fs, ip);
	}
	err = imgfs_sync(fs);
	for (ip = fs->inodes; ip; ip = next) {
		next = ip->next;
		free(ip);
	}
	imgfs_cache_fini(fs);
	if (fs->map)
		munmap((void *)fs->map, fs->maplen);
	free(fs->gd);
	free(fs);
	return err;
}

void imgfs_set_progress(struct imgfs *fs, struct imgfs_progress *p)
{
	fs->progress = p;
}

unsigned imgfs_block_size(const struct imgfs *fs)
{
	return fs->bs;
}

bool imgfs_writable(const struct imgfs *fs)
{
	return fs->writable;
}

int imgfs_statfs(struct imgfs *fs, struct statfs *sf)
{
	const struct ext2_super_block *sb = &fs->sb;

	memset(sf, 0, sizeof(*sf));
	sf->f_type = EXT2_SUPER_MAGIC;
	sf->f_bsize = fs->bs;
	sf->f_frsize = fs->bs;
	sf->f_blocks = sb->s_blocks_count;
	sf->f_bfree = sb->s_free_blocks_count;
	sf->f_bavail = sb->s_free_blocks_count > sb->s_r_blocks_count
			       ? sb->s_free_blocks_count - sb->s_r_blocks_count
			       : 0;
	sf->f_files = sb->s_inodes_count;
	sf->f_ffree = sb->s_free_inodes_count;
	sf->f_namelen = EXT2_NAME_LEN;
	memcpy(&sf->f_fsid, sb->s_uuid, sizeof(sf->f_fsid));
	sf->f_flags = fs->writable ? 0 : ST_RDONLY;
	return 0;
}
