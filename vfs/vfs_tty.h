/*
 * Terminals as the kernel layer sees them: the pseudo-terminals of devpts
 * (vfs/pty.c), with the session each controls and its foreground process
 * group, which the kernel layer keeps right (controlling terminals and job
 * control live above the VFS, as Linux's tty_jobctrl.c beside its
 * processes).  The VFS only stores the numbers, and sends the signals its
 * line discipline makes (VINTR ...) and a hangup through the hooks (vfs.h).
 */
#pragma once

#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

/* The termios2 ioctls (<asm/termbits.h>'s struct termios2, 44 bytes, clashes with <termios.h>). */
#define VFS_TCGETS2 _IOC(_IOC_READ, 'T', 0x2A, 44)
#define VFS_TCSETS2 _IOC(_IOC_WRITE, 'T', 0x2B, 44)
#define VFS_TCSETSW2 _IOC(_IOC_WRITE, 'T', 0x2C, 44)
#define VFS_TCSETSF2 _IOC(_IOC_WRITE, 'T', 0x2D, 44)

struct tty;
struct vfs_file;

/* The terminal of f, either end of a pseudo-terminal, or NULL. */
struct tty *vfs_tty_of(struct vfs_file *f);
/* Whether f is a pseudo-terminal master (/dev/ptmx). */
bool vfs_tty_is_master(struct vfs_file *f);
/* A reference on t (a session's controlling terminal), and its drop. */
void vfs_tty_hold(struct tty *t);
void vfs_tty_drop(struct tty *t);
/* The session t controls (0: none) and its foreground group. */
int vfs_tty_sid(const struct tty *t);
int vfs_tty_pgrp(const struct tty *t);
void vfs_tty_set_ctl(struct tty *t, int sid, int pgrp);
/* Whether the master of t closed (its slave hung up). */
bool vfs_tty_hung(const struct tty *t);
/* Whether output of background groups stops them (TOSTOP). */
bool vfs_tty_tostop(const struct tty *t);
/* /dev/pts/<index> */
int vfs_tty_index(const struct tty *t);
/*
 * A new file on the slave end of t: open("/dev/tty") of its session, whose
 * path and stat are those of /dev/tty.  0 or -EIO.
 */
int vfs_tty_open(struct tty *t, int flags, const char *path, const struct stat *st,
		 struct vfs_file **out);
/*
 * TIOCSTI on f: c into what f reads: the slave's through the line
 * discipline, as if the master wrote it; the master's as it is.
 */
void vfs_tty_inject(struct vfs_file *f, unsigned char c);
/* TIOCGPTPEER on f: a new file on the slave of the master f.  0, -ENOTTY, -EIO (locked). */
int vfs_tty_peer(struct vfs_file *f, int flags, struct vfs_file **out);
