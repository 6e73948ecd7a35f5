/*
 * The terminal object (tty_impl.h): its life, its wakes and signals, the
 * numbers the kernel layer keeps in it (vfs_tty.h), and the ioctls both
 * ends of a pair answer alike: termios (TCGETS ... TCSETSF2, as
 * tty_mode_ioctl and set_termios), the window size (SIGWINCH to the
 * foreground group on a change), tcflush, tcflow, tcdrain and the breaks.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "tty_impl.h"

/* tty_std_termios as the pty slave driver starts it (B38400, CS8, CREAD). */
static const struct ktermios std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0},
	.c_ispeed = 38400,
	.c_ospeed = 38400,
};

/* What a terminal holds for its guests, charged as pipe buffers are (memcg.h). */
#define TTY_CHARGE (sizeof(struct tty) + 2 * TTY_IBUF + TTY_OBUF)

struct tty *tty_alloc(struct vfs_ns *ns, struct vfs_sb *sb, int index, uid_t uid, gid_t gid)
{
	if (memcg_charge(ns->cg, MEMCG_PIPE, TTY_CHARGE))
		return NULL;
	struct tty *t = calloc(1, sizeof(*t));
	if (t)
		tty_ldisc_init(t);
	if (!t || !t->in.buf) {
		free(t);
		memcg_uncharge(ns->cg, MEMCG_PIPE, TTY_CHARGE);
		return NULL;
	}
	t->refs = 1;
	t->ns = ns;
	t->sb = sb;
	t->index = index;
	t->tio = std_termios;
	t->uid = uid;
	t->gid = gid;
	t->mode = 0600;
	t->locked = true; /* ptmx_open: unlockpt first */
	clock_gettime(CLOCK_REALTIME, &t->ctime);
	t->atime = t->mtime = t->ctime;
	return t;
}

void tty_get(struct tty *t)
{
	t->refs++;
}

void tty_put(struct tty *t)
{
	if (--t->refs)
		return;
	memcg_uncharge(t->ns->cg, MEMCG_PIPE, TTY_CHARGE);
	tty_ldisc_free(t);
	free(t);
}

void tty_wake(struct tty *t)
{
	waitq_wake_polled(t->ns->waitq, t);
}

void tty_signal(struct tty *t, int sig)
{
	const struct vfs_hooks *h = t->ns->hooks;

	if (t->pgrp > 0 && h && h->tty_signal)
		h->tty_signal(t->ns->k, t->pgrp, sig);
}

int tty_setattr(struct tty *t, const struct vfs_attr *a)
{
	if (a->valid & VFS_ATTR_MODE)
		t->mode = a->mode & 07777;
	if (a->valid & VFS_ATTR_UID)
		t->uid = a->uid;
	if (a->valid & VFS_ATTR_GID)
		t->gid = a->gid;
	if (a->valid & VFS_ATTR_ATIME)
		t->atime = a->atime;
	if (a->valid & VFS_ATTR_MTIME)
		t->mtime = a->mtime;
	if (a->valid & VFS_ATTR_CTIME)
		t->ctime = a->ctime;
	return 0;
}

/* ---- vfs_tty.h */

void vfs_tty_hold(struct tty *t)
{
	tty_get(t);
}

void vfs_tty_drop(struct tty *t)
{
	tty_put(t);
}

int vfs_tty_sid(const struct tty *t)
{
	return t->sid;
}

int vfs_tty_pgrp(const struct tty *t)
{
	return t->pgrp;
}

void vfs_tty_set_ctl(struct tty *t, int sid, int pgrp)
{
	t->sid = sid;
	t->pgrp = pgrp;
}

bool vfs_tty_hung(const struct tty *t)
{
	return t->hung;
}

bool vfs_tty_tostop(const struct tty *t)
{
	return t->tio.c_lflag & TOSTOP;
}

int vfs_tty_index(const struct tty *t)
{
	return t->index;
}


/* ---- termios */

/* The speed a CBAUD value stands for (0 for B0 and unknown values). */
static uint32_t baud_of(uint32_t cbaud)
{
	static const uint32_t low[] = {0,    50,   75,   110,  134,  150,  200,   300,
				       600,  1200, 1800, 2400, 4800, 9600, 19200, 38400};
	static const uint32_t high[] = {57600,	 115200,  230400,  460800,  500000,
					576000,	 921600,  1000000, 1152000, 1500000,
					2000000, 2500000, 3000000, 3500000, 4000000};

	if (cbaud < 16)
		return low[cbaud];
	if ((cbaud & CBAUDEX) && (cbaud & ~CBAUDEX) >= 1 && (cbaud & ~CBAUDEX) <= 15)
		return high[(cbaud & ~CBAUDEX) - 1];
	return 0;
}

/* The speeds of a termios set through the old struct (no c_ispeed/c_ospeed): from c_cflag. */
static void speeds_from_cflag(struct ktermios *k)
{
	uint32_t ibaud = (k->c_cflag & CIBAUD) >> TTY_IBSHIFT;

	k->c_ospeed = baud_of(k->c_cflag & CBAUD);
	k->c_ispeed = ibaud ? baud_of(ibaud) : k->c_ospeed;
}

/* TCSETS*: v2 with the termios2 form; flush: TCSETSF's input flush. */
static long set_termios(struct tty *t, const void *arg, bool v2, bool flush)
{
	struct ktermios old = t->tio, n = t->tio;

	memcpy(&n, arg, v2 ? sizeof(n) : KTERMIOS_V1);
	if (!v2 || (n.c_cflag & CBAUD) != TTY_BOTHER)
		speeds_from_cflag(&n);
	/* pty_set_termios: a pseudo-terminal is always 8 bits, no parity, and reads */
	n.c_cflag = (n.c_cflag & ~(CSIZE | PARENB)) | CS8 | CREAD;
	if (flush)
		tty_flush(t, true, false);
	t->tio = n;
	if (t->packet && ((old.c_iflag ^ n.c_iflag) & IXON || old.c_cc[VSTOP] != n.c_cc[VSTOP] ||
			  old.c_cc[VSTART] != n.c_cc[VSTART])) {
		bool dostop = (n.c_iflag & IXON) && n.c_cc[VSTOP] == 023 && n.c_cc[VSTART] == 021;
		t->pktstatus &= ~(TIOCPKT_DOSTOP | TIOCPKT_NOSTOP);
		t->pktstatus |= dostop ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP;
	}
	tty_ldisc_set(t, &old);
	return 0;
}

static long set_winsize(struct tty *t, const struct winsize *ws)
{
	if (!memcmp(ws, &t->ws, sizeof(*ws)))
		return 0;
	t->ws = *ws;
	tty_signal(t, SIGWINCH);
	return 0;
}

/* tcflow(3)'s TCXONC: TCIOFF and TCION send VSTOP and VSTART to the other side. */
static long flow(struct tty *t, int how)
{
	unsigned char c;

	switch (how) {
	case TCOOFF:
	case TCOON:
		tty_stop(t, how == TCOOFF);
		return 0;
	case TCIOFF:
	case TCION:
		c = t->tio.c_cc[how == TCIOFF ? VSTOP : VSTART];
		if (c)
			tty_ldisc_write(t, &c, 1);
		return 0;
	default:
		return -EINVAL;
	}
}

static long flush(struct tty *t, int how)
{
	if (how != TCIFLUSH && how != TCOFLUSH && how != TCIOFLUSH)
		return -EINVAL;
	tty_flush(t, how != TCOFLUSH, how != TCIFLUSH);
	return 0;
}

long tty_mode_ioctl(struct tty *t, unsigned long cmd, void *arg)
{
	switch (cmd) {
	case TCGETS:
		memcpy(arg, &t->tio, KTERMIOS_V1);
		return 0;
	case VFS_TCGETS2:
		memcpy(arg, &t->tio, sizeof(t->tio));
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(t, arg, false, cmd == TCSETSF);
	case VFS_TCSETS2:
	case VFS_TCSETSW2:
	case VFS_TCSETSF2:
		return set_termios(t, arg, true, cmd == VFS_TCSETSF2);
	case TIOCGWINSZ:
		memcpy(arg, &t->ws, sizeof(t->ws));
		return 0;
	case TIOCSWINSZ:
		return set_winsize(t, arg);
	case TCFLSH:
		return flush(t, *(int *)arg);
	case TCXONC:
		return flow(t, *(int *)arg);
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
		return 0; /* a pseudo-terminal has no line to break, and drains at once */
	case TIOCGETD:
		*(int *)arg = N_TTY;
		return 0;
	default:
		return -TTY_ENOIOCTL;
	}
}
