/* file_rw: write a file of M MiB (argument 1, default 64) in 4 KiB write(2)
 * calls to a fresh file in $TMPDIR (default /tmp), fsync-free, then read it
 * back in 4 KiB read(2) calls and check the bytes; the file is unlinked.
 * ns_per_op is per 4 KiB call (writes and reads together); the line
 * "mib_per_s X" gives the throughput of the whole cycle. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define CHUNK 4096

static int write_all(int fd, long chunks, char *buf)
{
	for (long i = 0; i < chunks; i++) {
		memset(buf, (int)(i & 0xff), 8);
		if (write(fd, buf, CHUNK) != CHUNK)
			return errno ? -1 : (errno = EIO, -1);
	}
	return 0;
}

static int read_all(int fd, long chunks, char *buf)
{
	for (long i = 0; i < chunks; i++) {
		if (read(fd, buf, CHUNK) != CHUNK)
			return errno ? -1 : (errno = EIO, -1);
		if (buf[0] != (char)(i & 0xff) || buf[7] != (char)(i & 0xff))
			return errno = EILSEQ, -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long mib = bench_iters(argc, argv, 64), chunks = mib * 256;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[4096], buf[CHUNK] = { 0 };
	double t0, t1;
	int fd;

	snprintf(path, sizeof(path), "%s/uos-bench-file_rw-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return bench_fail("file_rw", path);
	unlink(path);
	errno = 0;
	t0 = bench_now_ns();
	if (write_all(fd, chunks, buf) < 0)
		return bench_fail("file_rw", "write");
	if (lseek(fd, 0, SEEK_SET) != 0)
		return bench_fail("file_rw", "lseek");
	errno = 0;
	if (read_all(fd, chunks, buf) < 0)
		return bench_fail("file_rw", "read");
	t1 = bench_now_ns();
	printf("ns_per_op %.1f\n", (t1 - t0) / (2.0 * chunks));
	printf("mib_per_s %.1f\n", 2.0 * mib / ((t1 - t0) / 1e9));
	return 0;
}
