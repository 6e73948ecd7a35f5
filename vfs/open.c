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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/securebits.h>
#include <time.h>
#include <unistd.h>

#include "pipe_impl.h"
#include "vfs_impl.h"

/*
 * The effective set a check uses.  access(2) without AT_EACCESS checks as
 * the real ids, with root's permitted set for real uid 0 and none for any
 * other, unless SECBIT_NO_SETUID_FIXUP (access_override_creds).
 */
static uint64_t perm_caps(const struct creds *cr, bool real)
{
	if (!real || (cr->securebits & SECBIT_NO_SETUID_FIXUP))
		return cr->cap_eff;
	return cr->uid == 0 ? cr->cap_prm : 0;
}

/* What CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH allow past the mode bits (generic_permission). */
static int dac_override(uint64_t caps, mode_t m, int mask)
{
	bool rs = (caps >> CAP_DAC_READ_SEARCH) & 1, ov = (caps >> CAP_DAC_OVERRIDE) & 1;

	if (S_ISDIR(m))
		return (!(mask & W_OK) && rs) || ov ? 0 : -EACCES;
	if (mask == R_OK && rs)
		return 0;
	/* execute is overridden only where some execute bit is set */
	if ((!(mask & X_OK) || (m & (S_IXUSR | S_IXGRP | S_IXOTH))) && ov)
		return 0;
	return -EACCES;
}

int vfs_perm(struct vfs_caller *c, const struct stat *st, int mask, bool real)
{
	const struct creds *cr = c->cred;
	uid_t uid = real ? cr->uid : cr->fsuid;
	gid_t gid = real ? cr->gid : cr->fsgid;
	mode_t m = st->st_mode;
	int shift = st->st_uid == uid ? 6 : creds_in_group(cr, gid, st->st_gid) ? 3 : 0;
	int have = (m >> shift) & 7;

	mask &= 7;
	if (!(mask & ~have))
		return 0;
	return dac_override(perm_caps(cr, real), m, mask);
}

/*
 * acl_permission_check: the owner by the mode; others by the ACL when the
 * group bits (its mask) allow anything, then the capabilities.
 */
int vfs_perm_node(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st, int mask,
		  bool real)
{
	uid_t uid = real ? c->cred->uid : c->cred->fsuid;
	gid_t gid = real ? c->cred->gid : c->cred->fsgid;
	int err = -EAGAIN;

	if (st->st_uid != uid && (st->st_mode & S_IRWXG))
		err = vfs_acl_check(c, n, st, uid, gid, mask);
	if (err == -EAGAIN)
		return vfs_perm(c, st, mask, real);
	return err ? dac_override(perm_caps(c->cred, real), st->st_mode, mask & 7) : 0;
}

/* The flags a file keeps (F_GETFL), as do_dentry_open leaves them. */
static int kept_flags(int flags)
{
	flags &= ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	return (flags & O_PATH) ? flags : flags | KERNEL_O_LARGEFILE;
}

static int check_node(struct vfs_caller *c, const struct vfs_node *n, int flags)
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
	err = n->fs->stat(c, n, &st);
	if (err)
		return err;
	err = vfs_perm_node(c, n, &st, (acc != O_WRONLY ? R_OK : 0) | (writing ? W_OK : 0), false);
	if (err)
		return err;
	bool rofile = S_ISREG(n->mode) || S_ISDIR(n->mode) || S_ISLNK(n->mode);
	/*
	 * procfs sits on a writable mount in Linux: its files open for writing
	 * as their modes allow, and a write to one without a write op is EINVAL.
	 */
	if (vfs_node_readonly(n) && rofile && !n->fs->readonly && (writing || (flags & O_TRUNC)))
		return -EROFS;
	return 0;
}

/*
 * O_TRUNC of an existing regular file (handle_truncate): after the open, on
 * the open file, with mtime and ctime; other kinds ignore it, and so does
 * a file just created or a procfs file (skip).  On failure the file is dropped.
 */
static int open_truncate(struct vfs_caller *c, struct vfs_file *f, int flags, bool skip)
{
	struct vfs_setreq r = {.op = VFS_SET_SIZE, .size = 0};
	struct stat st;
	int err = 0;

	f->flags &= ~O_TRUNC;
	if (skip || !(flags & O_TRUNC) || (flags & O_PATH))
		return 0;
	if (!vfs_fstat(f, &st) && S_ISREG(st.st_mode))
		err = vfs_setattr_file(c, f, &r);
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
	if (resolve & VFS_RESOLVE_IN_ROOT)
		wflags |= WALK_IN_ROOT;
	return wflags;
}

int vfs_open(struct vfs_caller *c, struct vfs_file *dir, const char *path, int flags, mode_t mode,
	     struct vfs_file **out)
{
	return vfs_open_resolve(c, dir, path, flags, mode, 0, out);
}

int vfs_open_resolve(struct vfs_caller *c, struct vfs_file *dir, const char *path, int flags,
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
	err = vfs_walk(c, dir, path, wflags, w);
	bool created = false;
	if (err == -ENOENT && w->missing_last && (flags & O_CREAT)) {
		err = w->trailing_slash ? -EISDIR : vfs_open_create(c, dir, path, mode, w);
		created = !err;
	}
	if (!err) {
		/* A file this open created is not checked for access (do_open, FMODE_CREATED). */
		err = created ? 0 : check_node(c, &w->node, flags);
		bool fifo = vfs_fifo_node(&w->node) && !(flags & O_PATH);
		if (!err && fifo) /* any filesystem's FIFO node: uos's shared pipe (fifo.c) */
			err = vfs_fifo_open(c, &w->node, w->canon, kept_flags(flags), out);
		else if (!err && !w->node.fs->open)
			err = -ENXIO;
		else if (!err)
			err = w->node.fs->open(
			    c, &w->node, w->canon,
			    kept_flags(flags) | (created ? 0 : (flags & O_TRUNC)), out);
		if (!err)
			vfs_notify_open(c, *out);
		/* procfs's files take O_TRUNC and ignore it (echo name > /proc/self/comm). */
		if (!err)
			err = open_truncate(c, *out, flags, created || w->node.fs->readonly);
		vfs_node_release(&w->node);
	}
	free(w);
	return err;
}

/*
 * O_TMPFILE.  uos's filesystems have no tmpfile op; every writable one can
 * create, open and unlink, and keeps an inode alive while something holds
 * it.  So the file is made under a hidden name, opened, its node kept, and
 * the name removed: what is left is what Linux's vfs_tmpfile makes, an
 * inode with nlink 0 that linkat can name through the kept node.
 */

/* do_tmpfile's checks on the directory, in its order: EROFS, EACCES, EOPNOTSUPP. */
static int tmpfile_dir_checks(struct vfs_caller *c, const struct vfs_node *dir)
{
	struct stat st;
	int err;

	/* Synthetic filesystems (procfs) sit on writable mounts in Linux: no EROFS there. */
	if (!dir->fs->readonly && dir->sb && dir->sb->readonly)
		return -EROFS;
	err = dir->fs->stat(c, dir, &st);
	if (!err)
		err = vfs_perm(c, &st, W_OK | X_OK, false);
	if (err)
		return err;
	if (dir->fs->readonly || !dir->fs->create || !dir->fs->unlink || !dir->fs->link)
		return -EOPNOTSUPP;
	return vfs_node_readonly(dir) ? -EROFS : 0;
}

/* Create and open a hidden name in the directory canon: its path into name. */
static int tmpfile_create(struct vfs_caller *c, const char *canon, int flags, mode_t mode,
			  char *name, struct vfs_file **out)
{
	int oflags = (flags & ~(O_TMPFILE | O_EXCL | O_CREAT)) | O_CREAT | O_EXCL;
	int err = -EEXIST;

	for (int i = 0; i < 100 && err == -EEXIST; i++) {
		struct timespec ts;
		char leaf[NAME_MAX + 1];
		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(leaf, sizeof(leaf), ".uos-tmpfile.%lx.%d", (long)ts.tv_nsec, i);
		err = vfs_path_join(name, canon, leaf);
		if (!err)
			err = vfs_open(c, NULL, name, oflags, mode, out);
	}
	return err;
}

/* Make f the unnamed file: keep the node of the hidden name, remove the name, rename f. */
static int tmpfile_unname(struct vfs_caller *c, struct vfs_file *f, const char *canon,
			  const char *name, bool linkable)
{
	struct vfs_walk *w;
	struct stat st;
	char *path;
	int err = vfs_walk_alloc(c, NULL, name, 0, &w);

	if (!err && linkable) {
		f->tmpnode = malloc(sizeof(*f->tmpnode));
		if (f->tmpnode) {
			*f->tmpnode = w->node; /* moved: the walk no longer holds it */
			vfs_node_clear(&w->node);
		} else {
			err = -ENOMEM;
		}
	}
	vfs_walk_free(w);
	int uerr = vfs_unlink(c, NULL, name); /* whatever went wrong, the name goes */
	if (!err)
		err = uerr;
	if (!err)
		err = vfs_fstat(f, &st);
	/* What /proc/PID/fd/N shows: "DIR/#INO (deleted)", as Linux's d_path. */
	if (!err && asprintf(&path, "%s%s#%lu (deleted)", canon, strcmp(canon, "/") ? "/" : "",
			     (unsigned long)st.st_ino) >= 0) {
		free(f->path);
		f->path = path;
	}
	return err;
}

int vfs_open_tmpfile(struct vfs_caller *c, struct vfs_file *dir, const char *path, int flags,
		     mode_t mode, struct vfs_file **out)
{
	char *name = malloc(PATH_MAX);
	struct vfs_walk *w = NULL;
	struct vfs_file *f = NULL;
	int err = name ? vfs_walk_alloc(c, dir, path, WALK_FOLLOW | WALK_DIRECTORY, &w) : -ENOMEM;

	if (!err)
		err = tmpfile_dir_checks(c, &w->node);
	if (!err)
		err = tmpfile_create(c, w->canon, flags, mode, name, &f);
	if (!err) {
		err = tmpfile_unname(c, f, w->canon, name, !(flags & O_EXCL));
		f->flags |= flags & O_TMPFILE;
		if (err)
			vfs_file_put(f);
		else
			*out = f;
	}
	vfs_walk_free(w);
	free(name);
	return err;
}
