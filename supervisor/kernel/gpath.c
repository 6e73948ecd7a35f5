/* Guest paths (see gpath.h). */
#include "gpath.h"

#include <fcntl.h>
#include <limits.h>

#include "fdtable.h"
#include "gmem.h"

int gpath_get(struct task *t, char *buf, unsigned long upath)
{
	long r = gmem_strncpy(t, buf, upath, PATH_MAX);

	return r < 0 ? (int)r : 0;
}

int gpath_at_dir(struct task *t, int dirfd, const char *path, struct vfs_file **dir)
{
	*dir = NULL;
	if (dirfd == AT_FDCWD || path[0] == '/')
		return 0;
	return fdt_fget(t, dirfd, false, dir);
}

int gpath_at(struct task *t, int dirfd, unsigned long upath, char *path, struct vfs_file **dir)
{
	int err = gpath_get(t, path, upath);

	return err ? err : gpath_at_dir(t, dirfd, path, dir);
}
