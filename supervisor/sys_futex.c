/*
 * futex.  In host mode the host runs it (HOST behaviour: a futex word is in
 * the caller's own address space).  In serial mode a wait on the host would
 * sleep while holding the one CPU, so uos keeps the wait queues itself for
 * FUTEX_WAIT, WAIT_BITSET and WAKE (what glibc's mutexes, condition
 * variables and pthread_join use), keyed as Linux's get_futex_key: a
 * FUTEX_PRIVATE_FLAG word, or one in a private mapping, by address space
 * and address; a word in a shared mapping by what is mapped there (file
 * and offset; shared anonymous memory, inherited across fork at the same
 * address, by its address), so that processes sharing a semaphore (POSIX
 * sem_open, Python's multiprocessing) wake each other.  Waiters are woken
 * in the order they came.  Other operations go to the host,
 * but for the PI ones, refused in both modes: the kernel finds a PI lock's
 * owner by the tid in the word, and guest words hold virtual tids.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "gmem.h"
#include "mm.h"
#include "scheduler.h"
#include "syscall.h"

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

/* The channel a waiter parks on: any address that names the key (futex_wake compares keys). */
static const void *futex_chan(const unsigned long key[4])
{
	return (const void *)((key[1] * 31 + key[2]) * 31 + key[3]);
}

/* A deadline from a FUTEX_WAIT timeout: relative, or absolute for WAIT_BITSET. */
static int futex_deadline(struct task *t, unsigned long uts, bool absolute, long long *out)
{
	struct timespec ts;
	*out = 0;
	if (!uts)
		return 0;
	int r = gmem_timespec(t, uts, &ts);
	if (r < 0)
		return r;
	long long ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	if (!t->call_deadline)
		t->call_deadline = absolute ? ns : sched_now_ns() + ns;
	*out = t->call_deadline;
	return 0;
}

static long futex_wait(struct task *t, const struct sysargs *a, bool bitset)
{
	uint32_t word;
	long long deadline;
	if (t->futex_woken) {
		t->futex_woken = false;
		return 0;
	}
	if (bitset && !(uint32_t)a->a[5])
		return -EINVAL;
	int r = futex_deadline(t, a->a[3], bitset, &deadline);
	if (r < 0)
		return r;
	if (gmem_read(t, &word, a->a[0], sizeof(word)))
		return -EFAULT;
	if (word != (uint32_t)a->a[2])
		return -EAGAIN;
	if (deadline && sched_now_ns() >= deadline)
		return -ETIMEDOUT;
	futex_key(t, a->a[0], a->a[1] & FUTEX_PRIVATE_FLAG, t->futex_key);
	sched_park(t, futex_chan(t->futex_key), -1, 0, deadline);
	return -UOS_EBLOCK;
}

/* Wake up to n waiters parked on the word at uaddr (private: FUTEX_PRIVATE_FLAG). */
static long wake(struct task *t, unsigned long uaddr, bool private, int n)
{
	unsigned long key[4];
	int woken = 0;
	futex_key(t, uaddr, private, key);
	const void *chan = futex_chan(key);
	for (struct task *w = t->k->tasks; w && woken < n; w = w->next) {
		if (!sched_parked(w) || w->wchan != chan ||
		    memcmp(w->futex_key, key, sizeof(key)))
			continue;
		w->futex_woken = true;
		sched_make_runnable(w);
		woken++;
	}
	return woken;
}

long futex_wake(struct task *t, unsigned long uaddr, int n)
{
	return wake(t, uaddr, false, n); /* the kernel's own wakes are shared ones */
}

/* The PI operations: the kernel finds a lock's owner by the tid in the word, a virtual tid here. */
static bool pi_op(int op)
{
	return op == FUTEX_LOCK_PI || op == FUTEX_LOCK_PI2 || op == FUTEX_UNLOCK_PI ||
	       op == FUTEX_TRYLOCK_PI || op == FUTEX_WAIT_REQUEUE_PI || op == FUTEX_CMP_REQUEUE_PI;
}

long sys_futex(struct task *t, const struct sysargs *a)
{
	int op = (int)a->a[1] & FUTEX_CMD_MASK;
	if (pi_op(op))
		return -ENOSYS; /* as a kernel without CONFIG_FUTEX_PI: glibc then refuses PI mutexes */
	if (!t->k->sched.serial)
		return -UOS_EHOST;
	switch (op) {
	case FUTEX_WAIT:
		return futex_wait(t, a, false);
	case FUTEX_WAIT_BITSET:
		return futex_wait(t, a, true);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return wake(t, a->a[0], a->a[1] & FUTEX_PRIVATE_FLAG, (int)a->a[2] < 0 ? 0 : (int)a->a[2]);
	default:
		return -UOS_EHOST;
	}
}
