/* The user's terminal as a uos terminal (see console.h). */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "creds.h"
#include "ctty.h"
#include "kernel.h"
#include "task.h"
#include "vfs.h"
#include "vfs_tty.h"

#define CONSOLE_BUF 4096

struct console {
	int fd;		      /* uos's own O_NONBLOCK description of the host terminal */
	dev_t rdev;	      /* the host terminal, to know which stdio fds are it */
	struct vfs_file *master, *slave;
	bool fg;	      /* uos is the terminal's foreground job: it may set modes and read */
	bool hup;	      /* the host terminal hung up */
	char in[CONSOLE_BUF]; /* read from the host, not yet taken by the line discipline */
	size_t in_off, in_len;
	char out[CONSOLE_BUF]; /* read from the master, not yet written to the host */
	size_t out_off, out_len;
};

/* The host's own settings, put back by console_close, at any exit (atexit) and while stopped. */
static struct termios saved;
static int saved_fd = -1;
static bool raw_now;

static void host_restore(void)
{
	if (raw_now && tcsetattr(saved_fd, TCSADRAIN, &saved) == 0)
		raw_now = false;
	uos_stderr_raw(raw_now);
}

/* Raw mode: the guest's line discipline does all that the host's would (cfmakeraw). */
static void host_raw(void)
{
	struct termios raw = saved;

	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(saved_fd, TCSADRAIN, &raw) == 0)
		raw_now = true;
	uos_stderr_raw(raw_now && isatty(2));
}

static bool foreground(int fd)
{
	pid_t fg = tcgetpgrp(fd);

	return fg > 0 && fg == getpgrp();
}

/* uos's own opens of /dev/ptmx and the slave: with every capability, as the guest's user (the owner). */
static int own_open(struct kernel *k, const char *path, struct vfs_file **out)
{
	struct fs_ctx fs = {.cwd = "/", .umask = 022};
	struct creds cr = {.fsuid = k->opts.uid, .fsgid = k->opts.gid,
			   .cap_prm = CREDS_CAP_FULL, .cap_eff = CREDS_CAP_FULL};
	struct vfs_caller c = {.cred = &cr, .fs = &fs, .ns = k->vfs};

	return vfs_open(&c, NULL, path, O_RDWR | O_NOCTTY, 0, out);
}

/* The pair, its master unlocked, with the host's settings and window size. */
static int make_pair(struct kernel *k, struct console *con)
{
	char path[32], tio[36];
	struct winsize ws;
	unsigned n;
	int unlock = 0;
	int err = own_open(k, "/dev/ptmx", &con->master);

	if (!err)
		err = vfs_ioctl(con->master, TIOCSPTLCK, &unlock);
	if (!err)
		err = vfs_ioctl(con->master, TIOCGPTN, &n);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/dev/pts/%u", n);
	if ((err = own_open(k, path, &con->slave)))
		return err;
	if (ioctl(con->fd, TCGETS, tio) == 0)
		vfs_ioctl(con->master, TCSETS, tio);
	if (ioctl(con->fd, TIOCGWINSZ, &ws) == 0)
		vfs_ioctl(con->master, TIOCSWINSZ, &ws);
	return 0;
}

static void console_free(struct console *con)
{
	if (con->slave)
		vfs_file_put(con->slave);
	if (con->master)
		vfs_file_put(con->master);
	if (con->fd >= 0)
		close(con->fd);
	free(con);
}

void console_open(struct kernel *k)
{
	char proc[32];
	struct stat st;
	int fd = 0;

	while (fd < 3 && !isatty(fd))
		fd++;
	if (fd == 3 || !k->vfs || !foreground(fd) || fstat(fd, &st) < 0)
		return;
	struct console *con = calloc(1, sizeof(*con));
	if (!con)
		return;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	con->fd = open(proc, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	con->rdev = st.st_rdev;
	con->fg = true;
	if (con->fd < 0 || make_pair(k, con) || tcgetattr(con->fd, &saved) < 0) {
		console_free(con); /* the guest gets the host's terminal itself, as before */
		return;
	}
	saved_fd = con->fd;
	atexit(host_restore);
	host_raw();
	k->console = con;
}

struct vfs_file *console_stdio(struct kernel *k, int fd)
{
	struct console *con = k->console;
	struct stat st;

	if (!con || !isatty(fd) || fstat(fd, &st) < 0 || st.st_rdev != con->rdev)
		return NULL;
	vfs_file_get(con->slave);
	return con->slave;
}

void console_attach(struct kernel *k, struct tgroup *tg)
{
	if (k->console)
		ctty_set(tg, vfs_tty_of(k->console->slave));
}

int console_watch(struct kernel *k, struct pollfd *p)
{
	struct console *con = k->console;
	short ev = 0;

	if (!con)
		return 0;
	if (con->fg && !con->hup && !con->in_len)
		ev |= POLLIN;
	if (con->out_len)
		ev |= POLLOUT;
	*p = (struct pollfd){.fd = con->fd, .events = ev};
	return ev ? 1 : 0;
}

/* Host input into the line discipline (what it cannot take yet waits in con->in). */
static bool pump_in(struct console *con)
{
	bool moved = false;

	if (!con->in_len && con->fg && !con->hup) {
		ssize_t n = read(con->fd, con->in, sizeof(con->in));
		if (n > 0) {
			con->in_off = 0;
			con->in_len = (size_t)n;
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR && errno != EIO)) {
			con->hup = true;
		}
	}
	if (con->in_len) {
		long w = vfs_write(con->master, con->in + con->in_off, con->in_len, 0);
		if (w > 0) {
			con->in_off += (size_t)w;
			con->in_len -= (size_t)w;
			moved = true;
		}
	}
	return moved;
}

/* The guests' output to the host terminal. */
static bool pump_out(struct console *con)
{
	bool moved = false;

	for (;;) {
		if (!con->out_len) {
			long r = vfs_read(con->master, con->out, sizeof(con->out), 0);
			if (r <= 0)
				return moved;
			con->out_off = 0;
			con->out_len = (size_t)r;
		}
		ssize_t w = write(con->fd, con->out + con->out_off, con->out_len);
		if (w <= 0) {
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				con->out_len = 0; /* the terminal is gone: the output with it */
			return moved;
		}
		con->out_off += (size_t)w;
		con->out_len -= (size_t)w;
		moved = true;
	}
}

bool console_pump(struct kernel *k)
{
	struct console *con = k->console;

	if (!con)
		return false;
	bool moved = pump_in(con);
	return pump_out(con) || moved;
}

void console_winch(struct kernel *k)
{
	struct winsize ws;

	if (k->console && ioctl(k->console->fd, TIOCGWINSZ, &ws) == 0)
		vfs_ioctl(k->console->master, TIOCSWINSZ, &ws);
}

void console_suspend(struct kernel *k)
{
	if (k->console)
		host_restore();
}

void console_resume(struct kernel *k)
{
	struct console *con = k->console;

	if (!con)
		return;
	con->fg = foreground(con->fd);
	if (con->fg) {
		host_raw();
		console_winch(k);
	}
}

int console_fg_pgrp(struct kernel *k)
{
	return k->console ? vfs_tty_pgrp(vfs_tty_of(k->console->slave)) : 0;
}

void console_close(struct kernel *k)
{
	struct console *con = k->console;

	if (!con)
		return;
	pump_out(con);
	host_restore();
	saved_fd = -1;
	k->console = NULL;
	console_free(con);
}
