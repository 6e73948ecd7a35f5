/*
 * hostfs: a host directory (the host's / by default), read-only unless the
 * user named it writable (--mount SRC:DST:rw).
 *
 * A lookup step is one fstatat of a single name with AT_SYMLINK_NOFOLLOW
 * from the parent directory's O_PATH fd, so the host never resolves a
 * symlink or a ".." for the guest (the walk does that, lexically, in uos).
 * Directories stay open in the instance's directory cache (hostfs_dirs.c),
 * found again by (parent, name) when the host still has them there; any
 * other node opens its own O_PATH fd (openat with O_NOFOLLOW) only when an
 * op needs one, and only if the name still leads to the file the lookup
 * saw.  Files are opened by reopening the O_PATH fd through
 * /proc/self/fd/N (the supervisor's own), read-only whatever the guest asked.
 * Only regular files and directories open; FIFOs, sockets and devices of the
 * host do not (a FIFO would block the supervisor, a device is not the
 * guest's).  stat data, directory records and xattrs are the host's; a
 * writable instance changes user.* and ACL attributes, never trusted.* or
 * security.* ones (hostfs_setxattr).
 *
 * uos never waits for a host file: files open O_NONBLOCK, so a regular
 * file that can block (tracefs's trace_pipe, a FUSE or /proc file that
 * honours O_NONBLOCK) gives -EAGAIN and the reader parks on the fd
 * (pollfd, offered from the first -EAGAIN on: a file that never gave one
 * is a plain file, which epoll refuses as Linux does), and an open that
 * would wait for a host lease to break is tried again a little later
 * (OPEN_RETRY_NS) with the task parked.
 *
 * On a writable instance the namespace-changing ops are the host's *at
 * calls on the parent's O_PATH fd with one plain name, so they too stay
 * inside the mounted directory; files open with the guest's access mode.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "hostfs_impl.h"
#include "vfs_impl.h"
#include "xattr_args.h"

#define OPEN_RETRY_NS 50000000LL /* an open that would wait for a host lease: try again then */

/*
 * A node's inode (vfs_node.ip): a directory of the cache, or a file found
 * by name in one, or (f*xattr on an open file) a file with its own fd.
 */
struct hnode {
	struct hdir *dir;    /* a directory: the cached one (a reference) */
	struct hdir *parent; /* another file: where it was found (a reference), by name */
	int fd;		     /* its own O_PATH fd (owned), or -1 until an op needs one */
	dev_t dev;	     /* what the lookup saw: the fd opened later must be this file */
	ino_t ino;
	/*
	 * What the lookup's fstatat saw, and in which walk (vfs_ns.walks; 0:
	 * none): a stat in the same walk, which is the same guest call, takes
	 * it instead of asking the host again.  An op that changes the file
	 * clears it.
	 */
	struct stat st;
	unsigned long walk;
	char name[];
};

#define PROC_PATH_MAX (32 + NAME_MAX)

/* "/proc/self/fd/FD": a host fd's file; with a name, "/proc/self/fd/FD/NAME" in its directory. */
static const char *proc_fd_path(char buf[PROC_PATH_MAX], int fd, const char *name)
{
	if (name)
		snprintf(buf, PROC_PATH_MAX, "/proc/self/fd/%d/%s", fd, name);
	else
		snprintf(buf, PROC_PATH_MAX, "/proc/self/fd/%d", fd);
	return buf;
}

struct hostfs_file {
	struct vfs_file base;
	int fd;	     /* O_RDONLY (or O_PATH for a guest O_PATH open), owned */
	bool blocks; /* gave -EAGAIN once: a file that waits, polled on the host */
	struct vfs_sb *sb; /* its mount's (borrowed), for f*xattr's read-only check */
	off_t dirpos;	   /* a directory: where getdents left fd's position; -1 unknown */
};

static int hfd_of(struct vfs_file *f)
{
	return container_of(f, struct hostfs_file, base)->fd;
}

/* The result of a host read or write: a file that would have waited says so from now on. */
static long io_result(struct vfs_file *f, ssize_t n)
{
	if (n >= 0)
		return n;
	if (errno != EWOULDBLOCK)
		return -errno;
	container_of(f, struct hostfs_file, base)->blocks = true;
	return -EAGAIN;
}

static long hostfs_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	return io_result(f, pread(hfd_of(f), buf, len, off));
}

static long hostfs_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	return io_result(f, pwrite(hfd_of(f), buf, len, off));
}

static int hostfs_pollfd(struct vfs_file *f)
{
	struct hostfs_file *hf = container_of(f, struct hostfs_file, base);

	return hf->blocks ? hf->fd : -1;
}

/* Attribute changes on a host fd; for a path node, fd is its O_PATH fd. */
static int set_fd_attr(int fd, bool opath, const struct vfs_attr *a)
{
	char proc[PROC_PATH_MAX];

	proc_fd_path(proc, fd, NULL);
	if ((a->valid & VFS_ATTR_MODE) && fchmodat(AT_FDCWD, proc, a->mode & 07777, 0))
		return -errno;
	if (a->valid & (VFS_ATTR_UID | VFS_ATTR_GID)) {
		uid_t uid = (a->valid & VFS_ATTR_UID) ? a->uid : (uid_t)-1;
		gid_t gid = (a->valid & VFS_ATTR_GID) ? a->gid : (gid_t)-1;
		if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
			return -errno;
	}
	if (a->valid & VFS_ATTR_SIZE) {
		int wfd = opath ? open(proc, O_WRONLY | O_NONBLOCK | O_CLOEXEC) : fd;
		if (wfd < 0)
			return -errno;
		int r = ftruncate(wfd, a->size) ? -errno : 0;
		if (opath)
			close(wfd);
		if (r)
			return r;
	}
	if (a->valid & (VFS_ATTR_ATIME | VFS_ATTR_MTIME)) {
		struct timespec ts[2] = {a->atime, a->mtime};
		if (!(a->valid & VFS_ATTR_ATIME))
			ts[0].tv_nsec = UTIME_OMIT;
		if (!(a->valid & VFS_ATTR_MTIME))
			ts[1].tv_nsec = UTIME_OMIT;
		if (utimensat(AT_FDCWD, proc, ts, 0))
			return -errno;
	}
	return 0;
}

static int hostfs_file_setattr(struct vfs_file *f, const struct vfs_attr *a)
{
	return set_fd_attr(hfd_of(f), false, a);
}

/* The host's fsync of the file is the caller's, off the event loop. */
static int hostfs_fsync(struct vfs_file *f, bool datasync, int *hostfd)
{
	*hostfd = hfd_of(f);
	return 0;
}

static int hostfs_fallocate(struct vfs_file *f, int mode, off_t off, off_t len)
{
	return fallocate(hfd_of(f), mode, off, len) ? -errno : 0;
}

static int hostfs_fstat(struct vfs_file *f, struct stat *st)
{
	return fstat(hfd_of(f), st) ? -errno : 0;
}

/* The d_off of the last of the n bytes of records getdents64 wrote to buf. */
static off_t last_d_off(const char *buf, long n)
{
	const struct dirent64 *d = (const void *)buf;
	long at = 0;

	while (d->d_reclen && at + d->d_reclen < n) {
		at += d->d_reclen;
		d = (const void *)(buf + at);
	}
	return d->d_off;
}

/*
 * The host keeps the directory position; f->pos mirrors it (lseek, dup).
 * As the host's getdents64 leaves it: the last record's d_off, which is
 * where it leaves the file's position too (fs/readdir.c: both are the
 * iteration's ctx.pos).  A read that finds nothing keeps f->pos: were the
 * host's position to have moved (no filesystem here does), reading from
 * either finds nothing.  So a directory read straight through makes no
 * lseek.
 */
static long hostfs_getdents(struct vfs_file *f, void *buf, size_t len)
{
	struct hostfs_file *hf = container_of(f, struct hostfs_file, base);

	if (hf->dirpos != f->pos && lseek(hf->fd, f->pos, SEEK_SET) < 0) {
		hf->dirpos = -1;
		return -errno;
	}
	hf->dirpos = f->pos;
	long n = syscall(SYS_getdents64, hf->fd, buf, len);
	if (n < 0)
		return -errno;
	if (n > 0)
		hf->dirpos = f->pos = last_d_off(buf, n);
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

static struct hnode *hnode_new(const char *name)
{
	struct hnode *h = calloc(1, sizeof(*h) + strlen(name) + 1);

	if (h) {
		h->fd = -1;
		strcpy(h->name, name);
	}
	return h;
}

/* f's host file as a node of its mount, for the f*xattr calls. */
static int hostfs_file_inode(struct vfs_file *f, struct vfs_node *out)
{
	struct hnode *h = hnode_new("");
	struct stat st;

	vfs_node_clear(out);
	if (!h)
		return -ENOMEM;
	h->fd = fcntl(hfd_of(f), F_DUPFD_CLOEXEC, 0);
	if (h->fd < 0 || fstat(h->fd, &st)) {
		int err = -errno;
		if (h->fd >= 0)
			close(h->fd);
		free(h);
		return err;
	}
	out->fs = &vfs_hostfs_ops;
	out->sb = container_of(f, struct hostfs_file, base)->sb;
	out->ip = h;
	out->mode = st.st_mode;
	return 0;
}

static struct vfs_sb *hostfs_file_sb(struct vfs_file *f)
{
	return container_of(f, struct hostfs_file, base)->sb;
}

/*
 * The host file's attribute, through its fd: one host call (a regular
 * file's fd is never O_PATH, so fgetxattr takes it without the walk of
 * /proc/self/fd/N).
 */
static long hostfs_file_getxattr(struct vfs_file *f, const char *name, void *buf, size_t size)
{
	ssize_t r = fgetxattr(hfd_of(f), name, buf, size);
	return r < 0 ? -errno : r;
}

static const struct vfs_file_ops hostfs_reg_ops = {
	.inode = hostfs_file_inode,
	.sb = hostfs_file_sb,
	.getxattr = hostfs_file_getxattr,
	.read = hostfs_read,
	.stat = hostfs_fstat,
	.hostfd = hostfs_hostfd,
	.pollfd = hostfs_pollfd,
	.release = hostfs_file_release,
	.fsync = hostfs_fsync,
};

/* A regular file of a writable instance. */
static const struct vfs_file_ops hostfs_rw_ops = {
	.inode = hostfs_file_inode,
	.sb = hostfs_file_sb,
	.getxattr = hostfs_file_getxattr,
	.read = hostfs_read,
	.write = hostfs_write,
	.stat = hostfs_fstat,
	.hostfd = hostfs_hostfd,
	.pollfd = hostfs_pollfd,
	.release = hostfs_file_release,
	.setattr = hostfs_file_setattr,
	.fsync = hostfs_fsync,
	.fallocate = hostfs_fallocate,
};

static const struct vfs_file_ops hostfs_dir_ops = {
	.inode = hostfs_file_inode,
	.sb = hostfs_file_sb,
	.getdents = hostfs_getdents,
	.stat = hostfs_fstat,
	.hostfd = hostfs_hostfd,
	.release = hostfs_file_release,
};

/* O_PATH files: no I/O, only a place (fstat, dirfd, fchdir). */
static const struct vfs_file_ops hostfs_path_ops = {
	.inode = hostfs_file_inode,
	.sb = hostfs_file_sb,
	.stat = hostfs_fstat,
	.release = hostfs_file_release,
};

/* A node standing on the cached directory d (a reference it takes over). */
static int dir_node(struct hdir *d, struct vfs_node *out)
{
	struct hnode *h = hnode_new("");

	if (!h) {
		hdir_put(d);
		return -ENOMEM;
	}
	h->dir = d;
	out->fs = &vfs_hostfs_ops;
	out->ip = h;
	out->mode = d->mode;
	return 0;
}

/* The directory a walk stands on (lookups and the *at ops start only from cached ones). */
static int dir_fd(const struct vfs_node *dir)
{
	const struct hnode *h = dir->ip;

	return h->dir ? h->dir->fd : -ENOTDIR;
}

/* The host fd h holds now: a directory's cached one, or its own; else -1. */
static int held_fd(const struct hnode *h)
{
	return h->dir ? h->dir->fd : h->fd;
}

/*
 * n's host fd: the one it holds, or its own O_PATH fd, opened now, and only
 * if its name still leads to the file the lookup saw (the name now names
 * another file: it is gone, -ENOENT).
 */
static int node_fd(const struct vfs_node *n)
{
	struct hnode *h = n->ip;
	struct stat st;

	if (held_fd(h) >= 0)
		return held_fd(h);
	int fd = openat(h->parent->fd, h->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_dev != h->dev || st.st_ino != h->ino) {
		close(fd);
		return -ENOENT;
	}
	return h->fd = fd;
}

static int hostfs_root(struct vfs_sb *sb, struct vfs_node *out)
{
	struct hostfs_sb *hs = sb->priv;

	hdir_get(hs->root);
	return dir_node(hs->root, out);
}

/* A node for the file name of parent (not a directory), whose identity the host showed. */
static int file_node(struct hdir *parent, const char *name, dev_t dev, ino_t ino, mode_t mode,
		     struct vfs_node *out)
{
	struct hnode *h = hnode_new(name);

	if (!h)
		return -ENOMEM;
	hdir_get(parent);
	h->parent = parent;
	h->dev = dev;
	h->ino = ino;
	out->fs = &vfs_hostfs_ops;
	out->ip = h;
	out->mode = mode;
	return 0;
}

/* What the lookup's fstatat saw of h's file, for a stat in the same walk (struct hnode). */
static void saw(struct hnode *h, const struct stat *st, const struct vfs_caller *c)
{
	h->st = *st;
	h->walk = c ? c->ns->walks : 0;
}

static int hostfs_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			 struct vfs_node *out)
{
	const struct hnode *ph = dir->ip;
	struct stat st;

	if (!ph->dir)
		return -ENOTDIR; /* a node of an open file (f*xattr) is never walked from */
	if (c) {
		hdir_events(ph->dir->hs, c->ns->walks);
		struct hdir *known = hdir_known(ph->dir, name);
		if (known)
			return dir_node(known, out);
		const struct hlink *l = hlink_known(ph->dir, name);
		if (l)
			return file_node(ph->dir, name, l->dev, l->ino, l->mode, out);
	}
	if (fstatat(ph->dir->fd, name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		struct hdir *d;
		int err = hdir_child(ph->dir, name, &st, &d);
		if (err || (err = dir_node(d, out)))
			return err;
		if (d->dev == st.st_dev && d->ino == st.st_ino) /* else opened after a change */
			saw(out->ip, &st, c);
		return 0;
	}
	int err = file_node(ph->dir, name, st.st_dev, st.st_ino, st.st_mode, out);
	if (!err)
		saw(out->ip, &st, c);
	if (!err && c && !S_ISLNK(st.st_mode)) /* a symlink's is kept with its target (readlink) */
		hlink_keep(ph->dir, name, &st, "", 0);
	return err;
}

/* An op changed n's file: a stat must ask the host. */
static void changed(const struct vfs_node *n)
{
	struct hnode *h = n->ip;

	h->walk = 0;
}

/*
 * What the host said of n earlier in this walk serves a stat: the lookup's
 * fstatat, or the fstat of a held fd on a read-only mount (nothing uos does
 * changes it), so that an open's permission check and the open itself ask
 * the host once.
 */
static int hostfs_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	struct hnode *h = n->ip;
	bool held = held_fd(h) >= 0, keep = c && (!held || vfs_node_readonly(n));

	if (keep && h->walk == c->ns->walks) {
		*st = h->st;
		return 0;
	}
	if (held) {
		if (fstat(held_fd(h), st))
			return -errno;
		if (keep)
			saw(h, st, c);
		return 0;
	}
	if (fstatat(h->parent->fd, h->name, st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	return st->st_dev == h->dev && st->st_ino == h->ino ? 0 : -ENOENT;
}

/*
 * A symlink's target: kept in the symlink cache (hostfs_links.c) where its
 * directory is watched, so that the next walk through it asks the host
 * nothing.  Kept only when the whole target was read, and as the lookup
 * saw the link in this walk (the fstatat just before, from the host).
 */
static long hostfs_readlink(struct vfs_caller *c, const struct vfs_node *n, char *buf, size_t size)
{
	const struct hnode *h = n->ip;

	if (!S_ISLNK(n->mode))
		return -EINVAL;
	const struct hlink *l = h->parent && c ? hlink_known(h->parent, h->name) : NULL;
	if (l && S_ISLNK(l->mode) && l->dev == h->dev && l->ino == h->ino) {
		size_t len = l->len < size ? l->len : size;
		memcpy(buf, l->target, len);
		return (long)len;
	}
	ssize_t len = h->fd >= 0 ? readlinkat(h->fd, "", buf, size)
				 : readlinkat(h->parent->fd, h->name, buf, size);
	if (len < 0)
		return -errno;
	if (h->parent && c && h->walk == c->ns->walks && (size_t)len < size)
		hlink_keep(h->parent, h->name, &h->st, buf, (size_t)len);
	return len;
}

/*
 * A host open failed (errno).  One that would wait for another host
 * process's lease to break parks t and is tried again (the guest's
 * O_NONBLOCK open gets EAGAIN, as Linux's would).
 */
static int open_failed(struct vfs_caller *c, int gflags)
{
	if (errno != EWOULDBLOCK || !c || (gflags & O_NONBLOCK))
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return vfs_park(c, NULL, uos_now_ns() + OPEN_RETRY_NS);
}

/* Reopen an O_PATH fd with real access, through the supervisor's /proc, O_NONBLOCK. */
static int reopen_fd(struct vfs_caller *c, int pathfd, int hflags, int gflags)
{
	char proc[PROC_PATH_MAX];

	int fd = open(proc_fd_path(proc, pathfd, NULL), hflags | O_NONBLOCK | O_CLOEXEC);
	return fd >= 0 ? fd : open_failed(c, gflags);
}

/*
 * A regular file n names, and holds no fd of: opened by that name at once,
 * O_NOFOLLOW and O_NONBLOCK, and kept only if it is the file the lookup
 * saw (two host calls, where an O_PATH fd, its fstat, the reopen and the
 * close of the O_PATH fd are four).  A name that now leads elsewhere: it is
 * gone, -ENOENT, as node_fd says.
 */
static int open_by_name(struct vfs_caller *c, const struct vfs_node *n, int hflags, int gflags)
{
	const struct hnode *h = n->ip;
	struct stat st;
	int fd = openat(h->parent->fd, h->name, hflags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return errno == ELOOP ? -ENOENT : open_failed(c, gflags);
	if (fstat(fd, &st) || st.st_dev != h->dev || st.st_ino != h->ino) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

static int hostfs_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		       struct vfs_file **out)
{
	const struct vfs_file_ops *ops = &hostfs_path_ops;
	bool by_name = S_ISREG(n->mode) && !(flags & O_PATH) && held_fd(n->ip) < 0;
	int fd = by_name ? 0 : node_fd(n);

	changed(n); /* O_TRUNC */
	if (fd < 0) {
		return fd;
	} else if (flags & O_PATH) {
		fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		fd = fd < 0 ? -errno : fd;
	} else if (S_ISREG(n->mode)) {
		bool rw = !vfs_node_readonly(n);
		int hflags = (rw ? flags & O_ACCMODE : O_RDONLY) | O_NOCTTY;
		ops = rw ? &hostfs_rw_ops : &hostfs_reg_ops;
		fd = by_name ? open_by_name(c, n, hflags, flags) : reopen_fd(c, fd, hflags, flags);
	} else if (S_ISDIR(n->mode)) {
		ops = &hostfs_dir_ops;
		fd = reopen_fd(c, fd, O_RDONLY | O_DIRECTORY, flags);
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
	hf->sb = n->sb;
	hf->base.seekable = !(flags & O_PATH);
	*out = &hf->base;
	return 0;
}

static int hostfs_statfs(const struct vfs_node *n, struct statfs *sf)
{
	int fd = node_fd(n);

	if (fd < 0)
		return fd;
	if (fstatfs(fd, sf))
		return -errno;
	if (vfs_node_readonly(n))
		sf->f_flags |= ST_RDONLY;
	return 0;
}

/*
 * The path the reading xattr calls take to n (never a symlink: the callers
 * answer for those): the fd it holds, or, for a file with none, its name in
 * its directory, which the host resolves now (the l*xattr calls, which
 * would not follow a symlink put there meanwhile), as a path-based call
 * does on Linux.  Either way one host call.
 */
static const char *xattr_path(const struct vfs_node *n, char buf[PROC_PATH_MAX], bool *by_name)
{
	const struct hnode *h = n->ip;

	*by_name = held_fd(h) < 0;
	return *by_name ? proc_fd_path(buf, h->parent->fd, h->name)
			: proc_fd_path(buf, held_fd(h), NULL);
}

/*
 * getxattr of a file found by name: Linux 6.13's getxattrat in its
 * directory, which skips the walk of /proc/self/fd/N (about 2.5 us of the
 * host's time each); -ENOSYS on an older host, which then takes the path.
 */
static long getxattr_by_name(const struct hnode *h, const char *name, void *buf, size_t size)
{
	static bool absent;
	struct xattr_args_ args = {(uintptr_t)buf, (uint32_t)size, 0};

	if (absent || size > UINT32_MAX)
		return -ENOSYS;
	long r = syscall(LINUX_NR_getxattrat, h->parent->fd, h->name, AT_SYMLINK_NOFOLLOW, name, &args,
			 sizeof(args));
	if (r < 0 && errno == ENOSYS)
		absent = true;
	return r < 0 ? -errno : r;
}

static long hostfs_getxattr(const struct vfs_node *n, const char *name, void *buf, size_t size)
{
	char proc[PROC_PATH_MAX];
	bool by_name;

	if (S_ISLNK(n->mode))
		return -ENODATA;
	if (held_fd(n->ip) < 0) {
		long r = getxattr_by_name(n->ip, name, buf, size);
		if (r != -ENOSYS)
			return r;
	}
	const char *path = xattr_path(n, proc, &by_name);
	ssize_t r = by_name ? lgetxattr(path, name, buf, size) : getxattr(path, name, buf, size);
	return r < 0 ? -errno : r;
}

static long hostfs_listxattr(const struct vfs_node *n, char *buf, size_t size)
{
	char proc[PROC_PATH_MAX];
	bool by_name;

	if (S_ISLNK(n->mode))
		return 0;
	const char *path = xattr_path(n, proc, &by_name);
	ssize_t r = by_name ? llistxattr(path, buf, size) : listxattr(path, buf, size);
	return r < 0 ? -errno : r;
}

/*
 * Which attributes a guest may change on a host file: user.* and the
 * POSIX ACLs (the VFS checked the blob), as it may chmod there.  Never
 * trusted.* or security.*: a capability or a trusted attribute that a
 * guest's (emulated) root put on a host file would be the host's to honour
 * (docs/SECURITY.md).
 */
static int host_may_change(const char *name)
{
	if (!strncmp(name, "user.", 5) || !strcmp(name, "system.posix_acl_access") ||
	    !strcmp(name, "system.posix_acl_default"))
		return 0;
	if (!strncmp(name, "trusted.", 8) || !strncmp(name, "security.", 9))
		return -EPERM;
	return -EOPNOTSUPP;
}

/* setxattr (value NULL: removexattr) on a writable instance: the host file's, as a bind mount. */
static int hostfs_setxattr(struct vfs_caller *c, const struct vfs_node *n, const char *name,
			   const void *value, size_t size, int flags)
{
	char proc[PROC_PATH_MAX];
	int err = host_may_change(name);

	if (err)
		return err;
	if (S_ISLNK(n->mode))
		return -EOPNOTSUPP; /* through /proc/self/fd the host would follow it */
	int fd = node_fd(n);
	if (fd < 0)
		return fd;
	changed(n);
	proc_fd_path(proc, fd, NULL);
	err = value ? setxattr(proc, name, value, size, flags) : removexattr(proc, name);
	return err ? -errno : 0;
}

static void hostfs_release(struct vfs_node *n)
{
	struct hnode *h = n->ip;

	if (h->fd >= 0)
		close(h->fd);
	if (h->dir || h->parent)
		hdir_put(h->dir ? h->dir : h->parent);
	free(h);
}

/* The namespace-changing ops of a writable instance: the host's *at calls. */

static int hostfs_create(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			 const struct vfs_newnode *nn, struct vfs_node *out)
{
	mode_t perm = nn->mode & 07777;
	int r = 0, dfd = dir_fd(dir);

	if (dfd < 0)
		return dfd;
	switch (nn->mode & S_IFMT) {
	case S_IFREG: {
		int fd = openat(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, perm);
		r = fd < 0 ? -errno : close(fd);
		break;
	}
	case S_IFDIR:
		r = mkdirat(dfd, name, perm) ? -errno : 0;
		break;
	case S_IFLNK:
		r = symlinkat(nn->target, dfd, name) ? -errno : 0;
		break;
	default:
		r = mknodat(dfd, name, nn->mode, nn->rdev) ? -errno : 0;
		break;
	}
	if (r)
		return r;
	/* The host's umask must not narrow what the guest asked for. */
	if (!S_ISLNK(nn->mode))
		(void)fchmodat(dfd, name, perm, 0);
	(void)fchownat(dfd, name, nn->uid, nn->gid, AT_SYMLINK_NOFOLLOW);
	if (!out)
		return 0;
	return hostfs_lookup(c, dir, name, out);
}

static int hostfs_link(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_node *dir,
		       const char *name)
{
	char proc[PROC_PATH_MAX];
	int fd = node_fd(n), dfd = dir_fd(dir);

	if (fd < 0 || dfd < 0)
		return fd < 0 ? fd : dfd;
	changed(n); /* its link count */
	proc_fd_path(proc, fd, NULL);
	return linkat(AT_FDCWD, proc, dfd, name, AT_SYMLINK_FOLLOW) ? -errno : 0;
}

static int hostfs_unlink(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	int dfd = dir_fd(dir);

	if (dfd < 0)
		return dfd;
	return unlinkat(dfd, name, 0) ? -errno : 0;
}

static int hostfs_rmdir(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	int dfd = dir_fd(dir);

	if (dfd < 0)
		return dfd;
	return unlinkat(dfd, name, AT_REMOVEDIR) ? -errno : 0;
}

static int hostfs_rename(struct vfs_caller *c, const struct vfs_node *odir, const char *oname,
			 const struct vfs_node *ndir, const char *nname, unsigned flags)
{
	int ofd = dir_fd(odir), nfd = dir_fd(ndir);

	if (ofd < 0 || nfd < 0)
		return ofd < 0 ? ofd : nfd;
	return syscall(SYS_renameat2, ofd, oname, nfd, nname, flags) ? -errno : 0;
}

static int hostfs_setattr(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_attr *a)
{
	int fd = node_fd(n);

	changed(n);
	return fd < 0 ? fd : set_fd_attr(fd, true, a);
}

static void hostfs_kill_sb(struct vfs_sb *sb)
{
	struct hostfs_sb *hs = sb->priv;

	hdir_fini(hs);
	free(hs);
}

int vfs_hostfs_sb(const char *hostdir, bool readonly, struct vfs_sb **out)
{
	struct hostfs_sb *hs = calloc(1, sizeof(*hs));

	if (!hs)
		return -ENOMEM;
	int err = hdir_root(hs, hostdir);
	if (err) {
		free(hs);
		return err;
	}
	*out = vfs_sb_alloc(&vfs_hostfs_ops, hs, readonly);
	if (!*out) {
		hdir_fini(hs);
		free(hs);
		return -ENOMEM;
	}
	return 0;
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
	.setxattr = hostfs_setxattr,
	.release = hostfs_release,
	.create = hostfs_create,
	.link = hostfs_link,
	.unlink = hostfs_unlink,
	.rmdir = hostfs_rmdir,
	.rename = hostfs_rename,
	.setattr = hostfs_setattr,
	.kill_sb = hostfs_kill_sb,
};
