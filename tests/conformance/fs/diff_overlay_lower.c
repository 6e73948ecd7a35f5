/* fs_overlay_lower: change files that existed before the program started:
 * append to one, chmod and truncate another, delete and recreate names,
 * replace a directory by a file and a file by a directory, and list the
 * results.  Under uos those files are the overlay's lower layer (the host),
 * so this exercises copy-up, whiteouts and opaque directories; natively
 * it is plain file work, and the outputs must match.
 *
 * Usage: fs_overlay_lower DIR, where DIR holds the tree `difftest
 * --scratch-tree` makes (file, dir/inner, link -> file).  The program
 * chdirs into DIR and uses relative paths only. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "guest.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

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

static void show(const char *name)
{
	char buf[128] = "";
	struct stat st;
	int fd;

	if (lstat(name, &st)) {
		printf("%s: %s\n", name, ename(errno));
		return;
	}
	printf("%s: mode %o nlink %lu", name, (unsigned)st.st_mode, (unsigned long)st.st_nlink);
	if (S_ISREG(st.st_mode) && (fd = open(name, O_RDONLY)) >= 0) {
		long n = read(fd, buf, sizeof(buf) - 1);
		printf(" data %ld '%s'", n, buf);
		close(fd);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	struct stat before, after;

	close_inherited_fds();
	if (argc < 2 || chdir(argv[1])) {
		printf("usage: fs_overlay_lower SCRATCHDIR\n");
		return 2;
	}
	umask(022);
	list(".");
	show("file");
	stat("file", &before);
	int fd = open("file", O_WRONLY | O_APPEND);
	SHOW("append to file", write(fd, "more\n", 5));
	close(fd);
	show("file");
	stat("file", &after);
	EXPECT("inode number stable over the change", before.st_ino == after.st_ino);
	show("link");
	SHOW("chmod dir/inner 600", chmod("dir/inner", 0600));
	SHOW("truncate dir/inner 2", truncate("dir/inner", 2));
	show("dir/inner");
	SHOW("link file file2", link("file", "file2"));
	show("file");
	SHOW("unlink file", unlink("file"));
	show("file");
	show("file2");
	show("link");
	SHOW("recreate file", (fd = open("file", O_CREAT | O_EXCL | O_WRONLY, 0640)) >= 0 ? 0 : -1);
	SHOW("write new file", write(fd, "new\n", 4));
	close(fd);
	show("link");
	SHOW("rmdir dir (not empty)", rmdir("dir"));
	SHOW("unlink dir/inner", unlink("dir/inner"));
	list("dir");
	SHOW("rmdir dir", rmdir("dir"));
	list(".");
	SHOW("mkdir dir again", mkdir("dir", 0750));
	list("dir");
	show("dir/inner");
	SHOW("mkdir dir/sub", mkdir("dir/sub", 0755));
	SHOW("rename file2 dir/sub/moved", rename("file2", "dir/sub/moved"));
	show("dir/sub/moved");
	SHOW("rename link over file", rename("link", "file"));
	show("file");
	list(".");
	SHOW("symlink file again", symlink("dir", "link"));
	show("link/sub/moved");
	return 0;
}
