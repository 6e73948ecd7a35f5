/*
 * What the two halves of the imgfs VFS adapter share: the mounted instance
 * (sb->priv) and the in-memory vnode of each inode in use.
 */
#pragma once

#include <errno.h>

#include "imgfs.h"
#include "vfs_impl.h"

/* sb->priv: refcounted by the mount and every vnode (open files outlive mounts). */
struct imgfs_vsb {
	int refs;
	struct imgfs *fs;
	int fd; /* the image */
	dev_t dev;
	struct memcg *cg; /* memfd copies are charged to it (MEMCG_CACHE) */
	struct imgfs_vnode *vnodes;
};

/*
 * One inode in use by nodes and files: pins the imgfs inode.  memfd is the
 * file's page cache once anything maps it (hostfd): from then on read and
 * write go to it too, and it is written back on fsync and at the last put.
 * The memfd is host memory uos holds for the guests: its whole size is
 * charged (a fault on a hole backs a page), -ENOMEM for the mapping or
 * -ENOSPC for a growth past the charge's room.
 */
struct imgfs_vnode {
	int refs;
	struct imgfs_vsb *vs;
	uint32_t ino;
	int memfd;
	/*
	 * memfd may differ from the image: it was written, truncated, or handed
	 * to a file open for writing (a shared mapping may store into it).  A
	 * copy that only read-only files mapped (programs, libraries) is never
	 * written back.  Stays set: uos does not see the stores of a mapping.
	 */
	bool changed;
	unsigned long charged; /* bytes charged for memfd: its size in pages, holes too */
	struct imgfs_vnode *next;
};

extern const struct vfs_fs_ops vfs_imgfs_ops;

/* A walk node of vn's inode (a new reference), for the f*xattr calls on its files. */
int imgfs_vnode_node(struct imgfs_vnode *vn, struct vfs_node *out);
/* The vnode of ino with a new reference: 0 or -errno. */
int imgfs_vget(struct imgfs_vsb *vs, uint32_t ino, struct imgfs_vnode **out);
void imgfs_vhold(struct imgfs_vnode *vn);
void imgfs_vput(struct imgfs_vnode *vn);
/* Write vn's memfd (if any) back to the image.  0 or -errno. */
int imgfs_vflush(struct imgfs_vnode *vn);
/* Every vnode's memfd and the block cache to the image file (not fdatasynced).  0 or -errno. */
int imgfs_vsb_flush(struct imgfs_vsb *vs);
/* stat of vn (st_dev, and the memfd's size when it caches the file). */
int imgfs_vstat(struct imgfs_vnode *vn, struct stat *st);
/* Open vn: a new file. */
int imgfs_vopen(struct imgfs_vnode *vn, const char *canon, int flags, struct vfs_file **out);
/* Apply a VFS attribute change to vn (the memfd's size too). */
int imgfs_vsetattr(struct imgfs_vnode *vn, const struct vfs_attr *a);
