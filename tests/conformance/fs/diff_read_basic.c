/* fs_read_basic: read(), pread(), lseek() on a host file agree with each
 * other, EOF is 0, and the simple errors (EBADF, EISDIR, ENOENT, ENOTDIR,
 * EINVAL for a bad whence) come back as the kernel gives them. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "guest.h"

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* Read the whole file in chunks of size `chunk`; return its hash and size. */
static uint64_t hash_by_read(int fd, size_t chunk, long *total)
{
	unsigned char buf[8192];
	uint64_t h = 0xcbf29ce484222325ULL;
	ssize_t n;

	*total = 0;
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, chunk)) > 0) {
		h = fnv(buf, n, h);
		*total += n;
	}
	return h;
}

static uint64_t hash_by_pread(int fd, long size)
{
	unsigned char buf[777];
	uint64_t h = 0xcbf29ce484222325ULL;
	long off = 0;
	ssize_t n;

	while (off < size && (n = pread(fd, buf, sizeof(buf), off)) > 0) {
		h = fnv(buf, n, h);
		off += n;
	}
	return h;
}

int main(void)
{
	const char *path = "/etc/passwd";
	char buf[16];
	struct stat st;
	long t1, t2, t3;
	int fd;

	close_inherited_fds();
	fd = open(path, O_RDONLY);
	SHOW("open /etc/passwd", fd);
	if (fd < 0)
		return 1;
	fstat(fd, &st);
	uint64_t h1 = hash_by_read(fd, 1, &t1);
	uint64_t h2 = hash_by_read(fd, 100, &t2);
	uint64_t h3 = hash_by_read(fd, 8192, &t3);
	EXPECT("read sizes equal st_size", t1 == st.st_size && t2 == t1 && t3 == t1);
	EXPECT("read hashes agree for chunk 1/100/8192", h1 == h2 && h2 == h3);
	EXPECT("pread hash agrees", hash_by_pread(fd, st.st_size) == h1);
	SHOW("read at EOF", read(fd, buf, sizeof(buf)));
	SHOW("lseek SEEK_SET 0", lseek(fd, 0, SEEK_SET));
	SHOW("read 4", read(fd, buf, 4));
	printf("first 4 bytes: %.4s\n", buf);
	SHOW("lseek SEEK_CUR 0", lseek(fd, 0, SEEK_CUR));
	EXPECT("lseek SEEK_END == size", lseek(fd, 0, SEEK_END) == st.st_size);
	SHOW("lseek past end +10 then read", (lseek(fd, 10, SEEK_END), read(fd, buf, 4)));
	SHOW("lseek negative", lseek(fd, -1, SEEK_SET));
	SHOW("lseek bad whence", lseek(fd, 0, 42));
	SHOW("pread negative offset", pread(fd, buf, 4, -1));
	SHOW("read 0 bytes", read(fd, buf, 0));
	SHOW("close", close(fd));
	SHOW("read closed fd", read(fd, buf, 4));
	SHOW("read fd -1", read(-1, buf, 4));
	SHOW("read fd 100000", read(100000, buf, 4));

	fd = open("/etc", O_RDONLY);
	SHOW("open /etc", fd);
	SHOW("read a directory", read(fd, buf, sizeof(buf)));
	close(fd);
	SHOW("open missing", open("/etc/no-such-file-uos", O_RDONLY));
	SHOW("open file as dir", open("/etc/passwd/x", O_RDONLY));
	SHOW("open O_DIRECTORY on file", open(path, O_RDONLY | O_DIRECTORY));
	SHOW("open empty path", open("", O_RDONLY));
	fd = open("/etc/./../etc//passwd", O_RDONLY);
	SHOW("open dotted path", fd);
	SHOW("read 4 from dotted path", read(fd, buf, 4));
	close(fd);
	return 0;
}
