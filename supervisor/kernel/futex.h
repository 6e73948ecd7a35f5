/*
 * Serial mode's futex wait queues.  In serial mode a wait on the host would
 * sleep while holding the one CPU, so uos keeps the queues itself: a waiter
 * parks on its word's key, and wakes and requeues act on parked tasks whose
 * key matches.  Keys are Linux's get_futex_key: a FUTEX_PRIVATE_FLAG word,
 * or one in a private mapping, by address space and address; a word in a
 * shared mapping by what is mapped there (file and offset; shared anonymous
 * memory, inherited across fork at the same address, by its address), so
 * that processes sharing a semaphore wake each other.  Waiters are woken in
 * the order they came.  sys_futex.c decodes the calls; task.c (clear_child_tid)
 * and robust.c (robust lists) wake words as the kernel itself does.
 */
#pragma once

#include <stdbool.h>

struct task;

/*
 * Park t on the word at uaddr (private: FUTEX_PRIVATE_FLAG) until a wake
 * chooses it or deadline (CLOCK_MONOTONIC ns, 0: none) passes.
 */
void futex_park(struct task *t, unsigned long uaddr, bool private, long long deadline);
/* Whether a wake chose t while it was parked (then forgotten: true once). */
bool futex_take_woken(struct task *t);
/* Wake up to n waiters parked on the word at uaddr in t's address space; how many were woken. */
long futex_wake(struct task *t, unsigned long uaddr, bool private, int n);
/*
 * Wake up to nwake waiters parked on the word at from, then move up to nmove
 * of the others to the word at to (FUTEX_REQUEUE).  How many were woken and
 * moved.
 */
long futex_requeue(struct task *t, unsigned long from, unsigned long to, bool private, int nwake,
		   int nmove);
