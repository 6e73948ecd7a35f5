/*
 * In-memory inodes: the on-disk inode of every pinned inode number, kept on
 * one list off struct imgfs.  A change is written to the inode table's
 * cached block at once (imgfs_iupdate), so an unpinned inode can always be
 * dropped from memory.  The last unpin of an inode with no links frees its
 * blocks and the inode itself (imgfs_ievict), as ext2_evict_inode does.
 * Also here: attributes (stat, chmod/chown/utimes), sizes over 4 GiB,
 * device numbers in i_block, the inode's block count, and its times: the
 * seconds in i_[acm]time, and in a large inode (i_extra_isize covering
 * them) the nanoseconds and two more bits of seconds in i_[acm]time_extra,
 * encoded as ext4 does (Linux mounts ext2 images with ext4's driver).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "imgfs_impl.h"

uint32_t imgfs_now(void)
{
	return (uint32_t)time(NULL);
}

/* The time to stamp on an inode now, as Linux's current_time() (coarse). */
static struct timespec now_ts(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return ts;
}

/* Does ip's on-disk inode hold the 32-bit field that ends at byte end? */
static bool fits(const struct imgfs_inode *ip, size_t end)
{
	return EXT2_GOOD_OLD_INODE_SIZE + (size_t)ip->d.i_extra_isize >= end;
}

#define FITS(ip, field) \
	fits((ip), offsetof(struct ext2_inode, field) + sizeof((ip)->d.field))

/* Seconds and nanoseconds from an on-disk time and its extra word (ext4_decode_extra_time). */
static struct timespec decode_time(uint32_t t, const uint32_t *extra)
{
	struct timespec ts = {(int32_t)t, 0};

	if (extra) {
		ts.tv_sec += (int64_t)(*extra & 3) << 32;
		ts.tv_nsec = *extra >> 2;
	}
	return ts;
}

/* The last second an extra word can encode: 2446-05-10 (EXT4_EXTRA_TIMESTAMP_MAX). */
#define EXTRA_TIME_MAX ((1LL << 34) - 1 + INT32_MIN)

/*
 * ts into an on-disk time and, when the inode has it, its extra word
 * (ext4_encode_extra_time).  First clamped as Linux's timestamp_truncate
 * does with ext4's range, so any time a guest sets is stored without
 * overflow: from INT32_MIN to INT32_MAX seconds without the extra word,
 * to EXTRA_TIME_MAX with it, and no nanoseconds at either end.
 */
static void encode_time(uint32_t *t, uint32_t *extra, struct timespec ts)
{
	long long max = extra ? EXTRA_TIME_MAX : INT32_MAX;

	if (ts.tv_sec <= INT32_MIN || ts.tv_sec >= max) {
		ts.tv_sec = ts.tv_sec <= INT32_MIN ? INT32_MIN : max;
		ts.tv_nsec = 0;
	}
	*t = (uint32_t)ts.tv_sec;
	if (extra)
		*extra = (uint32_t)(((ts.tv_sec - (int32_t)ts.tv_sec) >> 32) & 3) |
			 (uint32_t)ts.tv_nsec << 2;
}

/* The extra word of time field f (atime, mtime, ctime) of ip, or NULL. */
#define TIME_EXTRA(ip, f) (FITS(ip, i_##f##_extra) ? &(ip)->d.i_##f##_extra : NULL)
#define GET_TIME(ip, f) decode_time((ip)->d.i_##f, TIME_EXTRA(ip, f))
#define SET_TIME(ip, f, ts) encode_time(&(ip)->d.i_##f, TIME_EXTRA(ip, f), (ts))

static int locate(struct imgfs *fs, uint32_t ino, uint32_t *blk, uint32_t *off)
{
	uint32_t g, idx;
	uint64_t byte;

	if (ino < 1 || ino > fs->sb.s_inodes_count)
		return -EINVAL;
	g = (ino - 1) / fs->sb.s_inodes_per_group;
	idx = (ino - 1) % fs->sb.s_inodes_per_group;
	byte = (uint64_t)idx * fs->isize;
	*blk = fs->gd[g].bg_inode_table + byte / fs->bs;
	*off = byte % fs->bs;
	return 0;
}

static size_t core_size(const struct imgfs *fs)
{
	return fs->isize < sizeof(struct ext2_inode) ? fs->isize : sizeof(struct ext2_inode);
}

static int read_disk(struct imgfs *fs, uint32_t ino, struct ext2_inode *d)
{
	struct imgfs_buf *b;
	uint32_t blk, off;
	int err = locate(fs, ino, &blk, &off);

	if (!err)
		err = imgfs_bread(fs, blk, &b);
	if (err)
		return err;
	memset(d, 0, sizeof(*d));
	memcpy(d, b->data + off, core_size(fs));
	imgfs_brelse(fs, b);
	return 0;
}

static bool valid_type(mode_t m)
{
	return S_ISREG(m) || S_ISDIR(m) || S_ISLNK(m) || S_ISCHR(m) || S_ISBLK(m) ||
	       S_ISFIFO(m) || S_ISSOCK(m);
}

/* An on-disk inode imgfs can use: a known type, no extents, whole directory blocks. */
static int check_disk(const struct imgfs *fs, const struct ext2_inode *d)
{
	if (!d->i_links_count)
		return -ENOENT;
	if (!valid_type(d->i_mode) || (d->i_flags & EXT4_EXTENTS_FL))
		return -EUCLEAN;
	if (S_ISDIR(d->i_mode) && (d->i_size % fs->bs || d->i_size_high))
		return -EUCLEAN;
	return 0;
}

static struct imgfs_inode *find(struct imgfs *fs, uint32_t ino)
{
	struct imgfs_inode *ip;

	for (ip = fs->inodes; ip; ip = ip->next)
		if (ip->ino == ino)
			return ip;
	return NULL;
}

int imgfs_iget_ip(struct imgfs *fs, uint32_t ino, struct imgfs_inode **out)
{
	struct imgfs_inode *ip = find(fs, ino);
	struct ext2_inode d;
	int err;

	if (ip) {
		ip->refs++;
		*out = ip;
		return 0;
	}
	err = read_disk(fs, ino, &d);
	if (!err)
		err = check_disk(fs, &d);
	if (err)
		return err;
	ip = calloc(1, sizeof(*ip));
	if (!ip)
		return -ENOMEM;
	ip->ino = ino;
	ip->refs = 1;
	ip->d = d;
	ip->next = fs->inodes;
	fs->inodes = ip;
	*out = ip;
	return 0;
}

static void unlist(struct imgfs *fs, struct imgfs_inode *ip)
{
	struct imgfs_inode **pp = &fs->inodes;

	while (*pp && *pp != ip)
		pp = &(*pp)->next;
	if (*pp)
		*pp = ip->next;
	free(ip);
}

void imgfs_iput_ip(struct imgfs *fs, struct imgfs_inode *ip)
{
	if (!ip || --ip->refs > 0)
		return;
	if (!ip->d.i_links_count && fs->writable)
		imgfs_ievict(fs, ip);
	else
		unlist(fs, ip);
}

int imgfs_iget(struct imgfs *fs, uint32_t ino)
{
	struct imgfs_inode *ip;

	return imgfs_iget_ip(fs, ino, &ip);
}

void imgfs_iput(struct imgfs *fs, uint32_t ino)
{
	imgfs_iput_ip(fs, find(fs, ino));
}

int imgfs_iupdate(struct imgfs *fs, struct imgfs_inode *ip)
{
	struct imgfs_buf *b;
	uint32_t blk, off;
	int err = locate(fs, ip->ino, &blk, &off);

	if (!err)
		err = imgfs_bread(fs, blk, &b);
	if (err)
		return err;
	memcpy(b->data + off, &ip->d, core_size(fs));
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	return 0;
}

/* Where ip's in-inode attribute space lies in its inode (past i_extra_isize): 0 bytes for none. */
static uint32_t ibody_span(const struct imgfs *fs, const struct imgfs_inode *ip, uint32_t *start)
{
	*start = EXT2_GOOD_OLD_INODE_SIZE + ip->d.i_extra_isize;
	return fs->isize > *start + 4 ? fs->isize - *start : 0;
}

int imgfs_ibody(struct imgfs *fs, struct imgfs_inode *ip, uint8_t *buf, bool clear)
{
	struct imgfs_buf *b;
	uint32_t blk, off, start, len = ibody_span(fs, ip, &start);
	int err = len ? locate(fs, ip->ino, &blk, &off) : 0;

	if (!err && len)
		err = imgfs_bread(fs, blk, &b);
	if (err || !len)
		return err ? err : 0;
	if (buf)
		memcpy(buf, b->data + off + start, len);
	if (clear) {
		memset(b->data + off + start, 0, len);
		imgfs_bdirty(b);
	}
	imgfs_brelse(fs, b);
	return (int)len;
}

/* Zero the whole on-disk inode, in-inode attribute space included. */
static int zero_disk(struct imgfs *fs, uint32_t ino)
{
	struct imgfs_buf *b;
	uint32_t blk, off;
	int err = locate(fs, ino, &blk, &off);

	if (!err)
		err = imgfs_bread(fs, blk, &b);
	if (err)
		return err;
	memset(b->data + off, 0, fs->isize);
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	return 0;
}

int imgfs_inew(struct imgfs *fs, uint32_t ino, mode_t mode, uid_t uid, gid_t gid,
	       struct imgfs_inode **out)
{
	struct imgfs_inode *ip;
	struct timespec now = now_ts();
	int err = zero_disk(fs, ino);

	if (err)
		return err;
	ip = calloc(1, sizeof(*ip));
	if (!ip)
		return -ENOMEM;
	ip->ino = ino;
	ip->refs = 1;
	ip->d.i_mode = mode;
	ip->d.i_uid = uid & 0xffff;
	ip->d.l_i_uid_high = uid >> 16;
	ip->d.i_gid = gid & 0xffff;
	ip->d.l_i_gid_high = gid >> 16;
	if (fs->isize > EXT2_GOOD_OLD_INODE_SIZE)
		ip->d.i_extra_isize = sizeof(struct ext2_inode) - EXT2_GOOD_OLD_INODE_SIZE;
	SET_TIME(ip, atime, now);
	SET_TIME(ip, ctime, now);
	SET_TIME(ip, mtime, now);
	ip->next = fs->inodes;
	fs->inodes = ip;
	*out = ip;
	return 0;
}

int imgfs_ievict(struct imgfs *fs, struct imgfs_inode *ip)
{
	bool dir = S_ISDIR(ip->d.i_mode);
	int err = 0;

	if (imgfs_has_blocks(fs, ip))
		err = imgfs_trunc_blocks(fs, ip, 0);
	if (!err)
		err = imgfs_xattr_drop(fs, ip);
	ip->d.i_size = ip->d.i_size_high = 0;
	ip->d.i_dtime = imgfs_now();
	if (!err)
		err = imgfs_iupdate(fs, ip);
	if (!err)
		err = imgfs_ifree(fs, ip->ino, dir);
	unlist(fs, ip);
	return err;
}

uint64_t imgfs_isize(const struct imgfs_inode *ip)
{
	uint64_t size = ip->d.i_size;

	if (S_ISREG(ip->d.i_mode))
		size |= (uint64_t)ip->d.i_size_high << 32;
	return size;
}

void imgfs_set_isize(struct imgfs *fs, struct imgfs_inode *ip, uint64_t size)
{
	ip->d.i_size = (uint32_t)size;
	if (!S_ISREG(ip->d.i_mode))
		return;
	ip->d.i_size_high = size >> 32;
	if (size > 0x7fffffffu &&
	    !(fs->sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		fs->sb.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		fs->sb_dirty = true;
	}
}

void imgfs_touch(struct imgfs_inode *ip, bool mtime)
{
	struct timespec now = now_ts();

	SET_TIME(ip, ctime, now);
	if (mtime)
		SET_TIME(ip, mtime, now);
}

void imgfs_add_iblocks(struct imgfs *fs, struct imgfs_inode *ip, long nblocks)
{
	ip->d.i_blocks += nblocks * (long)(fs->bs / 512);
}

bool imgfs_fast_symlink(const struct imgfs *fs, const struct imgfs_inode *ip)
{
	uint32_t ea = ip->d.i_file_acl ? fs->bs / 512 : 0;

	return S_ISLNK(ip->d.i_mode) && ip->d.i_blocks - ea == 0;
}

unsigned char imgfs_mode_ft(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG_FILE;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	default: return EXT2_FT_UNKNOWN;
	}
}

static dev_t get_rdev(const struct imgfs_inode *ip)
{
	uint32_t old = ip->d.i_block[0], nw = ip->d.i_block[1];

	if (old)
		return makedev((old >> 8) & 0xff, old & 0xff);
	return makedev((nw & 0xfff00) >> 8, (nw & 0xff) | ((nw >> 12) & 0xfff00));
}

/* The old 8:8 encoding when it fits, else the new one (fs/ext2/inode.c). */
void imgfs_set_rdev(struct imgfs_inode *ip, dev_t rdev)
{
	unsigned maj = major(rdev), min = minor(rdev);

	memset(ip->d.i_block, 0, sizeof(ip->d.i_block));
	if (maj < 256 && min < 256)
		ip->d.i_block[0] = (maj << 8) | min;
	else
		ip->d.i_block[1] = (min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12);
}

int imgfs_getattr(struct imgfs *fs, uint32_t ino, struct stat *st)
{
	struct imgfs_inode *ip;
	int err = imgfs_iget_ip(fs, ino, &ip);

	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = ip->d.i_mode;
	st->st_nlink = ip->d.i_links_count;
	st->st_uid = ip->d.i_uid | (uint32_t)ip->d.l_i_uid_high << 16;
	st->st_gid = ip->d.i_gid | (uint32_t)ip->d.l_i_gid_high << 16;
	st->st_size = imgfs_isize(ip);
	st->st_blocks = ip->d.i_blocks;
	st->st_blksize = fs->bs;
	st->st_atim = GET_TIME(ip, atime);
	st->st_mtim = GET_TIME(ip, mtime);
	st->st_ctim = GET_TIME(ip, ctime);
	if (S_ISCHR(ip->d.i_mode) || S_ISBLK(ip->d.i_mode))
		st->st_rdev = get_rdev(ip);
	imgfs_iput_ip(fs, ip);
	return 0;
}

static int set_size(struct imgfs *fs, struct imgfs_inode *ip, uint64_t size)
{
	if (S_ISDIR(ip->d.i_mode))
		return -EISDIR;
	if (!S_ISREG(ip->d.i_mode))
		return -EINVAL;
	if (size > imgfs_max_size(fs))
		return -EFBIG;
	return imgfs_truncate(fs, ip->ino, size);
}

static void set_ids(struct imgfs_inode *ip, const struct imgfs_attr *a)
{
	if (a->mask & IMGFS_ATTR_MODE)
		ip->d.i_mode = (ip->d.i_mode & S_IFMT) | (a->mode & 07777);
	if (a->mask & IMGFS_ATTR_UID) {
		ip->d.i_uid = a->uid & 0xffff;
		ip->d.l_i_uid_high = a->uid >> 16;
	}
	if (a->mask & IMGFS_ATTR_GID) {
		ip->d.i_gid = a->gid & 0xffff;
		ip->d.l_i_gid_high = a->gid >> 16;
	}
}

int imgfs_setattr(struct imgfs *fs, uint32_t ino, const struct imgfs_attr *a)
{
	struct imgfs_inode *ip;
	int err;

	if (!fs->writable)
		return -EROFS;
	err = imgfs_iget_ip(fs, ino, &ip);
	if (err)
		return err;
	if (a->mask & IMGFS_ATTR_SIZE)
		err = set_size(fs, ip, a->size);
	if (err)
		goto out;
	set_ids(ip, a);
	if (a->mask & IMGFS_ATTR_ATIME)
		SET_TIME(ip, atime, a->atime);
	if (a->mask & IMGFS_ATTR_MTIME)
		SET_TIME(ip, mtime, a->mtime);
	SET_TIME(ip, ctime, a->mask & IMGFS_ATTR_CTIME ? a->ctime : now_ts());
	err = imgfs_iupdate(fs, ip);
out:
	imgfs_iput_ip(fs, ip);
	return err;
}
