/*
 * POSIX ACLs as extended attributes (system.posix_acl_access and
 * system.posix_acl_default), as Linux's fs/posix_acl.c takes them: the
 * version 2 blob is checked (posix_acl_from_xattr, posix_acl_valid), only
 * the owner (or CAP_FOWNER) sets one, a default ACL only on a directory,
 * an access ACL sets the mode's bits (and is not kept when the mode says
 * it all: posix_acl_update_mode), and chmod keeps a kept access ACL in
 * step (posix_acl_chmod).  Filesystems keep the blob like any attribute
 * (tmpfs; ext2 images in ext2's own format; the overlay, whose lower
 * host files' ACLs are read from the host); one without gives EOPNOTSUPP.
 * Permission checks for all but the owner read the access ACL
 * (vfs_perm_node: named users and groups through the mask).  A new node
 * in a directory with a default ACL inherits it (posix_acl_create): the
 * umask does not apply, the ACL narrows the mode and becomes the node's
 * access ACL (and a new directory's default); elsewhere the umask applies
 * (vfs_acl_inherit is where every create takes it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/limits.h>
#include <sys/xattr.h>
#include <time.h>

#include "vfs_impl.h"

#define ACL_VERSION 2
#define ACL_USER_OBJ 0x01
#define ACL_USER 0x02
#define ACL_GROUP_OBJ 0x04
#define ACL_GROUP 0x08
#define ACL_MASK 0x10
#define ACL_OTHER 0x20
#define ACL_UNDEFINED_ID 0xffffffffu
#define ACL_MAX_ENTRIES 8190 /* what fits XATTR_SIZE_MAX */

struct acl_entry {
	uint16_t tag;
	uint16_t perm;
	uint32_t id;
};

struct acl_blob {
	uint32_t version;
	struct acl_entry e[];
};

static const char ACL_ACCESS[] = "system.posix_acl_access";
static const char ACL_DEFAULT[] = "system.posix_acl_default";

bool vfs_acl_name(const char *name)
{
	return !strcmp(name, ACL_ACCESS) || !strcmp(name, ACL_DEFAULT);
}

/* posix_acl_from_xattr's checks: the entry count, or -EINVAL/-EOPNOTSUPP. */
static long acl_count(const void *value, size_t size)
{
	const struct acl_blob *b = value;

	if (size < sizeof(*b))
		return -EINVAL;
	if (b->version != ACL_VERSION)
		return -EOPNOTSUPP;
	if ((size - sizeof(*b)) % sizeof(struct acl_entry))
		return -EINVAL;
	return (long)((size - sizeof(*b)) / sizeof(struct acl_entry));
}

/* posix_acl_valid: the entries in order, each kind once, a mask where needed. */
static int acl_valid(struct acl_entry *e, long n)
{
	enum { S_UOBJ, S_USER, S_GROUP, S_OTHER, S_DONE } state = S_UOBJ;
	bool needs_mask = false;

	for (long i = 0; i < n; i++) {
		if (e[i].perm & ~7)
			return -EINVAL;
		switch (e[i].tag) {
		case ACL_USER_OBJ:
			if (state != S_UOBJ)
				return -EINVAL;
			state = S_USER;
			e[i].id = ACL_UNDEFINED_ID;
			break;
		case ACL_USER:
		case ACL_GROUP:
			/* no order among the ids: Linux leaves that to libacl */
			if (state != (e[i].tag == ACL_USER ? S_USER : S_GROUP) ||
			    e[i].id == ACL_UNDEFINED_ID)
				return -EINVAL;
			needs_mask = true;
			break;
		case ACL_GROUP_OBJ:
			if (state != S_USER)
				return -EINVAL;
			state = S_GROUP;
			e[i].id = ACL_UNDEFINED_ID;
			break;
		case ACL_MASK:
			if (state != S_GROUP)
				return -EINVAL;
			state = S_OTHER;
			e[i].id = ACL_UNDEFINED_ID;
			break;
		case ACL_OTHER:
			if (state != S_OTHER && (state != S_GROUP || needs_mask))
				return -EINVAL;
			state = S_DONE;
			e[i].id = ACL_UNDEFINED_ID;
			break;
		default:
			return -EINVAL;
		}
	}
	return state == S_DONE ? 0 : -EINVAL;
}

/* posix_acl_equiv_mode: the mode's permission bits into *mode; 1 if the ACL says more. */
static int acl_equiv_mode(const struct acl_entry *e, long n, mode_t *mode)
{
	mode_t m = 0;
	int more = 0;

	for (long i = 0; i < n; i++) {
		switch (e[i].tag) {
		case ACL_USER_OBJ:
			m |= (mode_t)(e[i].perm & 7) << 6;
			break;
		case ACL_GROUP_OBJ:
			m |= (mode_t)(e[i].perm & 7) << 3;
			break;
		case ACL_OTHER:
			m |= e[i].perm & 7;
			break;
		case ACL_MASK:
			m = (m & ~(mode_t)S_IRWXG) | (mode_t)(e[i].perm & 7) << 3;
			more = 1;
			break;
		default:
			more = 1;
		}
	}
	*mode = (*mode & ~(mode_t)0777) | m;
	return more;
}

/* The fs's set of name (value NULL: remove, absent is fine). */
static int store(struct vfs_caller *c, const struct vfs_node *n, const char *name,
		 const void *value, size_t size)
{
	int err = n->fs->setxattr(c, n, name, value, size, 0);

	return !value && err == -ENODATA ? 0 : err;
}

int vfs_acl_set(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st,
		const char *name, void *value, size_t size)
{
	bool access = !strcmp(name, ACL_ACCESS);
	long cnt = value ? acl_count(value, size) : 0;
	long probe = n->fs->getxattr && n->fs->setxattr ? n->fs->getxattr(n, name, NULL, 0)
							 : -EOPNOTSUPP;

	if (probe == -EOPNOTSUPP || S_ISLNK(st->st_mode))
		return -EOPNOTSUPP;
	if (cnt < 0)
		return (int)cnt;
	if (cnt > ACL_MAX_ENTRIES)
		return -E2BIG;
	struct acl_entry *e = cnt ? ((struct acl_blob *)value)->e : NULL;
	if (!access && !S_ISDIR(st->st_mode))
		return cnt ? -EACCES : 0;
	if (c->cred->fsuid != st->st_uid && !creds_capable(c->cred, CAP_FOWNER))
		return -EPERM;
	int err = cnt ? acl_valid(e, cnt) : 0;
	if (err || !access)
		return err ? err : store(c, n, name, cnt ? value : NULL, size);
	mode_t mode = st->st_mode;
	if (cnt && !acl_equiv_mode(e, cnt, &mode))
		cnt = 0; /* the mode says it all: no ACL is kept */
	if (!creds_in_group(c->cred, c->cred->fsgid, st->st_gid) && !creds_capable(c->cred, CAP_FSETID))
		mode &= ~(mode_t)S_ISGID;
	struct vfs_attr a = {.valid = VFS_ATTR_MODE | VFS_ATTR_CTIME, .mode = mode & 07777};
	clock_gettime(CLOCK_REALTIME, &a.ctime);
	err = n->fs->setattr ? n->fs->setattr(c, n, &a) : -EOPNOTSUPP;
	return err ? err : store(c, n, name, cnt ? value : NULL, size);
}

/* n's ACL name into a new buffer *out: its length, 0 for none (or a broken one), or -ENOMEM. */
static long read_acl(const struct vfs_node *n, const char *name, char **out)
{
	long len = n->fs->getxattr && n->fs->setxattr ? n->fs->getxattr(n, name, NULL, 0) : -ENODATA;

	*out = NULL;
	if (len <= 0 || len > XATTR_SIZE_MAX)
		return 0;
	*out = malloc((size_t)len);
	if (!*out)
		return -ENOMEM;
	len = n->fs->getxattr(n, name, *out, (size_t)len);
	if (len <= 0 || acl_count(*out, (size_t)len) <= 0) {
		free(*out);
		*out = NULL;
		return 0;
	}
	return len;
}

void vfs_acl_chmod(struct vfs_caller *c, const struct vfs_node *n, mode_t mode)
{
	char *buf;
	long len = read_acl(n, ACL_ACCESS, &buf);
	long cnt = len > 0 ? acl_count(buf, (size_t)len) : 0;
	struct acl_entry *e = buf ? ((struct acl_blob *)buf)->e : NULL, *group = NULL, *mask = NULL;

	for (long i = 0; i < cnt; i++) {
		if (e[i].tag == ACL_USER_OBJ)
			e[i].perm = (uint16_t)((mode >> 6) & 7);
		else if (e[i].tag == ACL_OTHER)
			e[i].perm = (uint16_t)(mode & 7);
		else if (e[i].tag == ACL_GROUP_OBJ)
			group = &e[i];
		else if (e[i].tag == ACL_MASK)
			mask = &e[i];
	}
	if (mask || group)
		(mask ? mask : group)->perm = (uint16_t)((mode >> 3) & 7);
	if (cnt)
		n->fs->setxattr(c, n, ACL_ACCESS, buf, (size_t)len, XATTR_REPLACE);
	free(buf);
}

/* posix_acl_permission: whether the ACL e[n] gives want (R_OK|W_OK|X_OK) to the caller. */
static int acl_permission(const struct creds *cr, uid_t uid, gid_t gid, const struct stat *st,
			  const struct acl_entry *e, long n, unsigned want)
{
	bool found = false;

	for (long i = 0; i < n; i++) {
		const struct acl_entry *pick = NULL;
		switch (e[i].tag) {
		case ACL_USER:
			if (e[i].id == uid)
				pick = &e[i];
			break;
		case ACL_GROUP_OBJ:
		case ACL_GROUP:
			if (creds_in_group(cr, gid, e[i].tag == ACL_GROUP ? e[i].id : st->st_gid)) {
				found = true;
				if ((e[i].perm & want) == want)
					pick = &e[i];
			}
			break;
		case ACL_OTHER:
			return found || (e[i].perm & want) != want ? -EACCES : 0;
		default:
			break;
		}
		if (!pick)
			continue;
		/* A named entry or a group counts through the mask. */
		unsigned perm = pick->perm;
		for (long j = i + 1; j < n; j++)
			if (e[j].tag == ACL_MASK)
				perm &= e[j].perm;
		return (perm & want) == want ? 0 : -EACCES;
	}
	return -EACCES;
}

int vfs_acl_check(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st,
		  uid_t uid, gid_t gid, int want)
{
	char *buf;
	long len;

	if (!n || S_ISLNK(st->st_mode))
		return -EAGAIN;
	len = read_acl(n, ACL_ACCESS, &buf);
	if (len <= 0)
		return len < 0 ? (int)len : -EAGAIN; /* none: the mode decides */
	int r = acl_permission(c->cred, uid, gid, st, ((struct acl_blob *)buf)->e,
			       acl_count(buf, (size_t)len), (unsigned)want & 7);
	free(buf);
	return r;
}

/* posix_acl_create_masq: narrow e[n] and *mode by each other; 1 if the ACL says more. */
static int acl_create_masq(struct acl_entry *e, long n, mode_t *mode_p)
{
	struct acl_entry *group = NULL, *mask = NULL;
	mode_t mode = *mode_p;
	int more = 0;

	for (long i = 0; i < n; i++) {
		switch (e[i].tag) {
		case ACL_USER_OBJ:
			e[i].perm &= (uint16_t)((mode >> 6) & 7);
			mode &= ((mode_t)e[i].perm << 6) | ~(mode_t)S_IRWXU;
			break;
		case ACL_OTHER:
			e[i].perm &= (uint16_t)(mode & 7);
			mode &= (mode_t)e[i].perm | ~(mode_t)S_IRWXO;
			break;
		case ACL_GROUP_OBJ:
			group = &e[i];
			break;
		case ACL_MASK:
			mask = &e[i];
			more = 1;
			break;
		default:
			more = 1;
		}
	}
	struct acl_entry *g = mask ? mask : group;
	if (!g)
		return -EIO;
	g->perm &= (uint16_t)((mode >> 3) & 7);
	mode &= ((mode_t)g->perm << 3) | ~(mode_t)S_IRWXG;
	*mode_p &= mode | ~(mode_t)0777;
	return more;
}

int vfs_acl_inherit(struct vfs_caller *c, const struct vfs_node *dir, mode_t *mode,
		    struct vfs_acl_new *out)
{
	char *acl;
	long len;

	*out = (struct vfs_acl_new){0};
	if (S_ISLNK(*mode))
		return 0;
	len = read_acl(dir, ACL_DEFAULT, &acl);
	if (len < 0)
		return (int)len;
	if (!len) {
		*mode &= ~(c->fs ? c->fs->umask & 0777 : 0);
		return 0;
	}
	if (S_ISDIR(*mode) && !(out->dflt = malloc((size_t)len))) {
		free(acl);
		return -ENOMEM;
	}
	if (out->dflt) {
		memcpy(out->dflt, acl, (size_t)len);
		out->dflt_len = (size_t)len;
	}
	int more = acl_create_masq(((struct acl_blob *)acl)->e, acl_count(acl, (size_t)len), mode);
	if (more <= 0) {
		free(acl); /* the mode says it all (or a broken ACL: -EIO) */
		if (more < 0)
			vfs_acl_new_free(out);
		return more;
	}
	out->access = acl;
	out->access_len = (size_t)len;
	return 0;
}

int vfs_acl_new_apply(struct vfs_caller *c, const struct vfs_node *n, struct vfs_acl_new *a)
{
	int err = 0;

	if (a->access && n->fs->setxattr)
		err = n->fs->setxattr(c, n, ACL_ACCESS, a->access, a->access_len, 0);
	if (!err && a->dflt && n->fs->setxattr)
		err = n->fs->setxattr(c, n, ACL_DEFAULT, a->dflt, a->dflt_len, 0);
	vfs_acl_new_free(a);
	return err;
}

void vfs_acl_new_free(struct vfs_acl_new *a)
{
	free(a->access);
	free(a->dflt);
	*a = (struct vfs_acl_new){0};
}
