/*
 * fuzz_syscalls SEED COUNT: about COUNT system calls, every one of them
 * chosen and filled in from SEED alone, made by child processes that each
 * run a batch and may die of what they did.  It prints nothing about the
 * results, only "fuzz done: B batches, N calls" at its end: the test is that
 * uos survives, with no sanitizer report or internal error, and that this
 * program ends normally.  It must be PID 1 (the guest's init under uos): it
 * ends each batch by killing every other process, kill(-1, SIGKILL).
 *
 * The calls come from uos's own table (supervisor/handlers/syscalls.def, included
 * here): mostly rows uos answers itself (FULL, PARTIAL), some of any row,
 * some numbers that are no syscall.  Each argument is drawn for its kind in
 * the table (fd, path, ptr, size, flags, signum, clockid...) from values at
 * the edges: small fds that are open (a file, a directory, a pipe, an
 * eventfd, an epoll, a timerfd, a signalfd, an inotify, a memfd, a pidfd),
 * -1 and huge ones; paths that exist or not, NULL and bad pointers; buffers
 * that hold random bytes or words at the edges of time values and sizes
 * (LONG_MAX, 999999999, 1000000000, UTIME_NOW, -1, pointers into the
 * buffer), some ending at an unmapped page.  Half of the batches run two
 * threads that fuzz at once.  A periodic SIGALRM interrupts calls that
 * would block, and the driver kills a batch after 2 s.  Every draw comes
 * from a generator seeded with (SEED, batch, thread), so a seed always
 * makes the same calls; what they return may differ with timing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../supervisor/base/argkind.h"

#define BATCH 40	      /* calls per thread per batch */
#define BUF_SIZE 65536	      /* the buffer pointers point into; a PROT_NONE page follows */
#define BATCH_LIMIT_MS 2000   /* a batch still running then is killed */
#define REAP_LIMIT_MS 20000   /* a killed process not gone by then is a uos bug */

struct row {
	int nr;
	char level; /* F(ULL), P(ARTIAL), H(OST), N(ONE) */
	struct arg_list args;
};

static const struct row rows[] = {
#define SYSCALL(nr, name, level, args, ret, note) {nr, #level[0], args},
#include "../../supervisor/handlers/syscalls.def"
#undef SYSCALL
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* One generator per thread: xorshift64, seeded through splitmix64. */
struct rng {
	uint64_t s;
};

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t next(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return next(r) % n;
}

#define PICK(r, a) ((a)[below((r), sizeof(a) / sizeof((a)[0]))])

static unsigned char *buf;
static uint64_t seed;
static unsigned long *made; /* calls made, counted in a page shared with the driver */

static const char *const paths[] = {
	"/tmp/fz", "/tmp/fz/f", "/tmp/fz/d", "/tmp/fz/l", "/tmp/fz/missing/x", "/tmp", "/",
	"/proc/self/status", "/proc/self/fd/3", "/proc/self/maps", "/proc/1/stat", "/dev/null",
	"/dev/zero", "/etc/passwd", "fz", ".", "..", "", "/tmp/fz/f/", "/tmp/fz//d/../f",
	"/tmp/fz/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

/* Words at the edges of what structures hold: time values, sizes, counts. */
static unsigned long edge_word(struct rng *r)
{
	static const unsigned long w[] = {
		0, 1, 2, 3, -1UL, 999999, 1000000, 999999999, 1000000000, LONG_MAX, LONG_MIN,
		INT_MAX, INT_MIN, UINT_MAX, (1UL << 30) - 1, (1UL << 30) - 2, /* UTIME_NOW, _OMIT */
		4096, 65536, 1UL << 40, LONG_MAX / 1000, LONG_MAX / 1000000, LONG_MAX / 1000000000,
		9223372036UL, -1000000UL, 0xdead000, 0xffff800000000000UL, 64, 16,
	};
	switch (below(r, 8)) {
	case 0:
		return (unsigned long)(buf + below(r, BUF_SIZE));
	case 1:
		return (unsigned long)PICK(r, paths);
	case 2:
		return below(r, 16);
	default:
		return PICK(r, w);
	}
}

/* A pointer into the buffer, its bytes made random or edge words, or left as they are. */
static unsigned long buf_ptr(struct rng *r)
{
	size_t off = below(r, 4) ? below(r, BUF_SIZE - 256) & ~7UL : BUF_SIZE - below(r, 64);
	unsigned char *p = buf + off;
	size_t room = BUF_SIZE - off, n = room < 256 ? room : 256;
	switch (below(r, 4)) {
	case 0:
	case 1:
		for (size_t i = 0; i + 8 <= n; i += 8) {
			unsigned long w = edge_word(r);
			memcpy(p + i, &w, 8);
		}
		break;
	case 2:
		for (size_t i = 0; i < n; i++)
			p[i] = (unsigned char)next(r);
		break;
	default:
		break;
	}
	return (unsigned long)p;
}

static unsigned long bad_ptr(struct rng *r)
{
	static const unsigned long w[] = {0, 1, 0xdead000, 0xffff800000000000UL, -1UL, -4096UL,
					  0x7ffffffff000UL};
	return PICK(r, w) + (below(r, 4) ? 0 : below(r, 4096));
}

static unsigned long ptr_arg(struct rng *r)
{
	unsigned k = below(r, 10);
	return k < 7 ? buf_ptr(r) : k < 9 ? bad_ptr(r) : (unsigned long)PICK(r, paths);
}

static unsigned long path_arg(struct rng *r)
{
	unsigned k = below(r, 10);
	return k < 7 ? (unsigned long)PICK(r, paths) : k < 9 ? bad_ptr(r) : buf_ptr(r);
}

static unsigned long fd_arg(struct rng *r)
{
	static const unsigned long w[] = {-1UL, (unsigned long)AT_FDCWD, INT_MAX, 1 << 20, 1023, 1024};
	unsigned k = below(r, 10);
	return k < 7 ? below(r, 16) : k < 9 ? PICK(r, w) : below(r, 1 << 12);
}

static unsigned long int_arg(struct rng *r)
{
	static const unsigned long w[] = {0, 1, 2, 3, -1UL, INT_MAX, (unsigned long)INT_MIN,
					  0x80000000UL, UINT_MAX, LONG_MAX, 1UL << 32};
	return below(r, 2) ? PICK(r, w) : below(r, 64);
}

static unsigned long flags_arg(struct rng *r)
{
	switch (below(r, 4)) {
	case 0:
		return 0;
	case 1:
		return 1UL << below(r, 32);
	case 2:
		return next(r) & next(r) & 0xffffffffUL; /* a few bits */
	default:
		return next(r);
	}
}

static unsigned long size_arg(struct rng *r)
{
	static const unsigned long w[] = {0, 1, 8, 16, 64, 128, 4096, 65536, 65537, -1UL, INT_MAX,
					  1UL << 40, LONG_MAX};
	return below(r, 3) ? PICK(r, w) : below(r, 70000);
}

static unsigned long off_arg(struct rng *r)
{
	static const unsigned long w[] = {0, 1, 4096, -1UL, LONG_MAX, LONG_MIN, 1UL << 40, 1UL << 62};
	return below(r, 2) ? PICK(r, w) : below(r, 100000);
}

/* A clock id: the usual ones, CPU clocks of pids and threads, dynamic (fd) clocks, junk. */
static unsigned long clockid_arg(struct rng *r)
{
	switch (below(r, 4)) {
	case 0:
	case 1:
		return below(r, 12);
	case 2:
		return (unsigned long)(unsigned int)((~(unsigned int)below(r, 70) << 3) | below(r, 8));
	default:
		return int_arg(r);
	}
}

static unsigned long fcntl_arg(struct rng *r)
{
	static const unsigned long w[] = {F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK,
					  F_SETLK, F_SETLKW, F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG,
					  F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE, F_GETLEASE,
					  F_NOTIFY, F_DUPFD_CLOEXEC, F_SETPIPE_SZ, F_GETPIPE_SZ,
					  F_ADD_SEALS, F_GET_SEALS, 1000};
	return below(r, 8) ? PICK(r, w) : int_arg(r);
}

/* An argument of kind k. */
static unsigned long arg_of(struct rng *r, enum arg_kind k)
{
	if (below(r, 16) == 0)
		return next(r); /* whatever the kind */
	switch (k) {
	case ARG_FD:
		return fd_arg(r);
	case ARG_ATFD:
		return below(r, 2) ? (unsigned long)AT_FDCWD : fd_arg(r);
	case ARG_PATH:
	case ARG_STR:
		return path_arg(r);
	case ARG_PTR:
	case ARG_BUF:
	case ARG_OUTBUF:
	case ARG_SIGSET:
	case ARG_OSTAT:
	case ARG_OSTATX:
	case ARG_ARGV:
	case ARG_ENVP:
	case ARG_RLIMIT:
	case ARG_ORLIMIT:
	case ARG_SIGACTION:
	case ARG_OSIGACTION:
	case ARG_OSIGSET:
	case ARG_OWSTATUS:
	case ARG_ODIRENTS:
	case ARG_OPIPEFDS:
	case ARG_SOCKADDR:
	case ARG_OHEXBUF:
	case ARG_TIMESPEC:
	case ARG_OCPUSET:
	case ARG_OUTSNAME:
	case ARG_CLONE3ARGS:
	case ARG_IOCTLARG:
	case ARG_IOVEC:
	case ARG_OIOVEC:
	case ARG_POLLFDS:
	case ARG_OCSTR:
	case ARG_EPOLLEVENT:
	case ARG_OEPOLLEVENTS:
	case ARG_OTIMESPEC:
	case ARG_SOCKLENP:
	case ARG_OSOCKADDR:
	case ARG_MSGHDR:
	case ARG_OMSGHDR:
	case ARG_MMSGHDRS:
	case ARG_OMMSGHDRS:
	case ARG_SOCKOPTVAL:
	case ARG_OSOCKOPTVAL:
	case ARG_FDSET:
	case ARG_TIMEVAL:
	case ARG_PSELSIG:
	case ARG_SIGFRAME:
		return ptr_arg(r);
	case ARG_SIZE:
		return size_arg(r);
	case ARG_OFF:
		return off_arg(r);
	case ARG_HEX:
	case ARG_OFLAGS:
	case ARG_ATFLAGS:
	case ARG_MODE:
	case ARG_MMPROT:
	case ARG_MMFLAGS:
	case ARG_ACCMODE:
	case ARG_STATXFLAGS:
	case ARG_STATXMASK:
	case ARG_CLONEFLAGS:
	case ARG_WOPTIONS:
	case ARG_FCNTLARG:
	case ARG_FDFLAGS:
	case ARG_SOCKTYPE:
	case ARG_SOCKFLAGS:
	case ARG_GRNDFLAGS:
	case ARG_FUTEXOP:
	case ARG_TIMERFLAGS:
	case ARG_IOCTLREQ:
	case ARG_ARCHCODE:
	case ARG_EPOLLFLAGS:
	case ARG_MSGFLAGS:
		return flags_arg(r);
	case ARG_SIGNUM:
		return below(r, 8) ? below(r, 66) : int_arg(r);
	case ARG_CLOCKID:
		return clockid_arg(r);
	case ARG_WHENCE:
		return below(r, 4) ? below(r, 6) : int_arg(r);
	case ARG_FCNTLCMD:
		return fcntl_arg(r);
	case ARG_INT:
	case ARG_UINT:
	case ARG_RLIMRES:
	case ARG_SIGHOW:
	case ARG_SOCKFAMILY:
	case ARG_SOCKPROTO:
	case ARG_FADVICE:
	case ARG_FUTEXVAL3:
	case ARG_EPOLLOP:
	case ARG_MADVICE:
	case ARG_SOCKLEVEL:
	case ARG_SOCKOPT:
	case ARG_SHUTHOW:
		return int_arg(r);
	case ARG_RAW:
	case ARG_NKINDS:
		break;
	}
	/* raw words (RAWARGS rows, the words past a row's last argument): anything */
	switch (below(r, 4)) {
	case 0:
		return ptr_arg(r);
	case 1:
		return int_arg(r);
	case 2:
		return fd_arg(r);
	default:
		return next(r);
	}
}

/* Fill a[0..6) for the row's argument kinds; the words past its last argument are raw. */
static void fill_args(struct rng *r, const struct arg_list *kinds, unsigned long a[6])
{
	for (int i = 0; i < 6; i++)
		a[i] = arg_of(r, i < kinds->n ? kinds->k[i] : ARG_RAW);
}

/* Calls that would end or replace the batch early, or take the fuzzer's TLS. */
static bool skipped(long nr)
{
	switch (nr) {
	case SYS_exit:
	case SYS_exit_group:
	case SYS_execve:
	case SYS_execveat:
	case SYS_rt_sigreturn:
	case SYS_vfork:
	case SYS_arch_prctl:
		return true;
	default:
		return false;
	}
}

/* A call number: mostly a row uos answers itself, some of any row, some no syscall at all. */
static long pick_nr(struct rng *r, const struct arg_list **kinds)
{
	static const struct arg_list raw = RAWARGS;
	unsigned k = below(r, 100);
	*kinds = &raw;
	if (k >= 90) /* an x32 or i386-looking number ends the batch: rarely */
		return k < 99 ? (long)below(r, 600) : (long)next(r);
	for (;;) {
		const struct row *row = &rows[below(r, NROWS)];
		if (k < 70 && row->level != 'F' && row->level != 'P')
			continue;
		*kinds = &row->args;
		return row->nr;
	}
}

/* The system call itself, raw: no errno, so that a call that broke TLS does not matter. */
static long raw_syscall(long nr, const unsigned long a[6])
{
	long ret;
	register unsigned long r10 __asm__("r10") = a[3];
	register unsigned long r8 __asm__("r8") = a[4];
	register unsigned long r9 __asm__("r9") = a[5];
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static void fuzz(struct rng *r)
{
	for (int i = 0; i < BATCH; i++) {
		const struct arg_list *kinds;
		unsigned long a[6];
		long nr = pick_nr(r, &kinds);
		fill_args(r, kinds, a);
		if (skipped(nr))
			continue;
		if (nr == SYS_prlimit64 && a[0] == 1)
			a[0] = 0; /* the driver's limits are not the batch's to change */
		__atomic_add_fetch(made, 1, __ATOMIC_RELAXED);
		raw_syscall(nr, a);
	}
}

static void *second_thread(void *arg)
{
	fuzz(arg);
	for (;;)
		pause(); /* the batch ends when the first thread does */
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Open one file of each kind at the low fds, stdout and stderr to /dev/null. */
static void open_things(void)
{
	int p[2], null = open("/dev/null", O_RDWR);
	sigset_t usr1;
	struct epoll_event ev = {.events = EPOLLIN};
	struct itimerspec tick = {{0, 10000000}, {0, 10000000}};

	dup2(null, 1);
	dup2(null, 2);
	close(null);
	mkdir("/tmp/fz", 0777);
	mkdir("/tmp/fz/d", 0777);
	symlink("f", "/tmp/fz/l");
	open("/tmp/fz/f", O_CREAT | O_RDWR, 0666);
	open("/tmp", O_RDONLY | O_DIRECTORY);
	if (pipe2(p, O_NONBLOCK) == 0)
		write(p[1], "x", 1);
	eventfd(1, 0);
	int ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	timerfd_settime(tfd, 0, &tick, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	signalfd(-1, &usr1, 0);
	int in = inotify_init1(0);
	inotify_add_watch(in, "/tmp/fz", IN_ALL_EVENTS);
	memfd_create("fz", MFD_ALLOW_SEALING);
	syscall(SYS_pidfd_open, getpid(), 0);
}

/* One batch, in its own process and session; never returns. */
static void batch(long n)
{
	struct rng r[2] = {{splitmix(seed ^ splitmix((uint64_t)n * 2 + 1)) | 1},
			   {splitmix(seed ^ splitmix((uint64_t)n * 2 + 2)) | 1}};
	struct sigaction sa = {.sa_handler = on_alarm};
	struct itimerval alarm_soon = {{0, 20000}, {0, 20000}};
	pthread_t th;

	setsid();
	open_things();
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &alarm_soon, NULL);
	if (below(&r[0], 2))
		pthread_create(&th, NULL, second_thread, &r[1]);
	fuzz(&r[0]);
	_exit(0);
}

static long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for batch p up to BATCH_LIMIT_MS, then kill every other process and reap them all. */
static int finish_batch(pid_t p)
{
	long start = ms_now();
	while (ms_now() - start < BATCH_LIMIT_MS && waitpid(p, NULL, WNOHANG) == 0)
		usleep(5000);
	kill(-1, SIGKILL);
	start = ms_now();
	for (;;) {
		pid_t w = waitpid(-1, NULL, WNOHANG);
		if (w < 0 && errno == ECHILD)
			return 0;
		if (w <= 0 && ms_now() - start > REAP_LIMIT_MS)
			return -1;
		if (w <= 0)
			usleep(2000);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fuzz_syscalls SEED COUNT\n");
		return 2;
	}
	if (getpid() != 1) {
		fprintf(stderr, "fuzz_syscalls: must be PID 1 (run it under uos): it kills -1\n");
		return 2;
	}
	seed = splitmix(strtoull(argv[1], NULL, 0));
	long count = atol(argv[2]), planned = 0, batches = 0;
	buf = mmap(NULL, BUF_SIZE + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	made = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || made == MAP_FAILED || mprotect(buf + BUF_SIZE, 4096, PROT_NONE) < 0)
		return 1;
	signal(SIGCHLD, SIG_DFL);
	/* Until COUNT calls were made; batches that die early make fewer than planned. */
	for (long n = 0; *made < (unsigned long)count && planned < 4 * count; n++) {
		struct rng r = {splitmix(seed ^ splitmix((uint64_t)n * 2 + 1)) | 1};
		planned += BATCH * (below(&r, 2) ? 2 : 1); /* the batch's first draw: threads */
		pid_t p = fork();
		if (p == 0)
			batch(n);
		if (p < 0) {
			usleep(10000);
			continue;
		}
		batches++;
		if (finish_batch(p) < 0) {
			fprintf(stderr, "fuzz_syscalls: batch %ld: a process outlived SIGKILL\n", n);
			return 3;
		}
	}
	printf("\nfuzz done: %ld batches, %lu calls\n", batches, *made);
	return 0;
}
