/* ev_epoll: epoll_ctl's errors, level and edge triggering on a pipe,
 * EPOLLONESHOT and re-arming, EPOLLHUP when the writer goes, a timeout,
 * nested epoll files and loops, EPOLLEXCLUSIVE's rules, maxevents fairness,
 * closed fds, and a wait woken by a child. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include "guest.h"

static void wait_show(const char *what, int ep, int max, int timeout)
{
	struct epoll_event ev[8];
	errno = 0;
	int n = epoll_wait(ep, ev, max, timeout);
	if (n < 0) {
		printf("%s: -1 %s\n", what, ename(errno));
		return;
	}
	printf("%s: %d", what, n);
	for (int i = 0; i < n; i++)
		printf(" [data=%llu ev=0x%x]", (unsigned long long)ev[i].data.u64, ev[i].events);
	printf("\n");
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

static void errors(void)
{
	int ep = epoll_create1(0), p[2], reg = open("/etc/passwd", O_RDONLY);
	struct epoll_event ev = {.events = EPOLLIN};
	pipe(p);
	SHOW("create1 bad flags", epoll_create1(1));
	SHOW("create size 0", epoll_create(0));
	SHOW("ctl bad epfd", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &ev));
	SHOW("ctl bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));
	SHOW("ctl epfd not epoll", epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev));
	SHOW("ctl regular file", epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev));
	SHOW("ctl self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
	SHOW("ctl bad op", epoll_ctl(ep, 99, p[0], &ev));
	SHOW("ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	SHOW("ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	SHOW("ctl mod missing", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev));
	SHOW("ctl del missing", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	SHOW("ctl add efault", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], (void *)8));
	SHOW("ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	SHOW("excl add", add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
	SHOW("excl mod", mod(ep, p[0], EPOLLIN, 1));
	SHOW("excl with oneshot", add(ep, p[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 2));
	SHOW("wait maxevents 0", epoll_wait(ep, &ev, 0, 0));
	SHOW("wait not epoll", epoll_wait(p[0], &ev, 1, 0));
	SHOW("wait bad fd", epoll_wait(99, &ev, 1, 0));
	close(ep);
	close(p[0]);
	close(p[1]);
	close(reg);
}

static void level_edge(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2], q[2];
	pipe(p);
	pipe(q);
	SHOW("add level", add(ep, p[0], EPOLLIN, 10));
	SHOW("add edge", add(ep, q[0], EPOLLIN | EPOLLET, 20));
	wait_show("nothing, timeout 30ms", ep, 8, 30);
	write(p[1], "a", 1);
	write(q[1], "b", 1);
	wait_show("both ready", ep, 8, 0);
	wait_show("level again, edge quiet", ep, 8, 0);
	write(q[1], "cc", 2);
	wait_show("edge after more data", ep, 8, 0);
	char buf[8];
	read(p[0], buf, sizeof(buf));
	read(q[0], buf, sizeof(buf));
	wait_show("drained", ep, 8, 0);
	SHOW("mod oneshot", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 11));
	write(p[1], "x", 1);
	wait_show("oneshot first", ep, 8, 0);
	wait_show("oneshot disabled", ep, 8, 0);
	SHOW("mod rearm", mod(ep, p[0], EPOLLIN, 12));
	wait_show("rearmed", ep, 8, 0);
	close(p[1]);
	read(p[0], buf, sizeof(buf));
	wait_show("writer closed", ep, 8, 0);
	SHOW("add write end rdhup", add(ep, q[1], EPOLLOUT | EPOLLRDHUP, 30));
	wait_show("writable", ep, 8, 0);
	close(q[0]); /* EPOLLOUT|EPOLLERR then: checked in proc_poll_edges */
	close(ep);
	close(p[0]);
	close(q[1]);
}

static void fairness_and_close(void)
{
	int ep = epoll_create1(0), e[3];
	for (int i = 0; i < 3; i++) {
		e[i] = eventfd(1, 0);
		add(ep, e[i], EPOLLIN, 100 + i);
	}
	wait_show("max 2 first", ep, 2, 0);
	wait_show("max 2 second", ep, 2, 0);
	close(e[1]);
	wait_show("after close", ep, 8, 0);
	close(ep);
	close(e[0]);
	close(e[2]);
}

static void nested(void)
{
	int outer = epoll_create1(0), inner = epoll_create1(0), efd = eventfd(0, 0);
	SHOW("inner add eventfd", add(inner, efd, EPOLLIN, 1));
	SHOW("outer add inner", add(outer, inner, EPOLLIN, 2));
	SHOW("inner add outer (loop)", add(inner, outer, EPOLLIN, 3));
	SHOW("outer add inner exclusive", mod(outer, inner, EPOLLIN | EPOLLEXCLUSIVE, 2));
	wait_show("outer idle", outer, 8, 0);
	uint64_t v = 1;
	write(efd, &v, 8);
	wait_show("outer sees inner", outer, 8, 0);
	wait_show("inner", inner, 8, 0);
	close(outer);
	close(inner);
	close(efd);
}

static void woken_by_child(void)
{
	int ep = epoll_create1(0), p[2];
	pipe(p);
	add(ep, p[0], EPOLLIN, 7);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(p[1], "z", 1);
		_exit(0);
	}
	wait_show("child writes", ep, 8, 5000);
	struct epoll_event ev;
	struct timespec ts = {0, 20000000};
	SHOW("pwait with a mask", epoll_pwait(ep, &ev, 1, 0, (sigset_t *)&ts));
	char c;
	read(p[0], &c, 1);
	SHOW("pwait2 timeout", epoll_pwait2(ep, &ev, 1, &ts, NULL));
	waitpid(pid, NULL, 0);
	close(ep);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	close_inherited_fds();
	errors();
	level_edge();
	fairness_and_close();
	nested();
	woken_by_child();
	return 0;
}
