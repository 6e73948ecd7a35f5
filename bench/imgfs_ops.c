/* imgfs_ops: file system operations in a directory, for comparing an ext2
 * image mounted by uos (imgfs) with the host's own filesystem:
 *   imgfs_ops write  MIB DIR   write a MIB-MiB file in 64 KiB calls (ns per call)
 *   imgfs_ops read   MIB DIR   write it untimed, read it back in 64 KiB calls
 *   imgfs_ops create N   DIR   open(O_CREAT|O_EXCL)+close+unlink of a new name
 *   imgfs_ops stat   N   DIR   stat(2) of one of 100 files in DIR
 * Prints "ns_per_op X" (write/read also "mib_per_s X"); everything it
 * makes in DIR is removed. bench/run runs it natively with DIR on the host's
 * filesystem and under uos with an image mounted at DIR. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define CHUNK (64 * 1024)
#define NSTAT 100

static char buf[CHUNK];

struct names {
	const char *dir;
	long i;
	char path[4096];
};

static const char *name_of(struct names *n, long i)
{
	snprintf(n->path, sizeof(n->path), "%s/imgfs-ops-%ld", n->dir, i);
	return n->path;
}

static int create_op(void *ctx, const char **what)
{
	struct names *n = ctx;
	const char *p = name_of(n, n->i++);
	int fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);

	if (fd < 0)
		return *what = "open", -1;
	close(fd);
	if (unlink(p) < 0)
		return *what = "unlink", -1;
	return 0;
}

static int stat_op(void *ctx, const char **what)
{
	struct names *n = ctx;
	struct stat st;

	if (stat(name_of(n, n->i++ % NSTAT), &st) < 0)
		return *what = "stat", -1;
	return 0;
}

/* Write (or read) chunks 64 KiB calls on fd; 0 or -1. */
static int io_all(int fd, long chunks, bool wr)
{
	for (long i = 0; i < chunks; i++) {
		buf[0] = (char)i;
		if ((wr ? write(fd, buf, CHUNK) : read(fd, buf, CHUNK)) != CHUNK)
			return -1;
	}
	return 0;
}

static int throughput(const char *mode, long mib, struct names *n)
{
	long chunks = mib * (1024 * 1024 / CHUNK);
	const char *p = name_of(n, 0);
	bool rd = !strcmp(mode, "read");
	double t0 = 0, t1;
	int fd = open(p, O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd < 0)
		return bench_fail("imgfs_ops", "open");
	memset(buf, 0x5a, sizeof(buf));
	if (!rd)
		t0 = bench_now_ns();
	if (io_all(fd, chunks, true) < 0)
		return bench_fail("imgfs_ops", "write");
	if (rd) {
		if (lseek(fd, 0, SEEK_SET) != 0)
			return bench_fail("imgfs_ops", "lseek");
		t0 = bench_now_ns();
		if (io_all(fd, chunks, false) < 0)
			return bench_fail("imgfs_ops", "read");
	}
	close(fd);
	t1 = bench_now_ns();
	unlink(p);
	printf("ns_per_op %.1f\n", (t1 - t0) / chunks);
	printf("mib_per_s %.1f\n", mib / ((t1 - t0) / 1e9));
	return 0;
}

int main(int argc, char **argv)
{
	struct names n = { 0 };
	long count;
	int r;

	if (argc != 4 || (count = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: imgfs_ops write|read|create|stat N DIR\n");
		return 2;
	}
	n.dir = argv[3];
	if (!strcmp(argv[1], "write") || !strcmp(argv[1], "read"))
		return throughput(argv[1], count, &n);
	if (!strcmp(argv[1], "create"))
		return bench_loop("imgfs_ops create", count, 1, create_op, &n);
	if (strcmp(argv[1], "stat"))
		return bench_fail("imgfs_ops", "unknown mode");
	for (long i = 0; i < NSTAT; i++) {
		int fd = open(name_of(&n, i), O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			return bench_fail("imgfs_ops", "open");
		close(fd);
	}
	r = bench_loop("imgfs_ops stat", count, 1, stat_op, &n);
	for (long i = 0; i < NSTAT; i++)
		unlink(name_of(&n, i));
	return r;
}
