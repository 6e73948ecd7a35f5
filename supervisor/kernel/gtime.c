/*
 * Guest time values (see gtime.h).  Each function copies the Linux helper
 * it is named after in its comment; where Linux relies on wrapping signed
 * arithmetic (the kernel builds with -fno-strict-overflow), the sum is made
 * in unsigned arithmetic and converted back, so that uos gets the same
 * result without undefined behaviour.  Only gtime_get* and gtime_call_*
 * know about tasks; the rest are pure and tested in tests/unit/test_gtime.c.
 */
#include "gtime.h"

#include <errno.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "gmem.h"
#include "task.h"

bool gtime_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < GTIME_NSEC_PER_SEC;
}

bool gtime_is_zero(const struct timespec *ts)
{
	return !ts->tv_sec && !ts->tv_nsec;
}

long long gtime_to_ns(struct timespec ts)
{
	if (ts.tv_sec >= GTIME_KTIME_SEC_MAX)
		return GTIME_KTIME_MAX;
	if (ts.tv_sec <= -GTIME_KTIME_SEC_MAX)
		return -GTIME_KTIME_MAX;
	return ts.tv_sec * GTIME_NSEC_PER_SEC + ts.tv_nsec;
}

struct timespec gtime_from_ns(long long ns)
{
	struct timespec ts = {ns / GTIME_NSEC_PER_SEC, ns % GTIME_NSEC_PER_SEC};
	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += GTIME_NSEC_PER_SEC;
	}
	return ts;
}

struct timespec gtime_from_ms(int ms)
{
	return (struct timespec){ms / 1000, (ms % 1000) * 1000000L};
}

long long gtime_ns_add(long long a, long long b)
{
	long long r = (long long)((unsigned long long)a + (unsigned long long)b);
	if (r < 0 || r < a || r < b)
		r = GTIME_KTIME_SEC_MAX * GTIME_NSEC_PER_SEC; /* ktime_set(KTIME_SEC_MAX, 0) */
	return r;
}

struct timespec gtime_add(struct timespec a, struct timespec b)
{
	unsigned long long sec = (unsigned long long)a.tv_sec + (unsigned long long)b.tv_sec;
	long nsec = a.tv_nsec + b.tv_nsec;
	if (nsec >= GTIME_NSEC_PER_SEC) {
		nsec -= GTIME_NSEC_PER_SEC;
		sec++;
	}
	struct timespec r = {(time_t)sec, nsec};
	if (r.tv_sec < a.tv_sec || r.tv_sec < b.tv_sec)
		r = (struct timespec){LLONG_MAX, 0}; /* TIME64_MAX */
	return r;
}

struct timespec gtime_sub(struct timespec a, struct timespec b)
{
	struct timespec r = {a.tv_sec - b.tv_sec, a.tv_nsec - b.tv_nsec};
	if (r.tv_nsec < 0) {
		r.tv_nsec += GTIME_NSEC_PER_SEC;
		r.tv_sec--;
	}
	return r;
}

struct timespec gtime_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

int gtime_get(struct task *t, unsigned long src, struct timespec *ts)
{
	if (gmem_read(t, ts, src, sizeof(*ts)))
		return -EFAULT;
	return gtime_valid(ts) ? 0 : -EINVAL;
}

int gtime_get_select_timeval(struct task *t, unsigned long src, struct timespec *ts)
{
	struct timeval tv;
	if (gmem_read(t, &tv, src, sizeof(tv)))
		return -EFAULT;
	unsigned long long sec = (unsigned long long)tv.tv_sec;
	sec += (unsigned long long)(tv.tv_usec / 1000000);
	*ts = (struct timespec){(time_t)sec, (tv.tv_usec % 1000000) * 1000};
	return gtime_valid(ts) ? 0 : -EINVAL;
}

int gtime_get_utimes(struct task *t, unsigned long src, struct timespec ts[2])
{
	struct timeval tv[2];
	if (gmem_read(t, tv, src, sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i] = (struct timespec){tv[i].tv_sec, tv[i].tv_usec * 1000};
	}
	return 0;
}

struct timespec gtime_call_end(struct task *t, const struct timespec *rel)
{
	if (gtime_is_zero(rel))
		return *rel;
	if (gtime_is_zero(&t->call_end))
		t->call_end = gtime_add(gtime_now(), *rel);
	return t->call_end;
}

int gtime_call_timeout(struct task *t, unsigned long uts, bool timeval, struct timespec *end,
		       const struct timespec **endp)
{
	struct timespec rel;
	*endp = NULL;
	if (!uts)
		return 0;
	int r = timeval ? gtime_get_select_timeval(t, uts, &rel) : gtime_get(t, uts, &rel);
	if (r < 0)
		return r;
	*end = gtime_call_end(t, &rel);
	*endp = end;
	return 0;
}

const struct timespec *gtime_call_timeout_ms(struct task *t, int ms, struct timespec *end)
{
	if (ms < 0)
		return NULL;
	struct timespec rel = gtime_from_ms(ms);
	*end = gtime_call_end(t, &rel);
	return end;
}

struct timespec gtime_call_left(const struct task *t)
{
	struct timespec left = gtime_sub(t->call_end, gtime_now());
	return left.tv_sec < 0 ? (struct timespec){0, 0} : left;
}

bool gtime_call_timed(const struct task *t)
{
	return !gtime_is_zero(&t->call_end);
}

void gtime_call_put_left(struct task *t, unsigned long uaddr, bool timeval)
{
	if (!uaddr || !gtime_call_timed(t))
		return;
	struct timespec ts = gtime_call_left(t);
	struct timeval tv = {ts.tv_sec, ts.tv_nsec / 1000};
	if (timeval)
		gmem_write(t, uaddr, &tv, sizeof(tv));
	else
		gmem_write(t, uaddr, &ts, sizeof(ts));
}

void gtime_call_interrupted(struct task *t)
{
	const unsigned long *a = t->cur.a;

	if (t->cur.nr == SYS_select)
		gtime_call_put_left(t, a[4], true);
	else if (t->cur.nr == SYS_pselect6)
		gtime_call_put_left(t, a[4], false);
	else if (t->cur.nr == SYS_ppoll)
		gtime_call_put_left(t, a[2], false);
}
