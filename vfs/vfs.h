/*
 * The VFS: the guest's file world.
 *
 * A mount table maps canonical absolute paths to filesystems (hostfs at /,
 * procfs at /proc, devfs at /dev).  uos walks every path itself, component by
 * component, resolving symlinks against the guest's root, so that no symlink
 * leads out of the guest's world and mount points are crossed by uos.
 *
 * References: an fd slot holds a reference to its vfs_file; vfs_open returns
 * a new reference; vfs_file_put drops one and the last releases the file.
 */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

struct kernel;
struct task;
struct vfs_file;

/*
 * Operations on an open file.  NULL means unsupported and vfs/file.c picks
 * Linux's errno: read/write -EINVAL, lseek -ESPIPE, getdents -ENOTDIR,
 * ioctl -ENOTTY, hostfd (mmap) -ENODEV.
 */
struct vfs_file_ops {
	long (*read)(struct vfs_file *f, void *buf, size_t len, off_t off);
	long (*write)(struct vfs_file *f, const void *buf, size_t len, off_t off);
	/* Fill buf with linux_dirent64 records from f->pos on; advance f->pos. */
	long (*getdents)(struct vfs_file *f, void *buf, size_t len);
	int (*stat)(struct vfs_file *f, struct stat *st);
	/* arg is a uos buffer of the size the ioctl's definition gives. */
	long (*ioctl)(struct vfs_file *f, unsigned long cmd, void *arg);
	/* A host fd whose pages the guest may map (borrowed), or -ENODEV. */
	int (*hostfd)(struct vfs_file *f);
	void (*release)(struct vfs_file *f);
};

struct vfs_file {
	int refs;
	const struct vfs_file_ops *ops;
	int flags;  /* the O_* flags the file was opened with (status flags) */
	off_t pos;  /* the file offset; unused for streams */
	bool seekable;
	char *path; /* canonical path, for /proc, maps and --trace */
};

/* Mount hostfs (read-only) at /, procfs at /proc, devfs at /dev.  0 or -errno. */
int vfs_ns_init(struct kernel *k);
void vfs_ns_fini(struct kernel *k);

/*
 * Open path relative to dir (NULL: the task's cwd).  flags are open(2)'s.
 * Returns 0 and a new reference in *out, or -errno (ENOENT, ENOTDIR, ELOOP,
 * EACCES, EROFS for any write or create on a read-only mount ...).
 */
int vfs_open(struct task *t, struct vfs_file *dir, const char *path, int flags, mode_t mode,
	     struct vfs_file **out);

/* A file for one of the supervisor's own stdio fds (0, 1, 2). */
int vfs_stdio(struct kernel *k, int hostfd, struct vfs_file **out);

void vfs_file_get(struct vfs_file *f);
void vfs_file_put(struct vfs_file *f);

long vfs_read(struct vfs_file *f, void *buf, size_t len, off_t off);
long vfs_write(struct vfs_file *f, const void *buf, size_t len, off_t off);
int vfs_fstat(struct vfs_file *f, struct stat *st);
int vfs_hostfd(struct vfs_file *f);
