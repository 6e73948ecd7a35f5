/*
 * The image commands.  `uos mkfs` creates the image file at its size, lets
 * mke2fs lay out a fresh ext2 (superblock, groups, root, lost+found), then
 * fills it from a host directory or a tar archive with uos's own writer
 * (vfs/imgfs), so the image holds exactly what imgfs wrote.  `uos fsck`
 * runs e2fsck -fn, the independent judge of every image uos writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imgfs/imgfs.h"
#include "mkfs.h"

extern char **environ;

static int usage(void)
{
	fprintf(stderr, "usage: uos mkfs IMAGE SIZE[K|M|G] [--from DIR|TARFILE|-]"
			" [--block-size 1024|2048|4096]\n"
			"       uos fsck IMAGE\n");
	return 2;
}

/* Run argv and wait: its exit status, or -errno when it could not run. */
static int run(char *const argv[], bool quiet)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, err;

	posix_spawn_file_actions_init(&fa);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		return -err;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* "64M" and the like: bytes, or 0 when malformed. */
static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	const char *units = "KMGT";
	const char *u = *end ? strchr(units, *end & ~0x20) : NULL;

	if (end == s || (*end && (!u || end[1])))
		return 0;
	if (u)
		v <<= 10 * (u - units + 1);
	return v;
}

static int create_file(const char *image, unsigned long long size)
{
	int fd = open(image, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || ftruncate(fd, size) < 0) {
		fprintf(stderr, "uos mkfs: %s: %s\n", image, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Fill the image from a directory or a tar file ("-": standard input). */
static int populate(const char *image, const char *from)
{
	struct imgfs *fs;
	struct stat st;
	char why[512] = "";
	int fd = open(image, O_RDWR | O_CLOEXEC), src, err;

	if (fd < 0 || (err = imgfs_mount(fd, true, &fs, why, sizeof(why)))) {
		fprintf(stderr, "uos mkfs: %s: %s\n", image, fd < 0 ? strerror(errno) : why);
		return -1;
	}
	if (strcmp(from, "-") && stat(from, &st) == 0 && S_ISDIR(st.st_mode)) {
		err = imgfs_populate_dir(fs, from, why, sizeof(why));
	} else {
		src = strcmp(from, "-") ? open(from, O_RDONLY | O_CLOEXEC) : 0;
		if (src < 0)
			snprintf(why, sizeof(why), "%s: %s", from, strerror(errno));
		err = src < 0 ? -errno : imgfs_populate_tar(fs, src, why, sizeof(why));
		if (src > 0)
			close(src);
	}
	if (imgfs_unmount(fs) && !err) {
		err = -EIO;
		snprintf(why, sizeof(why), "writing the image failed");
	}
	close(fd);
	if (err)
		fprintf(stderr, "uos mkfs: %s\n", why);
	return err ? -1 : 0;
}

/* The options after IMAGE SIZE, in any order: --from X, --block-size N.  0 or 2 (usage). */
static int mkfs_opts(int argc, char **argv, const char **from, unsigned *bs)
{
	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage();
		if (!strcmp(argv[i], "--from") && !*from) {
			*from = argv[i + 1];
		} else if (!strcmp(argv[i], "--block-size") && !*bs) {
			*bs = (unsigned)parse_size(argv[i + 1]);
			if (*bs != 1024 && *bs != 2048 && *bs != 4096) {
				fprintf(stderr, "uos mkfs: bad block size %s (1024, 2048 or 4096)\n",
					argv[i + 1]);
				return 2;
			}
		} else {
			return usage();
		}
	}
	return 0;
}

static int mkfs_cmd(int argc, char **argv)
{
	unsigned long long size;
	const char *from = NULL;
	unsigned bs = 0;
	int r;

	if (argc < 3)
		return usage();
	r = mkfs_opts(argc, argv, &from, &bs);
	if (r)
		return r;
	size = parse_size(argv[2]);
	if (size < 64 * 1024) {
		fprintf(stderr, "uos mkfs: bad size %s (at least 64K)\n", argv[2]);
		return 2;
	}
	if (mkfs_format_bs(argv[1], size, bs))
		return 1;
	return from && populate(argv[1], from) ? 1 : 0;
}

int mkfs_format(const char *image, unsigned long long size)
{
	return mkfs_format_bs(image, size, 0);
}

int mkfs_format_bs(const char *image, unsigned long long size, unsigned block_size)
{
	char bs[16];
	int r;

	if (create_file(image, size))
		return -1;
	snprintf(bs, sizeof(bs), "%u", block_size);
	if (block_size)
		r = run((char *const[]){"mke2fs", "-t", "ext2", "-q", "-F", "-b", bs, (char *)image,
					NULL},
			true);
	else
		r = run((char *const[]){"mke2fs", "-t", "ext2", "-q", "-F", (char *)image, NULL},
			true);
	if (r) {
		fprintf(stderr, "uos mkfs: mke2fs failed (%s)\n", r < 0 ? strerror(-r) : "exit");
		return -1;
	}
	return 0;
}

static int fsck_cmd(int argc, char **argv)
{
	int r;

	if (argc != 2)
		return usage();
	r = run((char *const[]){"e2fsck", "-fn", argv[1], NULL}, false);
	if (r < 0) {
		fprintf(stderr, "uos fsck: cannot run e2fsck: %s\n", strerror(-r));
		return 1;
	}
	if (r)
		fprintf(stderr, "uos fsck: %s has problems (e2fsck exit status %d)\n", argv[1], r);
	else
		fprintf(stderr, "uos fsck: %s is clean\n", argv[1]);
	return r ? 1 : 0;
}

int mkfs_main(int argc, char **argv)
{
	if (!strcmp(argv[0], "mkfs"))
		return mkfs_cmd(argc, argv);
	return fsck_cmd(argc, argv);
}
