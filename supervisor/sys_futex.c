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
#include "gtime.h"
#include "scheduler.h"
#include "syscall.h"

/* The channel a futex word is waited on: its address space and address. */
static const void *futex_chan(const struct task *t, unsigned long uaddr)
{
	return (const void *)((uintptr_t)t->tg->mm * 31 + uaddr);
}

/*
 * The deadline (CLOCK_MONOTONIC ns, 0 for none) of a wait's timeout at uts,
 * as futex_init_timeout makes it: FUTEX_WAIT's is relative; WAIT_BITSET's
 * is absolute, on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME, which uos turns
 * into a monotonic one.  0, -EFAULT, -EINVAL.
 */
static int futex_deadline(struct task *t, unsigned long uts, int op, long long *out)
{
	struct timespec ts;
	*out = 0;
	if (!uts)
		return 0;
	int r = gtime_get(t, uts, &ts);
	if (r < 0)
		return r;
	if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT) {
		struct timespec end = gtime_call_end(t, &ts);
		*out = gtime_is_zero(&end) ? 1 : gtime_to_ns(end); /* zero: already passed */
		return 0;
	}
	long long abs = gtime_to_ns(ts);
	if (op & FUTEX_CLOCK_REALTIME) {
		struct timespec rt;
		clock_gettime(CLOCK_REALTIME, &rt);
		long long left;
		if (__builtin_sub_overflow(abs, gtime_to_ns(rt), &left))
			left = GTIME_KTIME_MAX;
		abs = left <= 0 ? 1 : gtime_ns_add(sched_now_ns(), left);
	}
	*out = abs ? abs : 1;
	return 0;
}

/* FUTEX_WAIT and WAIT_BITSET in serial mode, in futex_wait's order of checks. */
static long futex_wait(struct task *t, const struct sysargs *a, bool bitset)
{
	uint32_t word;
	long long deadline;
	if (t->futex_woken) {
		t->futex_woken = false;
		return 0;
	}
	int r = futex_deadline(t, a->a[3], (int)a->a[1], &deadline);
	if (r < 0)
		return r;
	if ((bitset && !(uint32_t)a->a[5]) || a->a[0] % sizeof(word))
		return -EINVAL;
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
	/*
	 * do_futex takes FUTEX_CLOCK_REALTIME with the absolute waits only
	 * (ENOSYS): the host refuses the others at once, without waiting.
	 */
	if (((int)a->a[1] & FUTEX_CLOCK_REALTIME) && op != FUTEX_WAIT_BITSET)
		return -UOS_EHOST;
	switch (op) {
	case FUTEX_WAIT:
		return futex_wait(t, a, false);
	case FUTEX_WAIT_BITSET:
		return futex_wait(t, a, true);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		/* futex_wake: a zero bitset, an unaligned word */
		if ((op == FUTEX_WAKE_BITSET && !(uint32_t)a->a[5]) || a->a[0] % sizeof(uint32_t))
			return -EINVAL;
		return futex_wake(t, a->a[0], (int)a->a[2] < 0 ? 0 : (int)a->a[2]);
	default:
		return -UOS_EHOST;
	}
}
