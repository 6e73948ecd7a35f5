/* signal: sigaction and sigprocmask books, raise, pending, delivery order. */
#define AREA "signal"
#include "../harness.h"
#include <sys/syscall.h>

static volatile sig_atomic_t hits, last;
static volatile int order[4], norder;

static void handler(int s)
{
	hits++;
	last = s;
	if (norder < 4)
		order[norder++] = s;
}

static void reset(void)
{
	hits = last = norder = 0;
}

CASE(sigaction_install_and_query)
{
	struct sigaction sa = {.sa_handler = handler}, old, now;
	sigemptyset(&sa.sa_mask);
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(sigaction(SIGUSR1, NULL, &now));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_TRUE(now.sa_handler == handler);
}

CASE(sigaction_default_is_dfl)
{
	struct sigaction now;
	OK(sigaction(SIGUSR2, NULL, &now));
	EXPECT_TRUE(now.sa_handler == SIG_DFL);
}

CASE(sigaction_sigkill_einval)
{
	struct sigaction sa = {.sa_handler = SIG_IGN};
	EXPECT_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
	EXPECT_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
}

CASE(sigaction_query_sigkill_ok)
{
	struct sigaction now;
	EXPECT_EQ(sigaction(SIGKILL, NULL, &now), 0);
}

CASE(sigaction_bad_signum_einval)
{
	struct sigaction sa = {.sa_handler = SIG_IGN};
	EXPECT_ERRNO(sigaction(0, &sa, NULL), EINVAL);
	EXPECT_ERRNO(sigaction(65, &sa, NULL), EINVAL);
}

CASE(rt_sigaction_bad_sigsetsize_einval)
{
	char sa[64] = {0};
	EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, sa, NULL, 4), EINVAL);
}

CASE(sigaction_flags_roundtrip)
{
	struct sigaction sa = {.sa_handler = handler, .sa_flags = SA_RESTART | SA_NODEFER}, old, now;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(sigaction(SIGUSR1, NULL, &now));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_TRUE(now.sa_flags & SA_RESTART);
	EXPECT_TRUE(now.sa_flags & SA_NODEFER);
	EXPECT_EQ(sigismember(&now.sa_mask, SIGUSR2), 1);
}

CASE(sigaction_mask_drops_sigkill)
{
	struct sigaction sa = {.sa_handler = handler}, old, now;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGKILL);
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(sigaction(SIGUSR1, NULL, &now));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(sigismember(&now.sa_mask, SIGKILL), 0);
}

CASE(sigprocmask_block_query)
{
	sigset_t s, now;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	OK(sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_EQ(sigismember(&now, SIGUSR1), 1);
	OK(sigprocmask(SIG_UNBLOCK, &s, NULL));
	OK(sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_EQ(sigismember(&now, SIGUSR1), 0);
}

CASE(sigprocmask_setmask_returns_old)
{
	sigset_t a, old, now;
	sigemptyset(&a);
	sigaddset(&a, SIGUSR2);
	OK(sigprocmask(SIG_SETMASK, &a, &old));
	OK(sigprocmask(SIG_SETMASK, &old, &now));
	EXPECT_EQ(sigismember(&now, SIGUSR2), 1);
}

CASE(sigprocmask_cannot_block_sigkill)
{
	sigset_t a, now;
	sigfillset(&a);
	OK(sigprocmask(SIG_SETMASK, &a, NULL));
	OK(sigprocmask(SIG_SETMASK, NULL, &now));
	EXPECT_EQ(sigismember(&now, SIGKILL), 0);
	EXPECT_EQ(sigismember(&now, SIGSTOP), 0);
}

CASE(sigprocmask_bad_how_einval)
{
	sigset_t a;
	sigemptyset(&a);
	EXPECT_ERRNO(sigprocmask(99, &a, NULL), EINVAL);
}

CASE(rt_sigprocmask_bad_size_einval)
{
	sigset_t a;
	sigemptyset(&a);
	EXPECT_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &a, NULL, 4), EINVAL);
}

CASE(sigprocmask_efault)
{
	EXPECT_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)16, NULL, 8), EFAULT);
}

CASE(sigpending_empty)
{
	sigset_t p;
	OK(sigpending(&p));
	EXPECT_EQ(sigismember(&p, SIGUSR1), 0);
}

CASE(raise_runs_handler)
{
	struct sigaction sa = {.sa_handler = handler}, old;
	reset();
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(raise(SIGUSR1));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(hits, 1);
	EXPECT_EQ(last, SIGUSR1);
}

CASE(raise_ignored_nothing)
{
	struct sigaction sa = {.sa_handler = SIG_IGN}, old;
	OK(sigaction(SIGUSR1, &sa, &old));
	EXPECT_EQ(raise(SIGUSR1), 0);
	sigaction(SIGUSR1, &old, NULL);
}

CASE(blocked_signal_pending_then_delivered)
{
	struct sigaction sa = {.sa_handler = handler}, old;
	sigset_t s, p;
	reset();
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	OK(kill(getpid(), SIGUSR1));
	int before = hits;
	OK(sigpending(&p));
	OK(sigprocmask(SIG_UNBLOCK, &s, NULL));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(before, 0);
	EXPECT_EQ(sigismember(&p, SIGUSR1), 1);
	EXPECT_EQ(hits, 1);
}

CASE(standard_signals_not_queued)
{
	struct sigaction sa = {.sa_handler = handler}, old;
	sigset_t s;
	reset();
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	raise(SIGUSR1);
	raise(SIGUSR1);
	OK(sigprocmask(SIG_UNBLOCK, &s, NULL));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(hits, 1);
}

CASE(rt_signals_queued)
{
	struct sigaction sa = {.sa_handler = handler}, old;
	sigset_t s;
	reset();
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	OK(sigaction(SIGRTMIN, &sa, &old));
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	raise(SIGRTMIN);
	raise(SIGRTMIN);
	OK(sigprocmask(SIG_UNBLOCK, &s, NULL));
	sigaction(SIGRTMIN, &old, NULL);
	EXPECT_EQ(hits, 2);
}

CASE(lower_signal_delivered_first)
{
	struct sigaction sa = {.sa_handler = handler}, o1, o2;
	sigset_t s;
	reset();
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sa.sa_mask = s; /* one handler at a time, so the order shows the dequeue order */
	OK(sigaction(SIGUSR1, &sa, &o1));
	OK(sigaction(SIGUSR2, &sa, &o2));
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	raise(SIGUSR2);
	raise(SIGUSR1);
	OK(sigprocmask(SIG_UNBLOCK, &s, NULL));
	sigaction(SIGUSR1, &o1, NULL);
	sigaction(SIGUSR2, &o2, NULL);
	EXPECT_EQ(norder, 2);
	EXPECT_EQ(order[0], SIGUSR1);
	EXPECT_EQ(order[1], SIGUSR2);
}

CASE(handler_mask_blocks_during_handler)
{
	sigset_t now;
	struct sigaction sa = {.sa_handler = handler}, old;
	reset();
	OK(sigaction(SIGUSR1, &sa, &old));
	raise(SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, NULL, &now));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(sigismember(&now, SIGUSR1), 0); /* restored by sigreturn */
}

static volatile int info_code, info_pid;
static void info_handler(int s, siginfo_t *si, void *uc)
{
	info_code = si->si_code;
	info_pid = si->si_pid;
}

CASE(siginfo_from_kill)
{
	struct sigaction sa = {.sa_sigaction = info_handler, .sa_flags = SA_SIGINFO}, old;
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(kill(getpid(), SIGUSR1));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(info_code, SI_USER);
	EXPECT_EQ(info_pid, getpid());
}

CASE(sigqueue_value)
{
	struct sigaction sa = {.sa_sigaction = info_handler, .sa_flags = SA_SIGINFO}, old;
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 7}));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(info_code, SI_QUEUE);
}

CASE(tgkill_self)
{
	struct sigaction sa = {.sa_handler = handler}, old;
	reset();
	OK(sigaction(SIGUSR2, &sa, &old));
	OK(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2));
	sigaction(SIGUSR2, &old, NULL);
	EXPECT_EQ(hits, 1);
}

CASE(tgkill_bad_tid_esrch)
{
	EXPECT_ERRNO(syscall(SYS_tgkill, getpid(), 4000000, SIGUSR2), ESRCH);
}

CASE(sigtimedwait_takes_pending)
{
	sigset_t s;
	siginfo_t si;
	struct timespec ts = {1, 0};
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	raise(SIGUSR1);
	EXPECT_EQ(sigtimedwait(&s, &si, &ts), SIGUSR1);
}

CASE(sigtimedwait_timeout_eagain)
{
	sigset_t s;
	struct timespec ts = {0, 1000000};
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	EXPECT_ERRNO(sigtimedwait(&s, NULL, &ts), EAGAIN);
}

CASE(sigaltstack_query)
{
	stack_t ss;
	EXPECT_EQ(sigaltstack(NULL, &ss), 0);
	EXPECT_TRUE(ss.ss_flags & SS_DISABLE);
}

CASE(sigsuspend_returns_eintr)
{
	struct sigaction sa = {.sa_handler = handler}, old;
	sigset_t s, wait;
	reset();
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigemptyset(&wait);
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	raise(SIGUSR1);
	int r = sigsuspend(&wait), e = errno;
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
	EXPECT_EQ(hits, 1);
}
