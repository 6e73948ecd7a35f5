/* time_basic: the clocks are sane (realtime near time(), monotonic never
 * goes back), nanosleep sleeps at least as asked, resolutions and the
 * error cases are the kernel's. Raw syscalls are used where the vDSO would
 * otherwise answer without a system call. */
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include "guest.h"

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void clocks(void)
{
	struct timespec a, b;
	struct timeval tv;
	int back = 0;

	SHOW("raw clock_gettime REALTIME", syscall(SYS_clock_gettime, CLOCK_REALTIME, &a));
	time_t t = time(NULL);
	EXPECT("REALTIME within 2 s of time()", a.tv_sec >= t - 2 && a.tv_sec <= t + 2);
	SHOW("raw gettimeofday", syscall(SYS_gettimeofday, &tv, NULL));
	EXPECT("gettimeofday within 2 s", tv.tv_sec >= t - 2 && tv.tv_sec <= t + 2);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 200; i++) {
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
		back += ns(&b) < ns(&a);
		a = b;
	}
	EXPECT("MONOTONIC never goes back (200 raw calls)", back == 0);
	SHOW("clock_gettime BOOTTIME", syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &a));
	SHOW("clock_gettime PROCESS_CPUTIME", syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &a));
	SHOW("clock_gettime bad clock 42", syscall(SYS_clock_gettime, 42, &a));
	SHOW("clock_gettime bad clock -1", syscall(SYS_clock_gettime, -1, &a));
	SHOW("raw clock_getres MONOTONIC", syscall(SYS_clock_getres, CLOCK_MONOTONIC, &a));
	printf("MONOTONIC resolution: %ld.%09ld\n", (long)a.tv_sec, a.tv_nsec);
	SHOW("clock_getres NULL res", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
	SHOW("clock_getres bad clock", syscall(SYS_clock_getres, 42, &a));
}

static void sleeps(void)
{
	struct timespec a, b, req = { 0, 20 * 1000 * 1000 }, rem;

	clock_gettime(CLOCK_MONOTONIC, &a);
	SHOW("nanosleep 20 ms", syscall(SYS_nanosleep, &req, &rem));
	clock_gettime(CLOCK_MONOTONIC, &b);
	EXPECT("slept at least 20 ms", ns(&b) - ns(&a) >= 20 * 1000 * 1000);
	req.tv_nsec = 1000000000;
	SHOW("nanosleep tv_nsec 1e9", syscall(SYS_nanosleep, &req, NULL));
	req.tv_nsec = 0;
	req.tv_sec = -1;
	SHOW("nanosleep negative", syscall(SYS_nanosleep, &req, NULL));
	req.tv_sec = 0;
	SHOW("nanosleep 0", syscall(SYS_nanosleep, &req, NULL));
	req.tv_nsec = 5 * 1000 * 1000;
	SHOW("clock_nanosleep MONOTONIC 5 ms", -syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL));
	clock_gettime(CLOCK_MONOTONIC, &a);
	a.tv_nsec += 5 * 1000 * 1000;
	if (a.tv_nsec >= 1000000000) {
		a.tv_sec++;
		a.tv_nsec -= 1000000000;
	}
	SHOW("clock_nanosleep TIMER_ABSTIME", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &a, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	EXPECT("woke after the absolute time", ns(&b) >= ns(&a));
}

int main(void)
{
	clocks();
	sleeps();
	return 0;
}
