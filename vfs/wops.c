/*
 * The namespace-changing calls: mknod, mkdir, symlink, link, unlink, rmdir,
 * rename, and attribute changes (chmod, chown, utimes, truncate) by path or
 * by open file.
 *
 * This file does every check Linux's fs/namei.c, fs/open.c and fs/attr.c
 * do, in their order: the walk to the parent (ENOENT, ENOTDIR, ELOOP,
 * EACCES for search), the last name's kind (EEXIST, EISDIR, EBUSY, EINVAL),
 * the read-only mount (EROFS, which Linux checks before looking at the last
 * name for unlink, rmdir and rename but after EEXIST for creates), write and
 * search permission on the directory, the sticky bit, ownership rules
 * (EPERM), rename's type and ancestry rules, EXDEV between mounts; then it
 * calls the filesystem's op (vfs_fs_ops in vfs_impl.h), which owns only its
 * own errors (ENOTEMPTY, ENOSPC, EMLINK) and the times.  Root bypasses
 * permission checks as CAP_DAC_OVERRIDE and CAP_FOWNER let it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs_impl.h"

/* capable_wrt_inode_uidgid(): the capability in the caller's effective set. */
static bool capable(struct vfs_caller *c, int cap)
{
	return creds_capable(c->cred, cap);
}

/* in_group_p for the caller's fsgid. */
static bool in_group(struct vfs_caller *c, gid_t gid)
{
	return creds_in_group(c->cred, c->cred->fsgid, gid);
}

static int node_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	return n->fs->stat(c, n, st);
}

/* may_create: write and search permission on the directory. */
static int may_create(struct vfs_caller *c, const struct vfs_node *dir)
{
	struct stat st;
	int err = node_stat(c, dir, &st);

	return err ? err : vfs_perm_node(c, dir, &st, W_OK | X_OK, false);
}

/* may_delete: victim (stat vst) in dir; isdir says what the call wants. */
static int may_delete(struct vfs_caller *c, const struct vfs_node *dir, const struct stat *vst,
		      bool isdir)
{
	struct stat dst;
	int err = node_stat(c, dir, &dst);

	if (!err)
		err = vfs_perm_node(c, dir, &dst, W_OK | X_OK, false);
	if (err)
		return err;
	/* check_sticky: the owner of the file or of the directory, or CAP_FOWNER. */
	if ((dst.st_mode & S_ISVTX) && !capable(c, CAP_FOWNER) && vst->st_uid != c->cred->fsuid &&
	    dst.st_uid != c->cred->fsuid)
		return -EPERM;
	if (isdir && !S_ISDIR(vst->st_mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(vst->st_mode))
		return -EISDIR;
	return 0;
}

/* Whether the child "w->canon/name" is a mount point (EBUSY for removals). */
static bool is_mountpoint(struct vfs_caller *c, const struct vfs_walk *w)
{
	char child[PATH_MAX];

	return !vfs_path_join(child, w->canon, w->last) && vfs_mount_find(c->ns, child);
}

/*
 * EROFS for a change of names under dir: only a read-only mount gives it.
 * A synthetic filesystem (procfs) sits on a writable mount in Linux; its
 * directories lack the ops, which gives EPERM later, after the permission
 * checks.
 */
static bool names_rofs(const struct vfs_node *dir)
{
	return vfs_node_readonly(dir) && !dir->fs->readonly;
}

/* filename_create's checks once the parent is found: EEXIST, then EROFS, ENOENT. */
static int create_checks(struct vfs_caller *c, struct vfs_walk *w, bool want_dir)
{
	struct vfs_node last;
	int err;

	if (w->last_type != WALK_LAST_NORM)
		return -EEXIST;
	err = vfs_walk_last(c, w, &last);
	vfs_node_release(&last);
	if (!err)
		return -EEXIST;
	if (err != -ENOENT || w->node.fs->fixed_names)
		return err;
	if (names_rofs(&w->node))
		return -EROFS;
	if (w->trailing_slash && !want_dir)
		return -ENOENT;
	return may_create(c, &w->node);
}

/*
 * Owner and group of a new node in dir, and its final mode (setgid
 * directories, the umask or dir's default ACL, whose inheritance goes to
 * *acl).
 */
static int new_owner(struct vfs_caller *c, const struct vfs_node *dir, struct vfs_newnode *nn,
		     struct vfs_acl_new *acl)
{
	struct stat st;
	int err = node_stat(c, dir, &st);

	if (err)
		return err;
	nn->uid = c->cred->fsuid;
	nn->gid = c->cred->fsgid;
	if (st.st_mode & S_ISGID) {
		nn->gid = st.st_gid;
		if (S_ISDIR(nn->mode))
			nn->mode |= S_ISGID;
	} else if ((nn->mode & S_ISGID) && !S_ISDIR(nn->mode) && !in_group(c, nn->gid) &&
		   !capable(c, CAP_FSETID)) {
		nn->mode &= ~S_ISGID;
	}
	return vfs_acl_inherit(c, dir, &nn->mode, acl);
}

/* Give the node made (out, whose sb may be unset) what it inherits. */
static int inherit(struct vfs_caller *c, const struct vfs_node *dir, struct vfs_node *out,
		   struct vfs_acl_new *acl)
{
	if (!acl->access && !acl->dflt)
		return 0;
	if (!out->sb)
		out->sb = dir->sb;
	return vfs_acl_new_apply(c, out, acl);
}

static int do_create(struct vfs_caller *c, struct vfs_file *dir, const char *path,
		     struct vfs_newnode *nn)
{
	struct vfs_walk *w;
	int err = vfs_walk_alloc(c, dir, path, WALK_PARENT, &w);

	if (err)
		return err;
	err = create_checks(c, w, S_ISDIR(nn->mode));
	if (!err && (S_ISCHR(nn->mode) || S_ISBLK(nn->mode)))
		err = -EPERM; /* device nodes are not the guest's (no CAP_MKNOD) */
	struct vfs_acl_new acl = {0};
	struct vfs_node n;
	vfs_node_clear(&n);
	if (!err)
		err = new_owner(c, &w->node, nn, &acl);
	if (!err)
		err = w->node.fs->create ? w->node.fs->create(c, &w->node, w->last, nn, &n) : -EPERM;
	if (!err)
		err = inherit(c, &w->node, &n, &acl);
	vfs_acl_new_free(&acl);
	vfs_node_release(&n);
	if (!err)
		vfs_notify_create(c, &w->node, w->last, nn->mode);
	vfs_walk_free(w);
	return err;
}

int vfs_mknod(struct vfs_caller *c, struct vfs_file *dir, const char *path, mode_t mode, dev_t rdev)
{
	struct vfs_newnode nn = {.mode = mode, .rdev = rdev};

	if (!(mode & S_IFMT))
		nn.mode |= S_IFREG;
	return do_create(c, dir, path, &nn);
}

int vfs_mkdir(struct vfs_caller *c, struct vfs_file *dir, const char *path, mode_t mode)
{
	struct vfs_newnode nn = {.mode = S_IFDIR | (mode & 07777)};

	return do_create(c, dir, path, &nn);
}

int vfs_symlink(struct vfs_caller *c, const char *target, struct vfs_file *dir, const char *path)
{
	struct vfs_newnode nn = {.mode = S_IFLNK | 0777, .target = target};

	return do_create(c, dir, path, &nn);
}

/*
 * Create the regular file that open(O_CREAT) found missing: the parent's
 * walk again, then the node.  The new node into *out.
 */
/* The last name of w exists: a dangling symlink's target path into buf, else -ENOENT. */
static int dangling_target(struct vfs_caller *c, struct vfs_walk *w, char *buf)
{
	struct vfs_node n;
	char target[PATH_MAX];
	int err = vfs_walk_last(c, w, &n);
	long len = -ENOENT;

	if (!err && S_ISLNK(n.mode) && n.fs->readlink)
		len = n.fs->readlink(c, &n, target, sizeof(target) - 1);
	vfs_node_release(&n);
	if (err)
		return err == -ENOENT ? 1 : err; /* 1: the name is really missing */
	if (len <= 0)
		return len ? (int)len : -ENOENT;
	target[len] = '\0';
	if (target[0] == '/')
		memcpy(buf, target, (size_t)len + 1);
	else if (vfs_path_join(buf, w->canon, target))
		return -ENAMETOOLONG;
	return 0;
}

int vfs_open_create(struct vfs_caller *c, struct vfs_file *dir, const char *path, mode_t mode,
		    struct vfs_walk *w)
{
	struct vfs_newnode nn = {.mode = S_IFREG | (mode & 07777)};
	char *next = malloc(PATH_MAX);
	struct vfs_node n;
	int err = next ? vfs_walk(c, dir, path, WALK_PARENT | WALK_FOLLOW, w) : -ENOMEM;

	vfs_node_clear(&n); /* create ops leave sb to the caller */
	/* Through dangling symlinks: Linux creates the file the link names. */
	for (int links = 0; !err; links++) {
		if (w->last_type != WALK_LAST_NORM) {
			err = -EISDIR;
			break;
		}
		err = dangling_target(c, w, next);
		if (err)
			break;
		vfs_node_release(&w->node);
		err = links >= 40 ? -ELOOP : vfs_walk(c, NULL, next, WALK_PARENT | WALK_FOLLOW, w);
		if (err) {
			free(next);
			return err;
		}
	}
	free(next);
	if (err != 1)
		goto out;
	err = w->node.fs->fixed_names ? -ENOENT
	      : names_rofs(&w->node)  ? -EROFS
				      : may_create(c, &w->node);
	struct vfs_acl_new acl = {0};
	if (!err)
		err = new_owner(c, &w->node, &nn, &acl);
	if (!err && !w->node.fs->create)
		err = -EROFS;
	if (!err)
		err = w->node.fs->create(c, &w->node, w->last, &nn, &n);
	if (!err && (err = inherit(c, &w->node, &n, &acl)))
		vfs_node_release(&n);
	vfs_acl_new_free(&acl);
	if (!err)
		vfs_notify_create(c, &w->node, w->last, nn.mode);
	if (!err) {
		if (!n.sb)
			n.sb = w->node.sb;
		err = vfs_path_join(w->canon, w->canon, w->last);
		vfs_node_release(&w->node);
		w->node = n;
		return err;
	}
out:
	vfs_node_release(&w->node);
	return err;
}

int vfs_link(struct vfs_caller *c, struct vfs_file *odir, const char *opath, struct vfs_file *ndir,
	     const char *npath, int atflags)
{
	struct vfs_walk *ow = malloc(sizeof(*ow)), *nw = NULL;
	int wflags = ((atflags & AT_SYMLINK_FOLLOW) ? WALK_FOLLOW : 0) |
		     ((atflags & AT_EMPTY_PATH) ? WALK_EMPTY : 0);
	struct stat st;
	int err;

	if (!ow)
		return -ENOMEM;
	err = vfs_walk(c, odir, opath, wflags, ow);
	if (err) {
		free(ow);
		return err;
	}
	/* An O_TMPFILE file (the walk stands on it): the node of its inode. */
	const struct vfs_node *on = &ow->node;
	if (on->fs == &vfs_magic_ops && on->file->tmpnode)
		on = on->file->tmpnode;
	err = vfs_walk_alloc(c, ndir, npath, WALK_PARENT, &nw);
	if (!err)
		err = create_checks(c, nw, false);
	/* vfs_link: an inode with no links left (and not O_TMPFILE's) gets none. */
	if (!err && on->fs == &vfs_magic_ops && !vfs_fstat(on->file, &st) && !st.st_nlink)
		err = -ENOENT;
	if (!err && (on->sb != nw->node.sb || !on->sb))
		err = -EXDEV;
	if (!err)
		err = node_stat(c, on, &st);
	/* may_linkat (protected_hardlinks): others' files must be regular and ours to write. */
	if (!err && !capable(c, CAP_FOWNER) && st.st_uid != c->cred->fsuid &&
	    (!S_ISREG(st.st_mode) || (st.st_mode & S_ISUID) ||
	     ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) ||
	     vfs_perm(c, &st, R_OK | W_OK, false)))
		err = -EPERM;
	if (!err && S_ISDIR(st.st_mode))
		err = -EPERM;
	if (!err)
		err = nw->node.fs->link ? nw->node.fs->link(c, on, &nw->node, nw->last) : -EPERM;
	if (!err)
		vfs_notify_link(c, on, &nw->node, nw->last);
	vfs_walk_free(nw);
	vfs_walk_free(ow);
	return err;
}

/* Removal: the walk, the last name's kind, EROFS, the victim, may_delete, EBUSY. */
static int do_remove(struct vfs_caller *c, struct vfs_file *dir, const char *path, bool isdir)
{
	struct vfs_walk *w;
	struct vfs_node victim;
	struct stat st;
	int err = vfs_walk_alloc(c, dir, path, WALK_PARENT, &w);

	if (err)
		return err;
	if (w->last_type != WALK_LAST_NORM) {
		err = !isdir ? -EISDIR
		      : w->last_type == WALK_LAST_DOT	 ? -EINVAL
		      : w->last_type == WALK_LAST_DOTDOT ? -ENOTEMPTY
							 : -EBUSY;
		goto out;
	}
	if (names_rofs(&w->node)) {
		err = -EROFS;
		goto out;
	}
	err = vfs_walk_last(c, w, &victim);
	if (!err)
		err = node_stat(c, &victim, &st);
	vfs_node_release(&victim);
	if (!err && !isdir && w->trailing_slash)
		err = S_ISDIR(st.st_mode) ? -EISDIR : -ENOTDIR;
	if (!err)
		err = may_delete(c, &w->node, &st, isdir);
	if (!err && is_mountpoint(c, w))
		err = -EBUSY;
	if (!err) {
		int (*op)(struct vfs_caller *, const struct vfs_node *, const char *) =
		    isdir ? w->node.fs->rmdir : w->node.fs->unlink;
		err = op ? op(c, &w->node, w->last) : -EPERM;
		if (!err)
			vfs_notify_remove(c, &w->node, w->last, &st);
		if (!err)
			vfs_name_gone(c->ns, w);
	}
out:
	vfs_walk_free(w);
	return err;
}

int vfs_unlink(struct vfs_caller *c, struct vfs_file *dir, const char *path)
{
	return do_remove(c, dir, path, false);
}

int vfs_rmdir(struct vfs_caller *c, struct vfs_file *dir, const char *path)
{
	return do_remove(c, dir, path, true);
}

/* Rename's state: both parents, both names' stats. */
struct rename_ctx {
	struct vfs_walk *ow, *nw;
	struct stat ost, nst;
	bool have_new;
	unsigned flags;
};

/* Is the canonical path b inside a (a itself excluded)? */
static bool path_inside(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (!strcmp(a, "/"))
		return b[0] == '/' && b[1];
	return !strncmp(a, b, n) && b[n] == '/';
}

/* do_renameat2's checks after both parents are found, in its order. */
static int rename_names(struct vfs_caller *c, struct rename_ctx *rc)
{
	struct vfs_walk *ow = rc->ow, *nw = rc->nw;
	struct vfs_node n;
	int err;

	if (ow->node.sb != nw->node.sb || !ow->node.sb)
		return -EXDEV;
	if (ow->last_type != WALK_LAST_NORM)
		return -EBUSY;
	if (nw->last_type != WALK_LAST_NORM)
		return (rc->flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (names_rofs(&ow->node))
		return -EROFS;
	err = vfs_walk_last(c, ow, &n);
	if (!err)
		err = node_stat(c, &n, &rc->ost);
	vfs_node_release(&n);
	if (err)
		return err;
	err = vfs_walk_last(c, nw, &n);
	if (!err)
		err = node_stat(c, &n, &rc->nst);
	vfs_node_release(&n);
	if (err && (err != -ENOENT || nw->node.fs->fixed_names))
		return err;
	rc->have_new = !err;
	if ((rc->flags & RENAME_NOREPLACE) && rc->have_new)
		return -EEXIST;
	if ((rc->flags & RENAME_EXCHANGE) && !rc->have_new)
		return -ENOENT;
	if (!(rc->flags & RENAME_EXCHANGE) && !S_ISDIR(rc->ost.st_mode) &&
	    (ow->trailing_slash || nw->trailing_slash))
		return -ENOTDIR;
	return 0;
}

/* Ancestry: old above new is EINVAL, new above old ENOTEMPTY (EINVAL for EXCHANGE). */
static int rename_ancestry(struct rename_ctx *rc)
{
	char oldc[PATH_MAX], newc[PATH_MAX];

	if (vfs_path_join(oldc, rc->ow->canon, rc->ow->last) ||
	    vfs_path_join(newc, rc->nw->canon, rc->nw->last))
		return -ENAMETOOLONG;
	if (path_inside(oldc, newc))
		return -EINVAL;
	if (path_inside(newc, oldc))
		return (rc->flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	return 0;
}

/* vfs_rename's permission checks. */
static int rename_perms(struct vfs_caller *c, struct rename_ctx *rc)
{
	bool odir = S_ISDIR(rc->ost.st_mode), ndir = rc->have_new && S_ISDIR(rc->nst.st_mode);
	bool moved = strcmp(rc->ow->canon, rc->nw->canon) != 0;
	int err = may_delete(c, &rc->ow->node, &rc->ost, odir);

	if (err)
		return err;
	if (!rc->have_new)
		err = may_create(c, &rc->nw->node);
	else if (rc->flags & RENAME_EXCHANGE)
		err = may_delete(c, &rc->nw->node, &rc->nst, ndir);
	else
		err = may_delete(c, &rc->nw->node, &rc->nst, odir);
	if (err)
		return err;
	/* A directory moving to another parent rewrites its "..": write access on it. */
	if (moved && odir && vfs_perm(c, &rc->ost, W_OK, false))
		return -EACCES;
	if (moved && ndir && (rc->flags & RENAME_EXCHANGE) && vfs_perm(c, &rc->nst, W_OK, false))
		return -EACCES;
	return 0;
}

static int rename_mounts(struct vfs_caller *c, struct rename_ctx *rc)
{
	if (is_mountpoint(c, rc->ow) || (rc->have_new && is_mountpoint(c, rc->nw)))
		return -EBUSY;
	return 0;
}

int vfs_rename(struct vfs_caller *c, struct vfs_file *odir, const char *opath,
	       struct vfs_file *ndir, const char *npath, unsigned flags)
{
	struct rename_ctx rc = {.flags = flags};
	int err = vfs_walk_alloc(c, odir, opath, WALK_PARENT, &rc.ow);

	if (err)
		return err;
	err = vfs_walk_alloc(c, ndir, npath, WALK_PARENT, &rc.nw);
	if (!err)
		err = rename_names(c, &rc);
	if (!err)
		err = rename_ancestry(&rc);
	/* The same inode under both names: nothing to do (rename(2)). */
	if (!err && rc.have_new && rc.ost.st_ino == rc.nst.st_ino && rc.ost.st_dev == rc.nst.st_dev)
		goto out;
	if (!err)
		err = rename_perms(c, &rc);
	if (!err)
		err = rename_mounts(c, &rc);
	if (!err && !rc.ow->node.fs->rename)
		err = -EPERM;
	if (!err)
		err =
		    rc.ow->node.fs->rename(c, &rc.ow->node, rc.ow->last, &rc.nw->node, rc.nw->last,
					   rc.have_new ? flags : flags | RENAME_NOREPLACE);
	if (!err)
		vfs_rename_moved(c->ns, rc.ow, rc.nw, flags);
	if (!err)
		vfs_notify_rename(c, &rc.ow->node, rc.ow->last, &rc.nw->node, rc.nw->last, &rc.ost,
				  rc.have_new ? &rc.nst : NULL, flags);
out:
	vfs_walk_free(rc.nw);
	vfs_walk_free(rc.ow);
	return err;
}

/* Attribute changes. */

static struct timespec now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

/* inode_owner_or_capable(): the owner, or CAP_FOWNER. */
static bool is_owner(struct vfs_caller *c, const struct stat *st)
{
	return capable(c, CAP_FOWNER) || st->st_uid == c->cred->fsuid;
}

static int attr_mode(struct vfs_caller *c, const struct stat *st, const struct vfs_setreq *r,
		     struct vfs_attr *a)
{
	if (!is_owner(c, st))
		return -EPERM;
	a->valid |= VFS_ATTR_MODE;
	a->mode = r->mode & 07777;
	/* setattr_prepare: the group bit needs the group (or CAP_FSETID). */
	if (!capable(c, CAP_FSETID) && !in_group(c, st->st_gid))
		a->mode &= ~S_ISGID;
	return 0;
}

/*
 * setattr_should_drop_suidgid(): a write or truncate by a caller without
 * CAP_FSETID clears set-user-ID, and set-group-ID if the file is group
 * executable or the caller is not of its group (else it is a locking mark).
 */
mode_t vfs_killpriv_mode(struct vfs_caller *c, const struct stat *st)
{
	mode_t m = st->st_mode & 07777;

	if (!S_ISREG(st->st_mode) || capable(c, CAP_FSETID))
		return m;
	if ((m & S_ISGID) && ((m & S_IXGRP) || !in_group(c, st->st_gid)))
		m &= ~S_ISGID;
	return m & ~S_ISUID;
}

/* chown_ok and chgrp_ok of fs/attr.c, then the set-id bits chown clears. */
static int attr_owner(struct vfs_caller *c, const struct stat *st, const struct vfs_setreq *r,
		      struct vfs_attr *a)
{
	bool uid_change = r->uid != (uid_t)-1 && r->uid != st->st_uid;
	bool gid_change = r->gid != (gid_t)-1 && r->gid != st->st_gid;

	if (!capable(c, CAP_CHOWN)) {
		if (uid_change)
			return -EPERM;
		if (r->uid != (uid_t)-1 && r->uid != c->cred->fsuid)
			return -EPERM;
		if (r->gid != (gid_t)-1 &&
		    (st->st_uid != c->cred->fsuid || (gid_change && !in_group(c, r->gid))))
			return -EPERM;
	}
	if (r->uid != (uid_t)-1) {
		a->valid |= VFS_ATTR_UID;
		a->uid = r->uid;
	}
	if (r->gid != (gid_t)-1) {
		a->valid |= VFS_ATTR_GID;
		a->gid = r->gid;
	}
	if (!S_ISDIR(st->st_mode)) {
		mode_t m = st->st_mode & 07777;
		if (m & S_ISUID)
			m &= ~S_ISUID;
		if ((m & S_ISGID) && (m & S_IXGRP))
			m &= ~S_ISGID;
		if (m != (st->st_mode & 07777)) {
			a->valid |= VFS_ATTR_MODE;
			a->mode = m;
		}
	}
	return 0;
}

struct timespec vfs_timestamp_truncate(struct timespec t, long long min, long long max, long gran)
{
	if (t.tv_sec <= min || t.tv_sec >= max) {
		t.tv_sec = t.tv_sec <= min ? min : max;
		t.tv_nsec = 0;
	}
	if (gran > 1)
		t.tv_nsec -= t.tv_nsec % gran;
	return t;
}

/* nsec_valid of fs/utimes.c: in range, or one of the two special values. */
static bool nsec_valid(long nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec < 1000000000L);
}

/*
 * utimensat's rules (vfs_utimes): the nanoseconds are checked only now,
 * with the file found and writable; explicit times need the owner; "now"
 * needs write access.
 */
static int attr_times(struct vfs_caller *c, const struct stat *st, const struct vfs_setreq *r,
		      struct vfs_attr *a)
{
	struct timespec n = now();
	bool explicit = false;

	if (!r->times_null && (!nsec_valid(r->ts[0].tv_nsec) || !nsec_valid(r->ts[1].tv_nsec)))
		return -EINVAL;
	for (int i = 0; i < 2; i++) {
		struct timespec ts = r->times_null ? (struct timespec){0, UTIME_NOW} : r->ts[i];
		if (ts.tv_nsec == UTIME_OMIT)
			continue;
		if (ts.tv_nsec != UTIME_NOW)
			explicit = true;
		a->valid |= i ? VFS_ATTR_MTIME : VFS_ATTR_ATIME;
		*(i ? &a->mtime : &a->atime) = ts.tv_nsec == UTIME_NOW ? n : ts;
	}
	if (is_owner(c, st))
		return 0;
	if (explicit)
		return -EPERM;
	return vfs_perm(c, st, W_OK, false);
}

/* Turn a request into an attribute change for a file with stat st. */
static int build_attr(struct vfs_caller *c, const struct stat *st, const struct vfs_setreq *r,
		      struct vfs_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->valid = VFS_ATTR_CTIME;
	a->ctime = now();
	switch (r->op) {
	case VFS_SET_MODE:
		return attr_mode(c, st, r, a);
	case VFS_SET_OWNER:
		return attr_owner(c, st, r, a);
	case VFS_SET_TIMES:
		return attr_times(c, st, r, a);
	case VFS_SET_SIZE:
		a->valid |= VFS_ATTR_SIZE | VFS_ATTR_MTIME;
		a->size = r->size;
		a->mtime = a->ctime;
		/* do_truncate: the set-ID bits go as at a write (killpriv.c) */
		a->mode = vfs_killpriv_mode(c, st);
		if (a->mode != (st->st_mode & 07777))
			a->valid |= VFS_ATTR_MODE;
		return 0;
	}
	return -EINVAL;
}

static bool omit_all(const struct vfs_setreq *r)
{
	return r->op == VFS_SET_TIMES && !r->times_null && r->ts[0].tv_nsec == UTIME_OMIT &&
	       r->ts[1].tv_nsec == UTIME_OMIT;
}

/* chown and truncate take a file's capabilities away (ATTR_KILL_PRIV): killpriv.c. */
static bool kills_caps(const struct vfs_setreq *r, const struct stat *st)
{
	return (r->op == VFS_SET_OWNER || r->op == VFS_SET_SIZE) && !S_ISDIR(st->st_mode);
}

/* truncate(2)'s checks on the file with stat st. */
static int size_checks(struct vfs_caller *c, const struct stat *st, bool readonly)
{
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	if (readonly)
		return -EROFS;
	return vfs_perm(c, st, W_OK, false);
}

/* The change r on the node a walk w found (vfs_setattr_path's part after the walk). */
static int setattr_walked(struct vfs_caller *c, struct vfs_walk *w, const struct vfs_setreq *r)
{
	struct vfs_attr a;
	struct stat st;
	int err = node_stat(c, &w->node, &st);

	if (!err && omit_all(r))
		return 0;
	if (!err && r->op == VFS_SET_SIZE)
		err = size_checks(c, &st, vfs_node_readonly(&w->node));
	else if (!err && vfs_node_readonly(&w->node))
		err = -EROFS;
	if (!err)
		err = build_attr(c, &st, r, &a);
	if (!err && w->node.fs == &vfs_magic_ops)
		err = vfs_setattr_file(c, w->node.file, r);
	else if (!err)
		err = w->node.fs->setattr ? w->node.fs->setattr(c, &w->node, &a) : -EROFS;
	if (!err && w->node.fs != &vfs_magic_ops && (a.valid & VFS_ATTR_MODE))
		vfs_acl_chmod(c, &w->node, a.mode);
	if (!err && w->node.fs != &vfs_magic_ops && kills_caps(r, &st))
		vfs_killpriv_caps(c, &w->node);
	if (!err && w->node.fs != &vfs_magic_ops)
		vfs_notify_setattr(c, w->canon, &st, a.valid);
	return err;
}

int vfs_setattr_path(struct vfs_caller *c, struct vfs_file *dir, const char *path, int atflags,
		     const struct vfs_setreq *r)
{
	struct vfs_walk *w;
	int err;

	if (!*path && (atflags & AT_EMPTY_PATH) && dir)
		return vfs_setattr_file(c, dir, r);
	err = vfs_walk_alloc(c, dir, path, vfs_at_wflags(atflags), &w);
	if (err)
		return err;
	err = setattr_walked(c, w, r);
	vfs_walk_free(w);
	return err;
}

/* fchmod: the access ACL of f's inode follows the mode (vfs_acl_chmod). */
static void acl_chmod_file(struct vfs_caller *c, struct vfs_file *f, mode_t mode)
{
	struct vfs_node n;

	if (f->ops->inode && !f->ops->inode(f, &n)) {
		vfs_acl_chmod(c, &n, mode);
		vfs_node_release(&n);
	}
}

/* A file without setattr: an overlay's lower file changes through its overlay node, else EROFS. */
static int setattr_lower(struct vfs_caller *c, struct vfs_file *f, const struct stat *st,
			 const struct vfs_setreq *r)
{
	struct vfs_walk *w;
	struct stat ost;
	int err = vfs_overlay_node_of(c, f, st, &ost, &w);

	if (err)
		return -EROFS;
	err = setattr_walked(c, w, r);
	vfs_walk_free(w);
	return err;
}

int vfs_setattr_file(struct vfs_caller *c, struct vfs_file *f, const struct vfs_setreq *r)
{
	struct vfs_attr a;
	struct stat st;
	int err = vfs_fstat(f, &st);

	if (err)
		return err;
	if (omit_all(r))
		return 0;
	if (r->op == VFS_SET_SIZE && !S_ISREG(st.st_mode))
		return -EINVAL;
	err = build_attr(c, &st, r, &a);
	if (err)
		return err;
	if (!f->ops->setattr)
		return setattr_lower(c, f, &st, r);
	err = f->ops->setattr(f, &a);
	if (!err && (a.valid & VFS_ATTR_MODE))
		acl_chmod_file(c, f, a.mode);
	if (!err && kills_caps(r, &st))
		vfs_killpriv_file_caps(c, f);
	if (!err)
		vfs_notify_setattr_file(c, f, a.valid);
	return err;
}

int vfs_fallocate(struct vfs_file *f, int mode, off_t off, off_t len)
{
	struct stat st;
	int err = vfs_fstat(f, &st);

	if (err)
		return err;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return S_ISFIFO(st.st_mode) ? -ESPIPE : -ENODEV;
	if (!f->ops->fallocate)
		return f->ops->write ? -EOPNOTSUPP : -EROFS;
	return f->ops->fallocate(f, mode, off, len);
}

int vfs_fsync(struct vfs_file *f, bool datasync, int *hostfd)
{
	*hostfd = -1;
	if (f->ops->fsync)
		return f->ops->fsync(f, datasync, hostfd);
	return vfs_hostfd(f) >= 0 ? 0 : -EINVAL;
}

int vfs_memfd(struct vfs_ns *ns, const char *name, int flags, mode_t mode, unsigned int seals,
	      struct vfs_file **out)
{
	char path[NAME_MAX + 32];
	int err;

	if (!ns->memfd_sb) {
		err = vfs_tmpfs_sb(ns, &ns->memfd_sb);
		if (err)
			return err;
	}
	snprintf(path, sizeof(path), "/memfd:%s (deleted)", name);
	return vfs_tmpfs_anon(ns->memfd_sb, mode, seals, path, flags | KERNEL_O_LARGEFILE, out);
}

int vfs_seals(struct vfs_file *f, bool add, unsigned int seals)
{
	return f->ops->seals ? f->ops->seals(f, add, seals) : -EINVAL;
}
