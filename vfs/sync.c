/*
 * The writeback of mounted filesystems: sync(2) walks the mounts one by
 * one (the caller fdatasyncs each host fd it is given before the next,
 * without the event loop waiting), and the periodic writeback asks each
 * filesystem to write what has waited long enough.  Filesystems whose files
 * are the host's own (hostfs) or live in memory (tmpfs, procfs) have no
 * sync_fs: the host writes back its own pages.  An overlay forwards to its
 * upper layer.
 */
#include <errno.h>

#include "overlay_impl.h"
#include "vfs.h"
#include "vfs_impl.h"

/* Whether sb keeps changes of its own to write back (an image, or an overlay over one). */
static bool sb_keeps(const struct vfs_sb *sb)
{
	if (sb && sb->fs == &vfs_overlay_ops)
		return sb_keeps(((const struct ovl_sb *)sb->priv)->upper);
	return sb && sb->fs->sync_fs;
}

bool vfs_writeback_needed(const struct vfs_ns *ns)
{
	for (int i = 0; i < ns->nmounts; i++)
		if (sb_keeps(ns->mounts[i].sb))
			return true;
	return false;
}

int vfs_sb_sync(struct vfs_sb *sb, unsigned age, int *hostfd)
{
	*hostfd = -1;
	return sb && sb->fs->sync_fs ? sb->fs->sync_fs(sb, age, hostfd) : 0;
}

int vfs_sync_mount(struct vfs_ns *ns, int i, int *hostfd)
{
	*hostfd = -1;
	if (i < 0 || i >= ns->nmounts)
		return -ENOENT;
	return vfs_sb_sync(ns->mounts[i].sb, 0, hostfd);
}

int vfs_writeback(struct vfs_ns *ns, unsigned age)
{
	int err = 0, hostfd;

	for (int i = 0; i < ns->nmounts; i++) {
		int r = vfs_sb_sync(ns->mounts[i].sb, age, &hostfd);

		if (r && !err)
			err = r;
	}
	return err;
}
