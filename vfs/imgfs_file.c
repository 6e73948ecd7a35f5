/*
 * imgfs files in the VFS: vnodes (one per inode in use, pinning it), their
 * page cache, and open files.  A regular file's bytes are read and written
 * through imgfs's block cache until something maps it (hostfd): then a memfd
 * is filled from the image and becomes the one copy that read, write and
 * every mapping share (ARCHITECTURE point 7), written back to the image on
 * fsync and at the last reference.  Directories list through imgfs_readdir
 * with f->pos as its stable cookie.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "imgfs_glue.h"

struct imgfs_vfile {
	struct vfs_file base;
	struct imgfs_vnode *vn; /* a reference */
};

/* Charge vn's memfd for size bytes: 0, or -ENOMEM (nothing changed) when growth does not fit. */
static int charge_to(struct imgfs_vnode *vn, off_t size)
{
	unsigned long want = ((unsigned long)size + 4095) & ~4095UL;
	struct memcg *cg = vn->vs->cg;

	if (want > vn->charged && memcg_charge(cg, MEMCG_CACHE, want - vn->charged))
		return -ENOMEM;
	if (want < vn->charged)
		memcg_uncharge(cg, MEMCG_CACHE, vn->charged - want);
	vn->charged = want;
	return 0;
}

static void vsb_put(struct imgfs_vsb *vs)
{
	if (--vs->refs > 0)
		return;
	imgfs_unmount(vs->fs);
	close(vs->fd);
	free(vs);
}

int imgfs_vget(struct imgfs_vsb *vs, uint32_t ino, struct imgfs_vnode **out)
{
	struct imgfs_vnode *vn;
	int err;

	for (vn = vs->vnodes; vn; vn = vn->next)
		if (vn->ino == ino) {
			vn->refs++;
			*out = vn;
			return 0;
		}
	err = imgfs_iget(vs->fs, ino);
	if (err)
		return err;
	vn = calloc(1, sizeof(*vn));
	if (!vn) {
		imgfs_iput(vs->fs, ino);
		return -ENOMEM;
	}
	*vn = (struct imgfs_vnode){.refs = 1, .vs = vs, .ino = ino, .memfd = -1, .next = vs->vnodes};
	vs->vnodes = vn;
	vs->refs++;
	*out = vn;
	return 0;
}

void imgfs_vhold(struct imgfs_vnode *vn)
{
	vn->refs++;
}

void imgfs_vput(struct imgfs_vnode *vn)
{
	struct imgfs_vsb *vs = vn->vs;
	struct imgfs_vnode **pp = &vs->vnodes;

	if (--vn->refs > 0)
		return;
	imgfs_vflush(vn);
	if (vn->memfd >= 0)
		close(vn->memfd);
	charge_to(vn, 0);
	while (*pp != vn)
		pp = &(*pp)->next;
	*pp = vn->next;
	imgfs_iput(vs->fs, vn->ino);
	free(vn);
	vsb_put(vs);
}

/* Copy the image's file into a new memfd, holes left as holes. */
static int load_memfd(struct imgfs_vnode *vn)
{
	struct imgfs *fs = vn->vs->fs;
	unsigned bs = imgfs_block_size(fs);
	char *buf = malloc(bs);
	struct stat st;
	off_t off;
	long n;
	int fd, err = imgfs_getattr(fs, vn->ino, &st);

	if (!err)
		err = charge_to(vn, st.st_size);
	fd = err || !buf ? -1 : memfd_create("uos-imgfs", MFD_CLOEXEC);
	if (!err && fd < 0)
		err = buf ? -errno : -ENOMEM;
	if (!err && ftruncate(fd, st.st_size) < 0)
		err = -errno;
	for (off = 0; !err && off < st.st_size; off += bs) {
		if (imgfs_mapped(fs, vn->ino, off) <= 0)
			continue;
		n = imgfs_read(fs, vn->ino, buf, bs, off);
		if (n > 0 && pwrite(fd, buf, n, off) != n)
			err = -EIO;
	}
	free(buf);
	if (err && fd >= 0)
		close(fd);
	if (err)
		charge_to(vn, 0);
	else
		vn->memfd = fd;
	return err;
}

int imgfs_vflush(struct imgfs_vnode *vn)
{
	struct imgfs *fs = vn->vs->fs;
	char *buf;
	struct stat st;
	off_t data, hole;
	int err = 0;

	if (vn->memfd < 0 || !vn->changed || !imgfs_writable(fs))
		return 0;
	if (fstat(vn->memfd, &st) < 0)
		return -errno;
	buf = malloc(1 << 16);
	if (!buf)
		return -ENOMEM;
	err = imgfs_truncate(fs, vn->ino, st.st_size);
	for (data = 0; !err && (data = lseek(vn->memfd, data, SEEK_DATA)) >= 0; data = hole) {
		hole = lseek(vn->memfd, data, SEEK_HOLE);
		while (!err && data < hole) {
			size_t n = hole - data < (1 << 16) ? hole - data : (1 << 16);
			ssize_t r = pread(vn->memfd, buf, n, data);
			long w = r > 0 ? imgfs_write(fs, vn->ino, buf, r, data) : -EIO;

			err = w == r ? 0 : (w < 0 ? (int)w : -ENOSPC);
			data += n;
		}
	}
	free(buf);
	return err;
}

int imgfs_vsb_flush(struct imgfs_vsb *vs)
{
	int err = 0;

	for (struct imgfs_vnode *vn = vs->vnodes; vn; vn = vn->next) {
		int r = imgfs_vflush(vn);

		err = err ? err : r;
	}
	return err ? err : imgfs_flush(vs->fs);
}

int imgfs_vstat(struct imgfs_vnode *vn, struct stat *st)
{
	struct stat mst;
	int err = imgfs_getattr(vn->vs->fs, vn->ino, st);

	if (err)
		return err;
	st->st_dev = vn->vs->dev;
	if (vn->memfd >= 0 && !fstat(vn->memfd, &mst))
		st->st_size = mst.st_size;
	return 0;
}

int imgfs_vsetattr(struct imgfs_vnode *vn, const struct vfs_attr *a)
{
	struct imgfs_attr ia = {
		.mask = a->valid, /* the VFS_ATTR_* and IMGFS_ATTR_* bits are the same */
		.mode = a->mode, .uid = a->uid, .gid = a->gid, .size = a->size,
		.atime = a->atime, .mtime = a->mtime, .ctime = a->ctime,
	};
	int err;

	if ((a->valid & VFS_ATTR_SIZE) && vn->memfd >= 0) {
		off_t was = vn->charged;
		if (charge_to(vn, a->size))
			return -ENOSPC;
		vn->changed = true;
		if (ftruncate(vn->memfd, a->size) < 0) {
			err = -errno;
			charge_to(vn, was);
			return err;
		}
	}
	err = imgfs_setattr(vn->vs->fs, vn->ino, &ia);
	return err;
}

static struct imgfs_vnode *vn_of(struct vfs_file *f)
{
	return container_of(f, struct imgfs_vfile, base)->vn;
}

static long file_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct imgfs_vnode *vn = vn_of(f);
	ssize_t n;

	if (off < 0)
		return -EINVAL;
	if (vn->memfd < 0)
		return imgfs_read(vn->vs->fs, vn->ino, buf, len, off);
	n = pread(vn->memfd, buf, len, off);
	return n < 0 ? -errno : n;
}

static long file_read_mapped(struct vfs_file *f, size_t len, off_t off, const void **at)
{
	struct imgfs_vnode *vn = vn_of(f);

	if (off < 0 || vn->memfd >= 0)
		return -EAGAIN; /* file_read gives EINVAL, or reads the memfd */
	return imgfs_read_mapped(vn->vs->fs, vn->ino, len, off, at);
}

static long file_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	struct imgfs_vnode *vn = vn_of(f);
	ssize_t n;

	if (off < 0)
		return -EINVAL;
	if (vn->memfd < 0)
		return imgfs_write(vn->vs->fs, vn->ino, buf, len, off);
	if (off + (off_t)len > (off_t)vn->charged && charge_to(vn, off + (off_t)len))
		return -ENOSPC;
	vn->changed = true;
	n = pwrite(vn->memfd, buf, len, off);
	return n < 0 ? -errno : n;
}

static int file_stat(struct vfs_file *f, struct stat *st)
{
	return imgfs_vstat(vn_of(f), st);
}

static int file_hostfd(struct vfs_file *f)
{
	struct imgfs_vnode *vn = vn_of(f);
	int err = vn->memfd < 0 ? load_memfd(vn) : 0;

	if ((f->flags & O_ACCMODE) != O_RDONLY)
		vn->changed = true; /* whoever maps it may store into it */
	return err ? err : vn->memfd;
}

static int file_setattr(struct vfs_file *f, const struct vfs_attr *a)
{
	return imgfs_vsetattr(vn_of(f), a);
}

/*
 * The file's pages and the image's metadata reach the image file; its
 * fdatasync is the caller's.  The whole image is written, mapped files'
 * copies too, so what reaches the file is one consistent state (the
 * directory entries, inodes and bitmaps of the moment agree).
 */
static int file_fsync(struct vfs_file *f, bool datasync, int *hostfd)
{
	struct imgfs_vnode *vn = vn_of(f);
	int err = imgfs_vsb_flush(vn->vs);

	if (!err && imgfs_writable(vn->vs->fs))
		*hostfd = vn->vs->fd;
	return err;
}

static void file_release(struct vfs_file *f)
{
	imgfs_vput(vn_of(f));
}

static int file_statfs(struct vfs_file *f, struct statfs *sf)
{
	struct imgfs *fs = vn_of(f)->vs->fs;
	int err = imgfs_statfs(fs, sf);

	if (!err && !imgfs_writable(fs))
		sf->f_flags |= ST_RDONLY;
	return err;
}

static int file_inode(struct vfs_file *f, struct vfs_node *out)
{
	return imgfs_vnode_node(vn_of(f), out);
}

static const struct vfs_file_ops imgfs_reg_ops = {
	.inode = file_inode,
	.statfs = file_statfs,
	.read = file_read,
	.read_mapped = file_read_mapped,
	.write = file_write,
	.stat = file_stat,
	.hostfd = file_hostfd,
	.setattr = file_setattr,
	.fsync = file_fsync,
	.release = file_release,
};

struct dents {
	void *buf;
	size_t len, used;
	bool full;
};

static int fill(void *ctx, const char *name, size_t namelen, uint32_t ino, unsigned char dt,
		uint64_t next)
{
	struct dents *d = ctx;
	char nm[256];

	memcpy(nm, name, namelen);
	nm[namelen] = 0;
	if (vfs_dirent_emit(d->buf, d->len, &d->used, ino, next, dt, nm)) {
		d->full = true;
		return 1;
	}
	return 0;
}

static long dir_getdents(struct vfs_file *f, void *buf, size_t len)
{
	struct imgfs_vnode *vn = vn_of(f);
	struct dents d = {buf, len, 0, false};
	uint64_t pos = f->pos;
	int err = imgfs_readdir(vn->vs->fs, vn->ino, &pos, fill, &d);

	f->pos = pos;
	if (err)
		return d.used ? (long)d.used : err;
	if (d.full && !d.used)
		return -EINVAL;
	return d.used;
}

static const struct vfs_file_ops imgfs_dir_ops = {
	.inode = file_inode,
	.statfs = file_statfs,
	.getdents = dir_getdents,
	.stat = file_stat,
	.setattr = file_setattr,
	.fsync = file_fsync,
	.release = file_release,
};

static const struct vfs_file_ops imgfs_path_ops = {
	.inode = file_inode,
	.statfs = file_statfs,
	.stat = file_stat,
	.release = file_release,
};

int imgfs_vopen(struct imgfs_vnode *vn, const char *canon, int flags, struct vfs_file **out)
{
	const struct vfs_file_ops *ops;
	struct imgfs_vfile *vf;
	struct stat st;
	int err = imgfs_getattr(vn->vs->fs, vn->ino, &st);

	if (err)
		return err;
	if (flags & O_PATH)
		ops = &imgfs_path_ops;
	else if (S_ISREG(st.st_mode))
		ops = &imgfs_reg_ops;
	else if (S_ISDIR(st.st_mode))
		ops = &imgfs_dir_ops;
	else
		return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ? -ENXIO : -EACCES;
	vf = vfs_file_alloc(sizeof(*vf), ops, flags, canon);
	if (!vf)
		return -ENOMEM;
	imgfs_vhold(vn);
	vf->vn = vn;
	vf->base.seekable = ops != &imgfs_path_ops;
	*out = &vf->base;
	return 0;
}
