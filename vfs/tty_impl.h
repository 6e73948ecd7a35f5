/*
 * What the terminal files share and nobody else sees: the terminal (struct
 * tty, one per pseudo-terminal pair, as Linux's tty_struct pair of a pty)
 * and its line discipline (tty_ldisc.c, Linux's n_tty), the pair's files
 * (pty.c) and devpts (devpts.c), which names them.
 *
 * One struct serves both ends: the slave side's termios, window size,
 * session and foreground group are the terminal's (Linux's termios ioctls
 * on the master act on the slave too); the input queue is what the master
 * wrote, after the line discipline, for the slave to read; the output
 * queue is what the slave wrote (after output processing) and the echoes,
 * for the master to read.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <time.h>

#include "vfs_impl.h"
#include "vfs_tty.h"

#define TTY_NCC 19	  /* the kernel's NCCS */
#define TTY_IBUF 4096	  /* N_TTY_BUF_SIZE: the input queue */
#define TTY_OBUF 8192	  /* the output queue (the master's flip buffer limit) */

/* struct termios2 of <asm/termbits.h>: TCGETS gives its first 36 bytes. */
struct ktermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[TTY_NCC];
	uint32_t c_ispeed, c_ospeed;
};
#define KTERMIOS_V1 36 /* sizeof the kernel's struct termios */
#define TTY_BOTHER 010000 /* c_cflag's CBAUD: the speeds are c_ispeed, c_ospeed */
#define TTY_IBSHIFT 16	   /* c_cflag's CIBAUD: the input speed's CBAUD value, shifted */

/* A ring of bytes; in the input queue each byte has flags (TTYQ_*). */
struct ttyq {
	unsigned char *buf, *flag; /* flag: input queue only */
	unsigned cap;		   /* a power of two */
	unsigned head, tail;	   /* free-running */
};
#define TTYQ_EOL 1 /* the last byte of a line (canonical mode) */
#define TTYQ_EOF 2 /* an EOF char: ends a line, never read */

struct tty {
	int refs;	   /* the files of both ends, the pts node, controlling sessions */
	struct vfs_ns *ns; /* whose hooks send signals, whose wait queues are woken */
	struct vfs_sb *sb; /* the devpts instance (borrowed: it outlives its pairs) */
	int index;	   /* /dev/pts/<index> (devpts forgets it when the master closes) */
	struct ktermios tio;
	struct winsize ws;
	int sid, pgrp;	   /* the session it controls, its foreground group; 0: none */
	uid_t uid;	   /* the slave node's owner (the master's opener) and mode */
	gid_t gid;
	mode_t mode;
	struct timespec atime, mtime, ctime;

	int masters, slaves; /* open files of each end */
	bool other_closed;   /* every slave closed since the last open (TTY_OTHER_CLOSED) */
	bool hung;	     /* the master closed: the slave's files are hung up */
	bool locked;	     /* TIOCSPTLCK: slaves may not open */
	bool packet;	     /* TIOCPKT */
	unsigned char pktstatus; /* TIOCPKT_* control bits for the master's next read */
	bool stopped;	     /* output stopped by VSTOP (IXON) or tcflow(TCOOFF) */

	/* The line discipline's state (tty_ldisc.c). */
	struct ttyq in, out;
	unsigned canon_head; /* in: bytes before it form whole lines */
	bool lnext;	     /* the next input byte is literal (VLNEXT) */
	bool erasing;	     /* ECHOPRT: inside "\...": not kept */
	unsigned column;     /* the output column (tabs, echo of erase) */
	unsigned canon_column; /* the column where the current input line began */
};

/* tty_ldisc.c: the line discipline. */
void tty_ldisc_init(struct tty *t);
void tty_ldisc_free(struct tty *t);
/*
 * Bytes the master writes: through input processing into the input queue.
 * The bytes taken (possibly 0: the queue is full).
 */
size_t tty_receive(struct tty *t, const unsigned char *buf, size_t len);
/*
 * The slave reads: bytes, 0 (an EOF char; VMIN and VTIME 0), or -EAGAIN
 * (wait: not enough yet); expired: its VTIME passed, the bytes there or 0.
 */
long tty_ldisc_read(struct tty *t, unsigned char *buf, size_t len, bool expired);
/* The slave writes: through output processing; the bytes taken, or -EAGAIN. */
long tty_ldisc_write(struct tty *t, const unsigned char *buf, size_t len);
/* Whether a slave read would not wait (poll: with VMIN, min bytes). */
bool tty_input_ready(const struct tty *t);
/* The bytes a slave read could take (FIONREAD): whole lines in canonical mode. */
unsigned tty_input_count(const struct tty *t);
/* Room in the input queue for what the master writes. */
bool tty_input_room(const struct tty *t);
/* tcflush: drop the input queue (in), the output queue (out). */
void tty_flush(struct tty *t, bool in, bool out);
/* The termios changes: canonical mode turned on or off rebuilds the line state. */
void tty_ldisc_set(struct tty *t, const struct ktermios *old);
/* VSTOP/VSTART and tcflow: output stops or goes on (packet status for the master). */
void tty_stop(struct tty *t, bool stop);

/* tty.c: the terminal object. */
/* Wake whoever waits on t (readers, writers, pollers of both ends). */
void tty_wake(struct tty *t);
/* Send sig to t's foreground group (the hooks; none: nothing). */
void tty_signal(struct tty *t, int sig);
/* The ioctls both ends answer alike (termios, window size); -ENOIOCTLCMD when not one. */
long tty_mode_ioctl(struct tty *t, unsigned long cmd, void *arg);
#define TTY_ENOIOCTL 515 /* ENOIOCTLCMD: not a command of this layer */
struct tty *tty_alloc(struct vfs_ns *ns, struct vfs_sb *sb, int index, uid_t uid, gid_t gid);
void tty_get(struct tty *t);
/* chmod, chown, utimens of the slave node (checked by the generic layer). */
int tty_setattr(struct tty *t, const struct vfs_attr *a);
void tty_put(struct tty *t);

/* pty.c: the two ends' files. */
int pty_master_new(struct tty *t, int flags, const char *path, const struct stat *st,
		   struct vfs_file **out);
/* A new file on t's slave end (the open of /dev/pts/N): -EIO when locked or hung up. */
int pty_slave_open(struct tty *t, int flags, const char *path, struct vfs_file **out);

/* devpts.c: the instance's numbering. */
/* The slave's stat (the node /dev/pts/N). */
void devpts_slave_stat(const struct tty *t, struct stat *st);
/* The master closed: t's index is free and /dev/pts/N gone. */
void devpts_forget(struct tty *t);
