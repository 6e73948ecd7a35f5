/* fs_erofs: on a read-only file system, every call that would change it
 * fails, with the errno the kernel picks (EROFS, or the lookup error that
 * takes precedence), while reads still work.
 *
 * Usage: fs_erofs DIR, where DIR holds a scratch tree made by
 * `difftest --ro-scratch` (file, dir/inner, link -> file) and is read-only:
 * natively through a read-only bind mount, under uos because the host is.
 * The program first proves that DIR is read-only (creating a file must fail
 * with EROFS) and otherwise stops before touching anything: it must never
 * change a writable tree. Paths are printed relative to DIR. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include "guest.h"

static void creating_calls(int d)
{
	SHOW("open O_CREAT|O_EXCL file", openat(d, "file", O_CREAT | O_EXCL | O_WRONLY, 0644));
	SHOW("open O_CREAT existing, O_RDONLY", openat(d, "file", O_CREAT | O_RDONLY, 0644) >= 0);
	SHOW("open O_TMPFILE", openat(d, "dir", O_TMPFILE | O_RDWR, 0600));
	SHOW("mkdir new", mkdirat(d, "new", 0755));
	SHOW("mkdir existing", mkdirat(d, "dir", 0755));
	SHOW("mknod fifo", mknodat(d, "new", S_IFIFO | 0644, 0));
	SHOW("symlink new", symlinkat("file", d, "new"));
	SHOW("symlink existing", symlinkat("file", d, "link"));
	SHOW("link", linkat(d, "file", d, "new", 0));
}

static void changing_calls(int d)
{
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };

	SHOW("open O_WRONLY file", openat(d, "file", O_WRONLY));
	SHOW("open O_RDWR file", openat(d, "file", O_RDWR));
	SHOW("open O_RDONLY|O_TRUNC file", openat(d, "file", O_RDONLY | O_TRUNC));
	SHOW("open O_WRONLY missing", openat(d, "new", O_WRONLY));
	SHOW("open O_WRONLY dir", openat(d, "dir", O_WRONLY));
	SHOW("unlink file", unlinkat(d, "file", 0));
	SHOW("unlink missing", unlinkat(d, "new", 0));
	SHOW("unlink dir", unlinkat(d, "dir", 0));
	SHOW("rmdir dir", unlinkat(d, "dir", AT_REMOVEDIR));
	SHOW("rmdir missing", unlinkat(d, "new", AT_REMOVEDIR));
	SHOW("rename file", renameat(d, "file", d, "new"));
	SHOW("rename missing", renameat(d, "new", d, "new2"));
	SHOW("chmod", fchmodat(d, "file", 0600, 0));
	SHOW("chown", fchownat(d, "file", 0, 0, 0));
	SHOW("utimensat", utimensat(d, "file", ts, 0));
	SHOW("access W_OK", faccessat(d, "file", W_OK, 0));
	SHOW("access R_OK", faccessat(d, "file", R_OK, 0));
	SHOW("access W_OK missing", faccessat(d, "new", W_OK, 0));
}

static void fd_calls(int d)
{
	char buf[16];
	int fd = openat(d, "file", O_RDONLY);

	SHOW("open O_RDONLY file", fd >= 0 ? 0 : -1);
	SHOW("read", read(fd, buf, sizeof(buf)));
	SHOW("write to O_RDONLY fd", write(fd, "x", 1));
	SHOW("ftruncate O_RDONLY fd", ftruncate(fd, 0));
	SHOW("fchmod", fchmod(fd, 0600));
	SHOW("fchown", fchown(fd, 0, 0));
	SHOW("futimens", futimens(fd, NULL));
	SHOW("fsetxattr", fsetxattr(fd, "user.uos", "x", 1, 0));
	close(fd);
}

int main(int argc, char **argv)
{
	struct stat st;
	int d, probe;

	close_inherited_fds();
	if (argc != 2) {
		fprintf(stderr, "usage: fs_erofs SCRATCH-DIR\n");
		return 2;
	}
	d = open(argv[1], O_RDONLY | O_DIRECTORY);
	probe = openat(d, "probe", O_CREAT | O_EXCL | O_WRONLY, 0644);
	if (probe >= 0 || errno != EROFS) {
		printf("scratch dir is not read-only (%s): stopping\n", probe >= 0 ? "created" : ename(errno));
		if (probe >= 0)
			unlinkat(d, "probe", 0);
		return 1;
	}
	printf("create in scratch dir: EROFS\n");
	creating_calls(d);
	changing_calls(d);
	fd_calls(d);
	SHOW("file still there", fstatat(d, "file", &st, 0));
	printf("file size: %lld\n", (long long)st.st_size);
	SHOW("new still absent", fstatat(d, "new", &st, 0));
	return 0;
}
