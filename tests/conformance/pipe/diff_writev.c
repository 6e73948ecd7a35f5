/* pipe_writev: writev and readv move their segments as one run of bytes.
 * Four writers each writev 3000 + 1096 bytes (PIPE_BUF in all) 200 times
 * into one pipe: every 4096-byte block the reader gets is one writer's. A
 * bad segment: a pipe write gives EFAULT, a file write keeps what came
 * before it, a file read returns what reached the good segment.
 *
 * Usage: pipe_writev DIR (a scratch directory from `difftest --scratch`). */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "guest.h"

#define BAD ((void *)8)

static void writer(int fd, char c)
{
	char x[3000], y[PIPE_BUF - 3000];
	memset(x, c, sizeof(x));
	memset(y, c, sizeof(y));
	struct iovec iv[2] = {{x, sizeof(x)}, {y, sizeof(y)}};
	for (int i = 0; i < 200; i++)
		if (writev(fd, iv, 2) != PIPE_BUF)
			_exit(1);
	_exit(0);
}

static void atomic_writers(void)
{
	int p[2];
	pipe(p);
	for (int w = 0; w < 4; w++)
		if (fork() == 0) {
			close(p[0]);
			writer(p[1], (char)('0' + w));
		}
	close(p[1]);
	char blk[PIPE_BUF];
	long blocks = 0, mixed = 0;
	size_t got = 0;
	for (;;) {
		ssize_t r = read(p[0], blk + got, sizeof(blk) - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got < sizeof(blk))
			continue;
		for (size_t i = 1; i < sizeof(blk); i++)
			if (blk[i] != blk[0]) {
				mixed++;
				break;
			}
		blocks++;
		got = 0;
	}
	int st, ok = 0;
	while (wait(&st) > 0)
		ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	close(p[0]);
	printf("blocks %ld, mixed %ld, writers ok %d\n", blocks, mixed, ok);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	close_inherited_fds();
	atomic_writers();

	char a[16], b[16], r1[8], r2[16];
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	int q[2];
	pipe2(q, O_NONBLOCK);
	struct iovec mid[3] = {{a, 10}, {BAD, 10}, {b, 10}};
	SHOW("pipe writev bad middle", writev(q[1], mid, 3));
	SHOW("pipe then empty", read(q[0], r2, sizeof(r2)));
	struct iovec two[2] = {{a, 3}, {b, 4}};
	SHOW("pipe writev", writev(q[1], two, 2));
	struct iovec rd[2] = {{r1, 5}, {r2, 5}};
	SHOW("pipe readv", readv(q[0], rd, 2));
	printf("pipe readv got %.5s|%.2s\n", r1, r2);

	char path[4096];
	snprintf(path, sizeof(path), "%s/f", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct iovec f3[3] = {{a, 5}, {b, 0}, {b, 7}};
	SHOW("file writev", writev(fd, f3, 3));
	SHOW("offset", lseek(fd, 0, SEEK_CUR));
	lseek(fd, 0, SEEK_SET);
	struct iovec f4[2] = {{r1, 6}, {r2, 10}};
	SHOW("file readv", readv(fd, f4, 2));
	printf("file readv got %.6s|%.6s\n", r1, r2);
	lseek(fd, 0, SEEK_SET);
	struct iovec f5[3] = {{a, 4}, {BAD, 4}, {b, 4}};
	SHOW("file writev bad middle", writev(fd, f5, 3));
	SHOW("offset", lseek(fd, 0, SEEK_CUR));
	lseek(fd, 0, SEEK_SET);
	struct iovec f6[2] = {{r1, 3}, {BAD, 4}};
	SHOW("file readv bad second", readv(fd, f6, 2));
	SHOW("offset", lseek(fd, 0, SEEK_CUR));
	struct iovec bad1[1] = {{BAD, 4}};
	SHOW("file writev bad first", writev(fd, bad1, 1));
	SHOW("pwritev at 100", pwritev(fd, two, 2, 100));
	SHOW("size", lseek(fd, 0, SEEK_END));
	return 0;
}
