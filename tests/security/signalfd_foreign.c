/*
 * signalfd_foreign: make uos read a signalfd on behalf of a task that is not
 * the caller.
 *
 * Attack: uos answers a signalfd read by injecting rt_sigtimedwait into "the
 * reader", which it finds by looking for a task stopped in read(2) or
 * readv(2) of that file, and otherwise takes to be the task that created
 * the file.  A read through splice(2) or sendfile(2) matches neither, so
 * uos injects into the creator, which need not be stopped at all, or may be
 * another process (the signalfd was inherited across fork) parked in an
 * unrelated call.
 *   running: a thread creates the signalfd and spins without system calls,
 *     with SIGUSR1 pending; the main thread splices (then sendfiles) from
 *     the signalfd.
 *   parked: the parent creates the signalfd, has SIGUSR1 pending and waits
 *     in a read of an empty pipe; its child splices from the inherited
 *     signalfd into a pipe, then wakes the parent.
 * Linux answers both calls with EINVAL (a signalfd has no splice_read), and
 * a signalfd only ever reads its caller's signals.
 *
 * Escape: uos writes into the memory of a task that is running (and aborts
 * on an internal check: every guest dies), or has another process dequeue
 * the parent's signal (the child gets a record, the parent's SIGUSR1 is
 * gone).  Prints what each step saw; exits 1 when anything differs from
 * Linux.
 */
#include "sec.h"

#include <pthread.h>
#include <signal.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

static volatile int sfd = -1;
static volatile pid_t owner_tid;

static void *owner(void *arg)
{
	sigset_t set;
	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	owner_tid = gettid();
	sfd = signalfd(-1, &set, SFD_NONBLOCK);
	for (;;) /* running, no system calls */
		__builtin_ia32_pause();
	return NULL;
}

static int running(void)
{
	int p[2], bad = 0;
	pthread_t th;
	if (pipe(p) < 0 || pthread_create(&th, NULL, owner, NULL))
		return 2;
	while (sfd < 0)
		__builtin_ia32_pause();
	syscall(SYS_tgkill, getpid(), owner_tid, SIGUSR1);
	long r = splice(sfd, NULL, p[1], NULL, 128, 0);
	say("running: splice from the signalfd: %s\n", r < 0 ? strerrorname_np(errno) : "OK");
	bad += !(r < 0 && errno == EINVAL);
	r = sendfile(p[1], sfd, NULL, 128);
	say("running: sendfile from the signalfd: %s\n", r < 0 ? strerrorname_np(errno) : "OK");
	bad += !(r < 0 && errno == EINVAL);
	return bad;
}

static int parked(void)
{
	sigset_t set, pend;
	int wake[2], out[2], bad = 0;
	char c;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	int fd = signalfd(-1, &set, SFD_NONBLOCK);
	if (fd < 0 || pipe(wake) < 0 || pipe(out) < 0)
		return 2;
	kill(getpid(), SIGUSR1);
	pid_t c_pid = fork();
	if (c_pid == 0) {
		usleep(100000); /* let the parent park in its read */
		long r = splice(fd, NULL, out[1], NULL, 128, 0);
		say("parked: the child's splice from the parent's signalfd: %s\n",
		    r < 0 ? strerrorname_np(errno) : "OK");
		(void)!write(wake[1], "x", 1);
		_exit(r < 0 && errno == EINVAL ? 0 : 1);
	}
	if (read(wake[0], &c, 1) != 1)
		bad++;
	int st;
	waitpid(c_pid, &st, 0);
	bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	sigpending(&pend);
	say("parked: the parent's SIGUSR1 is %s\n", sigismember(&pend, SIGUSR1) ? "pending" : "GONE");
	bad += !sigismember(&pend, SIGUSR1);
	return bad;
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int bad = parked();
	bad += running();
	say("signalfd_foreign: %d bad\n", bad);
	return bad ? 1 : 0;
}
