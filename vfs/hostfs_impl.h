/*
 * What hostfs.c and hostfs_dirs.c share: one instance's superblock and the
 * host directories it holds open (the directory cache).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define HDIR_BUCKETS 1024 /* hash chains of the directory cache (a power of two) */
#define HDIR_WD_BUCKETS 256 /* hash chains of the directories by inotify watch */
#define HDIR_WATCH_MAX 1024 /* inotify watches of one instance (the host's are its uid's, shared) */
#define HDIR_IDLE_MAX 256 /* directories no node uses that stay open */
#define HDIR_WATCH_LOOKUPS 4 /* the lookup of a directory that begins its watch (see struct hdir) */
#define HLINK_MAX 1024	      /* names (and symlink targets) one instance keeps (struct hlink) */
#define HLINK_TARGET_MAX 256  /* a longer target is read from the host each time */

struct hostfs_sb;

/*
 * A host directory uos holds open, shared by every node that stands on it
 * and by its child directories.  Found again by (parent, name), and used
 * only when the host still has this directory there.  Where the parent is
 * watched (inotify, on a local filesystem whose changes all pass through
 * the host's VFS: ext4, xfs, btrfs, tmpfs, overlayfs), that is known from
 * the events each walk reads first (hdir_events): a name created, removed
 * or renamed in the parent drops the entry.  Elsewhere (sysfs, procfs,
 * network filesystems, or no watch left) a lookup compares the identity
 * fstatat gives for the name (revalidation, as an NFS client does).  Either
 * way a rename, removal or replacement on the host is seen at the next walk.
 *
 * A directory is watched from its HDIR_WATCH_LOOKUPS-th lookup on (the root
 * at once): a walk of a tree (GNU find: a stat of the name, its open, and
 * a stat of the name again) looks most directories up three times and
 * never again, and a watch set and removed for each cost it an
 * inotify_add_watch, an inotify_rm_watch and the SIGIO and read of its
 * IN_IGNORED event.  An entry checked with the host before its parent's
 * watch began is checked once more (checked, watched): the watch did not
 * see what came before it.
 */
struct hdir {
	int fd; /* O_PATH | O_DIRECTORY, owned */
	dev_t dev;
	ino_t ino;
	mode_t mode; /* as the last lookup saw it (the walk needs its type) */
	int refs;    /* nodes and child directories */
	bool hashed; /* in the cache: found by (parent, name) */
	int wd;	     /* its inotify watch (events about its names), or -1: revalidate its children */
	bool notifies;	/* its filesystem makes inotify events for every change (fs_notifies()) */
	int lookups;	      /* up to HDIR_WATCH_LOOKUPS, when watch() was called (wd may stay -1) */
	unsigned long checked; /* the hostfs_sb clock when the host last showed it there */
	unsigned long watched; /* the clock when its watch began */
	unsigned epoch; /* the hostfs_sb epoch in which it was last known to be there */
	struct hostfs_sb *hs;
	struct hdir *parent;	    /* a reference; NULL for the root */
	struct hdir *hnext;	    /* hash chain */
	struct hdir *iprev, *inext; /* the idle list: hashed with refs 0, oldest first */
	struct hdir *wnext;	    /* chain of the directories by watch */
	struct hlink *links;	    /* the targets of its symlinks (hostfs_links.c) */
	char name[];
};

/*
 * The file a name that is not a directory leads to in a watched directory,
 * and a symlink's target (hostfs_links.c): a walk through it asks the host
 * nothing while the parent's watch says nothing changed there.
 */
struct hlink {
	struct hdir *parent; /* which drops it when it goes */
	dev_t dev;	     /* the link's own identity and mode, as the host showed them */
	ino_t ino;
	mode_t mode;
	unsigned epoch;		    /* as struct hdir's */
	unsigned long checked;	    /* the clock when its target was read */
	struct hlink *hnext;	    /* hash chain */
	struct hlink *dnext, *dprev; /* chain of the parent's entries */
	struct hlink *aprev, *anext; /* oldest first */
	char *target;		    /* a symlink's: len bytes, no NUL, after the name; else len 0 */
	size_t len;
	char name[];
};

/* One instance: the mounted host directory, and its directory and symlink caches. */
struct hostfs_sb {
	struct hdir *root;
	int ifd;	      /* inotify (non-blocking), or -1 */
	int nwatch;	      /* entries with a watch */
	unsigned epoch;	      /* bumped when events were lost: every entry is checked again */
	unsigned long clock;  /* bumped when a watch begins */
	unsigned long walked; /* the vfs_ns walk whose events were read last */
	bool noted;	      /* ifd signals its events (hostnote.h) */
	unsigned long notes;  /* hostnote_count() when ifd was read last */
	struct hdir *hash[HDIR_BUCKETS];
	struct hdir *bywd[HDIR_WD_BUCKETS];
	struct hdir *idle_first, *idle_last;
	int nidle;
	struct hlink *links[HDIR_BUCKETS];
	struct hlink *link_first, *link_last;
	int nlinks;
};

/* Open hostdir as hs's root (hs zeroed).  -errno if it cannot be opened. */
int hdir_root(struct hostfs_sb *hs, const char *hostdir);
/*
 * The directory name of p, whose identity st is what the host has there now
 * (fstatat): the cached one if it is that directory, else opened.  A reference.
 */
int hdir_child(struct hdir *p, const char *name, const struct stat *st, struct hdir **out);
/*
 * The directory name of p, without asking the host, when p is watched and
 * the events read so far say nothing changed there: a reference, or NULL.
 */
struct hdir *hdir_known(struct hdir *p, const char *name);
/* Read the host's changes that came since walk number walk began, once per walk. */
void hdir_events(struct hostfs_sb *hs, unsigned long walk);
void hdir_get(struct hdir *d);
void hdir_put(struct hdir *d);
/* Close every cached directory and the root (no node may be left). */
void hdir_fini(struct hostfs_sb *hs);
/* The hash of (p, name) in the caches. */
uint32_t hdir_hash(const struct hdir *p, const char *name);
/*
 * Whether an entry under p known in epoch and checked with the host at
 * clock `checked` still holds: p's watch began before that, and no event
 * was lost since.
 */
bool hdir_still_there(const struct hdir *p, unsigned epoch, unsigned long checked);

/*
 * The symlink name of p whose target a readlink kept, without asking the
 * host (as hdir_known): NULL when p is not watched, or the events read so
 * far may have changed it.
 */
const struct hlink *hlink_known(struct hdir *p, const char *name);
/* Keep the target (len bytes) of the symlink name of p, whose lstat is st, where p is watched. */
void hlink_keep(struct hdir *p, const char *name, const struct stat *st, const char *target,
		size_t len);
/* An event about name of p: its entry goes. */
void hlink_forget(struct hdir *p, const char *name);
/* Drop d's entries (d is going). */
void hlink_drop_dir(struct hdir *d);
