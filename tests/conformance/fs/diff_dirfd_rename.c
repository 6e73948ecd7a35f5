/* fs_dirfd_rename: a directory fd, the cwd and /proc/self/fd links follow
 * renames of the directory and of its ancestors (openat, fstatat, mkdirat,
 * fchdir, getcwd, readlink), RENAME_EXCHANGE swaps them, and a removed
 * directory's fd and cwd behave as Linux's (ENOENT, "(deleted)"); fsync and
 * fdatasync on directory fds, EBADF on O_PATH fds.
 *
 * Usage: fs_dirfd_rename DIR (a scratch directory from `difftest --scratch`). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "guest.h"

static const char *scratch;

/* Print a path with the scratch directory's prefix replaced by "DIR". */
static void show_path(const char *what, const char *p)
{
	size_t n = strlen(scratch);

	if (!strncmp(p, scratch, n))
		printf("%s: DIR%s\n", what, p + n);
	else
		printf("%s: %s\n", what, p);
}

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
	show_path(what, buf);
}

static void show_cwd(const char *what)
{
	char buf[4096];
	errno = 0;
	if (!getcwd(buf, sizeof(buf)))
		show_result(what, -1, errno);
	else
		show_path(what, buf);
}

static void test_rename_self(void)
{
	struct stat st;
	SHOW("mkdir a", mkdir("a", 0755));
	int d = open("a", O_RDONLY | O_DIRECTORY);
	SHOW("rename a b", rename("a", "b"));
	SHOW("openat creat", openat(d, "f", O_CREAT | O_WRONLY, 0644) >= 0);
	SHOW("fstatat f", fstatat(d, "f", &st, 0));
	SHOW("stat b/f", stat("b/f", &st));
	SHOW("mkdirat sub", mkdirat(d, "sub", 0755));
	SHOW("fstatat ..", fstatat(d, "../b/sub", &st, 0));
	SHOW("faccessat", faccessat(d, "f", R_OK, 0));
	show_fdlink("fd link after rename", d);
	SHOW("renameat inside", renameat(d, "f", d, "g"));
	SHOW("stat b/g", stat("b/g", &st));
	close(d);
}

static void test_rename_ancestor(void)
{
	struct stat st;
	SHOW("mkdir p", mkdir("p", 0755));
	SHOW("mkdir p/q", mkdir("p/q", 0755));
	SHOW("mkdir p/q/r", mkdir("p/q/r", 0755));
	int d = open("p/q/r", O_RDONLY | O_DIRECTORY);
	int f = open("p/q/r/file", O_CREAT | O_RDWR, 0644);
	SHOW("rename p P", rename("p", "P"));
	SHOW("openat after ancestor rename", openat(d, "x", O_CREAT | O_WRONLY, 0600) >= 0);
	SHOW("stat P/q/r/x", stat("P/q/r/x", &st));
	show_fdlink("dir link", d);
	show_fdlink("file link", f);
	SHOW("fchdir", fchdir(d));
	show_cwd("cwd after fchdir");
	SHOW("rename while inside", rename("../../../P", "../../../PP"));
	show_cwd("cwd after rename");
	SHOW("stat relative", stat("x", &st));
	SHOW("stat ..", stat("../r/x", &st));
	SHOW("chdir back", chdir(scratch));
	close(f);
	close(d);
}

static void test_exchange(void)
{
	SHOW("mkdir e1", mkdir("e1", 0755));
	SHOW("mkdir e2", mkdir("e2", 0755));
	SHOW("mkdir e1/in", mkdir("e1/in", 0755));
	int d1 = open("e1/in", O_RDONLY | O_DIRECTORY);
	int d2 = open("e2", O_RDONLY | O_DIRECTORY);
	int dup1 = dup(d1);
	SHOW("exchange", renameat2(AT_FDCWD, "e1", AT_FDCWD, "e2", RENAME_EXCHANGE));
	show_fdlink("e1/in now", d1);
	show_fdlink("dup now", dup1);
	show_fdlink("e2 now", d2);
	SHOW("openat in swapped", openat(d2, "y", O_CREAT | O_WRONLY, 0600) >= 0);
	SHOW("openat in swapped child", openat(d1, "w", O_CREAT | O_WRONLY, 0600) >= 0);
	struct stat st;
	SHOW("stat e1/y", stat("e1/y", &st));
	SHOW("stat e2/in/w", stat("e2/in/w", &st));
	close(d1);
	close(d2);
	close(dup1);
}

static void test_removed(void)
{
	struct stat st;
	SHOW("mkdir gone", mkdir("gone", 0755));
	int d = open("gone", O_RDONLY | O_DIRECTORY);
	SHOW("chdir gone", chdir("gone"));
	SHOW("rmdir gone", rmdir("../gone"));
	show_cwd("getcwd of removed");
	SHOW("creat in removed cwd", open("z", O_CREAT | O_WRONLY, 0600));
	SHOW("openat in removed", openat(d, "z", O_CREAT | O_WRONLY, 0600));
	SHOW("fstatat . removed", fstatat(d, "", &st, AT_EMPTY_PATH));
	SHOW("fstatat mode", (fstatat(d, "", &st, AT_EMPTY_PATH), st.st_mode & 07777));
	SHOW("getdents removed", syscall(SYS_getdents64, d, (char[256]){0}, 256));
	show_fdlink("removed link", d);
	SHOW("chdir back", chdir(scratch));
	SHOW("mkdir gone again", mkdir("gone", 0755));
	SHOW("openat in removed, name back", openat(d, "z", O_CREAT | O_WRONLY, 0600));
	close(d);
}

static void test_unlinked_files(void)
{
	struct stat st;
	int a = open("ua", O_CREAT | O_RDWR, 0600);
	int b = open("ub", O_CREAT | O_RDWR, 0600);
	SHOW("link ua ua2", link("ua", "ua2"));
	int a2 = open("ua2", O_RDONLY);
	SHOW("unlink ua", unlink("ua"));
	show_fdlink("unlinked (other link left)", a);
	show_fdlink("by the other link", a2);
	SHOW("rename ua2 ub (over ub)", rename("ua2", "ub"));
	show_fdlink("replaced by rename", b);
	show_fdlink("renamed", a2);
	SHOW("fstatat empty unlinked", fstatat(a, "", &st, AT_EMPTY_PATH));
	printf("nlink %ld\n", (long)st.st_nlink);
	SHOW("write unlinked", write(a, "abc", 3));
	int solo = open("solo", O_CREAT | O_RDWR, 0600);
	SHOW("unlink solo", unlink("solo"));
	SHOW("linkat no links left", linkat(solo, "", AT_FDCWD, "relinked", AT_EMPTY_PATH));
	close(solo);
	SHOW("fstat replaced", fstat(b, &st));
	printf("nlink %ld\n", (long)st.st_nlink);
	close(a);
	close(a2);
	close(b);
}

static void test_fsync(void)
{
	int d = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("fsync dir", fsync(d));
	SHOW("fdatasync dir", fdatasync(d));
	close(d);
	d = open(".", O_PATH);
	SHOW("fsync O_PATH", fsync(d));
	SHOW("fdatasync O_PATH", fdatasync(d));
	close(d);
	d = open("/proc/self", O_RDONLY | O_DIRECTORY);
	SHOW("fsync /proc/self", fsync(d));
	close(d);
	d = open("/", O_RDONLY | O_DIRECTORY);
	SHOW("fsync /", fsync(d));
	close(d);
	d = open("/dev", O_RDONLY | O_DIRECTORY);
	SHOW("fsync /dev", fsync(d));
	close(d);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	close_inherited_fds();
	scratch = argv[1];
	if (chdir(scratch))
		return 2;
	test_rename_self();
	test_rename_ancestor();
	test_exchange();
	test_removed();
	test_unlinked_files();
	test_fsync();
	return 0;
}
