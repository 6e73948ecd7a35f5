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

#include <time.h>

#include <stdbool.h>
#include <stdint.h>

#include "waitq.h"

struct kernel;
struct task;

/* Any channel: a poller wakes on every sched_wake (it re-checks its files). */
#define SCHED_ANY WAITQ_ANY

/*
 * Park t on chan (may be NULL) until woken; also wake when host fd is ready
 * for events (fd -1: none) or at deadline_ns on CLOCK_MONOTONIC (0: none).
 * The handler then returns -UOS_EBLOCK.
 */
void sched_park(struct task *t, const void *chan, int fd, short events, long long deadline_ns);
/*
 * A wait with a timeout ending at *end (CLOCK_MONOTONIC; NULL: none; {0, 0}:
 * no wait at all): 0 when it is over (a zero timeout, or end has passed),
 * else parks t as sched_park does until end, and no longer than recheck_ns
 * from now when recheck_ns > 0 (for what nothing wakes), and returns
 * -UOS_EBLOCK.
 */
long sched_park_until(struct task *t, const void *chan, int fd, short events,
		      const struct timespec *end, long long recheck_ns);
/* Wake the tasks parked on chan, and every SCHED_ANY poller (waitq_wake_polled). */
void sched_wake(struct kernel *k, const void *chan);
/* Make t runnable now (its fd or deadline fired, or a signal interrupts it). */
void sched_make_runnable(struct task *t);
/* t is no longer waiting (it died, or its call completed otherwise). */
void sched_unpark(struct task *t);
/* Whether t is parked (waiting, not yet runnable). */
bool sched_parked(const struct task *t);
/*
 * Move t, parked and not yet woken, to channel chan (FUTEX_REQUEUE), behind
 * chan's waiters; its fd and deadline stay.  Nothing if chan is its channel.
 */
void sched_requeue(struct task *t, const void *chan);
/*
 * The parked tasks not yet woken, in the order they parked (the event loop
 * watches their fds and deadlines).  Take the next before making t runnable.
 */
struct task *sched_first_parked(struct kernel *k);
struct task *sched_next_parked(const struct task *t);
/*
 * Whether the task of virtual tid tid is alive, parked on chan, and not
 * being interrupted by a signal (a FIFO open's waiter, fifo.c, that still
 * counts as waiting).
 */
bool sched_waits_on(struct kernel *k, int tid, const void *chan);
/* CLOCK_MONOTONIC now, in nanoseconds (uos_now_ns). */
long long sched_now_ns(void);

/*
 * Serial mode (--sched=serial:SEED): exactly one task runs at a time.  A
 * task uos would resume becomes ready instead (sched_ready); when no task
 * runs, sched_dispatch picks a ready one with the seeded generator,
 * weighted by nice value as CFS weighs CPU shares, and runs it until its
 * next stop or the end of its time slice.  The same seed gives the same
 * order of syscalls, as long as nothing outside the guest (a host signal,
 * a timer, a call that sleeps on the host) intervenes.
 */
void sched_serial_init(struct kernel *k, uint64_t seed);
/* t, stopped, would be resumed with ptrace request req and signal sig. */
void sched_ready(struct task *t, int req, int sig);
/* The host reports a stop (or the death) of t: it no longer runs. */
void sched_stopped(struct task *t);
/*
 * Run a ready task if none runs.  Nothing is dispatched while a new task's
 * first stop, or the exec stop of a task whose execve waits for its other
 * threads to die, is still to come: those come without any other task
 * running, so waiting for them keeps the order the same from run to run.
 * Returns true when one was started.
 */
bool sched_dispatch(struct kernel *k);
/* End the running task's slice if it is over; the ns until it is over otherwise (-1: none). */
long long sched_check_slice(struct kernel *k);
/* CFS's weight of a nice value (1024 for 0). */
int sched_weight(int nice);
