/*
 * POSIX timers: timer_create (default event, SIGEV_SIGNAL, SIGEV_NONE,
 * SIGEV_THREAD_ID, glibc's SIGEV_THREAD; CPU clocks of the process, of a
 * thread, of another process), timer_settime (relative, TIMER_ABSTIME,
 * periodic), timer_gettime, timer_getoverrun, timer_delete, and the
 * siginfo a timer signal carries (SI_TIMER, si_timerid, si_overrun,
 * si_value) through a handler, sigwaitinfo and signalfd.  Raw system calls
 * give the kernel's timer ids, which are compared, never printed.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static int tcreate(clockid_t clk, struct sigevent *ev, int *id)
{
	return (int)syscall(SYS_timer_create, clk, ev, id);
}

static int tset(int id, int flags, long long first_ns, long long every_ns, struct itimerspec *old)
{
	struct itimerspec v = {{every_ns / 1000000000, every_ns % 1000000000},
			       {first_ns / 1000000000, first_ns % 1000000000}};
	return (int)syscall(SYS_timer_settime, id, flags, &v, old);
}

static int tget(int id, struct itimerspec *cur)
{
	return (int)syscall(SYS_timer_gettime, id, cur);
}

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static struct sigevent sig_event(int sig, int value)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = sig;
	ev.sigev_value.sival_int = value;
	return ev;
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* Wait for sig (blocked) and print its timer siginfo against timer id. */
static void wait_info(const char *what, int sig, int id)
{
	sigset_t s;
	siginfo_t si;
	sigemptyset(&s);
	sigaddset(&s, sig);
	int r = sigwaitinfo(&s, &si);
	printf("%s: sig %d code %s timerid ok %d overrun %d value %d\n", what, r,
	       si.si_code == SI_TIMER ? "SI_TIMER" : "other", si.si_timerid == id, si.si_overrun,
	       si.si_value.sival_int);
}

static void default_event(void)
{
	int id = -1;
	block(SIGALRM);
	SHOW("create default event", tcreate(CLOCK_MONOTONIC, NULL, &id));
	SHOW("settime 10ms", tset(id, 0, 10000000, 0, NULL));
	sigset_t s;
	siginfo_t si;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigwaitinfo(&s, &si);
	printf("default: code %s value is the id %d\n",
	       si.si_code == SI_TIMER ? "SI_TIMER" : "other", si.si_value.sival_int == id);
	SHOW("delete", syscall(SYS_timer_delete, id));
	SHOW("delete again", syscall(SYS_timer_delete, id));
	SHOW("settime deleted", tset(id, 0, 1000000, 0, NULL));
}

static volatile sig_atomic_t h_got, h_code, h_id, h_overrun, h_value;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	h_got = sig;
	h_code = si->si_code;
	h_id = si->si_timerid;
	h_overrun = si->si_overrun;
	h_value = si->si_value.sival_int;
}

static void through_handler(void)
{
	struct sigaction sa = {.sa_sigaction = on_timer, .sa_flags = SA_SIGINFO};
	struct sigevent ev = sig_event(SIGUSR1, 42);
	sigset_t none;
	int id;
	sigaction(SIGUSR1, &sa, NULL);
	block(SIGUSR1);
	SHOW("create SIGUSR1", tcreate(CLOCK_REALTIME, &ev, &id));
	SHOW("settime 5ms", tset(id, 0, 5000000, 0, NULL));
	sigemptyset(&none);
	while (!h_got)
		sigsuspend(&none);
	printf("handler: sig %d code %s timerid ok %d overrun %d value %d\n", h_got,
	       h_code == SI_TIMER ? "SI_TIMER" : "other", h_id == id, h_overrun, h_value);
	syscall(SYS_timer_delete, id);
}

static void through_sigwaitinfo(void)
{
	struct sigevent ev = sig_event(SIGUSR2, 7);
	int id;
	block(SIGUSR2);
	SHOW("create SIGUSR2", tcreate(CLOCK_MONOTONIC, &ev, &id));
	SHOW("settime 5ms", tset(id, 0, 5000000, 0, NULL));
	wait_info("sigwaitinfo", SIGUSR2, id);

	/* A periodic timer whose signal stays blocked overruns. */
	SHOW("settime every 1ms", tset(id, 0, 1000000, 1000000, NULL));
	usleep(30000);
	sigset_t s;
	siginfo_t si;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigwaitinfo(&s, &si);
	printf("overrun > 5: %d\n", si.si_overrun > 5);
	int ov = (int)syscall(SYS_timer_getoverrun, id);
	printf("getoverrun > 5: %d, same as si_overrun %d\n", ov > 5, ov == si.si_overrun);
	SHOW("disarm", tset(id, 0, 0, 0, NULL));
	struct itimerspec cur;
	SHOW("gettime disarmed", tget(id, &cur));
	printf("disarmed value %lld interval %lld\n", ns_of(&cur.it_value),
	       ns_of(&cur.it_interval));
	/* The one that may have been queued meanwhile. */
	struct timespec zero = {0, 0};
	sigtimedwait(&s, &si, &zero);
	syscall(SYS_timer_delete, id);
}

static void through_signalfd(void)
{
	struct sigevent ev = sig_event(SIGRTMIN + 1, 99);
	struct signalfd_siginfo ssi;
	sigset_t s;
	int id;
	block(SIGRTMIN + 1);
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN + 1);
	int sfd = signalfd(-1, &s, 0);
	SHOW("create SIGRTMIN+1", tcreate(CLOCK_BOOTTIME, &ev, &id));
	SHOW("settime 5ms", tset(id, 0, 5000000, 0, NULL));
	SHOW("signalfd read", read(sfd, &ssi, sizeof(ssi)));
	printf("signalfd: sig ok %d code %s tid ok %d overrun %u int %d\n",
	       (int)ssi.ssi_signo == SIGRTMIN + 1, ssi.ssi_code == SI_TIMER ? "SI_TIMER" : "other",
	       (int)ssi.ssi_tid == id, ssi.ssi_overrun, ssi.ssi_int);
	close(sfd);
	syscall(SYS_timer_delete, id);
}

static void gettime_and_none(void)
{
	struct sigevent ev;
	struct itimerspec cur, old;
	int id;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_NONE;
	SHOW("create SIGEV_NONE", tcreate(CLOCK_MONOTONIC, &ev, &id));
	SHOW("settime 10s every 2s", tset(id, 0, 10000000000LL, 2000000000LL, NULL));
	SHOW("gettime", tget(id, &cur));
	printf("value in (9s,10s] %d interval %lld\n",
	       ns_of(&cur.it_value) > 9000000000LL && ns_of(&cur.it_value) <= 10000000000LL,
	       ns_of(&cur.it_interval));
	SHOW("settime 20ms, old", tset(id, 0, 20000000, 0, &old));
	printf("old value in (9s,10s] %d interval %lld\n",
	       ns_of(&old.it_value) > 9000000000LL && ns_of(&old.it_value) <= 10000000000LL,
	       ns_of(&old.it_interval));
	usleep(40000);
	SHOW("gettime expired", tget(id, &cur));
	printf("expired value %lld\n", ns_of(&cur.it_value));
	SHOW("gettime efault", tget(id, (struct itimerspec *)8));
	SHOW("gettime bad id", tget(12345, &cur));
	struct itimerspec bad = {{0, 0}, {0, 1000000000}};
	SHOW("settime nsec 1e9", syscall(SYS_timer_settime, id, 0, &bad, NULL));
	SHOW("getoverrun bad id", syscall(SYS_timer_getoverrun, 12345));
	syscall(SYS_timer_delete, id);
}

static void abstime(void)
{
	struct sigevent ev = sig_event(SIGUSR2, 3);
	struct timespec now;
	int id;
	tcreate(CLOCK_MONOTONIC, &ev, &id);
	clock_gettime(CLOCK_MONOTONIC, &now);
	SHOW("settime TIMER_ABSTIME", tset(id, TIMER_ABSTIME, ns_of(&now) + 10000000, 0, NULL));
	wait_info("abstime", SIGUSR2, id);
	SHOW("settime past TIMER_ABSTIME", tset(id, TIMER_ABSTIME, 1, 0, NULL));
	wait_info("abstime past", SIGUSR2, id);
	syscall(SYS_timer_delete, id);
}

struct target {
	int tid;
	int fired;
	int code_ok;
	int pipe_rd;
};

static void *thread_waits(void *arg)
{
	struct target *tg = arg;
	sigset_t s;
	siginfo_t si;
	char b;
	tg->tid = (int)syscall(SYS_gettid);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	read(tg->pipe_rd, &b, 1); /* the main thread made the timer */
	struct timespec tmo = {5, 0};
	tg->fired = sigtimedwait(&s, &si, &tmo) == SIGUSR1;
	tg->code_ok = si.si_code == SI_TIMER;
	return NULL;
}

static void thread_id(void)
{
	struct target tg = {0};
	pthread_t th;
	int p[2], id;
	pipe(p);
	tg.pipe_rd = p[0];
	block(SIGUSR1); /* inherited by the thread */
	pthread_create(&th, NULL, thread_waits, &tg);
	while (!__atomic_load_n(&tg.tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	struct sigevent ev = sig_event(SIGUSR1, 5);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_notify_thread_id = tg.tid;
	SHOW("create SIGEV_THREAD_ID", tcreate(CLOCK_MONOTONIC, &ev, &id));
	SHOW("settime 5ms", tset(id, 0, 5000000, 0, NULL));
	write(p[1], "x", 1);
	pthread_join(th, NULL);
	printf("thread got it %d code ok %d\n", tg.fired, tg.code_ok);
	syscall(SYS_timer_delete, id);

	/*
	 * A tid of another process is no thread of ours.  (Not the joined
	 * thread's: pthread_join returns when the tid word is cleared, which
	 * both Linux and uos do before the thread is gone.)
	 */
	ev.sigev_notify_thread_id = getppid();
	SHOW("create THREAD_ID other process", tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev.sigev_notify_thread_id = 99999999;
	SHOW("create THREAD_ID missing", tcreate(CLOCK_MONOTONIC, &ev, &id));
	close(p[0]);
	close(p[1]);
}

static int thread_pipe[2];

static void on_expire(union sigval v)
{
	char b = (char)v.sival_int;
	write(thread_pipe[1], &b, 1);
}

static void sigev_thread(void)
{
	struct sigevent ev;
	timer_t tm;
	char b = 0;
	pipe(thread_pipe);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = on_expire;
	ev.sigev_value.sival_int = 'T';
	SHOW("timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &ev, &tm));
	struct itimerspec v = {{0, 0}, {0, 5000000}};
	SHOW("timer_settime", timer_settime(tm, 0, &v, NULL));
	SHOW("read from callback", read(thread_pipe[0], &b, 1));
	printf("callback value %c\n", b);
	SHOW("timer_delete", timer_delete(tm));
}

static void *spin(void *arg)
{
	while (!__atomic_load_n((int *)arg, __ATOMIC_SEQ_CST))
		;
	return NULL;
}

static void cpu_clocks(void)
{
	struct sigevent ev = sig_event(SIGUSR2, 11);
	struct itimerspec cur;
	int id, stop = 0;
	SHOW("create PROCESS_CPUTIME", tcreate(CLOCK_PROCESS_CPUTIME_ID, &ev, &id));
	SHOW("settime 20ms cpu", tset(id, 0, 20000000, 0, NULL));
	pthread_t th;
	pthread_create(&th, NULL, spin, &stop);
	wait_info("process cpu", SIGUSR2, id);
	syscall(SYS_timer_delete, id);

	clockid_t tclk;
	pthread_getcpuclockid(th, &tclk);
	SHOW("create on another thread's cpu clock", tcreate(tclk, &ev, &id));
	SHOW("settime 10s", tset(id, 0, 10000000000LL, 0, NULL));
	SHOW("gettime", tget(id, &cur));
	printf("value in (0,10s] %d\n",
	       ns_of(&cur.it_value) > 0 && ns_of(&cur.it_value) <= 10000000000LL);
	syscall(SYS_timer_delete, id);
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(th, NULL);

	SHOW("create THREAD_CPUTIME", tcreate(CLOCK_THREAD_CPUTIME_ID, &ev, &id));
	syscall(SYS_timer_delete, id);

	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		char b;
		close(p[1]);
		read(p[0], &b, 1);
		_exit(0);
	}
	clockid_t pclk =
	    (clockid_t)((~(unsigned int)c << 3) | 2); /* MAKE_PROCESS_CPUCLOCK(c, SCHED) */
	clockid_t thclk = (clockid_t)((~(unsigned int)c << 3) | 6); /* its main thread's */
	SHOW("create on a child's cpu clock", tcreate(pclk, &ev, &id));
	SHOW("settime 10s", tset(id, 0, 10000000000LL, 0, NULL));
	SHOW("gettime", tget(id, &cur));
	syscall(SYS_timer_delete, id);
	SHOW("create on a child's thread clock", tcreate(thclk, &ev, &id));
	clockid_t fdclk = (clockid_t)((~0u << 3) | 3); /* CLOCKFD of fd 0 */
	SHOW("create on an fd clock", tcreate(fdclk, &ev, &id));
	close(p[1]);
	waitpid(c, NULL, 0);
	close(p[0]);
	SHOW("create on a reaped child's cpu clock", tcreate(pclk, &ev, &id));
}

static void errors(void)
{
	struct sigevent ev = sig_event(SIGUSR1, 0);
	int id;
	SHOW("create bad clock", tcreate(100, &ev, &id));
	ev.sigev_notify = 99;
	SHOW("create bad notify", tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev = sig_event(0, 0);
	SHOW("create signo 0", tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev = sig_event(65, 0);
	SHOW("create signo 65", tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev = sig_event(SIGUSR1, 0);
	SHOW("create efault event", tcreate(CLOCK_MONOTONIC, (struct sigevent *)8, &id));
	SHOW("create efault id", tcreate(CLOCK_MONOTONIC, &ev, (int *)8));
	SHOW("delete bad id", syscall(SYS_timer_delete, 12345));
}

static void on_plain(int sig)
{
	(void)sig;
}

/* A timer's signal ends a read of an empty pipe, and a poll, with EINTR. */
static void interrupts(void)
{
	struct sigaction sa = {.sa_handler = on_plain};
	struct sigevent ev = sig_event(SIGWINCH, 0);
	struct pollfd pf;
	sigset_t s;
	int p[2], id;
	char b;
	sigaction(SIGWINCH, &sa, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGWINCH);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	pipe(p);
	tcreate(CLOCK_MONOTONIC, &ev, &id);
	tset(id, 0, 20000000, 0, NULL);
	SHOW("read interrupted", read(p[0], &b, 1));
	tset(id, 0, 20000000, 0, NULL);
	pf = (struct pollfd){p[0], POLLIN, 0};
	SHOW("poll interrupted", poll(&pf, 1, 5000));
	syscall(SYS_timer_delete, id);
	close(p[0]);
	close(p[1]);
}

static void not_inherited(void)
{
	struct sigevent ev;
	int id;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_NONE;
	tcreate(CLOCK_MONOTONIC, &ev, &id);
	tset(id, 0, 10000000000LL, 0, NULL);
	pid_t c = fork();
	if (c == 0) {
		struct itimerspec cur;
		_exit(tget(id, &cur) < 0 && errno == EINVAL ? 0 : 1);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child has no timers %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	syscall(SYS_timer_delete, id);
}

int main(void)
{
	close_inherited_fds();
	setvbuf(stdout, NULL, _IONBF, 0);
	default_event();
	through_handler();
	through_sigwaitinfo();
	through_signalfd();
	gettime_and_none();
	abstime();
	thread_id();
	sigev_thread();
	cpu_clocks();
	errors();
	interrupts();
	not_inherited();
	return 0;
}
