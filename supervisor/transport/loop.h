/*
 * The event loop: the only place uos waits.  It drains ptrace stops
 * (waitpid with WNOHANG; the stops that have come are taken, then served
 * in turn, so that no busy task starves the others), serves the tasks
 * sched woke, and otherwise sleeps: in a blocking wait4 when only a stop
 * can come, else in poll(2) on a signalfd (SIGCHLD for new stops), the
 * host fds parked tasks wait for, and the nearest deadline; the signals
 * uos itself receives interrupt either (intr.h).  While stops keep coming
 * it still looks at those every few milliseconds.  It never waits for one
 * task, and SIGTERM ends it within --stop-timeout.  Single-threaded, as
 * kernel.h says.
 */
#pragma once

struct kernel;

/* Block SIGCHLD for the loop's signalfds, and note uos's own signals (intr.h).  0 or -errno. */
int loop_init(struct kernel *k);
/* Serve everything until PID 1 is gone.  Returns the status uos exits with. */
int loop_run(struct kernel *k);
