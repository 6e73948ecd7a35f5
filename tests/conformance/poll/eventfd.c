/* poll: eventfd counters (plain and semaphore mode, limits, readiness) and timerfd_gettime
 * on armed and disarmed timers. */
#define AREA "poll"
#include "../harness.h"
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>

CASE(eventfd_counter_sums_and_resets)
{
	uint64_t v = 0;
	int fd = OK(eventfd(3, 0));
	v = 4;
	EXPECT_EQ(write(fd, &v, 8), 8);
	EXPECT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 7);
	OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	close(fd);
}

CASE(eventfd_semaphore_counts_down)
{
	uint64_t v = 0;
	int fd = OK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	EXPECT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 1);
	EXPECT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 1);
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	close(fd);
}

CASE(eventfd_short_buffer_and_max_einval)
{
	uint64_t v = UINT64_MAX;
	char small[4];
	int fd = OK(eventfd(1, EFD_NONBLOCK));
	EXPECT_ERRNO(read(fd, small, sizeof(small)), EINVAL);
	EXPECT_ERRNO(write(fd, &v, 8), EINVAL);
	v = UINT64_MAX - 1; /* counter would overflow: a nonblocking write waits, so EAGAIN */
	EXPECT_ERRNO(write(fd, &v, 8), EAGAIN);
	close(fd);
}

CASE(eventfd_flags)
{
	int fd = OK(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	EXPECT_ERRNO(eventfd(0, 0x10), EINVAL);
}

CASE(eventfd_poll_readiness)
{
	uint64_t v = 1;
	int fd = OK(eventfd(0, 0));
	struct pollfd pf = {.fd = fd, .events = POLLIN | POLLOUT};
	EXPECT_EQ(poll(&pf, 1, 0), 1);
	EXPECT_EQ(pf.revents, POLLOUT);
	OK(write(fd, &v, 8));
	EXPECT_EQ(poll(&pf, 1, 0), 1);
	EXPECT_EQ(pf.revents, POLLIN | POLLOUT);
	close(fd);
}

CASE(eventfd_wakes_reader_across_fork)
{
	uint64_t v = 0;
	int st;
	int fd = OK(eventfd(0, 0));
	pid_t pid = OK(fork());
	if (pid == 0) {
		uint64_t one = 5;
		usleep(20000);
		_exit(write(fd, &one, 8) == 8 ? 0 : 1);
	}
	EXPECT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 5);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	close(fd);
}

CASE(raw_eventfd_syscall)
{
	uint64_t v = 0;
	int fd = OK((int)syscall(SYS_eventfd, 9));
	EXPECT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 9);
	close(fd);
}

CASE(timerfd_gettime_disarmed_zero)
{
	struct itimerspec its;
	int fd = OK(timerfd_create(CLOCK_MONOTONIC, 0));
	memset(&its, 0xff, sizeof(its));
	EXPECT_EQ(timerfd_gettime(fd, &its), 0);
	EXPECT_EQ(its.it_value.tv_sec, 0);
	EXPECT_EQ(its.it_value.tv_nsec, 0);
	EXPECT_EQ(its.it_interval.tv_sec, 0);
	close(fd);
}

CASE(timerfd_gettime_counts_down)
{
	struct itimerspec set = {.it_value = {10, 0}, .it_interval = {2, 500}}, got;
	int fd = OK(timerfd_create(CLOCK_MONOTONIC, 0));
	OK(timerfd_settime(fd, 0, &set, NULL));
	EXPECT_EQ(timerfd_gettime(fd, &got), 0);
	EXPECT_TRUE(got.it_value.tv_sec >= 8 && got.it_value.tv_sec <= 10);
	EXPECT_EQ(got.it_interval.tv_sec, 2);
	EXPECT_EQ(got.it_interval.tv_nsec, 500);
	close(fd);
}

CASE(timerfd_gettime_errors)
{
	struct itimerspec its;
	int fd = OK(open("/dev/null", O_RDONLY));
	EXPECT_ERRNO(timerfd_gettime(fd, &its), EINVAL);
	close(fd);
	EXPECT_ERRNO(timerfd_gettime(-1, &its), EBADF);
	fd = OK(timerfd_create(CLOCK_MONOTONIC, 0));
	EXPECT_ERRNO(timerfd_gettime(fd, (struct itimerspec *)1), EFAULT);
	close(fd);
}
