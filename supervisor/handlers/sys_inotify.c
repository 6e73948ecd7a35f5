/*
 * The inotify syscalls: inotify_init, inotify_init1, inotify_add_watch,
 * inotify_rm_watch.  Each handler copies its arguments in once, checks them
 * in Linux's order (fs/notify/inotify/inotify_user.c), and delegates to
 * vfs/inotify.c, which owns the watches, the queue and the event hooks.
 * Reading an inotify fd goes through the generic read path (sys_rw.c),
 * which parks the reader on the file's channel while the queue is empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "gmem.h"
#include "handlers.h"
#include "vfs.h"

/* Every bit inotify_add_watch knows (ALL_INOTIFY_BITS): a mask with none is EINVAL. */
#define INOTIFY_ALL_BITS                                                                           \
	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW |   \
	 IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)

static long init_flags(struct task *t, int flags)
{
	struct vfs_file *f;

	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	int err = vfs_inotify(t->vc.ns, flags, &f);
	if (err)
		return err;
	int fd = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), flags & IN_CLOEXEC);
	if (fd < 0)
		vfs_file_put(f);
	return fd;
}

long sys_inotify_init(struct task *t, const struct sysargs *a)
{
	(void)a;
	return init_flags(t, 0);
}

long sys_inotify_init1(struct task *t, const struct sysargs *a)
{
	return init_flags(t, (int)a->a[0]);
}

/* The inotify file at fd: -EBADF when fd is not open, -EINVAL when it is no inotify fd. */
static int inotify_file(struct task *t, int fd, struct vfs_file **out)
{
	int err = fdt_fget(t, fd, false, out);

	if (err)
		return err;
	return vfs_is_inotify(*out) ? 0 : -EINVAL;
}

/* inotify_find_inode: the walk (IN_DONT_FOLLOW, IN_ONLYDIR), then read permission. */
static int find_inode(struct task *t, unsigned long upath, uint32_t mask, struct stat *st)
{
	char path[PATH_MAX];
	long r = gmem_strncpy(t, path, upath, sizeof(path));

	if (r < 0)
		return (int)r;
	int err =
	    vfs_stat(&t->vc, NULL, path, (mask & IN_DONT_FOLLOW) ? AT_SYMLINK_NOFOLLOW : 0, st);
	if (err)
		return err;
	if ((mask & IN_ONLYDIR) && !S_ISDIR(st->st_mode))
		return -ENOTDIR;
	return vfs_access(&t->vc, NULL, path, R_OK,
			  AT_EACCESS | ((mask & IN_DONT_FOLLOW) ? AT_SYMLINK_NOFOLLOW : 0));
}

long sys_inotify_add_watch(struct task *t, const struct sysargs *a)
{
	uint32_t mask = (uint32_t)a->a[2];
	struct vfs_file *f;
	struct stat st;

	if (!(mask & INOTIFY_ALL_BITS))
		return -EINVAL;
	int err = fdt_fget(t, (int)a->a[0], false, &f);
	if (err)
		return err;
	if (((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)) || !vfs_is_inotify(f))
		return -EINVAL;
	err = find_inode(t, a->a[1], mask, &st);
	return err ? err : vfs_inotify_add(f, &st, mask);
}

long sys_inotify_rm_watch(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = inotify_file(t, (int)a->a[0], &f);

	return err ? err : vfs_inotify_rm(f, (int)a->a[1]);
}
