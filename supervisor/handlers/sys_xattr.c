/*
 * Extended attributes: get, list, set and remove, by path (and l* without
 * following a last symlink), by fd (f*, O_PATH fds EBADF), and Linux
 * 6.13's *xattrat forms (a dirfd, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH,
 * and for get/set a struct xattr_args).  Linux's order (fs/xattr.c): the
 * at-flags, the name (ERANGE when empty or longer than 255), for set the
 * flags, the size (E2BIG past 64 KiB) and the value, then the path or fd;
 * vfs/xattr.c does the rest.  Values go through a buffer of at most
 * XATTR_SIZE_MAX bytes, lists of XATTR_LIST_MAX.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "fdtable.h"
#include "gmem.h"
#include "gpath.h"
#include "handlers.h"
#include "vfs.h"
#include "xattr_args.h"

#define XATTR_NAME_MAX_ 255
#define XATTR_ARGS_MAX 4096	/* usize past a page: E2BIG */
#define AT_XATTR_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)

/*
 * Where a call acts: dfd and a path (0: none, the fd forms), with at-flags;
 * read_args fills path, or path_err.
 */
struct xwhere {
	int dfd;
	unsigned long upath;
	unsigned atflags;
	int path_err;
	char path[PATH_MAX];
};

/*
 * The call's name (when name is given) and path, read from the guest
 * together: one host call for both, mostly.  The name's error comes first
 * (import_xattr_name: -ERANGE for "" and for more than 255 bytes), as Linux
 * checks it before it walks; the path's is kept in w for xattr_at.
 */
static int read_args(struct task *t, struct xwhere *w, char *name, unsigned long uname)
{
	struct gmem_str s[2];
	int n = 0, ipath = -1;

	w->path[0] = '\0';
	w->path_err = w->atflags & AT_EMPTY_PATH ? 0 : -EFAULT; /* no path */
	if (name)
		s[n++] = (struct gmem_str){name, uname, XATTR_NAME_MAX_ + 1, 0};
	if (w->upath) {
		ipath = n;
		s[n++] = (struct gmem_str){w->path, w->upath, PATH_MAX, 0};
	}
	gmem_strncpy_n(t, s, n);
	if (ipath >= 0)
		w->path_err = s[ipath].len < 0 ? (int)s[ipath].len : 0;
	if (!name)
		return 0;
	if (s[0].len == -ENAMETOOLONG || s[0].len == 0)
		return -ERANGE;
	return s[0].len < 0 ? (int)s[0].len : 0;
}

/*
 * The request on what w names: with AT_EMPTY_PATH and no path (NULL or
 * ""), the open file dfd (AT_FDCWD too: EBADF, as getname_maybe_null
 * leaves Linux 6.18 no path to walk); else a path.
 */
static long xattr_at(struct task *t, const struct xwhere *w, struct vfs_xattr_req *r)
{
	struct vfs_file *f;
	int err = w->path_err;

	if (err)
		return err;
	if (!w->path[0] && (w->atflags & AT_EMPTY_PATH)) {
		err = w->dfd < 0 ? -EBADF : fdt_fget(t, w->dfd, true, &f);
		return err ? err : vfs_xattr_file(&t->vc, f, r);
	}
	err = gpath_at_dir(t, w->dfd, w->path, &f);
	if (err)
		return err;
	return vfs_xattr_path(&t->vc, f, w->path, (int)(w->atflags & AT_XATTR_FLAGS), r);
}

/* get or list into a buffer of at most max bytes, then out to ubuf. */
static long xattr_read(struct task *t, const struct xwhere *w, struct vfs_xattr_req *r,
		       unsigned long ubuf, size_t max)
{
	if (r->size > max)
		r->size = max;
	r->buf = malloc(r->size ? r->size : 1);
	if (!r->buf)
		return -ENOMEM;
	long n = xattr_at(t, w, r);
	if (n > 0 && r->size && gmem_write(t, ubuf, r->buf, (size_t)n))
		n = -EFAULT;
	if (n == -ERANGE && r->size >= max)
		n = -E2BIG;
	free(r->buf);
	return n;
}

static long do_get(struct task *t, struct xwhere *w, unsigned long uname, unsigned long ubuf,
		   size_t size)
{
	char name[XATTR_NAME_MAX_ + 1];
	struct vfs_xattr_req r = {.op = VFS_XGET, .name = name, .size = size};
	int err = w->atflags & ~AT_XATTR_FLAGS ? -EINVAL : read_args(t, w, name, uname);

	return err ? err : xattr_read(t, w, &r, ubuf, XATTR_SIZE_MAX);
}

static long do_list(struct task *t, struct xwhere *w, unsigned long ubuf, size_t size)
{
	struct vfs_xattr_req r = {.op = VFS_XLIST, .size = size};

	if (w->atflags & ~AT_XATTR_FLAGS)
		return -EINVAL;
	read_args(t, w, NULL, 0);
	return xattr_read(t, w, &r, ubuf, XATTR_LIST_MAX);
}

/* setxattr_copy's checks (flags, name, size, value), then the call. */
static long do_set(struct task *t, struct xwhere *w, unsigned long uname,
		   unsigned long uvalue, size_t size, unsigned long flags)
{
	char name[XATTR_NAME_MAX_ + 1];
	struct vfs_xattr_req r = {.op = VFS_XSET, .name = name, .size = size, .flags = (int)flags};
	int err = w->atflags & ~AT_XATTR_FLAGS			 ? -EINVAL
		  : flags & ~(unsigned long)(XATTR_CREATE | XATTR_REPLACE) ? -EINVAL
									 : read_args(t, w, name, uname);

	if (!err && size > XATTR_SIZE_MAX)
		err = -E2BIG;
	if (err)
		return err;
	r.buf = malloc(size ? size : 1);
	if (!r.buf)
		return -ENOMEM;
	long ret = size && gmem_read(t, r.buf, uvalue, size) ? -EFAULT : xattr_at(t, w, &r);
	free(r.buf);
	return ret;
}

static long do_remove(struct task *t, struct xwhere *w, unsigned long uname)
{
	char name[XATTR_NAME_MAX_ + 1];
	struct vfs_xattr_req r = {.op = VFS_XREMOVE, .name = name};
	int err = w->atflags & ~AT_XATTR_FLAGS ? -EINVAL : read_args(t, w, name, uname);

	return err ? err : xattr_at(t, w, &r);
}

static struct xwhere *by_path(struct xwhere *w, const struct sysargs *a, unsigned atflags)
{
	w->dfd = AT_FDCWD;
	w->upath = a->a[0];
	w->atflags = atflags;
	return w;
}

static struct xwhere *by_fd(struct xwhere *w, const struct sysargs *a)
{
	w->dfd = (int)a->a[0];
	w->upath = 0;
	w->atflags = AT_EMPTY_PATH;
	return w;
}

static struct xwhere *by_at(struct xwhere *w, const struct sysargs *a)
{
	w->dfd = (int)a->a[0];
	w->upath = a->a[1];
	w->atflags = (unsigned)a->a[2];
	return w;
}

long sys_getxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_get(t, by_path(&w, a, 0), a->a[1], a->a[2], a->a[3]);
}

long sys_lgetxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_get(t, by_path(&w, a, AT_SYMLINK_NOFOLLOW), a->a[1], a->a[2], a->a[3]);
}

long sys_fgetxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_get(t, by_fd(&w, a), a->a[1], a->a[2], a->a[3]);
}

long sys_listxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_list(t, by_path(&w, a, 0), a->a[1], a->a[2]);
}

long sys_llistxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_list(t, by_path(&w, a, AT_SYMLINK_NOFOLLOW), a->a[1], a->a[2]);
}

long sys_flistxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_list(t, by_fd(&w, a), a->a[1], a->a[2]);
}

long sys_setxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_set(t, by_path(&w, a, 0), a->a[1], a->a[2], a->a[3], a->a[4]);
}

long sys_lsetxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_set(t, by_path(&w, a, AT_SYMLINK_NOFOLLOW), a->a[1], a->a[2], a->a[3], a->a[4]);
}

long sys_fsetxattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_set(t, by_fd(&w, a), a->a[1], a->a[2], a->a[3], a->a[4]);
}

long sys_removexattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_remove(t, by_path(&w, a, 0), a->a[1]);
}

long sys_lremovexattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_remove(t, by_path(&w, a, AT_SYMLINK_NOFOLLOW), a->a[1]);
}

long sys_fremovexattr(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_remove(t, by_fd(&w, a), a->a[1]);
}

/* copy_struct_from_user of struct xattr_args: EINVAL short, E2BIG long or nonzero tail. */
static int get_xargs(struct task *t, unsigned long uargs, size_t usize, struct xattr_args_ *x)
{
	unsigned char tail[64];

	if (usize < XATTR_ARGS_SIZE_VER0)
		return -EINVAL;
	if (usize > XATTR_ARGS_MAX)
		return -E2BIG;
	if (gmem_read(t, x, uargs, sizeof(*x)))
		return -EFAULT;
	for (size_t off = sizeof(*x); off < usize;) {
		size_t n = usize - off < sizeof(tail) ? usize - off : sizeof(tail);
		if (gmem_read(t, tail, uargs + off, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (tail[i])
				return -E2BIG;
		off += n;
	}
	return 0;
}

long sys_setxattrat(struct task *t, const struct sysargs *a)
{
	struct xwhere w;
	struct xattr_args_ x;
	int err = get_xargs(t, a->a[4], a->a[5], &x);

	return err ? err : do_set(t, by_at(&w, a), a->a[3], x.value, x.size, x.flags);
}

long sys_getxattrat(struct task *t, const struct sysargs *a)
{
	struct xwhere w;
	struct xattr_args_ x;
	int err = get_xargs(t, a->a[4], a->a[5], &x);

	if (!err && x.flags)
		err = -EINVAL;
	return err ? err : do_get(t, by_at(&w, a), a->a[3], x.value, x.size);
}

long sys_listxattrat(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_list(t, by_at(&w, a), a->a[3], a->a[4]);
}

long sys_removexattrat(struct task *t, const struct sysargs *a)
{
	struct xwhere w;

	return do_remove(t, by_at(&w, a), a->a[3]);
}
