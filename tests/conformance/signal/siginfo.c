/* signal siginfo: what a handler sees of tkill, rt_tgsigqueueinfo and kill; epoll_pwait's mask. */
#define AREA "signal"
#include "../harness.h"
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_sig, got_code, got_pid, got_value;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_value = si->si_value.sival_int;
}

static void catch_info(int sig)
{
	struct sigaction sa = {.sa_sigaction = on_info, .sa_flags = SA_SIGINFO};
	sigaction(sig, &sa, NULL);
	got_sig = got_code = got_pid = got_value = 0;
}

CASE(tkill_self_si_tkill)
{
	catch_info(SIGUSR1);
	OK(syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1));
	EXPECT_EQ(got_sig, SIGUSR1);
	EXPECT_EQ(got_code, SI_TKILL);
	EXPECT_EQ(got_pid, getpid());
	signal(SIGUSR1, SIG_DFL);
}

CASE(tkill_bad_tid)
{
	EXPECT_ERRNO(syscall(SYS_tkill, 0, SIGUSR1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_tkill, -3, SIGUSR1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_tkill, 4000000, SIGUSR1), ESRCH);
	EXPECT_ERRNO(syscall(SYS_tkill, syscall(SYS_gettid), 65), EINVAL);
}

CASE(rt_tgsigqueueinfo_self_value)
{
	siginfo_t si = {.si_code = SI_QUEUE};
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = 99;
	catch_info(SIGUSR2);
	OK(syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), SIGUSR2, &si));
	EXPECT_EQ(got_code, SI_QUEUE);
	EXPECT_EQ(got_value, 99);
	signal(SIGUSR2, SIG_DFL);
}

CASE(rt_tgsigqueueinfo_kernel_code_to_self_ok)
{
	siginfo_t si = {.si_code = SI_USER};
	catch_info(SIGUSR2);
	OK(syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), SIGUSR2, &si));
	EXPECT_EQ(got_code, SI_USER);
	signal(SIGUSR2, SIG_DFL);
}

CASE(rt_tgsigqueueinfo_kernel_code_to_other_eperm)
{
	siginfo_t si = {.si_code = SI_USER};
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, c, c, SIGUSR2, &si), EPERM);
	si.si_code = SI_TKILL;
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, c, c, SIGUSR2, &si), EPERM);
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, c, getpid(), SIGUSR2, &si), ESRCH);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

static void nothing(int sig)
{
	(void)sig;
}

/* epoll_pwait(2) with mask: a SIGUSR1 the caller blocks, let through by the call's mask, from a child. */
static long pwait_interrupted(int which)
{
	sigset_t block, none, old;
	struct epoll_event ev;
	struct timespec ts = {2, 0};
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	signal(SIGUSR1, nothing);
	sigprocmask(SIG_BLOCK, &block, &old);
	int ep = epoll_create1(0);
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		usleep(30000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	long r = which == 1 ? epoll_pwait(ep, &ev, 1, 2000, &none)
			    : syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, &none, 8);
	int e = errno;
	waitpid(c, NULL, 0);
	close(ep);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	errno = e;
	return r;
}

CASE(epoll_pwait_mask_lets_signal_in)
{
	EXPECT_ERRNO(pwait_interrupted(1), EINTR);
}

CASE(epoll_pwait2_mask_lets_signal_in)
{
	EXPECT_ERRNO(pwait_interrupted(2), EINTR);
}

CASE(epoll_pwait_bad_sigsetsize_einval)
{
	sigset_t none;
	struct epoll_event ev;
	struct timespec ts = {0, 0};
	sigemptyset(&none);
	int ep = OK(epoll_create1(0));
	EXPECT_ERRNO(syscall(SYS_epoll_pwait, ep, &ev, 1, 0, &none, 4), EINVAL);
	EXPECT_ERRNO(syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, &none, 4), EINVAL);
	EXPECT_EQ(syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8), 0);
	close(ep);
}
