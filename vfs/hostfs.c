/*
 * hostfs: a host directory (the host's / by default) mounted read-only.
 *
 * Every node holds an O_PATH host fd; a lookup step is one openat of a
 * single name with O_NOFOLLOW from the parent's fd, so the host never
 * resolves a symlink or a ".." for the guest (the walk does that, lexically,
 * in uos).  Files are opened by reopening the O_PATH fd through
 * /proc/self/fd/N (the supervisor's own), read-only whatever the guest asked.
 * Only regular files and directories open; FIFOs, sockets and devices of the
 * host do not (a FIFO would block the supervisor, a device is not the
 * guest's).  stat data, directory records and xattrs are the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "vfs_impl.h"

struct hostfs_file {
	struct vfs_file base;
	int fd; /* O_RDONLY (or O_PATH for a guest O_PATH open), owned */
};

static int hfd_of(struct vfs_file *f)
{
	return container_of(f, struct hostfs_file, base)->fd;
}

static long hostfs_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(hfd_of(f), buf, len, off);

	return n < 0 ? -errno : n;
}

static int hostfs_fstat(struct vfs_file *f, struct stat *st)
{
	return fstat(hfd_of(f), st) ? -errno : 0;
}

/* The host keeps the directory position; f->pos mirrors it (lseek, dup). */
static long hostfs_getdents(struct vfs_file *f, void *buf, size_t len)
{
	int fd = hfd_of(f);

	if (lseek(fd, f->pos, SEEK_SET) < 0)
		return -errno;
	long n = syscall(SYS_getdents64, fd, buf, len);
	if (n < 0)
		return -errno;
	off_t pos = lseek(fd, 0, SEEK_CUR);
	if (pos >= 0)
		f->pos = pos;
	return n;
}

static int hostfs_hostfd(struct vfs_file *f)
{
	return (f->flags & O_PATH) ? -EBADF : hfd_of(f);
}

static void hostfs_file_release(struct vfs_file *f)
{
	close(hfd_of(f));
}

static const struct vfs_file_ops hostfs_reg_ops = {
	.read = hostfs_read,
	.stat = hostfs_fstat,
	.hostfd = hostfs_hostfd,
	.release = hostfs_file_release,
};

static const struct vfs_file_ops hostfs_dir_ops = {
	.getdents = hostfs_getdents,
	.stat = hostfs_fstat,
	.hostfd = hostfs_hostfd,
	.release = hostfs_file_release,
};

/* O_PATH files: no I/O, only a place (fstat, dirfd, fchdir). */
static const struct vfs_file_ops hostfs_path_ops = {
	.stat = hostfs_fstat,
	.release = hostfs_file_release,
};

static int node_fill(int fd, struct vfs_node *out)
{
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		int err = -errno;
		close(fd);
		return err;
	}
	out->fs = &vfs_hostfs_ops;
	out->hfd = fd;
	out->mode = st.st_mode;
	return 0;
}

static int hostfs_root(struct kernel *k, struct vfs_node *out)
{
	return node_fill(fcntl(k->vfs->hostroot, F_DUPFD_CLOEXEC, 0), out);
}

static int hostfs_lookup(struct task *t, const struct vfs_node *dir, const char *name,
			 struct vfs_node *out)
{
	return node_fill(openat(dir->hfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC), out);
}

static int hostfs_stat(struct task *t, const struct vfs_node *n, struct stat *st)
{
	return fstat(n->hfd, st) ? -errno : 0;
}

static long hostfs_readlink(struct task *t, const struct vfs_node *n, char *buf, size_t size)
{
	if (!S_ISLNK(n->mode))
		return -EINVAL;
	ssize_t len = readlinkat(n->hfd, "", buf, size);
	return len < 0 ? -errno : len;
}

/* Reopen an O_PATH fd with real access, through the supervisor's /proc. */
static int reopen_fd(int pathfd, int hflags)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pathfd);
	int fd = open(proc, hflags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int hostfs_open(struct task *t, const struct vfs_node *n, const char *canon, int flags,
		       struct vfs_file **out)
{
	const struct vfs_file_ops *ops = &hostfs_path_ops;
	int fd;

	if (flags & O_PATH) {
		fd = fcntl(n->hfd, F_DUPFD_CLOEXEC, 0);
		fd = fd < 0 ? -errno : fd;
	} else if (S_ISREG(n->mode)) {
		ops = &hostfs_reg_ops;
		fd = reopen_fd(n->hfd, O_RDONLY | O_NOCTTY);
	} else if (S_ISDIR(n->mode)) {
		ops = &hostfs_dir_ops;
		fd = reopen_fd(n->hfd, O_RDONLY | O_DIRECTORY);
	} else if (S_ISSOCK(n->mode)) {
		return -ENXIO;
	} else {
		/* FIFOs and devices of the host are not the guest's (a nodev mount). */
		return -EACCES;
	}
	if (fd < 0)
		return fd;
	struct hostfs_file *hf = vfs_file_alloc(sizeof(*hf), ops, flags, canon);
	if (!hf) {
		close(fd);
		return -ENOMEM;
	}
	hf->fd = fd;
	hf->base.seekable = !(flags & O_PATH);
	*out = &hf->base;
	return 0;
}

static int hostfs_statfs(const struct vfs_node *n, struct statfs *sf)
{
	if (fstatfs(n->hfd, sf))
		return -errno;
	sf->f_flags |= ST_RDONLY;
	return 0;
}

static long hostfs_getxattr(const struct vfs_node *n, const char *name, void *buf, size_t size)
{
	char proc[64];

	if (S_ISLNK(n->mode))
		return -ENODATA;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", n->hfd);
	ssize_t r = getxattr(proc, name, buf, size);
	return r < 0 ? -errno : r;
}

static long hostfs_listxattr(const struct vfs_node *n, char *buf, size_t size)
{
	char proc[64];

	if (S_ISLNK(n->mode))
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", n->hfd);
	ssize_t r = listxattr(proc, buf, size);
	return r < 0 ? -errno : r;
}

static void hostfs_release(struct vfs_node *n)
{
	if (n->hfd >= 0)
		close(n->hfd);
}

const struct vfs_fs_ops vfs_hostfs_ops = {
	.name = "hostfs",
	.root = hostfs_root,
	.lookup = hostfs_lookup,
	.stat = hostfs_stat,
	.readlink = hostfs_readlink,
	.open = hostfs_open,
	.statfs = hostfs_statfs,
	.getxattr = hostfs_getxattr,
	.listxattr = hostfs_listxattr,
	.release = hostfs_release,
	.readonly = true,
};
