/*
 * What tmpfs.c and tmpfs_budget.c share: the superblock and inode structs
 * (see tmpfs.c) and the accounting of file pages against the budget.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "vfs_impl.h"
#include "xattr_list.h"

#define TMPFS_PAGE 4096

struct tmpfs_sb {
	int refs; /* the mount and every inode */
	struct memcg *cg; /* the budget its data is charged to (NULL: none) */
	unsigned long next_ino;
	dev_t dev;
	struct tmpfs_inode *root;
};

struct tmpfs_dirent {
	char *name;
	struct tmpfs_inode *ip;
	long cookie; /* the getdents position of this entry */
};

struct tmpfs_inode {
	int refs;
	nlink_t nlink;
	struct tmpfs_sb *ts;
	unsigned long ino;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	struct timespec atime, mtime, ctime;
	off_t size;
	unsigned long charged; /* bytes of data charged (MEMCG_TMPFS) */
	blkcnt_t blocks; /* the memfd's st_blocks at the last recharge: stat's, while not mapped */
	unsigned extra_links;  /* hard links beyond the first, each an inode's worth */
	bool mapped;  /* the memfd was handed out: [0, size) is charged whole */
	int memfd;    /* regular files: the pages, or -1 before the first need */
	unsigned int seals; /* F_SEAL_*, also set on memfd (the host enforces them on mappings) */
	char *target; /* symlinks */
	struct tmpfs_dirent *ents; /* directories */
	int nents, cap;
	long next_cookie;
	struct xattr_list xattrs; /* user.*, trusted.*, security.* */
};

/* size rounded up to whole pages, in bytes. */
static inline size_t tmpfs_pages(off_t size)
{
	return ((size_t)size + TMPFS_PAGE - 1) & ~(size_t)(TMPFS_PAGE - 1);
}

/* The budget's room, in pages. */
unsigned long tmpfs_room_pages(struct tmpfs_inode *ip);
/*
 * Pages of [lo, hi) that ip's charge does not cover: the memfd's holes
 * (found with SEEK_DATA, which sees nothing at or past the size, so pages
 * there count as holes), less [0, size) once mapped.  The scan stops when
 * the count would pass budget pages; *stop is then the first page that
 * does not fit, else hi.
 */
unsigned long tmpfs_uncharged(struct tmpfs_inode *ip, off_t lo, off_t hi, unsigned long budget,
			      off_t *stop);
/*
 * Bring ip's charge to what its memfd holds now: st_blocks, plus the holes
 * of [0, size) once mapped.  The pages exist already, so it is forced.
 */
void tmpfs_recharge(struct tmpfs_inode *ip);
/*
 * How much of a write of len bytes at off fits the budget (the new pages
 * it backs; of a mapped file, all of [size, off+len) too): len, a shorter
 * count, or -ENOSPC when not one byte does.
 */
long tmpfs_fits(struct tmpfs_inode *ip, off_t off, size_t len);
/* Whether backing [lo, hi) of ip (and, mapped, [size, hi)) fits the budget. */
bool tmpfs_range_fits(struct tmpfs_inode *ip, off_t lo, off_t hi);
