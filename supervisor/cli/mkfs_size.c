/*
 * How big an image a tree needs (uos mkfs's "needs at least N MiB"): the
 * tree is measured (a directory walked, a tar file's headers read) and the
 * smallest size found whose ext2 layout, as mke2fs makes it with its
 * default types (floppy below 3 MiB, small below 512 MiB: 1 KiB blocks, an
 * inode per 8 or 4 KiB; else 4 KiB blocks, an inode per 16 KiB; 256-byte
 * inodes), has the blocks and inodes the tree takes.  The measure errs on
 * the large side: hard links count as copies, every directory entry as 64
 * bytes, and a margin covers what the layout keeps for itself.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkfs.h"

#define MIB (1ULL << 20)
#define MAX_SIZE (1ULL << 50)
#define ENTRY_BYTES 64 /* a directory entry, with room for a long name */

/* What a tree takes: entries, and blocks (data, indirect, directories) at 1, 2 and 4 KiB. */
struct tree {
	uint64_t nfiles;
	uint64_t blocks[3];
};

/* Blocks a file of size bytes takes at block size bs, indirect blocks too. */
static uint64_t file_blocks(uint64_t size, unsigned bs)
{
	uint64_t data = (size + bs - 1) / bs, apb = bs / 4;

	return data + (data > 12 ? (data - 12 + apb - 1) / apb + 1 : 0);
}

static void tree_add(struct tree *t, uint64_t size, bool isdir)
{
	t->nfiles++;
	for (int i = 0; i < 3; i++) {
		unsigned bs = 1024u << i;

		/* the file, and a block of directory entries for every bs / ENTRY_BYTES */
		t->blocks[i] += isdir ? 1 : file_blocks(size, bs);
		t->blocks[i] += t->nfiles % (bs / ENTRY_BYTES) == 0;
	}
}

/* Add directory dfd's entries (consumed), recursively. */
static void scan_dir(int dfd, struct tree *t)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	struct stat st;

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		tree_add(t, S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) ? (uint64_t)st.st_size : 0,
			 S_ISDIR(st.st_mode));
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				scan_dir(sub, t);
		}
	}
	closedir(d);
}

/* A tar file's entries: its headers, read in turn, each followed by its data. */
static void scan_tar(int fd, struct tree *t)
{
	unsigned char h[512];
	char num[13];
	off_t off = 0;

	while (pread(fd, h, sizeof(h), off) == (ssize_t)sizeof(h) && h[0]) {
		memcpy(num, h + 124, 12);
		num[12] = 0;
		uint64_t size = strtoull(num, NULL, 8);
		char type = (char)h[156];

		if (!strchr("LKxg", type) || !type)
			tree_add(t, type == '0' || type == '7' || !type ? size : 0, type == '5');
		off += 512 + (off_t)((size + 511) / 512 * 512);
	}
}

/* Whether an image of size bytes (block size bs, 0: mke2fs's choice) holds t. */
static bool fits(const struct tree *t, uint64_t size, unsigned bs)
{
	uint64_t ratio = size < 3 * MIB ? 8192 : size < 512 * MIB ? 4096 : 16384;
	uint64_t inodes = size / ratio, meta, nblocks;
	int i;

	if (!bs)
		bs = size < 512 * MIB ? 1024 : 4096;
	i = bs == 1024 ? 0 : bs == 2048 ? 1 : 2;
	/* inode tables, bitmaps, descriptors and reserved ones: a generous share */
	meta = inodes * 256 / bs + size / bs / 32 + 64;
	nblocks = size / bs;
	return t->nfiles + 16 <= inodes && t->blocks[i] + meta <= nblocks;
}

/* The sizes tried: whole MiB, at most a sixteenth apart. */
static uint64_t next_size(uint64_t size)
{
	uint64_t step = size / 16 / MIB * MIB;

	return size + (step > MIB ? step : MIB);
}

unsigned long long mkfs_needed(const char *from, unsigned bs)
{
	struct tree t = {0};
	struct stat st;
	int fd = open(from, O_RDONLY | O_CLOEXEC);
	uint64_t size;

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		scan_dir(fd, &t); /* consumes fd */
	} else {
		if (S_ISREG(st.st_mode))
			scan_tar(fd, &t);
		close(fd);
		if (!S_ISREG(st.st_mode))
			return 0; /* a stream (stdin) cannot be read twice */
	}
	for (size = MIB; size < MAX_SIZE; size = next_size(size))
		if (fits(&t, size, bs))
			return size;
	return 0;
}
