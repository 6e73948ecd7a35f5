/* signal: signals between processes and around blocking calls: SA_RESTART against EINTR on
 * a blocked pipe read and wait, sigsuspend/pause/nanosleep interrupted, delivery order of
 * standard and real-time signals, SA_RESETHAND, SA_NODEFER, SA_ONSTACK, siginfo of a kill
 * from another process, and default actions seen through wait status. */
#define AREA "signal"
#include "../harness.h"
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>

static volatile sig_atomic_t hits, depth, max_depth, order[4], norder;

static void on_sig(int sig)
{
	(void)sig;
	hits++;
}

static void on_sig_order(int sig)
{
	if (norder < 4)
		order[norder++] = sig;
}

static void reset(void)
{
	hits = depth = max_depth = norder = 0;
}

static int reap(pid_t pid)
{
	int st = -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

/* A child that sends sig to the parent after ms1 milliseconds, then writes one byte to fd
 * (if >= 0) after ms2 more, then exits. */
static pid_t poker(int sig, int ms1, int fd, int ms2)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		usleep(ms1 * 1000);
		kill(parent, sig);
		if (fd >= 0) {
			usleep(ms2 * 1000);
			write(fd, "d", 1);
		}
		_exit(0);
	}
	return pid;
}

static int handle(int sig, void (*fn)(int), int flags, struct sigaction *old)
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};
	reset();
	return sigaction(sig, &sa, old);
}

CASE(sa_restart_pipe_read_restarts)
{
	int p[2];
	char c = 0;
	struct sigaction old;
	OK(pipe(p));
	OK(handle(SIGUSR1, on_sig, SA_RESTART, &old));
	pid_t pid = OK(poker(SIGUSR1, 20, p[1], 30));
	ssize_t r = read(p[0], &c, 1);
	int e = errno;
	reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	close(p[0]);
	close(p[1]);
	if (r != 1)
		FAIL("read: %zd %s, expected 1 after the restart", r, h_ename(e));
	EXPECT_EQ(c, 'd');
	EXPECT_EQ(hits, 1);
}

/*
 * A signalfd read parked with nothing pending (uos asked the host for a
 * signal first) is interrupted by a handled SA_RESTART signal: it restarts,
 * and returns the signal that comes after.
 */
CASE(sa_restart_signalfd_read_restarts)
{
	sigset_t set, old_mask;
	struct sigaction old;
	struct signalfd_siginfo si = {0};
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	OK(sigprocmask(SIG_BLOCK, &set, &old_mask));
	int sfd = OK(signalfd(-1, &set, SFD_CLOEXEC));
	OK(handle(SIGUSR1, on_sig, SA_RESTART, &old));
	pid_t parent = getpid(), pid = OK(fork());
	if (pid == 0) {
		usleep(20000);
		kill(parent, SIGUSR1);
		usleep(30000);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	ssize_t r = read(sfd, &si, sizeof(si));
	int e = errno;
	reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	close(sfd);
	if (r != (ssize_t)sizeof(si))
		FAIL("read: %zd %s, expected a record after the restart", r, h_ename(e));
	EXPECT_EQ(si.ssi_signo, SIGUSR2);
	EXPECT_EQ(hits, 1);
}

CASE(no_sa_restart_pipe_read_eintr)
{
	int p[2];
	char c = 0;
	struct sigaction old;
	OK(pipe(p));
	OK(handle(SIGUSR1, on_sig, 0, &old));
	pid_t pid = OK(poker(SIGUSR1, 20, p[1], 30));
	ssize_t r = read(p[0], &c, 1);
	int e = errno;
	reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
	EXPECT_EQ(hits, 1);
}

CASE(sa_restart_waitpid_restarts)
{
	struct sigaction old;
	int st;
	OK(handle(SIGUSR1, on_sig, SA_RESTART, &old));
	pid_t pid = OK(poker(SIGUSR1, 20, -1, 0));
	pid_t r = waitpid(pid, &st, 0);
	int e = errno;
	if (r < 0)
		reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	if (r != pid)
		FAIL("waitpid: %d %s", r, h_ename(e));
	EXPECT_EQ(hits, 1);
}

CASE(no_sa_restart_waitpid_eintr)
{
	struct sigaction old;
	int st, p[2];
	OK(pipe(p));
	OK(handle(SIGUSR1, on_sig, 0, &old));
	pid_t parent = getpid();
	pid_t pid = OK(fork());
	if (pid == 0) {
		char c;
		close(p[1]);
		usleep(20000);
		kill(parent, SIGUSR1);
		read(p[0], &c, 1); /* stay alive until the parent saw EINTR */
		_exit(0);
	}
	pid_t r = waitpid(pid, &st, 0);
	int e = errno;
	close(p[1]);
	close(p[0]);
	if (r < 0)
		reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
}

CASE(nanosleep_eintr_leaves_remaining)
{
	struct sigaction old;
	struct timespec req = {5, 0}, rem = {0, 0};
	OK(handle(SIGUSR1, on_sig, SA_RESTART, &old));
	pid_t pid = OK(poker(SIGUSR1, 20, -1, 0));
	int r = nanosleep(&req, &rem), e = errno;
	reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
	EXPECT_TRUE(rem.tv_sec >= 3 && rem.tv_sec <= 5);
}

CASE(pause_returns_eintr)
{
	struct sigaction old;
	OK(handle(SIGUSR1, on_sig, SA_RESTART, &old));
	pid_t pid = OK(poker(SIGUSR1, 20, -1, 0));
	int r = pause(), e = errno;
	reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
	EXPECT_EQ(hits, 1);
}

CASE(sigsuspend_wakes_and_restores_mask)
{
	struct sigaction old;
	sigset_t block, none, now;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	OK(handle(SIGUSR1, on_sig, 0, &old));
	OK(sigprocmask(SIG_BLOCK, &block, NULL));
	pid_t pid = OK(poker(SIGUSR1, 20, -1, 0));
	int r = sigsuspend(&none), e = errno;
	sigprocmask(SIG_BLOCK, NULL, &now);
	reap(pid);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
	EXPECT_EQ(hits, 1);
	EXPECT_TRUE(sigismember(&now, SIGUSR1));
}

CASE(sigsuspend_takes_already_pending)
{
	struct sigaction old;
	sigset_t block, none;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigemptyset(&none);
	OK(handle(SIGUSR2, on_sig, 0, &old));
	OK(sigprocmask(SIG_BLOCK, &block, NULL));
	OK(raise(SIGUSR2));
	EXPECT_EQ(hits, 0);
	int r = sigsuspend(&none), e = errno;
	sigaction(SIGUSR2, &old, NULL);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EINTR);
	EXPECT_EQ(hits, 1);
}

/* Block s1 and s2, raise them in that order, unblock both: the handler records the order. */
static int deliver_order(int s1, int s2, struct sigaction old[2])
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, s1);
	sigaddset(&set, s2);
	/* Each handler blocks the other signal: otherwise the kernel sets up both frames at
	 * once and the one set up last (the later signal) runs first. */
	struct sigaction sa = {.sa_handler = on_sig_order, .sa_mask = set};
	reset();
	if (sigaction(s1, &sa, &old[0]) || sigaction(s2, &sa, &old[1]))
		return -1;
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(s1);
	raise(s2);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigaction(s1, &old[0], NULL);
	sigaction(s2, &old[1], NULL);
	return 0;
}

CASE(rt_signals_lowest_number_first)
{
	struct sigaction old[2];
	OK(deliver_order(SIGRTMIN + 1, SIGRTMIN, old));
	EXPECT_EQ(norder, 2);
	EXPECT_EQ(order[0], SIGRTMIN);
	EXPECT_EQ(order[1], SIGRTMIN + 1);
}

CASE(standard_signal_before_rt)
{
	struct sigaction old[2];
	OK(deliver_order(SIGRTMIN, SIGUSR1, old));
	EXPECT_EQ(norder, 2);
	EXPECT_EQ(order[0], SIGUSR1);
	EXPECT_EQ(order[1], SIGRTMIN);
}

CASE(rt_signal_queue_keeps_values_in_order)
{
	sigset_t set;
	siginfo_t si;
	int got[3] = {0, 0, 0};
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	for (int i = 1; i <= 3; i++)
		OK(sigqueue(getpid(), SIGRTMIN + 2, (union sigval){.sival_int = i}));
	for (int i = 0; i < 3; i++) {
		OK(sigwaitinfo(&set, &si));
		got[i] = si.si_value.sival_int;
		EXPECT_EQ(si.si_code, SI_QUEUE);
	}
	EXPECT_EQ(got[0], 1);
	EXPECT_EQ(got[1], 2);
	EXPECT_EQ(got[2], 3);
}

CASE(sa_resethand_resets_to_default)
{
	struct sigaction old, now;
	OK(handle(SIGUSR1, on_sig, SA_RESETHAND, &old));
	OK(raise(SIGUSR1));
	sigaction(SIGUSR1, NULL, &now);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(hits, 1);
	EXPECT_TRUE(now.sa_handler == SIG_DFL);
}

static int nest_sig;

static void on_nest(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (++hits == 1)
		raise(nest_sig);
	depth--;
	(void)sig;
}

CASE(sa_nodefer_allows_nesting)
{
	struct sigaction old;
	nest_sig = SIGUSR1;
	OK(handle(SIGUSR1, on_nest, SA_NODEFER, &old));
	OK(raise(SIGUSR1));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(hits, 2);
	EXPECT_EQ(max_depth, 2);
}

CASE(handler_defers_own_signal_by_default)
{
	struct sigaction old;
	nest_sig = SIGUSR1;
	OK(handle(SIGUSR1, on_nest, 0, &old));
	OK(raise(SIGUSR1));
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(hits, 2);
	EXPECT_EQ(max_depth, 1);
}

static volatile sig_atomic_t mask_had_usr1;

static void on_check_mask(int sig)
{
	sigset_t m;
	(void)sig;
	sigprocmask(SIG_BLOCK, NULL, &m);
	mask_had_usr1 = sigismember(&m, SIGUSR1);
}

CASE(mask_restored_after_handler)
{
	struct sigaction old;
	sigset_t m;
	mask_had_usr1 = 0;
	OK(handle(SIGUSR1, on_check_mask, 0, &old));
	OK(raise(SIGUSR1));
	sigprocmask(SIG_BLOCK, NULL, &m);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(mask_had_usr1, 1);
	EXPECT_EQ(sigismember(&m, SIGUSR1), 0);
}

static char altstack[1 << 16];
static volatile sig_atomic_t on_alt;

static void on_alt_check(int sig)
{
	char here;
	(void)sig;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
}

CASE(sa_onstack_runs_on_alternate_stack)
{
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)}, oss;
	struct sigaction old;
	on_alt = 0;
	OK(sigaltstack(&ss, &oss));
	OK(handle(SIGUSR1, on_alt_check, SA_ONSTACK, &old));
	OK(raise(SIGUSR1));
	sigaction(SIGUSR1, &old, NULL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	EXPECT_EQ(on_alt, 1);
}

CASE(siginfo_of_kill_from_child)
{
	sigset_t set;
	siginfo_t si = {0};
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	pid_t parent = getpid();
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	int r = sigwaitinfo(&set, &si);
	reap(pid);
	EXPECT_EQ(r, SIGUSR1);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_code, SI_USER);
	EXPECT_EQ(si.si_uid, getuid());
}

CASE(sigtimedwait_gets_signal_from_child)
{
	sigset_t set;
	struct timespec ts = {5, 0};
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	pid_t pid = OK(poker(SIGUSR2, 20, -1, 0));
	int r = sigtimedwait(&set, NULL, &ts);
	reap(pid);
	EXPECT_EQ(r, SIGUSR2);
}

CASE(kill_child_sigterm)
{
	pid_t pid = OK(fork());
	if (pid == 0) {
		for (;;)
			pause();
	}
	OK(kill(pid, SIGTERM));
	int st = reap(pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGTERM);
}

CASE(kill_runs_child_handler)
{
	int p[2];
	char c;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		struct sigaction sa = {.sa_handler = on_sig};
		sigset_t usr1, old;
		hits = 0;
		sigaction(SIGUSR1, &sa, NULL);
		/* Blocked until sigsuspend: one landing between the check and a pause() would be lost. */
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, &old);
		write(p[1], "r", 1);
		while (!hits)
			sigsuspend(&old);
		_exit(42);
	}
	OK(read(p[0], &c, 1));
	OK(kill(pid, SIGUSR1));
	int st = reap(pid);
	close(p[0]);
	close(p[1]);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 42);
}

CASE(kill_zombie_ok_reaped_esrch)
{
	siginfo_t si;
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(0);
	OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	EXPECT_EQ(kill(pid, 0), 0);
	reap(pid);
	EXPECT_ERRNO(kill(pid, 0), ESRCH);
}

CASE(ignoring_discards_pending)
{
	sigset_t set, pend;
	struct sigaction old, ign = {.sa_handler = SIG_IGN};
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	OK(raise(SIGUSR1));
	OK(sigaction(SIGUSR1, &ign, &old));
	sigpending(&pend);
	int still = sigismember(&pend, SIGUSR1);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(still, 0);
}

CASE(unblock_delivers_before_return)
{
	sigset_t set;
	struct sigaction old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	OK(handle(SIGUSR2, on_sig, 0, &old));
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	OK(raise(SIGUSR2));
	int before = hits;
	OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	int after = hits;
	sigaction(SIGUSR2, &old, NULL);
	EXPECT_EQ(before, 0);
	EXPECT_EQ(after, 1);
}

CASE(setitimer_delivers_sigalrm)
{
	struct sigaction old;
	struct itimerval it = {.it_value = {0, 20000}}, off = {0};
	OK(handle(SIGALRM, on_sig, 0, &old));
	OK(setitimer(ITIMER_REAL, &it, NULL));
	for (int i = 0; i < 500 && !hits; i++)
		usleep(10000);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	EXPECT_EQ(hits, 1);
}

CASE(default_actions_in_wait_status)
{
	const int sigs[] = {SIGSEGV, SIGABRT, SIGHUP, SIGINT, SIGQUIT, SIGUSR2};
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = OK(fork());
		if (pid == 0) {
			signal(sigs[i], SIG_DFL);
			raise(sigs[i]);
			_exit(0);
		}
		int st = reap(pid);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != sigs[i])
			FAIL("signal %d: wait status 0x%x", sigs[i], st);
	}
}

CASE(abort_kills_even_when_blocked)
{
	pid_t pid = OK(fork());
	if (pid == 0) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGABRT);
		sigprocmask(SIG_BLOCK, &s, NULL);
		abort();
	}
	int st = reap(pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGABRT);
}

CASE(null_deref_is_sigsegv)
{
	pid_t pid = OK(fork());
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		*(volatile int *)8 = 1;
		_exit(0);
	}
	int st = reap(pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGSEGV);
}

CASE(ignored_sigchld_and_sigcont_harmless)
{
	OK(raise(SIGCHLD));
	OK(raise(SIGCONT));
	OK(raise(SIGURG));
	OK(raise(SIGWINCH));
}
