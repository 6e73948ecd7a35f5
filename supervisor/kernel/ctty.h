/*
 * Controlling terminals and job control (Linux's tty_jobctrl.c and the
 * ctty parts of tty_io.c) for uos's own terminals (vfs_tty.h): which
 * terminal controls a session, its foreground process group, the signals
 * of background groups that read or write it (SIGTTIN, SIGTTOU), and the
 * hangups when the session leader goes or the master closes.
 *
 * A process holds a reference on its controlling terminal (tg->ctty),
 * which its children inherit and setsid drops.  The terminal keeps the
 * session's and the foreground group's numbers (vfs_tty_set_ctl).
 */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

struct kernel;
struct task;
struct tgroup;
struct tty;
struct vfs_caller;
struct vfs_file;

/* The hooks of the VFS (repath.c registers them): vfs.h's tty_signal, tty_hangup, ctty. */
void ctty_signal_pgrp(struct kernel *k, int pgrp, int sig);
void ctty_hangup(struct kernel *k, struct tty *tty);
int ctty_open_current(struct vfs_caller *c, int flags, const char *path, const struct stat *st,
		      struct vfs_file **out);


/* tg, a session leader with no terminal, takes tty as its controlling terminal. */
void ctty_set(struct tgroup *tg, struct tty *tty);
/* A new process inherits its parent's controlling terminal. */
void ctty_fork(struct tgroup *child, struct tgroup *parent);
/* setsid: the process leaves its terminal. */
void ctty_setsid(struct kernel *k, struct tgroup *tg);
/* tg died: a session leader's terminal loses its session (SIGHUP to the foreground group). */
void ctty_exit(struct kernel *k, struct tgroup *tg);
/* t opened f with flags: a session leader without a terminal acquires it (tty_open_proc_set_tty). */
void ctty_opened(struct task *t, struct vfs_file *f, int flags);

/*
 * The ioctls of controlling terminals on f, a terminal (arg: a uos buffer
 * holding the argument, a value argument as an int): TIOCSCTTY,
 * TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSTI; and the job control check of
 * those that change the terminal.  1 when cmd is none of these and the
 * terminal's own ioctl goes on; else 0 or -errno (-UOS_EBLOCK: stopped).
 */
long ctty_ioctl(struct task *t, struct vfs_file *f, unsigned long cmd, void *arg);
/*
 * Before a read (write false) or write of f: a background group reading
 * its terminal gets SIGTTIN (EIO when it ignores it or is orphaned), one
 * writing it with TOSTOP SIGTTOU.  0 to go on, -EIO, or -UOS_EBLOCK (the
 * call waits for the signal, then ends with EINTR or runs again).
 */
long ctty_check_io(struct task *t, struct vfs_file *f, bool write);
