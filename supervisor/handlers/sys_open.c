/*
 * open, openat, creat, openat2: a path resolved by vfs/ (vfs/open.c) into a
 * file installed at the lowest free fd.  openat2's struct open_how is read
 * as Linux reads an extensible struct.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>

#include "ctty.h"
#include "fdtable.h"
#include "gmem.h"
#include "gpath.h"
#include "handlers.h"
#include "vfs.h"

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
	err = gpath_get(t, path, upath);
	/* With RESOLVE_IN_ROOT the dirfd is the root, absolute path or not. */
	if (!err)
		err = gpath_at_dir(t, dirfd, (wextra & VFS_RESOLVE_IN_ROOT) ? "." : path, &dir);
	if (err)
		return err;
	mode &= 07777; /* the VFS applies the umask, or a default ACL (vfs_acl_inherit) */
	/* glibc's __O_TMPFILE includes O_DIRECTORY: the bit of its own is the one to test. */
	if (flags & O_TMPFILE & ~O_DIRECTORY) {
		/* build_open_flags: O_TMPFILE (with O_DIRECTORY), no O_CREAT, a write mode. */
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || (flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
		err = vfs_open_tmpfile(&t->vc, dir, path, flags, mode, &f);
	} else {
		err = vfs_open_resolve(&t->vc, dir, path, flags, mode, wextra, &f);
	}
	if (err)
		return err;
	int fd = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), flags & O_CLOEXEC);
	if (fd < 0)
		vfs_file_put(f);
	else
		ctty_opened(t, f, flags);
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
