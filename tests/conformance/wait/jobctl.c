/* wait: job control as a parent sees it: stopped and continued children through waitpid
 * (WUNTRACED, WCONTINUED) and waitid (WSTOPPED, WCONTINUED, WNOWAIT), SIGCHLD's si_code for
 * each change, SA_NOCLDSTOP, and signals sent to a stopped child. */
#define AREA "wait"
#include "../harness.h"
#include <sys/syscall.h>

/* A child that stops itself with SIGSTOP, then exits 3 when continued. */
static pid_t self_stopper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(3);
	}
	return pid;
}

/* A child that sleeps until killed (in its own process group, so that the group is not
 * orphaned and SIGTSTP stops it). */
static pid_t sleeper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	if (pid > 0)
		setpgid(pid, pid); /* also here, so the group exists before the parent signals */
	return pid;
}

static int reap(pid_t pid)
{
	int st = -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

CASE(wuntraced_reports_stop_then_exit)
{
	int st;
	pid_t pid = OK(self_stopper());
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	EXPECT_TRUE(WIFSTOPPED(st));
	EXPECT_EQ(WSTOPSIG(st), SIGSTOP);
	OK(kill(pid, SIGCONT));
	st = reap(pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 3);
}

CASE(wcontinued_reports_continue)
{
	int st;
	pid_t pid = OK(sleeper());
	OK(kill(pid, SIGSTOP));
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	OK(kill(pid, SIGCONT));
	EXPECT_EQ(waitpid(pid, &st, WCONTINUED), pid);
	int cont = WIFCONTINUED(st);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_TRUE(cont);
}

CASE(stop_reported_once)
{
	int st;
	pid_t pid = OK(sleeper());
	OK(kill(pid, SIGSTOP));
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	int again = waitpid(pid, &st, WUNTRACED | WNOHANG);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_EQ(again, 0);
}

CASE(continue_reported_once)
{
	int st;
	pid_t pid = OK(sleeper());
	OK(kill(pid, SIGSTOP));
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	OK(kill(pid, SIGCONT));
	EXPECT_EQ(waitpid(pid, &st, WCONTINUED), pid);
	int again = waitpid(pid, &st, WCONTINUED | WNOHANG);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_EQ(again, 0);
}

CASE(stop_not_reported_without_wuntraced)
{
	int st;
	pid_t pid = OK(sleeper());
	OK(kill(pid, SIGSTOP));
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid); /* now it is surely stopped */
	OK(kill(pid, SIGCONT));
	OK(kill(pid, SIGSTOP));
	usleep(20000);
	int r = waitpid(pid, &st, WNOHANG);
	kill(pid, SIGKILL);
	st = reap(pid);
	EXPECT_EQ(r, 0);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGKILL);
}

CASE(sigtstp_stops_child)
{
	int st;
	pid_t pid = OK(sleeper());
	OK(kill(pid, SIGTSTP));
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	int stopped = WIFSTOPPED(st), sig = WSTOPSIG(st);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_TRUE(stopped);
	EXPECT_EQ(sig, SIGTSTP);
}

CASE(sigkill_kills_stopped_child)
{
	int st;
	pid_t pid = OK(self_stopper());
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	OK(kill(pid, SIGKILL));
	st = reap(pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGKILL);
}

CASE(sigterm_waits_for_sigcont)
{
	int st;
	pid_t pid = OK(sleeper());
	OK(kill(pid, SIGSTOP));
	EXPECT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	OK(kill(pid, SIGTERM));
	usleep(20000);
	int r = waitpid(pid, &st, WNOHANG);
	if (r != 0)
		FAIL("a stopped child handled SIGTERM before SIGCONT (waitpid %d)", r);
	OK(kill(pid, SIGCONT));
	st = reap(pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGTERM);
}

CASE(waitid_wstopped_info)
{
	siginfo_t si = {0};
	pid_t pid = OK(self_stopper());
	EXPECT_EQ(waitid(P_PID, pid, &si, WSTOPPED), 0);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_signo, SIGCHLD);
	EXPECT_EQ(si.si_code, CLD_STOPPED);
	EXPECT_EQ(si.si_status, SIGSTOP);
}

CASE(waitid_wcontinued_info)
{
	siginfo_t si = {0};
	pid_t pid = OK(sleeper()); /* a child that exits when continued could die unreported */
	OK(kill(pid, SIGSTOP));
	EXPECT_EQ(waitid(P_PID, pid, &si, WSTOPPED), 0);
	OK(kill(pid, SIGCONT));
	memset(&si, 0, sizeof(si));
	EXPECT_EQ(waitid(P_PID, pid, &si, WCONTINUED), 0);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_code, CLD_CONTINUED);
	EXPECT_EQ(si.si_status, SIGCONT);
}

CASE(waitid_killed_info)
{
	siginfo_t si = {0};
	pid_t pid = OK(sleeper());
	OK(kill(pid, SIGTERM));
	EXPECT_EQ(waitid(P_PID, pid, &si, WEXITED), 0);
	EXPECT_EQ(si.si_code, CLD_KILLED);
	EXPECT_EQ(si.si_status, SIGTERM);
}

CASE(waitid_no_event_options_einval)
{
	siginfo_t si;
	EXPECT_ERRNO(waitid(P_ALL, 0, &si, WNOHANG), EINVAL);
}

CASE(waitid_bad_idtype_einval)
{
	siginfo_t si;
	EXPECT_ERRNO(waitid((idtype_t)99, 0, &si, WEXITED), EINVAL);
}

CASE(waitid_wnohang_nothing_zero_pid)
{
	siginfo_t si;
	pid_t pid = OK(sleeper());
	memset(&si, 0xff, sizeof(si));
	int r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(si.si_pid, 0);
}

CASE(waitid_p_pgid)
{
	siginfo_t si = {0};
	int p[2];
	char c;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		setpgid(0, 0);
		write(p[1], "r", 1);
		_exit(5);
	}
	OK(read(p[0], &c, 1));
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(waitid(P_PGID, pid, &si, WEXITED), 0);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_code, CLD_EXITED);
	EXPECT_EQ(si.si_status, 5);
}

CASE(waitid_p_all_exited)
{
	siginfo_t si = {0};
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(12);
	EXPECT_EQ(waitid(P_ALL, 0, &si, WEXITED), 0);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_status, 12);
}

CASE(waitpid_negative_pgid)
{
	int st, p[2];
	char c;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		setpgid(0, 0);
		write(p[1], "r", 1);
		_exit(6);
	}
	OK(read(p[0], &c, 1));
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(waitpid(-pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 6);
}

CASE(waitpid_zero_only_own_group)
{
	int st, p[2];
	char c;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		setpgid(0, 0);
		write(p[1], "r", 1);
		_exit(0);
	}
	OK(read(p[0], &c, 1));
	close(p[0]);
	close(p[1]);
	int r = waitpid(0, &st, 0), e = errno;
	reap(pid);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, ECHILD);
}

CASE(waitpid_specific_leaves_other)
{
	int st;
	pid_t a = OK(fork());
	if (a == 0)
		_exit(1);
	pid_t b = OK(fork());
	if (b == 0) {
		usleep(10000);
		_exit(2);
	}
	EXPECT_EQ(waitpid(b, &st, 0), b);
	EXPECT_EQ(WEXITSTATUS(st), 2);
	EXPECT_EQ(waitpid(a, &st, 0), a);
	EXPECT_EQ(WEXITSTATUS(st), 1);
}

CASE(exit_status_low_byte_only)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(0x1ff);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0xff);
}

static volatile sig_atomic_t chld_code, chld_status, chld_pid, chld_count;

static void on_chld_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_code = si->si_code;
	chld_status = si->si_status;
	chld_pid = si->si_pid;
	chld_count++;
}

/* Install the SIGCHLD recorder with extra flags; returns 0 or -1. */
static int catch_chld(int flags, struct sigaction *old)
{
	struct sigaction sa = {.sa_sigaction = on_chld_info, .sa_flags = SA_SIGINFO | flags};
	chld_code = chld_status = chld_pid = chld_count = 0;
	return sigaction(SIGCHLD, &sa, old);
}

/* Wait (up to a second) until the recorder has seen n signals. */
static void await_chld(int n)
{
	for (int i = 0; i < 1000 && chld_count < n; i++)
		usleep(1000);
}

CASE(sigchld_cld_stopped)
{
	struct sigaction old;
	int st;
	OK(catch_chld(SA_RESTART, &old));
	pid_t pid = self_stopper();
	if (pid > 0)
		waitpid(pid, &st, WUNTRACED);
	await_chld(1);
	int code = chld_code, status = chld_status, who = chld_pid;
	if (pid > 0) {
		kill(pid, SIGKILL);
		reap(pid);
	}
	sigaction(SIGCHLD, &old, NULL);
	EXPECT_TRUE(pid > 0);
	EXPECT_EQ(code, CLD_STOPPED);
	EXPECT_EQ(status, SIGSTOP);
	EXPECT_EQ(who, pid);
}

CASE(sigchld_cld_continued)
{
	struct sigaction old;
	int st;
	OK(catch_chld(SA_RESTART, &old));
	pid_t pid = sleeper();
	if (pid > 0) {
		kill(pid, SIGSTOP);
		waitpid(pid, &st, WUNTRACED);
		await_chld(1);
		kill(pid, SIGCONT);
		waitpid(pid, &st, WCONTINUED);
		await_chld(2);
	}
	int code = chld_code, status = chld_status;
	if (pid > 0) {
		kill(pid, SIGKILL);
		reap(pid);
	}
	sigaction(SIGCHLD, &old, NULL);
	EXPECT_EQ(code, CLD_CONTINUED);
	EXPECT_EQ(status, SIGCONT);
}

CASE(sigchld_cld_exited)
{
	struct sigaction old;
	OK(catch_chld(SA_RESTART, &old));
	pid_t pid = fork();
	if (pid == 0)
		_exit(4);
	await_chld(1);
	int code = chld_code, status = chld_status, who = chld_pid;
	if (pid > 0)
		reap(pid);
	sigaction(SIGCHLD, &old, NULL);
	EXPECT_EQ(code, CLD_EXITED);
	EXPECT_EQ(status, 4);
	EXPECT_EQ(who, pid);
}

CASE(sigchld_cld_killed)
{
	struct sigaction old;
	OK(catch_chld(SA_RESTART, &old));
	pid_t pid = sleeper();
	if (pid > 0)
		kill(pid, SIGTERM);
	await_chld(1);
	int code = chld_code, status = chld_status;
	if (pid > 0)
		reap(pid);
	sigaction(SIGCHLD, &old, NULL);
	EXPECT_EQ(code, CLD_KILLED);
	EXPECT_EQ(status, SIGTERM);
}

CASE(sa_nocldstop_no_sigchld_on_stop)
{
	struct sigaction old;
	int st;
	OK(catch_chld(SA_RESTART | SA_NOCLDSTOP, &old));
	pid_t pid = self_stopper();
	if (pid > 0)
		waitpid(pid, &st, WUNTRACED);
	usleep(20000);
	int n_stop = chld_count;
	if (pid > 0) {
		kill(pid, SIGKILL);
		reap(pid);
	}
	await_chld(1);
	int n_end = chld_count;
	sigaction(SIGCHLD, &old, NULL);
	EXPECT_EQ(n_stop, 0);
	EXPECT_EQ(n_end, 1);
}

CASE(waitid_wnowait_keeps_stop)
{
	siginfo_t si = {0};
	int st;
	pid_t pid = OK(self_stopper());
	EXPECT_EQ(waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT), 0);
	EXPECT_EQ(si.si_code, CLD_STOPPED);
	int r = waitpid(pid, &st, WUNTRACED | WNOHANG);
	kill(pid, SIGKILL);
	reap(pid);
	EXPECT_EQ(r, pid);
	EXPECT_TRUE(WIFSTOPPED(st));
}
