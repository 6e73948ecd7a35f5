/* inotify: init flags, add_watch/rm_watch errors and watch descriptors, the
 * events of each file operation on a watched directory and a watched file,
 * record layout (name padding), merging, move cookies, IN_ONESHOT,
 * IN_MASK_ADD, IN_IGNORED, IN_DELETE_SELF (deferred while open), read rules,
 * FIONREAD, poll readiness, a blocking read woken by another process, and the
 * queue overflow. */
#define AREA "inotify"
#include "../harness.h"
#include <poll.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>

static const struct {
	uint32_t bit;
	const char *name;
} ev_bits[] = {
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
	{IN_Q_OVERFLOW, "Q_OVERFLOW"},
	{IN_IGNORED, "IGNORED"},
	{IN_ISDIR, "ISDIR"},
};

static char ev_text[4096];

/* Every queued event of nonblocking fd as "wd:MASK|MASK:name ..." in ev_text. */
static const char *events(int fd)
{
	char buf[4096] __attribute__((aligned(8)));
	size_t used = 0;
	long n;

	ev_text[0] = '\0';
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n;) {
			struct inotify_event *e = (struct inotify_event *)(buf + off);
			const char *sep = "";
			used += snprintf(ev_text + used, sizeof(ev_text) - used,
					 "%s%d:", used ? " " : "", e->wd);
			for (size_t i = 0; i < sizeof(ev_bits) / sizeof(ev_bits[0]); i++)
				if (e->mask & ev_bits[i].bit) {
					used += snprintf(ev_text + used, sizeof(ev_text) - used,
							 "%s%s", sep, ev_bits[i].name);
					sep = "|";
				}
			used += snprintf(ev_text + used, sizeof(ev_text) - used, ":%s",
					 e->len ? e->name : "");
			off += (long)sizeof(*e) + e->len;
			if (used >= sizeof(ev_text))
				return ev_text;
		}
	return ev_text;
}

static void touch(const char *path)
{
	close(open(path, O_CREAT | O_WRONLY, 0644));
}

CASE(init1_flags)
{
	int fd = OK(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY | O_NONBLOCK);
	close(fd);
	fd = OK(inotify_init());
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	EXPECT_ERRNO(inotify_init1(IN_NONBLOCK | 1), EINVAL);
}

CASE(add_watch_errors)
{
	scratch();
	int fd = OK(inotify_init1(IN_NONBLOCK));
	touch("f");
	int reg = OK(open("f", O_RDONLY));
	EXPECT_ERRNO(inotify_add_watch(fd, ".", 0), EINVAL);
	EXPECT_ERRNO(inotify_add_watch(-1, ".", 0), EINVAL); /* the mask is checked first */
	EXPECT_ERRNO(inotify_add_watch(-1, ".", IN_MODIFY), EBADF);
	EXPECT_ERRNO(inotify_add_watch(reg, ".", IN_MODIFY), EINVAL);
	EXPECT_ERRNO(inotify_add_watch(fd, ".", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE), EINVAL);
	EXPECT_ERRNO(inotify_add_watch(fd, "missing", IN_MODIFY), ENOENT);
	EXPECT_ERRNO(inotify_add_watch(fd, "f/x", IN_MODIFY), ENOTDIR);
	EXPECT_ERRNO(inotify_add_watch(fd, "f", IN_MODIFY | IN_ONLYDIR), ENOTDIR);
	EXPECT_ERRNO(inotify_add_watch(fd, (char *)1, IN_MODIFY), EFAULT);
	EXPECT_ERRNO(inotify_rm_watch(fd, 1), EINVAL);
	EXPECT_ERRNO(inotify_rm_watch(reg, 1), EINVAL);
	EXPECT_ERRNO(inotify_rm_watch(-1, 1), EBADF);
	close(reg);
	close(fd);
}

CASE(add_watch_same_inode_same_wd)
{
	scratch();
	int fd = OK(inotify_init1(IN_NONBLOCK));
	touch("f");
	OK(link("f", "g"));
	OK(symlink("f", "s"));
	int wd = OK(inotify_add_watch(fd, "f", IN_MODIFY));
	EXPECT_EQ(wd, 1);
	EXPECT_EQ(inotify_add_watch(fd, "g", IN_ATTRIB), wd);
	EXPECT_EQ(inotify_add_watch(fd, "s", IN_ATTRIB), wd);
	EXPECT_EQ(inotify_add_watch(fd, "s", IN_ATTRIB | IN_DONT_FOLLOW), wd + 1);
	EXPECT_ERRNO(inotify_add_watch(fd, "f", IN_ATTRIB | IN_MASK_CREATE), EEXIST);
	EXPECT_EQ(inotify_add_watch(fd, ".", IN_CREATE | IN_MASK_CREATE), wd + 2);
	close(fd);
}

CASE(events_of_a_file_in_a_watched_dir)
{
	char buf[8];
	scratch();
	OK(mkdir("d", 0755));
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, "d", IN_ALL_EVENTS));
	int f = OK(open("d/f", O_CREAT | O_WRONLY, 0644));
	OK(write(f, "ab", 2));
	OK(write(f, "cd", 2)); /* merged with the identical event before it */
	close(f);
	f = OK(open("d/f", O_RDONLY));
	OK(read(f, buf, sizeof(buf)));
	close(f);
	EXPECT_STREQ(events(fd), "1:CREATE:f 1:OPEN:f 1:MODIFY:f 1:CLOSE_WRITE:f 1:OPEN:f "
				 "1:ACCESS:f 1:CLOSE_NOWRITE:f");
	OK(chmod("d/f", 0600));
	OK(truncate("d/f", 0));
	f = OK(open("d/f", O_WRONLY | O_TRUNC));
	close(f);
	close(OK(open("d/f", O_PATH)));
	EXPECT_STREQ(events(fd), "1:ATTRIB:f 1:MODIFY:f 1:OPEN:f 1:MODIFY:f 1:CLOSE_WRITE:f");
	close(fd);
}

CASE(namespace_events)
{
	scratch();
	OK(mkdir("d", 0755));
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, "d", IN_CREATE | IN_DELETE | IN_MOVE));
	touch("d/f");
	OK(mkdir("d/sub", 0755));
	OK(link("d/f", "d/h"));
	OK(symlink("f", "d/s"));
	OK(unlink("d/h"));
	OK(rmdir("d/sub"));
	OK(mkfifo("d/p", 0644));
	EXPECT_STREQ(events(fd), "1:CREATE:f 1:CREATE|ISDIR:sub 1:CREATE:h 1:CREATE:s 1:DELETE:h "
				 "1:DELETE|ISDIR:sub 1:CREATE:p");
	close(fd);
}

CASE(move_cookies_pair)
{
	char buf[1024] __attribute__((aligned(8)));
	scratch();
	OK(mkdir("a", 0755));
	OK(mkdir("b", 0755));
	touch("a/f");
	int fd = OK(inotify_init1(IN_NONBLOCK));
	int wa = OK(inotify_add_watch(fd, "a", IN_MOVE));
	int wb = OK(inotify_add_watch(fd, "b", IN_MOVE));
	OK(rename("a/f", "b/g"));
	OK(rename("b/g", "a/f"));
	long n = OK(read(fd, buf, sizeof(buf)));
	struct inotify_event *e[4];
	long off = 0;
	for (int i = 0; i < 4; i++) {
		EXPECT_TRUE(off < n);
		e[i] = (struct inotify_event *)(buf + off);
		off += (long)sizeof(*e[i]) + e[i]->len;
	}
	EXPECT_EQ(off, n);
	EXPECT_TRUE(e[0]->wd == wa && e[0]->mask == IN_MOVED_FROM && !strcmp(e[0]->name, "f"));
	EXPECT_TRUE(e[1]->wd == wb && e[1]->mask == IN_MOVED_TO && !strcmp(e[1]->name, "g"));
	EXPECT_TRUE(e[2]->wd == wb && e[2]->mask == IN_MOVED_FROM);
	EXPECT_TRUE(e[3]->wd == wa && e[3]->mask == IN_MOVED_TO);
	EXPECT_NE(e[0]->cookie, 0);
	EXPECT_EQ(e[1]->cookie, e[0]->cookie);
	EXPECT_EQ(e[3]->cookie, e[2]->cookie);
	EXPECT_NE(e[2]->cookie, e[0]->cookie);
	close(fd);
}

CASE(record_layout_and_read_rules)
{
	char buf[256] __attribute__((aligned(8)));
	int q = -1;
	scratch();
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, ".", IN_CREATE));
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	OK(ioctl(fd, FIONREAD, &q));
	EXPECT_EQ(q, 0);
	touch("abcdefghijklmnop"); /* 16 bytes: the name pads to 32 */
	OK(ioctl(fd, FIONREAD, &q));
	EXPECT_EQ(q, sizeof(struct inotify_event) + 32);
	EXPECT_ERRNO(read(fd, buf, sizeof(struct inotify_event) + 16), EINVAL);
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(read(fd, buf, sizeof(buf)), sizeof(struct inotify_event) + 32);
	struct inotify_event *e = (struct inotify_event *)buf;
	EXPECT_EQ(e->len, 32);
	EXPECT_STREQ(e->name, "abcdefghijklmnop");
	for (int i = 16; i < 32; i++)
		EXPECT_EQ(e->name[i], 0);
	touch("a");
	touch("b");
	EXPECT_EQ(read(fd, buf, sizeof(struct inotify_event) * 2 + 16),
		  sizeof(struct inotify_event) * 2); /* whole records only */
	EXPECT_STREQ(events(fd), "1:CREATE:b");
	EXPECT_ERRNO(write(fd, buf, 1), EBADF);
	close(fd);
}

CASE(oneshot_mask_add_and_ignored)
{
	scratch();
	touch("f");
	int fd = OK(inotify_init1(IN_NONBLOCK));
	int wd = OK(inotify_add_watch(fd, "f", IN_MODIFY | IN_ONESHOT));
	EXPECT_EQ(inotify_add_watch(fd, "f", IN_ATTRIB | IN_MASK_ADD), wd);
	OK(chmod("f", 0600));
	OK(truncate("f", 0));
	EXPECT_STREQ(events(fd), "1:ATTRIB: 1:IGNORED:");
	EXPECT_ERRNO(inotify_rm_watch(fd, wd), EINVAL);
	wd = OK(inotify_add_watch(fd, "f", IN_MODIFY));
	EXPECT_EQ(wd, 2);
	OK(chmod("f", 0644)); /* the mask was replaced: no IN_ATTRIB */
	OK(inotify_rm_watch(fd, wd));
	EXPECT_STREQ(events(fd), "2:IGNORED:");
	close(fd);
}

CASE(self_events)
{
	scratch();
	OK(mkdir("d", 0755));
	touch("d/f");
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, "d", IN_DELETE | IN_MOVE));
	OK(inotify_add_watch(fd, "d/f", IN_ALL_EVENTS));
	OK(rename("d/f", "d/g"));
	OK(unlink("d/g"));
	EXPECT_STREQ(events(fd), "1:MOVED_FROM:f 1:MOVED_TO:g 2:MOVE_SELF: 2:ATTRIB: "
				 "2:DELETE_SELF: 2:IGNORED: 1:DELETE:g");
	OK(rmdir("d"));
	EXPECT_STREQ(events(fd), "1:IGNORED:"); /* no IN_DELETE_SELF in the mask */
	close(fd);
}

CASE(delete_self_waits_for_last_close)
{
	scratch();
	touch("f");
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, "f", IN_ATTRIB | IN_DELETE_SELF | IN_CLOSE));
	int f = OK(open("f", O_RDONLY));
	int g = OK(dup(f));
	OK(unlink("f"));
	EXPECT_STREQ(events(fd), "1:ATTRIB:");
	close(f);
	EXPECT_STREQ(events(fd), "");
	close(g);
	EXPECT_STREQ(events(fd), "1:CLOSE_NOWRITE: 1:DELETE_SELF: 1:IGNORED:");
	close(fd);
}

CASE(excl_unlink_drops_unlinked_children)
{
	scratch();
	touch("f");
	touch("g");
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, ".", IN_MODIFY | IN_CLOSE_WRITE | IN_EXCL_UNLINK));
	int a = OK(open("f", O_WRONLY)), b = OK(open("g", O_WRONLY));
	OK(unlink("f"));
	OK(write(a, "x", 1));
	OK(write(b, "x", 1));
	close(a);
	close(b);
	EXPECT_STREQ(events(fd), "1:MODIFY:g 1:CLOSE_WRITE:g");
	int wd = OK(inotify_add_watch(fd, ".", IN_MODIFY)); /* without it: reported again */
	a = OK(open("g", O_WRONLY));
	OK(unlink("g"));
	OK(write(a, "x", 1));
	close(a);
	EXPECT_STREQ(events(fd), "1:MODIFY:g");
	EXPECT_EQ(wd, 1);
	close(fd);
}

CASE(open_file_renamed_reports_new_name)
{
	scratch();
	OK(mkdir("a", 0755));
	OK(mkdir("b", 0755));
	touch("a/f");
	int f = OK(open("a/f", O_WRONLY));
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, "a", IN_MODIFY | IN_CLOSE_WRITE));
	OK(inotify_add_watch(fd, "b", IN_MODIFY | IN_CLOSE_WRITE));
	OK(rename("a/f", "b/g"));
	OK(write(f, "x", 1));
	close(f);
	EXPECT_STREQ(events(fd), "2:MODIFY:g 2:CLOSE_WRITE:g");
	close(fd);
}

CASE(hard_link_unlink_is_attrib_only)
{
	scratch();
	touch("f");
	OK(link("f", "g"));
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, "f", IN_ALL_EVENTS));
	OK(unlink("g"));
	EXPECT_STREQ(events(fd), "1:ATTRIB:");
	close(fd);
}

CASE(poll_and_blocking_read)
{
	char buf[256] __attribute__((aligned(8)));
	scratch();
	int fd = OK(inotify_init());
	OK(inotify_add_watch(fd, ".", IN_CREATE));
	struct pollfd p = {.fd = fd, .events = POLLIN};
	EXPECT_EQ(poll(&p, 1, 0), 0);
	pid_t c = OK(fork());
	if (c == 0) {
		usleep(50000);
		touch("late");
		_exit(0);
	}
	long n = read(fd, buf, sizeof(buf));
	int st;
	OK(waitpid(c, &st, 0));
	EXPECT_EQ(n, sizeof(struct inotify_event) + 16);
	EXPECT_STREQ(((struct inotify_event *)buf)->name, "late");
	touch("later");
	EXPECT_EQ(poll(&p, 1, 1000), 1);
	EXPECT_EQ(p.revents, POLLIN);
	close(fd);
}

CASE(two_instances_both_see)
{
	scratch();
	int a = OK(inotify_init1(IN_NONBLOCK)), b = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(a, ".", IN_CREATE));
	OK(inotify_add_watch(b, ".", IN_CREATE | IN_DELETE));
	touch("f");
	OK(unlink("f"));
	EXPECT_STREQ(events(a), "1:CREATE:f");
	EXPECT_STREQ(events(b), "1:CREATE:f 1:DELETE:f");
	close(a);
	close(b);
}

CASE(queue_overflow)
{
	char buf[4096] __attribute__((aligned(8)));
	scratch();
	touch("f");
	int fd = OK(inotify_init1(IN_NONBLOCK));
	OK(inotify_add_watch(fd, "f", IN_OPEN | IN_CLOSE_NOWRITE));
	for (int i = 0; i < 8200; i++)
		close(open("f", O_RDONLY));
	long total = 0, n;
	struct inotify_event last = {0};
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n; total++) {
			memcpy(&last, buf + off, sizeof(last));
			off += (long)sizeof(last) + last.len;
		}
	EXPECT_EQ(total, 16385);
	EXPECT_EQ(last.wd, -1);
	EXPECT_EQ(last.mask, IN_Q_OVERFLOW);
	close(fd);
}

CASE(add_watch_needs_read_permission)
{
	scratch();
	touch("secret");
	OK(chmod("secret", 0));
	OK(chmod(".", 0755));
	int fd = OK(inotify_init1(0));
	pid_t c = OK(fork());
	if (c == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(inotify_add_watch(fd, "secret", IN_MODIFY) == -1 && errno == EACCES ? 0 : 1);
	}
	int st;
	OK(waitpid(c, &st, 0));
	EXPECT_EQ(st, 0);
	close(fd);
}
