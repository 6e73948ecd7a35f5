/*
 * What overlay.c and overlay_copyup.c share: the overlay's superblock and
 * inodes (see overlay.c), a lookup in one layer, and copy-up.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "vfs_impl.h"

#define COPY_CHUNK (64 * 1024) /* bytes a copy-up or a directory read takes at a time */

struct ovl_origin {
	dev_t udev;
	ino_t uino;
	dev_t ldev;
	ino_t lino;
};

struct ovl_sb {
	struct vfs_sb *lower, *upper; /* owned */
	struct ovl_origin *orig;      /* copied-up files: where they came from */
	int norig, cap;
};

struct ovl_inode {
	char *rel;		     /* path from the overlay root, "" for the root */
	struct vfs_node upper, lower; /* fs NULL where the layer has no such name */
	bool opaque;		     /* a directory whose lower layer does not show */
};

/* Whether the layer has a node here (fs NULL where it has no such name). */
static inline bool ovl_has(const struct vfs_node *n)
{
	return n->fs != NULL;
}

/* Look up name in one layer's directory node (absent: -ENOENT). */
int ovl_layer_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		     struct vfs_node *out);
/* Give oi an upper node, copying it up from the lower layer when it has none. */
int ovl_copy_up(struct vfs_caller *c, struct ovl_sb *os, struct ovl_inode *oi);
/* Where the copied-up upper file udev/uino came from, or NULL (made in the overlay). */
const struct ovl_origin *ovl_origin_find(struct ovl_sb *os, dev_t udev, ino_t uino);
