/*
 * poll: the timeouts of select, pselect6, ppoll, poll and epoll at their
 * edges: what is EINVAL, what saturates to "forever" (checked with a ready
 * fd, so that no case waits), the order of the checks, and the time left
 * written back (poll_select_finish).  The raw syscalls: glibc's select is
 * pselect6 and normalises the timeval itself.
 */
#define AREA "poll"
#include "../harness.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>

static int wp[2]; /* a pipe: its write end is ready */

/* select on the ready write end with timeout tv: the result, tv written back. */
static long sel(struct timeval *tv)
{
	fd_set w;
	if (!wp[1] && pipe(wp) < 0)
		return -2;
	FD_ZERO(&w);
	FD_SET(wp[1], &w);
	return syscall(SYS_select, wp[1] + 1, NULL, &w, NULL, tv);
}

static long psel(struct timespec *ts)
{
	fd_set w;
	if (!wp[1] && pipe(wp) < 0)
		return -2;
	FD_ZERO(&w);
	FD_SET(wp[1], &w);
	return syscall(SYS_pselect6, wp[1] + 1, NULL, &w, NULL, ts, NULL);
}

static long ppo(struct timespec *ts)
{
	if (!wp[1] && pipe(wp) < 0)
		return -2;
	struct pollfd f = {.fd = wp[1], .events = POLLOUT};
	return syscall(SYS_ppoll, &f, 1, ts, NULL, 8);
}

/* {LONG_MAX, 999999} is valid: the end saturates, and LONG_MAX - uptime seconds are left. */
CASE(select_huge_timeout_saturates)
{
	struct timeval tv = {LONG_MAX, 999999};
	EXPECT_EQ(sel(&tv), 1);
	EXPECT_TRUE(tv.tv_sec > LONG_MAX / 2 && tv.tv_sec < LONG_MAX);
	tv = (struct timeval){LONG_MAX - 1, 1999999}; /* usec carries a second in */
	EXPECT_EQ(sel(&tv), 1);
	EXPECT_TRUE(tv.tv_sec > LONG_MAX / 2 && tv.tv_sec < LONG_MAX);
}

/* Whole seconds in tv_usec move into tv_sec (kern_select), negative ones too. */
CASE(select_usec_folds_into_sec)
{
	struct timeval tv = {0, 1000000};
	EXPECT_EQ(sel(&tv), 1);
	EXPECT_TRUE(tv.tv_sec == 0 && tv.tv_usec > 900000); /* one second, nearly all left */
	tv = (struct timeval){2, -1000000};
	EXPECT_EQ(sel(&tv), 1);
	EXPECT_TRUE(tv.tv_sec == 0 && tv.tv_usec > 900000);
	tv = (struct timeval){-1, 5000000}; /* four seconds */
	EXPECT_EQ(sel(&tv), 1);
	EXPECT_TRUE(tv.tv_sec == 3 && tv.tv_usec > 900000);
	tv = (struct timeval){0, LONG_MAX};
	EXPECT_EQ(sel(&tv), 1);
	EXPECT_TRUE(tv.tv_sec == LONG_MAX / 1000000);
}

/* {1, -1000000} is zero after the fold: no wait, and nothing written back. */
CASE(select_folded_zero_untouched)
{
	struct timeval tv = {1, -1000000};
	EXPECT_EQ(sel(&tv), 1);
	EXPECT_TRUE(tv.tv_sec == 1 && tv.tv_usec == -1000000);
}

CASE(select_bad_timeval_einval)
{
	static const struct timeval bad[] = {
	    {0, -1},	   {-1, 0},
	    {-1, 999999},  {LONG_MAX, 1000000},
	    {1, LONG_MIN}, {LONG_MAX, LONG_MIN},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct timeval tv = bad[i];
		EXPECT_ERRNO(sel(&tv), EINVAL);
		EXPECT_TRUE(tv.tv_sec == bad[i].tv_sec && tv.tv_usec == bad[i].tv_usec);
	}
}

/* The time left is written back whatever the result: EBADF too (fd 50: closed, below max_fds). */
CASE(select_ebadf_writes_time_left)
{
	fd_set r;
	struct timeval tv = {5, 0};
	close(50);
	FD_ZERO(&r);
	FD_SET(50, &r);
	EXPECT_ERRNO(syscall(SYS_select, 51, &r, NULL, NULL, &tv), EBADF);
	EXPECT_TRUE(tv.tv_sec == 4 && tv.tv_usec > 900000);
}

CASE(pselect6_huge_timeout_saturates)
{
	struct timespec ts = {LONG_MAX, 999999999};
	EXPECT_EQ(psel(&ts), 1);
	EXPECT_TRUE(ts.tv_sec > LONG_MAX / 2 && ts.tv_sec < LONG_MAX);
	ts = (struct timespec){1, 0};
	EXPECT_EQ(psel(&ts), 1);
	EXPECT_TRUE(ts.tv_sec == 0 && ts.tv_nsec > 900000000);
}

CASE(pselect6_ppoll_bad_timespec_einval)
{
	static const struct timespec bad[] = {{0, 1000000000}, {0, -1}, {-1, 0}, {LONG_MIN, 5}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct timespec ts = bad[i];
		EXPECT_ERRNO(psel(&ts), EINVAL);
		EXPECT_ERRNO(ppo(&ts), EINVAL);
		EXPECT_TRUE(ts.tv_sec == bad[i].tv_sec && ts.tv_nsec == bad[i].tv_nsec);
	}
}

CASE(ppoll_huge_timeout_saturates)
{
	struct timespec ts = {LONG_MAX, 999999999};
	EXPECT_EQ(ppo(&ts), 1);
	EXPECT_TRUE(ts.tv_sec > LONG_MAX / 2 && ts.tv_sec < LONG_MAX);
	ts = (struct timespec){LONG_MAX / 1000000000, 0}; /* just below KTIME_MAX */
	EXPECT_EQ(ppo(&ts), 1);
	EXPECT_TRUE(ts.tv_sec == LONG_MAX / 1000000000 - 1 && ts.tv_nsec > 900000000);
	ts = (struct timespec){0, 0};
	EXPECT_EQ(ppo(&ts), 1);
	EXPECT_TRUE(ts.tv_sec == 0 && ts.tv_nsec == 0);
}

/* The timeout is read and checked before the signal mask (ppoll, do_pselect). */
CASE(timeout_checked_before_sigmask)
{
	struct {
		void *mask;
		size_t size;
	} pack = {(void *)8, 3};
	EXPECT_ERRNO(syscall(SYS_ppoll, NULL, 0, (void *)8, (void *)8, 3), EFAULT);
	EXPECT_ERRNO(syscall(SYS_pselect6, 0, NULL, NULL, NULL, (void *)8, &pack), EFAULT);
	pack.size = 8;
	EXPECT_ERRNO(syscall(SYS_pselect6, 0, NULL, NULL, NULL, (void *)8, &pack), EFAULT);
}

CASE(poll_int_max_timeout)
{
	if (!wp[1])
		OK(pipe(wp));
	struct pollfd f = {.fd = wp[1], .events = POLLOUT};
	EXPECT_EQ(poll(&f, 1, INT_MAX), 1);
	EXPECT_EQ(poll(&f, 1, INT_MIN), 1);
}

CASE(epoll_wait_extreme_timeouts)
{
	static const int ms[] = {INT_MAX, INT_MIN, -5, 0};
	struct epoll_event ev = {.events = EPOLLOUT}, out[2];
	if (!wp[1])
		OK(pipe(wp));
	int ep = OK(epoll_create1(0));
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, wp[1], &ev));
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		EXPECT_EQ(epoll_wait(ep, out, 2, ms[i]), 1);
		EXPECT_EQ(syscall(SYS_epoll_pwait, ep, out, 2, ms[i], NULL, 8), 1);
	}
	close(ep);
}

CASE(epoll_pwait2_timeouts)
{
	struct epoll_event ev = {.events = EPOLLOUT}, out[2];
	struct timespec huge = {LONG_MAX, 999999999}, max = {LONG_MAX, 0};
	static const struct timespec bad[] = {{0, 1000000000}, {0, -1}, {-1, 0}};
	if (!wp[1])
		OK(pipe(wp));
	int ep = OK(epoll_create1(0));
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, wp[1], &ev));
	EXPECT_EQ(syscall(SYS_epoll_pwait2, ep, out, 2, &huge, NULL, 8), 1);
	EXPECT_EQ(syscall(SYS_epoll_pwait2, ep, out, 2, &max, NULL, 8), 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_ERRNO(syscall(SYS_epoll_pwait2, ep, out, 2, &bad[i], NULL, 8), EINVAL);
		/* before the fd and the mask are looked at */
		EXPECT_ERRNO(syscall(SYS_epoll_pwait2, -1, out, 2, &bad[i], (void *)8, 3), EINVAL);
	}
	EXPECT_ERRNO(syscall(SYS_epoll_pwait2, -1, out, 2, (void *)8, (void *)8, 3), EFAULT);
	close(ep);
}
