/* wait: fork, wait4, waitpid, waitid: statuses, options, errors. */
#define AREA "wait"
#include "../harness.h"
#include <sys/resource.h>
#include <sys/wait.h>

CASE(fork_child_exit_status)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(7);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 7);
}

CASE(fork_child_sees_parent_pid)
{
	int st;
	pid_t parent = getpid();
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(getppid() == parent ? 0 : 1);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

CASE(wait_killed_by_signal)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0) {
		raise(SIGKILL);
		_exit(0);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGKILL);
}

CASE(wait_no_children_echild)
{
	int st;
	EXPECT_ERRNO(waitpid(-1, &st, 0), ECHILD);
}

CASE(waitpid_wnohang_running)
{
	int p[2], st;
	char c;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	EXPECT_EQ(waitpid(pid, &st, WNOHANG), 0);
	close(p[1]);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
}

CASE(waitpid_bad_options_einval)
{
	int st;
	EXPECT_ERRNO(waitpid(-1, &st, 0x4000000), EINVAL);
}

CASE(waitpid_not_child_echild)
{
	int st;
	EXPECT_ERRNO(waitpid(getppid(), &st, 0), ECHILD);
}

CASE(wait4_rusage)
{
	int st;
	struct rusage ru;
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(0);
	EXPECT_EQ(wait4(pid, &st, 0, &ru), pid);
	EXPECT_TRUE(ru.ru_maxrss >= 0);
}

CASE(waitid_exited_info)
{
	siginfo_t si = {0};
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(3);
	EXPECT_EQ(waitid(P_PID, pid, &si, WEXITED), 0);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_code, CLD_EXITED);
	EXPECT_EQ(si.si_status, 3);
}

CASE(waitid_nowait_leaves_zombie)
{
	siginfo_t si = {0};
	int st;
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(4);
	EXPECT_EQ(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 4);
}

CASE(wait_any_of_two)
{
	int st, seen = 0;
	pid_t a = OK(fork());
	if (a == 0)
		_exit(1);
	pid_t b = OK(fork());
	if (b == 0)
		_exit(2);
	for (int i = 0; i < 2; i++) {
		pid_t w = wait(&st);
		seen |= w == a ? 1 : w == b ? 2 : 4;
	}
	EXPECT_EQ(seen, 3);
}

CASE(wait_stopped_wuntraced)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	EXPECT_TRUE(WIFSTOPPED(st));
	EXPECT_EQ(WSTOPSIG(st), SIGSTOP);
	kill(pid, SIGCONT);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st));
}

static volatile int chld;
static void on_chld(int s)
{
	chld = 1;
}

CASE(sigchld_on_exit)
{
	struct sigaction sa = {.sa_handler = on_chld}, old;
	chld = 0;
	OK(sigaction(SIGCHLD, &sa, &old));
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGCHLD, &old, NULL);
	EXPECT_TRUE(pid > 0);
	EXPECT_EQ(chld, 1);
}

/* The SIGCHLD (no SA_RESTART) of the awaited child's exit does not cut the wait short. */
CASE(waitpid_returns_child_despite_sigchld)
{
	struct sigaction sa = {.sa_handler = on_chld}, old;
	OK(sigaction(SIGCHLD, &sa, &old));
	pid_t pid = OK(fork());
	if (pid == 0) {
		usleep(50000);
		_exit(3);
	}
	int st = 0;
	pid_t r = waitpid(pid, &st, 0);
	int e = errno;
	if (r < 0)
		waitpid(pid, NULL, 0);
	sigaction(SIGCHLD, &old, NULL);
	if (r != pid)
		FAIL("waitpid: got %d (%s), expected the child", r, h_ename(e));
	EXPECT_EQ(WEXITSTATUS(st), 3);
}

CASE(sigchld_ignored_autoreaps)
{
	struct sigaction sa = {.sa_handler = SIG_IGN}, old;
	int st;
	OK(sigaction(SIGCHLD, &sa, &old));
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int r = waitpid(pid, &st, 0), e = errno;
	sigaction(SIGCHLD, &old, NULL);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, ECHILD);
}

CASE(execve_status)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0) {
		char *argv[] = {"sh", "-c", "exit 5", NULL};
		execv("/bin/sh", argv);
		_exit(127);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 5);
}

CASE(execve_enoent)
{
	char *argv[] = {"x", NULL};
	EXPECT_ERRNO(execv("/nonexistent-uosconf", argv), ENOENT);
}

CASE(execve_not_executable_eacces)
{
	char *argv[] = {"x", NULL};
	EXPECT_ERRNO(execv("/etc/passwd", argv), EACCES);
}
