/*
 * The privileges a change of a regular file's contents or owner takes away,
 * as Linux's file_remove_privs() and notify_change()'s ATTR_KILL_* bits:
 * the set-user-ID and set-group-ID bits (vfs_killpriv_mode in wops.c, by
 * setattr_should_drop_suidgid: unless the writer has CAP_FSETID; chown
 * clears them always), and the file capabilities of
 * security.capability (cap_inode_killpriv: always, whoever writes).  Else a
 * user who may write a privileged program could change what it runs.
 * hostfs keeps no file capabilities of its own to remove: a host write or
 * truncate makes the host kernel remove the host file's.  Here too: whether
 * a file's mount is nosuid, where exec grants neither (vfs_file_nosuid).
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>

#include "vfs_impl.h"

#define CAPS "security.capability"

void vfs_killpriv_caps(struct vfs_caller *c, const struct vfs_node *n)
{
	if (n->fs == &vfs_hostfs_ops || !n->fs->getxattr || !n->fs->setxattr ||
	    n->fs->getxattr(n, CAPS, NULL, 0) < 0)
		return;
	(void)n->fs->setxattr(c, n, CAPS, NULL, 0, XATTR_REPLACE);
}

void vfs_killpriv_file_caps(struct vfs_caller *c, struct vfs_file *f)
{
	struct vfs_node n;

	if (f->ops->inode && !f->ops->inode(f, &n)) {
		vfs_killpriv_caps(c, &n);
		vfs_node_release(&n);
	}
}

bool vfs_file_nosuid(struct vfs_file *f)
{
	struct vfs_node n;
	bool nosuid = false;

	if (f->ops->sb) {
		struct vfs_sb *sb = f->ops->sb(f);
		return sb && sb->nosuid;
	}
	if (f->ops->inode && !f->ops->inode(f, &n)) {
		nosuid = n.sb && n.sb->nosuid;
		vfs_node_release(&n);
	}
	return nosuid;
}

int vfs_file_remove_privs(struct vfs_caller *c, struct vfs_file *f)
{
	struct vfs_attr a = {.valid = VFS_ATTR_MODE | VFS_ATTR_CTIME};
	struct stat st;
	int err = vfs_fstat(f, &st);

	if (err || !S_ISREG(st.st_mode))
		return 0;
	a.mode = vfs_killpriv_mode(c, &st);
	if (a.mode != (st.st_mode & 07777) && f->ops->setattr) {
		clock_gettime(CLOCK_REALTIME, &a.ctime);
		err = f->ops->setattr(f, &a);
		if (err)
			return err;
	}
	vfs_killpriv_file_caps(c, f);
	return 0;
}
