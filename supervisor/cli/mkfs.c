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

static void print_usage(FILE *to)
{
	fprintf(to, "usage: uos mkfs IMAGE SIZE[K|M|G] [--from DIR|TARFILE|-]"
		    " [--block-size 1024|2048|4096] [--force]\n"
		    "       uos fsck IMAGE\n"
		    "mkfs makes an ext2 image of SIZE bytes (sparse), filled from DIR or a tar\n"
		    "(-: stdin); an existing IMAGE only with --force; it prints what it made, shows\n"
		    "progress on a terminal, says the size needed when the tree does not fit, and\n"
		    "removes a failed image.  fsck runs e2fsck -fn.  An image another uos uses is\n"
		    "refused (exit status 2), naming its process.\n");
}

int mkfs_usage(void)
{
	print_usage(stderr);
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
unsigned long long mkfs_parse_size(const char *s)
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

/* Size fd to size bytes of zeros (sparse) and let mke2fs lay out an ext2 on image. */
int mkfs_format_fd(const char *image, int fd, unsigned long long size, unsigned block_size)
{
	char bs[16];
	int r;

	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)size) < 0) {
		fprintf(stderr, "uos mkfs: %s: %s\n", image, strerror(errno));
		return -1;
	}
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

int mkfs_format(const char *image, unsigned long long size)
{
	return mkfs_format_bs(image, size, 0);
}

int mkfs_format_bs(const char *image, unsigned long long size, unsigned block_size)
{
	int fd = open(image, O_RDWR | O_CREAT | O_CLOEXEC, 0644), r;

	if (fd < 0) {
		fprintf(stderr, "uos mkfs: %s: %s\n", image, strerror(errno));
		return -1;
	}
	r = mkfs_format_fd(image, fd, size, block_size);
	close(fd);
	return r;
}

/*
 * fsck reads the image as a reader: a uos writing it would show e2fsck a
 * state half way (2, said, when one is).  The lock is held on *fd until it
 * is closed.  0, or the exit status.
 */
static int hold_shared(const char *image, int *fd)
{
	char why[256];

	*fd = open(image, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		fprintf(stderr, "uos fsck: %s: %s\n", image, strerror(errno));
		return 1;
	}
	if (imgfs_lock(*fd, false, why, sizeof(why)) == -EBUSY) {
		fprintf(stderr, "uos fsck: %s: %s\n", image, why);
		close(*fd);
		return 2;
	}
	return 0;
}

static int fsck_cmd(int argc, char **argv)
{
	int r, fd;

	if (argc != 2)
		return mkfs_usage();
	r = hold_shared(argv[1], &fd);
	if (r)
		return r;
	r = run((char *const[]){"e2fsck", "-fn", argv[1], NULL}, false);
	close(fd); /* the check is over: a writer may have the image */
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
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		print_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "mkfs"))
		return mkfs_cmd(argc, argv);
	return fsck_cmd(argc, argv);
}
