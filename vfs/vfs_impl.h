/*
 * What the files of vfs/ share and nobody else sees: the mount table, the
 * transient nodes a path walk steps through, and the operations each
 * filesystem (hostfs, procfs, devfs) gives the walk.
 *
 * A node is not cached: the walk builds one per step and releases it.  A
 * hostfs node owns a host O_PATH fd; a "magic" node (what /proc/PID/fd/N
 * leads to when the file has no walkable path, e.g. a pipe or a terminal)
 * owns a reference to that open file.
 */
#pragma once

#include <limits.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "kernel.h"
#include "task.h"
#include "vfs.h"

struct vfs_fs_ops;

/* One step of a walk: what a name resolved to. */
struct vfs_node {
	const struct vfs_fs_ops *fs;
	mode_t mode;	       /* S_IFMT bits and permissions */
	int hfd;	       /* hostfs: an O_PATH host fd (owned), else -1 */
	int kind;	       /* procfs/devfs: which node */
	int pid, tid, fd;      /* procfs: whose */
	struct vfs_file *file; /* magic: a reference to the file it stands for */
};

/*
 * What a filesystem gives the walk.  lookup never sees "." or ".." and
 * never a name with a slash.  Every op except lookup, stat and release may be
 * NULL: readlink → -EINVAL, open → -ENXIO, xattr ops → -EOPNOTSUPP.
 */
struct vfs_fs_ops {
	const char *name;
	int (*root)(struct kernel *k, struct vfs_node *out);
	int (*lookup)(struct task *t, const struct vfs_node *dir, const char *name,
		      struct vfs_node *out);
	int (*stat)(struct task *t, const struct vfs_node *n, struct stat *st);
	/* Symlink target into buf[size], not NUL-terminated: the length or -errno. */
	long (*readlink)(struct task *t, const struct vfs_node *n, char *buf, size_t size);
	/*
	 * For magic links (/proc/PID/fd/N): 1 and a new file reference in *out
	 * when the link leads to an open file rather than to a path, 0 to
	 * follow the readlink text as a normal symlink, or -errno.
	 */
	int (*magic)(struct task *t, const struct vfs_node *n, struct vfs_file **out);
	/* Open n; canon is its canonical path.  Flags are already checked. */
	int (*open)(struct task *t, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out);
	int (*statfs)(const struct vfs_node *n, struct statfs *sf);
	long (*getxattr)(const struct vfs_node *n, const char *name, void *buf, size_t size);
	long (*listxattr)(const struct vfs_node *n, char *buf, size_t size);
	void (*release)(struct vfs_node *n);
	bool readonly; /* every write or create gives EROFS */
};

#define VFS_MAX_MOUNTS 8

struct vfs_mount {
	char *path; /* canonical mount point */
	const struct vfs_fs_ops *fs;
};

struct vfs_ns {
	int hostroot; /* O_PATH fd of the host directory mounted at / */
	int nmounts;
	struct vfs_mount mounts[VFS_MAX_MOUNTS];
};

extern const struct vfs_fs_ops vfs_hostfs_ops;
extern const struct vfs_fs_ops vfs_procfs_ops;
extern const struct vfs_fs_ops vfs_devfs_ops;
extern const struct vfs_fs_ops vfs_magic_ops;

/* A node with nothing in it (hfd -1). */
void vfs_node_clear(struct vfs_node *n);
/* Release what n holds and clear it. */
void vfs_node_release(struct vfs_node *n);

/* The filesystem mounted exactly at canonical path, or NULL. */
const struct vfs_fs_ops *vfs_mount_at(struct kernel *k, const char *path);

/* Lookup flags for vfs_walk. */
#define WALK_FOLLOW 1	 /* follow a final symlink */
#define WALK_PARENT 2	 /* stop at the parent of the last component */
#define WALK_EMPTY 4	 /* an empty path names the start directory (AT_EMPTY_PATH) */
#define WALK_DIRECTORY 8 /* the result must be a directory */
#define WALK_NO_SYMLINKS 16 /* RESOLVE_NO_SYMLINKS: any symlink is ELOOP */
#define WALK_NO_MAGIC 32    /* RESOLVE_NO_MAGICLINKS: a magic link is ELOOP */
#define WALK_BENEATH 64	    /* RESOLVE_BENEATH: never above the start (EXDEV) */
#define WALK_NO_XDEV 128    /* RESOLVE_NO_XDEV: never cross a mount (EXDEV) */

/* The result of a walk. */
struct vfs_walk {
	struct vfs_node node; /* the final node, or with WALK_PARENT the parent */
	char canon[PATH_MAX]; /* its canonical path */
	/* With WALK_PARENT: the last component and what kind it is. */
	char last[NAME_MAX + 1];
	enum { WALK_LAST_NORM, WALK_LAST_DOT, WALK_LAST_DOTDOT, WALK_LAST_ROOT } last_type;
	bool trailing_slash; /* the path ended with '/' */
	bool missing_last;   /* ENOENT came from the final component (O_CREAT may create) */
};

/*
 * Walk path from dir (NULL: the task's cwd).  On success the caller owns w->node
 * and must vfs_node_release it.  Errors: ENOENT, ENOTDIR, ELOOP,
 * ENAMETOOLONG, EACCES (search permission).
 */
int vfs_walk(struct task *t, struct vfs_file *dir, const char *path, int wflags,
	     struct vfs_walk *w);
/* Look up one name in the parent a WALK_PARENT walk left (no follow). */
int vfs_walk_last(struct task *t, struct vfs_walk *w, struct vfs_node *out);

/* The canonical path of the mount-aware child "parent/name" into out[PATH_MAX]. */
int vfs_path_join(char *out, const char *parent, const char *name);

/* Generic file helpers (file.c). */

/* A zeroed file of size bytes (at least sizeof(struct vfs_file)) with one reference. */
void *vfs_file_alloc(size_t size, const struct vfs_file_ops *ops, int flags, const char *path);

/*
 * A read-only file whose contents are buf (consumed: freed on release).
 * Seekable, like procfs's seq files.
 */
int vfs_buffile(char *buf, size_t len, int flags, const char *path, const struct stat *st,
		struct vfs_file **out);

/* One directory entry a synthetic directory lists. */
struct vfs_dirent {
	unsigned long ino;
	unsigned char type; /* DT_* */
	char name[NAME_MAX + 1];
};
/* A directory file listing ents[n] (consumed).  stat comes from st. */
int vfs_dirfile(struct vfs_dirent *ents, int n, const struct stat *st, int flags,
		const char *path, struct vfs_file **out);

/*
 * Append one linux_dirent64 record at buf+*used (advancing *used), whose
 * d_off is next.  -EINVAL when it does not fit in len.
 */
long vfs_dirent_emit(void *buf, size_t len, size_t *used, unsigned long ino, off_t next,
		     unsigned char type, const char *name);

/* A file on a host fd (consumed): a terminal, stdio, a host char device. */
int vfs_hostchr(int hostfd, int flags, const char *path, struct vfs_file **out);

/*
 * May the task access a file with stat st for mask (R_OK|W_OK|X_OK)?
 * Root may do anything but execute a file with no x bit.  real: use the
 * real ids (access(2)) instead of the fs ids.  0 or -EACCES.
 */
int vfs_perm(struct task *t, const struct stat *st, int mask, bool real);
