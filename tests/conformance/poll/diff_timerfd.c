/* ev_timerfd: timerfd_create's checks, relative and absolute timers,
 * intervals counted by read, gettime, disarming, and a blocking read. */
#include <poll.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include "guest.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(void)
{
	uint64_t n;
	struct itimerspec its = {0}, cur;
	close_inherited_fds();
	SHOW("create bad clock", timerfd_create(12345, 0));
	SHOW("create bad flags", timerfd_create(CLOCK_MONOTONIC, 0x40));
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	SHOW("create", fd);
	SHOW("read disarmed", read(fd, &n, 8));
	SHOW("gettime", timerfd_gettime(fd, &cur));
	printf("disarmed value %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
	its.it_value.tv_nsec = 1000000000L;
	SHOW("settime bad nsec", timerfd_settime(fd, 0, &its, NULL));
	SHOW("settime bad flags", timerfd_settime(fd, 0x80, &its, NULL));
	SHOW("settime bad fd", timerfd_settime(0, 0, &its, NULL));
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec = 100;
	SHOW("settime 100s", timerfd_settime(fd, 0, &its, NULL));
	SHOW("gettime", timerfd_gettime(fd, &cur));
	printf("remaining > 99s: %d\n", cur.it_value.tv_sec >= 99);
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 20000000;
	its.it_interval.tv_nsec = 20000000;
	SHOW("settime 20ms interval", timerfd_settime(fd, 0, &its, &cur));
	printf("old remaining > 99s: %d\n", cur.it_value.tv_sec >= 99);
	usleep(110000);
	SHOW("read short", read(fd, &n, 4));
	SHOW("read", read(fd, &n, 8));
	printf("expirations >= 4: %d\n", n >= 4);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	long long t0 = now_ms();
	SHOW("poll", poll(&p, 1, 1000));
	printf("poll waited < 500ms: %d\n", now_ms() - t0 < 500);
	its = (struct itimerspec){0};
	SHOW("disarm", timerfd_settime(fd, 0, &its, NULL));
	SHOW("read disarmed", read(fd, &n, 8));
	close(fd);

	fd = timerfd_create(CLOCK_REALTIME, 0);
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_nsec += 50000000;
	if (its.it_value.tv_nsec >= 1000000000L) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000L;
	}
	SHOW("settime abs", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	t0 = now_ms();
	SHOW("blocking read", read(fd, &n, 8));
	long long dt = now_ms() - t0;
	printf("expirations %llu, waited 20..1000ms: %d\n", (unsigned long long)n,
	       dt >= 20 && dt < 1000);
	its.it_value.tv_sec = 1;
	its.it_value.tv_nsec = 0;
	SHOW("settime abs past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	SHOW("read past", read(fd, &n, 8));
	printf("expirations %llu\n", (unsigned long long)n);
	return 0;
}
