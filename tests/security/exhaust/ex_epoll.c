/*
 * epoll items: 4096 eventfds, added to one epoll instance after another
 * until EPOLL_CTL_ADD fails: ENOSPC at the bound (max_user_watches).
 * Then the instances go and an add works again.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include "exhaust.h"

#define FDS 4096
#define EPS 64

int main(void)
{
	struct rlimit r = {FDS + EPS + 64, FDS + EPS + 64};
	int fds[FDS], eps[EPS], err = 0, neps = 0;
	long items = 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	setrlimit(RLIMIT_NOFILE, &r);
	for (int i = 0; i < FDS; i++)
		fds[i] = eventfd(0, 0);
	while (!err && neps < EPS) {
		int ep = epoll_create1(0);
		eps[neps++] = ep;
		for (int i = 0; i < FDS; i++) {
			struct epoll_event ev = {.events = EPOLLIN};
			if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) < 0) {
				err = errno;
				break;
			}
			items++;
		}
	}
	printf("epoll_ctl ADD until: %s after %ld items\n", err ? ename(err) : "none", items);
	for (int i = 0; i < neps; i++)
		close(eps[i]);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN};
	said("add after", epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev));
	return 0;
}
