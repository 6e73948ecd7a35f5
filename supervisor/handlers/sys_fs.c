/*
 * The calls that change the file tree: mkdir, mknod, rmdir, unlink, rename,
 * link, symlink, and the attribute changes chmod, chown, truncate and the
 * utime family.  Arguments are validated as Linux does before any lookup
 * (flags, mode types, times), then the path decides between the walk's
 * errors, EEXIST/EISDIR/..., and EROFS (vfs/wops.c keeps Linux's order of
 * errors).  The other file system calls that name paths are sys_open.c,
 * sys_stat.c, sys_cwd.c, sys_getdents.c and sys_xattr.c; fsync is with
 * the sync family in sys_fileops.c.
 *
 * Each handler copies its guest arguments in once, validates them, and
 * delegates to vfs/; guest addresses never go below this layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <utime.h>

#include "fdtable.h"
#include "gmem.h"
#include "gpath.h"
#include "gtime.h"
#include "rlimit.h"
#include "handlers.h"
#include "vfs.h"

/* mkdir(2) family: the umask narrows the mode (in the VFS: vfs_acl_inherit). */
static long do_mkdir(struct task *t, int dirfd, unsigned long upath, mode_t mode)
{
	char path[PATH_MAX];
	struct vfs_file *dir;
	int err = gpath_at(t, dirfd, upath, path, &dir);

	return err ? err : vfs_mkdir(&t->vc, dir, path, mode & 07777);
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
	err = gpath_at(t, dirfd, upath, path, &dir);
	if (err)
		return err;
	mode = (mode & S_IFMT) | (mode & 07777);
	return vfs_mknod(&t->vc, dir, path, mode, dev);
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
	int err = gpath_at(t, dirfd, upath, path, &dir);

	if (err)
		return err;
	return isdir ? vfs_rmdir(&t->vc, dir, path) : vfs_unlink(&t->vc, dir, path);
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
	err = gpath_at(t, olddir, uold, opath, &odir);
	if (!err)
		err = gpath_at(t, newdir, unew, npath, &ndir);
	return err ? err : vfs_rename(&t->vc, odir, opath, ndir, npath, flags);
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
	int err = gpath_at(t, olddir, uold, opath, &odir);
	if (!err && !opath[0] && (flags & AT_EMPTY_PATH) && olddir != AT_FDCWD)
		err = fdt_fget(t, olddir, false, &odir);
	if (!err)
		err = gpath_at(t, newdir, unew, npath, &ndir);
	return err ? err : vfs_link(&t->vc, odir, opath, ndir, npath, flags);
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
	int err = gpath_get(t, target, utarget);

	if (!err)
		err = gpath_at(t, dirfd, upath, path, &dir);
	if (err)
		return err;
	return target[0] ? vfs_symlink(&t->vc, target, dir, path) : -ENOENT;
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
	int err = gpath_at(t, dirfd, upath, path, &dir);

	if (!err && !path[0] && (atflags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
		err = fdt_fget(t, dirfd, false, &dir);
	return err ? err : vfs_setattr_path(&t->vc, dir, path, atflags, r);
}

static long setattr_fd(struct task *t, int fd, const struct vfs_setreq *r)
{
	struct vfs_file *f;
	int err = fdt_fget(t, fd, true, &f);

	return err ? err : vfs_setattr_file(&t->vc, f, r);
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
	return err ? err : vfs_setattr_file(&t->vc, f, &r);
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
	return err ? err : vfs_setattr_file(&t->vc, f, &r);
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
