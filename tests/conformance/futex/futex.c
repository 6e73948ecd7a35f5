/* futex: FUTEX_WAIT/WAKE semantics, errors, timeouts, and a wake across threads. */
#define AREA "futex"
#include "../harness.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

static long fx(int *uaddr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

CASE(wait_value_mismatch_eagain)
{
	int w = 1;
	EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE, 2, NULL), EAGAIN);
}

CASE(wait_timeout_etimedout)
{
	int w = 0;
	struct timespec ts = {0, 1000000};
	EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE, 0, &ts), ETIMEDOUT);
}

CASE(wake_no_waiters_zero)
{
	int w = 0;
	EXPECT_EQ(fx(&w, FUTEX_WAKE_PRIVATE, 1, NULL), 0);
}

CASE(unaligned_einval)
{
	char b[8] __attribute__((aligned(4)));
	EXPECT_ERRNO(fx((int *)(b + 1), FUTEX_WAKE_PRIVATE, 1, NULL), EINVAL);
}

CASE(bad_op_enosys)
{
	int w = 0;
	EXPECT_ERRNO(fx(&w, 99, 0, NULL), ENOSYS);
}

CASE(wait_efault)
{
	EXPECT_ERRNO(fx((int *)16, FUTEX_WAIT_PRIVATE, 0, NULL), EFAULT);
}

CASE(wait_bad_timeout_einval)
{
	int w = 0;
	struct timespec ts = {0, 2000000000};
	EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE, 0, &ts), EINVAL);
}

static int word;
static void *waker(void *a)
{
	struct timespec d = {0, 20000000};
	nanosleep(&d, NULL);
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	*(long *)a = fx(&word, FUTEX_WAKE_PRIVATE, 1, NULL);
	return NULL;
}

CASE(wake_wakes_waiter)
{
	pthread_t t;
	long woken = -1;
	word = 0;
	OK(pthread_create(&t, NULL, waker, &woken) ? -1 : 0);
	while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0)
		fx(&word, FUTEX_WAIT_PRIVATE, 0, NULL);
	pthread_join(t, NULL);
	EXPECT_TRUE(woken == 0 || woken == 1);
}

CASE(wait_bitset_absolute_timeout)
{
	int w = 0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL,
			     FUTEX_BITSET_MATCH_ANY),
		     ETIMEDOUT);
}

CASE(wait_bitset_zero_einval)
{
	int w = 0;
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), EINVAL);
}

/*
 * Timeouts at their edges (futex_init_timeout): huge ones saturate (shown
 * with a word that does not match, so that nothing waits), {0, 0} has
 * passed already, absolute ones are on CLOCK_MONOTONIC or, with
 * FUTEX_CLOCK_REALTIME, on CLOCK_REALTIME.
 */
CASE(wait_huge_timeout_saturates)
{
	int w = 0;
	struct timespec ts = {LONG_MAX, 999999999};
	EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE, 1, &ts), EAGAIN);
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, 1, &ts, NULL, ~0),
		     EAGAIN);
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1,
			     &ts, NULL, ~0),
		     EAGAIN);
}

CASE(wait_zero_timeouts_expire)
{
	int w = 0;
	struct timespec zero = {0, 0};
	EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE, 0, &zero), ETIMEDOUT);
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, 0, &zero, NULL, ~0),
		     ETIMEDOUT);
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0,
			     &zero, NULL, ~0),
		     ETIMEDOUT);
}

CASE(wait_bitset_realtime_deadline)
{
	int w = 0;
	struct timespec ts, t0, t1;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0,
			     &ts, NULL, ~0),
		     ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_TRUE(t1.tv_sec - t0.tv_sec < 5); /* not 56 years */
}

CASE(wait_bad_timeouts_einval)
{
	int w = 0;
	static const struct timespec bad[] = {{0, -1}, {-1, 0}, {LONG_MIN, 0}, {0, LONG_MAX}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE, 0, &bad[i]), EINVAL);
		EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, 0, &bad[i], NULL, ~0),
			     EINVAL);
	}
}

/* The timeout is read before anything else: EFAULT before a zero bitset's EINVAL. */
CASE(wait_timeout_checked_first)
{
	int w = 0;
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, 0, (void *)8, NULL, 0),
		     EFAULT);
	EXPECT_ERRNO(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, 0,
			     &(struct timespec){0, -1}, NULL, 0),
		     EINVAL);
}

/* FUTEX_CLOCK_REALTIME goes with the absolute waits only (do_futex). */
CASE(clock_realtime_other_ops_enosys)
{
	int w = 0;
	struct timespec zero = {0, 0}, bad = {0, -1};
	EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &zero), ENOSYS);
	EXPECT_ERRNO(fx(&w, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL), ENOSYS);
	EXPECT_ERRNO(fx(&w, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &bad), EINVAL);
}

/* A wait with the largest timeout is woken like one without. */
CASE(wake_ends_huge_timeout)
{
	pthread_t t;
	long woken = -1;
	struct timespec huge = {LONG_MAX, 999999999};
	word = 0;
	OK(pthread_create(&t, NULL, waker, &woken) ? -1 : 0);
	while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0)
		fx(&word, FUTEX_WAIT_PRIVATE, 0, &huge);
	pthread_join(t, NULL);
	EXPECT_TRUE(woken == 0 || woken == 1);
}
