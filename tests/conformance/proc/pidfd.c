/* proc: pidfds (pidfd_open, pidfd_send_signal, pidfd_getfd, waitid P_PIDFD, CLONE_PIDFD). */
#define AREA "proc"
#include "../harness.h"
#include <linux/sched.h>
#include <poll.h>
#include <stdint.h>
#include <sys/syscall.h>

static int pfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pfd_send(int fd, int sig, siginfo_t *si, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, si, flags);
}

static int pfd_waitid(int fd, siginfo_t *si, int options)
{
	return (int)syscall(SYS_waitid, P_PIDFD, fd, si, options, NULL);
}

static short pfd_poll(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, ms) < 0 ? -1 : p.revents;
}

/* A child blocked in pause() until killed. */
static pid_t sleeper(void)
{
	pid_t c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	return c;
}

CASE(pidfd_open_is_cloexec_rdwr)
{
	int fd = OK(pfd_open(getpid(), 0));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_GETFL), O_RDWR);
	close(fd);
}

CASE(pidfd_open_errors)
{
	EXPECT_ERRNO(pfd_open(0, 0), EINVAL);
	EXPECT_ERRNO(pfd_open(-3, 0), EINVAL);
	EXPECT_ERRNO(pfd_open(getpid(), 1), EINVAL);
	EXPECT_ERRNO(pfd_open(0x3fffffff, 0), ESRCH);
}

CASE(pidfd_open_nonblock)
{
	int fd = OK(pfd_open(getpid(), O_NONBLOCK));
	EXPECT_EQ(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	close(fd);
}

CASE(pidfd_read_write_einval)
{
	char b[8];
	int fd = OK(pfd_open(getpid(), 0));
	EXPECT_ERRNO(read(fd, b, sizeof(b)), EINVAL);
	EXPECT_ERRNO(write(fd, b, sizeof(b)), EINVAL);
	close(fd);
}

CASE(pidfd_poll_follows_exit_and_reap)
{
	pid_t c = OK(sleeper());
	int fd = OK(pfd_open(c, 0));
	EXPECT_EQ(pfd_poll(fd, 0), 0);
	EXPECT_EQ(kill(c, SIGKILL), 0);
	EXPECT_EQ(pfd_poll(fd, 5000), POLLIN);
	EXPECT_EQ(waitpid(c, NULL, 0), c);
	EXPECT_EQ(pfd_poll(fd, 0), POLLIN | POLLHUP);
	close(fd);
}

CASE(pidfd_send_signal_kills)
{
	siginfo_t si = {0};
	pid_t c = OK(sleeper());
	int fd = OK(pfd_open(c, 0));
	EXPECT_EQ(pfd_send(fd, SIGTERM, NULL, 0), 0);
	EXPECT_EQ(pfd_waitid(fd, &si, WEXITED), 0);
	EXPECT_EQ(si.si_pid, c);
	EXPECT_EQ(si.si_code, CLD_KILLED);
	EXPECT_EQ(si.si_status, SIGTERM);
	EXPECT_ERRNO(pfd_send(fd, SIGTERM, NULL, 0), ESRCH);
	close(fd);
}

CASE(pidfd_send_signal_zombie_accepts)
{
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	int fd = OK(pfd_open(c, 0));
	EXPECT_EQ(pfd_poll(fd, 5000), POLLIN);
	EXPECT_EQ(pfd_send(fd, SIGTERM, NULL, 0), 0);
	EXPECT_EQ(waitpid(c, NULL, 0), c);
	close(fd);
}

CASE(pidfd_send_signal_errors)
{
	siginfo_t si;
	int fd = OK(pfd_open(getpid(), 0));
	EXPECT_ERRNO(pfd_send(0, 0, NULL, 0), EBADF);
	EXPECT_ERRNO(pfd_send(fd, 0, NULL, 3), EINVAL);
	EXPECT_ERRNO(pfd_send(fd, 0, NULL, 8), EINVAL);
	EXPECT_ERRNO(pfd_send(fd, 65, NULL, 0), EINVAL);
	EXPECT_ERRNO(pfd_send(fd, 0, (siginfo_t *)8, 0), EFAULT);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	EXPECT_ERRNO(pfd_send(fd, SIGUSR2, &si, 0), EINVAL);
	EXPECT_EQ(pfd_send(fd, 0, NULL, 0), 0);
	close(fd);
}

CASE(pidfd_send_signal_si_user_to_other_eperm)
{
	siginfo_t si;
	pid_t c = OK(sleeper());
	int fd = OK(pfd_open(c, 0));
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGTERM;
	si.si_code = SI_USER;
	EXPECT_ERRNO(pfd_send(fd, SIGTERM, &si, 0), EPERM);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	close(fd);
}

CASE(pidfd_send_signal_self_siginfo)
{
	siginfo_t si, got;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int fd = OK(pfd_open(getpid(), 0));
	EXPECT_EQ(pfd_send(fd, SIGUSR1, NULL, 0), 0);
	EXPECT_EQ(sigwaitinfo(&s, &got), SIGUSR1);
	EXPECT_EQ(got.si_code, SI_USER);
	EXPECT_EQ(got.si_pid, getpid());
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 77;
	EXPECT_EQ(pfd_send(fd, SIGUSR1, &si, 0), 0);
	EXPECT_EQ(sigwaitinfo(&s, &got), SIGUSR1);
	EXPECT_EQ(got.si_code, SI_QUEUE);
	EXPECT_EQ(got.si_value.sival_int, 77);
	close(fd);
}

CASE(waitid_pidfd_errors)
{
	siginfo_t si;
	int fd = OK(pfd_open(getpid(), 0));
	EXPECT_ERRNO(pfd_waitid(-1, &si, WEXITED | WNOHANG), EINVAL);
	EXPECT_ERRNO(pfd_waitid(0, &si, WEXITED | WNOHANG), EBADF);
	EXPECT_ERRNO(pfd_waitid(fd, &si, WEXITED | WNOHANG), ECHILD);
	close(fd);
}

CASE(waitid_pidfd_nonblock_eagain)
{
	siginfo_t si;
	pid_t c = OK(sleeper());
	int fd = OK(pfd_open(c, O_NONBLOCK));
	EXPECT_ERRNO(pfd_waitid(fd, &si, WEXITED), EAGAIN);
	EXPECT_EQ(pfd_waitid(fd, &si, WEXITED | WNOHANG), 0);
	EXPECT_EQ(si.si_pid, 0);
	kill(c, SIGKILL);
	EXPECT_EQ(pfd_poll(fd, 5000), POLLIN);
	EXPECT_EQ(pfd_waitid(fd, &si, WEXITED | WNOWAIT), 0);
	EXPECT_EQ(si.si_status, SIGKILL);
	EXPECT_EQ(pfd_waitid(fd, &si, WEXITED), 0);
	EXPECT_ERRNO(pfd_waitid(fd, &si, WEXITED), ECHILD);
	close(fd);
}

CASE(pidfd_getfd_dups_a_childs_fd)
{
	int p[2];
	struct stat a, b;
	OK(pipe(p));
	pid_t c = OK(sleeper());
	int fd = OK(pfd_open(c, 0));
	int got = OK((int)syscall(SYS_pidfd_getfd, fd, p[0], 0));
	EXPECT_EQ(fcntl(got, F_GETFD), FD_CLOEXEC);
	fstat(got, &a);
	fstat(p[0], &b);
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, fd, 999, 0), EBADF);
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, fd, p[0], 1), EINVAL);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, fd, p[0], 0), ESRCH);
	close(got);
	close(fd);
	close(p[0]);
	close(p[1]);
}

CASE(clone_pidfd)
{
	int pfd = -1;
	siginfo_t si = {0};
	long r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pfd, 0, 0);
	if (r == 0)
		_exit(4);
	EXPECT_TRUE(r > 0);
	EXPECT_TRUE(pfd >= 0);
	EXPECT_EQ(fcntl(pfd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(pfd_waitid(pfd, &si, WEXITED), 0);
	EXPECT_EQ(si.si_pid, r);
	EXPECT_EQ(si.si_status, 4);
	close(pfd);
	EXPECT_ERRNO(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &pfd, 0, 0),
		     EINVAL);
}

CASE(clone3_pidfd)
{
	struct clone_args ca;
	int pfd = -1;
	siginfo_t si = {0};
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_PIDFD;
	ca.exit_signal = SIGCHLD;
	ca.pidfd = (uintptr_t)&pfd;
	long r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		_exit(6);
	EXPECT_TRUE(r > 0);
	EXPECT_EQ(pfd_waitid(pfd, &si, WEXITED), 0);
	EXPECT_EQ(si.si_status, 6);
	close(pfd);
}
