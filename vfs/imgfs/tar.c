/*
 * Unpacking a tar stream into an image (uos mkfs --from TARFILE): ustar
 * headers, GNU long names and links ('L', 'K'), pax extended headers ('x':
 * path, linkpath, size, uid, gid, mtime), numbers in octal or GNU base-256.
 * Missing parent directories are made; an existing name is replaced like
 * tar does (a directory is kept and gets the new attributes).  Directory
 * times are applied at the end, after every entry has gone in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "imgfs_impl.h"

#define TAR_BLOCK 512

struct tar_hdr {
	char name[100], mode[8], uid[8], gid[8], size[12], mtime[12], chksum[8];
	char type, linkname[100], magic[6], version[2], uname[32], gname[32];
	char devmajor[8], devminor[8], prefix[155], pad[12];
};
_Static_assert(sizeof(struct tar_hdr) == TAR_BLOCK, "tar header");

/* What the next entry is, merged from its header and any long-name or pax records. */
struct tar_entry {
	char *path, *link;
	uint64_t size;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int64_t mtime;
	dev_t rdev;
	char type;
	/* overrides from 'L' / 'K' / 'x' records for the next header */
	char *next_path, *next_link;
	int64_t next_size, next_uid, next_gid, next_mtime;
};

struct dirtime {
	uint32_t ino;
	int64_t mtime;
};

struct untar {
	struct imgfs *fs;
	int fd;
	char *why;
	size_t whylen;
	struct tar_entry e;
	struct dirtime *dirs;
	size_t ndirs, cap;
};

static int fail(struct untar *u, int err, const char *what, const char *name)
{
	if (u->why && u->whylen)
		snprintf(u->why, u->whylen, "%s%s%s: %s", what, name ? " " : "", name ? name : "",
			 strerror(-err));
	return err;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return done ? -EIO : 0; /* a truncated archive */
		done += n;
	}
	return 1;
}

/* An octal field, or GNU base-256 when the top bit of the first byte is set. */
static int64_t tar_num(const char *f, size_t len)
{
	int64_t v = 0;
	size_t i;

	if ((unsigned char)f[0] & 0x80) {
		v = f[0] & 0x3f;
		for (i = 1; i < len; i++)
			v = (v << 8) | (unsigned char)f[i];
		return v;
	}
	for (i = 0; i < len && (f[i] == ' ' || f[i] == 0); i++)
		;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (f[i] - '0');
	return v;
}

static bool all_zero_hdr(const struct tar_hdr *h)
{
	const char *b = (const char *)h;

	return b[0] == 0 && !memcmp(b, b + 1, TAR_BLOCK - 1);
}

static bool checksum_ok(const struct tar_hdr *h)
{
	const unsigned char *b = (const unsigned char *)h;
	int64_t want = tar_num(h->chksum, sizeof(h->chksum)), sum = 0;
	size_t i;

	for (i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : b[i];
	return sum == want;
}

static int skip(struct untar *u, uint64_t size)
{
	char buf[TAR_BLOCK];
	uint64_t n = (size + TAR_BLOCK - 1) / TAR_BLOCK;
	int r;

	while (n--) {
		r = read_full(u->fd, buf, TAR_BLOCK);
		if (r <= 0)
			return r ? r : -EIO;
	}
	return 0;
}

/* The data of a record ('L', 'K', 'x') as a NUL-terminated string (malloc'd). */
static int read_record(struct untar *u, uint64_t size, char **out)
{
	uint64_t padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	char *buf;
	int r;

	if (size > (1 << 20))
		return -EINVAL;
	buf = malloc(padded + 1);
	if (!buf)
		return -ENOMEM;
	r = padded ? read_full(u->fd, buf, padded) : 1;
	if (r <= 0) {
		free(buf);
		return r ? r : -EIO;
	}
	buf[size] = 0;
	*out = buf;
	return 0;
}

static void set_str(char **dst, const char *src, size_t len)
{
	free(*dst);
	*dst = strndup(src, len);
}

/* pax records: "LEN key=value\n" ... */
static void parse_pax(struct tar_entry *e, const char *rec, size_t size)
{
	const char *p = rec, *end = rec + size;

	while (p < end) {
		char *sp, *eq;
		long len = strtol(p, &sp, 10);

		if (len <= 0 || p + len > end || *sp != ' ')
			return;
		eq = memchr(sp, '=', p + len - sp);
		if (eq) {
			size_t klen = eq - sp - 1, vlen = p + len - eq - 2;
			const char *k = sp + 1, *v = eq + 1;

			if (klen == 4 && !memcmp(k, "path", 4))
				set_str(&e->next_path, v, vlen);
			else if (klen == 8 && !memcmp(k, "linkpath", 8))
				set_str(&e->next_link, v, vlen);
			else if (klen == 4 && !memcmp(k, "size", 4))
				e->next_size = strtoll(v, NULL, 10);
			else if (klen == 3 && !memcmp(k, "uid", 3))
				e->next_uid = strtoll(v, NULL, 10);
			else if (klen == 3 && !memcmp(k, "gid", 3))
				e->next_gid = strtoll(v, NULL, 10);
			else if (klen == 5 && !memcmp(k, "mtime", 5))
				e->next_mtime = strtoll(v, NULL, 10);
		}
		p += len;
	}
}

static void clear_next(struct tar_entry *e)
{
	free(e->next_path);
	free(e->next_link);
	e->next_path = e->next_link = NULL;
	e->next_size = e->next_uid = e->next_gid = e->next_mtime = -1;
}

/* Fill u->e from header h and the pending overrides. */
static void decode(struct untar *u, const struct tar_hdr *h)
{
	struct tar_entry *e = &u->e;
	char name[257];

	free(e->path);
	free(e->link);
	if (e->next_path) {
		e->path = e->next_path;
	} else if (h->prefix[0] && !memcmp(h->magic, "ustar\0", 6)) {
		snprintf(name, sizeof(name), "%.155s/%.100s", h->prefix, h->name);
		e->path = strdup(name);
	} else {
		e->path = strndup(h->name, sizeof(h->name));
	}
	e->link = e->next_link ? e->next_link : strndup(h->linkname, sizeof(h->linkname));
	e->next_path = e->next_link = NULL;
	e->size = e->next_size >= 0 ? e->next_size : tar_num(h->size, sizeof(h->size));
	e->mode = tar_num(h->mode, sizeof(h->mode)) & 07777;
	e->uid = e->next_uid >= 0 ? e->next_uid : tar_num(h->uid, sizeof(h->uid));
	e->gid = e->next_gid >= 0 ? e->next_gid : tar_num(h->gid, sizeof(h->gid));
	e->mtime = e->next_mtime >= 0 ? e->next_mtime : tar_num(h->mtime, sizeof(h->mtime));
	e->rdev = makedev(tar_num(h->devmajor, 8), tar_num(h->devminor, 8));
	e->type = h->type ? h->type : '0';
	clear_next(e);
}

/* Split path into its parent directory (made when missing) and last name. */
static int parent_of(struct untar *u, char *path, uint32_t *dir, char **name)
{
	char *p = path, *slash;
	uint32_t cur = EXT2_ROOT_INO, next;
	size_t len = strlen(path);
	int err;

	while (len > 1 && path[len - 1] == '/') /* a directory's "name/" */
		path[--len] = 0;
	while (*p == '/' || (p[0] == '.' && p[1] == '/'))
		p += *p == '/' ? 1 : 2;
	while ((slash = strchr(p, '/'))) {
		*slash = 0;
		if (*p && strcmp(p, ".")) {
			err = imgfs_lookup(u->fs, cur, p, &next);
			if (err == -ENOENT)
				err = imgfs_mkdir(u->fs, cur, p, 0755, 0, 0, &next);
			if (err)
				return err;
			cur = next;
		}
		p = slash + 1;
		while (*p == '/')
			p++;
	}
	*dir = cur;
	*name = p;
	return 0;
}

static int add_dirtime(struct untar *u, uint32_t ino, int64_t mtime)
{
	if (u->ndirs == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 64;
		struct dirtime *n = realloc(u->dirs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		u->dirs = n;
		u->cap = cap;
	}
	u->dirs[u->ndirs++] = (struct dirtime){ino, mtime};
	return 0;
}

static int set_attrs(struct untar *u, uint32_t ino, bool mode)
{
	struct imgfs_attr a = {
		.mask = IMGFS_ATTR_UID | IMGFS_ATTR_GID | IMGFS_ATTR_ATIME | IMGFS_ATTR_MTIME |
			(mode ? IMGFS_ATTR_MODE : 0),
		.mode = u->e.mode, .uid = u->e.uid, .gid = u->e.gid,
		.atime = {u->e.mtime, 0}, .mtime = {u->e.mtime, 0},
	};

	return imgfs_setattr(u->fs, ino, &a);
}

/* Remove an existing non-directory name, as tar does before extracting over it. */
static int replace(struct untar *u, uint32_t dir, const char *name)
{
	struct stat st;
	uint32_t ino;
	int err = imgfs_lookup(u->fs, dir, name, &ino);

	if (err == -ENOENT)
		return 0;
	if (!err)
		err = imgfs_getattr(u->fs, ino, &st);
	if (!err && !S_ISDIR(st.st_mode))
		err = imgfs_unlink(u->fs, dir, name);
	return err;
}

/* The entry's data into ino, then the padding to the next header. */
static int write_data(struct untar *u, uint32_t ino)
{
	char *buf = malloc(1 << 16);
	uint64_t off = 0, padded = (u->e.size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	int err = buf ? 0 : -ENOMEM;

	while (!err && off < padded) {
		size_t n = padded - off < (1 << 16) ? padded - off : (1 << 16);
		size_t keep = off + n > u->e.size ? u->e.size - off : n;
		long w;

		err = read_full(u->fd, buf, n);
		if (err <= 0) {
			err = err ? err : -EIO;
			break;
		}
		err = 0;
		w = keep ? imgfs_write(u->fs, ino, buf, keep, off) : 0;
		if (w != (long)keep)
			err = w < 0 ? w : -ENOSPC;
		off += n;
	}
	free(buf);
	return err;
}

static int extract_dir(struct untar *u, uint32_t dir, const char *name, uint32_t *ino)
{
	struct stat st;
	int err = imgfs_lookup(u->fs, dir, name, ino);

	if (err == -ENOENT)
		return imgfs_mkdir(u->fs, dir, name, u->e.mode, u->e.uid, u->e.gid, ino);
	if (!err)
		err = imgfs_getattr(u->fs, *ino, &st);
	if (!err && !S_ISDIR(st.st_mode)) {
		err = imgfs_unlink(u->fs, dir, name);
		if (!err)
			err = imgfs_mkdir(u->fs, dir, name, u->e.mode, u->e.uid, u->e.gid, ino);
	}
	return err;
}

static int extract_link(struct untar *u, uint32_t dir, const char *name)
{
	uint32_t target;
	char *p = u->e.link;
	int err;

	while (*p == '/' || (p[0] == '.' && p[1] == '/'))
		p += *p == '/' ? 1 : 2;
	err = imgfs_namei(u->fs, p, &target);
	if (!err)
		err = replace(u, dir, name);
	return err ? err : imgfs_link(u->fs, target, dir, name);
}

static mode_t type_mode(char type)
{
	switch (type) {
	case '3': return S_IFCHR;
	case '4': return S_IFBLK;
	case '6': return S_IFIFO;
	default: return S_IFREG;
	}
}

/* Extract the entry u->e, whose data (if any) follows in the stream. */
static int extract(struct untar *u)
{
	uint32_t dir, ino;
	char *name;
	int err = parent_of(u, u->e.path, &dir, &name);
	bool data = u->e.type == '0' || u->e.type == '7';

	if (err)
		return err;
	if (!*name) { /* the archive's "./": the root itself */
		if (u->e.type != '5')
			return skip(u, u->e.size);
		err = add_dirtime(u, EXT2_ROOT_INO, u->e.mtime);
		return err ? err : set_attrs(u, EXT2_ROOT_INO, true);
	}
	switch (u->e.type) {
	case '5':
		err = extract_dir(u, dir, name, &ino);
		if (!err)
			err = add_dirtime(u, ino, u->e.mtime);
		return err ? err : set_attrs(u, ino, true);
	case '1':
		return extract_link(u, dir, name);
	case '2':
		err = replace(u, dir, name);
		if (!err)
			err = imgfs_symlink(u->fs, dir, name, u->e.link, u->e.uid, u->e.gid, &ino);
		return err ? err : set_attrs(u, ino, false);
	case '0': case '7': case '3': case '4': case '6':
		err = replace(u, dir, name);
		if (!err)
			err = imgfs_create(u->fs, dir, name, type_mode(u->e.type) | u->e.mode,
					   u->e.rdev, u->e.uid, u->e.gid, &ino);
		if (!err && data)
			err = write_data(u, ino);
		return err ? err : set_attrs(u, ino, true);
	default:
		return skip(u, u->e.size); /* unknown kinds: skipped like tar does */
	}
}

/* Handle one header: 1 to go on, 0 at the end of the archive, or -errno. */
static int one_header(struct untar *u)
{
	struct tar_hdr h;
	char *rec;
	int r = read_full(u->fd, &h, sizeof(h));

	if (r <= 0)
		return r;
	if (all_zero_hdr(&h))
		return 0;
	if (!checksum_ok(&h))
		return fail(u, -EINVAL, "not a tar archive (bad header checksum)", NULL);
	switch (h.type) {
	case 'L': case 'K': case 'x':
		r = read_record(u, tar_num(h.size, sizeof(h.size)), &rec);
		if (r)
			return fail(u, r, "bad tar record", NULL);
		if (h.type == 'x')
			parse_pax(&u->e, rec, tar_num(h.size, sizeof(h.size)));
		else
			set_str(h.type == 'L' ? &u->e.next_path : &u->e.next_link, rec, strlen(rec));
		free(rec);
		return 1;
	case 'g':
		r = skip(u, tar_num(h.size, sizeof(h.size)));
		return r ? r : 1;
	}
	decode(u, &h);
	r = extract(u);
	if (!r)
		imgfs_note_copied(u->fs, u->e.type == '0' || u->e.type == '7' ? u->e.size : 0);
	return r ? fail(u, r, "extract", u->e.path) : 1;
}

int imgfs_populate_tar(struct imgfs *fs, int fd, char *why, size_t whylen)
{
	struct untar u = {.fs = fs, .fd = fd, .why = why, .whylen = whylen};
	struct imgfs_attr a = {.mask = IMGFS_ATTR_ATIME | IMGFS_ATTR_MTIME};
	size_t i;
	int r;

	clear_next(&u.e);
	while ((r = one_header(&u)) > 0)
		;
	for (i = u.ndirs; r == 0 && i-- > 0;) {
		a.atime.tv_sec = a.mtime.tv_sec = u.dirs[i].mtime;
		r = imgfs_setattr(fs, u.dirs[i].ino, &a);
	}
	clear_next(&u.e);
	free(u.e.path);
	free(u.e.link);
	free(u.dirs);
	return r;
}
