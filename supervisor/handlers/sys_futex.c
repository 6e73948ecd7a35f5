/*
 * futex.  In host mode the host runs it (HOST behaviour: a futex word is in
 * the caller's own address space).  In serial mode uos keeps the wait
 * queues itself (futex.c) for FUTEX_WAIT, WAIT_BITSET and WAKE (what
 * glibc's mutexes, condition variables and pthread_join use); REQUEUE,
 * CMP_REQUEUE (musl's condition variables) and WAKE_OP act on these queues
 * too, since the host's would find no waiter there.  This file decodes and
 * checks the calls as Linux does and hands them to futex.c.  Other
 * operations go to the host, but for the PI ones, refused in both modes:
 * the kernel finds a PI lock's owner by the tid in the word, and guest
 * words hold virtual tids.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <time.h>

#include "futex.h"
#include "gmem.h"
#include "gtime.h"
#include "scheduler.h"
#include "handlers.h"

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
	if (futex_take_woken(t))
		return 0;
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
	futex_park(t, a->a[0], a->a[1] & FUTEX_PRIVATE_FLAG, deadline);
	return -UOS_EBLOCK;
}

/* FUTEX_REQUEUE, and FUTEX_CMP_REQUEUE when cmp (its word must still hold val3). */
static long requeue(struct task *t, const struct sysargs *a, bool cmp)
{
	bool private = a->a[1] & FUTEX_PRIVATE_FLAG;
	int nwake = (int)a->a[2], nmove = (int)a->a[3];
	uint32_t word;
	if (nwake < 0 || nmove < 0)
		return -EINVAL;
	if (cmp && gmem_read(t, &word, a->a[0], sizeof(word)))
		return -EFAULT;
	if (cmp && word != (uint32_t)a->a[5])
		return -EAGAIN;
	return futex_requeue(t, a->a[0], a->a[4], private, nwake, nmove);
}

/* FUTEX_WAKE_OP's operation on the old value of its second word (futex_atomic_op_inuser). */
static bool wake_op_apply(uint32_t encoded, uint32_t old, uint32_t *new, bool *wake2)
{
	int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)(encoded << 8) >> 20, cmparg = (int)(encoded << 20) >> 20;
	uint32_t arg = (uint32_t)oparg;
	if (encoded & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28))
		arg = 1u << (oparg & 31); /* Linux masks a shift out of range */
	int o = (int)old;
	switch (op) {
	case FUTEX_OP_SET:
		*new = arg;
		break;
	case FUTEX_OP_ADD:
		*new = old + arg;
		break;
	case FUTEX_OP_OR:
		*new = old | arg;
		break;
	case FUTEX_OP_ANDN:
		*new = old & ~arg;
		break;
	case FUTEX_OP_XOR:
		*new = old ^ arg;
		break;
	default:
		return false;
	}
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		*wake2 = o == cmparg;
		break;
	case FUTEX_OP_CMP_NE:
		*wake2 = o != cmparg;
		break;
	case FUTEX_OP_CMP_LT:
		*wake2 = o < cmparg;
		break;
	case FUTEX_OP_CMP_LE:
		*wake2 = o <= cmparg;
		break;
	case FUTEX_OP_CMP_GT:
		*wake2 = o > cmparg;
		break;
	case FUTEX_OP_CMP_GE:
		*wake2 = o >= cmparg;
		break;
	default:
		return false;
	}
	return true;
}

/*
 * FUTEX_WAKE_OP: change the second word, wake waiters on the first, and on
 * the second too when its old value compares as asked.  Serial mode runs
 * one task at a time, so the read and write of the word are atomic.
 */
static long futex_wake_op(struct task *t, const struct sysargs *a)
{
	bool private = a->a[1] & FUTEX_PRIVATE_FLAG, wake2;
	uint32_t old, new;
	if (gmem_read(t, &old, a->a[4], sizeof(old)))
		return -EFAULT;
	if (!wake_op_apply((uint32_t)a->a[5], old, &new, &wake2))
		return -ENOSYS; /* futex_atomic_op_inuser's answer to an unknown op */
	if (gmem_write(t, a->a[4], &new, sizeof(new)))
		return -EFAULT;
	long n = futex_wake(t, a->a[0], private, (int)a->a[2] < 0 ? 0 : (int)a->a[2]);
	if (wake2)
		n += futex_wake(t, a->a[4], private, (int)a->a[3] < 0 ? 0 : (int)a->a[3]);
	return n;
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
		return futex_wake(t, a->a[0], a->a[1] & FUTEX_PRIVATE_FLAG,
				  (int)a->a[2] < 0 ? 0 : (int)a->a[2]);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return requeue(t, a, op == FUTEX_CMP_REQUEUE);
	case FUTEX_WAKE_OP:
		return futex_wake_op(t, a);
	default:
		return -UOS_EHOST;
	}
}
