/*
 * open(2) on the VFS: walk, then apply Linux's checks in Linux's order
 * (fs/namei.c do_open and may_open): EEXIST for O_CREAT|O_EXCL, EISDIR,
 * ENOTDIR, ELOOP for a final symlink under O_NOFOLLOW, EACCES from the mode
 * bits, then EROFS for any write, truncate or create on a read-only mount.
 * Special files (devices) on a read-only mount may still be written.
 * O_CREAT of a missing name creates a regular file (wops.c), which the
 * open then skips the access check for; O_TRUNC truncates after the open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "vfs_impl.h"

int vfs_perm(struct task *t, const struct stat *st, int mask, bool real)
{
	const struct creds *c = &t->tg->cred;
	uid_t uid = real ? c->uid : c->fsuid;
	gid_t gid = real ? c->gid : c->fsgid;
	mode_t m = st->st_mode;

	if (uid == 0) {
		if ((mask & X_OK) && !S_ISDIR(m) && !(m & (S_IXUSR | S_IXGRP | S_IXOTH)))
			return -EACCES;
		return 0;
	}
	int shift = st->st_uid == uid ? 6 : st->st_gid == gid ? 3 : 0;
	int have = (m >> shift) & 7;
	return (mask & 7 & ~have) ? -EACCES : 0;
}

/* O_LARGEFILE as the kernel sees it (glibc defines it as 0 on x86-64). */
#define KERNEL_O_LARGEFILE 0100000

/* The flags a file keeps (F_GETFL), as do_dentry_open leaves them. */
static int kept_flags(int flags)
{
	flags &= ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	return (flags & O_PATH) ? flags : flags | KERNEL_O_LARGEFILE;
}

static int check_node(struct task *t, const struct vfs_node *n, int flags)
{
	int acc = flags & O_ACCMODE;
	bool writing = acc == O_WRONLY || acc == O_RDWR;
	struct stat st;
	int err;

	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if ((flags & O_CREAT) && S_ISDIR(n->mode))
		return -EISDIR;
	if (flags & O_PATH)
		return 0;
	if (S_ISLNK(n->mode))
		return -ELOOP;
	if (S_ISDIR(n->mode) && (writing || (flags & O_TRUNC)))
		return -EISDIR;
	err = n->fs->stat(t, n, &st);
	if (err)
		return err;
	err = vfs_perm(t, &st, (acc != O_WRONLY ? R_OK : 0) | (writing ? W_OK : 0), false);
	if (err)
		return err;
	bool rofile = S_ISREG(n->mode) || S_ISDIR(n->mode) || S_ISLNK(n->mode);
	if (vfs_node_readonly(n) && rofile && (writing || (flags & O_TRUNC)))
		return -EROFS;
	return 0;
}

/*
 * O_TRUNC of an existing regular file (handle_truncate): after the open, on
 * the open file, with mtime and ctime; other kinds ignore it.  On failure
 * the file is dropped.
 */
static int open_truncate(struct task *t, struct vfs_file *f, int flags, bool created)
{
	struct vfs_setreq r = {.op = VFS_SET_SIZE, .size = 0};
	struct stat st;
	int err = 0;

	f->flags &= ~O_TRUNC;
	if (created || !(flags & O_TRUNC) || (flags & O_PATH))
		return 0;
	if (!vfs_fstat(f, &st) && S_ISREG(st.st_mode))
		err = vfs_setattr_file(t, f, &r);
	if (err)
		vfs_file_put(f);
	return err;
}

static int resolve_wflags(int resolve)
{
	int wflags = 0;

	if (resolve & VFS_RESOLVE_NO_SYMLINKS)
		wflags |= WALK_NO_SYMLINKS;
	if (resolve & VFS_RESOLVE_NO_MAGICLINKS)
		wflags |= WALK_NO_MAGIC;
	if (resolve & VFS_RESOLVE_BENEATH)
		wflags |= WALK_BENEATH;
	if (resolve & VFS_RESOLVE_NO_XDEV)
		wflags |= WALK_NO_XDEV;
	return wflags;
}

int vfs_open(struct task *t, struct vfs_file *dir, const char *path, int flags, mode_t mode,
	     struct vfs_file **out)
{
	return vfs_open_resolve(t, dir, path, flags, mode, 0, out);
}

int vfs_open_resolve(struct task *t, struct vfs_file *dir, const char *path, int flags,
		     mode_t mode, int resolve, struct vfs_file **out)
{
	struct vfs_walk *w = malloc(sizeof(*w));
	int wflags = resolve_wflags(resolve);
	int err;

	if (!w)
		return -ENOMEM;
	if (!(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL)))
		wflags |= WALK_FOLLOW;
	if (flags & O_DIRECTORY)
		wflags |= WALK_DIRECTORY;
	err = vfs_walk(t, dir, path, wflags, w);
	bool created = false;
	if (err == -ENOENT && w->missing_last && (flags & O_CREAT)) {
		err = w->trailing_slash ? -EISDIR : vfs_open_create(t, dir, path, mode, w);
		created = !err;
	}
	if (!err) {
		/* A file this open created is not checked for access (do_open, FMODE_CREATED). */
		err = created ? 0 : check_node(t, &w->node, flags);
		if (!err && !w->node.fs->open)
			err = -ENXIO;
		if (!err)
			err = w->node.fs->open(t, &w->node, w->canon, kept_flags(flags) |
					       (created ? 0 : (flags & O_TRUNC)), out);
		if (!err)
			err = open_truncate(t, *out, flags, created);
		vfs_node_release(&w->node);
	}
	free(w);
	return err;
}
