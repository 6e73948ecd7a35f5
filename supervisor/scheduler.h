/*
 * Parking and waking tasks.
 *
 * A syscall that must wait (wait4 with no zombie, a read of an empty pipe,
 * poll, nanosleep ...) parks its task: the task stays at its seccomp stop,
 * not resumed, while every other task runs.  It waits on a channel (any
 * address: a process for wait4, a pipe for its readers), a host fd (stdin),
 * a deadline, or several of these.  When one fires the task becomes
 * runnable and the event loop serves the same call again: handlers are
 * written so that running again is the normal way to finish.
 */
#pragma once

#include <stdbool.h>

struct kernel;
struct task;

/* Any channel: a poller wakes on every sched_wake (it re-checks its files). */
#define SCHED_ANY ((const void *)1)

/*
 * Park t on chan (may be NULL) until woken; also wake when host fd is ready
 * for events (fd -1: none) or at deadline_ns on CLOCK_MONOTONIC (0: none).
 * The handler then returns -UOS_EBLOCK.
 */
void sched_park(struct task *t, const void *chan, int fd, short events, long long deadline_ns);
/* Wake the tasks parked on chan, and every SCHED_ANY poller. */
void sched_wake(struct kernel *k, const void *chan);
/* Make t runnable now (its fd or deadline fired, or a signal interrupts it). */
void sched_make_runnable(struct task *t);
/* t is no longer waiting (it died, or its call completed otherwise). */
void sched_unpark(struct task *t);
/* Whether t is parked (waiting, not yet runnable). */
bool sched_parked(const struct task *t);
/* CLOCK_MONOTONIC now, in nanoseconds. */
long long sched_now_ns(void);
