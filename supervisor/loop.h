/*
 * The event loop: the only place uos waits.  It drains ptrace stops
 * (waitpid with WNOHANG), serves the tasks sched woke, and otherwise sleeps
 * in poll(2) on a signalfd (SIGCHLD for new stops, and the signals uos
 * itself receives), the host fds parked tasks wait for, and the nearest
 * deadline.  Single-threaded, as kernel.h says.
 */
#pragma once

struct kernel;

/* Block the signals the loop takes through a signalfd.  0 or -errno. */
int loop_init(struct kernel *k);
/* Serve everything until PID 1 is gone.  Returns the status uos exits with. */
int loop_run(struct kernel *k);
