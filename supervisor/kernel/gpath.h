/*
 * Guest paths: a path argument copied in from guest memory, and the
 * directory a *at call starts from.  Shared by the calls that name paths
 * (sys_open.c, sys_stat.c, sys_cwd.c, sys_xattr.c, sys_fs.c).
 */
#pragma once

struct task;
struct vfs_file;

/* A guest path into buf[PATH_MAX]: 0, -EFAULT or -ENAMETOOLONG. */
int gpath_get(struct task *t, char *buf, unsigned long upath);
/*
 * The directory a *at call starts from: NULL for AT_FDCWD or an absolute
 * path (Linux ignores dirfd then), else the dirfd's file or -EBADF.
 */
int gpath_at_dir(struct task *t, int dirfd, const char *path, struct vfs_file **dir);
/* Copy a path (gpath_get) and resolve its dirfd (gpath_at_dir) in one go. */
int gpath_at(struct task *t, int dirfd, unsigned long upath, char *path, struct vfs_file **dir);
