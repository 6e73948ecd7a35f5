/*
 * Extended attributes.  Reads: the name is copied in, the value out, at
 * most XATTR_SIZE_MAX.  Changes (setxattr, removexattr) are refused as on
 * a read-only filesystem, after Linux's checks: flags, name and size
 * before the path, then the path's own errors, then EROFS.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/xattr.h>

#include "fdtable.h"
#include "gmem.h"
#include "gpath.h"
#include "handlers.h"
#include "vfs.h"

#define XATTR_NAME_MAX_ 255
#define XATTR_SIZE_MAX_ 65536

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
	int err = fd >= 0 ? fdt_fget(t, fd, true, &f) : gpath_get(t, path, upath);

	if (!err)
		err = get_xname(t, name, a->a[1]);
	if (err)
		return err;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	long r = f ? vfs_fgetxattr(f, name, size ? buf : NULL, size)
		   : vfs_getxattr(&t->vc, NULL, path, atflags, name, size ? buf : NULL, size);
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
	int err = fd >= 0 ? fdt_fget(t, fd, true, &f) : gpath_get(t, path, upath);

	if (err)
		return err;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	long r = f ? vfs_flistxattr(f, size ? buf : NULL, size)
		   : vfs_listxattr(&t->vc, NULL, path, atflags, size ? buf : NULL, size);
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

static long wcheck(struct task *t, int dirfd, unsigned long upath, int atflags)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err = gpath_at(t, dirfd, upath, path, &dir);

	if (!err && !path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	return err ? err : vfs_modify_check(&t->vc, dir, path, atflags);
}

/* The f* variants: a valid fd that allows the call, then EROFS. */
static long fd_rofs(struct task *t, int fd)
{
	struct vfs_file *f;
	int err = fdt_fget(t, fd, true, &f);

	return err ? err : -EROFS;
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
