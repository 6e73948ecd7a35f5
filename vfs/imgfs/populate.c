/*
 * Filling an image from a host directory tree (uos mkfs --from DIR): a
 * depth-first copy through the imgfs API only.  Hard links are found by
 * the host (st_dev, st_ino) of files with more than one link; all-zero
 * blocks of a file stay holes; a directory's times are set after its
 * contents are in, since adding them changes its mtime.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imgfs_impl.h"

struct hardlink {
	dev_t dev;
	ino_t hino;
	uint32_t ino;
};

struct pop {
	struct imgfs *fs;
	char *why;
	size_t whylen;
	struct hardlink *links;
	size_t nlinks, cap;
};

static int fail(struct pop *p, int err, const char *what, const char *name)
{
	if (p->why && p->whylen)
		snprintf(p->why, p->whylen, "%s %s: %s", what, name, strerror(-err));
	return err;
}

static int set_attrs(struct imgfs *fs, uint32_t ino, const struct stat *st)
{
	struct imgfs_attr a = {
		.mask = IMGFS_ATTR_MODE | IMGFS_ATTR_UID | IMGFS_ATTR_GID | IMGFS_ATTR_ATIME |
			IMGFS_ATTR_MTIME,
		.mode = st->st_mode, .uid = st->st_uid, .gid = st->st_gid,
		.atime = st->st_atim, .mtime = st->st_mtim,
	};

	return imgfs_setattr(fs, ino, &a);
}

static bool all_zero(const char *buf, size_t n)
{
	return n && buf[0] == 0 && !memcmp(buf, buf + 1, n - 1);
}

static int copy_data(struct imgfs *fs, uint32_t ino, int hfd)
{
	char *buf = malloc(1 << 16);
	uint64_t off = 0;
	ssize_t n;
	long w;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (!err && (n = pread(hfd, buf, 1 << 16, off)) > 0) {
		w = all_zero(buf, n) ? n : imgfs_write(fs, ino, buf, n, off);
		if (w != n)
			err = w < 0 ? (int)w : -ENOSPC;
		off += n;
	}
	free(buf);
	if (!err && n < 0)
		err = -errno;
	/* The size, when the file ends in a hole. */
	return err ? err : imgfs_truncate(fs, ino, off);
}

static int remember(struct pop *p, const struct stat *st, uint32_t ino)
{
	if (st->st_nlink < 2)
		return 0;
	if (p->nlinks == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct hardlink *n = realloc(p->links, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->links = n;
		p->cap = cap;
	}
	p->links[p->nlinks++] = (struct hardlink){st->st_dev, st->st_ino, ino};
	return 0;
}

static uint32_t linked(const struct pop *p, const struct stat *st)
{
	size_t i;

	for (i = 0; st->st_nlink > 1 && i < p->nlinks; i++)
		if (p->links[i].dev == st->st_dev && p->links[i].hino == st->st_ino)
			return p->links[i].ino;
	return 0;
}

static int copy_file(struct pop *p, int dfd, const char *name, const struct stat *st,
		     uint32_t *ino)
{
	int hfd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), err;

	if (hfd < 0)
		return -errno;
	err = copy_data(p->fs, *ino, hfd);
	close(hfd);
	return err;
}

static int copy_tree(struct pop *p, int dfd, uint32_t dir);

/* Create the image's copy of host entry name of dfd in dir. */
static int copy_entry(struct pop *p, int dfd, uint32_t dir, const char *name)
{
	char target[4096];
	struct stat st;
	uint32_t ino;
	ssize_t n;
	int err, sub;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(p, -errno, "stat", name);
	ino = linked(p, &st);
	if (ino) {
		err = imgfs_link(p->fs, ino, dir, name);
		if (!err)
			imgfs_note_copied(p->fs, 0);
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		err = imgfs_mkdir(p->fs, dir, name, st.st_mode, st.st_uid, st.st_gid, &ino);
		if (err == -EEXIST) /* lost+found */
			err = imgfs_lookup(p->fs, dir, name, &ino);
		sub = err ? -1 : openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (!err && sub < 0)
			err = -errno;
		if (!err) {
			err = copy_tree(p, sub, ino);
			close(sub);
		}
	} else if (S_ISLNK(st.st_mode)) {
		n = readlinkat(dfd, name, target, sizeof(target) - 1);
		err = n < 0 ? -errno : 0;
		if (!err) {
			target[n] = 0;
			err = imgfs_symlink(p->fs, dir, name, target, st.st_uid, st.st_gid, &ino);
		}
	} else {
		err = imgfs_create(p->fs, dir, name, st.st_mode, st.st_rdev, st.st_uid, st.st_gid,
				   &ino);
		if (!err && S_ISREG(st.st_mode))
			err = copy_file(p, dfd, name, &st, &ino);
	}
	if (!err)
		err = remember(p, &st, ino);
	if (!err)
		err = set_attrs(p->fs, ino, &st);
	if (!err)
		imgfs_note_copied(p->fs, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
	return err ? fail(p, err, "copy", name) : 0;
}

static int copy_tree(struct pop *p, int dfd, uint32_t dir)
{
	int fd = dup(dfd), err = 0;
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while (!err && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			err = copy_entry(p, dfd, dir, de->d_name);
	}
	closedir(d);
	return err;
}

int imgfs_populate_dir(struct imgfs *fs, const char *hostdir, char *why, size_t whylen)
{
	struct pop p = {.fs = fs, .why = why, .whylen = whylen};
	struct stat st;
	int dfd = open(hostdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

	if (dfd < 0)
		return fail(&p, -errno, "open", hostdir);
	err = copy_tree(&p, dfd, EXT2_ROOT_INO);
	if (!err && fstat(dfd, &st) == 0)
		err = set_attrs(fs, EXT2_ROOT_INO, &st);
	close(dfd);
	free(p.links);
	return err;
}
