/*
 * The mount table of the guest's file world (struct vfs_ns, k->vfs): a host
 * directory, read-only, at /; procfs at /proc; devfs at /dev.  Mounts are
 * matched on canonical paths by the walk (namei.c), which crosses them
 * itself.  The host directory is held as one O_PATH fd from init on, so a
 * rename of the host path later does not move the guest's root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs_impl.h"

static int add_mount(struct vfs_ns *ns, const char *path, const struct vfs_fs_ops *fs)
{
	if (ns->nmounts == VFS_MAX_MOUNTS)
		return -ENOSPC;
	char *p = strdup(path);
	if (!p)
		return -ENOMEM;
	ns->mounts[ns->nmounts++] = (struct vfs_mount){.path = p, .fs = fs};
	return 0;
}

int vfs_ns_init_root(struct kernel *k, const char *hostdir)
{
	struct vfs_ns *ns = calloc(1, sizeof(*ns));
	int err;

	if (!ns)
		return -ENOMEM;
	ns->hostroot = open(hostdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ns->hostroot < 0) {
		err = -errno;
		free(ns);
		return err;
	}
	k->vfs = ns;
	err = add_mount(ns, "/", &vfs_hostfs_ops);
	if (!err)
		err = add_mount(ns, "/proc", &vfs_procfs_ops);
	if (!err)
		err = add_mount(ns, "/dev", &vfs_devfs_ops);
	if (err)
		vfs_ns_fini(k);
	return err;
}

int vfs_ns_init(struct kernel *k)
{
	return vfs_ns_init_root(k, "/");
}

void vfs_ns_fini(struct kernel *k)
{
	struct vfs_ns *ns = k->vfs;

	if (!ns)
		return;
	for (int i = 0; i < ns->nmounts; i++)
		free(ns->mounts[i].path);
	if (ns->hostroot >= 0)
		close(ns->hostroot);
	free(ns);
	k->vfs = NULL;
}
