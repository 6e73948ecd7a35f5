/*
 * imgfs, the ext2 library, on images made by mke2fs -t ext2 (1, 2 and 4 KiB
 * blocks, some populated with -d from a tree built here): reading files,
 * directories and symlinks; writing, creating, linking, renaming and
 * removing; sparse, large and triple-indirect files; truncation; ENOSPC;
 * refusal of unsupported and corrupt images; a fixed-seed fuzz of the
 * reader.  After every test that writes, e2fsck -fn must find the image
 * clean, and debugfs is the independent reader of contents.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdtable.h"
#include "imgfs/imgfs.h"
#include "vfs_imgfs.h"
#include "repath.h"
#include "suites.h"
#include "task.h"
#include "vfs.h"
#include "vfs_impl.h"

struct img {
	char dir[64];	/* scratch directory */
	char path[96];	/* the image */
	char tree[96];	/* the source tree for mke2fs -d */
	int fd;
	struct imgfs *fs;
};

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ck_assert_msg(system(cmd) == 0, "command failed: %s", cmd);
}

static void put(const char *tree, const char *rel, const char *text)
{
	char p[256];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", tree, rel);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* The tree mke2fs -d copies: files, a subdirectory, short and long symlinks, a big file. */
static void build_tree(const char *tree)
{
	char p[256], target[200];
	FILE *fp;

	sh("mkdir -p %s/sub/deeper", tree);
	put(tree, "hello.txt", "hello, ext2\n");
	put(tree, "sub/b.txt", "bee\n");
	put(tree, "sub/deeper/c.txt", "sea\n");
	snprintf(p, sizeof(p), "%s/short", tree);
	ck_assert_int_eq(symlink("hello.txt", p), 0);
	memset(target, 'x', sizeof(target) - 1);
	target[sizeof(target) - 1] = 0;
	snprintf(p, sizeof(p), "%s/long", tree);
	ck_assert_int_eq(symlink(target, p), 0);
	snprintf(p, sizeof(p), "%s/big", tree);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	for (int i = 0; i < 300000; i++)
		fputc('a' + i % 23, fp);
	fclose(fp);
}

/* A fresh image of size (mke2fs syntax) with block size bs, from a tree when tree. */
static struct img *img_new(int bs, const char *size, bool tree)
{
	struct img *m = calloc(1, sizeof(*m));

	ck_assert_ptr_nonnull(m);
	strcpy(m->dir, "/tmp/uos-imgfs-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(m->dir));
	snprintf(m->path, sizeof(m->path), "%s/img", m->dir);
	snprintf(m->tree, sizeof(m->tree), "%s/tree", m->dir);
	if (tree)
		build_tree(m->tree);
	sh("mke2fs -q -F -t ext2 -b %d %s%s %s %s >/dev/null 2>&1", bs, tree ? "-d " : "",
	   tree ? m->tree : "", m->path, size);
	m->fd = -1;
	return m;
}

static void img_mount(struct img *m, bool writable)
{
	char why[200] = "";
	int err;

	m->fd = open(m->path, writable ? O_RDWR : O_RDONLY);
	ck_assert_int_ge(m->fd, 0);
	err = imgfs_mount(m->fd, writable, &m->fs, why, sizeof(why));
	ck_assert_msg(err == 0, "mount: %d %s", err, why);
}

static void img_umount(struct img *m)
{
	ck_assert_int_eq(imgfs_unmount(m->fs), 0);
	close(m->fd);
	m->fs = NULL;
}

/* e2fsck -fn must find the image clean. */
static void img_fsck(struct img *m)
{
	sh("e2fsck -fn %s >%s/fsck.log 2>&1 || { cat %s/fsck.log; false; }", m->path, m->dir,
	   m->dir);
}

static void img_free(struct img *m)
{
	if (m->fs)
		img_umount(m);
	sh("rm -rf %s", m->dir);
	free(m);
}

/* What debugfs -R "cat path" prints, into buf. */
static size_t debugfs_cat(struct img *m, const char *path, char *buf, size_t size)
{
	char cmd[512];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'cat %s' %s 2>/dev/null", path, m->path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(buf, 1, size - 1, p);
	buf[n] = 0;
	pclose(p);
	return n;
}

static uint32_t ino_of(struct img *m, const char *path)
{
	uint32_t ino = 0;

	ck_assert_int_eq(imgfs_namei(m->fs, path, &ino), 0);
	return ino;
}

static void check_text(struct img *m, const char *path, const char *text)
{
	char buf[256] = {0};

	ck_assert_int_eq(imgfs_read(m->fs, ino_of(m, path), buf, sizeof(buf) - 1, 0),
			 (long)strlen(text));
	ck_assert_str_eq(buf, text);
}

struct names {
	char list[1024];
	int n;
};

static int collect(void *ctx, const char *name, size_t len, uint32_t ino, unsigned char dt,
		   uint64_t next)
{
	struct names *ns = ctx;

	strncat(ns->list, name, len);
	strcat(ns->list, " ");
	ns->n++;
	return 0;
}

static const int block_sizes[] = {1024, 2048, 4096};

START_TEST(read_tree)
{
	struct img *m = img_new(block_sizes[_i], "4M", true);
	struct names ns = {{0}};
	uint64_t pos = 0;
	struct stat st;
	char buf[256];
	char *big = malloc(300000);

	img_mount(m, false);
	check_text(m, "/hello.txt", "hello, ext2\n");
	check_text(m, "/sub/deeper/c.txt", "sea\n");
	ck_assert_int_eq(imgfs_readlink(m->fs, ino_of(m, "/short"), buf, sizeof(buf)), 9);
	ck_assert_int_eq(memcmp(buf, "hello.txt", 9), 0);
	ck_assert_int_eq(imgfs_readlink(m->fs, ino_of(m, "/long"), buf, sizeof(buf)), 199);
	ck_assert_int_eq(buf[198], 'x');
	ck_assert_int_eq(imgfs_read(m->fs, ino_of(m, "/big"), big, 300000, 0), 300000);
	for (int i = 0; i < 300000; i++)
		ck_assert_int_eq(big[i], 'a' + i % 23);
	ck_assert_int_eq(imgfs_getattr(m->fs, ino_of(m, "/sub"), &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_nlink, 3);
	ck_assert_int_eq(imgfs_readdir(m->fs, IMGFS_ROOT_INO, &pos, collect, &ns), 0);
	ck_assert_ptr_nonnull(strstr(ns.list, ". .. lost+found "));
	ck_assert_ptr_nonnull(strstr(ns.list, "hello.txt"));
	ck_assert_int_eq(imgfs_lookup(m->fs, IMGFS_ROOT_INO, "nope", &(uint32_t){0}), -ENOENT);
	ck_assert_int_eq(imgfs_lookup(m->fs, ino_of(m, "/hello.txt"), "x", &(uint32_t){0}),
			 -ENOTDIR);
	ck_assert_int_eq(imgfs_write(m->fs, ino_of(m, "/hello.txt"), "x", 1, 0), -EROFS);
	free(big);
	img_free(m);
}
END_TEST

START_TEST(write_and_create)
{
	struct img *m = img_new(block_sizes[_i], "8M", true);
	char buf[4096];
	uint32_t ino, d;

	img_mount(m, true);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "new.txt", S_IFREG | 0640, 0, 1000,
				      100, &ino), 0);
	ck_assert_int_eq(imgfs_write(m->fs, ino, "fresh data\n", 11, 0), 11);
	ck_assert_int_eq(imgfs_write(m->fs, ino_of(m, "/hello.txt"), "HELLO", 5, 0), 5);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "new.txt", S_IFREG | 0640, 0, 0, 0,
				      &ino), -EEXIST);
	ck_assert_int_eq(imgfs_mkdir(m->fs, IMGFS_ROOT_INO, "d", 0755, 0, 0, &d), 0);
	for (int i = 0; i < 200; i++) { /* enough names to need more directory blocks */
		char name[64];

		snprintf(name, sizeof(name), "file-with-a-longish-name-%03d", i);
		ck_assert_int_eq(imgfs_create(m->fs, d, name, S_IFREG | 0644, 0, 0, 0, &ino), 0);
		ck_assert_int_eq(imgfs_write(m->fs, ino, name, strlen(name), 0), (long)strlen(name));
	}
	img_umount(m);
	img_fsck(m);
	debugfs_cat(m, "/new.txt", buf, sizeof(buf));
	ck_assert_str_eq(buf, "fresh data\n");
	debugfs_cat(m, "/hello.txt", buf, sizeof(buf));
	ck_assert_str_eq(buf, "HELLO, ext2\n");
	debugfs_cat(m, "/d/file-with-a-longish-name-199", buf, sizeof(buf));
	ck_assert_str_eq(buf, "file-with-a-longish-name-199");
	img_mount(m, false);
	check_text(m, "/d/file-with-a-longish-name-123", "file-with-a-longish-name-123");
	img_free(m);
}
END_TEST

/*
 * Times a guest sets are clamped to what the inode can hold, as ext4's
 * timestamp_truncate range: [INT32_MIN, 2446-05-10] with nanoseconds in
 * 256-byte inodes, [INT32_MIN, INT32_MAX] in whole seconds in 128-byte ones;
 * LONG_MAX seconds once overflowed while being encoded.
 */
START_TEST(times_clamped)
{
	static const int isize[] = {256, 128};
	static const long long max[] = {15032385535LL, INT32_MAX};
	struct img *m = img_new(1024, "4M", false);
	struct imgfs_attr a = {.mask = IMGFS_ATTR_ATIME | IMGFS_ATTR_MTIME,
			       .atime = {LONG_MAX, 999999999}, .mtime = {LONG_MIN, 5}};
	struct stat st;
	uint32_t ino;

	sh("mke2fs -q -F -t ext2 -I %d %s 4M >/dev/null 2>&1", isize[_i], m->path);
	img_mount(m, true);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "f", S_IFREG | 0644, 0, 0, 0, &ino), 0);
	ck_assert_int_eq(imgfs_setattr(m->fs, ino, &a), 0);
	a.atime = (struct timespec){7, 999999999};
	a.mtime = (struct timespec){-(1LL << 40), 1};
	img_umount(m);
	img_fsck(m);
	img_mount(m, true);
	ck_assert_int_eq(imgfs_getattr(m->fs, ino, &st), 0);
	ck_assert_int_eq(st.st_atim.tv_sec, max[_i]);
	ck_assert_int_eq(st.st_atim.tv_nsec, 0);
	ck_assert_int_eq(st.st_mtim.tv_sec, INT32_MIN);
	ck_assert_int_eq(st.st_mtim.tv_nsec, 0);
	ck_assert_int_eq(imgfs_setattr(m->fs, ino, &a), 0);
	ck_assert_int_eq(imgfs_getattr(m->fs, ino, &st), 0);
	ck_assert_int_eq(st.st_atim.tv_sec, 7);
	ck_assert_int_eq(st.st_atim.tv_nsec, isize[_i] == 256 ? 999999999 : 0);
	ck_assert_int_eq(st.st_mtim.tv_sec, INT32_MIN);
	img_free(m);
}
END_TEST

START_TEST(namespace_ops)
{
	struct img *m = img_new(block_sizes[_i], "4M", true);
	uint32_t a, sub, ino, t;
	struct stat st;
	char buf[64];

	img_mount(m, true);
	sub = ino_of(m, "/sub");
	ck_assert_int_eq(imgfs_mkdir(m->fs, IMGFS_ROOT_INO, "a", 0700, 0, 0, &a), 0);
	ck_assert_int_eq(imgfs_getattr(m->fs, IMGFS_ROOT_INO, &st), 0);
	ck_assert_int_eq(st.st_nlink, 5); /* ., .., lost+found, sub, a */
	ck_assert_int_eq(imgfs_link(m->fs, ino_of(m, "/hello.txt"), a, "hard"), 0);
	ck_assert_int_eq(imgfs_link(m->fs, a, sub, "dirlink"), -EPERM);
	ck_assert_int_eq(imgfs_symlink(m->fs, a, "sl", "../hello.txt", 0, 0, &ino), 0);
	ck_assert_int_eq(imgfs_rmdir(m->fs, IMGFS_ROOT_INO, "a"), -ENOTEMPTY);
	ck_assert_int_eq(imgfs_rmdir(m->fs, a, "hard"), -ENOTDIR);
	ck_assert_int_eq(imgfs_unlink(m->fs, IMGFS_ROOT_INO, "sub"), -EISDIR);
	ck_assert_int_eq(imgfs_unlink(m->fs, IMGFS_ROOT_INO, "missing"), -ENOENT);
	/* rename: a file over a file, a directory across parents, a dir into itself */
	ck_assert_int_eq(imgfs_rename(m->fs, a, "hard", sub, "b.txt", 0), 0);
	ck_assert_int_eq(imgfs_rename(m->fs, IMGFS_ROOT_INO, "sub", a, "moved", 0), 0);
	ck_assert_int_eq(imgfs_rename(m->fs, IMGFS_ROOT_INO, "a", sub, "x", 0), -EINVAL);
	ck_assert_int_eq(imgfs_rename(m->fs, a, "sl", a, "moved", 0), -EISDIR);
	ck_assert_int_eq(imgfs_rename(m->fs, a, "moved", IMGFS_ROOT_INO, "hello.txt", 0),
			 -ENOTDIR);
	ck_assert_int_eq(imgfs_rename(m->fs, a, "sl", IMGFS_ROOT_INO, "hello.txt",
				      IMGFS_RENAME_NOREPLACE), -EEXIST);
	ck_assert_int_eq(imgfs_rename(m->fs, a, "sl", a, "moved", IMGFS_RENAME_EXCHANGE), 0);
	ck_assert_int_eq(imgfs_rename(m->fs, a, "sl", a, "moved", IMGFS_RENAME_EXCHANGE), 0);
	ck_assert_int_eq(imgfs_lookup(m->fs, sub, "..", &t), 0);
	ck_assert_int_eq(t, a);
	check_text(m, "/a/moved/b.txt", "hello, ext2\n");
	ck_assert_int_eq(imgfs_readlink(m->fs, ino_of(m, "/a/sl"), buf, sizeof(buf)), 12);
	/* empty a directory and remove it */
	ck_assert_int_eq(imgfs_unlink(m->fs, ino_of(m, "/a/moved/deeper"), "c.txt"), 0);
	ck_assert_int_eq(imgfs_rmdir(m->fs, sub, "deeper"), 0);
	ck_assert_int_eq(imgfs_unlink(m->fs, sub, "b.txt"), 0);
	ck_assert_int_eq(imgfs_rmdir(m->fs, a, "moved"), 0);
	ck_assert_int_eq(imgfs_create(m->fs, a, "fifo", S_IFIFO | 0600, 0, 0, 0, &ino), 0);
	ck_assert_int_eq(imgfs_create(m->fs, a, "null", S_IFCHR | 0666, makedev(1, 3), 0, 0,
				      &ino), 0);
	ck_assert_int_eq(imgfs_create(m->fs, a, "big", S_IFBLK | 0600, makedev(300, 70000), 0, 0,
				      &ino), 0);
	ck_assert_int_eq(imgfs_getattr(m->fs, ino, &st), 0);
	ck_assert_int_eq(major(st.st_rdev), 300);
	ck_assert_int_eq(minor(st.st_rdev), 70000);
	ck_assert_int_eq(imgfs_create(m->fs, a, "sock", S_IFSOCK | 0600, 0, 0, 0, &ino), 0);
	memset(buf, 'n', sizeof(buf));
	buf[63] = 0;
	ck_assert_int_eq(imgfs_create(m->fs, a, "", S_IFREG, 0, 0, 0, &ino), -ENOENT);
	img_umount(m);
	img_fsck(m);
	sh("debugfs -R 'stat /a/null' %s 2>/dev/null | grep -q 'Device major/minor number: 01:03'",
	   m->path);
	sh("debugfs -R 'cat /a/hard' %s 2>&1 | grep -q 'File not found'", m->path);
	img_free(m);
}
END_TEST

/* Write "mark" at off, then read it back and check the size. */
static void mark_at(struct img *m, uint32_t ino, uint64_t off)
{
	char buf[16];
	char mark[16];

	snprintf(mark, sizeof(mark), "@%llu", (unsigned long long)(off % 1000000007));
	ck_assert_int_eq(imgfs_write(m->fs, ino, mark, strlen(mark), off), (long)strlen(mark));
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(imgfs_read(m->fs, ino, buf, strlen(mark), off), (long)strlen(mark));
	ck_assert_str_eq(buf, mark);
}

START_TEST(sparse_and_large)
{
	struct img *m = img_new(block_sizes[_i], "8M", false);
	uint64_t two_g = 2ull << 30, five_g = 5ull << 30;
	struct stat st;
	char buf[4096], zero[4096] = {0};
	uint32_t ino;

	img_mount(m, true);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "sparse", S_IFREG | 0644, 0, 0, 0,
				      &ino), 0);
	mark_at(m, ino, two_g);
	ck_assert_int_eq(imgfs_read(m->fs, ino, buf, sizeof(buf), 1 << 20), (long)sizeof(buf));
	ck_assert_int_eq(memcmp(buf, zero, sizeof(buf)), 0);
	ck_assert_int_eq(imgfs_mapped(m->fs, ino, 4096), 0);
	ck_assert_int_eq(imgfs_mapped(m->fs, ino, two_g), 1);
	mark_at(m, ino, five_g);
	snprintf(buf, sizeof(buf), "@%llu", (unsigned long long)(five_g % 1000000007));
	ck_assert_int_eq(imgfs_getattr(m->fs, ino, &st), 0);
	ck_assert_int_eq(st.st_size, five_g + strlen(buf));
	ck_assert_int_lt(st.st_blocks, 64);
	img_umount(m);
	img_fsck(m);
	img_free(m);
}
END_TEST

/* Logical block where 1 KiB blocks need the triple indirect block: 12 + 256 + 256^2. */
#define TRIPLE_1K ((12ull + 256 + 65536) * 1024)

START_TEST(triple_indirect_and_truncate)
{
	struct img *m = img_new(1024, "16M", false);
	uint64_t offs[] = {0, 5000, 12 * 1024, 300 * 1024, TRIPLE_1K - 1, TRIPLE_1K,
			   TRIPLE_1K + 70000ull * 1024, 10ull << 30};
	struct statfs before, after;
	struct stat st;
	char buf[64];
	uint32_t ino;

	img_mount(m, true);
	ck_assert_int_eq(imgfs_statfs(m->fs, &before), 0);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "f", S_IFREG | 0644, 0, 0, 0, &ino),
			 0);
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		mark_at(m, ino, offs[i]);
	img_umount(m);
	img_fsck(m);
	sh("debugfs -R 'stat /f' %s 2>/dev/null | grep -q TIND", m->path);
	sh("debugfs -R 'cat /f' %s 2>/dev/null | dd bs=1024 skip=%llu count=1 2>/dev/null | "
	   "grep -q '@%llu'", m->path, TRIPLE_1K / 1024, TRIPLE_1K);
	img_mount(m, true);
	ino = ino_of(m, "/f");
	/* shrink into the double-indirect range: the triple tree must go */
	ck_assert_int_eq(imgfs_truncate(m->fs, ino, TRIPLE_1K - 1 + 2), 0);
	ck_assert_int_eq(imgfs_read(m->fs, ino, buf, sizeof(buf), TRIPLE_1K - 1), 2);
	ck_assert_int_eq(memcmp(buf, "@@", 2), 0); /* the marks at TRIPLE_1K - 1 and at TRIPLE_1K */
	/* grow again: the bytes past the old end read as zeros */
	ck_assert_int_eq(imgfs_truncate(m->fs, ino, TRIPLE_1K + 100), 0);
	ck_assert_int_eq(imgfs_read(m->fs, ino, buf, 8, TRIPLE_1K + 1), 8);
	ck_assert_int_eq(memcmp(buf, "\0\0\0\0\0\0\0\0", 8), 0);
	ck_assert_int_eq(imgfs_truncate(m->fs, ino, 5001), 0);
	ck_assert_int_eq(imgfs_getattr(m->fs, ino, &st), 0);
	ck_assert_int_eq(st.st_blocks, 4); /* blocks 0 and 4 (the marks at 0 and 5000), 1 KiB each */
	img_umount(m);
	img_fsck(m);
	img_mount(m, true);
	ck_assert_int_eq(imgfs_unlink(m->fs, IMGFS_ROOT_INO, "f"), 0);
	ck_assert_int_eq(imgfs_statfs(m->fs, &after), 0);
	ck_assert_int_eq(after.f_bfree, before.f_bfree);
	ck_assert_int_eq(after.f_ffree, before.f_ffree);
	img_umount(m);
	img_fsck(m);
	img_free(m);
}
END_TEST

START_TEST(enospc_stays_consistent)
{
	struct img *m = img_new(1024, "200K", false);
	static char chunk[8192];
	long n, total = 0;
	uint32_t ino, d;
	int i, err = 0;

	memset(chunk, 'z', sizeof(chunk));
	img_mount(m, true);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "fill", S_IFREG | 0644, 0, 0, 0,
				      &ino), 0);
	while ((n = imgfs_write(m->fs, ino, chunk, sizeof(chunk), total)) > 0)
		total += n;
	ck_assert_int_eq(n, -ENOSPC);
	ck_assert_int_gt(total, 100 * 1024);
	for (i = 0; i < 100000 && !err; i++) { /* inodes or directory blocks run out */
		char name[32];

		snprintf(name, sizeof(name), "n%d", i);
		err = imgfs_mkdir(m->fs, IMGFS_ROOT_INO, name, 0755, 0, 0, &d);
	}
	ck_assert_int_eq(err, -ENOSPC);
	img_umount(m);
	img_fsck(m);
	img_mount(m, true);
	ck_assert_int_eq(imgfs_unlink(m->fs, IMGFS_ROOT_INO, "fill"), 0);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "again", S_IFREG | 0644, 0, 0, 0,
				      &ino), 0);
	ck_assert_int_eq(imgfs_write(m->fs, ino, chunk, sizeof(chunk), 0), (long)sizeof(chunk));
	img_umount(m);
	img_fsck(m);
	img_free(m);
}
END_TEST

START_TEST(unlinked_while_pinned)
{
	struct img *m = img_new(4096, "4M", true);
	struct statfs before, after;
	char buf[16] = {0};
	uint32_t ino;

	img_mount(m, true);
	ck_assert_int_eq(imgfs_statfs(m->fs, &before), 0);
	ino = ino_of(m, "/hello.txt");
	ck_assert_int_eq(imgfs_iget(m->fs, ino), 0);
	ck_assert_int_eq(imgfs_unlink(m->fs, IMGFS_ROOT_INO, "hello.txt"), 0);
	ck_assert_int_eq(imgfs_read(m->fs, ino, buf, 5, 0), 5);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_eq(imgfs_statfs(m->fs, &after), 0);
	ck_assert_int_eq(after.f_ffree, before.f_ffree);
	imgfs_iput(m->fs, ino);
	ck_assert_int_eq(imgfs_statfs(m->fs, &after), 0);
	ck_assert_int_eq(after.f_ffree, before.f_ffree + 1);
	ck_assert_int_eq(imgfs_getattr(m->fs, ino, &(struct stat){0}), -ENOENT);
	img_umount(m);
	img_fsck(m);
	img_free(m);
}
END_TEST

struct stopper {
	int seen, stop_after;
	char names[300][16];
};

static int stop_at(void *ctx, const char *name, size_t len, uint32_t ino, unsigned char dt,
		   uint64_t next)
{
	struct stopper *s = ctx;

	if (s->seen == s->stop_after)
		return 1;
	snprintf(s->names[s->seen++], 16, "%.*s", (int)len, name);
	return 0;
}

START_TEST(readdir_cookie_survives_changes)
{
	struct img *m = img_new(1024, "4M", false);
	struct stopper s = {.stop_after = 50};
	uint64_t pos = 0;
	uint32_t d, ino;
	char name[16];
	int i, seen_late = 0;

	img_mount(m, true);
	ck_assert_int_eq(imgfs_mkdir(m->fs, IMGFS_ROOT_INO, "d", 0755, 0, 0, &d), 0);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "f%03d", i);
		ck_assert_int_eq(imgfs_create(m->fs, d, name, S_IFREG, 0, 0, 0, &ino), 0);
	}
	ck_assert_int_eq(imgfs_readdir(m->fs, d, &pos, stop_at, &s), 0);
	ck_assert_int_eq(s.seen, 50);
	/* remove the entries around the cookie, then go on */
	for (i = 40; i < 60; i++) {
		snprintf(name, sizeof(name), "f%03d", i);
		ck_assert_int_eq(imgfs_unlink(m->fs, d, name), 0);
	}
	s.stop_after = 300;
	ck_assert_int_eq(imgfs_readdir(m->fs, d, &pos, stop_at, &s), 0);
	for (i = 50; i < s.seen; i++) {
		ck_assert_str_ne(s.names[i], s.names[0]);
		seen_late += !strcmp(s.names[i], "f199");
	}
	ck_assert_int_eq(seen_late, 1);
	ck_assert_int_eq(s.seen, 50 + 140);
	img_umount(m);
	img_fsck(m);
	img_free(m);
}
END_TEST

/* debugfs, the independent reader, finds want[0, n) in the image's file path, and no more. */
static void dump_is(struct img *m, const char *path, const char *want, size_t n)
{
	char p[128], *got = malloc(n + 1);
	FILE *fp;

	ck_assert_ptr_nonnull(got);
	sh("debugfs -R 'dump %s %s/out' %s >/dev/null 2>&1", path, m->dir, m->path);
	snprintf(p, sizeof(p), "%s/out", m->dir);
	fp = fopen(p, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fread(got, 1, n + 1, fp), n);
	fclose(fp);
	ck_assert_int_eq(memcmp(want, got, n), 0);
	free(got);
}

START_TEST(small_cache_evicts_dirty)
{
	struct img *m = img_new(1024, "8M", false);
	static char data[3 << 20], back[3 << 20];
	uint32_t ino;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 1000);
	img_mount(m, true);
	imgfs_set_cache_limit(m->fs, 64 * 1024);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "f", S_IFREG | 0644, 0, 0, 0, &ino),
			 0);
	ck_assert_int_eq(imgfs_write(m->fs, ino, data, sizeof(data), 0), (long)sizeof(data));
	ck_assert_int_eq(imgfs_read(m->fs, ino, back, sizeof(back), 0), (long)sizeof(back));
	ck_assert_int_eq(memcmp(data, back, sizeof(data)), 0);
	img_umount(m);
	img_fsck(m);
	dump_is(m, "/f", data, sizeof(data));
	img_free(m);
}
END_TEST

/*
 * Writes at random offsets and lengths (whole blocks past the cache, parts
 * through it, runs across indirect blocks), truncations, and a second file
 * removed and made again (its blocks freed and taken back before any
 * flush), with a bound small enough to evict: every read matches a copy
 * kept in memory, and so does the image debugfs reads at the end.
 */
#define RIO_SIZE (2 << 20)
START_TEST(random_io_matches_memory)
{
	struct img *m = img_new(block_sizes[_i], "16M", false);
	static char model[RIO_SIZE], data[256 << 10], back[RIO_SIZE];
	uint64_t size = 0, seed = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
	uint32_t ino, other;

	img_mount(m, true);
	if (_i == 1)
		imgfs_set_cache_limit(m->fs, 64 * 1024);
	ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "f", S_IFREG | 0644, 0, 0, 0, &ino),
			 0);
	for (int op = 0; op < 600; op++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t r = seed >> 16, bs = (uint64_t)block_sizes[_i];
		uint64_t off = r % (RIO_SIZE / 2), len = 1 + (r >> 20) % sizeof(data);

		if (r & 1) { /* whole blocks */
			off -= off % bs;
			len = len < bs ? bs : len - len % bs;
		}
		if (off + len > RIO_SIZE)
			len = RIO_SIZE - off;
		switch (op % 8) {
		case 3: /* read back a range */
			ck_assert_int_eq(imgfs_read(m->fs, ino, back, len, off),
					 off >= size ? 0 : (long)(off + len > size ? size - off : len));
			if (off < size)
				ck_assert_int_eq(memcmp(back, model + off,
							off + len > size ? size - off : len), 0);
			break;
		case 5: /* truncate, down or up */
			if (off < size)
				memset(model + off, 0, size - off);
			size = off;
			ck_assert_int_eq(imgfs_truncate(m->fs, ino, size), 0);
			break;
		case 6: /* another file's blocks freed and taken again */
			if (op > 6)
				ck_assert_int_eq(imgfs_unlink(m->fs, IMGFS_ROOT_INO, "g"), 0);
			ck_assert_int_eq(imgfs_create(m->fs, IMGFS_ROOT_INO, "g", S_IFREG | 0644, 0,
						      0, 0, &other), 0);
			memset(data, 'g', len);
			ck_assert_int_eq(imgfs_write(m->fs, other, data, len, 0), (long)len);
			break;
		default:
			for (uint64_t i = 0; i < len; i++)
				data[i] = (char)(seed >> (i % 56)) + (char)i;
			ck_assert_int_eq(imgfs_write(m->fs, ino, data, len, off), (long)len);
			memcpy(model + off, data, len);
			if (off + len > size)
				size = off + len;
		}
	}
	ck_assert_int_eq(imgfs_read(m->fs, ino, back, RIO_SIZE, 0), (long)size);
	ck_assert_int_eq(memcmp(back, model, size), 0);
	img_umount(m);
	img_fsck(m);
	dump_is(m, "/f", model, size);
	img_free(m);
}
END_TEST

static int try_mount(const char *path, char *why, size_t len)
{
	struct imgfs *fs;
	int fd = open(path, O_RDONLY), err;

	ck_assert_int_ge(fd, 0);
	err = imgfs_mount(fd, true, &fs, why, len);
	if (!err)
		imgfs_unmount(fs);
	close(fd);
	return err;
}

START_TEST(refuses_unsupported)
{
	struct img *m = img_new(1024, "4M", false);
	char why[200];

	sh("mke2fs -q -F -t ext3 %s/j 4M >/dev/null 2>&1", m->dir);
	sh("mke2fs -q -F -t ext4 -O ^has_journal %s/e 4M >/dev/null 2>&1", m->dir);
	sh("head -c 1M /dev/zero > %s/z", m->dir);
	snprintf(m->path, sizeof(m->path), "%s/j", m->dir);
	ck_assert_int_eq(try_mount(m->path, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "journal"));
	snprintf(m->path, sizeof(m->path), "%s/e", m->dir);
	ck_assert_int_eq(try_mount(m->path, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "extents"));
	snprintf(m->path, sizeof(m->path), "%s/z", m->dir);
	ck_assert_int_eq(try_mount(m->path, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "magic"));
	img_free(m);
}
END_TEST

/* Walk a (possibly corrupt) tree: every call may fail, none may crash or loop. */
struct walk {
	struct imgfs *fs;
	int budget;
	uint32_t dirs[64];
	int ndirs;
};

static int fuzz_visit(void *ctx, const char *name, size_t len, uint32_t ino, unsigned char dt,
		      uint64_t next)
{
	struct walk *w = ctx;
	struct stat st;
	char buf[4096];

	if (--w->budget <= 0)
		return 1;
	if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
		return 0;
	if (imgfs_getattr(w->fs, ino, &st))
		return 0;
	if (S_ISDIR(st.st_mode) && w->ndirs < 64)
		w->dirs[w->ndirs++] = ino;
	else if (S_ISLNK(st.st_mode))
		imgfs_readlink(w->fs, ino, buf, sizeof(buf));
	else if (S_ISREG(st.st_mode))
		for (int i = 0; i < 8; i++)
			imgfs_read(w->fs, ino, buf, sizeof(buf), (uint64_t)i * 40000);
	return 0;
}

static void fuzz_walk(struct imgfs *fs)
{
	struct walk w = {.fs = fs, .budget = 2000, .dirs = {IMGFS_ROOT_INO}, .ndirs = 1};
	uint32_t ino;
	int i;

	for (i = 0; i < w.ndirs && w.budget > 0; i++) {
		uint64_t pos = 0;

		imgfs_readdir(fs, w.dirs[i], &pos, fuzz_visit, &w);
	}
	imgfs_namei(fs, "/sub/deeper/c.txt", &ino);
	/* Writes on a corrupt image may fail, never crash. */
	if (!imgfs_create(fs, IMGFS_ROOT_INO, "new", S_IFREG | 0644, 0, 0, 0, &ino))
		imgfs_write(fs, ino, "data", 4, 70000);
	imgfs_mkdir(fs, IMGFS_ROOT_INO, "nd", 0755, 0, 0, &ino);
	imgfs_unlink(fs, IMGFS_ROOT_INO, "big");
	imgfs_rename(fs, IMGFS_ROOT_INO, "sub", IMGFS_ROOT_INO, "nd", 0);
}

START_TEST(fuzz_corrupt_images)
{
	struct img *m = img_new(1024, "1M", true);
	unsigned seed = 20240607;
	char why[200], copy[128];
	struct stat st;
	static char orig[1 << 20];
	int fd, mounted = 0;

	fd = open(m->path, O_RDONLY);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(read(fd, orig, st.st_size), st.st_size);
	close(fd);
	snprintf(copy, sizeof(copy), "%s/copy", m->dir);
	for (int iter = 0; iter < 600; iter++) {
		struct imgfs *fs;
		int nmut = 1 + rand_r(&seed) % 16;

		fd = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0600);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, orig, st.st_size), st.st_size);
		/* The metadata lives in the first 300 blocks: superblock, descriptors,
		 * bitmaps, inode table, root and lost+found directories. */
		for (int j = 0; j < nmut; j++) {
			off_t at = 1024 + rand_r(&seed) % (300 * 1024);
			unsigned char byte = rand_r(&seed);

			ck_assert_int_eq(pwrite(fd, &byte, 1, at), 1);
		}
		if (!imgfs_mount(fd, iter % 2, &fs, why, sizeof(why))) {
			mounted++;
			fuzz_walk(fs);
			imgfs_unmount(fs);
		}
		close(fd);
	}
	ck_assert_int_gt(mounted, 100);
	img_free(m);
}
END_TEST

/* The VFS adapter: an image mounted at /img of a scratch root, used through vfs_*. */
START_TEST(vfs_adapter)
{
	struct img *m = img_new(4096, "8M", true);
	struct kernel k = {0};
	struct tgroup tg = {0};
	struct task t = {0};
	struct vfs_sb *sb;
	struct vfs_file *f;
	struct stat st;
	char why[200], buf[4096], root[128];
	long n;
	int hfd;

	snprintf(root, sizeof(root), "%s/root", m->dir);
	sh("mkdir -p %s/img", root);
	ck_assert_int_eq(vfs_ns_init_root(&k.memcg, root, NULL, &k.vfs), 0);
	t.k = &k;
	t.tg = &tg;
	t.tid = 1;
	tg.pid = tg.pgid = tg.sid = 1;
	tg.nr_threads = 1;
	tg.fs.cwd = strdup("/");
	tg.fdt = fdt_alloc();
	tg.rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	task_caller_init(&t);
	repath_init(&k);
	k.tasks = &t;
	k.nr_tasks = 1;
	ck_assert_int_eq(vfs_imgfs_sb(k.vfs, m->path, false, &sb, why, sizeof(why)), 0);
	ck_assert_int_eq(vfs_mount_add(k.vfs, "/img", sb), 0);

	ck_assert_int_eq(vfs_mkdir(&t.vc, NULL, "/img/d", 0750), 0);
	ck_assert_int_eq(vfs_mkdir(&t.vc, NULL, "/img/d", 0750), -EEXIST);
	ck_assert_int_eq(vfs_open(&t.vc, NULL, "/img/d/f", O_RDWR | O_CREAT, 0644, &f), 0);
	ck_assert_int_eq(vfs_write(f, "through the vfs\n", 16, 0), 16);
	ck_assert_int_eq(vfs_read(f, buf, sizeof(buf), 0), 16);
	hfd = vfs_hostfd(f); /* from here the memfd is the file's one cache */
	ck_assert_int_ge(hfd, 0);
	ck_assert_int_eq(pwrite(hfd, "THROUGH", 7, 0), 7);
	ck_assert_int_eq(vfs_read(f, buf, 7, 0), 7);
	ck_assert_int_eq(memcmp(buf, "THROUGH", 7), 0);
	ck_assert_int_eq(vfs_write(f, "!", 1, 16), 1);
	ck_assert_int_eq(vfs_fstat(f, &st), 0);
	ck_assert_int_eq(st.st_size, 17);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_symlink(&t.vc, "d/f", NULL, "/img/sl"), 0);
	ck_assert_int_eq(vfs_open(&t.vc, NULL, "/img/sl", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_read(f, buf, 7, 0), 7);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_rename(&t.vc, NULL, "/img/hello.txt", NULL, "/img/d/h", 0), 0);
	ck_assert_int_eq(vfs_rmdir(&t.vc, NULL, "/img/d"), -ENOTEMPTY);
	ck_assert_int_eq(vfs_unlink(&t.vc, NULL, "/img/sub/b.txt"), 0);
	ck_assert_int_eq(vfs_open(&t.vc, NULL, "/img/sub", O_RDONLY | O_DIRECTORY, 0, &f), 0);
	n = vfs_getdents(f, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(memmem(buf, n, "deeper", 6));
	ck_assert_ptr_null(memmem(buf, n, "b.txt", 5));
	vfs_file_put(f);
	ck_assert_int_eq(vfs_stat(&t.vc, NULL, "/img/d/h", 0, &st), 0);
	ck_assert_int_eq(st.st_size, 12);
	vfs_ns_fini(k.vfs);
	fdt_put(tg.fdt);
	free(tg.fs.cwd);
	img_fsck(m);
	debugfs_cat(m, "/d/f", buf, sizeof(buf));
	ck_assert_str_eq(buf, "THROUGH the vfs\n!");
	img_free(m);
}
END_TEST

/*
 * The periodic writeback writes nothing younger than its age, and then the
 * whole cache at once: the image file, checked while still mounted, is
 * clean and holds the new file; a second pass finds nothing to write.
 */
START_TEST(writeback_by_age)
{
	struct img *m = img_new(1024, "8M", true);
	char buf[64];
	uint32_t ino, d;

	img_mount(m, true);
	ck_assert_int_eq(imgfs_mkdir(m->fs, IMGFS_ROOT_INO, "wb", 0755, 0, 0, &d), 0);
	ck_assert_int_eq(imgfs_create(m->fs, d, "f", S_IFREG | 0644, 0, 0, 0, &ino), 0);
	ck_assert_int_eq(imgfs_write(m->fs, ino, "aged\n", 5, 0), 5);
	ck_assert_int_eq(imgfs_writeback(m->fs, 3600), 0);
	ck_assert_uint_eq(debugfs_cat(m, "/wb/f", buf, sizeof(buf)), 0); /* not on the image yet */
	ck_assert_int_eq(imgfs_writeback(m->fs, 0), 1);
	img_fsck(m);
	debugfs_cat(m, "/wb/f", buf, sizeof(buf));
	ck_assert_str_eq(buf, "aged\n");
	ck_assert_int_eq(imgfs_writeback(m->fs, 0), 0);
	img_free(m);
}
END_TEST

Suite *imgfs_suite(void)
{
	Suite *s = suite_create("imgfs");
	TCase *tc = tcase_create("ext2");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, read_tree, 0, 3);
	tcase_add_loop_test(tc, write_and_create, 0, 3);
	tcase_add_loop_test(tc, namespace_ops, 0, 3);
	tcase_add_loop_test(tc, times_clamped, 0, 2);
	tcase_add_loop_test(tc, sparse_and_large, 0, 3);
	tcase_add_test(tc, triple_indirect_and_truncate);
	tcase_add_test(tc, enospc_stays_consistent);
	tcase_add_test(tc, unlinked_while_pinned);
	tcase_add_test(tc, readdir_cookie_survives_changes);
	tcase_add_test(tc, small_cache_evicts_dirty);
	tcase_add_loop_test(tc, random_io_matches_memory, 0, 3);
	tcase_add_test(tc, writeback_by_age);
	tcase_add_test(tc, refuses_unsupported);
	tcase_add_test(tc, fuzz_corrupt_images);
	suite_add_tcase(s, tc);
	tc = tcase_create("vfs");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, vfs_adapter);
	suite_add_tcase(s, tc);
	return s;
}
