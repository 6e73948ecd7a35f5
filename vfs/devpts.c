/*
 * devpts: /dev/pts, the names of the pseudo-terminals, one instance per
 * uos (indices from 0, as a container's newinstance mount).  Its root
 * lists ptmx (mode 0000, as Linux's default ptmxmode) and one node per
 * pair whose master is open, numbered as Linux's: the root is inode 1,
 * ptmx 2, /dev/pts/N is N + 3, a character device 136:N owned by whoever
 * opened the master, mode 0600.  Opening ptmx makes a pair (devfs's
 * /dev/ptmx opens this instance's); opening N opens its slave.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "tty_impl.h"

#define DEVPTS_MAX 1024		   /* pairs per instance (Linux's pty max is 4096 for all) */
#define DEVPTS_MAGIC 0x1cd1	   /* DEVPTS_SUPER_MAGIC */
#define PTS_MAJOR 136		   /* UNIX98_PTY_SLAVE_MAJOR */
enum { INO_ROOT = 1, INO_PTMX = 2, INO_PTS0 = 3 };

struct devpts {
	struct tty *pty[DEVPTS_MAX]; /* by index: pairs whose master is open (not referenced) */
};

static struct devpts *dp_of(const struct vfs_sb *sb)
{
	return sb->priv;
}

/* The pair a node names, or NULL once its master closed. */
static struct tty *node_tty(const struct vfs_node *n)
{
	int i = n->kind - INO_PTS0;

	return i >= 0 && i < DEVPTS_MAX ? dp_of(n->sb)->pty[i] : NULL;
}

static int devpts_root(struct vfs_sb *sb, struct vfs_node *out)
{
	out->fs = &vfs_devpts_ops;
	out->kind = INO_ROOT;
	out->mode = S_IFDIR | 0755;
	return 0;
}

static int devpts_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			 struct vfs_node *out)
{
	char *end;
	long i;

	out->fs = &vfs_devpts_ops;
	out->sb = dir->sb;
	if (!strcmp(name, "ptmx")) {
		out->kind = INO_PTMX;
		out->mode = S_IFCHR;
		return 0;
	}
	i = strtol(name, &end, 10);
	if (*end || end == name || i < 0 || i >= DEVPTS_MAX || (name[0] == '0' && name[1]) ||
	    !dp_of(dir->sb)->pty[i])
		return -ENOENT;
	out->kind = INO_PTS0 + (int)i;
	out->mode = S_IFCHR | 0600;
	return 0;
}

static void base_stat(const struct vfs_sb *sb, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = sb->dev;
	st->st_nlink = 1;
	st->st_blksize = 1024;
}

void devpts_slave_stat(const struct tty *t, struct stat *st)
{
	base_stat(t->sb, st);
	st->st_ino = INO_PTS0 + (t->index < 0 ? 0 : t->index);
	st->st_mode = S_IFCHR | t->mode;
	st->st_uid = t->uid;
	st->st_gid = t->gid;
	st->st_rdev = makedev(PTS_MAJOR, t->index < 0 ? 0 : t->index);
	st->st_atim = t->atime;
	st->st_mtim = t->mtime;
	st->st_ctim = t->ctime;
}

static int devpts_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	struct tty *t = node_tty(n);

	if (t) {
		devpts_slave_stat(t, st);
		return 0;
	}
	base_stat(n->sb, st);
	st->st_ino = n->kind;
	st->st_mode = n->mode;
	if (n->kind == INO_ROOT)
		st->st_nlink = 2;
	if (n->kind == INO_PTMX)
		st->st_rdev = makedev(5, 2);
	return 0;
}

static int open_root(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		     struct vfs_file **out)
{
	struct devpts *dp = dp_of(n->sb);
	struct vfs_dirent *ents = calloc(DEVPTS_MAX + 3, sizeof(*ents));
	struct stat st;
	int k = 0;

	if (!ents)
		return -ENOMEM;
	devpts_stat(c, n, &st);
	ents[k++] = (struct vfs_dirent){INO_ROOT, DT_DIR, "."};
	ents[k++] = (struct vfs_dirent){INO_ROOT, DT_DIR, ".."};
	ents[k++] = (struct vfs_dirent){INO_PTMX, DT_CHR, "ptmx"};
	for (int i = 0; i < DEVPTS_MAX; i++) {
		if (!dp->pty[i])
			continue;
		ents[k] = (struct vfs_dirent){INO_PTS0 + i, DT_CHR, ""};
		snprintf(ents[k++].name, sizeof(ents[0].name), "%d", i);
	}
	return vfs_dirfile(ents, k, &st, flags, canon, out);
}

int vfs_devpts_ptmx(struct vfs_caller *c, struct vfs_sb *sb, int flags, const char *path,
		   const struct stat *st, struct vfs_file **out)
{
	struct devpts *dp = dp_of(sb);
	int i = 0;

	while (i < DEVPTS_MAX && dp->pty[i])
		i++;
	if (i == DEVPTS_MAX)
		return -ENOSPC; /* devpts_new_index */
	struct tty *t = tty_alloc(c->ns, sb, i, c->cred ? c->cred->fsuid : 0,
				  c->cred ? c->cred->fsgid : 0);
	if (!t)
		return -ENOMEM;
	int err = pty_master_new(t, flags, path, st, out);
	if (!err)
		dp->pty[i] = t;
	tty_put(t);
	return err;
}

void devpts_forget(struct tty *t)
{
	if (t->index >= 0 && t->sb && dp_of(t->sb)->pty[t->index] == t)
		dp_of(t->sb)->pty[t->index] = NULL;
}

static int devpts_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		       struct vfs_file **out)
{
	struct tty *t = node_tty(n);
	struct stat st;

	if (n->kind == INO_ROOT)
		return open_root(c, n, canon, flags, out);
	if (n->kind == INO_PTMX) {
		devpts_stat(c, n, &st);
		return vfs_devpts_ptmx(c, n->sb, flags, canon, &st, out);
	}
	return t ? pty_slave_open(t, flags, canon, out) : -EIO;
}

static int devpts_setattr(struct vfs_caller *c, const struct vfs_node *n, const struct vfs_attr *a)
{
	struct tty *t = node_tty(n);

	if (!t)
		return -EPERM;
	return tty_setattr(t, a);
}

static int devpts_statfs(const struct vfs_node *n, struct statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = DEVPTS_MAGIC;
	sf->f_bsize = 4096;
	sf->f_namelen = NAME_MAX;
	sf->f_frsize = 4096;
	return 0;
}

static void devpts_release(struct vfs_node *n)
{
}

static void devpts_kill_sb(struct vfs_sb *sb)
{
	free(sb->priv);
	sb->priv = NULL;
}

const struct vfs_fs_ops vfs_devpts_ops = {
	.name = "devpts",
	.root = devpts_root,
	.lookup = devpts_lookup,
	.stat = devpts_stat,
	.open = devpts_open,
	.setattr = devpts_setattr,
	.statfs = devpts_statfs,
	.release = devpts_release,
	.kill_sb = devpts_kill_sb,
	.fixed_names = true,
};

int vfs_devpts_sb(struct vfs_ns *ns, struct vfs_sb **out)
{
	struct devpts *dp = calloc(1, sizeof(*dp));
	struct vfs_sb *sb = dp ? vfs_sb_alloc(&vfs_devpts_ops, dp, false) : NULL;

	if (!sb) {
		free(dp);
		return -ENOMEM;
	}
	sb->dev = vfs_anon_dev(ns);
	*out = sb;
	return 0;
}
