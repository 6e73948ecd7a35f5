/* proc_poll_edges: poll and epoll corner cases: POLLNVAL, negative fds,
 * POLLHUP with and without data, POLLOUT|POLLERR on a pipe without readers,
 * select on a closed pipe, zero fds with a timeout, EPOLLHUP/EPOLLERR
 * always reported, and an epoll item whose fd was closed. */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include "../conformance/guest.h"

static void pshow(const char *what, struct pollfd *p, int n)
{
	errno = 0;
	int r = poll(p, n, 0);
	printf("%s: %d", what, r);
	for (int i = 0; i < n; i++)
		printf(" 0x%x", p[i].revents);
	printf("\n");
}

int main(void)
{
	int p[2], q[2];
	close_inherited_fds();
	pipe(p);
	pipe(q);
	struct pollfd a[3] = {{.fd = 50, .events = POLLIN}, {.fd = -1, .events = POLLIN},
			      {.fd = p[1], .events = POLLOUT}};
	pshow("nval, negative, writable", a, 3);
	write(p[1], "x", 1);
	close(p[1]);
	struct pollfd b = {.fd = p[0], .events = POLLIN};
	pshow("data then hup", &b, 1);
	char c;
	read(p[0], &c, 1);
	pshow("hup only", &b, 1);
	b.events = 0;
	pshow("hup with no events asked", &b, 1);
	close(q[0]);
	struct pollfd d = {.fd = q[1], .events = POLLOUT};
	pshow("writer without reader", &d, 1);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = {0, 0};
	SHOW("select on hup", select(p[0] + 1, &r, NULL, NULL, &tv));
	SHOW("poll nothing 20ms", poll(NULL, 0, 20));
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = 0, .data.u32 = 1}, out[4];
	SHOW("epoll add no events", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	int n = epoll_wait(ep, out, 4, 0);
	printf("epoll hup anyway: %d 0x%x\n", n, n > 0 ? out[0].events : 0);
	ev.events = EPOLLOUT;
	ev.data.u32 = 2;
	SHOW("epoll add writer", epoll_ctl(ep, EPOLL_CTL_ADD, q[1], &ev));
	SHOW("epoll del first", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	n = epoll_wait(ep, out, 4, 0);
	printf("epoll writer without reader: %d 0x%x\n", n, n > 0 ? out[0].events : 0);
	int e[2];
	pipe(e);
	write(e[1], "y", 1);
	ev.events = EPOLLIN;
	ev.data.u32 = 3;
	epoll_ctl(ep, EPOLL_CTL_ADD, e[0], &ev);
	close(e[0]);
	n = epoll_wait(ep, out, 4, 0);
	printf("after close of the only fd: %d\n", n);
	return 0;
}
