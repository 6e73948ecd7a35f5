/*
 * tmpfs exhaustion: DIR is a tmpfs (the overlay's upper layer under uos's
 * default root, /tmp, a --tmpfs mount, or natively a tmpfs mounted with
 * size=).  MODE:
 *   falloc SIZE_MIB  fallocate 1 TiB (ENOSPC), ftruncate 1 TiB (sparse: 0),
 *                    fallocate SIZE+1 page (ENOSPC, nothing kept), SIZE/2 (0);
 *                    SIZE 0: the 1 TiB calls alone
 *   write MIN MAX    1 MiB writes until one fails: ENOSPC after MIN..MAX MiB;
 *                    statfs says full; unlink gives the space back
 *   files MIN MAX    64 KiB files until one fails, the same
 *   map SIZE_MIB     (uos only) a mapped file's pages are charged whole
 *   copyup FILE      (uos only) a lower-layer FILE bigger than the size
 *                    opened for writing: ENOSPC, FILE unchanged
 *   statfs SIZE_MIB  what statfs says of a fresh tmpfs of SIZE MiB and how
 *                    files, holes, links and symlinks change it
 * Then the guest still works: a small file is written and read back.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "exhaust.h"

#define MIB (1L << 20)
#define PEAK_US 100000 /* hold the peak long enough for hostcheck's sampler */

static char path[4096];

static const char *at(const char *dir, const char *name, long i)
{
	snprintf(path, sizeof(path), "%s/%s%ld", dir, name, i);
	return path;
}

static long free_mib(const char *dir)
{
	struct statfs sf;
	return statfs(dir, &sf) ? -1 : (long)(sf.f_bavail * sf.f_bsize / MIB);
}

static long blocks(int fd)
{
	struct stat st;
	return fstat(fd, &st) ? -1 : (long)st.st_blocks;
}

static void in_range(const char *what, long n, long lo, long hi)
{
	if (n >= lo && n <= hi)
		printf("%s in [%ld, %ld] MiB: yes\n", what, lo, hi);
	else
		printf("%s: %ld MiB, outside [%ld, %ld]\n", what, n, lo, hi);
}

static int falloc(const char *dir, long size_mib)
{
	int fd = open(at(dir, "big", 0), O_RDWR | O_CREAT | O_TRUNC, 0600);
	said("fallocate 1TiB", fallocate(fd, 0, 0, 1LL << 40));
	printf("blocks after: %ld\n", blocks(fd));
	said("ftruncate 1TiB", ftruncate(fd, 1LL << 40));
	printf("blocks after: %ld\n", blocks(fd));
	if (!size_mib) { /* the 1 TiB attack alone: the default size is the host's */
		close(fd);
		unlink(at(dir, "big", 0));
		return 0;
	}
	said("fallocate size+4KiB", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, size_mib * MIB + 4096));
	printf("blocks after: %ld\n", blocks(fd));
	said("fallocate size/2", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, size_mib * MIB / 2));
	printf("blocks after: %ld MiB\n", blocks(fd) * 512 / MIB);
	close(fd);
	unlink(at(dir, "big", 0));
	return 0;
}

static int fill_write(const char *dir, long lo, long hi)
{
	static char buf[MIB];
	long total = 0, n;
	long before = free_mib(dir);
	memset(buf, 'x', sizeof(buf));
	int fd = open(at(dir, "big", 0), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	while ((n = write(fd, buf, sizeof(buf))) > 0)
		total += n;
	printf("write until: %s\n", n < 0 ? ename(errno) : "EOF?");
	usleep(PEAK_US);
	in_range("written", total / MIB, lo, hi);
	printf("statfs free after fill: %s\n", free_mib(dir) == 0 ? "0" : "not 0");
	close(fd);
	unlink(at(dir, "big", 0));
	printf("statfs free back after unlink: %s\n", free_mib(dir) >= before - 1 ? "yes" : "no");
	return 0;
}

static int fill_files(const char *dir, long lo, long hi)
{
	static char buf[64 << 10];
	long i, n;
	int err = 0;
	memset(buf, 'y', sizeof(buf));
	for (i = 0; !err; i++) {
		int fd = open(at(dir, "f", i), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0) {
			err = errno;
			break;
		}
		n = write(fd, buf, sizeof(buf));
		if (n >= 0 && n < (long)sizeof(buf)) /* short at the limit: the next one fails */
			n = write(fd, buf + n, sizeof(buf) - (size_t)n);
		err = n < 0 ? errno : 0;
		close(fd);
	}
	printf("files until: %s\n", err < 0 ? "short write" : ename(err));
	usleep(PEAK_US);
	in_range("files' data", i * (long)sizeof(buf) / MIB, lo, hi);
	for (long j = 0; j <= i; j++)
		unlink(at(dir, "f", j));
	printf("statfs free after removal: %s\n", free_mib(dir) >= lo ? "yes" : "no");
	return 0;
}

/*
 * statfs of a tmpfs of SIZE MiB, and how a file, a hole, a hard link and a
 * long symlink change it (shmem_statfs; nr_inodes is half the RAM's pages).
 */
static int show_statfs(const char *dir, long size_mib)
{
	struct statfs a, b, first;
	struct sysinfo si;
	char target[200];
	statfs(dir, &a);
	first = a;
	sysinfo(&si);
	printf("f_type 0x%lx f_bsize %ld f_frsize %ld f_namelen %ld\n", (long)a.f_type,
	       (long)a.f_bsize, (long)a.f_frsize, (long)a.f_namelen);
	printf("f_blocks: %s\n", (long)a.f_blocks * a.f_bsize == size_mib * MIB ? "size" : "other");
	printf("f_files: %s\n", a.f_files == si.totalram * si.mem_unit / 4096 / 2 ? "RAM pages/2"
									  : "other");
	int fd = open(at(dir, "s", 0), O_RDWR | O_CREAT | O_TRUNC, 0600);
	static char page[3 * 4096 + 1];
	pwrite(fd, page, sizeof(page), 0);
	ftruncate(fd, 100 * MIB); /* a hole costs nothing */
	statfs(dir, &b);
	printf("a file of 3 pages and a byte, grown sparse to 100 MiB: %ld blocks, %ld inodes\n",
	       (long)(a.f_bfree - b.f_bfree), (long)(a.f_ffree - b.f_ffree));
	char from[4096];
	snprintf(from, sizeof(from), "%s", at(dir, "s", 0));
	said("link", link(from, at(dir, "l", 0)));
	statfs(dir, &a);
	printf("a hard link: %ld blocks, %ld inodes\n", (long)(b.f_bfree - a.f_bfree),
	       (long)(b.f_ffree - a.f_ffree));
	memset(target, 'x', sizeof(target) - 1);
	target[sizeof(target) - 1] = 0;
	symlink(target, at(dir, "y", 0));
	statfs(dir, &b);
	printf("a 199-byte symlink: %ld blocks, %ld inodes\n", (long)(a.f_bfree - b.f_bfree),
	       (long)(a.f_ffree - b.f_ffree));
	unlink(at(dir, "y", 0));
	unlink(at(dir, "l", 0));
	unlink(at(dir, "s", 0));
	close(fd);
	statfs(dir, &a);
	printf("all removed: %ld blocks, %ld inodes still used\n", (long)(first.f_bfree - a.f_bfree),
	       (long)(first.f_ffree - a.f_ffree));
	return 0;
}

/*
 * Copy-up past the budget: opening a lower-layer FILE for writing copies
 * it into the upper layer; past the size that is ENOSPC, and the file is
 * left as it was (no half copy stands for it).
 */
static int copyup(const char *file)
{
	struct stat a, b;
	char x[64], y[64];
	int fd = open(file, O_RDONLY);
	stat(file, &a);
	long n = read(fd, x, sizeof(x));
	close(fd);
	said("open for writing", open(file, O_WRONLY | O_APPEND));
	stat(file, &b);
	fd = open(file, O_RDONLY);
	printf("size and data kept: %s\n",
	       a.st_size == b.st_size && read(fd, y, sizeof(y)) == n && !memcmp(x, y, (size_t)n)
		       ? "yes"
		       : "no");
	close(fd);
	return 0;
}

/* uos charges every page of a mapped file: holes too, since a fault backs them. */
static int map(const char *dir, long size_mib)
{
	long size = size_mib * MIB;
	int fd = open(at(dir, "m", 0), O_RDWR | O_CREAT | O_TRUNC, 0600);
	said("ftruncate 4*size", ftruncate(fd, 4 * size));
	void *p = mmap(NULL, 4 * size, PROT_READ, MAP_SHARED, fd, 0);
	said("mmap 4*size of holes", p == MAP_FAILED ? -1 : 0);
	said("ftruncate size/2", ftruncate(fd, size / 2));
	p = mmap(NULL, size / 2, PROT_READ, MAP_PRIVATE, fd, 0);
	said("mmap size/2", p == MAP_FAILED ? -1 : 0);
	volatile char sum = 0;
	for (long i = 0; p != MAP_FAILED && i < size / 2; i += 4096)
		sum += ((char *)p)[i];
	printf("blocks after reading the holes: %ld MiB\n", blocks(fd) * 512 / MIB);
	said("ftruncate 2*size (mapped)", ftruncate(fd, 2 * size));
	static char buf[MIB];
	long total = 0, n;
	int fd2 = open(at(dir, "w", 0), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	while ((n = write(fd2, buf, sizeof(buf))) > 0)
		total += n;
	printf("write beside it until: %s\n", n < 0 ? ename(errno) : "EOF?");
	in_range("written beside", total / MIB, size_mib / 2 - 2, size_mib / 2);
	close(fd2);
	close(fd);
	if (p != MAP_FAILED)
		munmap(p, size / 2);
	unlink(at(dir, "w", 0));
	unlink(at(dir, "m", 0));
	printf("statfs free back: %s\n", free_mib(dir) >= size_mib - 1 ? "yes" : "no");
	return 0;
}

/* After the attack the guest's calls are still answered. */
static void still_works(const char *dir)
{
	char buf[6] = {0};
	int fd = open(at(dir, "after", 0), O_RDWR | O_CREAT | O_TRUNC, 0600);
	long w = write(fd, "hello", 5);
	long r = pread(fd, buf, 5, 0);
	printf("after: write %ld read %ld %s\n", w, r, buf);
	close(fd);
	unlink(at(dir, "after", 0));
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: ex_tmpfs DIR falloc|write|files|map N [M]\n");
		return 2;
	}
	const char *dir = argv[1], *mode = argv[2];
	long a = atol(argv[3]), b = argc > 4 ? atol(argv[4]) : 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	int r = !strcmp(mode, "falloc") ? falloc(dir, a)
		: !strcmp(mode, "write") ? fill_write(dir, a, b)
		: !strcmp(mode, "files") ? fill_files(dir, a, b)
		: !strcmp(mode, "map")	 ? map(dir, a)
		: !strcmp(mode, "statfs") ? show_statfs(dir, a)
		: !strcmp(mode, "copyup") ? copyup(argv[3])
					 : 2;
	still_works(dir);
	return r;
}
