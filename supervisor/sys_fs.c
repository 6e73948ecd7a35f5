/*
 * File system calls that name paths: open and its variants, stat and
 * statx, access, readlink, cwd, getdents, statfs, xattrs, fsync, and the
 * namespace-changing calls (vfs/wops.c keeps Linux's order of errors).
 *
 * Each handler copies its guest arguments in once, validates them, and
 * delegates to vfs/; guest addresses never go below this layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "aio.h"
#include "cred.h"
#include "fdtable.h"
#include "gmem.h"
#include "gtime.h"
#include "rlimit.h"
#include "syscall.h"
#include "vfs.h"

#define XATTR_NAME_MAX_ 255
#define XATTR_SIZE_MAX_ 65536
#define DENTS_MAX (64 * 1024) /* bytes of getdents64 records per call */

/* A guest path into buf[PATH_MAX]: 0, -EFAULT or -ENAMETOOLONG. */
static int get_path(struct task *t, char *buf, unsigned long upath)
{
	long r = gmem_strncpy(t, buf, upath, PATH_MAX);

	return r < 0 ? (int)r : 0;
}

/*
 * The directory a *at call starts from: NULL for AT_FDCWD or an absolute
 * path (Linux ignores dirfd then), else the dirfd's file or -EBADF.
 */
static int at_dir(struct task *t, int dirfd, const char *path, struct vfs_file **dir)
{
	*dir = NULL;
	if (dirfd == AT_FDCWD || path[0] == '/')
		return 0;
	return fdt_fget(t, dirfd, false, dir);
}

/* Copy a path and resolve its dirfd in one go. */
static int at_path(struct task *t, int dirfd, unsigned long upath, char *path,
		   struct vfs_file **dir)
{
	int err = get_path(t, path, upath);

	return err ? err : at_dir(t, dirfd, path, dir);
}

static long do_open(struct task *t, int dirfd, unsigned long upath, int flags, mode_t mode,
		    int wextra)
{
	char path[PATH_MAX];
	struct vfs_file *dir, *f;
	int err;

	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	err = get_path(t, path, upath);
	/* With RESOLVE_IN_ROOT the dirfd is the root, absolute path or not. */
	if (!err)
		err = at_dir(t, dirfd, (wextra & VFS_RESOLVE_IN_ROOT) ? "." : path, &dir);
	if (err)
		return err;
	mode = mode & 07777 & ~t->tg->fs.umask;
	/* glibc's __O_TMPFILE includes O_DIRECTORY: the bit of its own is the one to test. */
	if (flags & O_TMPFILE & ~O_DIRECTORY) {
		/* build_open_flags: O_TMPFILE (with O_DIRECTORY), no O_CREAT, a write mode. */
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || (flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
		err = vfs_open_tmpfile(t, dir, path, flags, mode, &f);
	} else {
		err = vfs_open_resolve(t, dir, path, flags, mode, wextra, &f);
	}
	if (err)
		return err;
	int fd = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), flags & O_CLOEXEC);
	if (fd < 0)
		vfs_file_put(f);
	return fd;
}

long sys_open(struct task *t, const struct sysargs *a)
{
	return do_open(t, AT_FDCWD, a->a[0], (int)a->a[1], (mode_t)a->a[2], 0);
}

long sys_openat(struct task *t, const struct sysargs *a)
{
	return do_open(t, (int)a->a[0], a->a[1], (int)a->a[2], (mode_t)a->a[3], 0);
}

long sys_creat(struct task *t, const struct sysargs *a)
{
	return do_open(t, AT_FDCWD, a->a[0], O_CREAT | O_WRONLY | O_TRUNC, (mode_t)a->a[1], 0);
}

#define OPENAT2_FLAGS                                                                              \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |     \
	 O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |     \
	 O_PATH | O_SYNC | O_TMPFILE)
#define RESOLVE_ALL                                                                                \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |          \
	 RESOLVE_IN_ROOT | RESOLVE_CACHED)

/* openat2's struct open_how: extensible, unknown trailing bytes must be zero. */
static int get_how(struct task *t, unsigned long uhow, size_t size, struct open_how *how)
{
	unsigned char extra[256];

	if (size < sizeof(*how))
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	memset(how, 0, sizeof(*how));
	if (gmem_read(t, how, uhow, sizeof(*how)))
		return -EFAULT;
	for (size_t off = sizeof(*how); off < size; off += sizeof(extra)) {
		size_t n = size - off < sizeof(extra) ? size - off : sizeof(extra);
		if (gmem_read(t, extra, uhow + off, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (extra[i])
				return -E2BIG;
	}
	return 0;
}

long sys_openat2(struct task *t, const struct sysargs *a)
{
	struct open_how how;
	int err = get_how(t, a->a[2], a->a[3], &how);

	if (err)
		return err;
	if ((how.flags & ~(unsigned long long)OPENAT2_FLAGS) || (how.resolve & ~RESOLVE_ALL))
		return -EINVAL;
	if (how.mode & ~07777ULL)
		return -EINVAL;
	if (how.mode && !(how.flags & O_CREAT) && (how.flags & O_TMPFILE) != O_TMPFILE)
		return -EINVAL;
	if ((how.resolve & RESOLVE_BENEATH) && (how.resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (how.resolve & RESOLVE_CACHED)
		return (how.flags & (O_CREAT | O_TRUNC | O_TMPFILE)) ? -EINVAL : -EAGAIN;
	int wextra = 0;
	if (how.resolve & RESOLVE_NO_SYMLINKS)
		wextra |= VFS_RESOLVE_NO_SYMLINKS;
	if (how.resolve & RESOLVE_NO_MAGICLINKS)
		wextra |= VFS_RESOLVE_NO_MAGICLINKS;
	if (how.resolve & RESOLVE_BENEATH)
		wextra |= VFS_RESOLVE_BENEATH;
	if (how.resolve & RESOLVE_NO_XDEV)
		wextra |= VFS_RESOLVE_NO_XDEV;
	if (how.resolve & RESOLVE_IN_ROOT)
		wextra |= VFS_RESOLVE_IN_ROOT;
	return do_open(t, (int)a->a[0], a->a[1], (int)how.flags, (mode_t)how.mode, wextra);
}

/* stat family. */

static long put_stat(struct task *t, unsigned long ubuf, const struct stat *st)
{
	return gmem_write(t, ubuf, st, sizeof(*st)) ? -EFAULT : 0;
}

static long do_fstatat(struct task *t, int dirfd, unsigned long upath, int atflags,
		       unsigned long ubuf)
{
	char path[PATH_MAX] = "";
	struct vfs_file *dir;
	struct stat st;
	int err;

	if (atflags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (upath || !(atflags & AT_EMPTY_PATH)) {
		err = get_path(t, path, upath);
		if (err)
			return err;
	}
	if (!path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		err = fdt_fget(t, dirfd, false, &dir);
	} else {
		err = at_dir(t, dirfd, path, &dir);
	}
	if (!err)
		err = vfs_stat(t, dir, path, atflags, &st);
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
	char path[PATH_MAX] = "";
	struct vfs_file *dir;
	struct statx sx;
	struct stat st;
	int err;

	if (atflags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((atflags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & 0x80000000u))
		return -EINVAL;
	if (a->a[1] || !(atflags & AT_EMPTY_PATH)) {
		err = get_path(t, path, a->a[1]);
		if (err)
			return err;
	}
	if (!path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	else
		err = at_dir(t, dirfd, path, &dir);
	if (!err)
		err = vfs_stat(t, dir, path, atflags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), &st);
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
	err = at_path(t, dirfd, upath, path, &dir);
	if (!err && !path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	return err ? err : vfs_access(t, dir, path, mode, atflags);
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

/* readlink, cwd. */

static long do_readlink(struct task *t, int dirfd, unsigned long upath, unsigned long ubuf,
			long size)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct vfs_file *dir;
	int err;

	if ((int)size <= 0)
		return -EINVAL;
	err = at_path(t, dirfd, upath, path, &dir);
	if (err)
		return err;
	long len = vfs_readlink(t, dir, path, target, sizeof(target));
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

/*
 * Whether the cwd was removed: an rmdir marks the kept path " (deleted)"
 * (vfs_name_gone), which then names nothing (unless someone made a
 * directory of that very name).
 */
#define CWD_DELETED " (deleted)"
static bool cwd_removed(struct task *t, const char *cwd)
{
	size_t len = strlen(cwd), ml = strlen(CWD_DELETED);

	if (len < ml || strcmp(cwd + len - ml, CWD_DELETED))
		return false;
	return vfs_access(t, NULL, cwd, F_OK, 0) == -ENOENT;
}

/* A cwd outside the process's root reads "(unreachable)/..." as in Linux. */
#define CWD_UNREACHABLE "(unreachable)"
long sys_getcwd(struct task *t, const struct sysargs *a)
{
	const char *canon = t->tg->fs.cwd ? t->tg->fs.cwd : "/";
	char seen[PATH_MAX], cwd[sizeof(CWD_UNREACHABLE) + PATH_MAX];

	/* getcwd(2): ENOENT when the current working directory has been unlinked. */
	if (cwd_removed(t, canon))
		return -ENOENT;
	bool outside = vfs_path_seen(t, canon, seen, sizeof(seen));
	snprintf(cwd, sizeof(cwd), "%s%s", outside ? CWD_UNREACHABLE : "", seen);
	size_t len = strlen(cwd) + 1;
	if (a->a[1] < len)
		return -ERANGE;
	return gmem_write(t, a->a[0], cwd, len) ? -EFAULT : (long)len;
}

long sys_chroot(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	int err = get_path(t, path, a->a[0]);

	return err ? err : vfs_chroot(t, path, cred_capable(t));
}

long sys_chdir(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	int err = get_path(t, path, a->a[0]);

	return err ? err : vfs_chdir(t, NULL, path);
}

long sys_fchdir(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], false, &f);

	return err ? err : vfs_fchdir(t, f);
}

/*
 * The old getdents(2) record: d_ino, d_off, d_reclen, the name, then d_type
 * in the record's last byte.  Its length, ALIGN(18 + namelen + 2, 8), is
 * getdents64's ALIGN(19 + namelen + 1, 8): records convert in place.
 */
static void dirents_to_old(char *buf, long n)
{
	for (long off = 0; off < n;) {
		struct linux_dirent64_hdr {
			uint64_t ino, off;
			unsigned short reclen;
			unsigned char type;
		} __attribute__((packed)) *d = (void *)(buf + off);
		unsigned char type = d->type;
		unsigned short reclen = d->reclen;
		char *name = buf + off + 19;
		memmove(name - 1, name, strlen(name) + 1);
		buf[off + reclen - 1] = (char)type;
		off += reclen;
	}
}

static long do_getdents(struct task *t, const struct sysargs *a, bool old)
{
	size_t len = a->a[2] < DENTS_MAX ? a->a[2] : DENTS_MAX;
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	off_t pos = f->pos;
	long n = vfs_getdents(f, buf, len);
	if (n >= 0)
		vfs_notify_file(t, f, IN_ACCESS);
	if (n > 0 && old)
		dirents_to_old(buf, n);
	if (n > 0 && gmem_write(t, a->a[1], buf, (size_t)n)) {
		f->pos = pos; /* as Linux: a failed copy leaves the position */
		n = -EFAULT;
	}
	free(buf);
	return n;
}

long sys_getdents64(struct task *t, const struct sysargs *a)
{
	return do_getdents(t, a, false);
}

long sys_getdents(struct task *t, const struct sysargs *a)
{
	return do_getdents(t, a, true);
}

/* statfs. */

long sys_statfs(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	struct statfs sf;
	int err = get_path(t, path, a->a[0]);

	if (!err)
		err = vfs_statfs(t, NULL, path, &sf);
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
		err = vfs_fstatfs(f, &sf);
	if (err)
		return err;
	return gmem_write(t, a->a[1], &sf, sizeof(sf)) ? -EFAULT : 0;
}

/* xattr reads: the name is copied in, the value out, at most XATTR_SIZE_MAX. */

static int get_xname(struct task *t, char *name, unsigned long uname)
{
	long r = gmem_strncpy(t, name, uname, XATTR_NAME_MAX_ + 1);

	if (r == -ENAMETOOLONG || r == 0)
		return -ERANGE;
	return r < 0 ? (int)r : 0;
}

/* Copy an xattr result of r bytes out of buf, unless only the size was asked. */
static long put_xattr(struct task *t, unsigned long ubuf, size_t size, const char *buf, long r)
{
	if (r > 0 && size && gmem_write(t, ubuf, buf, (size_t)r))
		return -EFAULT;
	return r;
}

static long do_getxattr(struct task *t, int fd, unsigned long upath, int atflags,
			const struct sysargs *a)
{
	char path[PATH_MAX], name[XATTR_NAME_MAX_ + 1];
	size_t size = a->a[3] > XATTR_SIZE_MAX_ ? XATTR_SIZE_MAX_ : a->a[3];
	struct vfs_file *f = NULL;
	int err = fd >= 0 ? fdt_fget(t, fd, true, &f) : get_path(t, path, upath);

	if (!err)
		err = get_xname(t, name, a->a[1]);
	if (err)
		return err;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	long r = f ? vfs_fgetxattr(f, name, size ? buf : NULL, size)
		   : vfs_getxattr(t, NULL, path, atflags, name, size ? buf : NULL, size);
	r = put_xattr(t, a->a[2], size, buf, r);
	free(buf);
	return r;
}

long sys_getxattr(struct task *t, const struct sysargs *a)
{
	return do_getxattr(t, -1, a->a[0], 0, a);
}

long sys_lgetxattr(struct task *t, const struct sysargs *a)
{
	return do_getxattr(t, -1, a->a[0], AT_SYMLINK_NOFOLLOW, a);
}

long sys_fgetxattr(struct task *t, const struct sysargs *a)
{
	int fd = (int)a->a[0];

	return fd < 0 ? -EBADF : do_getxattr(t, fd, 0, 0, a);
}

static long do_listxattr(struct task *t, int fd, unsigned long upath, int atflags,
			 const struct sysargs *a)
{
	char path[PATH_MAX];
	size_t size = a->a[2] > XATTR_SIZE_MAX_ ? XATTR_SIZE_MAX_ : a->a[2];
	struct vfs_file *f = NULL;
	int err = fd >= 0 ? fdt_fget(t, fd, true, &f) : get_path(t, path, upath);

	if (err)
		return err;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	long r = f ? vfs_flistxattr(f, size ? buf : NULL, size)
		   : vfs_listxattr(t, NULL, path, atflags, size ? buf : NULL, size);
	r = put_xattr(t, a->a[1], size, buf, r);
	free(buf);
	return r;
}

long sys_listxattr(struct task *t, const struct sysargs *a)
{
	return do_listxattr(t, -1, a->a[0], 0, a);
}

long sys_llistxattr(struct task *t, const struct sysargs *a)
{
	return do_listxattr(t, -1, a->a[0], AT_SYMLINK_NOFOLLOW, a);
}

long sys_flistxattr(struct task *t, const struct sysargs *a)
{
	int fd = (int)a->a[0];

	return fd < 0 ? -EBADF : do_listxattr(t, fd, 0, 0, a);
}

/* fsync: files with pages sync; char devices and pipes cannot (EINVAL). */

static long do_fsync(struct task *t, int fd, bool datasync)
{
	struct vfs_file *f;
	int hostfd;

	if (aio_pending(t)) /* served again: the host's part has finished */
		return aio_result(t);
	int err = fdt_fget(t, fd, true, &f);
	if (!err)
		err = vfs_fsync(f, datasync, &hostfd);
	if (err || hostfd < 0)
		return err;
	return aio_fsync(t, hostfd, datasync); /* the host's part, without uos waiting */
}

long sys_fsync(struct task *t, const struct sysargs *a)
{
	return do_fsync(t, (int)a->a[0], false);
}

long sys_fdatasync(struct task *t, const struct sysargs *a)
{
	return do_fsync(t, (int)a->a[0], true);
}

/*
 * The namespace-changing calls.  Arguments are validated as Linux does
 * before any lookup (flags, mode types, times, xattr names), then the path
 * decides between the walk's errors, EEXIST/EISDIR/..., and EROFS.
 */

static long wcheck(struct task *t, int dirfd, unsigned long upath, int atflags)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err = at_path(t, dirfd, upath, path, &dir);

	if (!err && !path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	return err ? err : vfs_modify_check(t, dir, path, atflags);
}

/* The f* variants: a valid fd that allows the call, then EROFS. */
static long fd_rofs(struct task *t, int fd)
{
	struct vfs_file *f;
	int err = fdt_fget(t, fd, true, &f);

	return err ? err : -EROFS;
}

/* mkdir(2) family: the umask narrows the mode. */
static long do_mkdir(struct task *t, int dirfd, unsigned long upath, mode_t mode)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err = at_path(t, dirfd, upath, path, &dir);

	return err ? err : vfs_mkdir(t, dir, path, mode & 07777 & ~t->tg->fs.umask);
}

long sys_mkdir(struct task *t, const struct sysargs *a)
{
	return do_mkdir(t, AT_FDCWD, a->a[0], (mode_t)a->a[1]);
}

long sys_mkdirat(struct task *t, const struct sysargs *a)
{
	return do_mkdir(t, (int)a->a[0], a->a[1], (mode_t)a->a[2]);
}

/* mknod's may_mknod: regular, device, FIFO and socket nodes only. */
static long do_mknod(struct task *t, int dirfd, unsigned long upath, mode_t mode, dev_t dev)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = at_path(t, dirfd, upath, path, &dir);
	if (err)
		return err;
	mode = (mode & S_IFMT) | (mode & 07777 & ~t->tg->fs.umask);
	return vfs_mknod(t, dir, path, mode, dev);
}

long sys_mknod(struct task *t, const struct sysargs *a)
{
	return do_mknod(t, AT_FDCWD, a->a[0], (mode_t)a->a[1], (dev_t)(unsigned)a->a[2]);
}

long sys_mknodat(struct task *t, const struct sysargs *a)
{
	return do_mknod(t, (int)a->a[0], a->a[1], (mode_t)a->a[2], (dev_t)(unsigned)a->a[3]);
}

static long do_remove(struct task *t, int dirfd, unsigned long upath, bool isdir)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err = at_path(t, dirfd, upath, path, &dir);

	if (err)
		return err;
	return isdir ? vfs_rmdir(t, dir, path) : vfs_unlink(t, dir, path);
}

long sys_rmdir(struct task *t, const struct sysargs *a)
{
	return do_remove(t, AT_FDCWD, a->a[0], true);
}

long sys_unlink(struct task *t, const struct sysargs *a)
{
	return do_remove(t, AT_FDCWD, a->a[0], false);
}

long sys_unlinkat(struct task *t, const struct sysargs *a)
{
	int flags = (int)a->a[2];

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_remove(t, (int)a->a[0], a->a[1], flags & AT_REMOVEDIR);
}

static long do_rename(struct task *t, int olddir, unsigned long uold, int newdir,
		      unsigned long unew, unsigned int flags)
{
	char opath[PATH_MAX], npath[PATH_MAX];
	struct vfs_file *odir, *ndir;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EPERM; /* needs CAP_MKNOD, which the guest does not have */
	err = at_path(t, olddir, uold, opath, &odir);
	if (!err)
		err = at_path(t, newdir, unew, npath, &ndir);
	return err ? err : vfs_rename(t, odir, opath, ndir, npath, flags);
}

long sys_rename(struct task *t, const struct sysargs *a)
{
	return do_rename(t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

long sys_renameat(struct task *t, const struct sysargs *a)
{
	return do_rename(t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], 0);
}

long sys_renameat2(struct task *t, const struct sysargs *a)
{
	return do_rename(t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], (unsigned int)a->a[4]);
}

static long do_link(struct task *t, int olddir, unsigned long uold, int newdir,
		    unsigned long unew, int flags)
{
	char opath[PATH_MAX], npath[PATH_MAX];
	struct vfs_file *odir, *ndir;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	int err = at_path(t, olddir, uold, opath, &odir);
	if (!err && !opath[0] && (flags & AT_EMPTY_PATH) && olddir != AT_FDCWD)
		err = fdt_fget(t, olddir, false, &odir);
	if (!err)
		err = at_path(t, newdir, unew, npath, &ndir);
	return err ? err : vfs_link(t, odir, opath, ndir, npath, flags);
}

long sys_link(struct task *t, const struct sysargs *a)
{
	return do_link(t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

long sys_linkat(struct task *t, const struct sysargs *a)
{
	return do_link(t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], (int)a->a[4]);
}

static long do_symlink(struct task *t, unsigned long utarget, int dirfd, unsigned long upath)
{
	char target[PATH_MAX], path[PATH_MAX];
	struct vfs_file *dir;
	int err = get_path(t, target, utarget);

	if (!err)
		err = at_path(t, dirfd, upath, path, &dir);
	if (err)
		return err;
	return target[0] ? vfs_symlink(t, target, dir, path) : -ENOENT;
}

long sys_symlink(struct task *t, const struct sysargs *a)
{
	return do_symlink(t, a->a[0], AT_FDCWD, a->a[1]);
}

long sys_symlinkat(struct task *t, const struct sysargs *a)
{
	return do_symlink(t, a->a[0], (int)a->a[1], a->a[2]);
}

/* One attribute change on a path (dirfd-relative) or, with fd >= 0, on an open file. */
static long setattr_at(struct task *t, int dirfd, unsigned long upath, int atflags,
		       const struct vfs_setreq *r)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err = at_path(t, dirfd, upath, path, &dir);

	if (!err && !path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	return err ? err : vfs_setattr_path(t, dir, path, atflags, r);
}

static long setattr_fd(struct task *t, int fd, const struct vfs_setreq *r)
{
	struct vfs_file *f;
	int err = fdt_fget(t, fd, true, &f);

	return err ? err : vfs_setattr_file(t, f, r);
}

long sys_chmod(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {.op = VFS_SET_MODE, .mode = (mode_t)a->a[1]};

	return setattr_at(t, AT_FDCWD, a->a[0], 0, &r);
}

long sys_fchmodat(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {.op = VFS_SET_MODE, .mode = (mode_t)a->a[2]};

	return setattr_at(t, (int)a->a[0], a->a[1], 0, &r);
}

long sys_fchmod(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {.op = VFS_SET_MODE, .mode = (mode_t)a->a[1]};

	return setattr_fd(t, (int)a->a[0], &r);
}

static struct vfs_setreq owner_req(unsigned long uid, unsigned long gid)
{
	return (struct vfs_setreq){.op = VFS_SET_OWNER, .uid = (uid_t)uid, .gid = (gid_t)gid};
}

long sys_chown(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = owner_req(a->a[1], a->a[2]);

	return setattr_at(t, AT_FDCWD, a->a[0], 0, &r);
}

long sys_lchown(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = owner_req(a->a[1], a->a[2]);

	return setattr_at(t, AT_FDCWD, a->a[0], AT_SYMLINK_NOFOLLOW, &r);
}

long sys_fchownat(struct task *t, const struct sysargs *a)
{
	int flags = (int)a->a[4];
	struct vfs_setreq r = owner_req(a->a[2], a->a[3]);

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return setattr_at(t, (int)a->a[0], a->a[1], flags, &r);
}

long sys_fchown(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = owner_req(a->a[1], a->a[2]);

	return setattr_fd(t, (int)a->a[0], &r);
}

long sys_truncate(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {.op = VFS_SET_SIZE, .size = (off_t)a->a[1]};

	if ((long)a->a[1] < 0)
		return -EINVAL;
	return setattr_at(t, AT_FDCWD, a->a[0], 0, &r);
}

/* ftruncate needs a regular file open for writing (EINVAL otherwise). */
long sys_ftruncate(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {.op = VFS_SET_SIZE, .size = (off_t)a->a[1]};
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	if ((long)a->a[1] < 0 || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	err = rlimit_fsize_ok(t, r.size);
	return err ? err : vfs_setattr_file(t, f, &r);
}

/*
 * utimensat's times, as its syscall reads them: only -EFAULT here; the
 * nanoseconds are checked (UTIME_NOW, UTIME_OMIT or in range) with the file
 * in hand, after the walk and the read-only check, as vfs_utimes does.
 */
static int get_timespecs(struct task *t, unsigned long utimes, struct vfs_setreq *r)
{
	r->op = VFS_SET_TIMES;
	r->times_null = !utimes;
	if (utimes && gmem_read(t, r->ts, utimes, sizeof(r->ts)))
		return -EFAULT;
	return 0;
}

long sys_utimensat(struct task *t, const struct sysargs *a)
{
	int dirfd = (int)a->a[0], flags = (int)a->a[3];
	struct vfs_setreq r = {0};
	struct vfs_file *f;
	int err = get_timespecs(t, a->a[2], &r);

	if (err)
		return err;
	/* Nothing to do: Linux does not even look at the path or the flags. */
	if (a->a[2] && r.ts[0].tv_nsec == UTIME_OMIT && r.ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (a->a[1] || dirfd == AT_FDCWD) {
		if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		return setattr_at(t, dirfd, a->a[1], flags, &r);
	}
	/* futimens: the dirfd itself (do_utimes_fd), which takes no flags. */
	if (flags)
		return -EINVAL;
	err = fdt_fget(t, dirfd, false, &f);
	return err ? err : vfs_setattr_file(t, f, &r);
}

/* utimes' and futimesat's timevals (checked and converted by gtime); NULL is "now". */
static int get_timevals(struct task *t, unsigned long utimes, struct vfs_setreq *r)
{
	r->op = VFS_SET_TIMES;
	r->times_null = !utimes;
	return utimes ? gtime_get_utimes(t, utimes, r->ts) : 0;
}

long sys_utimes(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {0};
	int err = get_timevals(t, a->a[1], &r);

	return err ? err : setattr_at(t, AT_FDCWD, a->a[0], 0, &r);
}

long sys_futimesat(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {0};
	int err = get_timevals(t, a->a[2], &r);

	return err ? err : setattr_at(t, (int)a->a[0], a->a[1], 0, &r);
}

/* utime's utimbuf: whole seconds, any value (the filesystem clamps them to its range). */
long sys_utime(struct task *t, const struct sysargs *a)
{
	struct vfs_setreq r = {.op = VFS_SET_TIMES, .times_null = !a->a[1]};
	struct utimbuf ub;

	if (a->a[1]) {
		if (gmem_read(t, &ub, a->a[1], sizeof(ub)))
			return -EFAULT;
		r.ts[0] = (struct timespec){ub.actime, 0};
		r.ts[1] = (struct timespec){ub.modtime, 0};
	}
	return setattr_at(t, AT_FDCWD, a->a[0], 0, &r);
}

/* setxattr's arguments: flags, name and size are checked before the path. */
static int check_setxattr(struct task *t, unsigned long uname, size_t size, int flags)
{
	char name[XATTR_NAME_MAX_ + 1];

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	int err = get_xname(t, name, uname);
	if (err)
		return err;
	return size > XATTR_SIZE_MAX_ ? -E2BIG : 0;
}

long sys_setxattr(struct task *t, const struct sysargs *a)
{
	int err = check_setxattr(t, a->a[1], a->a[3], (int)a->a[4]);

	return err ? err : wcheck(t, AT_FDCWD, a->a[0], 0);
}

long sys_lsetxattr(struct task *t, const struct sysargs *a)
{
	int err = check_setxattr(t, a->a[1], a->a[3], (int)a->a[4]);

	return err ? err : wcheck(t, AT_FDCWD, a->a[0], AT_SYMLINK_NOFOLLOW);
}

long sys_fsetxattr(struct task *t, const struct sysargs *a)
{
	int err = check_setxattr(t, a->a[1], a->a[3], (int)a->a[4]);

	return err ? err : fd_rofs(t, (int)a->a[0]);
}

static int check_removexattr(struct task *t, unsigned long uname)
{
	char name[XATTR_NAME_MAX_ + 1];

	return get_xname(t, name, uname);
}

long sys_removexattr(struct task *t, const struct sysargs *a)
{
	int err = check_removexattr(t, a->a[1]);

	return err ? err : wcheck(t, AT_FDCWD, a->a[0], 0);
}

long sys_lremovexattr(struct task *t, const struct sysargs *a)
{
	int err = check_removexattr(t, a->a[1]);

	return err ? err : wcheck(t, AT_FDCWD, a->a[0], AT_SYMLINK_NOFOLLOW);
}

long sys_fremovexattr(struct task *t, const struct sysargs *a)
{
	int err = check_removexattr(t, a->a[1]);

	return err ? err : fd_rofs(t, (int)a->a[0]);
}
