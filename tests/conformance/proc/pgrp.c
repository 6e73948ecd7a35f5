/* proc: process groups and sessions: setpgid's rules and errnos, setsid, getpgid/getsid
 * of children, and what fork inherits. */
#define AREA "proc"
#include "../harness.h"
#include <sys/syscall.h>

#define NO_SUCH_PID 0x3ffffff0

/* A child that runs setup (if any), reports with one byte on a pipe, then waits until the
 * parent closes *release (or writes to it), and exits with the byte it then reads (0 on
 * EOF).  Returns its pid. */
static pid_t held_child(void (*setup)(void), int *release)
{
	int ready[2], hold[2];
	char c;
	if (pipe(ready) < 0 || pipe(hold) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		if (setup)
			setup();
		write(ready[1], "r", 1);
		c = 0;
		read(hold[0], &c, 1);
		_exit(c);
	}
	close(ready[1]);
	close(hold[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		close(hold[1]);
		return -1;
	}
	close(ready[0]);
	*release = hold[1];
	return pid;
}

/* Let the held child go and reap it; returns its wait status. */
static int release_child(pid_t pid, int release)
{
	int st = -1;
	close(release);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static void own_group(void)
{
	setpgid(0, 0);
}

static void own_session(void)
{
	setsid();
}

/* Run fn in a forked child; returns its exit status (or -1). */
static int in_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int child_setpgid_self(void)
{
	if (setpgid(0, 0) != 0)
		return 1;
	return getpgrp() == getpid() && getpgid(0) == getpid() ? 0 : 2;
}

CASE(setpgid_zero_zero_makes_own_group)
{
	EXPECT_EQ(in_child(child_setpgid_self), 0);
}

CASE(setpgid_child_from_parent)
{
	int rel;
	pid_t pid = OK(held_child(NULL, &rel));
	int r = setpgid(pid, pid), e = errno;
	pid_t g = getpgid(pid);
	release_child(pid, rel);
	if (r)
		FAIL("setpgid(child, child): %s", h_ename(e));
	EXPECT_EQ(g, pid);
}

CASE(setpgid_join_sibling_group)
{
	int ra, rb;
	pid_t a = OK(held_child(own_group, &ra));
	pid_t b = held_child(NULL, &rb);
	int r = b > 0 ? setpgid(b, a) : -1, e = errno;
	pid_t g = b > 0 ? getpgid(b) : -1;
	if (b > 0)
		release_child(b, rb);
	release_child(a, ra);
	if (r)
		FAIL("setpgid(b, a): %s", h_ename(e));
	EXPECT_EQ(g, a);
}

CASE(setpgid_negative_einval)
{
	EXPECT_ERRNO(setpgid(0, -1), EINVAL);
}

CASE(setpgid_not_a_child_esrch)
{
	EXPECT_ERRNO(setpgid(getppid(), getppid()), ESRCH);
}

CASE(setpgid_no_such_pid_esrch)
{
	EXPECT_ERRNO(setpgid(NO_SUCH_PID, 0), ESRCH);
}

CASE(setpgid_missing_group_eperm)
{
	int rel;
	pid_t pid = OK(held_child(NULL, &rel));
	int r = setpgid(pid, NO_SUCH_PID), e = errno;
	release_child(pid, rel);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

CASE(setpgid_child_in_other_session_eperm)
{
	int rel;
	pid_t pid = OK(held_child(own_session, &rel));
	int r = setpgid(pid, pid), e = errno;
	release_child(pid, rel);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

CASE(setpgid_into_other_session_group_eperm)
{
	int ra, rb;
	pid_t a = OK(held_child(own_session, &ra));
	pid_t b = held_child(NULL, &rb);
	int r = b > 0 ? setpgid(b, a) : 0, e = errno;
	if (b > 0)
		release_child(b, rb);
	release_child(a, ra);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

static int child_leader_setpgid(void)
{
	if (setsid() < 0)
		return 1;
	errno = 0;
	return setpgid(0, 0) == -1 && errno == EPERM ? 0 : 2;
}

CASE(setpgid_session_leader_eperm)
{
	EXPECT_EQ(in_child(child_leader_setpgid), 0);
}

CASE(setpgid_after_exec_eacces)
{
	int out[2], in[2], st;
	char c;
	OK(pipe(out));
	OK(pipe(in));
	pid_t pid = OK(fork());
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(in[0], 0);
		close(out[0]);
		close(in[1]);
		execl("/bin/sh", "sh", "-c", "echo x; read y", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(in[0]);
	OK(read(out[0], &c, 1)); /* the child has exec'd */
	int r = setpgid(pid, pid), e = errno;
	close(in[1]);
	close(out[0]);
	waitpid(pid, &st, 0);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EACCES);
}

static int child_setsid(void)
{
	pid_t s = setsid();
	if (s != getpid())
		return 1;
	if (getsid(0) != getpid() || getpgrp() != getpid())
		return 2;
	return 0;
}

CASE(setsid_makes_session_and_group)
{
	EXPECT_EQ(in_child(child_setsid), 0);
}

static int child_setsid_twice(void)
{
	if (setsid() < 0)
		return 1;
	errno = 0;
	return setsid() == -1 && errno == EPERM ? 0 : 2;
}

CASE(setsid_twice_eperm)
{
	EXPECT_EQ(in_child(child_setsid_twice), 0);
}

static int child_leader_setsid(void)
{
	if (setpgid(0, 0) < 0)
		return 1;
	errno = 0;
	return setsid() == -1 && errno == EPERM ? 0 : 2;
}

CASE(setsid_group_leader_eperm)
{
	EXPECT_EQ(in_child(child_leader_setsid), 0);
}

static int child_setsid_no_tty(void)
{
	if (setsid() < 0)
		return 1;
	errno = 0;
	int fd = open("/dev/tty", O_RDWR);
	return fd == -1 && errno == ENXIO ? 0 : 2;
}

CASE(setsid_loses_controlling_tty)
{
	EXPECT_EQ(in_child(child_setsid_no_tty), 0);
}

CASE(getsid_of_child_session)
{
	int rel;
	pid_t pid = OK(held_child(own_session, &rel));
	pid_t s = getsid(pid), g = getpgid(pid);
	release_child(pid, rel);
	EXPECT_EQ(s, pid);
	EXPECT_EQ(g, pid);
}

CASE(fork_inherits_group_and_session)
{
	int rel;
	pid_t pid = OK(held_child(NULL, &rel));
	pid_t g = getpgid(pid), s = getsid(pid);
	release_child(pid, rel);
	EXPECT_EQ(g, getpgrp());
	EXPECT_EQ(s, getsid(0));
}

CASE(getpgid_zero_is_getpgrp)
{
	EXPECT_EQ(getpgid(0), getpgrp());
	EXPECT_EQ(getpgid(getpid()), getpgrp());
}

CASE(kill_process_group)
{
	int ra, rb;
	pid_t a = OK(held_child(own_group, &ra));
	pid_t b = held_child(NULL, &rb);
	if (b > 0)
		setpgid(b, a);
	int r = kill(-a, SIGTERM), e = errno;
	int sa = release_child(a, ra), sb = b > 0 ? release_child(b, rb) : -1;
	if (r)
		FAIL("kill(-pgid): %s", h_ename(e));
	EXPECT_TRUE(WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM);
	EXPECT_TRUE(WIFSIGNALED(sb) && WTERMSIG(sb) == SIGTERM);
}

CASE(killpg_empty_group_esrch)
{
	EXPECT_ERRNO(kill(-NO_SUCH_PID, 0), ESRCH);
	EXPECT_ERRNO(killpg(NO_SUCH_PID, 0), ESRCH);
}

static int child_kill_zero(void)
{
	int st;
	setpgid(0, 0);
	signal(SIGTERM, SIG_IGN);
	pid_t g = fork();
	if (g == 0) {
		signal(SIGTERM, SIG_DFL);
		for (;;)
			pause();
	}
	if (g < 0)
		return 1;
	usleep(10000);
	if (kill(0, SIGTERM) != 0)
		return 2;
	if (waitpid(g, &st, 0) != g)
		return 3;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? 0 : 4;
}

CASE(kill_zero_signals_own_group)
{
	EXPECT_EQ(in_child(child_kill_zero), 0);
}

CASE(raw_setpgid_and_getpgid)
{
	int rel;
	pid_t pid = OK(held_child(NULL, &rel));
	long r = syscall(SYS_setpgid, pid, 0);
	long g = syscall(SYS_getpgid, pid);
	release_child(pid, rel);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(g, pid);
}

static int child_raw_setsid(void)
{
	return syscall(SYS_setsid) == getpid() ? 0 : 1;
}

CASE(raw_setsid)
{
	EXPECT_EQ(in_child(child_raw_setsid), 0);
}
