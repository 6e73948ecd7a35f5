/* fs_inotify: inotify_init1, inotify_add_watch, inotify_rm_watch and the
 * events each file operation queues on a watched directory and on watched
 * files: create, open, access, modify, attrib, close, moves with paired
 * cookies, deletes, the self events and IN_IGNORED, coalescing, IN_ONESHOT,
 * IN_MASK_ADD/IN_MASK_CREATE, IN_ONLYDIR, IN_DONT_FOLLOW, the errors, the
 * read buffer rules, FIONREAD, a blocking read woken by another process,
 * poll, and the queue overflow.
 *
 * Usage: fs_inotify DIR (a scratch directory from `difftest --scratch`). */
#include "guest.h"
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

static char dir[PATH_MAX - 64];
static uint32_t last_cookie;

static const struct {
	uint32_t bit;
	const char *name;
} bits[] = {
	{IN_ACCESS, "ACCESS"},
	{IN_MODIFY, "MODIFY"},
	{IN_ATTRIB, "ATTRIB"},
	{IN_CLOSE_WRITE, "CLOSE_WRITE"},
	{IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"},
	{IN_OPEN, "OPEN"},
	{IN_MOVED_FROM, "MOVED_FROM"},
	{IN_MOVED_TO, "MOVED_TO"},
	{IN_CREATE, "CREATE"},
	{IN_DELETE, "DELETE"},
	{IN_DELETE_SELF, "DELETE_SELF"},
	{IN_MOVE_SELF, "MOVE_SELF"},
	{IN_UNMOUNT, "UNMOUNT"},
	{IN_Q_OVERFLOW, "Q_OVERFLOW"},
	{IN_IGNORED, "IGNORED"},
	{IN_ISDIR, "ISDIR"},
};

static void print_mask(uint32_t m)
{
	const char *sep = "";
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (m & bits[i].bit) {
			printf("%s%s", sep, bits[i].name);
			sep = "|";
			m &= ~bits[i].bit;
		}
	if (m)
		printf("%s0x%x", sep, m);
}

static const char *cookie_kind(uint32_t c)
{
	if (!c)
		return "0";
	if (c == last_cookie)
		return "paired";
	last_cookie = c;
	return "new";
}

/* Read and print every queued event (the fd must be non-blocking). */
static void drain(int fd, const char *what)
{
	char buf[8192] __attribute__((aligned(8)));
	printf("-- %s\n", what);
	for (;;) {
		long n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno != EAGAIN)
				printf("read: %s\n", ename(errno));
			return;
		}
		for (long off = 0; off < n;) {
			struct inotify_event *e = (struct inotify_event *)(buf + off);
			printf("wd=%d ", e->wd);
			print_mask(e->mask);
			printf(" name=%s cookie=%s len=%u\n", e->len ? e->name : "-",
			       cookie_kind(e->cookie), e->len);
			off += (long)sizeof(*e) + e->len;
		}
	}
}

static char *p(const char *name)
{
	static char buf[4][PATH_MAX];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void test_errors(int fd)
{
	int reg = open(p("w/plain"), O_RDONLY);
	SHOW("init1 bad flags", inotify_init1(1));
	SHOW("add mask 0", inotify_add_watch(fd, p("w"), 0));
	SHOW("add missing", inotify_add_watch(fd, p("w/missing"), IN_ALL_EVENTS));
	SHOW("add onlydir on file", inotify_add_watch(fd, p("w/plain"), IN_ONLYDIR | IN_MODIFY));
	SHOW("add bad fd", inotify_add_watch(99, p("w"), IN_MODIFY));
	SHOW("add not inotify", inotify_add_watch(reg, p("w"), IN_MODIFY));
	SHOW("add mask_add|mask_create",
	     inotify_add_watch(fd, p("w"), IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
	SHOW("rm bad wd", inotify_rm_watch(fd, 12345));
	SHOW("rm not inotify", inotify_rm_watch(reg, 1));
	SHOW("rm bad fd", inotify_rm_watch(99, 1));
	close(reg);
}

static void test_dir_ops(int fd)
{
	char buf[64];
	int wd = inotify_add_watch(fd, p("w"), IN_ALL_EVENTS);
	printf("dir wd = %d\n", wd);
	SHOW("add same again", inotify_add_watch(fd, p("w"), IN_ALL_EVENTS));
	SHOW("add mask_create existing", inotify_add_watch(fd, p("w"), IN_MODIFY | IN_MASK_CREATE));
	SHOW("restore all", inotify_add_watch(fd, p("w"), IN_ALL_EVENTS));

	int f = open(p("w/f"), O_CREAT | O_WRONLY, 0644);
	write(f, "abc", 3);
	write(f, "def", 3);
	close(f);
	drain(fd, "create, write twice, close");
	f = open(p("w/f"), O_RDONLY);
	read(f, buf, sizeof(buf));
	close(f);
	drain(fd, "open, read, close");
	chmod(p("w/f"), 0600);
	truncate(p("w/f"), 1);
	drain(fd, "chmod, truncate");
	mkdir(p("w/sub"), 0755);
	rename(p("w/f"), p("w/g"));
	link(p("w/g"), p("w/h"));
	unlink(p("w/h"));
	symlink("g", p("w/sym"));
	rmdir(p("w/sub"));
	drain(fd, "mkdir, rename, link, unlink, symlink, rmdir");
	SHOW("FIONREAD empty", ({
		     int q = -1;
		     ioctl(fd, FIONREAD, &q) ? -1 : q;
	     }));
	mkdir(p("w/sub2"), 0755);
	SHOW("FIONREAD one", ({
		     int q = -1;
		     ioctl(fd, FIONREAD, &q) ? -1 : q;
	     }));
	SHOW("read too small", read(fd, buf, sizeof(struct inotify_event)));
	drain(fd, "after too small");
	rmdir(p("w/sub2"));
	drain(fd, "rmdir");
}

static void test_file_watch(int fd)
{
	int wf = inotify_add_watch(fd, p("w/g"), IN_ALL_EVENTS);
	printf("file wd = %d\n", wf);
	int f = open(p("w/g"), O_WRONLY | O_APPEND);
	write(f, "x", 1);
	close(f);
	drain(fd, "write to watched file in watched dir");
	int wl = inotify_add_watch(fd, p("w/sym"), IN_ATTRIB | IN_DONT_FOLLOW);
	printf("link wd = %d (file wd %s)\n", wl, wl == wf ? "same" : "other");
	SHOW("follow gives file wd", inotify_add_watch(fd, p("w/sym"), IN_ALL_EVENTS) == wf);
	rename(p("w/g"), p("w/g2"));
	drain(fd, "rename watched file");
	unlink(p("w/g2"));
	drain(fd, "unlink watched file");
	SHOW("rm_watch file after delete", inotify_rm_watch(fd, wf));
	SHOW("rm_watch link", inotify_rm_watch(fd, wl));
	drain(fd, "rm_watch link");
	unlink(p("w/sym"));
	drain(fd, "unlink sym");
}

static void test_oneshot_maskadd(int fd)
{
	int f = open(p("w/one"), O_CREAT | O_WRONLY, 0644);
	close(f);
	drain(fd, "create one");
	int w1 = inotify_add_watch(fd, p("w/one"), IN_MODIFY | IN_ONESHOT);
	SHOW("mask_add", inotify_add_watch(fd, p("w/one"), IN_ATTRIB | IN_MASK_ADD) == w1);
	chmod(p("w/one"), 0600);
	truncate(p("w/one"), 0);
	chmod(p("w/one"), 0644);
	drain(fd, "oneshot: chmod, truncate, chmod");
	SHOW("rm_watch after oneshot", inotify_rm_watch(fd, w1));
	unlink(p("w/one"));
	drain(fd, "unlink one");
}

static void test_rmdir_watched(int fd)
{
	mkdir(p("d"), 0755);
	int wd = inotify_add_watch(fd, p("d"), IN_ALL_EVENTS);
	int f = open(p("d/x"), O_CREAT | O_WRONLY, 0644);
	close(f);
	unlink(p("d/x"));
	rmdir(p("d"));
	drain(fd, "rmdir watched dir");
	SHOW("rm_watch gone dir", inotify_rm_watch(fd, wd));
}

static void test_open_unlinked(int fd)
{
	int f = open(p("w/open"), O_CREAT | O_WRONLY, 0644);
	close(f);
	f = open(p("w/open"), O_RDONLY);
	drain(fd, "create open, open again");
	int wd = inotify_add_watch(fd, p("w/open"), IN_ALL_EVENTS);
	unlink(p("w/open"));
	drain(fd, "unlink while open");
	close(f);
	drain(fd, "last close of unlinked");
	SHOW("rm_watch unlinked", inotify_rm_watch(fd, wd));
}

static void test_open_kinds(int fd)
{
	char dents[1024];
	close(open(p("w/t"), O_CREAT | O_WRONLY, 0644));
	drain(fd, "create t");
	close(open(p("w/t"), O_WRONLY | O_TRUNC));
	drain(fd, "O_TRUNC existing");
	close(open(p("w/t"), O_PATH));
	drain(fd, "O_PATH");
	int d = open(p("w"), O_RDONLY | O_DIRECTORY);
	int wd = inotify_add_watch(fd, p("w"), IN_ALL_EVENTS); /* the same watch */
	printf("dir wd again = %d\n", wd);
	syscall(SYS_getdents64, d, dents, sizeof(dents));
	close(d);
	drain(fd, "open, getdents, close the watched dir");
}

static void test_attrs(int fd)
{
	int f = open(p("w/t"), O_RDWR);
	struct timespec ts[2] = {{0, UTIME_OMIT}, {12345, 0}};
	fchmod(f, 0640);
	ftruncate(f, 10);
	futimens(f, ts);
	utimensat(AT_FDCWD, p("w/t"), NULL, 0);
	ts[0] = (struct timespec){0, UTIME_NOW};
	ts[1] = (struct timespec){0, UTIME_OMIT};
	utimensat(AT_FDCWD, p("w/t"), ts, 0);
	chown(p("w/t"), getuid(), getgid());
	close(f);
	drain(fd, "fchmod, ftruncate, futimens mtime, utimes now, atime only, chown");
}

static void test_renames(int fd)
{
	close(open(p("w/a"), O_CREAT | O_WRONLY, 0644));
	close(open(p("w/b"), O_CREAT | O_WRONLY, 0644));
	int wb = inotify_add_watch(fd, p("w/b"), IN_ALL_EVENTS);
	drain(fd, "create a, b");
	rename(p("w/a"), p("w/b"));
	drain(fd, "rename a over watched b");
	SHOW("rm_watch replaced", inotify_rm_watch(fd, wb));
	close(open(p("w/c"), O_CREAT | O_WRONLY, 0644));
	drain(fd, "create c");
	SHOW("exchange", renameat2(AT_FDCWD, p("w/b"), AT_FDCWD, p("w/c"), RENAME_EXCHANGE));
	drain(fd, "exchange b and c");
	mkdir(p("w/sd"), 0755);
	int ws = inotify_add_watch(fd, p("w/sd"), IN_ALL_EVENTS);
	rename(p("w/sd"), p("w/sd2"));
	drain(fd, "rename watched subdir");
	rename(p("w/sd2"), p("sd3"));
	drain(fd, "move subdir out of the watched dir");
	int d = open(p("sd3"), O_RDONLY | O_DIRECTORY);
	rmdir(p("sd3"));
	drain(fd, "rmdir open subdir");
	close(d);
	drain(fd, "close it");
	SHOW("rm_watch subdir", inotify_rm_watch(fd, ws));
	unlink(p("w/b"));
	unlink(p("w/c"));
	unlink(p("w/t"));
	drain(fd, "cleanup");
}

static void test_file_kind(void)
{
	int fd = inotify_init1(IN_NONBLOCK);
	int fd2 = inotify_init1(IN_NONBLOCK);
	struct stat st;
	char link[64] = "", path[64];
	fstat(fd, &st);
	printf("fstat mode %o\n", st.st_mode);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	SHOW("readlink", readlink(path, link, sizeof(link) - 1));
	printf("link %s\n", link);
	SHOW("F_GETFL", fcntl(fd, F_GETFL) & ~0100000);
	SHOW("write", write(fd, "12345678", 8));
	inotify_add_watch(fd, p("w"), IN_CREATE);
	inotify_add_watch(fd2, p("w"), IN_CREATE | IN_DELETE);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
	SHOW("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	SHOW("epoll_wait empty", epoll_wait(ep, &ev, 1, 0));
	close(open(p("w/both"), O_CREAT | O_WRONLY, 0644));
	SHOW("epoll_wait ready", epoll_wait(ep, &ev, 1, 1000));
	unlink(p("w/both"));
	drain(fd, "first instance");
	drain(fd2, "second instance");
	close(ep);
	close(fd);
	close(fd2);
}

static void test_blocking(void)
{
	int fd = inotify_init();
	char buf[512] __attribute__((aligned(8)));
	SHOW("plain init nonblock", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	SHOW("plain init cloexec", fcntl(fd, F_GETFD));
	inotify_add_watch(fd, p("w"), IN_CREATE);
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	SHOW("poll empty", poll(&pfd, 1, 0));
	pid_t c = fork();
	if (c == 0) {
		usleep(100000);
		close(open(p("w/late"), O_CREAT | O_WRONLY, 0644));
		_exit(0);
	}
	long n = read(fd, buf, sizeof(buf));
	struct inotify_event *e = (struct inotify_event *)buf;
	printf("blocking read: %s %s\n", n > 0 ? "got" : "none", n > 0 ? e->name : "-");
	waitpid(c, NULL, 0);
	close(open(p("w/late2"), O_CREAT | O_WRONLY, 0644));
	SHOW("poll ready", poll(&pfd, 1, 1000));
	printf("revents %x\n", pfd.revents);
	unlink(p("w/late"));
	unlink(p("w/late2"));
	close(fd);
}

static void test_overflow(void)
{
	int fd = inotify_init1(IN_NONBLOCK);
	char buf[4096] __attribute__((aligned(8)));
	inotify_add_watch(fd, p("w/plain"), IN_OPEN | IN_CLOSE_NOWRITE);
	for (int i = 0; i < 8200; i++)
		close(open(p("w/plain"), O_RDONLY));
	long total = 0, overflow = 0, overflow_last = 0, n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n;) {
			struct inotify_event *e = (struct inotify_event *)(buf + off);
			total++;
			overflow_last = (e->mask & IN_Q_OVERFLOW) && e->wd == -1;
			overflow += overflow_last;
			off += (long)sizeof(*e) + e->len;
		}
	printf("overflow: events %ld, overflow events %ld, last is overflow %ld\n", total, overflow,
	       overflow_last);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	mkdir(p("w"), 0755);
	close(open(p("w/plain"), O_CREAT | O_WRONLY, 0644));
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	SHOW("init1 nonblock", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	SHOW("init1 cloexec", fcntl(fd, F_GETFD));
	char buf[64];
	SHOW("read empty nonblock", read(fd, buf, sizeof(buf)));
	test_errors(fd);
	test_dir_ops(fd);
	test_file_watch(fd);
	test_oneshot_maskadd(fd);
	test_rmdir_watched(fd);
	test_open_unlinked(fd);
	test_open_kinds(fd);
	test_attrs(fd);
	test_renames(fd);
	close(fd);
	test_file_kind();
	test_blocking();
	test_overflow();
	unlink(p("w/plain"));
	rmdir(p("w"));
	return 0;
}
