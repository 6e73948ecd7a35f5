/*
 * The user's terminal as a uos terminal.  When uos starts as the
 * foreground job of a terminal on its stdio, the guest does not get that
 * host terminal: it gets the slave of a pseudo-terminal of uos's own
 * (/dev/pts/0), whose master uos keeps and relays to the host terminal,
 * which it puts in raw mode.  So the guest's line discipline, job control
 * and `tty` are uos's (vfs/tty_ldisc.c, ctty.c), and the host's terminal
 * only carries bytes.  The host's settings come back at exit and while uos
 * is stopped; its window size follows the host's (SIGWINCH to uos).
 */
#pragma once

#include <poll.h>
#include <stdbool.h>

struct kernel;
struct tgroup;
struct vfs_file;

/*
 * Make the console if uos's stdio is a terminal whose foreground job uos
 * is; when it cannot be made, the guest gets the host's terminal itself.
 */
void console_open(struct kernel *k);
/* The guest's file for host stdio fd (0..2) when that fd is the console's terminal, else NULL. */
struct vfs_file *console_stdio(struct kernel *k, int fd);
/* The first guest, a session leader, gets the console as its controlling terminal. */
void console_attach(struct kernel *k, struct tgroup *tg);
/* The host fd the event loop polls for the console (into *p): 1, or 0 when nothing to wait for. */
int console_watch(struct kernel *k, struct pollfd *p);
/* Move what can move between the host terminal and the master: whether anything did. */
bool console_pump(struct kernel *k);
/* SIGWINCH to uos: the guest's window size becomes the host terminal's. */
void console_winch(struct kernel *k);
/* uos stops (its program stopped) and continues: the host terminal's own settings meanwhile. */
void console_suspend(struct kernel *k);
void console_resume(struct kernel *k);
/* The foreground group of the console, or 0 (no console). */
int console_fg_pgrp(struct kernel *k);
/* uos ends: the host's settings back; the master closes (the guests' terminal hangs up). */
void console_close(struct kernel *k);
