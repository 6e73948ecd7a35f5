/*
 * Open files: references, the generic dispatch that picks Linux's errno
 * when a file kind lacks an operation, lseek on f->pos, and two file kinds
 * every synthetic filesystem needs: a file whose contents were rendered into
 * a buffer (procfs's seq files), and a directory listing a fixed array.
 *
 * A vfs_file is born with one reference (vfs_file_alloc); fd slots, magic
 * nodes and whoever opened it hold references; the last put calls release
 * and frees the file with its path.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs_impl.h"

void *vfs_file_alloc(size_t size, const struct vfs_file_ops *ops, int flags, const char *path)
{
	struct vfs_file *f = calloc(1, size);

	if (!f)
		return NULL;
	f->path = strdup(path ? path : "");
	if (!f->path) {
		free(f);
		return NULL;
	}
	f->refs = 1;
	f->ops = ops;
	f->flags = flags;
	return f;
}

void vfs_file_get(struct vfs_file *f)
{
	f->refs++;
}

void vfs_file_put(struct vfs_file *f)
{
	if (!f)
		return;
	UOS_BUG_ON(f->refs <= 0);
	if (--f->refs)
		return;
	if (f->lockns)
		vfs_lock_release_file(f);
	if (f->notify)
		vfs_notify_close(f);
	if (f->ops->release)
		f->ops->release(f);
	if (f->tmpnode) {
		vfs_node_release(f->tmpnode);
		free(f->tmpnode);
	}
	free(f->path);
	free(f);
}

long vfs_read_expired(struct vfs_file *f, void *buf, size_t len)
{
	return f->ops->read_expired ? f->ops->read_expired(f, buf, len) : -EAGAIN;
}

long vfs_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, buf, len, off);
}

long vfs_read_mapped(struct vfs_file *f, size_t len, off_t off, const void **at)
{
	return f->ops->read_mapped ? f->ops->read_mapped(f, len, off, at) : -EAGAIN;
}

long vfs_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, buf, len, off);
}

int vfs_fstat(struct vfs_file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	if (!f->ops->stat)
		return -EINVAL;
	int err = f->ops->stat(f, st);
	if (!err && f->id_dev) {
		st->st_dev = f->id_dev;
		st->st_ino = f->id_ino;
	}
	return err;
}

int vfs_hostfd(struct vfs_file *f)
{
	if (!f->ops->hostfd)
		return -ENODEV;
	return f->ops->hostfd(f);
}

long vfs_getdents(struct vfs_file *f, void *buf, size_t len)
{
	if (!f->ops->getdents)
		return -ENOTDIR;
	if (f->removed)
		return -ENOENT; /* iterate_dir on a dead directory */
	return f->ops->getdents(f, buf, len);
}

long vfs_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, cmd, arg);
}

/* SEEK_DATA/SEEK_HOLE for a file without holes, as Linux's generic code. */
static off_t seek_data_hole(off_t off, off_t size, int whence)
{
	if (off < 0 || off >= size)
		return -ENXIO;
	return whence == SEEK_DATA ? off : size;
}

int vfs_rw_verify_area(const struct vfs_file *f, off_t pos, size_t len)
{
	if (!f->seekable)
		return 0;
	return pos < 0 || len > (size_t)(INT64_MAX - pos) ? -EINVAL : 0;
}

off_t vfs_lseek(struct vfs_file *f, off_t off, int whence)
{
	if (!f->seekable)
		return -ESPIPE;
	if (f->ops->llseek)
		return f->ops->llseek(f, off, whence);
	return vfs_generic_lseek(f, off, whence);
}

off_t vfs_generic_lseek(struct vfs_file *f, off_t off, int whence)
{
	struct stat st;
	off_t base;
	int err;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
	case SEEK_DATA:
	case SEEK_HOLE:
		err = vfs_fstat(f, &st);
		if (err)
			return err;
		if (whence != SEEK_END) {
			off_t r = seek_data_hole(off, st.st_size, whence);
			if (r >= 0)
				f->pos = r;
			return r;
		}
		base = st.st_size;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off))
		return -EOVERFLOW;
	if (base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

/*
 * Buffer files: contents rendered at open, and again by a read from offset
 * 0 when the file has a render function (as a seq file shows what is true
 * when it is read: /proc/PID/maps).
 */
struct buf_file {
	struct vfs_file base;
	char *buf;
	size_t len;
	struct stat st;
	vfs_render_fn render;
	struct kernel *k;
	int id;
	vfs_bufwrite_fn write; /* buf_rw_ops: what a write does */
	int writer;	       /* the pid of the process that opened it */
};

static long buf_read(struct vfs_file *f, void *out, size_t len, off_t off)
{
	struct buf_file *bf = container_of(f, struct buf_file, base);

	if (off < 0)
		return -EINVAL;
	if (off == 0 && bf->render) {
		char *fresh;
		long n = bf->render(bf->k, bf->id, &fresh);
		if (n >= 0) {
			free(bf->buf);
			bf->buf = fresh;
			bf->len = (size_t)n;
		}
	}
	if ((size_t)off >= bf->len)
		return 0;
	if (len > bf->len - off)
		len = bf->len - off;
	memcpy(out, bf->buf + off, len);
	return (long)len;
}

static int buf_stat(struct vfs_file *f, struct stat *st)
{
	*st = container_of(f, struct buf_file, base)->st;
	return 0;
}

/* Like Linux's seq files: no SEEK_END (the size is not known before reading). */
static off_t buf_llseek(struct vfs_file *f, off_t off, int whence)
{
	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	return vfs_generic_lseek(f, off, whence);
}

static void buf_release(struct vfs_file *f)
{
	free(container_of(f, struct buf_file, base)->buf);
}

static const struct vfs_file_ops buf_ops = {
	.read = buf_read,
	.stat = buf_stat,
	.release = buf_release,
	.llseek = buf_llseek,
};

/* A write hands the bytes to the file's write function; the offset means nothing. */
static long buf_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	struct buf_file *bf = container_of(f, struct buf_file, base);

	(void)off;
	return bf->write(bf->k, bf->id, bf->writer, buf, len);
}

static const struct vfs_file_ops buf_rw_ops = {
	.read = buf_read,
	.write = buf_write,
	.stat = buf_stat,
	.release = buf_release,
	.llseek = buf_llseek,
};

int vfs_buffile(char *buf, size_t len, int flags, const char *path, const struct stat *st,
		struct vfs_file **out)
{
	struct buf_file *bf = vfs_file_alloc(sizeof(*bf), &buf_ops, flags, path);

	if (!bf) {
		free(buf);
		return -ENOMEM;
	}
	bf->buf = buf;
	bf->len = len;
	bf->st = *st;
	bf->base.seekable = true;
	*out = &bf->base;
	return 0;
}

int vfs_buffile_live(char *buf, size_t len, int flags, const char *path, const struct stat *st,
		     vfs_render_fn render, struct kernel *k, int id, struct vfs_file **out)
{
	int r = vfs_buffile(buf, len, flags, path, st, out);
	if (r == 0) {
		struct buf_file *bf = container_of(*out, struct buf_file, base);
		bf->render = render;
		bf->k = k;
		bf->id = id;
	}
	return r;
}

void vfs_buffile_set_write(struct vfs_file *f, vfs_bufwrite_fn write, int writer)
{
	struct buf_file *bf = container_of(f, struct buf_file, base);

	UOS_BUG_ON(f->ops != &buf_ops);
	bf->write = write;
	bf->writer = writer;
	f->ops = &buf_rw_ops;
}

/* Directory files listing a fixed array; f->pos is the index of the next entry. */
struct dir_file {
	struct vfs_file base;
	struct vfs_dirent *ents;
	int n;
	struct stat st;
	int sync_err; /* what fsync gives: 0 (nothing to write back), or procfs's -EINVAL */
};

/* The linux_dirent64 layout getdents64(2) fills. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

long vfs_dirent_emit(void *buf, size_t len, size_t *used, unsigned long ino, off_t next,
		     unsigned char type, const char *name)
{
	size_t nl = strlen(name);
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + nl + 1 + 7) & ~(size_t)7;

	if (*used + reclen > len)
		return -EINVAL;
	struct linux_dirent64 *d = (void *)((char *)buf + *used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = next;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, nl);
	*used += reclen;
	return 0;
}

static long dir_getdents(struct vfs_file *f, void *buf, size_t len)
{
	struct dir_file *df = container_of(f, struct dir_file, base);
	size_t used = 0;

	while (f->pos >= 0 && f->pos < df->n) {
		struct vfs_dirent *e = &df->ents[f->pos];
		if (vfs_dirent_emit(buf, len, &used, e->ino, f->pos + 1, e->type, e->name))
			return used ? (long)used : -EINVAL;
		f->pos++;
	}
	return (long)used;
}

static int dir_stat(struct vfs_file *f, struct stat *st)
{
	*st = container_of(f, struct dir_file, base)->st;
	return 0;
}

static void dir_release(struct vfs_file *f)
{
	free(container_of(f, struct dir_file, base)->ents);
}

static int dir_fsync(struct vfs_file *f, bool datasync, int *hostfd)
{
	(void)datasync;
	return container_of(f, struct dir_file, base)->sync_err;
}

static const struct vfs_file_ops dir_ops = {
	.getdents = dir_getdents,
	.stat = dir_stat,
	.release = dir_release,
	.fsync = dir_fsync,
};

void vfs_dirfile_nosync(struct vfs_file *f)
{
	UOS_BUG_ON(f->ops != &dir_ops);
	container_of(f, struct dir_file, base)->sync_err = -EINVAL;
}

int vfs_dirfile(struct vfs_dirent *ents, int n, const struct stat *st, int flags,
		const char *path, struct vfs_file **out)
{
	struct dir_file *df = vfs_file_alloc(sizeof(*df), &dir_ops, flags, path);

	if (!df) {
		free(ents);
		return -ENOMEM;
	}
	df->ents = ents;
	df->n = n;
	df->st = *st;
	df->base.seekable = true;
	*out = &df->base;
	return 0;
}

int vfs_pollfd(struct vfs_file *f)
{
	return f->ops->pollfd ? f->ops->pollfd(f) : -1;
}

short vfs_poll(struct vfs_file *f, short events)
{
	if (f->ops->poll)
		return f->ops->poll(f) & (events | POLLHUP | POLLERR);
	return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

const void *vfs_wchan(struct vfs_file *f)
{
	return f->ops->wchan ? f->ops->wchan(f) : NULL;
}

long long vfs_timeout(struct vfs_file *f, bool out)
{
	return f->ops->timeout ? f->ops->timeout(f, out) : 0;
}

int vfs_anon_stat(struct vfs_file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IRUSR | S_IWUSR; /* anon_inode: no file type bits */
	st->st_nlink = 1;
	st->st_ino = 1; /* Linux's anon_inode files share one inode */
	st->st_dev = 0xe;
	st->st_blksize = 4096;
	return 0;
}
