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
