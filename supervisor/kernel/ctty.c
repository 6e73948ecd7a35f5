/* Controlling terminals and job control (see ctty.h). */
#include "ctty.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "cred.h"
#include "kernel.h"
#include "scheduler.h"
#include "sigsend.h"
#include "task.h"
#include "vfs.h"
#include "vfs_tty.h"

/* ---- the books */

void ctty_set(struct tgroup *tg, struct tty *tty)
{
	tg->ctty = tty;
	vfs_tty_hold(tty);
	vfs_tty_set_ctl(tty, tg->sid, tg->pgid);
}

static void clear_ctty(struct tgroup *tg)
{
	if (!tg->ctty)
		return;
	vfs_tty_drop(tg->ctty);
	tg->ctty = NULL;
}

static bool leader(const struct tgroup *tg)
{
	return tg->sid == tg->pid;
}

void ctty_signal_pgrp(struct kernel *k, int pgrp, int sig)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (!tg->zombie && tg->pgid == pgrp)
			sig_send_process(k, tg, sig);
}

/* disassociate_ctty: the leader's session loses its terminal; its foreground group gets SIGHUP. */
static void disassociate(struct kernel *k, struct tgroup *lead, bool on_exit)
{
	struct tty *tty = lead->ctty;
	int pgrp = vfs_tty_pgrp(tty);

	if (pgrp > 0) {
		ctty_signal_pgrp(k, pgrp, SIGHUP);
		if (!on_exit)
			ctty_signal_pgrp(k, pgrp, SIGCONT);
	}
	if (vfs_tty_sid(tty) == lead->sid)
		vfs_tty_set_ctl(tty, 0, 0);
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (tg->sid == lead->sid && tg->ctty == tty)
			clear_ctty(tg);
}

void ctty_hangup(struct kernel *k, struct tty *tty)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next) {
		if (tg->ctty != tty)
			continue;
		if (leader(tg) && !tg->zombie) {
			sig_send_process(k, tg, SIGHUP);
			sig_send_process(k, tg, SIGCONT);
		}
		clear_ctty(tg);
	}
}

int ctty_open_current(struct vfs_caller *c, int flags, const char *path, const struct stat *st,
		      struct vfs_file **out)
{
	struct tgroup *tg = c->task->tg;

	if (tg->ctty)
		return vfs_tty_open(tg->ctty, flags, path, st, out);
	/* Without a console the first guest's session has the user's terminal itself. */
	struct kernel *k = c->task->k;
	return !k->console && tg->sid == k->host_tty_sid ? -ENODEV : -ENXIO;
}

void ctty_fork(struct tgroup *child, struct tgroup *parent)
{
	child->ctty = parent->ctty;
	if (child->ctty)
		vfs_tty_hold(child->ctty);
}

void ctty_setsid(struct kernel *k, struct tgroup *tg)
{
	clear_ctty(tg);
}

void ctty_exit(struct kernel *k, struct tgroup *tg)
{
	if (tg->ctty && leader(tg))
		disassociate(k, tg, true);
	clear_ctty(tg);
}

void ctty_opened(struct task *t, struct vfs_file *f, int flags)
{
	struct tgroup *tg = t->tg;
	struct tty *tty = vfs_tty_of(f);

	/* tty_open_proc_set_tty: a slave opened for reading, by a leader with no terminal */
	if (!tty || vfs_tty_is_master(f) || (flags & O_NOCTTY) || (flags & O_ACCMODE) == O_WRONLY ||
	    !leader(tg) || tg->ctty || vfs_tty_sid(tty) || vfs_tty_hung(tty))
		return;
	ctty_set(tg, tty);
}

/* ---- job control */

/*
 * __tty_check_change: a process of a background group acting on its
 * terminal gets sig, unless it ignores or blocks it (then SIGTTIN's EIO,
 * SIGTTOU's go-ahead) or its group is orphaned (EIO).
 */
static long check_change(struct task *t, struct vfs_file *f, int sig)
{
	struct tty *tty = vfs_tty_of(f);
	struct tgroup *tg = t->tg;
	int pgrp = vfs_tty_pgrp(tty);

	if (vfs_tty_is_master(f) || tg->ctty != tty || !pgrp || pgrp == tg->pgid)
		return 0;
	if (sig_ignored_or_blocked(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (tg_pgrp_orphaned(t->k, tg->pgid))
		return -EIO;
	/* kill_pgrp: the caller's thread takes its own, for the call to end by it */
	for (struct tgroup *o = t->k->procs; o; o = o->next)
		if (o != tg && !o->zombie && o->pgid == tg->pgid)
			sig_send_process(t->k, o, sig);
	sig_send(t, sig);
	sched_park(t, NULL, -1, 0, 0);
	return -UOS_EBLOCK;
}

long ctty_check_io(struct task *t, struct vfs_file *f, bool write)
{
	struct tty *tty = vfs_tty_of(f);

	if (!tty || (write && !vfs_tty_tostop(tty)))
		return 0;
	return check_change(t, f, write ? SIGTTOU : SIGTTIN);
}

/* ---- the ioctls */

/* Every process of session sid loses tty (session_clear_tty). */
static void session_clear(struct kernel *k, int sid, struct tty *tty)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (tg->sid == sid && tg->ctty == tty)
			clear_ctty(tg);
}

/*
 * TIOCSCTTY: a session leader without a terminal takes this one, if no
 * session has it, or steals it (arg 1) with CAP_SYS_ADMIN.
 */
static long sctty(struct task *t, struct vfs_file *f, struct tty *tty, int arg)
{
	struct tgroup *tg = t->tg;
	bool admin = cred_capable(t, CAP_SYS_ADMIN);

	if (leader(tg) && vfs_tty_sid(tty) == tg->sid)
		return 0;
	if (!leader(tg) || tg->ctty)
		return -EPERM;
	if (vfs_tty_sid(tty)) {
		if (arg != 1 || !admin)
			return -EPERM;
		session_clear(t->k, vfs_tty_sid(tty), tty);
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY && !admin)
		return -EPERM;
	ctty_set(tg, tty);
	return 0;
}

/*
 * TIOCSTI: a byte into the terminal's input, as if typed.  Linux 6.x by
 * default (dev.tty.legacy_tiocsti 0) lets only CAP_SYS_ADMIN do it (EIO
 * else); that one may push into any terminal.  Only uos's terminals are
 * reachable: the user's own is behind the console's relay.
 */
static long sti(struct task *t, struct vfs_file *f, const unsigned char *c)
{
	if (!cred_capable(t, CAP_SYS_ADMIN))
		return -EIO;
	vfs_tty_inject(f, *c);
	return 0;
}

/* TIOCNOTTY: the caller leaves its terminal; a leader takes its session with it. */
static long notty(struct task *t)
{
	if (leader(t->tg))
		disassociate(t->k, t->tg, false);
	clear_ctty(t->tg);
	return 0;
}

/* Whether pid names a live process or a group (find_vpid). */
static bool pid_exists(struct kernel *k, int pid)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (!tg->zombie && (tg->pid == pid || tg->pgid == pid))
			return true;
	return false;
}

/* TIOCSPGRP (tiocspgrp): the foreground group becomes one of the caller's session. */
static long spgrp(struct task *t, struct vfs_file *f, struct tty *tty, int pgrp)
{
	long r = check_change(t, f, SIGTTOU);

	if (r)
		return r == -EIO ? -ENOTTY : r;
	if (pgrp < 0)
		return -EINVAL;
	if (t->tg->ctty != tty || vfs_tty_sid(tty) != t->tg->sid)
		return -ENOTTY;
	if (!pid_exists(t->k, pgrp))
		return -ESRCH;
	if (!tg_group_in_session(t->k, pgrp, t->tg->sid))
		return -EPERM;
	vfs_tty_set_ctl(tty, t->tg->sid, pgrp);
	return 0;
}

long ctty_ioctl(struct task *t, struct vfs_file *f, unsigned long cmd, void *arg)
{
	struct tty *tty = vfs_tty_of(f);
	bool master = vfs_tty_is_master(f), mine = t->tg->ctty == tty && !master;

	if (!master && vfs_tty_hung(tty))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO; /* hung_up_tty_ioctl */
	switch (cmd) {
	case TIOCSCTTY:
		return sctty(t, f, tty, *(int *)arg);
	case TIOCSTI:
		return sti(t, f, arg);
	case TIOCNOTTY:
		return mine ? notty(t) : -ENOTTY;
	case TIOCGPGRP:
		if (!master && !mine)
			return -ENOTTY;
		*(int *)arg = vfs_tty_pgrp(tty);
		return 0;
	case TIOCGSID:
		if ((!master && !mine) || !vfs_tty_sid(tty))
			return -ENOTTY;
		*(int *)arg = vfs_tty_sid(tty);
		return 0;
	case TIOCSPGRP:
		return spgrp(t, f, tty, *(int *)arg);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case VFS_TCSETS2:
	case VFS_TCSETSW2:
	case VFS_TCSETSF2:
	case TCFLSH:
	case TCXONC:
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK: {
		long r = check_change(t, f, SIGTTOU);
		return r ? r : 1;
	}
	default:
		return 1;
	}
}
