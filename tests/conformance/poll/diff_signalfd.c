/* ev_signalfd: signalfd4's checks, reading blocked pending signals (the
 * fields of the record), nonblocking EAGAIN, poll and epoll readiness,
 * changing the mask, several signals in one read, and a blocking read
 * woken by a child's kill. */
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "guest.h"

static void read_show(const char *what, int fd, size_t len)
{
	struct signalfd_siginfo si[4];
	errno = 0;
	ssize_t r = read(fd, si, len);
	if (r < 0) {
		printf("%s: -1 %s\n", what, ename(errno));
		return;
	}
	printf("%s: %zd bytes", what, r);
	for (size_t i = 0; i < (size_t)r / sizeof(si[0]); i++)
		printf(" [signo=%u code=%d int=%d]", si[i].ssi_signo, si[i].ssi_code,
		       si[i].ssi_int);
	printf("\n");
}

int main(void)
{
	sigset_t set;
	close_inherited_fds();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	SHOW("bad size", syscall(SYS_signalfd4, -1, &set, 4, 0));
	SHOW("bad flags", signalfd(-1, &set, 0x1));
	SHOW("efault", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));
	SHOW("not a signalfd", signalfd(0, &set, 0));
	int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	SHOW("signalfd", fd);
	read_show("empty", fd, sizeof(struct signalfd_siginfo));
	read_show("short buffer", fd, 10);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	SHOW("poll empty", poll(&p, 1, 0));
	raise(SIGUSR1);
	SHOW("poll pending", poll(&p, 1, 0));
	printf("revents 0x%x\n", p.revents);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 5}, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	SHOW("epoll pending", epoll_wait(ep, &out, 1, 0));
	read_show("one", fd, sizeof(struct signalfd_siginfo));
	SHOW("epoll after read", epoll_wait(ep, &out, 1, 0));
	union sigval sv = {.sival_int = 77};
	sigqueue(getpid(), SIGRTMIN, sv);
	raise(SIGUSR2);
	read_show("first of two", fd, sizeof(struct signalfd_siginfo));
	read_show("second of two", fd, sizeof(struct signalfd_siginfo));
	sigset_t only2;
	sigemptyset(&only2);
	sigaddset(&only2, SIGUSR2);
	SHOW("change mask", signalfd(fd, &only2, 0));
	raise(SIGUSR1);
	read_show("USR1 not in mask", fd, sizeof(struct signalfd_siginfo));
	sigset_t pend;
	sigpending(&pend);
	printf("USR1 still pending: %d\n", sigismember(&pend, SIGUSR1));
	int bfd = signalfd(-1, &set, 0);
	read_show("USR1 now", bfd, sizeof(struct signalfd_siginfo));
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	struct signalfd_siginfo si;
	SHOW("blocking, child kills", read(bfd, &si, sizeof(si)));
	printf("signo %u\n", si.ssi_signo); /* ssi_code of kill(2) is checked in proc_sigchld_info */
	waitpid(pid, NULL, 0);
	return 0;
}
