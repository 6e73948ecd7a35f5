/* mm_mmap_file: a private read-only mapping of a host file shows exactly
 * what read() returns, also at a non-zero offset; writing to a private
 * writable mapping changes the copy, not the file; the errors for bad fds,
 * offsets and access modes are the kernel's. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "guest.h"

#define PG 4096L

static void show_map(const char *what, void *p)
{
	if (p == MAP_FAILED)
		printf("%s = MAP_FAILED %s\n", what, ename(errno));
	else
		printf("%s = ok\n", what);
}

/* Map `len` bytes of `path` at `off` and compare them with pread(). */
static void compare(const char *path, off_t off, size_t len)
{
	int fd = open(path, O_RDONLY);
	char *buf = malloc(len);
	ssize_t n = pread(fd, buf, len, off);
	char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, off);

	printf("%s off %ld len %zu: pread %zd, ", path, (long)off, len, n);
	if (p == MAP_FAILED) {
		printf("mmap failed %s\n", ename(errno));
	} else {
		printf("mapping %s read()\n", n > 0 && memcmp(p, buf, n) == 0 ? "equals" : "DIFFERS from");
		munmap(p, len);
	}
	free(buf);
	close(fd);
}

static void private_write(void)
{
	int fd = open("/etc/passwd", O_RDONLY);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char c;

	show_map("private RW map of O_RDONLY fd", p);
	if (p == MAP_FAILED)
		return;
	p[0] = '#';
	pread(fd, &c, 1, 0);
	EXPECT("copy changed", p[0] == '#');
	EXPECT("file unchanged", c != '#');
	munmap(p, PG);
	close(fd);
}

static void errors(void)
{
	int fd = open("/etc/passwd", O_RDONLY);
	int dfd = open("/etc", O_RDONLY);

	show_map("MAP_SHARED PROT_WRITE on O_RDONLY", mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	show_map("MAP_SHARED PROT_READ on O_RDONLY", mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0));
	show_map("unaligned offset", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100));
	show_map("bad fd", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 4242, 0));
	show_map("directory", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dfd, 0));
	show_map("offset beyond EOF (mapping allowed)", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 1L << 30));
	close(fd);
	close(dfd);
}

int main(void)
{
	struct stat st;

	close_inherited_fds();
	stat("/etc/passwd", &st);
	compare("/etc/passwd", 0, st.st_size);
	compare("/etc/passwd", 0, PG);
	compare("/bin/busybox", 16 * PG, 5 * PG + 123);
	compare("/bin/busybox", 0, 100);
	private_write();
	errors();
	return 0;
}
