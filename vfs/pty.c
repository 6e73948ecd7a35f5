/*
 * The two ends of a pseudo-terminal, as Linux's pty.c with n_tty on the
 * slave: the master (/dev/ptmx) writes into the line discipline's input
 * and reads its output; the slave (/dev/pts/N) is the terminal a program
 * sees.  Both wait on the tty itself (the channel tty_wake wakes).
 *
 * Closing the master hangs the slave up: its files read 0 and write EIO
 * (hung_up_tty_fops), and the kernel layer is told (the tty_hangup hook)
 * so that the session it controls gets SIGHUP.  Closing the last slave
 * makes the master's reads give EIO once its data is read (TTY_OTHER_CLOSED).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "tty_impl.h"

struct pty_file {
	struct vfs_file base;
	struct tty *tty;
	bool master;
	bool dev_tty;	/* a slave opened as /dev/tty: its stat is st */
	struct stat st; /* the master's (/dev/ptmx's), or /dev/tty's */
};

static struct pty_file *pf(struct vfs_file *f)
{
	return container_of(f, struct pty_file, base);
}

static struct tty *tty_of(struct vfs_file *f)
{
	return pf(f)->tty;
}

static const void *pty_wchan(struct vfs_file *f)
{
	return tty_of(f);
}

/* ---- the master */

static long master_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct tty *t = tty_of(f);
	unsigned char *b = buf;
	size_t n = 0;

	if (!len)
		return 0;
	if (t->packet && t->pktstatus) {
		b[0] = t->pktstatus;
		t->pktstatus = 0;
		return 1;
	}
	if (t->out.head == t->out.tail)
		return t->other_closed ? -EIO : -EAGAIN;
	if (t->packet)
		b[n++] = TIOCPKT_DATA;
	while (n < len && t->out.head != t->out.tail)
		b[n++] = t->out.buf[t->out.tail++ & (t->out.cap - 1)];
	tty_wake(t);
	return (long)n;
}

static long master_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	size_t n = tty_receive(tty_of(f), buf, len);

	return n || !len ? (long)n : -EAGAIN;
}

static short master_poll(struct vfs_file *f)
{
	struct tty *t = tty_of(f);
	short ev = 0;

	if (t->out.head != t->out.tail || (t->packet && t->pktstatus))
		ev |= POLLIN | POLLRDNORM;
	if (t->packet && t->pktstatus)
		ev |= POLLPRI;
	if (t->other_closed)
		ev |= POLLHUP;
	if (tty_input_room(t))
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}

static int master_stat(struct vfs_file *f, struct stat *st)
{
	*st = pf(f)->st;
	return 0;
}

static long master_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	struct tty *t = tty_of(f);
	int v = *(int *)arg;

	switch (cmd) {
	case TIOCGPTN:
		*(unsigned *)arg = (unsigned)t->index;
		return 0;
	case TIOCSPTLCK:
		t->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		*(int *)arg = t->locked;
		return 0;
	case TIOCPKT:
		if (v && !t->packet)
			t->pktstatus = 0;
		t->packet = v != 0;
		tty_wake(t);
		return 0;
	case TIOCGPKT:
		*(int *)arg = t->packet;
		return 0;
	case TIOCSIG: /* pty_signal: only what the keyboard could send */
		if (v != SIGINT && v != SIGQUIT && v != SIGTSTP)
			return -EINVAL;
		tty_signal(t, v);
		return 0;
	case FIONREAD:
		*(int *)arg = (int)(t->out.head - t->out.tail);
		return 0;
	case TIOCOUTQ:
		*(int *)arg = 0;
		return 0;
	default: {
		long r = tty_mode_ioctl(t, cmd, arg);
		return r == -TTY_ENOIOCTL ? -ENOTTY : r;
	}
	}
}

static void master_release(struct vfs_file *f)
{
	struct tty *t = tty_of(f);
	const struct vfs_hooks *h = t->ns->hooks;

	if (--t->masters == 0) {
		t->hung = true;
		devpts_forget(t);
		if (h && h->tty_hangup)
			h->tty_hangup(t->ns->k, t);
		t->sid = t->pgrp = 0;
		tty_wake(t);
	}
	tty_put(t);
}

static const struct vfs_file_ops master_ops = {
	.read = master_read,
	.write = master_write,
	.stat = master_stat,
	.ioctl = master_ioctl,
	.release = master_release,
	.poll = master_poll,
	.wchan = pty_wchan,
};

/* ---- the slave */

static long slave_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct tty *t = tty_of(f);

	return t->hung ? 0 : tty_ldisc_read(t, buf, len, false);
}

/* Its VTIME passed: what the read gives then (the bytes there, or 0). */
static long slave_read_expired(struct vfs_file *f, void *buf, size_t len)
{
	struct tty *t = tty_of(f);

	return t->hung ? 0 : tty_ldisc_read(t, buf, len, true);
}

static long slave_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	struct tty *t = tty_of(f);

	return t->hung ? -EIO : tty_ldisc_write(t, buf, len);
}

static short slave_poll(struct vfs_file *f)
{
	struct tty *t = tty_of(f);
	short ev = 0;

	if (t->hung)
		return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
	if (tty_input_ready(t))
		ev |= POLLIN | POLLRDNORM;
	if (!t->stopped && t->out.head - t->out.tail < t->out.cap)
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}

/* A non-canonical read with VTIME waits VTIME tenths of a second (from its first wait). */
static long long slave_timeout(struct vfs_file *f, bool out)
{
	struct tty *t = tty_of(f);

	if (out || (t->tio.c_lflag & ICANON) || !t->tio.c_cc[VTIME])
		return 0;
	if (t->tio.c_cc[VMIN] && t->in.head == t->in.tail)
		return 0; /* VMIN and VTIME: the timer starts with the first byte */
	return t->tio.c_cc[VTIME] * 100000000LL;
}

static int slave_stat(struct vfs_file *f, struct stat *st)
{
	if (pf(f)->dev_tty)
		*st = pf(f)->st;
	else
		devpts_slave_stat(tty_of(f), st);
	return 0;
}

static int slave_setattr(struct vfs_file *f, const struct vfs_attr *a)
{
	return tty_setattr(tty_of(f), a);
}

static long slave_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	struct tty *t = tty_of(f);
	long r;

	if (t->hung)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case FIONREAD:
		*(int *)arg = (int)tty_input_count(t);
		return 0;
	case TIOCOUTQ:
		*(int *)arg = 0;
		return 0;
	default:
		r = tty_mode_ioctl(t, cmd, arg);
		return r == -TTY_ENOIOCTL ? -ENOTTY : r;
	}
}

static void slave_release(struct vfs_file *f)
{
	struct tty *t = tty_of(f);

	if (--t->slaves == 0) {
		t->other_closed = true;
		tty_wake(t);
	}
	tty_put(t);
}

static int slave_reopen(struct vfs_file *f, int flags, struct vfs_file **out)
{
	return pty_slave_open(tty_of(f), flags, f->path, out);
}

static const struct vfs_file_ops slave_ops = {
	.read = slave_read,
	.read_expired = slave_read_expired,
	.write = slave_write,
	.stat = slave_stat,
	.setattr = slave_setattr,
	.ioctl = slave_ioctl,
	.release = slave_release,
	.reopen = slave_reopen,
	.poll = slave_poll,
	.wchan = pty_wchan,
	.timeout = slave_timeout,
};

/* ---- making them */

static struct pty_file *pty_file_new(struct tty *t, bool master, int flags, const char *path)
{
	struct pty_file *p =
		vfs_file_alloc(sizeof(*p), master ? &master_ops : &slave_ops, flags, path);

	if (!p)
		return NULL;
	tty_get(t);
	p->tty = t;
	p->master = master;
	return p;
}

int pty_master_new(struct tty *t, int flags, const char *path, const struct stat *st,
		   struct vfs_file **out)
{
	struct pty_file *p = pty_file_new(t, true, flags, path);

	if (!p)
		return -ENOMEM;
	p->st = *st;
	t->masters++;
	*out = &p->base;
	return 0;
}

int pty_slave_open(struct tty *t, int flags, const char *path, struct vfs_file **out)
{
	if (t->hung || t->locked)
		return -EIO;
	struct pty_file *p = pty_file_new(t, false, flags, path);
	if (!p)
		return -ENOMEM;
	t->slaves++;
	t->other_closed = false;
	*out = &p->base;
	return 0;
}

struct tty *vfs_tty_of(struct vfs_file *f)
{
	return f->ops == &master_ops || f->ops == &slave_ops ? tty_of(f) : NULL;
}

bool vfs_tty_is_master(struct vfs_file *f)
{
	return f->ops == &master_ops;
}

int vfs_tty_open(struct tty *t, int flags, const char *path, const struct stat *st,
		 struct vfs_file **out)
{
	int err = pty_slave_open(t, flags, path, out);

	if (!err) {
		pf(*out)->st = *st;
		pf(*out)->dev_tty = true;
	}
	return err;
}

void vfs_tty_inject(struct vfs_file *f, unsigned char c)
{
	struct tty *t = tty_of(f);

	if (!pf(f)->master) {
		tty_receive(t, &c, 1);
	} else if (t->out.head - t->out.tail < t->out.cap) { /* the master's own input */
		t->out.buf[t->out.head++ & (t->out.cap - 1)] = c;
		tty_wake(t);
	}
}

/* TIOCGPTPEER: a new file on the slave of the master f (-EIO while locked, as an open). */
int vfs_tty_peer(struct vfs_file *f, int flags, struct vfs_file **out)
{
	struct tty *t = vfs_tty_of(f);
	char path[32];

	if (!t)
		return -ENOTTY;
	if (!vfs_tty_is_master(f))
		return -EIO; /* ptm_open_peer: not a master's */
	if (t->locked)
		return -EIO;
	snprintf(path, sizeof(path), "/dev/pts/%d", t->index);
	return pty_slave_open(t, flags, path, out);
}
