/* poll: poll, ppoll, select, pselect, epoll on pipes and files. */
#define AREA "poll"
#include "../harness.h"
#include <sys/syscall.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

CASE(poll_pipe_writable)
{
	int p[2];
	OK(pipe(p));
	struct pollfd f = {.fd = p[1], .events = POLLOUT};
	EXPECT_EQ(poll(&f, 1, 0), 1);
	EXPECT_EQ(f.revents, POLLOUT);
	close(p[0]);
	close(p[1]);
}

CASE(poll_empty_pipe_times_out)
{
	int p[2];
	OK(pipe(p));
	struct pollfd f = {.fd = p[0], .events = POLLIN};
	EXPECT_EQ(poll(&f, 1, 10), 0);
	EXPECT_EQ(f.revents, 0);
	close(p[0]);
	close(p[1]);
}

CASE(poll_readable_after_write)
{
	int p[2];
	OK(pipe(p));
	write(p[1], "x", 1);
	struct pollfd f = {.fd = p[0], .events = POLLIN};
	EXPECT_EQ(poll(&f, 1, 0), 1);
	EXPECT_EQ(f.revents, POLLIN);
	close(p[0]);
	close(p[1]);
}

CASE(poll_hup_when_writer_gone)
{
	int p[2];
	OK(pipe(p));
	close(p[1]);
	struct pollfd f = {.fd = p[0], .events = POLLIN};
	EXPECT_EQ(poll(&f, 1, 0), 1);
	EXPECT_TRUE(f.revents & POLLHUP);
	close(p[0]);
}

CASE(poll_err_when_reader_gone)
{
	int p[2];
	OK(pipe(p));
	close(p[0]);
	struct pollfd f = {.fd = p[1], .events = POLLOUT};
	EXPECT_EQ(poll(&f, 1, 0), 1);
	EXPECT_TRUE(f.revents & POLLERR);
	close(p[1]);
}

CASE(poll_bad_fd_nval)
{
	struct pollfd f = {.fd = 555, .events = POLLIN};
	EXPECT_EQ(poll(&f, 1, 0), 1);
	EXPECT_EQ(f.revents, POLLNVAL);
}

CASE(poll_negative_fd_ignored)
{
	struct pollfd f = {.fd = -1, .events = POLLIN, .revents = 77};
	EXPECT_EQ(poll(&f, 1, 0), 0);
	EXPECT_EQ(f.revents, 0);
}

CASE(poll_regular_file_ready)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	struct pollfd f = {.fd = fd, .events = POLLIN | POLLOUT};
	EXPECT_EQ(poll(&f, 1, 0), 1);
	EXPECT_EQ(f.revents, POLLIN | POLLOUT);
	close(fd);
}

CASE(poll_efault)
{
	EXPECT_ERRNO(poll((struct pollfd *)16, 1, 0), EFAULT);
}

CASE(poll_nfds_too_big_einval)
{
	EXPECT_ERRNO(poll(NULL, 1 << 30, 0), EINVAL);
}

CASE(ppoll_zero_timeout)
{
	int p[2];
	struct timespec ts = {0, 0};
	OK(pipe(p));
	struct pollfd f = {.fd = p[0], .events = POLLIN};
	EXPECT_EQ(ppoll(&f, 1, &ts, NULL), 0);
	close(p[0]);
	close(p[1]);
}

CASE(select_readable)
{
	int p[2];
	fd_set r;
	struct timeval tv = {0, 0};
	OK(pipe(p));
	write(p[1], "x", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	EXPECT_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 1);
	EXPECT_TRUE(FD_ISSET(p[0], &r));
	close(p[0]);
	close(p[1]);
}

CASE(select_timeout_clears_sets)
{
	int p[2];
	fd_set r;
	struct timeval tv = {0, 1000};
	OK(pipe(p));
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	EXPECT_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 0);
	EXPECT_TRUE(!FD_ISSET(p[0], &r));
	close(p[0]);
	close(p[1]);
}

CASE(select_bad_fd_ebadf)
{
	fd_set r;
	struct timeval tv = {0, 0};
	int fd = OK(dup(0)); /* a closed fd inside the table */
	close(fd);
	FD_ZERO(&r);
	FD_SET(fd, &r);
	EXPECT_ERRNO(select(fd + 1, &r, NULL, NULL, &tv), EBADF);
}

CASE(select_negative_nfds_einval)
{
	struct timeval tv = {0, 0};
	EXPECT_ERRNO(select(-1, NULL, NULL, NULL, &tv), EINVAL);
}

/* The select syscall itself (glibc's select is pselect6): sets, time left, errors. */
CASE(select_raw_syscall)
{
	int p[2];
	fd_set r, w;
	struct timeval tv = {1, 0};
	OK(pipe(p));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	EXPECT_EQ(syscall(SYS_select, p[1] + 1, &r, &w, NULL, &tv), 1);
	EXPECT_TRUE(!FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	EXPECT_TRUE(tv.tv_sec == 1 || tv.tv_usec > 900000); /* the time left, written back */
	tv = (struct timeval){0, -1};
	EXPECT_ERRNO(syscall(SYS_select, 0, NULL, NULL, NULL, &tv), EINVAL);
	EXPECT_ERRNO(syscall(SYS_select, 1, (fd_set *)8, NULL, NULL, NULL), EFAULT);
	close(p[0]);
	close(p[1]);
}

CASE(pselect_sleeps)
{
	struct timespec ts = {0, 1000000};
	EXPECT_EQ(pselect(0, NULL, NULL, NULL, &ts, NULL), 0);
}

CASE(epoll_pipe_in)
{
	int p[2];
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 42}, out;
	OK(pipe(p));
	int ep = OK(epoll_create1(EPOLL_CLOEXEC));
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	EXPECT_EQ(epoll_wait(ep, &out, 1, 0), 0);
	write(p[1], "x", 1);
	EXPECT_EQ(epoll_wait(ep, &out, 1, 0), 1);
	EXPECT_EQ(out.data.u32, 42);
	close(ep);
	close(p[0]);
	close(p[1]);
}

CASE(epoll_ctl_add_twice_eexist)
{
	int p[2];
	struct epoll_event ev = {.events = EPOLLIN};
	OK(pipe(p));
	int ep = OK(epoll_create1(0));
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], &ev), ENOENT);
	close(ep);
	close(p[0]);
	close(p[1]);
}

CASE(epoll_regular_file_eperm)
{
	struct epoll_event ev = {.events = EPOLLIN};
	int fd = OK(open("/etc/passwd", O_RDONLY));
	int ep = OK(epoll_create1(0));
	EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM);
	close(ep);
	close(fd);
}

CASE(epoll_create_bad_size_einval)
{
	EXPECT_ERRNO(epoll_create(0), EINVAL);
}
