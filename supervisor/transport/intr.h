/*
 * Waits that the signals sent to uos itself interrupt, with no window in
 * which one is lost: the way the event loop sleeps in a blocking wait4
 * (one host call per stop) and still hears SIGTERM or a terminal's SIGINT
 * at once.
 *
 * The signals uos takes (SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP,
 * SIGCONT, SIGWINCH, its own alarm's SIGALRM, and SIGCHLD when it sleeps
 * on the filter's listener: loop.c) get a handler
 * (SA_RESTART) that only notes them; the
 * loop takes the notes after each wait (intr_take).  A wait made with
 * intr_wait4 or intr_poll checks the notes just before its syscall
 * instruction, and a signal that comes between that check and the
 * instruction, or while the call sleeps, makes it return -EINTR: the
 * handler moves the interrupted thread out of that window (as musl's
 * cancellation points do), so the call never starts or is not restarted.
 * A call that had finished keeps its result.  Any other handler uos has
 * (hostnote.c's SIGIO) blocks these signals while it runs: one coming
 * during it would be noted after the check, and its frame would return to
 * the syscall instruction of a wait the host restarts.
 *
 * The notes are the second mutable global of uos (after hostcall.c's
 * counts): a signal handler has no struct kernel to reach.
 */
#pragma once

#include <poll.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Install the handlers for sigs[0..n) and unblock them.  0 or -errno. */
int intr_init(const int *sigs, int n);
/* INTR_BIT(sig): sig's bit in the notes. */
#define INTR_BIT(sig) (1UL << ((sig) - 1))
/* The signals of which noted since they were last taken; clears them. */
unsigned long intr_take(unsigned long which);
/* Note sig as if it had come (async-signal-safe). */
void intr_note(int sig);
/* wait4 that a noted signal interrupts: the pid, or -errno (-EINTR). */
long intr_wait4(pid_t pid, int *status, int options, struct rusage *ru);
/* poll that a noted signal interrupts: the count, or -errno (-EINTR). */
long intr_poll(struct pollfd *fds, nfds_t n, int timeout_ms);
/* ioctl that a noted signal interrupts: its result, or -errno (-EINTR). */
long intr_ioctl(int fd, unsigned long req, void *arg);
