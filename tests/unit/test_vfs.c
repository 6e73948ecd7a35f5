/*
 * The VFS walk and the three filesystems, on a scratch tree mounted as the
 * guest's root (vfs_ns_init_root): ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG,
 * ".." at the root, trailing slashes, symlinks (relative, absolute, loops,
 * escapes), EROFS and its precedence, reading, getdents, devfs and procfs.
 * A hand-made task (PID 1) stands in for a guest; nothing is traced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdkinds.h"
#include "fdtable.h"
#include "repath.h"
#include "suites.h"
#include "task.h"
#include "vfs.h"

struct env {
	struct kernel k;
	struct task t;
	struct tgroup tg;
	char root[64];
};

static void put_file(const char *root, const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static void put_link(const char *root, const char *rel, const char *target)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

static void put_dir(const char *root, const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ck_assert_int_eq(mkdir(p, 0755), 0);
}

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	ck_assert_ptr_nonnull(e);
	strcpy(e->root, "/tmp/uos-vfs-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(e->root));
	put_dir(e->root, "dir");
	put_dir(e->root, "dir/sub");
	put_file(e->root, "dir/hello", "hello world\n");
	put_file(e->root, "dir/sub/deep", "deep\n");
	put_link(e->root, "rel", "dir/hello");
	put_link(e->root, "abs", "/dir/hello");
	put_link(e->root, "dirlink", "dir");
	put_link(e->root, "loop1", "loop2");
	put_link(e->root, "loop2", "loop1");
	put_link(e->root, "escape", "../../../../dir/hello");
	put_link(e->root, "dangling", "nowhere");
	put_link(e->root, "dir/up", "../dir/sub");

	ck_assert_int_eq(vfs_ns_init_root(&e->k.memcg, e->root, &procfs_ops, &e->k.vfs), 0);
	e->t.k = &e->k;
	e->t.tg = &e->tg;
	e->t.tid = 1;
	e->tg.pid = e->tg.pgid = e->tg.sid = 1;
	e->tg.nr_threads = 1;
	e->tg.cred.cap_eff = e->tg.cred.cap_prm = e->tg.cred.cap_bnd = CREDS_CAP_FULL; /* root's */
	e->tg.fs.cwd = strdup("/");
	e->tg.fdt = fdt_alloc();
	e->tg.rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	strcpy(e->tg.comm, "test");
	task_caller_init(&e->t);
	repath_init(&e->k);
	e->k.tasks = &e->t;
	e->k.nr_tasks = 1;
	e->k.procs = &e->tg;
	return e;
}

static void env_free(struct env *e)
{
	char cmd[128];
	fdt_put(e->tg.fdt);
	vfs_ns_fini(e->k.vfs);
	free(e->tg.fs.cwd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->root);
	ck_assert_int_eq(system(cmd), 0);
	free(e);
}

/* Open path and return its error (0) with the file closed, or -errno. */
static int try_open(struct env *e, const char *path, int flags)
{
	struct vfs_file *f;
	int err = vfs_open(&e->t.vc, NULL, path, flags, 0644, &f);
	if (!err)
		vfs_file_put(f);
	return err;
}

/* Open path read-only and check its canonical path and first bytes. */
static void check_read(struct env *e, const char *path, const char *canon, const char *text)
{
	struct vfs_file *f;
	char buf[64] = {0};

	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, path, O_RDONLY, 0, &f), 0);
	ck_assert_str_eq(f->path, canon);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf) - 1, 0), (long)strlen(text));
	ck_assert_str_eq(buf, text);
	vfs_file_put(f);
}

START_TEST(read_file)
{
	struct env *e = env_new();
	check_read(e, "/dir/hello", "/dir/hello", "hello world\n");
	check_read(e, "dir/sub/deep", "/dir/sub/deep", "deep\n");
	check_read(e, "//dir///hello", "/dir/hello", "hello world\n");
	env_free(e);
}
END_TEST

START_TEST(walk_errors)
{
	struct env *e = env_new();
	char longname[300], longpath[4200];

	ck_assert_int_eq(try_open(e, "nope", O_RDONLY), -ENOENT);
	ck_assert_int_eq(try_open(e, "dir/nope/x", O_RDONLY), -ENOENT);
	ck_assert_int_eq(try_open(e, "", O_RDONLY), -ENOENT);
	ck_assert_int_eq(try_open(e, "dir/hello/x", O_RDONLY), -ENOTDIR);
	ck_assert_int_eq(try_open(e, "dir/hello/", O_RDONLY), -ENOTDIR);
	ck_assert_int_eq(try_open(e, "dir/hello", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	ck_assert_int_eq(try_open(e, "loop1", O_RDONLY), -ELOOP);
	ck_assert_int_eq(try_open(e, "loop1/x", O_RDONLY), -ELOOP);
	ck_assert_int_eq(try_open(e, "rel", O_RDONLY | O_NOFOLLOW), -ELOOP);
	ck_assert_int_eq(try_open(e, "dangling", O_RDONLY), -ENOENT);
	memset(longname, 'a', 256);
	longname[256] = '\0';
	ck_assert_int_eq(try_open(e, longname, O_RDONLY), -ENAMETOOLONG);
	memset(longpath, '/', 4096);
	longpath[4096] = '\0';
	ck_assert_int_eq(try_open(e, longpath, O_RDONLY), -ENAMETOOLONG);
	longpath[4095] = '\0';
	ck_assert_int_eq(try_open(e, longpath, O_RDONLY), 0);
	env_free(e);
}
END_TEST

START_TEST(dotdot_and_symlinks)
{
	struct env *e = env_new();

	check_read(e, "/../../dir/hello", "/dir/hello", "hello world\n");
	check_read(e, "dir/sub/../hello", "/dir/hello", "hello world\n");
	check_read(e, "dir/./sub/./../hello", "/dir/hello", "hello world\n");
	check_read(e, "rel", "/dir/hello", "hello world\n");
	check_read(e, "abs", "/dir/hello", "hello world\n");
	check_read(e, "escape", "/dir/hello", "hello world\n");
	check_read(e, "dirlink/hello", "/dir/hello", "hello world\n");
	/* ".." after a symlink is taken on the resolved path. */
	check_read(e, "dir/up/../hello", "/dir/hello", "hello world\n");
	check_read(e, "dirlink/sub/deep", "/dir/sub/deep", "deep\n");
	ck_assert_int_eq(try_open(e, "dirlink/", O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(try_open(e, "rel/", O_RDONLY), -ENOTDIR);

	struct stat st;
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "rel", AT_SYMLINK_NOFOLLOW, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "rel", 0, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 12);
	char buf[64];
	ck_assert_int_eq(vfs_readlink(&e->t.vc, NULL, "abs", buf, sizeof(buf)), 10);
	ck_assert_int_eq(memcmp(buf, "/dir/hello", 10), 0);
	ck_assert_int_eq(vfs_readlink(&e->t.vc, NULL, "dir", buf, sizeof(buf)), -EINVAL);
	env_free(e);
}
END_TEST

START_TEST(cwd_and_dirfd)
{
	struct env *e = env_new();
	struct vfs_file *d;

	ck_assert_int_eq(vfs_chdir(&e->t.vc, NULL, "dirlink/sub"), 0);
	ck_assert_str_eq(e->tg.fs.cwd, "/dir/sub");
	check_read(e, "deep", "/dir/sub/deep", "deep\n");
	check_read(e, "../hello", "/dir/hello", "hello world\n");
	ck_assert_int_eq(vfs_chdir(&e->t.vc, NULL, "deep"), -ENOTDIR);
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dir", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	struct vfs_file *f;
	ck_assert_int_eq(vfs_open(&e->t.vc, d, "hello", O_RDONLY, 0, &f), 0);
	ck_assert_str_eq(f->path, "/dir/hello");
	/* A relative path on a non-directory dirfd is ENOTDIR. */
	struct vfs_file *g;
	ck_assert_int_eq(vfs_open(&e->t.vc, f, "x", O_RDONLY, 0, &g), -ENOTDIR);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_fchdir(&e->t.vc, d), 0);
	ck_assert_str_eq(e->tg.fs.cwd, "/dir");
	vfs_file_put(d);
	env_free(e);
}
END_TEST

START_TEST(readonly)
{
	struct env *e = env_new();

	ck_assert_int_eq(try_open(e, "newfile", O_CREAT | O_WRONLY), -EROFS);
	ck_assert_int_eq(try_open(e, "newfile", O_CREAT | O_RDONLY), -EROFS);
	ck_assert_int_eq(try_open(e, "nope/newfile", O_CREAT | O_WRONLY), -ENOENT);
	ck_assert_int_eq(try_open(e, "newfile/", O_CREAT | O_RDONLY), -EISDIR);
	ck_assert_int_eq(try_open(e, "dir/hello", O_CREAT | O_RDONLY), 0);
	ck_assert_int_eq(try_open(e, "dir/hello", O_CREAT | O_EXCL | O_RDONLY), -EEXIST);
	ck_assert_int_eq(try_open(e, "dir/hello", O_WRONLY), -EROFS);
	ck_assert_int_eq(try_open(e, "dir/hello", O_RDWR), -EROFS);
	ck_assert_int_eq(try_open(e, "dir/hello", O_RDONLY | O_TRUNC), -EROFS);
	ck_assert_int_eq(try_open(e, "dir", O_WRONLY), -EISDIR);
	ck_assert_int_eq(try_open(e, "dir", O_RDONLY | O_CREAT), -EISDIR);
	ck_assert_int_eq(try_open(e, "dangling", O_CREAT | O_WRONLY), -EROFS);

	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "dir", 0755), -EEXIST);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "newd", 0755), -EROFS);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "nope/newd", 0755), -ENOENT);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "dir/hello/x", 0755), -ENOTDIR);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, ".", 0755), -EEXIST);
	ck_assert_int_eq(vfs_unlink(&e->t.vc, NULL, "nope"), -EROFS);
	ck_assert_int_eq(vfs_unlink(&e->t.vc, NULL, "."), -EISDIR);
	ck_assert_int_eq(vfs_rmdir(&e->t.vc, NULL, "."), -EINVAL);
	ck_assert_int_eq(vfs_rmdir(&e->t.vc, NULL, ".."), -ENOTEMPTY);
	struct vfs_xattr_req xset = {.op = VFS_XSET, .name = "user.x", .buf = "v", .size = 1};
	ck_assert_int_eq(vfs_xattr_path(&e->t.vc, NULL, "nope", 0, &xset), -ENOENT);
	ck_assert_int_eq(vfs_xattr_path(&e->t.vc, NULL, "dir/hello", 0, &xset), -EROFS);
	struct vfs_setreq trunc = {.op = VFS_SET_SIZE, .size = 0};
	ck_assert_int_eq(vfs_setattr_path(&e->t.vc, NULL, "dir", 0, &trunc), -EISDIR);
	ck_assert_int_eq(vfs_setattr_path(&e->t.vc, NULL, "rel", 0, &trunc), -EROFS);
	ck_assert_int_eq(vfs_access(&e->t.vc, NULL, "dir/hello", W_OK, 0), -EROFS);
	ck_assert_int_eq(vfs_access(&e->t.vc, NULL, "dir/hello", R_OK, 0), 0);
	ck_assert_int_eq(vfs_access(&e->t.vc, NULL, "dir/hello", X_OK, 0), -EACCES);
	ck_assert_int_eq(vfs_access(&e->t.vc, NULL, "dir", X_OK, 0), 0);
	env_free(e);
}
END_TEST

/* Does a getdents64 listing of path contain name? */
static bool lists(struct env *e, const char *path, const char *name)
{
	struct vfs_file *f;
	char buf[4096];
	bool found = false;
	long n;

	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, path, O_RDONLY | O_DIRECTORY, 0, &f), 0);
	while ((n = vfs_getdents(f, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(buf + off);
			if (!strcmp(d->name, name))
				found = true;
			off += d->reclen;
		}
	}
	ck_assert_int_eq(n, 0);
	vfs_file_put(f);
	return found;
}

START_TEST(getdents)
{
	struct env *e = env_new();

	ck_assert(lists(e, "/dir", "hello"));
	ck_assert(lists(e, "/dir", "sub"));
	ck_assert(lists(e, "/dir", ".."));
	ck_assert(!lists(e, "/dir", "deep"));
	ck_assert(lists(e, "/dev", "null"));
	ck_assert(lists(e, "/dev", "stdin"));
	ck_assert(lists(e, "/proc", "self"));
	ck_assert(lists(e, "/proc", "1"));
	ck_assert(lists(e, "/proc/self", "maps"));
	ck_assert(lists(e, "/proc/1/task", "1"));
	struct vfs_file *f;
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dir/hello", O_RDONLY, 0, &f), 0);
	char buf[256];
	ck_assert_int_eq(vfs_getdents(f, buf, sizeof(buf)), -ENOTDIR);
	vfs_file_put(f);
	env_free(e);
}
END_TEST

START_TEST(devfs)
{
	struct env *e = env_new();
	struct vfs_file *f;
	char buf[16];

	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0, &f),
			 0);
	ck_assert_int_eq(vfs_write(f, "abc", 3, 0), 3);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf), 0), 0);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dev/zero", O_RDWR, 0, &f), 0);
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf), 0), 16);
	ck_assert_int_eq(buf[0] | buf[15], 0);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dev/full", O_WRONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_write(f, "abc", 3, 0), -ENOSPC);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dev/urandom", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf), 0), 16);
	vfs_file_put(f);
	ck_assert_int_eq(try_open(e, "/dev/nope", O_RDONLY), -ENOENT);
	ck_assert_int_eq(try_open(e, "/dev/newfile", O_CREAT | O_WRONLY), -EROFS);
	struct stat st;
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/dev/null", 0, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/dev/../dir", 0, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	env_free(e);
}
END_TEST

START_TEST(procfs)
{
	struct env *e = env_new();
	struct vfs_file *f, *g;
	char buf[512] = {0};

	ck_assert_int_eq(vfs_readlink(&e->t.vc, NULL, "/proc/self", buf, sizeof(buf)), 1);
	ck_assert_int_eq(buf[0], '1');
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dir/hello", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(fdt_install(e->tg.fdt, f, 0, 1024, false), 0);
	long n = vfs_readlink(&e->t.vc, NULL, "/proc/self/fd/0", buf, sizeof(buf));
	ck_assert_int_eq(n, 10);
	/* /dev/stdin -> /proc/self/fd/0 -> /dir/hello, all inside the guest's world. */
	check_read(e, "/dev/stdin", "/dir/hello", "hello world\n");
	ck_assert_int_eq(try_open(e, "/proc/self/fd/1", O_RDONLY), -ENOENT);
	ck_assert_int_eq(try_open(e, "/proc/2", O_RDONLY), -ENOENT);
	ck_assert_int_eq(try_open(e, "/proc/self/nope", O_RDONLY), -ENOENT);
	/* procfs is on a writable mount: root opens its files for writing, as in Linux. */
	ck_assert_int_eq(try_open(e, "/proc/self/maps", O_WRONLY), 0);
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/proc/self/status", O_RDONLY, 0, &g), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_gt(vfs_read(g, buf, sizeof(buf) - 1, 0), 0);
	ck_assert_ptr_nonnull(strstr(buf, "Name:\ttest\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nPid:\t1\n"));
	vfs_file_put(g);
	ck_assert_int_eq(vfs_readlink(&e->t.vc, NULL, "/proc/thread-self", buf, sizeof(buf)), 8);
	ck_assert_int_eq(memcmp(buf, "1/task/1", 8), 0);
	ck_assert_int_eq(vfs_readlink(&e->t.vc, NULL, "/proc/1/cwd", buf, sizeof(buf)), 1);
	env_free(e);
}
END_TEST

START_TEST(magic_link_shares_file)
{
	struct env *e = env_new();
	struct vfs_file *p, *f;
	int fds[2];

	/* A file with no walkable path (like a pipe) is reached through its fd link. */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(vfs_stdio(fds[0], &p), 0);
	ck_assert_int_eq(fdt_install(e->tg.fdt, p, 0, 1024, false), 0);
	ck_assert_int_eq(write(fds[1], "hi", 2), 2);
	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/dev/stdin", O_RDONLY, 0, &f), 0);
	char buf[8];
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf), 0), 2);
	struct stat st;
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/proc/self/fd/0", 0, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	vfs_file_put(f);
	close(fds[0]);
	close(fds[1]);
	env_free(e);
}
END_TEST

/* The same tree as the lower layer of the default overlay, with a tmpfs at /t. */
static struct env *env_overlay(void)
{
	struct env *e = env_new();
	struct vfs_config cfg = {0};
	const char *why;

	vfs_ns_fini(e->k.vfs);
	cfg.root_dir = e->root;
	cfg.procfs = &procfs_ops;
	cfg.nmounts = 1;
	cfg.mounts[0] = (struct vfs_mount_cfg){.kind = VFS_CFG_TMPFS, .dst = "/t"};
	ck_assert_int_eq(vfs_ns_init_config(&e->k.memcg, &cfg, &e->k.vfs, &why), 0);
	task_caller_init(&e->t); /* the new namespace */
	repath_init(&e->k);
	return e;
}

static long write_path(struct env *e, const char *path, int flags, const char *text)
{
	struct vfs_file *f;
	int err = vfs_open(&e->t.vc, NULL, path, flags, 0644, &f);

	if (err)
		return err;
	long n = vfs_write(f, text, strlen(text), 0);
	vfs_file_put(f);
	return n;
}

/* The host file under the lower layer, read directly. */
static void check_host(struct env *e, const char *rel, const char *text)
{
	char p[256], buf[64] = "";
	snprintf(p, sizeof(p), "%s/%s", e->root, rel);
	FILE *fp = fopen(p, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	ck_assert_str_eq(buf, text);
}

START_TEST(overlay_copy_up)
{
	struct env *e = env_overlay();
	struct stat before, after;

	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/dir/hello", 0, &before), 0);
	ck_assert_int_eq(write_path(e, "/dir/hello", O_WRONLY | O_TRUNC, "changed\n"), 8);
	check_read(e, "/dir/hello", "/dir/hello", "changed\n");
	check_read(e, "/rel", "/dir/hello", "changed\n");
	check_host(e, "dir/hello", "hello world\n");
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/dir/hello", 0, &after), 0);
	ck_assert_uint_eq(before.st_ino, after.st_ino);
	ck_assert_int_eq(after.st_size, 8);
	struct vfs_setreq r = {.op = VFS_SET_MODE, .mode = 0600};
	ck_assert_int_eq(vfs_setattr_path(&e->t.vc, NULL, "/dir/sub/deep", 0, &r), 0);
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/dir/sub/deep", 0, &after), 0);
	ck_assert_uint_eq(after.st_mode & 07777, 0600);
	check_read(e, "/dir/sub/deep", "/dir/sub/deep", "deep\n");
	env_free(e);
}
END_TEST

START_TEST(overlay_whiteout_and_opaque)
{
	struct env *e = env_overlay();
	struct stat st;

	ck_assert_int_eq(vfs_unlink(&e->t.vc, NULL, "/dir/hello"), 0);
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/dir/hello", 0, &st), -ENOENT);
	ck_assert(!lists(e, "/dir", "hello"));
	ck_assert(lists(e, "/dir", "sub"));
	check_host(e, "dir/hello", "hello world\n");
	ck_assert_int_eq(vfs_rmdir(&e->t.vc, NULL, "/dir/sub"), -ENOTEMPTY);
	ck_assert_int_eq(vfs_unlink(&e->t.vc, NULL, "/dir/sub/deep"), 0);
	ck_assert_int_eq(vfs_rmdir(&e->t.vc, NULL, "/dir/sub"), 0);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "/dir/sub", 0755), 0);
	ck_assert(!lists(e, "/dir/sub", "deep"));
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/dir/sub/deep", 0, &st), -ENOENT);
	ck_assert_int_eq(write_path(e, "/dir/hello", O_CREAT | O_EXCL | O_WRONLY, "new\n"), 4);
	check_read(e, "/dir/hello", "/dir/hello", "new\n");
	check_host(e, "dir/sub/deep", "deep\n");
	env_free(e);
}
END_TEST

START_TEST(overlay_rename)
{
	struct env *e = env_overlay();

	/* A directory with a lower part cannot move: EXDEV, as Linux overlayfs. */
	ck_assert_int_eq(vfs_rename(&e->t.vc, NULL, "/dir", NULL, "/dir2", 0), -EXDEV);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "/new", 0755), 0);
	ck_assert_int_eq(vfs_rename(&e->t.vc, NULL, "/new", NULL, "/new2", 0), 0);
	ck_assert_int_eq(vfs_rename(&e->t.vc, NULL, "/dir/hello", NULL, "/new2/h", 0), 0);
	check_read(e, "/new2/h", "/new2/h", "hello world\n");
	ck_assert(!lists(e, "/dir", "hello"));
	ck_assert_int_eq(vfs_rename(&e->t.vc, NULL, "/new2/h", NULL, "/t/h", 0), -EXDEV);
	check_host(e, "dir/hello", "hello world\n");
	env_free(e);
}
END_TEST

START_TEST(tmpfs_unlinked_open_file)
{
	struct env *e = env_overlay();
	struct vfs_file *f;
	struct stat st;
	char buf[16] = "";

	ck_assert_int_eq(vfs_open(&e->t.vc, NULL, "/t/x", O_CREAT | O_RDWR, 0600, &f), 0);
	ck_assert_int_eq(vfs_write(f, "abc", 3, 0), 3);
	ck_assert_int_eq(vfs_unlink(&e->t.vc, NULL, "/t/x"), 0);
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/t/x", 0, &st), -ENOENT);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf), 0), 3);
	ck_assert_int_eq(vfs_fstat(f, &st), 0);
	ck_assert_int_eq(st.st_nlink, 0);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "/t/d", 0755), 0);
	ck_assert_int_eq(vfs_mkdir(&e->t.vc, NULL, "/t/d/e", 0755), 0);
	ck_assert_int_eq(vfs_rmdir(&e->t.vc, NULL, "/t/d"), -ENOTEMPTY);
	ck_assert_int_eq(vfs_stat(&e->t.vc, NULL, "/t/d", 0, &st), 0);
	ck_assert_int_eq(st.st_nlink, 3);
	env_free(e);
}
END_TEST

Suite *vfs_suite(void)
{
	Suite *s = suite_create("vfs");
	TCase *tc = tcase_create("walk");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, read_file);
	tcase_add_test(tc, walk_errors);
	tcase_add_test(tc, dotdot_and_symlinks);
	tcase_add_test(tc, cwd_and_dirfd);
	tcase_add_test(tc, readonly);
	tcase_add_test(tc, getdents);
	tcase_add_test(tc, devfs);
	tcase_add_test(tc, procfs);
	tcase_add_test(tc, magic_link_shares_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("overlay");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, overlay_copy_up);
	tcase_add_test(tc, overlay_whiteout_and_opaque);
	tcase_add_test(tc, overlay_rename);
	tcase_add_test(tc, tmpfs_unlinked_open_file);
	suite_add_tcase(s, tc);
	return s;
}
