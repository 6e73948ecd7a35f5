/*
 * The VFS: the guest's file world.
 *
 * A mount table maps canonical absolute paths to filesystems (the root: an
 * overlay of hostfs or an image, or an image with a tmpfs at /tmp; procfs
 * at /proc, devfs at /dev with a tmpfs at /dev/shm; and --mount's).  uos
 * walks every path itself, component by component, resolving symlinks
 * against the guest's root, so that no symlink
 * leads out of the guest's world and mount points are crossed by uos.
 *
 * References: an fd slot holds a reference to its vfs_file; vfs_open returns
 * a new reference; vfs_file_put drops one and the last releases the file.
 */
#pragma once

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>

struct kernel;
struct task;
struct creds;
struct vfs_file;
struct vfs_attr;
struct vfs_ns;
struct vfs_node;
struct flock;
struct tty;

/* The filesystem context of a process: cwd and root are canonical paths. */
struct fs_ctx {
	char *cwd;
	char *root; /* NULL: "/" (no chroot) */
	mode_t umask;
};

/*
 * Who calls the VFS: all that the path walk, the permission checks, the
 * locks and /proc/self need to know of the calling thread, so that the VFS
 * sees no task.  Each task carries its own (task.h: t->vc, kept right by
 * task.c from the task's process); the VFS only borrows it for one call.
 */
struct vfs_caller {
	const struct creds *cred; /* permission checks (creds.h); NULL: no checks (unit tests) */
	struct fs_ctx *fs;	  /* cwd, root, umask: chdir and chroot change them */
	int pid, tid;		  /* lock owners; /proc/self, /proc/thread-self */
	struct vfs_ns *ns;	  /* the mounts its paths resolve in */
	/*
	 * Opaque to the VFS: only handed back to the kernel layer (the park
	 * hook, struct vfs_hooks) by the waits the VFS parks itself (lock.c,
	 * fifo.c, hostfs.c).
	 */
	struct task *task;
};

/*
 * Operations on an open file.  NULL means unsupported and vfs/file.c picks
 * Linux's errno: read/write -EINVAL, lseek -ESPIPE, getdents -ENOTDIR,
 * ioctl -ENOTTY, hostfd (mmap) -ENODEV.
 */
struct vfs_file_ops {
	long (*read)(struct vfs_file *f, void *buf, size_t len, off_t off);
	/*
	 * Where bytes at off already lie in uos's memory, to be copied to the
	 * guest from there (an image's mapping): their count (at most len)
	 * with *at, valid until the next operation on the filesystem; 0 at
	 * EOF; -EAGAIN: read copies them.  NULL: always -EAGAIN.
	 */
	long (*read_mapped)(struct vfs_file *f, size_t len, off_t off, const void **at);
	long (*write)(struct vfs_file *f, const void *buf, size_t len, off_t off);
	/* Fill buf with linux_dirent64 records from f->pos on; advance f->pos. */
	long (*getdents)(struct vfs_file *f, void *buf, size_t len);
	int (*stat)(struct vfs_file *f, struct stat *st);
	/* arg is a uos buffer of the size the ioctl's definition gives. */
	long (*ioctl)(struct vfs_file *f, unsigned long cmd, void *arg);
	/* A host fd whose pages the guest may map (borrowed), or -ENODEV. */
	int (*hostfd)(struct vfs_file *f);
	void (*release)(struct vfs_file *f);
	/*
	 * Open f again (open of /proc/PID/fd/N when f has no walkable path):
	 * a new file with flags, or NULL op: the same description is shared.
	 */
	int (*reopen)(struct vfs_file *f, int flags, struct vfs_file **out);
	/* lseek when the generic one (on f->pos, SEEK_END from stat) is wrong. */
	off_t (*llseek)(struct vfs_file *f, off_t off, int whence);
	/* The host fd whose readiness is this file's (stdio, tty); NULL: always ready. */
	int (*pollfd)(struct vfs_file *f);
	/*
	 * Files uos itself makes wait (pipes): the POLL* events ready now, and
	 * the channel (waitq.h) woken when they change.
	 */
	short (*poll)(struct vfs_file *f);
	const void *(*wchan)(struct vfs_file *f);
	/*
	 * How long a blocking call on f waits before -EAGAIN (SO_RCVTIMEO for
	 * in, SO_SNDTIMEO for out), in ns: 0 forever, negative not at all.
	 * NULL: forever.
	 */
	long long (*timeout)(struct vfs_file *f, bool out);
	/*
	 * Change the open file's inode (fchmod, fchown, futimens, ftruncate):
	 * a struct vfs_attr (vfs_impl.h), already checked.  NULL: -EROFS (-EINVAL
	 * for a size change), or -EPERM... as vfs/wops.c picks.
	 */
	int (*setattr)(struct vfs_file *f, const struct vfs_attr *a);
	/* fallocate(2) on a regular file open for writing; NULL: -EOPNOTSUPP. */
	int (*fallocate)(struct vfs_file *f, int mode, off_t off, off_t len);
	/*
	 * A blocking read whose timeout passed (a terminal's VTIME): what it
	 * gives then.  NULL: -EAGAIN.
	 */
	long (*read_expired)(struct vfs_file *f, void *buf, size_t len);
	/*
	 * fsync/fdatasync: write back what uos holds for the file; *hostfd (-1
	 * on entry) gets a host fd whose own fsync makes it durable, which the
	 * caller runs without waiting (supervisor/aio.c).  NULL: nothing to
	 * write back (0) for files that have pages.
	 */
	int (*fsync)(struct vfs_file *f, bool datasync, int *hostfd);
	/* F_ADD_SEALS (add) or F_GET_SEALS: the seals after, or -errno; NULL: -EINVAL. */
	int (*seals)(struct vfs_file *f, bool add, unsigned int seals);
	/*
	 * fstatfs(2) of f's filesystem (tmpfs, imgfs: their files' host fds
	 * are memfds, whose statfs is the host's); NULL: the host fd's.
	 */
	int (*statfs)(struct vfs_file *f, struct statfs *sf);
	/*
	 * A walk node of f's inode (its own reference, released by the
	 * caller), for the calls that act on the inode of an fd (f*xattr).
	 * NULL: a file with no extended attributes.
	 */
	int (*inode)(struct vfs_file *f, struct vfs_node *out);
	/* The superblock of f's mount (borrowed), known without a host call; NULL: ask inode. */
	struct vfs_sb *(*sb)(struct vfs_file *f);
	/*
	 * Read attribute name of the file f holds open, as getxattr(2) would,
	 * with no check (vfs_file_getxattr); NULL: through inode, as fgetxattr.
	 */
	long (*getxattr)(struct vfs_file *f, const char *name, void *buf, size_t size);
};

struct vfs_file {
	int refs;
	const struct vfs_file_ops *ops;
	int flags;  /* the O_* flags the file was opened with (status flags) */
	off_t pos;  /* the file offset; unused for streams */
	bool seekable;
	char *path; /* canonical path, for /proc, maps and --trace */
	struct vfs_ns *lockns; /* set once f held a flock/OFD lock: released with f */
	struct vfs_notify *notify; /* inotify's books of a file vfs_open opened (inotify.c), or NULL */
	/*
	 * An O_TMPFILE file opened without O_EXCL: the node of its inode (owned,
	 * released with f), from which linkat gives it names; else NULL.
	 */
	struct vfs_node *tmpnode;
	bool removed; /* its name was removed: a directory's getdents and walks give ENOENT */
	/*
	 * The st_dev and st_ino its path shows, when they differ from those of
	 * the file that was opened (an overlay's copied-up file keeps its lower
	 * file's identity): fstat shows them too.  id_dev 0: its own.
	 */
	dev_t id_dev;
	ino_t id_ino;
};

/*
 * An empty namespace (no mounts) into *out, whose pipes, tmpfs data, locks
 * and image copies are charged to cg (memcg.h; NULL: nothing is charged).
 * vfs_set_hooks gives it the kernel's hooks and wait queues.  The
 * namespaces below start from one; unit tests of pipes use one alone.
 * 0 or -ENOMEM.
 */
struct memcg;
int vfs_ns_alloc(struct memcg *cg, struct vfs_ns **out);

/* What the command line asks of the file world (main.c fills it). */
#define VFS_CFG_MAX_MOUNTS 16
struct vfs_config {
	const char *root_dir;	   /* --root DIR: its hostfs is the lower layer (NULL: host /) */
	const char *root_image;	   /* --root IMAGE: the ext2 image is / (writable unless ro) */
	const char *overlay_image; /* --overlay IMAGE: the upper layer is this ext2 image */
	bool root_image_ro;	   /* --root IMAGE:ro: the image read-only under the overlay */
	bool no_overlay;	   /* the lower layer alone, read-only (the old default) */
	/* The kernel's procfs (a view of its objects, above the VFS), mounted at /proc; NULL: none. */
	const struct vfs_fs_ops *procfs;
	int nmounts;
	struct vfs_mount_cfg {
		enum { VFS_CFG_HOST, VFS_CFG_TMPFS } kind;
		const char *src; /* host directory (VFS_CFG_HOST) */
		const char *dst; /* absolute guest path */
		bool rw;	 /* VFS_CFG_HOST: writable only when the user said rw */
	} mounts[VFS_CFG_MAX_MOUNTS];
};
/*
 * The default root: an overlay of the lower layer (host / or --root DIR,
 * read-only) under an in-memory tmpfs upper layer; then the extra mounts,
 * cfg->procfs at /proc, devfs at /dev, into *out.  0 or -errno; *why gets a message,
 * or NULL when the one line said on stderr is all (an image in use by another
 * process: which one).
 */
int vfs_ns_init_config(struct memcg *cg, const struct vfs_config *cfg, struct vfs_ns **out,
		       const char **why);
/*
 * Parse "--mount SRC:DST[:ro|rw]" into m (pointers into spec, which must
 * outlive m: the colons are replaced by NULs).  0, or -EINVAL with *why
 * naming the part that is wrong.
 */
int vfs_config_parse_mount(char *spec, struct vfs_mount_cfg *m, const char **why);
/* Unmount everything and free ns (NULL is fine); its files are all closed. */
void vfs_ns_fini(struct vfs_ns *ns);

/*
 * Open path relative to dir (NULL: the caller's cwd).  flags are open(2)'s.
 * Returns 0 and a new reference in *out, or -errno (ENOENT, ENOTDIR, ELOOP,
 * EACCES, EROFS for any write or create on a read-only mount ...).
 */
int vfs_open(struct vfs_caller *c, struct vfs_file *dir, const char *path, int flags, mode_t mode,
	     struct vfs_file **out);

/*
 * open(O_TMPFILE) in the directory path names (flags hold O_TMPFILE, checked
 * by the caller: a write access mode, no O_CREAT): an unnamed regular file
 * with mode (the umask or a default ACL applied), nlink 0, that linkat may name unless flags
 * has O_EXCL.  0 and a new reference in *out, or the walk's errors, EROFS,
 * EACCES, EOPNOTSUPP (a filesystem that cannot), ENOSPC.
 */
int vfs_open_tmpfile(struct vfs_caller *c, struct vfs_file *dir, const char *path, int flags,
		     mode_t mode, struct vfs_file **out);

/* openat2's RESOLVE_* restrictions the walk honours. */
#define VFS_RESOLVE_NO_SYMLINKS 1   /* any symlink: ELOOP */
#define VFS_RESOLVE_NO_MAGICLINKS 2 /* a /proc/PID/fd link: ELOOP */
#define VFS_RESOLVE_BENEATH 4	    /* never above the start directory: EXDEV */
#define VFS_RESOLVE_NO_XDEV 8	    /* never across a mount: EXDEV */
#define VFS_RESOLVE_IN_ROOT 16	    /* the start directory is "/" and where ".." stops */
/* vfs_open with VFS_RESOLVE_* restrictions (openat2). */
int vfs_open_resolve(struct vfs_caller *c, struct vfs_file *dir, const char *path, int flags,
		     mode_t mode, int resolve, struct vfs_file **out);

/* A file for one of the supervisor's own stdio fds (0, 1, 2). */
int vfs_stdio(int hostfd, struct vfs_file **out);

void vfs_file_get(struct vfs_file *f);
void vfs_file_put(struct vfs_file *f);

long vfs_read(struct vfs_file *f, void *buf, size_t len, off_t off);
/* The read_mapped op of f, or -EAGAIN. */
long vfs_read_mapped(struct vfs_file *f, size_t len, off_t off, const void **at);
/* The read_expired op of f, or -EAGAIN. */
long vfs_read_expired(struct vfs_file *f, void *buf, size_t len);
long vfs_write(struct vfs_file *f, const void *buf, size_t len, off_t off);
/*
 * file_remove_privs() (vfs/killpriv.c), before c writes to f: a regular
 * file loses its set-user-ID and set-group-ID bits (unless c has
 * CAP_FSETID) and its file capabilities.  0 or the -errno of the mode change.
 */
int vfs_file_remove_privs(struct vfs_caller *c, struct vfs_file *f);
/* Is f's filesystem mounted nosuid (/dev/shm), so that exec ignores its set-ID bits and caps? */
bool vfs_file_nosuid(struct vfs_file *f);
int vfs_fstat(struct vfs_file *f, struct stat *st);
int vfs_hostfd(struct vfs_file *f);

/*
 * What the VFS asks of the kernel layer above it, which registers these
 * (supervisor/kernel/repath.c) so that the VFS sees no process and no
 * scheduler.  Paths kept above
 * the VFS follow renames and removals: uos keeps what a process holds as
 * canonical paths (its open files', its cwd, root and exe, its mapped
 * regions' names), where Linux keeps dentries that a rename moves; the VFS
 * rewrites its own (mount points) and calls moved and gone for the rest.
 */
struct vfs_hooks {
	/* Every path kept at or below from now starts with to (vfs_repath on each). */
	void (*moved)(struct kernel *k, const char *from, const char *to);
	/*
	 * The name gone was removed: files open by it get f->removed (their
	 * path stays); other kept paths of it or below become marked + the rest.
	 */
	void (*gone)(struct kernel *k, const char *gone, const char *marked);
	/* Whether process pid is gone or a zombie (its POSIX locks no longer count). */
	bool (*pid_gone)(struct kernel *k, int pid);
	/*
	 * Park c's task on chan (NULL: none) until a wake of chan or
	 * deadline_ns (CLOCK_MONOTONIC, uos_now_ns; 0: none); the VFS then
	 * returns -UOS_EBLOCK and the call runs again.
	 */
	void (*park)(struct vfs_caller *c, const void *chan, long long deadline_ns);
	/*
	 * Whether the task of tid is alive, parked on chan, and not being
	 * interrupted by a signal (a FIFO open's waiter that still waits).
	 */
	bool (*waits_on)(struct kernel *k, int tid, const void *chan);
	/* A terminal's line discipline sends sig to process group pgrp (VINTR, SIGWINCH ...). */
	void (*tty_signal)(struct kernel *k, int pgrp, int sig);
	/* The master of t closed: the session t controls loses it (SIGHUP, SIGCONT). */
	void (*tty_hangup)(struct kernel *k, struct tty *t);
	/*
	 * open("/dev/tty"): a new file (flags) on the caller's controlling
	 * terminal, with /dev/tty's path and stat st; -ENXIO when it has none,
	 * or -ENODEV when that is the user's terminal (the host's /dev/tty).
	 */
	int (*ctty)(struct vfs_caller *c, int flags, const char *path, const struct stat *st,
		    struct vfs_file **out);
};
/*
 * Register the hooks (static; NULL: none) of namespace ns, and the wait
 * queues (waitq.h; NULL: nobody waits) its pipes, FIFOs, locks and inotify
 * instances wake (waitq_wake_polled) when they change.  Before it, or
 * without it (unit tests that build a namespace bare), the VFS wakes nobody
 * and parks nothing.
 */
struct waitq;
void vfs_set_hooks(struct vfs_ns *ns, const struct vfs_hooks *h, struct kernel *k,
		   struct waitq *q);
/* Rewrite the kept path *p when it is from or below it: to + the rest.  -ENOMEM leaves it. */
void vfs_repath(char **p, const char *from, const char *to);

/* A namespace whose / is the host directory hostdir, procfs (NULL: none) at /proc, devfs at /dev (unit tests). */
int vfs_ns_init_root(struct memcg *cg, const char *hostdir, const struct vfs_fs_ops *procfs,
		     struct vfs_ns **out);

/* Fill buf with linux_dirent64 records; bytes written, 0 at the end, or -errno. */
long vfs_getdents(struct vfs_file *f, void *buf, size_t len);
/* A file's ioctl; arg is a uos buffer of the command's size.  -ENOTTY when none. */
long vfs_ioctl(struct vfs_file *f, unsigned long cmd, void *arg);
/* lseek(2) on f->pos: the new offset, -EINVAL for a negative one, -ESPIPE on streams. */
off_t vfs_lseek(struct vfs_file *f, off_t off, int whence);
/*
 * rw_verify_area: may a transfer of len bytes at position pos of f go
 * ahead?  -EINVAL when pos is negative or the transfer would end past
 * LLONG_MAX (the offset would wrap); streams have no position: 0.
 */
int vfs_rw_verify_area(const struct vfs_file *f, off_t pos, size_t len);
/* The generic lseek on f->pos, for llseek ops that only refine it. */
off_t vfs_generic_lseek(struct vfs_file *f, off_t off, int whence);

/*
 * Path operations.  dir is the dirfd's file (NULL: cwd); atflags are the
 * AT_* flags (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH).  Errors as the walk's
 * (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EACCES) plus the call's own.
 */
int vfs_stat(struct vfs_caller *c, struct vfs_file *dir, const char *path, int atflags,
	     struct stat *st);
/* readlink(2): the length copied into buf[size] (no NUL), or -EINVAL, -errno. */
long vfs_readlink(struct vfs_caller *c, struct vfs_file *dir, const char *path, char *buf,
		  size_t size);
/* faccessat2(2): mode is F_OK or R_OK|W_OK|X_OK; AT_EACCESS uses the fs ids anyway. */
int vfs_access(struct vfs_caller *c, struct vfs_file *dir, const char *path, int mode, int atflags);
/* chdir(2): replace c->fs->cwd with the canonical path of a directory. */
int vfs_chdir(struct vfs_caller *c, struct vfs_file *dir, const char *path);
/* fchdir(2): the cwd becomes f's path when f is a directory (-ENOTDIR). */
int vfs_fchdir(struct vfs_caller *c, struct vfs_file *f);
/*
 * chroot(2): the process's root becomes path's directory (the cwd stays).
 * privileged is CAP_SYS_CHROOT; path errors and EACCES come before EPERM.
 */
int vfs_chroot(struct vfs_caller *c, const char *path, bool privileged);
/* The canonical path of the caller's root ("/" unless it chrooted). */
const char *vfs_root(const struct vfs_caller *c);
/*
 * A kept canonical path as the caller sees it from its root, into out[size]:
 * 0, or 1 when it lies outside the root (given whole, as Linux's d_path).
 * Paths that are not absolute ("pipe:[3]") are given as they are.
 */
int vfs_path_seen(const struct vfs_caller *c, const char *canon, char *out, size_t size);
int vfs_statfs(struct vfs_caller *c, struct vfs_file *dir, const char *path, struct statfs *sf);
int vfs_fstatfs(struct vfs_caller *c, struct vfs_file *f, struct statfs *sf);
/*
 * The extended attribute calls (vfs/xattr.c), after the caller's checks of
 * the name (ERANGE, E2BIG ...).  get and list copy into buf[size] (size 0:
 * the length only); set takes the value buf[size] and flags
 * (XATTR_CREATE, XATTR_REPLACE).  The length (get, list), 0, or -errno:
 * EROFS, EPERM, EACCES, ENODATA, ERANGE, EEXIST, EOPNOTSUPP, ENOSPC ...
 */
struct vfs_xattr_req {
	enum { VFS_XGET, VFS_XLIST, VFS_XSET, VFS_XREMOVE } op;
	const char *name;
	void *buf;
	size_t size;
	int flags;
};
long vfs_xattr_path(struct vfs_caller *c, struct vfs_file *dir, const char *path, int atflags,
		    struct vfs_xattr_req *r);
long vfs_xattr_file(struct vfs_caller *c, struct vfs_file *f, struct vfs_xattr_req *r);
/*
 * The kernel's own read of f's attribute name into buf[size], whoever the
 * caller is (exec's get_file_caps): the file f holds, with one host call on
 * hostfs.  An overlay's lower file is read as it is (vfs_xattr_file would
 * walk to the overlay node, which is the same file unless a copy-up came
 * since f was opened).  The length, or -errno as vfs_xattr_file's get.
 */
long vfs_file_getxattr(struct vfs_caller *c, struct vfs_file *f, const char *name, void *buf,
		       size_t size);
/* Whether name is in a namespace Linux knows (user., trusted., security., system.). */
bool vfs_xattr_known(const char *name);

/*
 * The namespace-changing calls (vfs/wops.c), with Linux's checks in Linux's
 * order: the walk's errors, then EEXIST/ENOENT/EISDIR/ENOTDIR..., EACCES and
 * EPERM (sticky directories, ownership), EROFS, EXDEV, and the
 * filesystem's own (ENOTEMPTY, ENOSPC, EMLINK).  mode arguments are the
 * caller's: the VFS applies the umask, or the directory's default ACL
 * (vfs_acl_inherit); dir is the dirfd's file or NULL (cwd).
 */
int vfs_mknod(struct vfs_caller *c, struct vfs_file *dir, const char *path, mode_t mode,
	      dev_t rdev);
int vfs_mkdir(struct vfs_caller *c, struct vfs_file *dir, const char *path, mode_t mode);
int vfs_symlink(struct vfs_caller *c, const char *target, struct vfs_file *dir, const char *path);
/* linkat(2): atflags AT_SYMLINK_FOLLOW, AT_EMPTY_PATH (the old name is odir's file). */
int vfs_link(struct vfs_caller *c, struct vfs_file *odir, const char *opath, struct vfs_file *ndir,
	     const char *npath, int atflags);
int vfs_unlink(struct vfs_caller *c, struct vfs_file *dir, const char *path);
int vfs_rmdir(struct vfs_caller *c, struct vfs_file *dir, const char *path);
/* renameat2(2): flags RENAME_NOREPLACE or RENAME_EXCHANGE (checked by the caller). */
int vfs_rename(struct vfs_caller *c, struct vfs_file *odir, const char *opath,
	       struct vfs_file *ndir, const char *npath, unsigned flags);

/* One attribute change on a path (atflags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH) or a file. */
enum vfs_setop { VFS_SET_MODE, VFS_SET_OWNER, VFS_SET_TIMES, VFS_SET_SIZE };
struct vfs_setreq {
	enum vfs_setop op;
	mode_t mode;		/* VFS_SET_MODE */
	uid_t uid;		/* VFS_SET_OWNER: (uid_t)-1 leaves it */
	gid_t gid;		/* (gid_t)-1 leaves it */
	struct timespec ts[2];	/* VFS_SET_TIMES: atime, mtime; UTIME_NOW/UTIME_OMIT allowed */
	bool times_null;	/* VFS_SET_TIMES with NULL times: both now (write access suffices) */
	off_t size;		/* VFS_SET_SIZE */
};
int vfs_setattr_path(struct vfs_caller *c, struct vfs_file *dir, const char *path, int atflags,
		     const struct vfs_setreq *r);
int vfs_setattr_file(struct vfs_caller *c, struct vfs_file *f, const struct vfs_setreq *r);
/* fallocate(2) on f (open for writing: the caller checked). */
int vfs_fallocate(struct vfs_file *f, int mode, off_t off, off_t len);
/*
 * fsync(2)/fdatasync(2), but for the host's part: 0, or -EINVAL for files
 * that cannot sync (pipes, ttys); *hostfd is the host fd (borrowed) to
 * fsync for durability, or -1.
 */
int vfs_fsync(struct vfs_file *f, bool datasync, int *hostfd);
/*
 * sync(2) of mount i (sync.c): its filesystem's changes reach what holds
 * them (an image file); *hostfd is then a host fd to fdatasync for the
 * host's disk, or -1.  -ENOENT past the last mount, so that sync walks
 * i = 0, 1, ... (mounts are made once, at start).
 */
int vfs_sync_mount(struct vfs_ns *ns, int i, int *hostfd);
/*
 * The periodic writeback: every mount whose filesystem holds changes that
 * have waited age (> 0) seconds writes them back; with VFS_WB_BOUND, only
 * caches grown past their bounds are written (called between calls, when
 * no filesystem is in the middle of one).  0 or the first -errno.
 */
#define VFS_WB_BOUND 0xffffffffu
int vfs_writeback(struct vfs_ns *ns, unsigned age);
/* Whether any mount has something for vfs_writeback to do (an ext2 image). */
bool vfs_writeback_needed(const struct vfs_ns *ns);
/*
 * A memfd_create(2) file: a regular file in no directory, on uos's own
 * tmpfs, with its first mode and seals (F_SEAL_SEAL without
 * MFD_ALLOW_SEALING).
 */
int vfs_memfd(struct vfs_ns *ns, const char *name, int flags, mode_t mode, unsigned int seals,
	      struct vfs_file **out);
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020 /* Linux 6.3: the exec bits may not change (glibc 2.36 lacks it) */
#endif
/* fcntl F_ADD_SEALS (add) and F_GET_SEALS: memfd_fcntl's answers. */
int vfs_seals(struct vfs_file *f, bool add, unsigned int seals);

/* The host fd to poll for f's readiness, or -1 when f is always ready (regular files). */
int vfs_pollfd(struct vfs_file *f);

/* The POLL* events ready on f now; files without a poll op are always ready. */
short vfs_poll(struct vfs_file *f, short events);
/* The channel to wait on for f's readiness to change, or NULL (then vfs_pollfd says). */
const void *vfs_wchan(struct vfs_file *f);
/* f's timeout op, or 0 (forever). */
long long vfs_timeout(struct vfs_file *f, bool out);
/* A pipe: two new files, the read end and the write end.  0, -ENFILE (no pipe: the
 * capacity bound or memory), -ENOMEM. */
int vfs_pipe(struct vfs_ns *ns, int flags, struct vfs_file **rd, struct vfs_file **wr);
/*
 * uos is ending, every task and file gone: free the FIFO pipes that only
 * openers parked in their open still held.
 */
void vfs_fifo_fini(struct vfs_ns *ns);

/* stat of an anon_inode file (eventfd, timerfd, signalfd, epoll, inotify). */
int vfs_anon_stat(struct vfs_file *f, struct stat *st);

/*
 * Advisory locks (vfs/lock.c).  flock(2) op: LOCK_SH, LOCK_EX, LOCK_UN,
 * optionally | LOCK_NB.  0, -EWOULDBLOCK, -EINVAL, -EBADF, or -UOS_EBLOCK
 * when the caller was parked (the call is served again on wake).
 */
int vfs_flock(struct vfs_caller *c, struct vfs_file *f, int op);
/* F_GETLK / F_OFD_GETLK: fl gets the first conflicting lock, or l_type F_UNLCK. */
int vfs_lock_get(struct vfs_caller *c, struct vfs_file *f, bool ofd, struct flock *fl);
/*
 * F_SETLK(W) / F_OFD_SETLK(W): 0, -EAGAIN (busy, no wait), -EDEADLK, -EBADF
 * (lock type against the access mode), -EINVAL, or -UOS_EBLOCK (parked).
 */
int vfs_lock_set(struct vfs_caller *c, struct vfs_file *f, bool ofd, bool wait, struct flock *fl);
/* The caller's process closes an fd of f: its POSIX locks on f's inode go. */
void vfs_lock_close(struct vfs_caller *c, struct vfs_file *f);
/* f's last reference goes: its flock and OFD locks go (file.c). */
void vfs_lock_release_file(struct vfs_file *f);
/* F_GETPIPE_SZ: the capacity of the pipe f, or -EBADF when f is no pipe. */
long vfs_pipe_getsize(struct vfs_file *f);
/*
 * F_SETPIPE_SZ: resize to size rounded up (a page at least, a power of two);
 * the new capacity, or -EBADF, -EINVAL, -EPERM (above pipe-max-size unless
 * privileged, or past the capacity of all pipes: memcg.h), -EBUSY (more
 * data than fits).
 */
long vfs_pipe_setsize(struct vfs_file *f, unsigned long size, bool privileged);

/* What splice(2), tee(2) and vmsplice(2) need of pipes (vfs/pipe.c). */
bool vfs_is_pipe(struct vfs_file *f);
/* Whether a and b are ends of the same pipe. */
bool vfs_pipe_same(struct vfs_file *a, struct vfs_file *b);
/*
 * Pipe to pipe, slot by slot: tee(2) (move false: in keeps its data) or
 * splice(2) (move true), up to len bytes.  The count; 0 when in is empty
 * and has no writers; -EPIPE when out has no readers; -EAGAIN with *wait
 * the end to wait on (in empty, or out full); -ENOMEM when no page can
 * be charged.
 */
long vfs_pipe_link(struct vfs_file *in, struct vfs_file *out, size_t len, bool move,
		   struct vfs_file **wait);
/*
 * The bytes that fit in pipe f as new slots when the first one sits at
 * offset align of a page (vfs_pipe_fill); -EPIPE with no reader, -EAGAIN
 * when no slot is free, -ENOMEM when no page can be charged (memcg.h).
 */
long vfs_pipe_room(struct vfs_file *f, unsigned long align);
/*
 * Append buf as new slots that are never merged into, cut at the page
 * boundaries of align (vmsplice: the guest address; splice: the file
 * offset), as far as slots are free.  The bytes taken.
 */
size_t vfs_pipe_fill(struct vfs_file *f, const void *buf, size_t len, unsigned long align);
/*
 * Copy up to len unread bytes of pipe f without taking them: the count, 0
 * (empty, no writer), -EAGAIN (empty).
 */
long vfs_pipe_peek(struct vfs_file *f, void *buf, size_t len);
/* Take n bytes (at most what vfs_pipe_peek gave) from pipe f. */
void vfs_pipe_consume(struct vfs_file *f, size_t n);

/*
 * inotify (vfs/inotify.c).  The hooks below are called where the VFS does
 * the thing; each returns at once while no watch exists.
 */
/* inotify_init1(2): flags IN_NONBLOCK (checked by the caller); -EMFILE past the instance limit. */
int vfs_inotify(struct vfs_ns *ns, int flags, struct vfs_file **out);
bool vfs_is_inotify(struct vfs_file *f);
/*
 * Watch the inode with stat st (the caller walked and checked the path) for
 * mask: the watch descriptor, or -EEXIST (IN_MASK_CREATE on a watched
 * inode), -ENOSPC (too many watches), -ENOMEM.
 */
int vfs_inotify_add(struct vfs_file *f, const struct stat *st, uint32_t mask);
/* inotify_rm_watch(2): 0 (IN_IGNORED is queued) or -EINVAL for an unknown wd. */
int vfs_inotify_rm(struct vfs_file *f, int wd);
/* c opened f (vfs_open): IN_OPEN, and the books its later events need. */
void vfs_notify_open(struct vfs_caller *c, struct vfs_file *f);
/* An event on the open file f (IN_ACCESS, IN_MODIFY): its inode's watches and its directory's. */
void vfs_notify_file(struct vfs_caller *c, struct vfs_file *f, uint32_t mask);
/* setattr on f changed the vfs_attr fields in valid: IN_ATTRIB, IN_MODIFY or IN_ACCESS. */
void vfs_notify_setattr_file(struct vfs_caller *c, struct vfs_file *f, unsigned valid);
/* f's last reference goes (file.c): IN_CLOSE_WRITE or IN_CLOSE_NOWRITE, a deferred IN_DELETE_SELF. */
void vfs_notify_close(struct vfs_file *f);
