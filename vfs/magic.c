/*
 * Magic nodes: where a followed magic link (procfs's /proc/PID/fd/N, whose
 * file has no walkable path: a pipe, a socket, a removed file) leads.  The
 * node holds the open file itself; opening it reopens that file (a FIFO or
 * terminal by its own reopen) or shares it, as on Linux.
 */
#include <errno.h>
#include <fcntl.h>

#include "vfs_impl.h"

static int magic_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			struct vfs_node *out)
{
	return -ENOTDIR;
}

static int magic_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	return vfs_fstat(n->file, st);
}

static int magic_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		      struct vfs_file **out)
{
	struct vfs_file *f = n->file;

	if (f->ops->reopen)
		return f->ops->reopen(f, flags & ~(O_CREAT | O_EXCL | O_TRUNC), out);
	vfs_file_get(f);
	*out = f;
	return 0;
}

static void magic_release(struct vfs_node *n)
{
	vfs_file_put(n->file);
}

const struct vfs_fs_ops vfs_magic_ops = {
	.name = "magic",
	.lookup = magic_lookup,
	.stat = magic_stat,
	.open = magic_open,
	.release = magic_release,
};
