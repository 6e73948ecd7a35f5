/*
 * The extended attribute calls on a path or an open file (getxattr,
 * listxattr, setxattr, removexattr and their l*, f* and *at forms), after
 * the handler copied in the name and value: here are Linux's checks of
 * fs/xattr.c in its order — EROFS (mnt_want_write), xattr_permission
 * (trusted.* needs CAP_SYS_ADMIN and is left out of lists for others;
 * user.* only on regular files and directories, and on a sticky directory
 * only by its owner; then read or write permission on the inode), an
 * unknown namespace EOPNOTSUPP — with the capability module's checks of a
 * change of security.* (security_check) — then the filesystem's op, which keeps
 * the attributes (tmpfs, the overlay) or reads the host's (hostfs).  An
 * fd of an overlay's lower file acts on its overlay node, which copies up.
 */
#include <endian.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "vfs_impl.h"

static bool prefixed(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

bool vfs_xattr_known(const char *name)
{
	return prefixed(name, "user.") || prefixed(name, "trusted.") ||
	       prefixed(name, "security.") || prefixed(name, "system.");
}

static bool owner_or_capable(struct vfs_caller *c, const struct stat *st)
{
	return c->cred->fsuid == st->st_uid || creds_capable(c->cred, CAP_FOWNER);
}

/* xattr_permission of fs/xattr.c: write says MAY_WRITE (else MAY_READ). */
static int xattr_permission(struct vfs_caller *c, const struct vfs_node *n,
			    const struct stat *st, const char *name, bool write)
{
	if (prefixed(name, "security.") || prefixed(name, "system."))
		return 0;
	if (prefixed(name, "trusted.")) {
		if (!creds_capable(c->cred, CAP_SYS_ADMIN))
			return write ? -EPERM : -ENODATA;
		return 0;
	}
	if (prefixed(name, "user.")) {
		if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
			return write ? -EPERM : -ENODATA;
		if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && write &&
		    !owner_or_capable(c, st))
			return -EPERM;
	}
	return n ? vfs_perm_node(c, n, st, write ? W_OK : R_OK, false)
		 : vfs_perm(c, st, write ? W_OK : R_OK, false);
}

/*
 * cap_convert_nscap() and cap_inode_setxattr/removexattr(): a value of
 * security.capability must be a revision 2 or 3 struct vfs_cap_data
 * (EINVAL), and its change needs CAP_SETFCAP; any other security.* name
 * needs CAP_SYS_ADMIN (EPERM).  The capability's own module has nothing to
 * say about the other namespaces.
 */
static int security_check(struct vfs_caller *c, const struct vfs_xattr_req *r)
{
	uint32_t magic;

	if (!prefixed(r->name, "security."))
		return 0;
	if (strcmp(r->name, "security.capability"))
		return creds_capable(c->cred, CAP_SYS_ADMIN) ? 0 : -EPERM;
	if (r->op == VFS_XSET && r->size) {
		if (r->size < sizeof(magic))
			return -EINVAL;
		memcpy(&magic, r->buf, sizeof(magic));
		magic = le32toh(magic) & VFS_CAP_REVISION_MASK;
		if (!(magic == VFS_CAP_REVISION_2 && r->size == XATTR_CAPS_SZ_2) &&
		    !(magic == VFS_CAP_REVISION_3 && r->size == XATTR_CAPS_SZ_3))
			return -EINVAL;
	}
	return creds_capable(c->cred, CAP_SETFCAP) ? 0 : -EPERM;
}

/* Drop trusted.* names from the list buf[len] unless the caller has CAP_SYS_ADMIN. */
static size_t list_filter(struct vfs_caller *c, char *buf, size_t len)
{
	size_t out = 0;

	if (creds_capable(c->cred, CAP_SYS_ADMIN))
		return len;
	for (size_t i = 0; i < len;) {
		size_t n = strnlen(buf + i, len - i) + 1;
		bool keep = !prefixed(buf + i, "trusted.");
		if (n > len - i)
			n = len - i;
		if (keep)
			memmove(buf + out, buf + i, n);
		out += keep ? n : 0;
		i += n;
	}
	return out;
}

/*
 * listxattr: the filesystem's whole list (at most XATTR_LIST_MAX), less
 * what the caller may not see, then copied to r->buf or -ERANGE.
 */
static long do_list(struct vfs_caller *c, const struct vfs_node *n, struct vfs_xattr_req *r)
{
	char *all = malloc(XATTR_LIST_MAX);
	long len = all ? 0 : -ENOMEM;

	if (all && n->fs->listxattr)
		len = n->fs->listxattr(n, all, XATTR_LIST_MAX);
	if (len == -ERANGE)
		len = -E2BIG; /* more than Linux's list could ever hold */
	if (len > 0)
		len = (long)list_filter(c, all, (size_t)len);
	if (len > 0 && r->size && (size_t)len > r->size)
		len = -ERANGE;
	if (len > 0 && r->size)
		memcpy(r->buf, all, (size_t)len);
	free(all);
	return len;
}

static long do_get(struct vfs_caller *c, const struct vfs_node *n, struct vfs_xattr_req *r)
{
	if (!vfs_xattr_known(r->name) || !n->fs->getxattr)
		return -EOPNOTSUPP;
	return n->fs->getxattr(n, r->name, r->size ? r->buf : NULL, r->size);
}

/*
 * cap_convert_nscap() and cap_inode_getsecurity() in the one user
 * namespace: a revision 3 value whose rootid is 0 is read back as the
 * revision 2 one it stands for, so it is kept as that.
 */
static void caps_v3_root_as_v2(struct vfs_xattr_req *r)
{
	uint32_t v[XATTR_CAPS_SZ_3 / 4];

	if (strcmp(r->name, "security.capability") || r->size != XATTR_CAPS_SZ_3)
		return;
	memcpy(v, r->buf, sizeof(v));
	if ((le32toh(v[0]) & VFS_CAP_REVISION_MASK) != VFS_CAP_REVISION_3 || v[5])
		return;
	v[0] = htole32(VFS_CAP_REVISION_2 | (le32toh(v[0]) & VFS_CAP_FLAGS_EFFECTIVE));
	memcpy(r->buf, v, XATTR_CAPS_SZ_2);
	r->size = XATTR_CAPS_SZ_2;
}

static long do_set(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st,
		   struct vfs_xattr_req *r)
{
	if (vfs_acl_name(r->name))
		return vfs_acl_set(c, n, st, r->name, r->op == VFS_XREMOVE ? NULL : r->buf, r->size);
	if (!vfs_xattr_known(r->name) || !n->fs->setxattr)
		return -EOPNOTSUPP;
	if (r->op == VFS_XSET)
		caps_v3_root_as_v2(r);
	return n->fs->setxattr(c, n, r->name, r->op == VFS_XREMOVE ? NULL : r->buf, r->size,
			       r->op == VFS_XREMOVE ? XATTR_REPLACE : r->flags);
}

/* The request on node n (stat st); ro: its mount is read-only. */
static long node_xattr(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st,
		       bool ro, struct vfs_xattr_req *r)
{
	bool write = r->op == VFS_XSET || r->op == VFS_XREMOVE;
	int err;

	if (r->op == VFS_XLIST)
		return do_list(c, n, r);
	if (write && ro)
		return -EROFS;
	err = write ? security_check(c, r) : 0;
	if (!err)
		err = xattr_permission(c, n, st, r->name, write);
	if (err)
		return err;
	return write ? do_set(c, n, st, r) : do_get(c, n, r);
}

/* The request on f's inode n (stat st), or on its overlay node if n is of a read-only layer. */
static long file_node_xattr(struct vfs_caller *c, struct vfs_file *f, const struct vfs_node *n,
			    const struct stat *st, struct vfs_xattr_req *r)
{
	struct vfs_walk *w;
	struct stat ost;
	long ret;

	if (!vfs_node_readonly(n) || vfs_overlay_node_of(c, f, st, &ost, &w))
		return node_xattr(c, n, st, vfs_node_readonly(n), r);
	ret = node_xattr(c, &w->node, &ost, vfs_node_readonly(&w->node), r);
	vfs_walk_free(w);
	return ret;
}

long vfs_xattr_file(struct vfs_caller *c, struct vfs_file *f, struct vfs_xattr_req *r)
{
	struct vfs_node n;
	struct stat st;
	int err = vfs_fstat(f, &st);

	if (err)
		return err;
	if (!f->ops->inode) { /* a file of a filesystem without attributes (procfs, pipes, imgfs) */
		if (r->op == VFS_XLIST)
			return 0;
		err = xattr_permission(c, NULL, &st, r->name, r->op != VFS_XGET);
		return err ? err : -EOPNOTSUPP;
	}
	err = f->ops->inode(f, &n);
	if (err)
		return err;
	long ret = file_node_xattr(c, f, &n, &st, r);
	vfs_node_release(&n);
	if (!ret && r->op >= VFS_XSET)
		vfs_notify_setattr_file(c, f, VFS_ATTR_CTIME);
	return ret;
}

long vfs_file_getxattr(struct vfs_caller *c, struct vfs_file *f, const char *name, void *buf,
		       size_t size)
{
	struct vfs_xattr_req r = {.op = VFS_XGET, .name = name, .buf = buf, .size = size};

	return f->ops->getxattr ? f->ops->getxattr(f, name, buf, size) : vfs_xattr_file(c, f, &r);
}

/*
 * Whether r needs its node's attributes: a change does (its checks, and the
 * ctime notice), and a read or list that xattr_permission checks; a read of
 * a security.* or system.* attribute, or a list, does not, so that ls -l's
 * two reads of each file ask the host only for the attribute.
 */
static bool needs_stat(const struct vfs_xattr_req *r)
{
	if (r->op == VFS_XLIST)
		return false;
	if (r->op != VFS_XGET)
		return true;
	return !prefixed(r->name, "security.") && !prefixed(r->name, "system.");
}

long vfs_xattr_path(struct vfs_caller *c, struct vfs_file *dir, const char *path, int atflags,
		    struct vfs_xattr_req *r)
{
	struct vfs_walk *w;
	struct stat st;

	if (!*path && (atflags & AT_EMPTY_PATH) && dir)
		return vfs_xattr_file(c, dir, r);
	long ret = vfs_walk_alloc(c, dir, path, vfs_at_wflags(atflags), &w);
	if (ret)
		return ret;
	if (w->node.fs == &vfs_magic_ops) {
		ret = vfs_xattr_file(c, w->node.file, r);
		vfs_walk_free(w);
		return ret;
	}
	memset(&st, 0, sizeof(st));
	ret = needs_stat(r) ? w->node.fs->stat(c, &w->node, &st) : 0;
	if (!ret)
		ret = node_xattr(c, &w->node, &st, vfs_node_readonly(&w->node), r);
	if (!ret && r->op >= VFS_XSET)
		vfs_notify_setattr(c, w->canon, &st, VFS_ATTR_CTIME);
	vfs_walk_free(w);
	return ret;
}
