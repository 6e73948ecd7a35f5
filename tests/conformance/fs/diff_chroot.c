/* fs_chroot: chroot(2) and openat2's RESOLVE_IN_ROOT. After chroot "/"
 * and absolute symlinks lead to the new root and ".." stops there; the cwd
 * stays where it was (getcwd says "(unreachable)" while it is outside), so
 * the walk from it may still climb out, as in Linux. Children inherit the
 * root; chroot needs privilege (EPERM) after the path and search checks.
 *
 * Usage: fs_chroot DIR (a scratch directory from `difftest --scratch`). */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "guest.h"

static char path[4096];

static const char *at(const char *dir, const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void put(const char *p, const char *text)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		write(fd, text, strlen(text));
		close(fd);
	}
}

/* "what: TEXT" read from an open result, or the errno. */
static void show_text(const char *what, int fd)
{
	char buf[64];
	if (fd < 0) {
		show_result(what, fd, errno);
		return;
	}
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	printf("%s: %s\n", what, buf);
}

static void show_cwd(const char *what)
{
	char buf[4096];
	if (!getcwd(buf, sizeof(buf)))
		show_result(what, -1, errno);
	else if (!strncmp(buf, "(unreachable)", 13))
		printf("%s: (unreachable)...\n", what);
	else
		printf("%s: %s\n", what, buf);
}

static int in_root(int dirfd, const char *name, unsigned long long resolve)
{
	struct open_how how = {.flags = O_RDONLY, .resolve = resolve};
	return (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
}

/* As an unprivileged user: EACCES on a locked directory, then EPERM. */
static void unprivileged(const char *dir)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(1);
		SHOW("nobody: chroot locked dir", chroot(at(dir, "locked/in")));
		SHOW("nobody: chroot jail", chroot(at(dir, "jail")));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *dir = argv[1];
	close_inherited_fds();
	mkdir(at(dir, "jail"), 0755);
	mkdir(at(dir, "jail/sub"), 0755);
	mkdir(at(dir, "locked"), 0700);
	mkdir(at(dir, "locked/in"), 0755);
	put(at(dir, "jail/f"), "inside");
	put(at(dir, "jail/sub/g"), "nested");
	put(at(dir, "f"), "outside");
	symlink("/f", at(dir, "jail/abs"));
	symlink("../../../../../f", at(dir, "jail/up"));

	int jail = open(at(dir, "jail"), O_RDONLY | O_DIRECTORY);
	show_text("in_root /f", in_root(jail, "/f", RESOLVE_IN_ROOT));
	show_text("in_root ../../f", in_root(jail, "../../f", RESOLVE_IN_ROOT));
	show_text("in_root abs", in_root(jail, "abs", RESOLVE_IN_ROOT));
	show_text("in_root up", in_root(jail, "up", RESOLVE_IN_ROOT));
	show_text("without in_root abs", in_root(jail, "abs", 0));
	show_text("in_root|beneath", in_root(jail, "f", RESOLVE_IN_ROOT | RESOLVE_BENEATH));
	show_text("in_root magic link", in_root(jail, "/proc/self/fd/0", RESOLVE_IN_ROOT));
	close(jail);

	SHOW("chroot bad pointer", chroot((const char *)8));
	SHOW("chroot empty", chroot(""));
	SHOW("chroot missing", chroot(at(dir, "missing")));
	SHOW("chroot file", chroot(at(dir, "f")));
	SHOW("chroot file/", chroot(at(dir, "jail/f/")));
	if (getuid() == 0)
		unprivileged(dir);

	chdir(dir);
	int outside = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("chroot jail", chroot("jail"));
	show_cwd("cwd after chroot");
	show_text("/f", open("/f", O_RDONLY));
	show_text("/abs", open("/abs", O_RDONLY));
	show_text("/up", open("/up", O_RDONLY));
	show_text("/../../f", open("/../../f", O_RDONLY));
	struct stat root, dotdot;
	stat("/", &root);
	stat("/..", &dotdot);
	EXPECT("/.. is /", root.st_ino == dotdot.st_ino && root.st_dev == dotdot.st_dev);
	show_text("f from the old cwd", open("f", O_RDONLY));

	SHOW("chdir /sub", chdir("/sub"));
	show_cwd("cwd /sub");
	SHOW("chdir ../../..", chdir("../../.."));
	show_cwd("cwd up from /sub");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show_text("child /sub/g", open("/sub/g", O_RDONLY));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);

	SHOW("fchdir outside", fchdir(outside));
	show_cwd("cwd outside");
	show_text("f outside", open("f", O_RDONLY));
	char up[4096];
	snprintf(up, sizeof(up), "../%s/jail/f", strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir);
	show_text("../DIR/jail/f climbs out", open(up, O_RDONLY));

	SHOW("chdir /", chdir("/"));
	SHOW("chroot sub (nested)", chroot("sub"));
	show_cwd("cwd after nested chroot");
	show_text("/g", open("/g", O_RDONLY));
	SHOW("access /f", access("/f", F_OK));
	return 0;
}
