/*
 * imgfs: uos's reader and writer of ext2 revision-1 images (ARCHITECTURE
 * point 11), working on a host fd and host buffers only.
 *
 * The API is at the inode level: inodes are named by number, every call
 * returns 0 (or a count) or -errno.  Errors beyond the usual ones: -EUCLEAN
 * for a structure on the image that makes no sense (a corrupt image), -EIO
 * for a failed host read or write, -EROFS for any change on a read-only mount.
 *
 * Lifetimes: imgfs_iget pins an inode (in memory, with its on-disk copy);
 * imgfs_iput unpins it.  An inode whose link count drops to zero while
 * pinned keeps its blocks until the last imgfs_iput, like an open file
 * after unlink.  Every call that takes an inode number pins it itself for
 * the call's duration, so callers pin only to keep an unlinked inode alive.
 *
 * Changes go to a bounded block cache and reach the image on imgfs_sync,
 * imgfs_flush, imgfs_writeback, imgfs_balance and imgfs_unmount (and when
 * one operation dirties several times the cache's bound).  A flush writes everything the cache holds at once, files'
 * bytes before the metadata, so the image it leaves is the consistent state
 * of that moment.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>

struct imgfs;

#define IMGFS_ROOT_INO 2

/* The default bound of the block cache, in bytes. */
#define IMGFS_CACHE_BYTES (16u << 20)

/*
 * Mount the ext2 image on host fd (borrowed: the caller closes it after
 * imgfs_unmount).  writable: allow changes.  On failure returns -errno
 * (-EINVAL for a bad or unsupported image, -EIO for a failed read) and a
 * message saying why in why[whylen].
 */
int imgfs_mount(int fd, bool writable, struct imgfs **out, char *why, size_t whylen);
/*
 * Claim the image on host fd for this use, across processes: exclusively
 * when writable, shared with other readers otherwise (a flock, held
 * until the open file description's last close).  0 (also where the host's
 * filesystem has no locks); -EBUSY when another use holds it, with "in use
 * by process PID (NAME)" in why.
 */
int imgfs_lock(int fd, bool writable, char *why, size_t whylen);
/* Write everything back (when writable) and free fs.  0 or -EIO (fs is freed anyway). */
int imgfs_unmount(struct imgfs *fs);
/* Write every dirty block, the group descriptors and the superblock, then fdatasync.  0 or -EIO. */
int imgfs_sync(struct imgfs *fs);
/* imgfs_sync but for the fdatasync: the image file has every change, the disk may not yet. */
int imgfs_flush(struct imgfs *fs);
/*
 * Periodic writeback: imgfs_flush when some change has waited at least age
 * seconds (the whole cache, so the image stays consistent).  1 when it
 * wrote, 0 when nothing was that old, or -EIO.
 */
int imgfs_writeback(struct imgfs *fs, unsigned age);
/*
 * Between operations: a cache grown past its bound (an operation's dirty
 * blocks are not written half way, see cache.c) is flushed whole and
 * trimmed back.  Cheap when within the bound.  0 or -EIO.
 */
int imgfs_balance(struct imgfs *fs);
/* Bound the block cache to bytes (at least 64 blocks). */
void imgfs_set_cache_limit(struct imgfs *fs, size_t bytes);
/* The block size. */
unsigned imgfs_block_size(const struct imgfs *fs);
/* Whether the image is mounted writable. */
bool imgfs_writable(const struct imgfs *fs);

/* Pin inode ino: 0, -EINVAL (ino out of range), -ENOENT (free inode), -EUCLEAN. */
int imgfs_iget(struct imgfs *fs, uint32_t ino);
/* Unpin ino; the last unpin of an unlinked inode frees it. */
void imgfs_iput(struct imgfs *fs, uint32_t ino);

/*
 * Extended attributes of ino (xattr.c), by full name ("user.k"): user.*,
 * trusted.*, security.* and the POSIX ACLs (system.posix_acl_access,
 * _default: their xattr form; others -EOPNOTSUPP).  get and list as
 * getxattr(2)/listxattr(2) (size 0: the length); set with flags 1
 * (XATTR_CREATE: -EEXIST) or 2 (XATTR_REPLACE: -ENODATA), value NULL
 * removes (-ENODATA if absent); -ERANGE for a value past a block, -ENOSPC
 * when the block is full, -EROFS on a read-only image.
 */
long imgfs_getxattr(struct imgfs *fs, uint32_t ino, const char *name, void *buf, size_t size);
long imgfs_listxattr(struct imgfs *fs, uint32_t ino, char *buf, size_t size);
int imgfs_setxattr(struct imgfs *fs, uint32_t ino, const char *name, const void *value,
		   size_t size, int flags);

/* stat(2) data of ino (st_dev left 0, st_blksize the block size). */
int imgfs_getattr(struct imgfs *fs, uint32_t ino, struct stat *st);

#define IMGFS_ATTR_MODE 1  /* the permission bits of mode (and S_ISUID ...) */
#define IMGFS_ATTR_UID 2
#define IMGFS_ATTR_GID 4
#define IMGFS_ATTR_SIZE 8  /* truncate: -EISDIR / -EINVAL unless regular */
#define IMGFS_ATTR_ATIME 16
#define IMGFS_ATTR_MTIME 32
#define IMGFS_ATTR_CTIME 64 /* otherwise any change sets ctime to now */
struct imgfs_attr {
	unsigned mask;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint64_t size;
	struct timespec atime, mtime, ctime;
};
/* Change what attr->mask names.  0, -EFBIG, -ENOSPC, -EROFS, -EUCLEAN. */
int imgfs_setattr(struct imgfs *fs, uint32_t ino, const struct imgfs_attr *attr);

/* Read up to len bytes at off of a regular file: the count (0 at EOF), holes read as zeros. */
long imgfs_read(struct imgfs *fs, uint32_t ino, void *buf, size_t len, uint64_t off);
/*
 * Where up to len bytes at off of a regular file lie in the image's
 * mapping: a run of the file's blocks together on the image with no buffer
 * in the cache.  Their count with *at (valid until the next imgfs call), 0
 * at EOF, or -EAGAIN when the first block is a hole, cached or unmapped:
 * imgfs_read them.
 */
long imgfs_read_mapped(struct imgfs *fs, uint32_t ino, size_t len, uint64_t off, const void **at);
/*
 * Write len bytes at off, allocating blocks near the inode and growing the
 * size.  The count written, or -ENOSPC/-EFBIG when nothing could be written
 * (a short count when the image filled up part way).
 */
long imgfs_write(struct imgfs *fs, uint32_t ino, const void *buf, size_t len, uint64_t off);
/* Set the size of a regular file, freeing blocks past it.  -EISDIR, -EINVAL, -EFBIG. */
int imgfs_truncate(struct imgfs *fs, uint32_t ino, uint64_t size);
/* The target of symlink ino into buf[size] (no NUL): its length, or -EINVAL. */
long imgfs_readlink(struct imgfs *fs, uint32_t ino, char *buf, size_t size);
/* Whether the block holding byte off of ino is allocated: 1, 0 (a hole) or -errno. */
int imgfs_mapped(struct imgfs *fs, uint32_t ino, uint64_t off);

/* The inode number of name in directory dir: 0, -ENOENT, -ENOTDIR, -ENAMETOOLONG. */
int imgfs_lookup(struct imgfs *fs, uint32_t dir, const char *name, uint32_t *ino);

/*
 * Called per directory entry by imgfs_readdir: return 0 to go on, nonzero to
 * stop before consuming this entry (it will be returned again at next).
 */
typedef int (*imgfs_filldir_t)(void *ctx, const char *name, size_t namelen, uint32_t ino,
			       unsigned char dtype, uint64_t next);
/*
 * List dir from cookie *pos (0: the start), calling fn per entry ("." and
 * ".." included, as stored).  *pos advances past each consumed entry; a
 * cookie stays valid across changes to the directory.  0 or -errno.
 */
int imgfs_readdir(struct imgfs *fs, uint32_t dir, uint64_t *pos, imgfs_filldir_t fn, void *ctx);

/*
 * Create name in dir: a regular file, FIFO, socket or device (mode's S_IFMT;
 * rdev for devices), owned by uid:gid.  New inode number in *ino.
 * -EEXIST, -ENOSPC, -EMLINK, -ENAMETOOLONG, -ENOTDIR, -EINVAL (bad type).
 */
int imgfs_create(struct imgfs *fs, uint32_t dir, const char *name, mode_t mode, dev_t rdev,
		 uid_t uid, gid_t gid, uint32_t *ino);
/* mkdir: as imgfs_create, with "." and ".." and the parent's link count. */
int imgfs_mkdir(struct imgfs *fs, uint32_t dir, const char *name, mode_t mode, uid_t uid,
		gid_t gid, uint32_t *ino);
/* A symlink to target (fast when shorter than 60 bytes).  -ENAMETOOLONG for a target > block. */
int imgfs_symlink(struct imgfs *fs, uint32_t dir, const char *name, const char *target,
		  uid_t uid, gid_t gid, uint32_t *ino);
/* A new name for ino (not a directory: -EPERM).  -EEXIST, -EMLINK. */
int imgfs_link(struct imgfs *fs, uint32_t ino, uint32_t dir, const char *name);
/* Remove a non-directory name.  -ENOENT, -EISDIR. */
int imgfs_unlink(struct imgfs *fs, uint32_t dir, const char *name);
/* Remove an empty directory.  -ENOENT, -ENOTDIR, -ENOTEMPTY, -EINVAL for "." / "..". */
int imgfs_rmdir(struct imgfs *fs, uint32_t dir, const char *name);

#define IMGFS_RENAME_NOREPLACE 1 /* RENAME_NOREPLACE */
#define IMGFS_RENAME_EXCHANGE 2	 /* RENAME_EXCHANGE */
/*
 * rename(2) within the image, replacing a target as Linux does: -EISDIR,
 * -ENOTDIR, -ENOTEMPTY, -EEXIST (NOREPLACE), -ENOENT, -EINVAL (a directory
 * into itself), -EMLINK.
 */
int imgfs_rename(struct imgfs *fs, uint32_t odir, const char *oname, uint32_t ndir,
		 const char *nname, unsigned flags);

/* statfs(2) data (f_type EXT2_SUPER_MAGIC). */
int imgfs_statfs(struct imgfs *fs, struct statfs *sf);

/*
 * Resolve an absolute or root-relative path inside the image without
 * following any symlink ("." and ".." handled by the directory entries).
 * 0 and *ino, or -ENOENT, -ENOTDIR.
 */
int imgfs_namei(struct imgfs *fs, const char *path, uint32_t *ino);

/*
 * Copy the host directory tree hostdir into the image's root: files (holes
 * kept), directories, symlinks, hard links, devices, FIFOs and sockets, with
 * their modes, owners and times.  0, or -errno with a message in why.
 */
int imgfs_populate_dir(struct imgfs *fs, const char *hostdir, char *why, size_t whylen);
/*
 * What imgfs_populate_dir and imgfs_populate_tar have copied: entries
 * (files, directories, links, ...) and bytes of files' contents; tick, when
 * set, is called after each entry (a progress display).
 */
struct imgfs_progress {
	uint64_t files, bytes;
	void (*tick)(struct imgfs_progress *p);
	void *ctx;
};
/* Count into p from now on (NULL: stop).  p is borrowed until then. */
void imgfs_set_progress(struct imgfs *fs, struct imgfs_progress *p);
/*
 * Unpack a tar stream (ustar, GNU long names, pax headers, as written by
 * tar(1) or docker export) read from host fd into the image's root, with
 * owners, modes, times, symlinks and hard links.  0, or -errno and why.
 */
int imgfs_populate_tar(struct imgfs *fs, int fd, char *why, size_t whylen);
