/*
 * Guest time values: every timespec, timeval or count of milliseconds a
 * guest gives uos is read, checked and converted here, as Linux does it
 * (include/linux/time64.h, ktime.h, kernel/time/time.c, fs/select.c), so
 * that no handler does arithmetic on a guest's seconds itself.
 *
 * A value Linux refuses gives -EINVAL; a value it takes never overflows:
 * sums saturate as timespec64_add_safe and ktime_add_safe do, and
 * nanosecond counts stop at GTIME_KTIME_MAX (about 292 years), which every
 * wait treats as forever.  Two forms, as in Linux: a struct timespec for the
 * end of a call's timeout (poll_select_set_timeout keeps it so, and the time
 * left written back comes from it to the nanosecond, even past 2^63 ns), and
 * signed nanoseconds (ktime_t) for a deadline that is only waited for.
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <time.h>

struct task;

#define GTIME_NSEC_PER_SEC 1000000000LL
#define GTIME_KTIME_MAX LLONG_MAX /* KTIME_MAX */
#define GTIME_KTIME_SEC_MAX (GTIME_KTIME_MAX / GTIME_NSEC_PER_SEC)

/* timespec64_valid: tv_sec >= 0 and 0 <= tv_nsec < 10^9. */
bool gtime_valid(const struct timespec *ts);
bool gtime_is_zero(const struct timespec *ts);
/*
 * timespec64_to_ktime: ts (normalised) in nanoseconds, GTIME_KTIME_MAX from
 * GTIME_KTIME_SEC_MAX seconds on (and -GTIME_KTIME_MAX as far below 0).
 */
long long gtime_to_ns(struct timespec ts);
/* ns_to_timespec64: normalised, tv_nsec in [0, 10^9) also for a negative ns. */
struct timespec gtime_from_ns(long long ns);
/* A count of milliseconds (>= 0) as a timespec. */
struct timespec gtime_from_ms(int ms);
/* ktime_add_safe: a + b, both >= 0, saturating at GTIME_KTIME_SEC_MAX seconds. */
long long gtime_ns_add(long long a, long long b);
/* timespec64_add_safe: a + b (normalised, >= 0), {TIME64_MAX, 0} when the seconds overflow. */
struct timespec gtime_add(struct timespec a, struct timespec b);
/* timespec64_sub: a - b, normalised (tv_sec may be negative; never overflows for a, b >= 0). */
struct timespec gtime_sub(struct timespec a, struct timespec b);
/* CLOCK_MONOTONIC now. */
struct timespec gtime_now(void);

/* Read a struct timespec: 0, -EFAULT, or -EINVAL unless gtime_valid (get_timespec64 + check). */
int gtime_get(struct task *t, unsigned long src, struct timespec *ts);
/*
 * Read select(2)'s struct timeval into *ts as kern_select does: whole
 * seconds in tv_usec (negative ones too) move into tv_sec, with the
 * kernel's wrapping arithmetic, and the result must be gtime_valid.  So
 * {0, 1000000} is one second, {2, -1000000} is one, {0, -1} and
 * {LONG_MAX, 1000000} are EINVAL.  0, -EFAULT, -EINVAL.
 */
int gtime_get_select_timeval(struct task *t, unsigned long src, struct timespec *ts);
/*
 * Read utimes(2)'s and futimesat(2)'s two struct timevals into ts[2] as
 * do_futimesat does: each tv_usec in [0, 10^6), which also refuses
 * UTIME_NOW and UTIME_OMIT, then made nanoseconds; tv_sec is the
 * filesystem's to clamp.  0, -EFAULT, -EINVAL.
 */
int gtime_get_utimes(struct task *t, unsigned long src, struct timespec ts[2]);

/*
 * The end on CLOCK_MONOTONIC of the current call's timeout rel (valid), as
 * poll_select_set_timeout computes it: now + rel, saturated, or {0, 0} for
 * a zero timeout.  Fixed at the call's first entry and kept in t->call_end
 * while the call parks, so a woken call does not start its timeout anew.
 */
struct timespec gtime_call_end(struct task *t, const struct timespec *rel);
/*
 * The current call's timeout, read at uts (0: none) as a timespec, or as
 * select's timeval when timeval, then made its end (gtime_call_end) in
 * *end; *endp is end, or NULL for no timeout.  0, -EFAULT, -EINVAL.
 */
int gtime_call_timeout(struct task *t, unsigned long uts, bool timeval, struct timespec *end,
		       const struct timespec **endp);
/* The same for a timeout in milliseconds (poll, epoll_wait): negative is none (NULL). */
const struct timespec *gtime_call_timeout_ms(struct task *t, int ms, struct timespec *end);
/* What is left of the current call's timeout: t->call_end - now, {0, 0} once passed. */
struct timespec gtime_call_left(const struct task *t);
/* Has the current call a timeout end (a non-zero one)? */
bool gtime_call_timed(const struct task *t);
/*
 * Write what is left of the current call's timeout to uaddr (0: nowhere),
 * as select's timeval when timeval, else as a timespec.  Linux does so for
 * select, pselect6 and ppoll (poll_select_finish) whatever the wait's
 * result, 0 once the time is up, but not for a zero timeout; a fault is
 * ignored, so that a successful call does not fail afterwards.
 */
void gtime_call_put_left(struct task *t, unsigned long uaddr, bool timeval);
/*
 * A signal ended t's parked call with EINTR (trap.c): when it is select,
 * pselect6 or ppoll, the time left goes back into its timeout.
 */
void gtime_call_interrupted(struct task *t);
