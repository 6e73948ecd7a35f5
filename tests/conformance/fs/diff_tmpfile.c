/* fs_tmpfile: O_TMPFILE makes an unnamed regular file in a directory (nlink
 * 0, the umask applied, not listed), which linkat gives a name through
 * AT_EMPTY_PATH or /proc/self/fd/N with AT_SYMLINK_FOLLOW, unless it was
 * opened with O_EXCL; the errnos of bad flags and bad directories.
 *
 * Usage: fs_tmpfile DIR (a scratch directory from `difftest --scratch`). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "guest.h"

static const char *scratch;

/* The fd's link with the scratch prefix as DIR and "#<ino>" as "#INO". */
static void show_fdlink(const char *what, int fd)
{
	char link[64], buf[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0) {
		show_result(what, n, errno);
		return;
	}
	buf[n] = 0;
	size_t sl = strlen(scratch);
	const char *p = strncmp(buf, scratch, sl) ? buf : buf + sl;
	char *hash = strchr(p, '#');
	if (hash) {
		char *end = hash + 1;
		while (*end >= '0' && *end <= '9')
			end++;
		printf("%s: %s%.*s#INO%s\n", what, p == buf ? "" : "DIR", (int)(hash - p), p,
		       end);
	} else {
		printf("%s: %s%s\n", what, p == buf ? "" : "DIR", p);
	}
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_basic(void)
{
	struct stat st;
	char buf[16] = "";
	SHOW("mkdir t", mkdir("t", 0755));
	umask(022);
	int fd = open("t", O_TMPFILE | O_RDWR, 0666);
	SHOW("open tmpfile", fd >= 0);
	SHOW("write", write(fd, "hello", 5));
	SHOW("fstat", fstat(fd, &st));
	printf("mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
	SHOW("entries in t", count_entries("t"));
	show_fdlink("tmpfile link", fd);
	SHOW("F_GETFL", fcntl(fd, F_GETFL) & ~0100000);
	SHOW("linkat empty", linkat(fd, "", AT_FDCWD, "t/named", AT_EMPTY_PATH));
	SHOW("stat named", stat("t/named", &st));
	printf("mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
	SHOW("fstat after link", fstat(fd, &st));
	printf("nlink %ld\n", (long)st.st_nlink);
	show_fdlink("link after linkat", fd);
	SHOW("linkat again", linkat(fd, "", AT_FDCWD, "t/second", AT_EMPTY_PATH));
	SHOW("linkat existing", linkat(fd, "", AT_FDCWD, "t/named", AT_EMPTY_PATH));
	close(fd);
	int r = open("t/named", O_RDONLY);
	SHOW("read named", read(r, buf, sizeof(buf)));
	printf("data: %s\n", buf);
	close(r);
	SHOW("entries in t", count_entries("t"));
}

static void test_proc_link(void)
{
	char link[64];
	struct stat st;
	int fd = open("t", O_TMPFILE | O_WRONLY, 0600);
	SHOW("open tmpfile wronly", fd >= 0);
	SHOW("write", write(fd, "abc", 3));
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	SHOW("linkat proc follow", linkat(AT_FDCWD, link, AT_FDCWD, "t/viaproc", AT_SYMLINK_FOLLOW));
	SHOW("stat viaproc", stat("t/viaproc", &st));
	printf("mode %o size %ld\n", st.st_mode, (long)st.st_size);
	close(fd);
}

static void test_excl_and_unlinked(void)
{
	int fd = open("t", O_TMPFILE | O_RDWR | O_EXCL, 0600);
	SHOW("open tmpfile excl", fd >= 0);
	SHOW("linkat excl", linkat(fd, "", AT_FDCWD, "t/excl", AT_EMPTY_PATH));
	close(fd);
	fd = open("t", O_TMPFILE | O_RDWR, 0600);
	int closed_fd = fd;
	close(fd);
	SHOW("linkat closed", linkat(closed_fd, "", AT_FDCWD, "t/closed", AT_EMPTY_PATH));
	SHOW("entries in t", count_entries("t"));
}

static void test_errors(void)
{
	SHOW("tmpfile rdonly", open("t", O_TMPFILE | O_RDONLY, 0600));
	SHOW("tmpfile creat", open("t", O_TMPFILE | O_CREAT | O_RDWR, 0600));
	SHOW("tmpfile on file", open("t/named", O_TMPFILE | O_RDWR, 0600));
	SHOW("tmpfile missing", open("nope", O_TMPFILE | O_RDWR, 0600));
	SHOW("tmpfile in proc", open("/proc", O_TMPFILE | O_RDWR, 0600));
	SHOW("O_DIRECTORY|O_RDWR", open("t", O_DIRECTORY | O_RDWR));
	SHOW("chmod t 0500", chmod("t", 0500));
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	close_inherited_fds();
	scratch = argv[1];
	if (chdir(scratch))
		return 2;
	test_basic();
	test_proc_link();
	test_excl_and_unlinked();
	test_errors();
	return 0;
}
