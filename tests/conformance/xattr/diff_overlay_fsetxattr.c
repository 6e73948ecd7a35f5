/* xattr_overlay_fsetxattr: fsetxattr on a read-only fd of a file that
 * existed before the program started.  Under uos the file is the overlay's
 * lower layer (the host), which Linux's overlayfs copies up: the call
 * succeeds, the fd and the path then show the attribute, the fd keeps its
 * identity (st_dev, st_ino) and its data.  fchmod and fchown on such an
 * fd copy up too.  Natively it is a plain file.
 *
 * Usage: xattr_overlay_fsetxattr DIR, where DIR holds the tree `difftest
 * --scratch-tree` makes (file, dir/inner, link -> file). */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include "guest.h"

static void show_attr(const char *what, long n, const char *buf)
{
	if (n < 0)
		printf("%s: %s\n", what, ename(errno));
	else
		printf("%s: %ld '%.*s'\n", what, n, (int)n, buf);
}

int main(int argc, char **argv)
{
	struct stat before, after, path;
	char buf[64];

	close_inherited_fds();
	if (argc < 2 || chdir(argv[1])) {
		printf("usage: xattr_overlay_fsetxattr SCRATCHDIR\n");
		return 2;
	}
	int fd = open("file", O_RDONLY);
	SHOW("open file O_RDONLY", fd);
	fstat(fd, &before);
	SHOW("fsetxattr user.x", fsetxattr(fd, "user.x", "one", 3, 0));
	show_attr("fgetxattr user.x", fgetxattr(fd, "user.x", buf, sizeof(buf)), buf);
	show_attr("getxattr file user.x", getxattr("file", "user.x", buf, sizeof(buf)), buf);
	SHOW("fsetxattr user.x replace", fsetxattr(fd, "user.x", "two", 3, XATTR_REPLACE));
	show_attr("getxattr file user.x", getxattr("file", "user.x", buf, sizeof(buf)), buf);
	SHOW("fremovexattr user.x", fremovexattr(fd, "user.x"));
	show_attr("fgetxattr user.x", fgetxattr(fd, "user.x", buf, sizeof(buf)), buf);
	SHOW("fsetxattr dir/inner O_RDONLY user.y", ({
		     int d = open("dir/inner", O_RDONLY);
		     long r = fsetxattr(d, "user.y", "y", 1, 0);
		     close(d);
		     r;
	     }));
	show_attr("getxattr dir/inner user.y", getxattr("dir/inner", "user.y", buf, sizeof(buf)),
		  buf);
	SHOW("fchmod dir/inner O_RDONLY 640", ({
		     int d = open("dir/inner", O_RDONLY);
		     long r = fchmod(d, 0640);
		     r = r ? r : fchown(d, 0, 0);
		     close(d);
		     r;
	     }));
	stat("dir/inner", &path);
	printf("dir/inner mode %o\n", (unsigned)path.st_mode & 07777);
	fstat(fd, &after);
	stat("file", &path);
	EXPECT("fd keeps its identity", before.st_dev == after.st_dev && before.st_ino == after.st_ino);
	EXPECT("fd and path are one file", path.st_dev == after.st_dev && path.st_ino == after.st_ino);
	long n = pread(fd, buf, sizeof(buf), 0);
	show_attr("data through the fd", n, buf);
	close(fd);
	return 0;
}
