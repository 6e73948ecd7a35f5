/* time: clock_gettime, clock_getres, gettimeofday, time, nanosleep, itimers. */
#define AREA "time"
#include "../harness.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

CASE(monotonic_nondecreasing)
{
	struct timespec a, b;
	OK(clock_gettime(CLOCK_MONOTONIC, &a));
	OK(clock_gettime(CLOCK_MONOTONIC, &b));
	EXPECT_TRUE(ns(&b) >= ns(&a));
}

CASE(realtime_after_2020)
{
	struct timespec a;
	OK(clock_gettime(CLOCK_REALTIME, &a));
	EXPECT_TRUE(a.tv_sec > 1577836800);
}

CASE(realtime_matches_time)
{
	struct timespec a;
	OK(clock_gettime(CLOCK_REALTIME, &a));
	time_t t = time(NULL);
	/* time() reads the coarse clock, which may lag a tick behind: within a second either way. */
	EXPECT_TRUE(t - a.tv_sec <= 1 && a.tv_sec - t <= 1);
}

CASE(gettimeofday_matches_realtime)
{
	struct timeval tv;
	struct timespec a;
	OK(gettimeofday(&tv, NULL));
	OK(clock_gettime(CLOCK_REALTIME, &a));
	EXPECT_TRUE(a.tv_sec - tv.tv_sec <= 1);
	EXPECT_TRUE(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
}

CASE(clock_gettime_bad_clock_einval)
{
	struct timespec a;
	EXPECT_ERRNO(syscall(SYS_clock_gettime, 12345, &a), EINVAL);
}

CASE(clock_gettime_efault)
{
	EXPECT_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)16), EFAULT);
}

CASE(clock_getres_monotonic)
{
	struct timespec r;
	EXPECT_EQ(clock_getres(CLOCK_MONOTONIC, &r), 0);
	EXPECT_TRUE(r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 1000000);
}

CASE(process_cputime_advances)
{
	struct timespec a, b;
	OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	for (volatile int i = 0; i < 3000000; i++)
		;
	OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b));
	EXPECT_TRUE(ns(&b) > ns(&a));
}

CASE(thread_cputime_readable)
{
	struct timespec a;
	EXPECT_EQ(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a), 0);
}

CASE(boottime_ge_monotonic)
{
	struct timespec m, b;
	OK(clock_gettime(CLOCK_MONOTONIC, &m));
	OK(clock_gettime(CLOCK_BOOTTIME, &b));
	EXPECT_TRUE(ns(&b) >= ns(&m));
}

CASE(nanosleep_sleeps)
{
	struct timespec a, b, d = {0, 20000000};
	OK(clock_gettime(CLOCK_MONOTONIC, &a));
	EXPECT_EQ(nanosleep(&d, NULL), 0);
	OK(clock_gettime(CLOCK_MONOTONIC, &b));
	EXPECT_TRUE(ns(&b) - ns(&a) >= 20000000);
}

CASE(nanosleep_bad_nsec_einval)
{
	struct timespec d = {0, 1000000000};
	EXPECT_ERRNO(nanosleep(&d, NULL), EINVAL);
	d.tv_nsec = -1;
	EXPECT_ERRNO(nanosleep(&d, NULL), EINVAL);
}

CASE(nanosleep_negative_sec_einval)
{
	struct timespec d = {-1, 0};
	EXPECT_ERRNO(nanosleep(&d, NULL), EINVAL);
}

CASE(clock_nanosleep_abstime_past)
{
	struct timespec t = {0, 0};
	EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL), 0);
}

CASE(clock_nanosleep_bad_clock)
{
	struct timespec t = {0, 1000};
	EXPECT_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &t, NULL), EINVAL);
}

CASE(getitimer_initially_zero)
{
	struct itimerval v;
	EXPECT_EQ(getitimer(ITIMER_REAL, &v), 0);
	EXPECT_EQ(v.it_value.tv_sec + v.it_value.tv_usec, 0);
}

CASE(setitimer_then_get)
{
	struct itimerval v = {.it_value = {100, 0}}, g, off = {0};
	OK(setitimer(ITIMER_REAL, &v, NULL));
	OK(getitimer(ITIMER_REAL, &g));
	setitimer(ITIMER_REAL, &off, NULL);
	EXPECT_TRUE(g.it_value.tv_sec >= 99 && g.it_value.tv_sec <= 100);
}

CASE(alarm_returns_remaining)
{
	alarm(100);
	unsigned r = alarm(0);
	EXPECT_TRUE(r >= 99 && r <= 100);
}

static volatile int alarmed;
static void on_alarm(int s)
{
	alarmed = 1;
}

CASE(setitimer_fires_sigalrm)
{
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	struct itimerval v = {.it_value = {0, 10000}};
	struct timespec d = {2, 0};
	alarmed = 0;
	OK(sigaction(SIGALRM, &sa, &old));
	OK(setitimer(ITIMER_REAL, &v, NULL));
	int r = nanosleep(&d, NULL), e = errno;
	sigaction(SIGALRM, &old, NULL);
	EXPECT_EQ(alarmed, 1);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
}

CASE(setitimer_bad_which_einval)
{
	struct itimerval v = {0};
	EXPECT_ERRNO(setitimer(7, &v, NULL), EINVAL);
}

CASE(timerfd_expires)
{
	int fd = OK((int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0));
	struct itimerspec its = {.it_value = {0, 5000000}};
	unsigned long long n = 0;
	OK(syscall(SYS_timerfd_settime, fd, 0, &its, NULL));
	EXPECT_EQ(read(fd, &n, 8), 8);
	EXPECT_EQ(n, 1);
	close(fd);
}
