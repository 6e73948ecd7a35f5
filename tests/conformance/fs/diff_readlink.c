/* fs_readlink: readlink and readlinkat return the target without a NUL,
 * truncate silently to the buffer, refuse non-links with EINVAL, and
 * /proc/self/exe names the running program. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "guest.h"

static void show_link(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n;

	memset(buf, 'X', sizeof(buf));
	errno = 0;
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("readlink %s = -1 %s\n", path, ename(errno));
		return;
	}
	printf("readlink %s = %zd \"%.*s\" next byte %s\n", path, n, (int)n, buf,
	       buf[n] == 'X' ? "untouched" : "WRITTEN");
}

int main(int argc, char **argv)
{
	char buf[PATH_MAX], real[PATH_MAX];
	ssize_t n;
	int fd;

	close_inherited_fds();
	show_link("/bin");
	show_link("/lib64/ld-linux-x86-64.so.2");
	show_link("/etc/passwd");
	show_link("/etc/no-such-file-uos");
	show_link("/etc/passwd/x");
	show_link("");

	memset(buf, 0, sizeof(buf));
	SHOW("readlink /bin bufsiz 3", readlink("/bin", buf, 3));
	printf("truncated: \"%s\"\n", buf);
	SHOW("readlink bufsiz 0", readlink("/bin", buf, 0));

	fd = open("/", O_RDONLY | O_DIRECTORY);
	SHOW("readlinkat dirfd bin", readlinkat(fd, "bin", buf, sizeof(buf)));
	SHOW("readlinkat dirfd etc", readlinkat(fd, "etc", buf, sizeof(buf)));
	close(fd);
	fd = open("/bin", O_PATH | O_NOFOLLOW);
	SHOW("readlinkat O_PATH link, empty name", readlinkat(fd, "", buf, sizeof(buf)));
	close(fd);

	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n >= 0)
		buf[n] = '\0';
	if (!realpath(argv[0], real))
		strcpy(real, "?");
	EXPECT("/proc/self/exe is the program", n > 0 && strcmp(buf, real) == 0);
	(void)argc;
	return 0;
}
