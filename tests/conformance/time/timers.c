/* time: POSIX timers (timer_create, timer_settime, timer_gettime, timer_getoverrun, ...). */
#define AREA "time"
#include "../harness.h"
#include <poll.h>
#include <pthread.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static int tcreate(clockid_t clk, struct sigevent *ev, int *id)
{
	return (int)syscall(SYS_timer_create, clk, ev, id);
}

static int tset_ns(int id, int flags, long long first, long long every)
{
	struct itimerspec v = {{every / 1000000000, every % 1000000000},
			       {first / 1000000000, first % 1000000000}};
	return (int)syscall(SYS_timer_settime, id, flags, &v, NULL);
}

static struct sigevent sigev(int notify, int sig, int value)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = notify;
	ev.sigev_signo = sig;
	ev.sigev_value.sival_int = value;
	return ev;
}

static sigset_t just(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

CASE(timer_signal_siginfo_sigwaitinfo)
{
	struct sigevent ev = sigev(SIGEV_SIGNAL, SIGUSR1, 42);
	sigset_t s = just(SIGUSR1);
	siginfo_t si;
	int id;
	sigprocmask(SIG_BLOCK, &s, NULL);
	EXPECT_EQ(tcreate(CLOCK_MONOTONIC, &ev, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 2000000, 0), 0);
	EXPECT_EQ(sigwaitinfo(&s, &si), SIGUSR1);
	EXPECT_EQ(si.si_code, SI_TIMER);
	EXPECT_EQ(si.si_timerid, id);
	EXPECT_EQ(si.si_overrun, 0);
	EXPECT_EQ(si.si_value.sival_int, 42);
	EXPECT_EQ(syscall(SYS_timer_delete, id), 0);
}

CASE(timer_default_event_is_sigalrm_with_id)
{
	sigset_t s = just(SIGALRM);
	siginfo_t si;
	int id;
	sigprocmask(SIG_BLOCK, &s, NULL);
	EXPECT_EQ(tcreate(CLOCK_REALTIME, NULL, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 1000000, 0), 0);
	EXPECT_EQ(sigwaitinfo(&s, &si), SIGALRM);
	EXPECT_EQ(si.si_code, SI_TIMER);
	EXPECT_EQ(si.si_value.sival_int, id);
	syscall(SYS_timer_delete, id);
}

static volatile sig_atomic_t h_code = -1, h_value;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	h_code = si->si_code;
	h_value = si->si_value.sival_int;
}

CASE(timer_signal_through_handler)
{
	struct sigaction sa = {.sa_sigaction = on_timer, .sa_flags = SA_SIGINFO}, old;
	struct sigevent ev = sigev(SIGEV_SIGNAL, SIGUSR2, 9);
	sigset_t s = just(SIGUSR2), none;
	int id;
	sigemptyset(&none);
	sigaction(SIGUSR2, &sa, &old);
	sigprocmask(SIG_BLOCK, &s, NULL);
	h_code = -1;
	EXPECT_EQ(tcreate(CLOCK_MONOTONIC, &ev, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 2000000, 0), 0);
	while (h_code == -1)
		sigsuspend(&none);
	sigaction(SIGUSR2, &old, NULL);
	EXPECT_EQ(h_code, SI_TIMER);
	EXPECT_EQ(h_value, 9);
	syscall(SYS_timer_delete, id);
}

CASE(timer_signal_through_signalfd)
{
	struct sigevent ev = sigev(SIGEV_SIGNAL, SIGUSR1, 5);
	struct signalfd_siginfo ssi;
	sigset_t s = just(SIGUSR1);
	int id;
	sigprocmask(SIG_BLOCK, &s, NULL);
	int sfd = OK(signalfd(-1, &s, 0));
	EXPECT_EQ(tcreate(CLOCK_MONOTONIC, &ev, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 2000000, 0), 0);
	EXPECT_EQ(read(sfd, &ssi, sizeof(ssi)), sizeof(ssi));
	EXPECT_EQ(ssi.ssi_code, SI_TIMER);
	EXPECT_EQ(ssi.ssi_tid, id);
	EXPECT_EQ(ssi.ssi_int, 5);
	close(sfd);
	syscall(SYS_timer_delete, id);
}

CASE(timer_overrun_while_blocked)
{
	struct sigevent ev = sigev(SIGEV_SIGNAL, SIGUSR1, 0);
	sigset_t s = just(SIGUSR1);
	siginfo_t si;
	int id;
	sigprocmask(SIG_BLOCK, &s, NULL);
	EXPECT_EQ(tcreate(CLOCK_MONOTONIC, &ev, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 1000000, 1000000), 0);
	usleep(30000);
	EXPECT_EQ(sigwaitinfo(&s, &si), SIGUSR1);
	EXPECT_TRUE(si.si_overrun > 5);
	EXPECT_EQ(syscall(SYS_timer_getoverrun, id), si.si_overrun);
	syscall(SYS_timer_delete, id);
	struct timespec zero = {0, 0};
	sigtimedwait(&s, &si, &zero);
}

CASE(timer_gettime_sigev_none)
{
	struct sigevent ev = sigev(SIGEV_NONE, 0, 0);
	struct itimerspec cur;
	int id;
	EXPECT_EQ(tcreate(CLOCK_MONOTONIC, &ev, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 5000000000LL, 1000000000LL), 0);
	EXPECT_EQ(syscall(SYS_timer_gettime, id, &cur), 0);
	EXPECT_TRUE(cur.it_value.tv_sec == 4 || cur.it_value.tv_sec == 5);
	EXPECT_EQ(cur.it_interval.tv_sec, 1);
	EXPECT_ERRNO(syscall(SYS_timer_gettime, id, (void *)8), EFAULT);
	EXPECT_EQ(syscall(SYS_timer_delete, id), 0);
	EXPECT_ERRNO(syscall(SYS_timer_gettime, id, &cur), EINVAL);
	EXPECT_ERRNO(syscall(SYS_timer_delete, id), EINVAL);
}

CASE(timer_create_errors)
{
	struct sigevent ev = sigev(SIGEV_SIGNAL, SIGUSR1, 0);
	int id;
	EXPECT_ERRNO(tcreate(100, &ev, &id), EINVAL);
	EXPECT_ERRNO(tcreate(CLOCK_MONOTONIC, (struct sigevent *)8, &id), EFAULT);
	ev.sigev_notify = 99;
	EXPECT_ERRNO(tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = sigev(SIGEV_SIGNAL, 0, 0);
	EXPECT_ERRNO(tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = sigev(SIGEV_SIGNAL, 65, 0);
	EXPECT_ERRNO(tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = sigev(SIGEV_THREAD_ID, SIGUSR1, 0);
	ev.sigev_notify_thread_id = 0x3fffffff;
	EXPECT_ERRNO(tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	EXPECT_ERRNO(tcreate((clockid_t)((~0u << 3) | 3), NULL, &id), EOPNOTSUPP);
}

struct taker {
	int tid; /* set by the thread */
	int got; /* it took a SIGUSR1 with SI_TIMER */
};

static void *take_usr1(void *arg)
{
	struct taker *tk = arg;
	sigset_t s = just(SIGUSR1);
	siginfo_t si;
	struct timespec tmo = {5, 0};
	__atomic_store_n(&tk->tid, (int)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	tk->got = sigtimedwait(&s, &si, &tmo) == SIGUSR1 && si.si_code == SI_TIMER;
	return NULL;
}

CASE(timer_sigev_thread_id)
{
	sigset_t s = just(SIGUSR1);
	struct taker tk = {0, 0};
	pthread_t th;
	int id;
	sigprocmask(SIG_BLOCK, &s, NULL);
	EXPECT_EQ(pthread_create(&th, NULL, take_usr1, &tk), 0);
	while (!__atomic_load_n(&tk.tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	struct sigevent ev = sigev(SIGEV_THREAD_ID, SIGUSR1, 0);
	ev.sigev_notify_thread_id = tk.tid;
	EXPECT_EQ(tcreate(CLOCK_MONOTONIC, &ev, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 20000000, 0), 0);
	pthread_join(th, NULL);
	EXPECT_EQ(tk.got, 1);
	syscall(SYS_timer_delete, id);
}

CASE(timer_thread_cpu_clock_of_a_thread)
{
	struct sigevent ev = sigev(SIGEV_NONE, 0, 0);
	clockid_t clk;
	int id;
	EXPECT_EQ(pthread_getcpuclockid(pthread_self(), &clk), 0);
	EXPECT_EQ(tcreate(clk, &ev, &id), 0);
	EXPECT_EQ(syscall(SYS_timer_delete, id), 0);
}

static void on_plain(int sig)
{
}

CASE(timer_signal_interrupts_pipe_read)
{
	struct sigaction sa = {.sa_handler = on_plain}, old;
	struct sigevent ev = sigev(SIGEV_SIGNAL, SIGUSR2, 0);
	sigset_t s = just(SIGUSR2);
	int p[2], id;
	char b;
	sigaction(SIGUSR2, &sa, &old);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	OK(pipe(p));
	EXPECT_EQ(tcreate(CLOCK_MONOTONIC, &ev, &id), 0);
	EXPECT_EQ(tset_ns(id, 0, 20000000, 0), 0);
	errno = 0;
	EXPECT_ERRNO(read(p[0], &b, 1), EINTR);
	syscall(SYS_timer_delete, id);
	sigaction(SIGUSR2, &old, NULL);
	close(p[0]);
	close(p[1]);
}
