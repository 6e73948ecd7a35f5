/*
 * What a path or a file is: the stat family and statx, the access family,
 * readlink, statfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdtable.h"
#include "gmem.h"
#include "gpath.h"
#include "handlers.h"
#include "vfs.h"

static long put_stat(struct task *t, unsigned long ubuf, const struct stat *st)
{
	return gmem_write(t, ubuf, st, sizeof(*st)) ? -EFAULT : 0;
}

static long do_fstatat(struct task *t, int dirfd, unsigned long upath, int atflags,
		       unsigned long ubuf)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	struct stat st;
	int err;

	path[0] = '\0'; /* an initialiser would clear all 4 KiB, every call */
	if (atflags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (upath || !(atflags & AT_EMPTY_PATH)) {
		err = gpath_get(t, path, upath);
		if (err)
			return err;
	}
	if (!path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		err = fdt_fget(t, dirfd, false, &dir);
	} else {
		err = gpath_at_dir(t, dirfd, path, &dir);
	}
	if (!err)
		err = vfs_stat(&t->vc, dir, path, atflags, &st);
	return err ? err : put_stat(t, ubuf, &st);
}

long sys_stat(struct task *t, const struct sysargs *a)
{
	return do_fstatat(t, AT_FDCWD, a->a[0], 0, a->a[1]);
}

long sys_lstat(struct task *t, const struct sysargs *a)
{
	return do_fstatat(t, AT_FDCWD, a->a[0], AT_SYMLINK_NOFOLLOW, a->a[1]);
}

long sys_newfstatat(struct task *t, const struct sysargs *a)
{
	return do_fstatat(t, (int)a->a[0], a->a[1], (int)a->a[3], a->a[2]);
}

long sys_fstat(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct stat st;
	int err = fdt_fget(t, (int)a->a[0], false, &f);

	if (!err)
		err = vfs_fstat(f, &st);
	return err ? err : put_stat(t, a->a[1], &st);
}

static void fill_statx(const struct stat *st, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (uint32_t)st->st_blksize;
	sx->stx_nlink = (uint32_t)st->st_nlink;
	sx->stx_uid = st->st_uid;
	sx->stx_gid = st->st_gid;
	sx->stx_mode = (uint16_t)st->st_mode;
	sx->stx_ino = st->st_ino;
	sx->stx_size = (uint64_t)st->st_size;
	sx->stx_blocks = (uint64_t)st->st_blocks;
	sx->stx_atime = (struct statx_timestamp){st->st_atim.tv_sec, (uint32_t)st->st_atim.tv_nsec};
	sx->stx_mtime = (struct statx_timestamp){st->st_mtim.tv_sec, (uint32_t)st->st_mtim.tv_nsec};
	sx->stx_ctime = (struct statx_timestamp){st->st_ctim.tv_sec, (uint32_t)st->st_ctim.tv_nsec};
	sx->stx_rdev_major = major(st->st_rdev);
	sx->stx_rdev_minor = minor(st->st_rdev);
	sx->stx_dev_major = major(st->st_dev);
	sx->stx_dev_minor = minor(st->st_dev);
}

long sys_statx(struct task *t, const struct sysargs *a)
{
	int dirfd = (int)a->a[0], atflags = (int)a->a[2];
	unsigned int mask = (unsigned int)a->a[3];
	char path[PATH_MAX];
	struct vfs_file *dir;
	struct statx sx;
	struct stat st;
	int err;

	path[0] = '\0';
	if (atflags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((atflags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & 0x80000000u))
		return -EINVAL;
	if (a->a[1] || !(atflags & AT_EMPTY_PATH)) {
		err = gpath_get(t, path, a->a[1]);
		if (err)
			return err;
	}
	if (!path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	else
		err = gpath_at_dir(t, dirfd, path, &dir);
	if (!err)
		err = vfs_stat(&t->vc, dir, path, atflags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH),
			       &st);
	if (err)
		return err;
	fill_statx(&st, &sx);
	return gmem_write(t, a->a[4], &sx, sizeof(sx)) ? -EFAULT : 0;
}

/* access family. */

static long do_access(struct task *t, int dirfd, unsigned long upath, int mode, int atflags)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (atflags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = gpath_at(t, dirfd, upath, path, &dir);
	if (!err && !path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	return err ? err : vfs_access(&t->vc, dir, path, mode, atflags);
}

long sys_access(struct task *t, const struct sysargs *a)
{
	return do_access(t, AT_FDCWD, a->a[0], (int)a->a[1], 0);
}

long sys_faccessat(struct task *t, const struct sysargs *a)
{
	return do_access(t, (int)a->a[0], a->a[1], (int)a->a[2], 0);
}

long sys_faccessat2(struct task *t, const struct sysargs *a)
{
	return do_access(t, (int)a->a[0], a->a[1], (int)a->a[2], (int)a->a[3]);
}

static long do_readlink(struct task *t, int dirfd, unsigned long upath, unsigned long ubuf,
			long size)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct vfs_file *dir;
	int err;

	if ((int)size <= 0)
		return -EINVAL;
	err = gpath_at(t, dirfd, upath, path, &dir);
	if (err)
		return err;
	long len = vfs_readlink(&t->vc, dir, path, target, sizeof(target));
	if (len < 0)
		return len;
	if (len > (int)size)
		len = (int)size;
	return gmem_write(t, ubuf, target, (size_t)len) ? -EFAULT : len;
}

long sys_readlink(struct task *t, const struct sysargs *a)
{
	return do_readlink(t, AT_FDCWD, a->a[0], a->a[1], (long)a->a[2]);
}

long sys_readlinkat(struct task *t, const struct sysargs *a)
{
	return do_readlink(t, (int)a->a[0], a->a[1], a->a[2], (long)a->a[3]);
}

long sys_statfs(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	struct statfs sf;
	int err = gpath_get(t, path, a->a[0]);

	if (!err)
		err = vfs_statfs(&t->vc, NULL, path, &sf);
	if (err)
		return err;
	return gmem_write(t, a->a[1], &sf, sizeof(sf)) ? -EFAULT : 0;
}

long sys_fstatfs(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct statfs sf;
	int err = fdt_fget(t, (int)a->a[0], false, &f);

	if (!err)
		err = vfs_fstatfs(&t->vc, f, &sf);
	if (err)
		return err;
	return gmem_write(t, a->a[1], &sf, sizeof(sf)) ? -EFAULT : 0;
}
