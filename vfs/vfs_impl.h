/*
 * What the files of vfs/ share and nobody else sees: the mount table, the
 * transient nodes a path walk steps through, and the operations each
 * filesystem (hostfs, imgfs, tmpfs, overlay, procfs, devfs) gives the walk.
 *
 * A node is not cached: the walk builds one per step and releases it (hostfs
 * keeps the host directories it stepped through open, hostfs_dirs.c); a "magic" node (what /proc/PID/fd/N
 * leads to when the file has no walkable path, e.g. a pipe or a terminal)
 * owns a reference to that open file.
 */
#pragma once

#include <limits.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <time.h>

#include "base.h"
#include "creds.h"
#include "memcg.h"
#include "vfs.h"
#include "waitq.h"

struct vfs_fs_ops;

/*
 * One mounted instance of a filesystem (a superblock).  Mounts own their sb;
 * nodes and files borrow it (a mount lives as long as the namespace).
 */
struct vfs_sb {
	const struct vfs_fs_ops *fs;
	void *priv;    /* the filesystem's own state (hostfs: root fd; tmpfs: inodes ...) */
	bool readonly; /* mounted read-only: every write or create gives EROFS */
	bool nosuid;   /* MS_NOSUID (/dev/shm): exec ignores set-ID bits and file capabilities */
	dev_t dev;     /* st_dev of its files, for filesystems that make their own */
};

/* One step of a walk: what a name resolved to. */
struct vfs_node {
	const struct vfs_fs_ops *fs;
	struct vfs_sb *sb;     /* the instance (borrowed); NULL for magic nodes */
	mode_t mode;	       /* S_IFMT bits and permissions */
	/*
	 * An in-memory inode of the filesystem (tmpfs, imgfs, overlay; hostfs:
	 * its cached directory or the file's name in one): the node
	 * holds one reference, which fs->release drops.  A node is moved, never
	 * copied; who needs the inode longer (an open file) takes its own reference.
	 */
	void *ip;
	int kind;	       /* procfs/devfs: which node */
	int pid, tid, fd;      /* procfs: whose */
	struct vfs_file *file; /* magic: a reference to the file it stands for */
};

/* What setattr changes: VFS_ATTR_* bits in valid say which fields count. */
#define VFS_ATTR_MODE 1	  /* permission bits (07777); S_IFMT is never changed */
#define VFS_ATTR_UID 2
#define VFS_ATTR_GID 4
#define VFS_ATTR_SIZE 8	  /* regular files only; the generic layer checked */
#define VFS_ATTR_ATIME 16
#define VFS_ATTR_MTIME 32
#define VFS_ATTR_CTIME 64 /* always set by the generic layer (to now) */
struct vfs_attr {
	unsigned valid;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	off_t size;
	struct timespec atime, mtime, ctime; /* resolved: never UTIME_NOW/OMIT */
};

/*
 * timestamp_truncate of fs/inode.c: t clamped to a filesystem's range of
 * seconds [min, max], with no nanoseconds at either end, and its
 * nanoseconds cut to a multiple of gran (1 or 10^9 in practice).  Each
 * filesystem that keeps times itself applies its own range when it stores
 * a time (Linux's notify_change does it for every setattr).
 */
struct timespec vfs_timestamp_truncate(struct timespec t, long long min, long long max, long gran);

/*
 * After the last task is gone (vfs_ns_fini): free the FIFO pipes that only
 * stale waiters kept, opens a signal ended or whose task died (fifo.c).
 */
void vfs_fifos_fini(struct vfs_ns *ns);

/* What create makes: every field is final (umask, setgid inheritance applied). */
struct vfs_newnode {
	mode_t mode;	    /* S_IFREG, S_IFDIR, S_IFLNK, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK | perms */
	dev_t rdev;	    /* S_IFCHR/S_IFBLK (the overlay's whiteouts are char 0/0) */
	uid_t uid;
	gid_t gid;
	const char *target; /* S_IFLNK: the link's text */
};

/*
 * What a filesystem gives the walk.  lookup never sees "." or ".." and
 * never a name with a slash.  Every op except lookup, stat and release may be
 * NULL: readlink → -EINVAL, open → -ENXIO, xattr ops → -EOPNOTSUPP, the
 * namespace-changing ops → -EROFS (-EPERM for link).
 *
 * The namespace-changing ops (create ... setattr) run after the generic
 * layer (vfs/wops.c) did every check Linux's fs/namei.c does: permissions,
 * sticky bits, read-only mounts, EEXIST for create, ENOENT/ENOTDIR/EISDIR
 * and the type rules of rename, same-mount (EXDEV).  What is left to the
 * filesystem: ENOTEMPTY for rmdir and for rename over a directory, ENOSPC,
 * EMLINK, and the times: create, link, unlink, rmdir and rename set the
 * parent directories' mtime and ctime and the inode's ctime as Linux does;
 * reads set atime only when the filesystem wants (relatime-like is fine).
 * The node given to link/setattr is one the walk produced (its ip valid).
 */
struct vfs_fs_ops {
	const char *name;
	/* The root directory of sb; the generic layer sets out->sb and out->fs. */
	int (*root)(struct vfs_sb *sb, struct vfs_node *out);
	/* The generic layer sets out->sb (from dir) when lookup leaves it NULL. */
	int (*lookup)(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		      struct vfs_node *out);
	int (*stat)(struct vfs_caller *c, const struct vfs_node *n, struct stat *st);
	/* Symlink target into buf[size], not NUL-terminated: the length or -errno. */
	long (*readlink)(struct vfs_caller *c, const struct vfs_node *n, char *buf, size_t size);
	/*
	 * For magic links (/proc/PID/fd/N): 1 and a new file reference in *out
	 * when the link leads to an open file rather than to a path, 0 to
	 * follow the readlink text as a normal symlink, or -errno.
	 */
	int (*magic)(struct vfs_caller *c, const struct vfs_node *n, struct vfs_file **out);
	/*
	 * Open n; canon is its canonical path.  Flags are already checked
	 * (access, O_TRUNC: the generic layer truncates through setattr before
	 * open, so open never sees O_TRUNC).
	 */
	int (*open)(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out);
	int (*statfs)(const struct vfs_node *n, struct statfs *sf);
	long (*getxattr)(const struct vfs_node *n, const char *name, void *buf, size_t size);
	long (*listxattr)(const struct vfs_node *n, char *buf, size_t size);
	/*
	 * Set name to value[size] (flags XATTR_CREATE: -EEXIST; XATTR_REPLACE:
	 * -ENODATA), or remove it when value is NULL (-ENODATA if absent), as
	 * Linux's xattr handlers' set; vfs/xattr.c did the permission checks.
	 * -EOPNOTSUPP for a namespace the filesystem does not keep.
	 */
	int (*setxattr)(struct vfs_caller *c, const struct vfs_node *n, const char *name,
			const void *value, size_t size, int flags);
	void (*release)(struct vfs_node *n);

	/* Make name (absent) in dir; the new node into *out when out is not NULL. */
	int (*create)(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		      const struct vfs_newnode *nn, struct vfs_node *out);
	/* A new name in dir for the non-directory n (same sb). */
	int (*link)(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_node *dir,
		    const char *name);
	/* Remove the non-directory name; the inode lives on while open or linked. */
	int (*unlink)(struct vfs_caller *c, const struct vfs_node *dir, const char *name);
	/* Remove the directory name: -ENOTEMPTY unless empty. */
	int (*rmdir)(struct vfs_caller *c, const struct vfs_node *dir, const char *name);
	/*
	 * Move oname in odir to nname in ndir (same sb).  flags: 0 (replace
	 * nname if it exists: types already checked; -ENOTEMPTY for a non-empty
	 * directory), RENAME_NOREPLACE (nname known absent), RENAME_EXCHANGE
	 * (both exist: swap).  Old and new naming the same inode never get here.
	 */
	int (*rename)(struct vfs_caller *c, const struct vfs_node *odir, const char *oname,
		      const struct vfs_node *ndir, const char *nname, unsigned flags);
	/* Apply a (checked, resolved) attribute change. */
	int (*setattr)(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_attr *a);
	/* Unmount: free sb->priv.  Open files may still hold inodes (they free them). */
	void (*kill_sb)(struct vfs_sb *sb);
	/*
	 * Write sb's changes back to what holds them (vfs_sync_mount): all of
	 * them when age is 0, else only when some have waited age seconds (the
	 * periodic writeback), or with VFS_WB_BOUND only what keeps its cache
	 * within its bound (vfs.h).  *hostfd (-1 on entry): a host fd whose
	 * fdatasync makes what was written durable.  NULL: nothing to write.
	 */
	int (*sync_fs)(struct vfs_sb *sb, unsigned age, int *hostfd);

	bool readonly; /* every write or create gives EROFS, whatever the mount says */
	bool fixed_names; /* a missing name is an error, not a place to make one (procfs): ENOENT */
};

#define VFS_MAX_MOUNTS 32

/* O_LARGEFILE as the kernel sees it (glibc defines it as 0 on x86-64). */
#define KERNEL_O_LARGEFILE 0100000

struct vfs_mount {
	char *path; /* canonical mount point */
	const struct vfs_fs_ops *fs;
	struct vfs_sb *sb; /* owned */
};

struct vfs_ns {
	struct memcg *cg;    /* the charge its files draw on (memcg.h), or NULL */
	struct kernel *k;    /* opaque: handed back to the hooks (vfs_set_hooks), or NULL */
	struct waitq *waitq; /* whose waiters its objects wake (vfs_set_hooks), or NULL */
	int hostroot; /* unused: hostfs instances hold their root fds */
	unsigned long walks; /* path walks begun: hostfs looks at the host's changes once per walk */
	unsigned next_dev; /* minor numbers of anonymous devices (tmpfs, overlay) */
	struct vfs_sb *memfd_sb; /* memfd_create's files, made on first use; owned */
	struct vfs_lockbook *locks; /* advisory locks (lock.c), made on first use */
	const struct vfs_hooks *hooks; /* what the kernel layer answers (vfs_set_hooks), or NULL */
	/* inotify (inotify.c): the instances, their watches, and the files open for events. */
	struct knotify {
		struct inotify_file *instances;
		int nwatches;	 /* watches of all instances: 0 makes every hook return at once */
		uint32_t cookie; /* the last rename cookie given */
		struct vfs_notify *files; /* books of every file vfs_open opened */
	} notify;
	int nmounts;
	struct vfs_mount mounts[VFS_MAX_MOUNTS];
	unsigned next_pipe_ino; /* pipefs inode numbers (pipe.c) */
	struct pipe *fifos;	/* the pipes of open FIFO nodes (fifo.c) */
};

/*
 * The waits the VFS parks itself (fifo.c, lock.c, hostfs.c), through the
 * kernel layer's hooks (vfs.h): park c on chan until a wake of it or
 * deadline_ns (0: none); -UOS_EBLOCK, for the call to run again.  Without
 * hooks nothing is parked (the result is the same).
 */
int vfs_park(struct vfs_caller *c, const void *chan, long long deadline_ns);
/* Whether the task of tid still waits on chan (the waits_on hook; none: false). */
bool vfs_waits_on(struct vfs_ns *ns, int tid, const void *chan);

extern const struct vfs_fs_ops vfs_hostfs_ops;
extern const struct vfs_fs_ops vfs_devfs_ops;
extern const struct vfs_fs_ops vfs_magic_ops;
extern const struct vfs_fs_ops vfs_tmpfs_ops;
extern const struct vfs_fs_ops vfs_overlay_ops;
extern const struct vfs_fs_ops vfs_devpts_ops;

/* A new devpts instance (devpts.c), its pairs numbered from 0.  0 or -ENOMEM. */
int vfs_devpts_sb(struct vfs_ns *ns, struct vfs_sb **out);
/*
 * Open a new pair of devpts instance sb: its master file, at path, with stat
 * st (the ptmx node's).  0, -ENOSPC (no free index), -ENOMEM.
 */
int vfs_devpts_ptmx(struct vfs_caller *c, struct vfs_sb *sb, int flags, const char *path,
		    const struct stat *st, struct vfs_file **out);

/* A new instance of fs with priv (consumed on success), or NULL. */
struct vfs_sb *vfs_sb_alloc(const struct vfs_fs_ops *fs, void *priv, bool readonly);
/* Unmount: kill_sb, then free sb. */
void vfs_sb_free(struct vfs_sb *sb);
/* sb's sync_fs (sync.c): 0 when it has none. */
int vfs_sb_sync(struct vfs_sb *sb, unsigned age, int *hostfd);
/* Mount sb (consumed, even on error) at the canonical path.  0, -ENOSPC, -ENOMEM. */
int vfs_mount_add(struct vfs_ns *ns, const char *path, struct vfs_sb *sb);
/* The mount exactly at canonical path, or NULL. */
struct vfs_mount *vfs_mount_find(struct vfs_ns *ns, const char *path);
/* A fresh anonymous st_dev (makedev(0, n)) for a filesystem instance. */
dev_t vfs_anon_dev(struct vfs_ns *ns);
/* Whether writes to what n names are refused with EROFS (a read-only mount or fs). */
bool vfs_node_readonly(const struct vfs_node *n);

/* hostfs over the host directory hostdir: 0 and a new sb, or -errno. */
int vfs_hostfs_sb(const char *hostdir, bool readonly, struct vfs_sb **out);
/*
 * An empty tmpfs of namespace ns whose data and inodes are charged to the
 * budget of ns->k (memcg.h: every tmpfs of the guest shares it; ns NULL:
 * unbounded, st_dev 0).  0 or -errno.
 */
int vfs_tmpfs_sb(struct vfs_ns *ns, struct vfs_sb **out);
/*
 * A new regular file in no directory on the tmpfs sb (memfd_create), with
 * its seals: 0 and a new file reference, or -errno.
 */
int vfs_tmpfs_anon(struct vfs_sb *sb, mode_t mode, unsigned int seals, const char *path,
		   int flags, struct vfs_file **out);
/*
 * An overlay of upper (writable) over lower (read-only).  Consumes both
 * (even on error).
 */
int vfs_overlay_sb(struct vfs_ns *ns, struct vfs_sb *lower, struct vfs_sb *upper,
		   struct vfs_sb **out);

/* A node with nothing in it. */
void vfs_node_clear(struct vfs_node *n);
/* Release what n holds and clear it. */
void vfs_node_release(struct vfs_node *n);

/* The filesystem mounted exactly at canonical path, or NULL. */
const struct vfs_fs_ops *vfs_mount_at(struct vfs_ns *ns, const char *path);

/* Lookup flags for vfs_walk. */
#define WALK_FOLLOW 1	 /* follow a final symlink */
#define WALK_PARENT 2	 /* stop at the parent of the last component */
#define WALK_EMPTY 4	 /* an empty path names the start directory (AT_EMPTY_PATH) */
#define WALK_DIRECTORY 8 /* the result must be a directory */
#define WALK_NO_SYMLINKS 16 /* RESOLVE_NO_SYMLINKS: any symlink is ELOOP */
#define WALK_NO_MAGIC 32    /* RESOLVE_NO_MAGICLINKS: a magic link is ELOOP */
#define WALK_BENEATH 64	    /* RESOLVE_BENEATH: never above the start (EXDEV) */
#define WALK_NO_XDEV 128    /* RESOLVE_NO_XDEV: never cross a mount (EXDEV) */
#define WALK_IN_ROOT 256    /* RESOLVE_IN_ROOT: the start directory is the root */

/* The result of a walk. */
struct vfs_walk {
	struct vfs_node node; /* the final node, or with WALK_PARENT the parent */
	char canon[PATH_MAX]; /* its canonical path */
	/* With WALK_PARENT: the last component and what kind it is. */
	char last[NAME_MAX + 1];
	enum { WALK_LAST_NORM, WALK_LAST_DOT, WALK_LAST_DOTDOT, WALK_LAST_ROOT } last_type;
	bool trailing_slash; /* the path ended with '/' */
	bool missing_last;   /* ENOENT came from the final component (O_CREAT may create) */
};

/*
 * Walk path from dir (NULL: the caller's cwd).  On success the caller owns w->node
 * and must vfs_node_release it.  Errors: ENOENT, ENOTDIR, ELOOP,
 * ENAMETOOLONG, EACCES (search permission).
 */
int vfs_walk(struct vfs_caller *c, struct vfs_file *dir, const char *path, int wflags,
	     struct vfs_walk *w);
/*
 * open(O_CREAT) of a missing name: walk path's parent into w, create a
 * regular file with mode there (wops.c); on success w->node is the new node
 * and w->canon its path.  Errors: the walk's, EISDIR, EROFS, EACCES, ENOSPC.
 */
int vfs_open_create(struct vfs_caller *c, struct vfs_file *dir, const char *path, mode_t mode,
		    struct vfs_walk *w);

/* vfs_walk into a walk allocated here (the struct is large): *out, freed by vfs_walk_free. */
int vfs_walk_alloc(struct vfs_caller *c, struct vfs_file *dir, const char *path, int wflags,
		   struct vfs_walk **out);
/* The walk flags of the *at(2) flags AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
int vfs_at_wflags(int atflags);
/* Release the node of a walk from vfs_walk_alloc and free it; NULL is fine. */
void vfs_walk_free(struct vfs_walk *w);
/* Look up one name in the parent a WALK_PARENT walk left (no follow). */
int vfs_walk_last(struct vfs_caller *c, struct vfs_walk *w, struct vfs_node *out);

/*
 * After a rename (renameat2 flags) from ow's parent and last name to nw's:
 * every path uos keeps (open files, cwds, exe, mapped regions, mount points)
 * at or below the old name follows it to the new (with EXCHANGE, both ways).
 */
void vfs_rename_moved(struct vfs_ns *ns, const struct vfs_walk *ow, const struct vfs_walk *nw,
		      unsigned flags);
/*
 * After an unlink or rmdir of w's last name: files open by that name are
 * marked removed, and the paths kept of it read "<path> (deleted)".
 */
void vfs_name_gone(struct vfs_ns *ns, const struct vfs_walk *w);

/* The canonical path of the mount-aware child "parent/name" into out[PATH_MAX]. */
int vfs_path_join(char *out, const char *parent, const char *name);

/* Generic file helpers (file.c). */

/* A zeroed file of size bytes (at least sizeof(struct vfs_file)) with one reference. */
void *vfs_file_alloc(size_t size, const struct vfs_file_ops *ops, int flags, const char *path);

/*
 * A read-only file whose contents are buf (consumed: freed on release).
 * Seekable, like procfs's seq files.
 */
int vfs_buffile(char *buf, size_t len, int flags, const char *path, const struct stat *st,
		struct vfs_file **out);
/* Renders the contents of a live buffer file for id (a pid); the length or -errno. */
typedef long (*vfs_render_fn)(struct kernel *k, int id, char **out);
/* A buffer file that render() fills again at every read from offset 0. */
int vfs_buffile_live(char *buf, size_t len, int flags, const char *path, const struct stat *st,
		     vfs_render_fn render, struct kernel *k, int id, struct vfs_file **out);

/*
 * What a write to a writable buffer file does (/proc/PID/comm): id as the
 * render function's, writer the pid of the process that opened the file.
 * The bytes taken, or -errno.
 */
typedef long (*vfs_bufwrite_fn)(struct kernel *k, int id, int writer, const void *buf,
				size_t len);
/* Make the buffer file f (vfs_buffile, vfs_buffile_live) writable through write. */
void vfs_buffile_set_write(struct vfs_file *f, vfs_bufwrite_fn write, int writer);

/* One directory entry a synthetic directory lists. */
struct vfs_dirent {
	unsigned long ino;
	unsigned char type; /* DT_* */
	char name[NAME_MAX + 1];
};
/* A directory file listing ents[n] (consumed).  stat comes from st. */
int vfs_dirfile(struct vfs_dirent *ents, int n, const struct stat *st, int flags,
		const char *path, struct vfs_file **out);

/* fsync of the directory file f from vfs_dirfile fails with -EINVAL (procfs, as Linux's). */
void vfs_dirfile_nosync(struct vfs_file *f);

/*
 * Append one linux_dirent64 record at buf+*used (advancing *used), whose
 * d_off is next.  -EINVAL when it does not fit in len.
 */
long vfs_dirent_emit(void *buf, size_t len, size_t *used, unsigned long ino, off_t next,
		     unsigned char type, const char *name);

/* A file on a host fd (consumed): a terminal, stdio, a host char device. */
int vfs_hostchr(int hostfd, int flags, const char *path, struct vfs_file **out);

/*
 * May the caller access a file with stat st for mask (R_OK|W_OK|X_OK)?
 * Root may do anything but execute a file with no x bit.  real: use the
 * real ids (access(2)) instead of the fs ids.  0 or -EACCES.
 */
int vfs_perm(struct vfs_caller *c, const struct stat *st, int mask, bool real);
/* vfs_perm on the node n (stat st), whose access ACL, if it keeps one, decides for others. */
int vfs_perm_node(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st, int mask,
		  bool real);

/* wops.c: the mode bits a write or truncate by c leaves of a file with stat st (killpriv.c). */
mode_t vfs_killpriv_mode(struct vfs_caller *c, const struct stat *st);
/*
 * A file f (stat st) opened from an overlay's read-only lower layer is, as
 * Linux's overlayfs has it, the overlay's file: the f* calls that change
 * it (f*xattr, fchmod, fchown, futimens) act on the overlay node at its
 * path, which copies the file up and shows the upper file after, provided
 * that node still is the file (the st_dev and st_ino the overlay shows,
 * which copy-up keeps): overlay_copyup.c.  0 with the walk in *out and the
 * node's stat in *ost, or -ENOENT when there is no such node.  The fd
 * itself stays the lower file's: its fstat shows the old mode and times.
 */
int vfs_overlay_node_of(struct vfs_caller *c, struct vfs_file *f, const struct stat *st,
			struct stat *ost, struct vfs_walk **out);
/* killpriv.c: remove n's security.capability, if it has one (chown, truncate). */
void vfs_killpriv_caps(struct vfs_caller *c, const struct vfs_node *n);
/* The same for the inode of the open file f (chown, ftruncate, a write). */
void vfs_killpriv_file_caps(struct vfs_caller *c, struct vfs_file *f);

/* POSIX ACLs (acl.c): whether name is system.posix_acl_access or _default. */
bool vfs_acl_name(const char *name);
/*
 * setxattr (value NULL: removexattr) of an ACL name on n (stat st), after
 * the generic checks: the blob's, the owner's, the mode's update.
 */
int vfs_acl_set(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st,
		const char *name, void *value, size_t size);
/*
 * check_acl for a caller (ids uid, gid: fs or real ones) who is not the
 * owner of n (stat st): 0 or -EACCES by n's access ACL, -EAGAIN when n
 * keeps none (the mode decides).
 */
int vfs_acl_check(struct vfs_caller *c, const struct vfs_node *n, const struct stat *st,
		  uid_t uid, gid_t gid, int want);
/* The ACLs a new node inherits (vfs_acl_inherit): blobs or NULL. */
struct vfs_acl_new {
	char *access, *dflt;
	size_t access_len, dflt_len;
};
/*
 * posix_acl_create for a new node of *mode in dir: without a default ACL
 * in dir the caller's umask narrows *mode; with one, the ACL does, and
 * what the node inherits goes to *out (vfs_acl_new_apply after the
 * create, or vfs_acl_new_free).  0 or -ENOMEM.
 */
int vfs_acl_inherit(struct vfs_caller *c, const struct vfs_node *dir, mode_t *mode,
		    struct vfs_acl_new *out);
/* Give the new node n what it inherits, and free it. */
int vfs_acl_new_apply(struct vfs_caller *c, const struct vfs_node *n, struct vfs_acl_new *a);
void vfs_acl_new_free(struct vfs_acl_new *a);
/* After chmod of n to mode: its access ACL, if it keeps one, follows (posix_acl_chmod). */
void vfs_acl_chmod(struct vfs_caller *c, const struct vfs_node *n, mode_t mode);

/* Free the namespace's lock books (vfs_ns_fini). */
void vfs_locks_free(struct vfs_ns *ns);

/*
 * inotify hooks of the namespace-changing calls (vfs/inotify.c), called
 * after the filesystem's op succeeded.  Each returns at once while no
 * watch exists.
 */
/* name was made in dir (IN_CREATE, with IN_ISDIR for a directory). */
void vfs_notify_create(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		       mode_t mode);
/* link(2): n got the new name in dir (IN_ATTRIB on n, IN_CREATE on dir). */
void vfs_notify_link(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_node *dir,
		     const char *name);
/* unlink/rmdir removed name (stat st, taken before) from dir. */
void vfs_notify_remove(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
		       const struct stat *st);
/* rename(2) of oname (ost) in odir to nname in ndir, over nst (NULL: none). */
void vfs_notify_rename(struct vfs_caller *c, const struct vfs_node *odir, const char *oname,
		       const struct vfs_node *ndir, const char *nname, const struct stat *ost,
		       const struct stat *nst, unsigned flags);
/* setattr through a path changed the fields in valid of what canon names (stat st). */
void vfs_notify_setattr(struct vfs_caller *c, const char *canon, const struct stat *st,
			unsigned valid);
