/*
 * imgfs as a VFS filesystem: an ext2 image mounted in the guest's world.
 * Only vfs/ code includes this (it needs vfs_impl.h's types).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct vfs_ns;
struct vfs_sb;

/*
 * Mount the ext2 image on host fd (consumed, even on error) as a new sb of
 * namespace ns (its memfd copies charged to ns->k), writable unless
 * readonly.  0, or -errno with a message in why (a bad or unsupported
 * image: -EINVAL).
 */
int vfs_imgfs_sb_fd(struct vfs_ns *ns, int fd, bool readonly, struct vfs_sb **out, char *why,
		    size_t whylen);
/* The same for the image file at host path image. */
int vfs_imgfs_sb(struct vfs_ns *ns, const char *image, bool readonly, struct vfs_sb **out,
		 char *why, size_t whylen);
