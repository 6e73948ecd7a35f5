/*
 * Serial mode's futex wait queues (see futex.h): the keys, and the parked
 * waiters that match them.  A waiter parks on a channel made from its key,
 * so the queues are the scheduler's, in k->waitq (waitq.h); the key itself
 * stays in the task, for the channels several keys share.
 */
#include "futex.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "mm.h"
#include "scheduler.h"
#include "task.h"
#include "waitq.h"

enum { KEY_PRIVATE = 1, KEY_FILE, KEY_SHARED_ANON };

/* What a futex word at uaddr is, as get_futex_key: key[0] a KEY_* kind, then up to three words. */
static void futex_key(const struct task *t, unsigned long uaddr, bool private,
		      unsigned long key[4])
{
	struct vma *v = private ? NULL : mm_find(t->tg->mm, uaddr);
	key[3] = 0;
	if (!v || (v->flags & MAP_TYPE) != MAP_SHARED) {
		key[0] = KEY_PRIVATE;
		key[1] = (uintptr_t)t->tg->mm;
		key[2] = uaddr;
	} else if (v->ino) {
		key[0] = KEY_FILE;
		key[1] = v->dev;
		key[2] = v->ino;
		key[3] = v->off + (uaddr - v->start);
	} else {
		key[0] = KEY_SHARED_ANON;
		key[1] = uaddr;
		key[2] = 0;
	}
}

/* The channel a waiter parks on: any address that names the key (wake_key compares keys). */
static const void *futex_chan(const unsigned long key[4])
{
	return (const void *)((key[1] * 31 + key[2]) * 31 + key[3]);
}

void futex_park(struct task *t, unsigned long uaddr, bool private, long long deadline)
{
	futex_key(t, uaddr, private, t->futex_key);
	sched_park(t, futex_chan(t->futex_key), -1, 0, deadline);
}

bool futex_take_woken(struct task *t)
{
	bool woken = t->futex_woken;
	t->futex_woken = false;
	return woken;
}

/*
 * Wake up to nwake waiters parked on key, in the order they came, then move
 * up to nmove of the others to key to (FUTEX_REQUEUE), behind to's waiters.
 * How many were woken and moved.  The queue is the channel's, which other
 * keys may share: each waiter's own key says whether it is key's.
 */
static long wake_key(struct kernel *k, const unsigned long key[4], int nwake, int nmove,
		     const unsigned long to[4])
{
	int woken = 0, moved = 0;
	struct waiter *w, *next;
	for (w = waitq_first(&k->waitq, futex_chan(key)); w && (woken < nwake || moved < nmove);
	     w = next) {
		struct task *t = container_of(w, struct task, wait);
		next = waitq_next(w);
		if (memcmp(t->futex_key, key, 4 * sizeof(*key)))
			continue;
		if (woken < nwake) {
			t->futex_woken = true;
			sched_make_runnable(t);
			woken++;
		} else {
			/* A waiter moved to a key of the same channel comes round again, as to's. */
			memcpy(t->futex_key, to, 4 * sizeof(*to));
			sched_requeue(t, futex_chan(to));
			moved++;
		}
	}
	return woken + moved;
}

long futex_wake(struct task *t, unsigned long uaddr, bool private, int n)
{
	unsigned long key[4];
	futex_key(t, uaddr, private, key);
	return wake_key(t->k, key, n, 0, NULL);
}

long futex_requeue(struct task *t, unsigned long from, unsigned long to, bool private, int nwake,
		   int nmove)
{
	unsigned long kfrom[4], kto[4];
	futex_key(t, from, private, kfrom);
	futex_key(t, to, private, kto);
	return wake_key(t->k, kfrom, nwake, nmove, kto);
}
