/*
 * inject_args_race signalfd|timer COUNT: rewrite the arguments that uos
 * leaves in guest memory for calls it injects or hands to the host.
 *
 * Both calls are made COUNT times on a stack of the program's own, so that
 * a sibling thread knows where uos puts its arguments: (rsp - 128 - len) &
 * ~15, rsp = top - 8 at the syscall instruction.
 *
 * signalfd: a read of a signalfd with SIGUSR1 pending makes uos inject
 *   rt_sigtimedwait(set, info, timeout = 0) with set and timeout below the
 *   stack pointer.  The sibling rewrites them to {SIGUSR2} (not pending) and
 *   100000 s.  Escape: the injected call blocks in the host, and uos, which
 *   waits for it, is wedged (no other task is served, SIGTERM is ignored).
 * timer: timer_create(SIGEV_SIGNAL | SIGEV_THREAD_ID, SIGUSR1, own tid):
 *   uos checks the sigevent, translates the tid and has the host create the
 *   timer from a copy below the stack pointer.  The sibling rewrites
 *   sigev_signo there to SIGUSR2.  Escape: the timer fires SIGUSR2, a signal
 *   uos never saw asked for (the host read an argument from memory the guest
 *   could change after uos checked it).
 *
 * Prints a line per escape seen and a summary; exits 1 on any.
 */
#include "sec.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/signalfd.h>

#define STACK_SIZE 65536

static char *top;
static volatile int stop;
static bool timer_mode;

static void *rewriter(void *arg)
{
	(void)arg;
	if (timer_mode) {
		/* struct sigevent (64 bytes) at (top - 8 - 128 - 64) & ~15; sigev_signo at 8. */
		volatile int *signo = (volatile int *)(top - 208 + 8);
		while (!stop)
			*signo = SIGUSR2;
	} else {
		/* {u64 set; struct timespec ts; siginfo_t si} (152 bytes) at top - 288. */
		volatile uint64_t *sc = (volatile uint64_t *)(top - 288);
		while (!stop) {
			sc[0] = 1ULL << (SIGUSR2 - 1);
			sc[1] = 100000;
			sc[2] = 0;
		}
	}
	return NULL;
}

static long run_signalfd(long count, unsigned char *insn)
{
	sigset_t set;
	struct signalfd_siginfo si;
	long bad = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	int fd = signalfd(-1, &set, SFD_NONBLOCK);
	if (fd < 0) {
		perror("inject_args_race: signalfd");
		return -1;
	}
	for (long i = 0; i < count; i++) {
		syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
		long r = sec_call(SYS_read, fd, (long)&si, sizeof(si), 0, 0, 0, insn, top);
		if (r != sizeof(si) || si.ssi_signo != SIGUSR1) {
			if (bad++ < 5)
				say("attempt %ld: read %s, signal %u\n", i, sec_errname(r), si.ssi_signo);
		}
	}
	return bad;
}

static long run_timer(long count, unsigned char *insn)
{
	sigset_t set;
	siginfo_t si;
	long bad = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	for (long i = 0; i < count; i++) {
		struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL | SIGEV_THREAD_ID,
				      .sigev_signo = SIGUSR1};
		ev._sigev_un._tid = gettid();
		int id = -1;
		long r = sec_call(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id, 0, 0, 0, insn,
				  top);
		if (r < 0) {
			if (bad++ < 5)
				say("attempt %ld: timer_create: %s\n", i, sec_errname(r));
			continue;
		}
		struct itimerspec its = {{0, 0}, {0, 100000}};
		syscall(SYS_timer_settime, id, 0, &its, NULL);
		struct timespec wait = {1, 0};
		int sig = sigtimedwait(&set, &si, &wait);
		if (sig != SIGUSR1) {
			if (bad++ < 5)
				say("attempt %ld: ESCAPE: the timer fired %d, uos checked SIGUSR1\n", i, sig);
		}
		syscall(SYS_timer_delete, id);
	}
	return bad;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: inject_args_race signalfd|timer COUNT\n");
		return 2;
	}
	timer_mode = strcmp(argv[1], "timer") == 0;
	long count = atol(argv[2]);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL); /* in every thread, before the sibling starts */
	unsigned char *insn = sec_page();
	top = sec_stack(STACK_SIZE);
	if (!insn || !top) {
		perror("inject_args_race: setup");
		return 2;
	}
	pthread_t th;
	if (pthread_create(&th, NULL, rewriter, NULL))
		return 2;
	long bad = timer_mode ? run_timer(count, insn) : run_signalfd(count, insn);
	stop = 1;
	pthread_join(th, NULL);
	say("inject_args_race %s: %ld attempts, %ld bad\n", argv[1], count, bad);
	return bad ? 1 : 0;
}
