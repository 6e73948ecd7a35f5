/*
 * bench/notify_floor: the floor of any seccomp user-notification design on
 * this machine.
 *
 *   notify_floor PROGRAM [ARGS...]
 *
 * Runs PROGRAM under a seccomp filter of one instruction that sends every
 * system call to this supervisor (SECCOMP_RET_USER_NOTIF), which receives
 * each notification and lets the host run the call as it is
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE): two ioctls per call, nothing read,
 * nothing emulated.  A transport that answers calls this way can only be
 * slower; bench/floor is the same bound for a ptrace design.  The filter is
 * inherited, so every process and thread PROGRAM makes is served too.
 *
 * The listener: the child learns the number its seccomp() will return (the
 * lowest free fd), writes it down the pipe, installs the filter and execs;
 * its first notified call (execve itself) waits until this process has
 * taken the listener with pidfd_getfd.  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV:
 * a call the supervisor has received is not interrupted by a signal, so a
 * handler without SA_RESTART does not see it fail with EINTR (one that comes
 * before the supervisor receives the call still interrupts it, as it would
 * any interruptible wait).
 *
 * notify_floor exits when PROGRAM's first process does, with its exit
 * status (128 + the signal that killed it): its SIGCHLD handler reaps it
 * and exits, wherever the loop is (RECV sleeps until the next call), or
 * the loop does once no task uses the filter (after_enoent).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static pid_t main_pid;

/* Exit with the first process's wait status st (async-signal-safe). */
static _Noreturn void exit_as(int st)
{
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/* The first process ended: exit with its status. */
static void on_child(int sig)
{
	int st;
	(void)sig;
	if (waitpid(main_pid, &st, WNOHANG) == main_pid)
		exit_as(st);
}

/*
 * RECV failed with ENOENT: a caller died before it was received, or no
 * task uses the filter any more.  In the second case RECV fails at once
 * every time (it does not sleep when the filter has no users, and poll
 * says POLLHUP), so the loop would spin on this CPU while the first
 * process finishes dying on it: wait for that death instead.
 */
static void after_enoent(int listener)
{
	struct pollfd p = {.fd = listener, .events = POLLIN};
	int st;

	if (poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && waitpid(main_pid, &st, 0) == main_pid)
		exit_as(st); /* else on_child reaped it and exited */
}

/* The child: say which fd the listener will be, install the filter, exec. */
static _Noreturn void child(int out, char **argv)
{
	struct sock_filter all = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	struct sock_fprog prog = {.len = 1, .filter = &all};
	int next = dup(out);

	if (next < 0 || close(next) || write(out, &next, sizeof(next)) != sizeof(next) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(126);
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
			  &prog);
	if (fd != next)
		_exit(126); /* unnotified: the write below would wait for no one */
	execvp(argv[0], argv);
	dprintf(2, "notify_floor: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* The child's listener, once it has installed its filter (it execs right after). */
static int take_listener(pid_t pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), l = -1;

	/* Not installed yet: sleep, which lets the child run (a yield on one CPU may not). */
	while (pidfd >= 0 && (l = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0)) < 0 && errno == EBADF)
		nanosleep(&(struct timespec){0, 10000}, NULL);
	if (pidfd >= 0)
		close(pidfd);
	return l;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_child, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
	int pipefd[2], fd;

	if (argc < 2) {
		fprintf(stderr, "usage: notify_floor PROGRAM [ARGS...]\n");
		return 2;
	}
	if (sigaction(SIGCHLD, &sa, NULL) < 0 || pipe2(pipefd, O_CLOEXEC) < 0 ||
	    (main_pid = fork()) < 0) {
		perror("notify_floor");
		return 126;
	}
	if (main_pid == 0) {
		close(pipefd[0]);
		child(pipefd[1], argv + 1);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &fd, sizeof(fd)) != sizeof(fd))
		return 126; /* the child failed before its filter: its status comes by SIGCHLD */
	int listener = take_listener(main_pid, fd);
	if (listener < 0) {
		perror("notify_floor: pidfd_getfd");
		return 126;
	}
	for (;;) {
		struct seccomp_notif req;
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == ENOENT)
				after_enoent(listener);
			if (errno == EINTR || errno == ENOENT)
				continue; /* a signal; a caller that died before it was received */
			perror("notify_floor: SECCOMP_IOCTL_NOTIF_RECV");
			return 126;
		}
		struct seccomp_notif_resp resp = {.id = req.id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE};
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp); /* ENOENT: the caller died meanwhile */
	}
}
