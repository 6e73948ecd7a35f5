/*
 * futex.  In host mode the host runs it (HOST behaviour: a futex word is in
 * the caller's own address space).  In serial mode a wait on the host would
 * sleep while holding the one CPU, so uos keeps the wait queues itself for
 * FUTEX_WAIT, WAIT_BITSET and WAKE (what glibc's mutexes, condition
 * variables and pthread_join use), keyed by address space and address;
 * waiters are woken in the order they came.  Other operations go to the host,
 * but for the PI ones, refused in both modes: the kernel finds a PI lock's
 * owner by the tid in the word, and guest words hold virtual tids.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <time.h>

#include "gmem.h"
#include "scheduler.h"
#include "syscall.h"

/* The channel a futex word is waited on: its address space and address. */
static const void *futex_chan(const struct task *t, unsigned long uaddr)
{
	return (const void *)((uintptr_t)t->tg->mm * 31 + uaddr);
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
	sched_park(t, futex_chan(t, a->a[0]), -1, 0, deadline);
	return -UOS_EBLOCK;
}

long futex_wake(struct task *t, unsigned long uaddr, int n)
{
	const void *chan = futex_chan(t, uaddr);
	int woken = 0;
	for (struct task *w = t->k->tasks; w && woken < n; w = w->next) {
		if (!sched_parked(w) || w->wchan != chan || w->tg->mm != t->tg->mm)
			continue;
		w->futex_woken = true;
		sched_make_runnable(w);
		woken++;
	}
	return woken;
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
		return futex_wake(t, a->a[0], (int)a->a[2] < 0 ? 0 : (int)a->a[2]);
	default:
		return -UOS_EHOST;
	}
}
