/*
 * File calls beyond plain read and write: flock, memfd_create, fallocate,
 * fadvise64, readahead, the sync family (fsync too), name_to_handle_at
 * (refused).  The in-kernel copies are sys_copy.c (sendfile,
 * copy_file_range) and sys_splice.c (splice, tee, vmsplice).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "gmem.h"
#include "rlimit.h"
#include "scheduler.h"
#include "sigsend.h"
#include "handlers.h"
#include "vfs.h"
#include "writeback.h"

#define MFD_KNOWN (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_NAME_MAX 249 /* NAME_MAX - strlen("memfd:") */

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#define MFD_ALLOW_SEALING 2U
#define MFD_HUGETLB 4U
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 8U
#define MFD_EXEC 0x10U
#endif
#ifndef AT_HANDLE_FID
#define AT_HANDLE_FID 0x200
#endif

long sys_flock(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	return err ? err : vfs_flock(&t->vc, f, (int)a->a[1]);
}

long sys_memfd_create(struct task *t, const struct sysargs *a)
{
	unsigned flags = (unsigned)a->a[1];
	char name[MFD_NAME_MAX + 2];
	struct vfs_file *f;
	int err;

	if (flags & ~MFD_KNOWN)
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -EINVAL; /* no huge pages in uos's tmpfs */
	err = gmem_strncpy(t, name, a->a[0], sizeof(name));
	if (err < 0)
		return err == -ENAMETOOLONG ? -EINVAL : err;
	if (strnlen(name, sizeof(name)) > MFD_NAME_MAX)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	/* MFD_NOEXEC_SEAL: no exec bits, F_SEAL_EXEC, and sealing allowed. */
	bool noexec = flags & MFD_NOEXEC_SEAL;
	unsigned int seals = noexec ? F_SEAL_EXEC : (flags & MFD_ALLOW_SEALING) ? 0 : F_SEAL_SEAL;
	err = vfs_memfd(t->vc.ns, name, O_RDWR, noexec ? 0666 : 0777, seals, &f);
	if (err)
		return err;
	int fd = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), flags & MFD_CLOEXEC);
	if (fd < 0)
		vfs_file_put(f);
	return fd;
}

/* The mode bits fallocate(2) knows, with Linux's checks before the file's own. */
static long fallocate_check(int mode, off_t off, off_t len)
{
	int known = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE |
		    FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE;

	if (off < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~known)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && (mode & FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if (off > LLONG_MAX - len)
		return -EFBIG;
	return 0;
}

long sys_fallocate(struct task *t, const struct sysargs *a)
{
	int mode = (int)a->a[1];
	off_t off = (off_t)a->a[2], len = (off_t)a->a[3];
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	err = (int)fallocate_check(mode, off, len);
	if (err)
		return err;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if ((f->flags & O_APPEND) && (mode & ~FALLOC_FL_KEEP_SIZE))
		return -EPERM;
	/* RLIMIT_FSIZE is the filesystem's check (ext2 has no fallocate at all). */
	if (!(mode & FALLOC_FL_KEEP_SIZE) && f->ops->fallocate &&
	    (err = rlimit_fsize_ok(t, off + len)))
		return err;
	err = vfs_fallocate(f, mode, off, len);
	if (!err)
		vfs_notify_file(&t->vc, f, IN_MODIFY);
	return err;
}

/* fadvise64 and readahead: advice only; pipes are ESPIPE, bad advice EINVAL. */
long sys_fadvise64(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct stat st;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	if (!vfs_fstat(f, &st) && S_ISFIFO(st.st_mode))
		return -ESPIPE;
	if ((int)a->a[3] < POSIX_FADV_NORMAL || (int)a->a[3] > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

long sys_readahead(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct stat st;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (vfs_fstat(f, &st) || !S_ISREG(st.st_mode))
		return -EINVAL;
	return 0;
}

/* sync: every mount's changes reach the host's disk (writeback.c). */
long sys_sync(struct task *t, const struct sysargs *a)
{
	return wb_all(t);
}

/*
 * syncfs: the filesystem of fd reaches the host's disk.  Every file of an
 * image syncs the whole image; a file that cannot sync (a pipe) lives on a
 * filesystem with nothing to write back.
 */
long sys_syncfs(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	long err;

	if (wb_resumed(t))
		return wb_file(t, NULL, true);
	err = fdt_fget(t, (int)a->a[0], false, &f);
	if (!err)
		err = wb_file(t, f, true);
	return err == -EINVAL ? 0 : err;
}

/*
 * sync_file_range: SYNC_FILE_RANGE_WRITE starts the write-out, which in uos
 * is the write to the image file; WAIT_AFTER waits for it to be on the
 * host's disk (the image's fdatasync).  WAIT_BEFORE alone has nothing to
 * wait for: uos starts no write-out it does not finish.
 */
long sys_sync_file_range(struct task *t, const struct sysargs *a)
{
	off_t off = (off_t)a->a[1], len = (off_t)a->a[2];
	unsigned flags = (unsigned)a->a[3];
	struct vfs_file *f;
	struct stat st;
	int err, hostfd;

	if (wb_resumed(t))
		return wb_file(t, NULL, true);
	if (flags & ~7U)
		return -EINVAL;
	if (off < 0 || len < 0 || off > LLONG_MAX - len)
		return -EINVAL;
	err = fdt_fget(t, (int)a->a[0], true, &f);
	if (err)
		return err;
	err = vfs_fstat(f, &st);
	if (err)
		return err;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode) &&
	    !S_ISBLK(st.st_mode))
		return -ESPIPE;
	if (flags & SYNC_FILE_RANGE_WAIT_AFTER)
		return wb_file(t, f, true);
	return flags & SYNC_FILE_RANGE_WRITE ? vfs_fsync(f, true, &hostfd) : 0;
}

/* fsync: files with pages sync; char devices and pipes cannot (EINVAL). */
static long do_fsync(struct task *t, int fd, bool datasync)
{
	struct vfs_file *f;

	if (wb_resumed(t)) /* served again: the host's part has finished */
		return wb_file(t, NULL, datasync);
	int err = fdt_fget(t, fd, true, &f);
	return err ? err : wb_file(t, f, datasync);
}

long sys_fsync(struct task *t, const struct sysargs *a)
{
	return do_fsync(t, (int)a->a[0], false);
}

long sys_fdatasync(struct task *t, const struct sysargs *a)
{
	return do_fsync(t, (int)a->a[0], true);
}

/* File handles name inodes below the VFS: uos's filesystems do not export them. */
long sys_name_to_handle_at(struct task *t, const struct sysargs *a)
{
	int atflags = (int)a->a[4];

	if (atflags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID))
		return -EINVAL;
	return -EOPNOTSUPP;
}
