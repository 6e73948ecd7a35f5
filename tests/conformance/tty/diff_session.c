/*
 * A terminal session on a pseudo-terminal, as a terminal emulator and a
 * shell see it: the parent holds the master and types; the child is a
 * session leader whose controlling terminal is the slave.  Printed: the
 * slave's identity (with its number checked against TIOCGPTN, not shown),
 * the child's view of its terminal, and everything the master reads
 * (echoes, output processing, the child's answers) step by step, each step
 * read up to a marker so that no timing shows.  Then the child's exit and
 * the master's EIO.  The same natively and under uos.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>

#include "guest.h"

/* What the master read past the last marker: the next step's. */
static char pending[4096];
static size_t npending;

/* Print what the master reads up to and including marker (5 s at most), escaped. */
static void master_until(int m, const char *what, const char *marker)
{
	char *end;

	while (!(end = memmem(pending, npending, marker, strlen(marker))) &&
	       npending < sizeof(pending)) {
		struct pollfd p = {.fd = m, .events = POLLIN};
		if (poll(&p, 1, 5000) <= 0)
			break;
		ssize_t n = read(m, pending + npending, sizeof(pending) - npending);
		if (n <= 0)
			break;
		npending += (size_t)n;
	}
	size_t len = end ? (size_t)(end - pending) + strlen(marker) : npending;
	printf("%s: \"", what);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pending[i];
		if (c == '\r')
			printf("\\r");
		else if (c == '\n')
			printf("\\n");
		else if (c < 32 || c == 127)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
	memmove(pending, pending + len, npending - len);
	npending -= len;
}

static volatile sig_atomic_t got_int;

static void on_int(int sig)
{
	got_int = 1;
}

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		_exit(3);
}

/* The child: a session leader that takes the slave as its terminal and answers the parent. */
static void child(const char *path)
{
	char line[64], msg[160];
	struct termios t;
	sigset_t block, old;

	setsid();
	int s = open(path, O_RDWR); /* no O_NOCTTY: it becomes the controlling terminal */
	if (s < 0)
		_exit(2);
	int tty = open("/dev/tty", O_RDWR);
	snprintf(msg, sizeof(msg), "ctty %s, fg %s, sid %s\n", tty >= 0 ? "yes" : "no",
		 tcgetpgrp(s) == getpgrp() ? "mine" : "other", tcgetsid(s) == getsid(0) ? "mine" : "other");
	say(s, msg);
	say(s, "READY1\n");
	ssize_t n = read(s, line, sizeof(line) - 1); /* canonical: one line */
	line[n > 0 ? n : 0] = '\0';
	snprintf(msg, sizeof(msg), "got %zd [%.*s]\tEND2\n", n, n > 0 ? (int)n - 1 : 0, line);
	say(s, msg);
	tcgetattr(s, &t);
	cfmakeraw(&t);
	t.c_lflag |= ISIG; /* raw, but ^C still signals */
	t.c_oflag |= OPOST | ONLCR;
	tcsetattr(s, TCSANOW, &t);
	say(s, "RAW\n");
	n = read(s, line, 3);
	snprintf(msg, sizeof(msg), "raw read %zd [%.*s]\nEND3\n", n, n > 0 ? (int)n : 0, line);
	say(s, msg);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGINT, on_int);
	say(s, "WAITINT\n");
	while (!got_int)
		sigsuspend(&old);
	say(s, "SIGINT came\nEND4\n");
	_exit(7);
}

int main(void)
{
	struct stat st;
	unsigned n = 0;
	int status;

	close_inherited_fds();
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		printf("posix_openpt failed: %s\n", ename(errno));
		return 0;
	}
	const char *path = ptsname(m);
	ioctl(m, TIOCGPTN, &n);
	char want[32];
	snprintf(want, sizeof(want), "/dev/pts/%u", n);
	EXPECT("ptsname is /dev/pts/<TIOCGPTN>", path && !strcmp(path, want));
	SHOW("stat slave", stat(want, &st));
	printf("slave: chr %d, major %u, minor is the number %s, owner reads and writes %s\n",
	       S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev) == n ? "yes" : "no",
	       (st.st_mode & 0600) == 0600 ? "yes" : "no");
	struct winsize ws = {.ws_row = 24, .ws_col = 80};
	SHOW("TIOCSWINSZ", ioctl(m, TIOCSWINSZ, &ws));

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		child(want);
	master_until(m, "child says", "READY1\r\n");
	say(m, "hi\tthere\x7f\x7f\x7f\x7f\x7fHERE\n"); /* erase 5: "hi\tHERE" */
	master_until(m, "line echoed and answered", "END2\r\n");
	master_until(m, "raw mode", "RAW\r\n");
	say(m, "xyz");
	master_until(m, "raw bytes", "END3\r\n");
	master_until(m, "waiting", "WAITINT\r\n");
	say(m, "\x03");
	master_until(m, "after ^C", "END4\r\n");
	waitpid(pid, &status, 0);
	printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	char c;
	SHOW("master read after the child", read(m, &c, 1));
	close(m);
	return 0;
}
