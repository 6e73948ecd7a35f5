/*
 * What hostfs.c and hostfs_dirs.c share: one instance's superblock and the
 * host directories it holds open (the directory cache).
 */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

#define HDIR_BUCKETS 1024 /* hash chains of the directory cache (a power of two) */
#define HDIR_IDLE_MAX 256 /* directories no node uses that stay open */

struct hostfs_sb;

/*
 * A host directory uos holds open, shared by every node that stands on it
 * and by its child directories.  Found again by (parent, name), and used
 * only when the host still has this directory there: a lookup compares the
 * identity fstatat gives for the name (revalidation, as an NFS client does),
 * so a rename, removal or replacement on the host is seen at the next walk.
 */
struct hdir {
	int fd; /* O_PATH | O_DIRECTORY, owned */
	dev_t dev;
	ino_t ino;
	mode_t mode; /* as the last lookup saw it (the walk needs its type) */
	int refs;    /* nodes and child directories */
	bool hashed; /* in the cache: found by (parent, name) */
	struct hostfs_sb *hs;
	struct hdir *parent;	    /* a reference; NULL for the root */
	struct hdir *hnext;	    /* hash chain */
	struct hdir *iprev, *inext; /* the idle list: hashed with refs 0, oldest first */
	char name[];
};

/* One instance: the mounted host directory, and its directory cache. */
struct hostfs_sb {
	struct hdir *root;
	struct hdir *hash[HDIR_BUCKETS];
	struct hdir *idle_first, *idle_last;
	int nidle;
};

/* Open hostdir as hs's root (hs zeroed).  -errno if it cannot be opened. */
int hdir_root(struct hostfs_sb *hs, const char *hostdir);
/*
 * The directory name of p, whose identity st is what the host has there now
 * (fstatat): the cached one if it is that directory, else opened.  A reference.
 */
int hdir_child(struct hdir *p, const char *name, const struct stat *st, struct hdir **out);
void hdir_get(struct hdir *d);
void hdir_put(struct hdir *d);
/* Close every cached directory and the root (no node may be left). */
void hdir_fini(struct hostfs_sb *hs);
