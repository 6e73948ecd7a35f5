/*
 * Wait queues (see waitq.h).  Each bucket is a doubly linked list with a
 * first and a last pointer, so that a zeroed table is valid, adding keeps
 * the order waiters came in, and a waiter leaves in O(1) by its own list
 * pointer, without hashing its channel again.  A wake first moves the
 * waiters it chose to a list of its own, then calls them one by one: what a
 * wake function does to the table cannot make the walk lose its place.
 */
#include "waitq.h"

#include <stdint.h>

/* hash_ptr: the golden ratio spreads addresses that differ only in their low bits. */
static struct waitq_list *bucket(const struct waitq *q, const void *chan)
{
	uint64_t h = (uint64_t)(uintptr_t)chan * 0x9E3779B97F4A7C15ULL;
	return (struct waitq_list *)&q->bucket[h >> (64 - WAITQ_BITS)];
}

void waitq_list_add(struct waitq_list *l, struct waiter *w)
{
	UOS_BUG_ON(w->list);
	w->list = l;
	w->next = NULL;
	w->prev = l->last;
	if (l->last)
		l->last->next = w;
	else
		l->first = w;
	l->last = w;
}

void waitq_add(struct waitq *q, struct waiter *w, const void *chan, waiter_fn wake)
{
	w->chan = chan;
	w->wake = wake;
	waitq_list_add(bucket(q, chan), w);
}

void waitq_remove(struct waiter *w)
{
	struct waitq_list *l = w->list;
	if (!l)
		return;
	if (w->prev)
		w->prev->next = w->next;
	else
		l->first = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		l->last = w->prev;
	w->next = w->prev = NULL;
	w->list = NULL;
}

int waitq_wake(struct waitq *q, const void *chan, int n)
{
	struct waitq_list chosen = {0};
	struct waiter *w, *next;
	int woken = 0;
	for (w = waitq_first(q, chan); w && n; w = next, n--) {
		next = waitq_next(w);
		waitq_remove(w);
		waitq_list_add(&chosen, w);
	}
	while ((w = chosen.first)) {
		waitq_remove(w);
		woken++;
		if (w->wake)
			w->wake(w);
	}
	return woken;
}

void waitq_wake_polled(struct waitq *q, const void *chan)
{
	if (!q)
		return;
	waitq_wake(q, chan, -1);
	if (chan != WAITQ_ANY)
		waitq_wake(q, WAITQ_ANY, -1);
}

int waitq_count(const struct waitq *q, const void *chan)
{
	int n = 0;
	for (struct waiter *w = waitq_first(q, chan); w; w = waitq_next(w))
		n++;
	return n;
}

/* w itself if it waits on chan, else the next waiter of chan after it in its bucket. */
static struct waiter *from(struct waiter *w, const void *chan)
{
	while (w && w->chan != chan)
		w = w->next;
	return w;
}

struct waiter *waitq_first(const struct waitq *q, const void *chan)
{
	return from(bucket(q, chan)->first, chan);
}

struct waiter *waitq_next(const struct waiter *w)
{
	return from(w->next, w->chan);
}
