/*
 * Extended attributes of an ext2 image, as fs/ext2/xattr.c keeps them:
 * one block per inode (i_file_acl) with the ext2_xattr_header, entries
 * sorted by (name index, name length, name) and values packed from the
 * block's end, each entry and the block hashed as ext2 hashes them, so
 * e2fsck finds the image clean and Linux reads them back.  Attributes
 * that e2fsprogs or ext4 left in a large inode's own space are read too,
 * and move into the block at the inode's first change.  POSIX ACLs are
 * kept in ext2's own ACL format (converted from and to the xattr form the
 * VFS checked).  user.*,
 * trusted.* and security.*; a change rebuilds the whole block: in place
 * when only this inode uses it, else in a new block (a shared block, as
 * other tools make, keeps its other users).  Values longer than a block
 * are ERANGE and what does not fit ENOSPC, as on ext2.
 */
#include <stdlib.h>
#include <string.h>

#include "imgfs_impl.h"

#define XATTR_CREATE_ 1
#define XATTR_REPLACE_ 2
#define NAME_HASH_SHIFT 5
#define VALUE_HASH_SHIFT 16
#define BLOCK_HASH_SHIFT 16

static const struct {
	uint8_t index;
	const char *prefix;
} prefixes[] = {
	{EXT2_XATTR_INDEX_USER, "user."},
	{EXT2_XATTR_INDEX_TRUSTED, "trusted."},
	{EXT2_XATTR_INDEX_SECURITY, "security."},
	{EXT2_XATTR_INDEX_ACL_ACCESS, "system.posix_acl_access"}, /* whole names */
	{EXT2_XATTR_INDEX_ACL_DEFAULT, "system.posix_acl_default"},
};

static bool is_acl(uint8_t index)
{
	return index == EXT2_XATTR_INDEX_ACL_ACCESS || index == EXT2_XATTR_INDEX_ACL_DEFAULT;
}

/*
 * POSIX ACLs: the VFS's blob is the xattr form (version 2, 8-byte
 * entries); ext2 keeps its own (fs/ext2/acl.c: version 1, 4-byte entries
 * but for named users and groups).  Each converts into out (NULL: the
 * length only): the length, or -EINVAL/-EUCLEAN for a broken one.
 */
#define ACL_XATTR_VERSION 2
#define EXT2_ACL_VERSION 1
#define ACL_USER_ 0x02
#define ACL_GROUP_ 0x08

static bool acl_long(uint16_t tag)
{
	return tag == ACL_USER_ || tag == ACL_GROUP_;
}

static long acl_to_disk(const uint8_t *v, size_t size, uint8_t *out)
{
	size_t len = 4;

	if (size < 4 || (size - 4) % 8 || *(const uint32_t *)v != ACL_XATTR_VERSION)
		return -EINVAL;
	if (out)
		*(uint32_t *)out = EXT2_ACL_VERSION;
	for (size_t off = 4; off < size; off += 8) {
		uint16_t tag = *(const uint16_t *)(v + off);
		size_t n = acl_long(tag) ? 8 : 4;
		if (out)
			memcpy(out + len, v + off, n);
		len += n;
	}
	return (long)len;
}

static long acl_from_disk(const uint8_t *d, size_t size, uint8_t *out)
{
	size_t len = 4, off = 4;

	if (size < 4 || *(const uint32_t *)d != EXT2_ACL_VERSION)
		return -EUCLEAN;
	if (out)
		*(uint32_t *)out = ACL_XATTR_VERSION;
	while (off + 4 <= size) {
		uint16_t tag = *(const uint16_t *)(d + off);
		size_t n = acl_long(tag) ? 8 : 4;
		if (off + n > size)
			return -EUCLEAN;
		if (out) {
			memcpy(out + len, d + off, 4);
			uint32_t id = n == 8 ? *(const uint32_t *)(d + off + 4) : 0xffffffffu;
			memcpy(out + len + 4, &id, 4);
		}
		off += n;
		len += 8;
	}
	return off == size ? (long)len : -EUCLEAN;
}

/* One attribute of the block, as parsed (value points into a copy of the block). */
struct xent {
	uint8_t index, nlen;
	const char *name;
	uint32_t vsize;
	const uint8_t *value;
};

struct xblock {
	uint8_t *data;	/* a copy of the block */
	uint8_t *ibody; /* a copy of the in-inode attribute space */
	bool in_inode;	/* some entries came from there */
	struct xent *v;
	int n;
	uint32_t refcount;
};

/* The index and the name after the prefix, or -EOPNOTSUPP (system.*: no ACLs yet). */
static int split_name(const char *name, uint8_t *index, const char **rest)
{
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t l = strlen(prefixes[i].prefix);
		if (!strncmp(name, prefixes[i].prefix, l) && (!is_acl(prefixes[i].index) || !name[l])) {
			*index = prefixes[i].index;
			*rest = name + l;
			return 0;
		}
	}
	return -EOPNOTSUPP;
}

static const char *prefix_of(uint8_t index)
{
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (prefixes[i].index == index)
			return prefixes[i].prefix;
	return NULL;
}

static void xblock_free(struct xblock *xb)
{
	free(xb->data);
	free(xb->ibody);
	free(xb->v);
	*xb = (struct xblock){0};
}

static int xent_cmp(uint8_t index, const char *name, size_t nlen, const struct xent *e)
{
	if (index != e->index)
		return index < e->index ? -1 : 1;
	if (nlen != e->nlen)
		return nlen < e->nlen ? -1 : 1;
	return memcmp(name, e->name, nlen);
}

/* Where (index, name[nlen]) is in xb, or where it would go: *found says which. */
static int xent_find_len(const struct xblock *xb, uint8_t index, const char *name, size_t nlen,
			 bool *found)
{
	int i = 0;

	while (i < xb->n && xent_cmp(index, name, nlen, &xb->v[i]) > 0)
		i++;
	*found = i < xb->n && !xent_cmp(index, name, nlen, &xb->v[i]);
	return i;
}

static int xent_find(const struct xblock *xb, uint8_t index, const char *name, bool *found)
{
	return xent_find_len(xb, index, name, strlen(name), found);
}

/*
 * Add the entries at buf[off, end) to xb, each value at vbase + e_value_offs
 * within end; what breaks ext2's rules is -EUCLEAN.
 */
static int parse_entries(struct xblock *xb, const uint8_t *buf, uint32_t off, uint32_t end,
			 uint32_t vbase)
{
	bool found;

	while (off + 4 <= end && *(const uint32_t *)(buf + off)) {
		const struct ext2_xattr_entry *e = (const void *)(buf + off);
		if (off + sizeof(*e) > end || off + EXT2_XATTR_LEN(e->e_name_len) > end ||
		    e->e_value_block || (uint64_t)vbase + e->e_value_offs + e->e_value_size > end)
			return -EUCLEAN;
		int i = xent_find_len(xb, e->e_name_index, e->e_name, e->e_name_len, &found);
		if (!found) {
			memmove(&xb->v[i + 1], &xb->v[i], (size_t)(xb->n - i) * sizeof(xb->v[0]));
			xb->v[i] = (struct xent){e->e_name_index, e->e_name_len, e->e_name,
						 e->e_value_size, buf + vbase + e->e_value_offs};
			xb->n++;
		}
		off += EXT2_XATTR_LEN(e->e_name_len);
	}
	return 0;
}

/* The attribute block of ip into xb->data, parsed. */
static int load_block(struct imgfs *fs, struct imgfs_inode *ip, struct xblock *xb)
{
	struct imgfs_buf *b;
	int err;

	if (!ip->d.i_file_acl)
		return 0;
	if (!imgfs_block_valid(fs, ip->d.i_file_acl))
		return -EUCLEAN;
	err = imgfs_bread(fs, ip->d.i_file_acl, &b);
	if (err)
		return err;
	memcpy(xb->data, b->data, fs->bs);
	imgfs_brelse(fs, b);
	const struct ext2_xattr_header *h = (const void *)xb->data;
	if (h->h_magic != EXT2_XATTR_MAGIC || h->h_blocks != 1)
		return -EUCLEAN;
	xb->refcount = h->h_refcount;
	return parse_entries(xb, xb->data, sizeof(*h), fs->bs, 0);
}

/* The in-inode attributes of ip (values from the first entry on) into xb->ibody, parsed. */
static int load_ibody(struct imgfs *fs, struct imgfs_inode *ip, struct xblock *xb)
{
	int len = imgfs_ibody(fs, ip, xb->ibody, false);

	if (len <= 0 || *(const uint32_t *)xb->ibody != EXT2_XATTR_MAGIC)
		return len < 0 ? len : 0;
	int err = parse_entries(xb, xb->ibody, 4, (uint32_t)len, 4);
	xb->in_inode = !err; /* cleared at the next change, duplicates too */
	return err;
}

/* Every attribute of ip, from its block and from the inode's own space, into xb. */
static int xblock_load(struct imgfs *fs, struct imgfs_inode *ip, struct xblock *xb)
{
	int err;

	*xb = (struct xblock){0};
	xb->data = malloc(fs->bs);
	xb->ibody = malloc(fs->isize);
	xb->v = malloc(((fs->bs + fs->isize) / sizeof(struct ext2_xattr_entry) + 1) * sizeof(*xb->v));
	err = xb->data && xb->ibody && xb->v ? load_block(fs, ip, xb) : -ENOMEM;
	if (!err)
		err = load_ibody(fs, ip, xb);
	if (err)
		xblock_free(xb);
	return err;
}

/* ext2_xattr_hash_entry: the entry's hash of its name and (padded) value in blk. */
static uint32_t entry_hash(const struct ext2_xattr_entry *e, const uint8_t *blk)
{
	uint32_t hash = 0;

	for (int i = 0; i < e->e_name_len; i++)
		hash = (hash << NAME_HASH_SHIFT) ^ (hash >> (32 - NAME_HASH_SHIFT)) ^
		       (uint8_t)e->e_name[i];
	const uint32_t *w = (const uint32_t *)(blk + e->e_value_offs);
	for (uint32_t n = EXT2_XATTR_SIZE(e->e_value_size) / 4; e->e_value_size && n; n--)
		hash = (hash << VALUE_HASH_SHIFT) ^ (hash >> (32 - VALUE_HASH_SHIFT)) ^ *w++;
	return hash;
}

/* Write the entries of xb into blk[bs] (zeroed here): 0, or -ENOSPC when they do not fit. */
static int xblock_build(const struct xblock *xb, uint8_t *blk, uint32_t bs)
{
	struct ext2_xattr_header *h = (void *)blk;
	uint32_t eoff = sizeof(*h), voff = bs, bhash = 0;

	memset(blk, 0, bs);
	*h = (struct ext2_xattr_header){.h_magic = EXT2_XATTR_MAGIC, .h_refcount = 1, .h_blocks = 1};
	for (int i = 0; i < xb->n; i++) {
		const struct xent *x = &xb->v[i];
		uint32_t elen = EXT2_XATTR_LEN(x->nlen), vlen = EXT2_XATTR_SIZE(x->vsize);
		if (vlen > voff || eoff + elen + 4 > voff - vlen)
			return -ENOSPC;
		voff -= vlen;
		memcpy(blk + voff, x->value, x->vsize);
		struct ext2_xattr_entry *e = (void *)(blk + eoff);
		e->e_name_len = x->nlen;
		e->e_name_index = x->index;
		e->e_value_offs = (uint16_t)(x->vsize ? voff : 0);
		e->e_value_size = x->vsize;
		memcpy(e->e_name, x->name, x->nlen);
		e->e_hash = entry_hash(e, blk);
		bhash = (bhash << BLOCK_HASH_SHIFT) ^ (bhash >> (32 - BLOCK_HASH_SHIFT)) ^ e->e_hash;
		eoff += elen;
	}
	h->h_hash = bhash;
	return 0;
}

int imgfs_xattr_drop(struct imgfs *fs, struct imgfs_inode *ip)
{
	struct imgfs_buf *b;
	struct ext2_xattr_header *h;
	uint32_t blk = ip->d.i_file_acl;
	int err;

	if (!blk)
		return 0;
	ip->d.i_file_acl = 0;
	imgfs_add_iblocks(fs, ip, -1);
	err = imgfs_bread(fs, blk, &b);
	if (err)
		return err;
	h = (struct ext2_xattr_header *)b->data;
	if (h->h_magic == EXT2_XATTR_MAGIC && h->h_refcount > 1) {
		h->h_refcount--;
		imgfs_bdirty(b);
		imgfs_brelse(fs, b);
		return 0;
	}
	imgfs_brelse(fs, b);
	return imgfs_bfree(fs, blk);
}

/* Give ip the attribute block blk[bs]: its own block rewritten, or a new one. */
static int xblock_store(struct imgfs *fs, struct imgfs_inode *ip, const struct xblock *old,
			const uint8_t *blk)
{
	struct imgfs_buf *b;
	uint32_t nb = ip->d.i_file_acl;
	int err = 0;

	if (!nb || old->refcount > 1) {
		err = imgfs_balloc(fs, ip->goal, &nb);
		if (!err && ip->d.i_file_acl)
			err = imgfs_xattr_drop(fs, ip);
		if (err)
			return err;
		ip->d.i_file_acl = nb;
		imgfs_add_iblocks(fs, ip, 1);
	}
	err = imgfs_bget(fs, nb, false, &b);
	if (err)
		return err;
	memcpy(b->data, blk, fs->bs);
	imgfs_bdirty(b);
	imgfs_brelse(fs, b);
	if (!(fs->sb.s_feature_compat & EXT2_FEATURE_COMPAT_EXT_ATTR)) {
		fs->sb.s_feature_compat |= EXT2_FEATURE_COMPAT_EXT_ATTR;
		fs->sb_dirty = true;
	}
	return 0;
}

/* Apply the change to xb (entries only; the value is borrowed): 0 or -errno. */
static int xblock_change(struct xblock *xb, uint8_t index, const char *rest, const void *value,
			 size_t size, int flags)
{
	bool found;
	int i = xent_find(xb, index, rest, &found);

	if (found && (flags & XATTR_CREATE_))
		return -EEXIST;
	if (!found && (!value || (flags & XATTR_REPLACE_)))
		return -ENODATA;
	if (!value) {
		memmove(&xb->v[i], &xb->v[i + 1], (size_t)(xb->n - i - 1) * sizeof(xb->v[0]));
		xb->n--;
		return 0;
	}
	if (!found) {
		memmove(&xb->v[i + 1], &xb->v[i], (size_t)(xb->n - i) * sizeof(xb->v[0]));
		xb->n++;
	}
	xb->v[i] = (struct xent){index, (uint8_t)strlen(rest), rest, (uint32_t)size, value};
	return 0;
}

static int xattr_set(struct imgfs *fs, struct imgfs_inode *ip, const char *name,
		     const void *value, size_t size, int flags)
{
	struct xblock xb;
	uint8_t index;
	const char *rest;
	int err = split_name(name, &index, &rest);

	if (!err && (strlen(rest) > 255 || size > fs->bs))
		err = -ERANGE;
	if (!err)
		err = xblock_load(fs, ip, &xb);
	if (err)
		return err;
	uint8_t *blk = malloc(fs->bs), *disk = NULL;
	err = blk ? 0 : -ENOMEM;
	if (!err && value && is_acl(index)) {
		long dl = acl_to_disk(value, size, NULL);
		err = dl < 0 ? (int)dl : !(disk = malloc((size_t)dl)) ? -ENOMEM : 0;
		if (!err) {
			acl_to_disk(value, size, disk);
			value = disk;
			size = (size_t)dl;
		}
	}
	if (!err)
		err = xblock_change(&xb, index, rest, value, size, flags);
	if (!err && !xb.n)
		err = imgfs_xattr_drop(fs, ip);
	else if (!err && !(err = xblock_build(&xb, blk, fs->bs)))
		err = xblock_store(fs, ip, &xb, blk);
	/* The inode's own entries moved into the block. */
	if (!err && xb.in_inode)
		err = imgfs_ibody(fs, ip, NULL, true) < 0 ? -EIO : 0;
	free(blk);
	free(disk);
	xblock_free(&xb);
	return err;
}

int imgfs_setxattr(struct imgfs *fs, uint32_t ino, const char *name, const void *value,
		   size_t size, int flags)
{
	struct imgfs_inode *ip;
	int err;

	if (!fs->writable)
		return -EROFS;
	err = imgfs_iget_ip(fs, ino, &ip);
	if (err)
		return err;
	err = xattr_set(fs, ip, name, value, size, flags);
	if (!err) {
		imgfs_touch(ip, false);
		err = imgfs_iupdate(fs, ip);
	}
	imgfs_iput_ip(fs, ip);
	return err;
}

long imgfs_getxattr(struct imgfs *fs, uint32_t ino, const char *name, void *buf, size_t size)
{
	struct imgfs_inode *ip;
	struct xblock xb;
	uint8_t index;
	const char *rest;
	bool found;
	long r = split_name(name, &index, &rest);

	if (!r)
		r = imgfs_iget_ip(fs, ino, &ip);
	if (r)
		return r;
	r = xblock_load(fs, ip, &xb);
	imgfs_iput_ip(fs, ip);
	if (r)
		return r;
	int i = xent_find(&xb, index, rest, &found);
	const struct xent *x = &xb.v[i];
	long len = !found ? -ENODATA
		   : is_acl(index) ? acl_from_disk(x->value, x->vsize, NULL) : (long)x->vsize;
	if (len >= 0 && size && (size_t)len > size)
		len = -ERANGE;
	else if (len >= 0 && size && is_acl(index))
		acl_from_disk(x->value, x->vsize, buf);
	else if (len >= 0 && size)
		memcpy(buf, x->value, x->vsize);
	xblock_free(&xb);
	return len;
}

long imgfs_listxattr(struct imgfs *fs, uint32_t ino, char *buf, size_t size)
{
	struct imgfs_inode *ip;
	struct xblock xb;
	size_t len = 0;
	long r = imgfs_iget_ip(fs, ino, &ip);

	if (r)
		return r;
	r = xblock_load(fs, ip, &xb);
	imgfs_iput_ip(fs, ip);
	for (int i = 0; !r && i < xb.n; i++) {
		const char *p = prefix_of(xb.v[i].index);
		if (!p)
			continue; /* a namespace uos does not know (system.data ...) */
		size_t pl = strlen(p), n = pl + xb.v[i].nlen + 1;
		if (size && len + n > size) {
			r = -ERANGE;
			break;
		}
		if (size) {
			memcpy(buf + len, p, pl);
			memcpy(buf + len + pl, xb.v[i].name, xb.v[i].nlen);
			buf[len + n - 1] = '\0';
		}
		len += n;
	}
	xblock_free(&xb);
	return r ? r : (long)len;
}
