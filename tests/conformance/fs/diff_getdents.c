/* fs_getdents: getdents64 with large and tiny buffers lists the same names as
 * readdir, with "." and "..", the right d_type, lseek(0) rewinds, and the
 * error cases (ENOTDIR, EINVAL for a too small buffer, EBADF); the old
 * getdents lists the same in its layout (d_type in the record's last byte). */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "guest.h"

#define MAXN 4096

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The old getdents(2) record. */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

/* List `fd` with getdents64 (or the old getdents) in calls of `bufsz` bytes;
 * returns the count and fills names[] (malloc'd "name type" strings), or -errno. */
static int list_with(long nr, int fd, size_t bufsz, char **names)
{
	char buf[65536];
	int n = 0;
	long r;

	while ((r = syscall(nr, fd, buf, bufsz)) > 0) {
		for (long off = 0; off < r;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			struct linux_dirent *o = (void *)(buf + off);
			const char *name = nr == SYS_getdents64 ? d->d_name : o->d_name;
			unsigned type = nr == SYS_getdents64 ? d->d_type
							     : (unsigned char)buf[off + o->d_reclen - 1];

			if (n < MAXN && asprintf(&names[n], "%s %u", name, type) > 0)
				n++;
			off += d->d_reclen;
		}
	}
	return r < 0 ? -errno : n;
}

static int list(int fd, size_t bufsz, char **names)
{
	return list_with(SYS_getdents64, fd, bufsz, names);
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
}

int main(void)
{
	static char *a[MAXN], *b[MAXN];
	static char dbuf[4096];
	int fd, na, nb, bad = 0;

	close_inherited_fds();
	fd = open("/etc", O_RDONLY | O_DIRECTORY);
	na = list(fd, 65536, a);
	lseek(fd, 0, SEEK_SET);
	nb = list(fd, 64, b);
	printf("entries (big buffer): %d\n", na);
	EXPECT("tiny buffer lists the same count", na == nb);
	qsort(a, na, sizeof(*a), cmp);
	qsort(b, nb, sizeof(*b), cmp);
	for (int i = 0; i < na && i < nb; i++)
		bad += strcmp(a[i], b[i]) != 0;
	EXPECT("tiny buffer lists the same names", bad == 0);
	for (int i = 0; i < na; i++)
		printf("  %s\n", a[i]);
	free_names(b, nb);
	lseek(fd, 0, SEEK_SET);
	nb = list_with(SYS_getdents, fd, 100, b);
	qsort(b, nb, sizeof(*b), cmp);
	bad = na != nb;
	for (int i = 0; i < na && i < nb; i++)
		bad += strcmp(a[i], b[i]) != 0;
	EXPECT("old getdents lists the same names and types", bad == 0);
	free_names(a, na);
	free_names(b, nb);
	lseek(fd, 0, SEEK_SET);
	SHOW("getdents buffer of 1 byte", syscall(SYS_getdents, fd, dbuf, 1));

	lseek(fd, 0, SEEK_SET);
	SHOW("getdents64 buffer of 1 byte", syscall(SYS_getdents64, fd, dbuf, 1));
	while (syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf)) > 0)
		;
	SHOW("getdents64 at end", syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf)));
	close(fd);

	DIR *d = opendir("/etc");
	struct dirent *de;
	int nr = 0;
	while ((de = readdir(d)) != NULL)
		nr++;
	closedir(d);
	EXPECT("readdir count matches getdents64", nr == na);

	fd = open("/etc/passwd", O_RDONLY);
	SHOW("getdents64 on a file", syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf)));
	close(fd);
	SHOW("getdents64 bad fd", syscall(SYS_getdents64, 4242, dbuf, sizeof(dbuf)));
	SHOW("open O_DIRECTORY missing", open("/etc/no-such-dir-uos", O_RDONLY | O_DIRECTORY));
	return 0;
}
