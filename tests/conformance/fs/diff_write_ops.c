/* fs_write_ops: create, write, rename, link, symlink, chmod, truncate and
 * delete files in a scratch directory, printing what each call returns and
 * what stat and getdents see afterwards, errors included (EEXIST, ENOENT,
 * ENOTDIR, EISDIR, ENOTEMPTY, EINVAL, ELOOP, EBADF).
 *
 * Usage: fs_write_ops DIR, where DIR is an empty scratch directory made by
 * `difftest --scratch`.  The program chdirs into DIR and uses relative
 * paths only, so it never writes anywhere else; natively DIR is a fresh
 * host directory, under uos the same path inside the overlay. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "guest.h"

static void show_stat(const char *name)
{
	struct stat st;

	if (lstat(name, &st)) {
		printf("stat %s: %s\n", name, ename(errno));
		return;
	}
	/* A directory's size is the filesystem's own business. */
	printf("stat %s: mode %o nlink %lu size %lld\n", name, (unsigned)st.st_mode,
	       (unsigned long)st.st_nlink, S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of a directory (readdir order is the filesystem's own). */
static void list(const char *name)
{
	char *names[64];
	int n = 0;
	DIR *dir = opendir(name);
	struct dirent *e;

	if (!dir) {
		printf("list %s: %s\n", name, ename(errno));
		return;
	}
	while ((e = readdir(dir)) && n < 64)
		names[n++] = strdup(e->d_name);
	closedir(dir);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("list %s:", name);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void show_file(const char *name)
{
	char buf[128] = "";
	int fd = open(name, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n < 0)
		printf("%s: %s\n", name, ename(errno));
	else
		printf("%s holds %ld bytes '%s'\n", name, n, buf);
	if (fd >= 0)
		close(fd);
}

static void files(void)
{
	char buf[64] = "";
	int fd = open("a", O_CREAT | O_EXCL | O_RDWR, 0666);

	SHOW("create a", fd >= 0 ? 0 : -1);
	SHOW("create a again (O_EXCL)", open("a", O_CREAT | O_EXCL | O_RDWR, 0644));
	SHOW("write a", write(fd, "hello world", 11));
	SHOW("pwrite a", pwrite(fd, "HELLO", 5, 0));
	SHOW("pread a", pread(fd, buf, sizeof(buf) - 1, 0));
	printf("a holds '%s'\n", buf);
	SHOW("ftruncate a 5", ftruncate(fd, 5));
	SHOW("lseek end", lseek(fd, 0, SEEK_END));
	close(fd);
	fd = open("a", O_WRONLY | O_APPEND);
	SHOW("append", write(fd, "!!", 2));
	close(fd);
	show_file("a");
	SHOW("truncate a 3", truncate("a", 3));
	show_file("a");
	SHOW("truncate a -1", truncate("a", -1));
	SHOW("truncate missing", truncate("missing", 0));
	fd = open("a", O_RDONLY);
	SHOW("ftruncate read-only fd", ftruncate(fd, 0));
	SHOW("write read-only fd", write(fd, "x", 1));
	close(fd);
	fd = open("a", O_WRONLY | O_TRUNC);
	close(fd);
	show_stat("a");
	fd = creat("b", 0600);
	SHOW("write b", write(fd, "bee", 3));
	close(fd);
	show_stat("b");
	SHOW("open dir for writing", open(".", O_WRONLY));
	SHOW("open O_CREAT dir", open(".", O_CREAT | O_RDONLY, 0644));
	SHOW("open missing/x O_CREAT", open("missing/x", O_CREAT | O_WRONLY, 0644));
}

static void dirs(void)
{
	SHOW("mkdir d", mkdir("d", 0755));
	SHOW("mkdir d again", mkdir("d", 0755));
	SHOW("mkdir a/x (a is a file)", mkdir("a/x", 0755));
	SHOW("mkdir d/e", mkdir("d/e", 0700));
	SHOW("mkdir d/e/", mkdir("d/f/", 0700));
	show_stat("d");
	SHOW("rmdir d (not empty)", rmdir("d"));
	SHOW("rmdir a (a file)", rmdir("a"));
	SHOW("rmdir missing", rmdir("missing"));
	SHOW("rmdir d/.", rmdir("d/."));
	SHOW("unlink d (a dir)", unlink("d"));
	SHOW("rmdir d/f", rmdir("d/f"));
	list("d");
	SHOW("mknod fifo", mknod("fifo", S_IFIFO | 0644, 0));
	SHOW("mknod reg", mknod("reg", S_IFREG | 0644, 0));
	SHOW("mknod dir", mknod("dir", S_IFDIR | 0644, 0));
	show_stat("fifo");
	show_stat("reg");
}

static void links(void)
{
	char buf[64] = "";

	SHOW("link a c", link("a", "c"));
	SHOW("link a c again", link("a", "c"));
	SHOW("link d d2 (a dir)", link("d", "d2"));
	SHOW("link missing", link("missing", "x"));
	show_stat("a");
	SHOW("symlink a s", symlink("a", "s"));
	SHOW("symlink again", symlink("a", "s"));
	SHOW("symlink dangling", symlink("nowhere", "dangle"));
	SHOW("readlink s", readlink("s", buf, sizeof(buf)));
	printf("s -> '%s'\n", buf);
	show_stat("s");
	int fd = open("dangle", O_CREAT | O_WRONLY, 0644);
	SHOW("create through dangling symlink", fd >= 0 ? 0 : -1);
	close(fd);
	show_stat("nowhere");
	SHOW("symlink loop1", symlink("loop2", "loop1"));
	SHOW("symlink loop2", symlink("loop1", "loop2"));
	SHOW("open loop", open("loop1", O_RDONLY));
	SHOW("open s O_NOFOLLOW", open("s", O_RDONLY | O_NOFOLLOW));
}

static void renames(void)
{
	SHOW("rename b b2", rename("b", "b2"));
	SHOW("rename missing", rename("missing", "x"));
	SHOW("rename b2 over c", rename("b2", "c"));
	show_file("c");
	show_stat("a");
	SHOW("rename d over a (dir over file)", rename("d", "a"));
	SHOW("rename a over d (file over dir)", rename("a", "d"));
	SHOW("mkdir full", mkdir("full", 0755));
	SHOW("mkdir full/x", mkdir("full/x", 0755));
	SHOW("rename d over full (not empty)", rename("d", "full"));
	SHOW("rename d into itself", rename("d", "d/e/inner"));
	SHOW("rename d d3", rename("d", "d3"));
	list("d3");
	SHOW("rename a to itself via link", rename("a", "a"));
	SHOW("renameat2 NOREPLACE", renameat2(AT_FDCWD, "a", AT_FDCWD, "c", RENAME_NOREPLACE));
	SHOW("renameat2 EXCHANGE", renameat2(AT_FDCWD, "a", AT_FDCWD, "d3", RENAME_EXCHANGE));
	show_stat("a");
	show_stat("d3");
	SHOW("renameat2 EXCHANGE missing", renameat2(AT_FDCWD, "a", AT_FDCWD, "zz", RENAME_EXCHANGE));
	SHOW("renameat2 bad flags", renameat2(AT_FDCWD, "a", AT_FDCWD, "c", 3));
}

static void attrs(void)
{
	struct timespec ts[2] = {{1000000000, 5}, {1200000000, 7}};
	struct stat st;

	SHOW("chmod c 640", chmod("c", 0640));
	SHOW("chmod missing", chmod("missing", 0640));
	show_stat("c");
	int fd = open("c", O_RDONLY);
	SHOW("fchmod 4755", fchmod(fd, 04755));
	show_stat("c");
	SHOW("fchown -1 -1 (clears set-uid)", fchown(fd, -1, -1));
	show_stat("c");
	close(fd);
	SHOW("chown 1:2", chown("c", 1, 2));
	stat("c", &st);
	printf("c owner %u:%u\n", st.st_uid, st.st_gid);
	SHOW("lchown s 3:4", lchown("s", 3, 4));
	lstat("s", &st);
	printf("s owner %u:%u\n", st.st_uid, st.st_gid);
	SHOW("utimensat", utimensat(AT_FDCWD, "c", ts, 0));
	stat("c", &st);
	printf("c times %lld.%ld %lld.%ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	SHOW("utimensat bad nsec", utimensat(AT_FDCWD, "c", (struct timespec[2]){{0, -5}, {0, 0}}, 0));
	SHOW("umask 077", umask(077));
	SHOW("mkdir masked", mkdir("masked", 0777));
	show_stat("masked");
	umask(022);
}

static void removal(void)
{
	int fd = open("c", O_RDWR);

	SHOW("unlink c while open", unlink("c"));
	SHOW("unlink c again", unlink("c"));
	SHOW("write unlinked", write(fd, "still here", 10));
	struct stat st;
	fstat(fd, &st);
	printf("unlinked nlink %lu size %lld\n", (unsigned long)st.st_nlink, (long long)st.st_size);
	close(fd);
	SHOW("unlink s", unlink("s"));
	SHOW("unlink trailing slash", unlink("a/"));
	SHOW("rmdir full/x", rmdir("full/x"));
	SHOW("rmdir full", rmdir("full"));
	list(".");
}

int main(int argc, char **argv)
{
	close_inherited_fds();
	if (argc < 2 || chdir(argv[1])) {
		printf("usage: fs_write_ops SCRATCHDIR\n");
		return 2;
	}
	umask(022);
	files();
	dirs();
	links();
	renames();
	attrs();
	removal();
	return 0;
}
