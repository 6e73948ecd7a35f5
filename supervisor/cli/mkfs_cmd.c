/*
 * `uos mkfs IMAGE SIZE [--from DIR|TARFILE|-] [--block-size N] [--force]`:
 * the command around mkfs.c's formatting.  It never destroys by surprise:
 * an existing IMAGE needs --force (and must be a regular file), an image
 * another uos uses is refused (imgfs_lock), and a mkfs that fails removes
 * what it made.  It says what it made (size, block size, inodes, what it
 * copied), shows its progress on a terminal while a big tree is copied, and
 * when the tree does not fit, how big the image must be (mkfs_size.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "imgfs/imgfs.h"
#include "mkfs.h"

#define MIB (1ULL << 20)
#define PROGRESS_AFTER_NS 1000000000LL /* a tree copied faster than this shows none */
#define PROGRESS_EVERY_NS 200000000LL

struct mkfs_job {
	const char *image, *from;
	unsigned long long size;
	unsigned bs;
	bool force;
	int fd; /* the image, locked */
	struct imgfs_progress copied;
	long long start_ns, shown_ns; /* progress: when the copy began, when last shown */
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Progress on stderr while copying, when it is a terminal: the line is redrawn in place. */
static void show_progress(struct imgfs_progress *p)
{
	struct mkfs_job *j = p->ctx;
	long long now = now_ns();

	if (now - j->start_ns < PROGRESS_AFTER_NS || now - j->shown_ns < PROGRESS_EVERY_NS)
		return;
	j->shown_ns = now;
	fprintf(stderr, "\ruos mkfs: copied %llu files, %llu MiB", (unsigned long long)p->files,
		(unsigned long long)(p->bytes / MIB));
}

static void end_progress(struct mkfs_job *j)
{
	if (j->shown_ns)
		fprintf(stderr, "\r\033[K");
}

/* The options after IMAGE SIZE, in any order.  0, or 2 (usage). */
static int parse_opts(int argc, char **argv, struct mkfs_job *j)
{
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			j->force = true;
		} else if (i + 1 >= argc) {
			return 2;
		} else if (!strcmp(argv[i], "--from") && !j->from) {
			j->from = argv[++i];
		} else if (!strcmp(argv[i], "--block-size") && !j->bs) {
			j->bs = (unsigned)atoi(argv[++i]);
			if (j->bs != 1024 && j->bs != 2048 && j->bs != 4096) {
				fprintf(stderr,
					"uos mkfs: bad block size %s (1024, 2048 or 4096)\n",
					argv[i]);
				return 2;
			}
		} else {
			return 2;
		}
	}
	return 0;
}

/* Whether image is an image another process uses (said, with its pid). */
static bool in_use(const char *image)
{
	char why[256];
	int fd = open(image, O_RDONLY | O_CLOEXEC);
	bool busy = fd >= 0 && imgfs_lock(fd, true, why, sizeof(why)) == -EBUSY;

	if (busy)
		fprintf(stderr, "uos mkfs: %s: %s\n", image, why);
	if (fd >= 0)
		close(fd);
	return busy;
}

static int existing(const char *image)
{
	fprintf(stderr, "uos mkfs: %s exists (--force replaces it)\n", image);
	return 1;
}

/* Open IMAGE for the job: new, or an existing regular file with --force; locked.  0, 1 or 2. */
static int claim(struct mkfs_job *j)
{
	char why[256];
	struct stat st;
	int flags = O_RDWR | O_CREAT | O_CLOEXEC | (j->force ? 0 : O_EXCL);

	j->fd = open(j->image, flags, 0644);
	if (j->fd < 0 && errno == EEXIST)
		return in_use(j->image) ? 2 : existing(j->image);
	if (j->fd < 0 || fstat(j->fd, &st) < 0) {
		fprintf(stderr, "uos mkfs: %s: %s\n", j->image, strerror(errno));
		return 1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "uos mkfs: %s is not a regular file\n", j->image);
		return 1;
	}
	if (imgfs_lock(j->fd, true, why, sizeof(why)) == -EBUSY) {
		fprintf(stderr, "uos mkfs: %s: %s\n", j->image, why);
		return 2;
	}
	return 0;
}

/* The tree did not fit: say how big the image must be. */
static void too_small(const struct mkfs_job *j)
{
	unsigned long long need = strcmp(j->from, "-") ? mkfs_needed(j->from, j->bs) : 0;

	if (need)
		fprintf(stderr, "uos mkfs: %s is too small for %s: it needs at least %llu MiB\n",
			j->image, j->from, need / MIB);
	else
		fprintf(stderr, "uos mkfs: %s is too small for what %s holds\n", j->image, j->from);
}

/* Fill the image from a directory or a tar file ("-": standard input).  0 or -errno. */
static int copy_in(struct mkfs_job *j, struct imgfs *fs)
{
	char why[512] = "";
	struct stat st;
	int src, err;

	j->copied.ctx = j;
	j->copied.tick = isatty(2) ? show_progress : NULL;
	j->start_ns = now_ns();
	imgfs_set_progress(fs, &j->copied);
	if (strcmp(j->from, "-") && stat(j->from, &st) == 0 && S_ISDIR(st.st_mode)) {
		err = imgfs_populate_dir(fs, j->from, why, sizeof(why));
	} else {
		src = strcmp(j->from, "-") ? open(j->from, O_RDONLY | O_CLOEXEC) : 0;
		if (src < 0)
			snprintf(why, sizeof(why), "%s: %s", j->from, strerror(errno));
		err = src < 0 ? -errno : imgfs_populate_tar(fs, src, why, sizeof(why));
		if (src > 0)
			close(src);
	}
	imgfs_set_progress(fs, NULL);
	end_progress(j);
	if (err)
		fprintf(stderr, "uos mkfs: %s\n", why);
	if (err == -ENOSPC)
		too_small(j);
	return err;
}

/* Mount the new image, fill it (--from), print what it is; unmount.  0 or -1. */
static int fill_and_tell(struct mkfs_job *j)
{
	struct imgfs *fs;
	struct statfs sf;
	char why[512] = "";
	int err = imgfs_mount(j->fd, true, &fs, why, sizeof(why));

	if (err) {
		fprintf(stderr, "uos mkfs: %s: %s\n", j->image, why);
		return -1;
	}
	err = j->from ? copy_in(j, fs) : 0;
	imgfs_statfs(fs, &sf);
	if (imgfs_unmount(fs) && !err) {
		fprintf(stderr, "uos mkfs: writing %s failed\n", j->image);
		err = -EIO;
	}
	if (err)
		return -1;
	printf("uos mkfs: made %s: %llu %s, block size %lu, %llu inodes", j->image,
	       j->size % MIB ? j->size >> 10 : j->size / MIB, j->size % MIB ? "KiB" : "MiB",
	       (unsigned long)sf.f_bsize, (unsigned long long)sf.f_files);
	if (j->from)
		printf("; copied %llu files, %llu bytes", (unsigned long long)j->copied.files,
		       (unsigned long long)j->copied.bytes);
	printf("\n");
	return 0;
}

int mkfs_cmd(int argc, char **argv)
{
	struct mkfs_job j = {.image = argc > 1 ? argv[1] : NULL, .fd = -1};
	int r;

	if (argc < 3 || parse_opts(argc, argv, &j))
		return mkfs_usage();
	j.size = mkfs_parse_size(argv[2]);
	if (j.size < 64 * 1024) {
		fprintf(stderr, "uos mkfs: bad size %s (at least 64K)\n", argv[2]);
		return 2;
	}
	r = claim(&j);
	if (r) {
		if (j.fd >= 0)
			close(j.fd);
		return r;
	}
	r = mkfs_format_fd(j.image, j.fd, j.size, j.bs) || fill_and_tell(&j) ? 1 : 0;
	if (r) { /* half an image is worse than none: what was there is gone already */
		unlink(j.image);
		fprintf(stderr, "uos mkfs: removed %s\n", j.image);
	}
	close(j.fd);
	return r;
}
