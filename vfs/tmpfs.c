/*
 * tmpfs: a filesystem held in uos's memory.  It is the overlay's default
 * upper layer, what --tmpfs DST mounts, and where memfd_create's files live.
 *
 * Inodes (struct tmpfs_inode) are refcounted: walk nodes and open files
 * hold references (refs), directory entries hold links (nlink).  An inode
 * is freed when both reach zero, so a file unlinked while open lives on
 * until its last close.  A regular file's bytes live in a host memfd made
 * on first need, so read/write and the guest's mappings (hostfd) share the
 * same pages and MAP_SHARED stays coherent with no work here.  A directory
 * is an array of entries kept in creation order, each with a cookie that
 * never changes, so getdents positions survive entries coming and going.
 * sb->priv (struct tmpfs_sb) is shared by every inode and freed with the
 * last of them, since open files may outlive the mount.
 *
 * Size, as Linux's shmem counts it: every tmpfs of the guest draws on one
 * budget (memcg.h: --tmpfs-size, within --memory), charged per page that
 * becomes backed, so a sparse file costs only its data and ftruncate to
 * any size is free; a write past the budget is short, then ENOSPC, and
 * fallocate is all or nothing (shmem_fallocate).  Inodes and extra hard
 * links draw on Linux's nr_inodes.  The pages are the host memfd's, so
 * the charge follows its st_blocks after each change uos makes.  But a
 * guest that maps the file can back pages uos never sees: a fault on a
 * hole, even a read through a private mapping, allocates a shmem page.
 * So once a file's memfd is handed out (mmap, exec), every page of
 * [0, size) is charged, holes too, whether or not a fault ever fills it:
 * the hand-out charges the holes (mmap gets ENOMEM past the budget), and
 * growing such a file charges the new pages (ftruncate gets ENOSPC, where
 * Linux would grow it and SIGBUS the fault).  Pages beyond the size are
 * out of a mapping's reach (SIGBUS), so only their backed ones count.  The
 * accounting is tmpfs_budget.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpfs_impl.h"
#include "vfs_impl.h"

#define TMPFS_MAGIC_ 0x01021994
#define TMPFS_DEFAULT_BYTES (1ULL << 32) /* what statfs reports when unlimited */
#define TMPFS_DEFAULT_INODES (1 << 20)
#define TMPFS_MAX_FILE (1LL << 40)	 /* EFBIG beyond this */
#define SHORT_SYMLINK_LEN 128 /* longer targets take a page, as shmem_symlink's */

struct tmpfs_file {
	struct vfs_file base;
	struct tmpfs_inode *ip; /* a reference */
	struct vfs_sb *sb;	/* its mount's (borrowed), for f*xattr's read-only check */
};

static struct timespec now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

static bool timespec_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void sb_put(struct tmpfs_sb *ts)
{
	if (--ts->refs == 0)
		free(ts);
}

static void inode_free(struct tmpfs_inode *ip)
{
	if (ip->memfd >= 0)
		close(ip->memfd);
	memcg_uncharge(ip->ts->cg, MEMCG_TMPFS, ip->charged);
	memcg_give(ip->ts->cg, MEMCG_INODES, 1 + ip->extra_links);
	for (int i = 0; i < ip->nents; i++)
		free(ip->ents[i].name);
	free(ip->ents);
	free(ip->target);
	xlist_free(&ip->xattrs, ip->ts->cg);
	sb_put(ip->ts);
	free(ip);
}

static void iget(struct tmpfs_inode *ip)
{
	ip->refs++;
}

static void maybe_free(struct tmpfs_inode *ip)
{
	if (ip->refs == 0 && ip->nlink == 0)
		inode_free(ip);
}

static void iput(struct tmpfs_inode *ip)
{
	if (!ip)
		return;
	UOS_BUG_ON(ip->refs <= 0);
	ip->refs--;
	maybe_free(ip);
}

/* A long symlink's target takes a page of the budget, a short one none. */
static int symlink_target(struct tmpfs_inode *ip, struct tmpfs_sb *ts, const char *target)
{
	size_t len = strlen(target);
	int err = len < SHORT_SYMLINK_LEN ? 0 : memcg_charge(ts->cg, MEMCG_TMPFS, TMPFS_PAGE);

	if (err)
		return -ENOSPC;
	ip->target = strdup(target);
	if (!ip->target) {
		memcg_uncharge(ts->cg, MEMCG_TMPFS, len < SHORT_SYMLINK_LEN ? 0 : TMPFS_PAGE);
		return -ENOMEM;
	}
	ip->charged = len < SHORT_SYMLINK_LEN ? 0 : TMPFS_PAGE;
	ip->size = (off_t)len;
	return 0;
}

/* A new inode with no links: 0 and *out, -ENOSPC (nr_inodes, a long symlink), -ENOMEM. */
static int inode_alloc(struct tmpfs_sb *ts, const struct vfs_newnode *nn, struct tmpfs_inode **out)
{
	struct tmpfs_inode *ip;
	int err = memcg_take(ts->cg, MEMCG_INODES);

	if (err)
		return err;
	ip = calloc(1, sizeof(*ip));
	if (!ip) {
		memcg_give(ts->cg, MEMCG_INODES, 1);
		return -ENOMEM;
	}
	if (S_ISLNK(nn->mode) && (err = symlink_target(ip, ts, nn->target))) {
		memcg_give(ts->cg, MEMCG_INODES, 1);
		free(ip);
		return err;
	}
	ip->ts = ts;
	ts->refs++;
	ip->ino = ts->next_ino++;
	ip->mode = nn->mode;
	ip->uid = nn->uid;
	ip->gid = nn->gid;
	ip->rdev = nn->rdev;
	ip->memfd = -1;
	ip->seals = F_SEAL_SEAL; /* shmem's files, as Linux makes them */
	ip->next_cookie = 2;
	ip->atime = ip->mtime = ip->ctime = now();
	*out = ip;
	return 0;
}

/* Directory entries. */

static struct tmpfs_dirent *dir_find(struct tmpfs_inode *dir, const char *name)
{
	for (int i = 0; i < dir->nents; i++)
		if (!strcmp(dir->ents[i].name, name))
			return &dir->ents[i];
	return NULL;
}

static int dir_add(struct tmpfs_inode *dir, const char *name, struct tmpfs_inode *ip)
{
	if (dir->nents == dir->cap) {
		int cap = dir->cap ? dir->cap * 2 : 8;
		struct tmpfs_dirent *e = realloc(dir->ents, (size_t)cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		dir->ents = e;
		dir->cap = cap;
	}
	char *n = strdup(name);
	if (!n)
		return -ENOMEM;
	dir->ents[dir->nents++] = (struct tmpfs_dirent){n, ip, dir->next_cookie++};
	ip->nlink++;
	return 0;
}

/* Remove the entry e of dir (its inode loses a link; the caller frees it if due). */
static struct tmpfs_inode *dir_remove(struct tmpfs_inode *dir, struct tmpfs_dirent *e)
{
	struct tmpfs_inode *ip = e->ip;
	int i = (int)(e - dir->ents);

	free(e->name);
	memmove(&dir->ents[i], &dir->ents[i + 1], (size_t)(dir->nents - i - 1) * sizeof(*e));
	dir->nents--;
	ip->nlink--;
	return ip;
}

static void touch_dir(struct tmpfs_inode *dir)
{
	dir->mtime = dir->ctime = now();
}

/* Nodes. */

static struct tmpfs_inode *ip_of(const struct vfs_node *n)
{
	return n->ip;
}

static void node_set(struct vfs_node *out, struct tmpfs_inode *ip)
{
	iget(ip);
	out->fs = &vfs_tmpfs_ops;
	out->ip = ip;
	out->mode = ip->mode;
}

static int tmpfs_root(struct vfs_sb *sb, struct vfs_node *out)
{
	struct tmpfs_sb *ts = sb->priv;

	node_set(out, ts->root);
	return 0;
}

static int tmpfs_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			struct vfs_node *out)
{
	struct tmpfs_dirent *e = dir_find(ip_of(dir), name);

	if (!e)
		return -ENOENT;
	node_set(out, e->ip);
	return 0;
}

static void inode_stat(struct tmpfs_inode *ip, struct stat *st)
{
	struct stat mst;

	memset(st, 0, sizeof(*st));
	st->st_dev = ip->ts->dev;
	st->st_ino = ip->ino;
	st->st_mode = ip->mode;
	st->st_nlink = ip->nlink;
	st->st_uid = ip->uid;
	st->st_gid = ip->gid;
	st->st_rdev = ip->rdev;
	st->st_size = S_ISDIR(ip->mode) ? (off_t)(ip->nents + 2) * 20 : ip->size;
	st->st_blksize = TMPFS_PAGE;
	/* Every change uos makes recharges; a mapping's stores it does not see. */
	if (ip->memfd >= 0 && !ip->mapped)
		st->st_blocks = ip->blocks;
	else if (ip->memfd >= 0 && !fstat(ip->memfd, &mst))
		st->st_blocks = mst.st_blocks;
	st->st_atim = ip->atime;
	st->st_mtim = ip->mtime;
	st->st_ctim = ip->ctime;
}

static int tmpfs_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	inode_stat(ip_of(n), st);
	return 0;
}

static long tmpfs_readlink(struct vfs_caller *c, const struct vfs_node *n, char *buf, size_t size)
{
	struct tmpfs_inode *ip = ip_of(n);
	size_t len;

	if (!S_ISLNK(ip->mode))
		return -EINVAL;
	len = strlen(ip->target);
	if (len > size)
		len = size;
	memcpy(buf, ip->target, len);
	return (long)len;
}

static void tmpfs_release(struct vfs_node *n)
{
	iput(n->ip);
}

/* Regular file data. */

static int ensure_memfd(struct tmpfs_inode *ip)
{
	if (ip->memfd >= 0)
		return 0;
	int fd = memfd_create("uos-tmpfs", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if ((ip->size && ftruncate(fd, ip->size)) || fcntl(fd, F_ADD_SEALS, ip->seals)) {
		int err = -errno;
		close(fd);
		return err;
	}
	ip->memfd = fd;
	return 0;
}

/* Change the size to len (EPERM for seals, EFBIG, ENOSPC for a mapped file's growth). */
static int set_size(struct tmpfs_inode *ip, off_t len)
{
	int err;

	if ((len < ip->size && (ip->seals & F_SEAL_SHRINK)) ||
	    (len > ip->size && (ip->seals & F_SEAL_GROW)))
		return -EPERM;
	if (len > TMPFS_MAX_FILE)
		return -EFBIG;
	if (ip->mapped && len > ip->size && !tmpfs_range_fits(ip, ip->size, len))
		return -ENOSPC;
	err = ensure_memfd(ip);
	if (err)
		return err;
	if (ftruncate(ip->memfd, len))
		return -errno;
	ip->size = len;
	tmpfs_recharge(ip);
	return 0;
}

static struct tmpfs_inode *file_ip(struct vfs_file *f)
{
	return container_of(f, struct tmpfs_file, base)->ip;
}

static long tmpfs_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct tmpfs_inode *ip = file_ip(f);

	if (off < 0)
		return -EINVAL;
	if (off >= ip->size || ip->memfd < 0)
		return 0;
	if ((off_t)len > ip->size - off)
		len = (size_t)(ip->size - off);
	ssize_t n = pread(ip->memfd, buf, len, off);
	if (n < 0)
		return -errno;
	/* relatime: atime moves when it is older than the last change. */
	if (timespec_before(&ip->atime, &ip->mtime) || timespec_before(&ip->atime, &ip->ctime))
		ip->atime = now();
	return n;
}

static long tmpfs_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	struct tmpfs_inode *ip = file_ip(f);
	int err;

	if (off < 0)
		return -EINVAL;
	if (ip->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (off >= TMPFS_MAX_FILE)
		return -EFBIG;
	if ((off_t)len > TMPFS_MAX_FILE - off)
		len = (size_t)(TMPFS_MAX_FILE - off);
	if (!len)
		return 0;
	long fit = tmpfs_fits(ip, off, len);
	if (fit < 0)
		return fit;
	len = (size_t)fit; /* a short write up to the budget, as shmem's write_begin fails */
	if (off + (off_t)len > ip->size && (ip->seals & F_SEAL_GROW))
		return -EPERM;
	err = ensure_memfd(ip);
	if (err)
		return err;
	ssize_t n = pwrite(ip->memfd, buf, len, off); /* grows the memfd */
	if (n > 0 && off + n > ip->size)
		ip->size = off + n;
	tmpfs_recharge(ip);
	if (n < 0)
		return -errno;
	ip->mtime = ip->ctime = now();
	/* Linux clears set-user-ID (and group-ID with group x) on a write by a non-owner. */
	return n;
}

static int tmpfs_fstat(struct vfs_file *f, struct stat *st)
{
	inode_stat(file_ip(f), st);
	return 0;
}

/*
 * The memfd for a mapping (mmap, exec): from now on every page of
 * [0, size) is charged, since any fault may back it.  -ENOMEM when the
 * holes do not fit the budget.
 */
static int tmpfs_hostfd(struct vfs_file *f)
{
	struct tmpfs_inode *ip = file_ip(f);
	int err = ensure_memfd(ip);
	off_t stop;

	if (err || ip->mapped)
		return err ? err : ip->memfd;
	unsigned long budget = tmpfs_room_pages(ip);
	if (tmpfs_uncharged(ip, 0, ip->size, budget, &stop) > budget)
		return -ENOMEM;
	ip->mapped = true;
	tmpfs_recharge(ip);
	return ip->memfd;
}

static void apply_attr(struct tmpfs_inode *ip, const struct vfs_attr *a)
{
	if (a->valid & VFS_ATTR_MODE)
		ip->mode = (ip->mode & S_IFMT) | (a->mode & 07777);
	if (a->valid & VFS_ATTR_UID)
		ip->uid = a->uid;
	if (a->valid & VFS_ATTR_GID)
		ip->gid = a->gid;
	/* tmpfs keeps any time64_t: only the two ends lose their nanoseconds. */
	if (a->valid & VFS_ATTR_ATIME)
		ip->atime = vfs_timestamp_truncate(a->atime, LLONG_MIN, LLONG_MAX, 1);
	if (a->valid & VFS_ATTR_MTIME)
		ip->mtime = vfs_timestamp_truncate(a->mtime, LLONG_MIN, LLONG_MAX, 1);
	if (a->valid & VFS_ATTR_CTIME)
		ip->ctime = a->ctime;
}

static int inode_setattr(struct tmpfs_inode *ip, const struct vfs_attr *a)
{
	if (a->valid & VFS_ATTR_SIZE) {
		int err = set_size(ip, a->size);
		if (err)
			return err;
	}
	apply_attr(ip, a);
	return 0;
}

static int tmpfs_file_setattr(struct vfs_file *f, const struct vfs_attr *a)
{
	return inode_setattr(file_ip(f), a);
}

/* fallocate: mode 0 and KEEP_SIZE reserve, PUNCH_HOLE|KEEP_SIZE frees (the memfd does both). */
static int tmpfs_fallocate(struct vfs_file *f, int mode, off_t off, off_t len)
{
	struct tmpfs_inode *ip = file_ip(f);
	int err;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (off > TMPFS_MAX_FILE - len)
		return -EFBIG;
	if (!(mode & (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) && off + len > ip->size &&
	    (ip->seals & F_SEAL_GROW))
		return -EPERM;
	/* shmem_fallocate: all or nothing, ENOSPC when the new pages do not fit. */
	if (!(mode & FALLOC_FL_PUNCH_HOLE) && !tmpfs_range_fits(ip, off, off + len))
		return -ENOSPC;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && off + len > ip->size) {
		err = set_size(ip, off + len);
		if (err)
			return err;
	}
	err = ensure_memfd(ip);
	if (err)
		return err;
	err = fallocate(ip->memfd, mode, off, len) ? -errno : 0;
	tmpfs_recharge(ip);
	if (err)
		return err;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		ip->mtime = ip->ctime = now();
	else if (!(mode & FALLOC_FL_KEEP_SIZE))
		ip->ctime = now();
	return 0;
}

static int tmpfs_fsync(struct vfs_file *f, bool datasync, int *hostfd)
{
	return 0;
}

static void tmpfs_file_release(struct vfs_file *f)
{
	iput(file_ip(f));
}

/*
 * memfd_add_seals and F_GET_SEALS: every tmpfs file can carry seals, born
 * with F_SEAL_SEAL unless it is a memfd made with MFD_ALLOW_SEALING.  The
 * host memfd gets them too: the host refuses F_SEAL_WRITE while writable
 * shared mappings exist (EBUSY) and writable shared mappings after it.
 */
#define SEALS_ALL                                                                                  \
	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)
static int tmpfs_seals(struct vfs_file *f, bool add, unsigned int seals)
{
	struct tmpfs_inode *ip = file_ip(f);
	int err;

	if (!add)
		return (int)ip->seals;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (seals & ~SEALS_ALL)
		return -EINVAL;
	if (ip->seals & F_SEAL_SEAL)
		return -EPERM;
	err = ensure_memfd(ip);
	if (err)
		return err;
	if (fcntl(ip->memfd, F_ADD_SEALS, seals))
		return -errno;
	int now_sealed = fcntl(ip->memfd, F_GET_SEALS);
	ip->seals = now_sealed < 0 ? ip->seals | seals : (unsigned int)now_sealed;
	return 0;
}

static int file_new(struct tmpfs_inode *ip, struct vfs_sb *sb, const struct vfs_file_ops *ops,
		    int flags, const char *canon, struct vfs_file **out);
static int tmpfs_file_statfs(struct vfs_file *f, struct statfs *sf);
static int tmpfs_file_inode(struct vfs_file *f, struct vfs_node *out);

/* An open of /proc/PID/fd/N: a new file of the same inode (a memfd has no name to walk). */
static int tmpfs_reopen(struct vfs_file *f, int flags, struct vfs_file **out)
{
	return file_new(file_ip(f), container_of(f, struct tmpfs_file, base)->sb, f->ops, flags,
			f->path, out);
}

static const struct vfs_file_ops tmpfs_reg_ops = {
	.inode = tmpfs_file_inode,
	.statfs = tmpfs_file_statfs,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.stat = tmpfs_fstat,
	.hostfd = tmpfs_hostfd,
	.release = tmpfs_file_release,
	.setattr = tmpfs_file_setattr,
	.fallocate = tmpfs_fallocate,
	.fsync = tmpfs_fsync,
	.seals = tmpfs_seals,
	.reopen = tmpfs_reopen,
};

/* Directories: "." at 0, ".." at 1, then each entry at its cookie. */
static long tmpfs_getdents(struct vfs_file *f, void *buf, size_t len)
{
	struct tmpfs_inode *ip = file_ip(f);
	size_t used = 0;

	while (f->pos < 2) {
		const char *name = f->pos ? ".." : ".";
		if (vfs_dirent_emit(buf, len, &used, ip->ino, f->pos + 1, DT_DIR, name))
			return used ? (long)used : -EINVAL;
		f->pos++;
	}
	for (int i = 0; i < ip->nents; i++) {
		struct tmpfs_dirent *e = &ip->ents[i];
		if (e->cookie < f->pos)
			continue;
		if (vfs_dirent_emit(buf, len, &used, e->ip->ino, e->cookie + 1,
				    (unsigned char)IFTODT(e->ip->mode), e->name))
			return used ? (long)used : -EINVAL;
		f->pos = e->cookie + 1;
	}
	if (f->pos < ip->next_cookie)
		f->pos = ip->next_cookie;
	return (long)used;
}

static const struct vfs_file_ops tmpfs_dir_ops = {
	.inode = tmpfs_file_inode,
	.statfs = tmpfs_file_statfs,
	.getdents = tmpfs_getdents,
	.stat = tmpfs_fstat,
	.release = tmpfs_file_release,
	.setattr = tmpfs_file_setattr,
	.fsync = tmpfs_fsync,
};

/* O_PATH files and symlinks opened with O_PATH: a place only. */
static const struct vfs_file_ops tmpfs_path_ops = {
	.inode = tmpfs_file_inode,
	.statfs = tmpfs_file_statfs,
	.stat = tmpfs_fstat,
	.release = tmpfs_file_release,
};

static int file_new(struct tmpfs_inode *ip, struct vfs_sb *sb, const struct vfs_file_ops *ops,
		    int flags, const char *canon, struct vfs_file **out)
{
	struct tmpfs_file *tf = vfs_file_alloc(sizeof(*tf), ops, flags, canon);

	if (!tf)
		return -ENOMEM;
	iget(ip);
	tf->ip = ip;
	tf->sb = sb;
	tf->base.seekable = ops != &tmpfs_path_ops;
	*out = &tf->base;
	return 0;
}

static int tmpfs_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		      struct vfs_file **out)
{
	struct tmpfs_inode *ip = ip_of(n);

	if (flags & O_PATH)
		return file_new(ip, n->sb, &tmpfs_path_ops, flags, canon, out);
	if (S_ISREG(ip->mode))
		return file_new(ip, n->sb, &tmpfs_reg_ops, flags, canon, out);
	if (S_ISDIR(ip->mode))
		return file_new(ip, n->sb, &tmpfs_dir_ops, flags, canon, out);
	/* FIFOs wait for pipes; sockets and device nodes do not open (a nodev mount). */
	return S_ISFIFO(ip->mode) ? -ENXIO : S_ISSOCK(ip->mode) ? -ENXIO : -EACCES;
}

/*
 * statfs: the budget every tmpfs of the guest shares, as df shows a
 * tmpfs's size= and nr_inodes; free is what can still be written (within
 * --memory too).
 */
static void fill_statfs(struct tmpfs_sb *ts, struct statfs *sf)
{
	struct memcg *cg = ts->cg;
	unsigned long max = cg && memcg_tmpfs_max(cg) ? memcg_tmpfs_max(cg) : TMPFS_DEFAULT_BYTES;
	unsigned long room = memcg_room(cg, MEMCG_TMPFS);
	unsigned long files =
	    cg && memcg_max(cg, MEMCG_INODES) ? memcg_max(cg, MEMCG_INODES) : TMPFS_DEFAULT_INODES;
	unsigned long used_files = cg ? memcg_count(cg, MEMCG_INODES) : ts->next_ino;

	memset(sf, 0, sizeof(*sf));
	sf->f_type = TMPFS_MAGIC_;
	sf->f_bsize = TMPFS_PAGE;
	sf->f_frsize = TMPFS_PAGE;
	sf->f_blocks = max / TMPFS_PAGE;
	sf->f_bfree = sf->f_bavail = (room < max ? room : max) / TMPFS_PAGE;
	sf->f_files = files;
	sf->f_ffree = used_files < files ? files - used_files : 0;
	sf->f_namelen = NAME_MAX;
}

static int tmpfs_file_statfs(struct vfs_file *f, struct statfs *sf)
{
	fill_statfs(file_ip(f)->ts, sf);
	return 0;
}

static int tmpfs_statfs(const struct vfs_node *n, struct statfs *sf)
{
	fill_statfs(ip_of(n)->ts, sf);
	sf->f_flags = (vfs_node_readonly(n) ? ST_RDONLY : 0) | (n->sb && n->sb->nosuid ? ST_NOSUID : 0);
	return 0;
}

/* Namespace changes. */

static int tmpfs_create(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			const struct vfs_newnode *nn, struct vfs_node *out)
{
	struct tmpfs_inode *d = ip_of(dir);
	struct tmpfs_inode *ip;
	int err = inode_alloc(d->ts, nn, &ip);

	if (err)
		return err;
	err = dir_add(d, name, ip);
	if (err) {
		maybe_free(ip);
		return err;
	}
	if (S_ISDIR(nn->mode)) {
		ip->nlink++; /* its "." */
		d->nlink++;  /* its ".." */
	}
	touch_dir(d);
	if (out)
		node_set(out, ip);
	return 0;
}

/*
 * Each hard link beyond the first takes an inode of nr_inodes, as
 * shmem_link charges one (an O_TMPFILE file's first link does not).
 */
static int link_take(struct tmpfs_inode *ip)
{
	int err = ip->nlink ? memcg_take(ip->ts->cg, MEMCG_INODES) : 0;

	if (!err && ip->nlink)
		ip->extra_links++;
	return err;
}

/* A name of ip is about to go: an extra link's inode comes back (shmem_unlink). */
static void link_give(struct tmpfs_inode *ip)
{
	if (ip->nlink > 1 && !S_ISDIR(ip->mode) && ip->extra_links) {
		ip->extra_links--;
		memcg_give(ip->ts->cg, MEMCG_INODES, 1);
	}
}

static void link_give_back(struct tmpfs_inode *ip)
{
	if (ip->nlink) {
		ip->extra_links--;
		memcg_give(ip->ts->cg, MEMCG_INODES, 1);
	}
}

static int tmpfs_link(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_node *dir,
		      const char *name)
{
	struct tmpfs_inode *ip = ip_of(n);
	int err = link_take(ip);

	if (!err && (err = dir_add(ip_of(dir), name, ip)))
		link_give_back(ip);
	if (err)
		return err;
	ip->ctime = now();
	touch_dir(ip_of(dir));
	return 0;
}

static int tmpfs_unlink(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	struct tmpfs_inode *d = ip_of(dir);
	struct tmpfs_dirent *e = dir_find(d, name);

	if (!e)
		return -ENOENT;
	if (S_ISDIR(e->ip->mode))
		return -EISDIR;
	link_give(e->ip);
	struct tmpfs_inode *ip = dir_remove(d, e);
	ip->ctime = now();
	touch_dir(d);
	maybe_free(ip);
	return 0;
}

/* Drop an empty directory's own links once its name is gone. */
static void dir_unlinked(struct tmpfs_inode *parent, struct tmpfs_inode *ip)
{
	ip->nlink = 0;
	parent->nlink--;
	maybe_free(ip);
}

static int tmpfs_rmdir(struct vfs_caller *c, const struct vfs_node *dir, const char *name)
{
	struct tmpfs_inode *d = ip_of(dir);
	struct tmpfs_dirent *e = dir_find(d, name);

	if (!e)
		return -ENOENT;
	if (!S_ISDIR(e->ip->mode))
		return -ENOTDIR;
	if (e->ip->nents)
		return -ENOTEMPTY;
	struct tmpfs_inode *ip = dir_remove(d, e);
	touch_dir(d);
	dir_unlinked(d, ip);
	return 0;
}

/* Swap two existing entries (RENAME_EXCHANGE), fixing directory link counts. */
static int rename_exchange(struct tmpfs_inode *od, struct tmpfs_dirent *oe,
			   struct tmpfs_inode *nd, struct tmpfs_dirent *ne)
{
	struct tmpfs_inode *a = oe->ip, *b = ne->ip;

	oe->ip = b;
	ne->ip = a;
	if (od != nd && S_ISDIR(a->mode) != S_ISDIR(b->mode)) {
		int moved_dir_to_new = S_ISDIR(a->mode) ? 1 : -1;
		nd->nlink += moved_dir_to_new;
		od->nlink -= moved_dir_to_new;
	}
	a->ctime = b->ctime = now();
	touch_dir(od);
	touch_dir(nd);
	return 0;
}

static int tmpfs_rename(struct vfs_caller *c, const struct vfs_node *odir, const char *oname,
			const struct vfs_node *ndir, const char *nname, unsigned flags)
{
	struct tmpfs_inode *od = ip_of(odir), *nd = ip_of(ndir);
	struct tmpfs_dirent *oe = dir_find(od, oname), *ne = dir_find(nd, nname);

	if (!oe)
		return -ENOENT;
	if (flags & RENAME_EXCHANGE)
		return ne ? rename_exchange(od, oe, nd, ne) : -ENOENT;
	if (ne && S_ISDIR(ne->ip->mode) && ne->ip->nents)
		return -ENOTEMPTY;
	struct tmpfs_inode *ip = oe->ip;
	int err = 0;
	if (ne) {
		/* Replace in place: the entry keeps its slot and cookie. */
		struct tmpfs_inode *victim = ne->ip;
		link_give(victim);
		ne->ip = ip;
		ip->nlink++;
		victim->nlink--;
		victim->ctime = now();
		if (S_ISDIR(victim->mode))
			dir_unlinked(nd, victim);
		else
			maybe_free(victim);
	} else {
		err = dir_add(nd, nname, ip);
		if (err)
			return err;
	}
	oe = dir_find(od, oname);
	dir_remove(od, oe);
	if (S_ISDIR(ip->mode) && od != nd) {
		od->nlink--;
		nd->nlink++;
	}
	ip->ctime = now();
	touch_dir(od);
	touch_dir(nd);
	return 0;
}

static int tmpfs_setattr(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_attr *a)
{
	return inode_setattr(ip_of(n), a);
}

/* Unmount: unlink everything no open file holds. */
static void drop_tree(struct tmpfs_inode *dir)
{
	while (dir->nents) {
		struct tmpfs_inode *ip = dir->ents[dir->nents - 1].ip;
		if (S_ISDIR(ip->mode)) {
			drop_tree(ip);
			ip->nlink = 1;
		}
		dir_remove(dir, &dir->ents[dir->nents - 1]);
		maybe_free(ip);
	}
}

static void tmpfs_kill_sb(struct vfs_sb *sb)
{
	struct tmpfs_sb *ts = sb->priv;
	struct tmpfs_inode *root = ts->root;

	drop_tree(root);
	root->nlink = 0;
	ts->root = NULL;
	maybe_free(root);
	sb_put(ts);
}

/*
 * Extended attributes: user.*, trusted.*, security.* and the POSIX ACLs
 * (acl.c checked them), kept in memory (xattr_list.c) and charged to the
 * budget.
 */
static bool tmpfs_keeps(const char *name)
{
	return strncmp(name, "system.", 7) != 0 || vfs_acl_name(name);
}

static long tmpfs_getxattr(const struct vfs_node *n, const char *name, void *buf, size_t size)
{
	return tmpfs_keeps(name) ? xlist_get(&ip_of(n)->xattrs, name, buf, size) : -EOPNOTSUPP;
}

static long tmpfs_listxattr(const struct vfs_node *n, char *buf, size_t size)
{
	return xlist_list(&ip_of(n)->xattrs, buf, size);
}

static int tmpfs_setxattr(struct vfs_caller *c, const struct vfs_node *n, const char *name,
			  const void *value, size_t size, int flags)
{
	struct tmpfs_inode *ip = ip_of(n);
	int err;

	if (!tmpfs_keeps(name))
		return -EOPNOTSUPP;
	err = xlist_set(&ip->xattrs, ip->ts->cg, name, value, size, flags);
	if (!err)
		ip->ctime = now();
	return err;
}

/* f's inode as a node of its mount, for the f*xattr calls. */
static int tmpfs_file_inode(struct vfs_file *f, struct vfs_node *out)
{
	struct tmpfs_file *tf = container_of(f, struct tmpfs_file, base);

	vfs_node_clear(out);
	node_set(out, tf->ip);
	out->sb = tf->sb;
	return 0;
}

const struct vfs_fs_ops vfs_tmpfs_ops = {
	.getxattr = tmpfs_getxattr,
	.listxattr = tmpfs_listxattr,
	.setxattr = tmpfs_setxattr,
	.name = "tmpfs",
	.root = tmpfs_root,
	.lookup = tmpfs_lookup,
	.stat = tmpfs_stat,
	.readlink = tmpfs_readlink,
	.open = tmpfs_open,
	.statfs = tmpfs_statfs,
	.release = tmpfs_release,
	.create = tmpfs_create,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
	.kill_sb = tmpfs_kill_sb,
};

int vfs_tmpfs_sb(struct vfs_ns *ns, struct vfs_sb **out)
{
	struct tmpfs_sb *ts = calloc(1, sizeof(*ts));
	struct vfs_newnode nn = {.mode = S_IFDIR | 01777};
	int err;

	if (!ts)
		return -ENOMEM;
	ts->refs = 1;
	ts->cg = ns ? ns->cg : NULL;
	ts->next_ino = 2;
	ts->dev = ns ? vfs_anon_dev(ns) : 0;
	err = inode_alloc(ts, &nn, &ts->root);
	if (err) {
		free(ts);
		return err;
	}
	ts->root->nlink = 2;
	*out = vfs_sb_alloc(&vfs_tmpfs_ops, ts, false);
	if (!*out) {
		struct vfs_sb tmp = {.priv = ts};
		tmpfs_kill_sb(&tmp);
		return -ENOMEM;
	}
	(*out)->dev = ts->dev;
	return 0;
}

/*
 * A file in no directory on the tmpfs sb (memfd_create, O_TMPFILE): an
 * inode with no links, alive while the file is open.
 */
int vfs_tmpfs_anon(struct vfs_sb *sb, mode_t mode, unsigned int seals, const char *path,
		   int flags, struct vfs_file **out)
{
	struct tmpfs_sb *ts = sb->priv;
	struct vfs_newnode nn = {.mode = S_IFREG | (mode & 07777)};
	struct tmpfs_inode *ip;
	int err = inode_alloc(ts, &nn, &ip);

	if (err)
		return err;
	ip->seals = seals;
	err = file_new(ip, sb, &tmpfs_reg_ops, flags, path, out);
	if (err)
		maybe_free(ip);
	return err;
}
