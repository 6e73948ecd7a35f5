/* fs_read_runs: a file written in odd pieces (partial blocks, past the
 * direct and the first indirect blocks, with holes and overwrites) reads
 * back the same through read and pread of every size and offset, before
 * and after fsync and after a mapping of it.  In the -image runs the file
 * lies on an ext2 image, whose reads come straight from uos's mapping of
 * the image where the blocks are on it, and from the block cache where
 * they are not (yet). */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "guest.h"

#define SIZE (600 * 1024 + 123)
#define HOLE_AT (900 * 1024)	 /* a hole from SIZE to here, then HOLE_LEN bytes */
#define HOLE_LEN 5000
#define TOTAL (HOLE_AT + HOLE_LEN) /* as an int: a file offset or a length alike */

static unsigned char want[TOTAL], got[TOTAL];

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + i / 4096 + 1);
}

/* Read the whole file with read() in chunks of chunk bytes; whether it is want. */
static int by_read(int fd, size_t chunk)
{
	size_t done = 0;
	ssize_t n;

	memset(got, 0xee, sizeof(got));
	if (lseek(fd, 0, SEEK_SET) != 0)
		return 0;
	while (done < TOTAL && (n = read(fd, got + done, chunk < TOTAL - done ? chunk : TOTAL - done)) > 0)
		done += (size_t)n;
	return done == TOTAL && read(fd, got, 1) == 0 && !memcmp(got, want, TOTAL);
}

/* pread() of len bytes at every step-th offset; whether each is want's. */
static int by_pread(int fd, size_t len, long step)
{
	for (long off = 0; off < TOTAL; off += step) {
		long n = off + (long)len <= TOTAL ? (long)len : TOTAL - off;
		if (pread(fd, got, len, off) != n || memcmp(got, want + off, n))
			return 0;
	}
	return 1;
}

static void check_all(int fd, const char *when)
{
	static const size_t chunks[] = {1000, 4096, 5000, 65536, 200000, (size_t)TOTAL + 10};
	char what[120];

	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		snprintf(what, sizeof(what), "%s: read in chunks of %zu", when, chunks[i]);
		EXPECT(what, by_read(fd, chunks[i]));
	}
	snprintf(what, sizeof(what), "%s: pread of 70000 at every 4093th byte", when);
	EXPECT(what, by_pread(fd, 70000, 4093));
	snprintf(what, sizeof(what), "%s: pread of 3 bytes across each block edge", when);
	EXPECT(what, by_pread(fd, 3, 1023) && by_pread(fd, 2, 4095));
	snprintf(what, sizeof(what), "%s: pread at and past EOF", when);
	EXPECT(what, pread(fd, got, 10, TOTAL) == 0 && pread(fd, got, 10, TOTAL + 5000) == 0 &&
			     pread(fd, got, 10, TOTAL - 4) == 4);
}

int main(int argc, char **argv)
{
	char path[4096];
	int fd;

	close_inherited_fds();
	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/runs", argv[1]);
	for (long i = 0; i < SIZE; i++)
		want[i] = pattern(i);
	for (long i = HOLE_AT; i < TOTAL; i++)
		want[i] = pattern(i);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	SHOW("open", fd < 0 ? -1 : 0);
	if (fd < 0)
		return 1;
	/* odd pieces: most blocks are written in two or more parts */
	long piece = 0;
	for (long off = 0; off < SIZE; off += piece) {
		piece = 1 + (off * 31) % 7001;
		if (piece > SIZE - off)
			piece = SIZE - off;
		if (pwrite(fd, want + off, piece, off) != piece)
			break;
	}
	SHOW("pwrite of the tail past a hole", pwrite(fd, want + HOLE_AT, HOLE_LEN, HOLE_AT));
	check_all(fd, "as written");
	SHOW("fsync", fsync(fd));
	check_all(fd, "after fsync");
	/* overwrite bits of blocks already on the image: the cache holds the new bytes */
	for (long off = 100; off < SIZE; off += 9001) {
		memset(want + off, 0xa5, 17);
		if (pwrite(fd, want + off, 17, off) != 17)
			break;
	}
	check_all(fd, "after overwrites");
	void *m = mmap(NULL, TOTAL, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT("the mapping holds the same bytes", m != MAP_FAILED && !memcmp(m, want, TOTAL));
	check_all(fd, "while mapped");
	if (m != MAP_FAILED)
		munmap(m, TOTAL);
	SHOW("close", close(fd));
	fd = open(path, O_RDONLY);
	check_all(fd, "opened again");
	SHOW("close", close(fd));
	SHOW("unlink", unlink(path));
	return 0;
}
