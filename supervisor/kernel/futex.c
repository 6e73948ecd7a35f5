/*
 * Serial mode's futex wait queues (see futex.h): the keys and the parked
 * waiters that match them.
 */
#include "futex.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "mm.h"
#include "scheduler.h"
#include "task.h"

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
 * up to nmove of the others to key to (FUTEX_REQUEUE).  How many were woken
 * and moved.
 */
static long wake_key(struct kernel *k, const unsigned long key[4], int nwake, int nmove,
		     const unsigned long to[4])
{
	const void *chan = futex_chan(key);
	int woken = 0, moved = 0;
	for (struct task *w = k->tasks; w && (woken < nwake || moved < nmove); w = w->next) {
		if (!sched_parked(w) || w->wchan != chan || memcmp(w->futex_key, key, 4 * sizeof(*key)))
			continue;
		if (woken < nwake) {
			w->futex_woken = true;
			sched_make_runnable(w);
			woken++;
		} else {
			memcpy(w->futex_key, to, 4 * sizeof(*to));
			w->wchan = futex_chan(to);
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
