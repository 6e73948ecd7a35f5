/*
 * devfs: the guest's /dev, a fixed table of nodes implemented by uos.
 *
 * null, zero, full, random and urandom are answered by uos itself (random
 * bytes from getrandom); tty opens the host's /dev/tty, the user's terminal,
 * or fails with ENXIO when there is none; stdin, stdout, stderr and fd are
 * symlinks into /proc/self/fd.  stat data is the host's for the same names
 * where the host has them, so differential tests see the same numbers.
 * The mount is read-only: nothing can be created, but the devices may be
 * opened for writing, as special files on a read-only mount can.  shm is a
 * writable tmpfs (POSIX shared memory and semaphores live there), made on
 * first lookup and owned by the devfs instance (sb->priv): the walk steps
 * from devfs into the tmpfs as it would across a mount.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "vfs_impl.h"

enum dev_kind {
	DEV_ROOT,
	DEV_NULL,
	DEV_ZERO,
	DEV_FULL,
	DEV_RANDOM,
	DEV_URANDOM,
	DEV_TTY,
	DEV_STDIN,
	DEV_STDOUT,
	DEV_STDERR,
	DEV_FD,
	DEV_SHM,
	DEV_PTMX,
	DEV_PTS,
};

static const struct dev_entry {
	const char *name;
	enum dev_kind kind;
	mode_t mode;
	unsigned major, minor;
	const char *target; /* symlinks */
} dev_table[] = {
	{"null", DEV_NULL, S_IFCHR | 0666, 1, 3, NULL},
	{"zero", DEV_ZERO, S_IFCHR | 0666, 1, 5, NULL},
	{"full", DEV_FULL, S_IFCHR | 0666, 1, 7, NULL},
	{"random", DEV_RANDOM, S_IFCHR | 0666, 1, 8, NULL},
	{"urandom", DEV_URANDOM, S_IFCHR | 0666, 1, 9, NULL},
	{"tty", DEV_TTY, S_IFCHR | 0666, 5, 0, NULL},
	{"stdin", DEV_STDIN, S_IFLNK | 0777, 0, 0, "/proc/self/fd/0"},
	{"stdout", DEV_STDOUT, S_IFLNK | 0777, 0, 0, "/proc/self/fd/1"},
	{"stderr", DEV_STDERR, S_IFLNK | 0777, 0, 0, "/proc/self/fd/2"},
	{"fd", DEV_FD, S_IFLNK | 0777, 0, 0, "/proc/self/fd"},
	{"shm", DEV_SHM, S_IFDIR | 01777, 0, 0, NULL},
	{"ptmx", DEV_PTMX, S_IFCHR | 0666, 5, 2, NULL},
	{"pts", DEV_PTS, S_IFDIR | 0755, 0, 0, NULL}, /* devpts is mounted on it */
};

#define DEVFS_DEV 0x5  /* st_dev of the synthetic nodes */
#define DEVFS_INO0 100 /* inode numbers: DEVFS_INO0 + kind */

static const struct dev_entry *entry_of(int kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(dev_table); i++)
		if ((int)dev_table[i].kind == kind)
			return &dev_table[i];
	return NULL;
}

static int devfs_root(struct vfs_sb *sb, struct vfs_node *out)
{
	out->fs = &vfs_devfs_ops;
	out->kind = DEV_ROOT;
	out->mode = S_IFDIR | 0755;
	return 0;
}

/* The root of /dev/shm: the tmpfs that dir's devfs instance owns (made now if need be). */
static int lookup_shm(struct vfs_caller *c, const struct vfs_node *dir, struct vfs_node *out)
{
	struct vfs_sb *sb = dir->sb;
	int err;

	if (!sb)
		return -ENOENT;
	if (!sb->priv) {
		struct vfs_sb *shm;
		err = vfs_tmpfs_sb(c->ns, &shm);
		if (err)
			return err;
		shm->nosuid = true; /* as Linux's /dev/shm (and /proc/mounts says) */
		sb->priv = shm;
	}
	struct vfs_sb *shm = sb->priv;
	err = shm->fs->root(shm, out);
	if (!err) {
		out->fs = shm->fs;
		out->sb = shm;
	}
	return err;
}

static int devfs_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			struct vfs_node *out)
{
	if (!strcmp(name, "shm"))
		return lookup_shm(c, dir, out);
	for (size_t i = 0; i < ARRAY_SIZE(dev_table); i++) {
		if (strcmp(dev_table[i].name, name))
			continue;
		out->fs = &vfs_devfs_ops;
		out->kind = dev_table[i].kind;
		out->mode = dev_table[i].mode;
		return 0;
	}
	return -ENOENT;
}

/* The host's stat of the same name when it is the same kind of node. */
static bool host_stat(const char *name, mode_t mode, struct stat *st)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/%s", name);
	if (lstat(path, st))
		return false;
	return (st->st_mode & S_IFMT) == (mode & S_IFMT);
}

static int devfs_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	const struct dev_entry *e = entry_of(n->kind);
	const char *name = e ? e->name : "";

	memset(st, 0, sizeof(*st));
	if (host_stat(name, n->mode, st))
		return 0;
	memset(st, 0, sizeof(*st));
	st->st_dev = DEVFS_DEV;
	st->st_ino = DEVFS_INO0 + n->kind;
	st->st_mode = n->mode;
	st->st_nlink = S_ISDIR(n->mode) ? 2 : 1;
	st->st_blksize = 4096;
	if (e && e->target)
		st->st_size = (off_t)strlen(e->target);
	if (e && S_ISCHR(e->mode))
		st->st_rdev = makedev(e->major, e->minor);
	return 0;
}

static long devfs_readlink(struct vfs_caller *c, const struct vfs_node *n, char *buf, size_t size)
{
	const struct dev_entry *e = entry_of(n->kind);

	if (!e || !e->target)
		return -EINVAL;
	size_t len = strlen(e->target);
	if (len > size)
		len = size;
	memcpy(buf, e->target, len);
	return (long)len;
}

/* The device files. */
struct dev_file {
	struct vfs_file base;
	int kind;
	struct stat st;
};

static long dev_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	switch (container_of(f, struct dev_file, base)->kind) {
	case DEV_NULL:
		return 0;
	case DEV_RANDOM:
	case DEV_URANDOM: {
		ssize_t n = getrandom(buf, len, 0);
		return n < 0 ? -errno : n;
	}
	default:
		memset(buf, 0, len);
		return (long)len;
	}
}

static long dev_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	if (container_of(f, struct dev_file, base)->kind == DEV_FULL)
		return -ENOSPC;
	return (long)len;
}

static int dev_fstat(struct vfs_file *f, struct stat *st)
{
	*st = container_of(f, struct dev_file, base)->st;
	return 0;
}

/* Seeking a memory device always lands at 0, as drivers/char/mem.c does. */
static off_t dev_llseek(struct vfs_file *f, off_t off, int whence)
{
	f->pos = 0;
	return 0;
}

static const struct vfs_file_ops dev_ops = {
	.read = dev_read,
	.write = dev_write,
	.stat = dev_fstat,
	.llseek = dev_llseek,
};

static int open_root(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		     struct vfs_file **out)
{
	struct vfs_dirent *ents = calloc(ARRAY_SIZE(dev_table) + 2, sizeof(*ents));
	struct stat st;
	int n_ents = 0;

	if (!ents)
		return -ENOMEM;
	devfs_stat(c, n, &st);
	ents[n_ents++] = (struct vfs_dirent){st.st_ino, DT_DIR, "."};
	ents[n_ents++] = (struct vfs_dirent){1, DT_DIR, ".."};
	for (size_t i = 0; i < ARRAY_SIZE(dev_table); i++) {
		struct vfs_dirent *e = &ents[n_ents++];
		e->ino = DEVFS_INO0 + dev_table[i].kind;
		e->type = S_ISLNK(dev_table[i].mode)	? DT_LNK
			  : S_ISDIR(dev_table[i].mode) ? DT_DIR
						       : DT_CHR;
		strcpy(e->name, dev_table[i].name);
	}
	return vfs_dirfile(ents, n_ents, &st, flags, canon, out);
}

/*
 * /dev/tty: the caller's controlling terminal when it is one of uos's (the
 * kernel layer's ctty hook), else the user's terminal, the host's /dev/tty.
 */
static int open_tty(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out)
{
	const struct vfs_hooks *h = c->ns->hooks;
	struct stat st;
	int err = -ENODEV;

	if (h && h->ctty) {
		devfs_stat(c, n, &st);
		err = h->ctty(c, flags & ~O_CREAT, canon, &st, out);
	}
	if (err != -ENODEV)
		return err;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC); /* uos never waits */
	if (fd < 0)
		return errno == ENOENT ? -ENXIO : -errno;
	return vfs_hostchr(fd, flags & ~O_CREAT, "/dev/tty", out);
}

/* /dev/ptmx: a new pair of the devpts instance mounted beside it, on ./pts (as ptmx_open). */
static int open_ptmx(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		     struct vfs_file **out)
{
	char pts[PATH_MAX];
	const char *slash = strrchr(canon, '/');
	struct stat st;

	snprintf(pts, sizeof(pts), "%.*s/pts", slash ? (int)(slash - canon) : 0, canon);
	struct vfs_mount *m = vfs_mount_find(c->ns, pts);
	if (!m || m->fs != &vfs_devpts_ops)
		return -ENODEV;
	devfs_stat(c, n, &st);
	return vfs_devpts_ptmx(c, m->sb, flags & ~O_CREAT, canon, &st, out);
}

static int devfs_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		      struct vfs_file **out)
{
	if (n->kind == DEV_ROOT)
		return open_root(c, n, canon, flags, out);
	if (n->kind == DEV_TTY)
		return open_tty(c, n, canon, flags, out);
	if (n->kind == DEV_PTMX)
		return open_ptmx(c, n, canon, flags, out);
	struct dev_file *df = vfs_file_alloc(sizeof(*df), &dev_ops, flags, canon);
	if (!df)
		return -ENOMEM;
	df->kind = n->kind;
	devfs_stat(c, n, &df->st);
	df->base.seekable = true;
	*out = &df->base;
	return 0;
}

static int devfs_statfs(const struct vfs_node *n, struct statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = 0x01021994; /* TMPFS_MAGIC, as devtmpfs reports */
	sf->f_bsize = 4096;
	sf->f_namelen = NAME_MAX;
	sf->f_frsize = 4096;
	sf->f_flags = ST_RDONLY | ST_NOSUID | ST_NOEXEC;
	return 0;
}

/* Unmount: the /dev/shm tmpfs goes with it (its open files keep their inodes). */
static void devfs_kill_sb(struct vfs_sb *sb)
{
	if (sb->priv)
		vfs_sb_free(sb->priv);
	sb->priv = NULL;
}

const struct vfs_fs_ops vfs_devfs_ops = {
	.kill_sb = devfs_kill_sb,
	.name = "devfs",
	.root = devfs_root,
	.lookup = devfs_lookup,
	.stat = devfs_stat,
	.readlink = devfs_readlink,
	.open = devfs_open,
	.statfs = devfs_statfs,
	.readonly = true,
};
