/*
 * Wait queues keyed by channel, as Linux's hashed wait queues (the bit and
 * futex wait tables): one table of buckets, each a list of the waiters of
 * every channel that hashes there, oldest first.  A channel is any address;
 * the module only compares channels, never looks behind them, and knows
 * nothing of who waits: a waiter is embedded in its owner's struct (found
 * again with container_of) and says what to do when it is woken.
 *
 * A waiter is on one list at a time.  Adding and removing are O(1); a wake
 * walks one bucket.  A zeroed struct waitq is empty and a zeroed waiter is
 * not queued, so neither needs an init.  A waitq_list alone (not in a table)
 * is a plain FIFO of waiters, for owners that keep one more list.
 */
#pragma once

#include <stdbool.h>

#include "base.h"

struct waiter;
typedef void (*waiter_fn)(struct waiter *w);

struct waitq_list {
	struct waiter *first, *last;
};

struct waiter {
	struct waiter *next, *prev; /* in list, while queued */
	struct waitq_list *list;    /* the list w is on, or NULL: not queued */
	const void *chan;	    /* what w waits on, while queued in a table */
	waiter_fn wake;		    /* what waitq_wake calls, once w is off its list */
};

#define WAITQ_BITS 8
struct waitq {
	struct waitq_list bucket[1 << WAITQ_BITS];
};

/*
 * Queue w (not queued) on chan, behind chan's other waiters; waitq_wake will
 * call wake(w) (may be NULL: nothing is called).
 */
void waitq_add(struct waitq *q, struct waiter *w, const void *chan, waiter_fn wake);
/* Take w off its list, whichever it is; nothing if it is not queued. */
void waitq_remove(struct waiter *w);
/* Whether w is on a list. */
static inline bool waitq_queued(const struct waiter *w)
{
	return w->list != NULL;
}
/*
 * Wake up to n waiters of chan (n < 0: all), oldest first: each is taken off
 * the queue, then its wake runs.  How many were woken.  A wake function may
 * add and remove any waiter: one it adds (itself too) waits for the next
 * wake; one this call chose but has not yet called counts as queued, and
 * removing it takes it out of this wake.
 */
int waitq_wake(struct waitq *q, const void *chan, int n);
/*
 * Any channel: its waiters (pollers, which re-check their files) wake at
 * every waitq_wake_polled.
 */
#define WAITQ_ANY ((const void *)1)
/*
 * Wake every waiter of chan, then every waiter of WAITQ_ANY: what a change
 * to the object chan does.  q NULL: nobody waits (a namespace built bare).
 */
void waitq_wake_polled(struct waitq *q, const void *chan);
/* How many wait on chan. */
int waitq_count(const struct waitq *q, const void *chan);
/*
 * The oldest waiter of chan, and the one after w on w's channel (w queued in
 * q), or NULL: for owners that choose whom to wake themselves (futex keys
 * longer than a channel).  Take the next before acting on w: removing w
 * forgets its place.
 */
struct waiter *waitq_first(const struct waitq *q, const void *chan);
struct waiter *waitq_next(const struct waiter *w);

/* Queue w (not queued) last on the plain list l; chan and wake are left as they are. */
void waitq_list_add(struct waitq_list *l, struct waiter *w);
