/*
 * notify_race MODE [ROUNDS [DIR]]: attacks on the calls uos answers through its
 * seccomp listener (supervisor/transport/notify.c) rather than at a ptrace
 * stop: the id getters, the stat family, access, readlink, getcwd, lseek,
 * getdents64, and the ones that may wait: read, write and their vector and
 * positional forms, open, openat, fcntl, dup*.  Each mode prints one line
 * "notify_race: MODE: ROUNDS rounds, N bad"; N must be 0 (natively too: the
 * script compares); with NOTIFY_RACE_VERBOSE set, counts go to stderr.
 *
 * signals   A sibling thread tgkills the main thread with SIGUSR1, whose
 *           handler has no SA_RESTART, as fast as it can, while the main
 *           thread makes notified calls.  None of them may fail with EINTR
 *           (on Linux they never do: they do not wait); a signal that ends
 *           one before uos received it must make it run again.
 * pointers  A sibling flips the path uos reads (between two files) and the
 *           buffer it writes (between a mapped page and PROT_NONE) while
 *           the main thread stats and readlinks: every result must be one
 *           of the two files' or EFAULT, and uos must not fall over.  The
 *           files are made in DIR (default /tmp), the working directory.
 * dying     Each round a child process runs threads that make notified
 *           calls in a loop and is ended by one of them calling execve
 *           (odd rounds) or exit_group (even rounds) while the others are in
 *           such calls: every child must end as it should.
 * listener  The guest looks for a seccomp listener of its own: every fd
 *           0..1100 with SECCOMP_IOCTL_NOTIF_RECV and ID_VALID must fail,
 *           and a filter with a listener of its own must be refused
 *           (otherwise it could let its calls run on the host).  Natively
 *           the last is allowed, so the script checks this mode only under
 *           uos.
 * parked    Calls that wait (read, write, pread..., fcntl F_SETLKW, open of a
 *           FIFO) are notified too, and uos parks them: it answers once the
 *           task is woken, or when a signal comes.  Each round a reader thread
 *           makes one waiting call (read/readv of an empty pipe, write/writev
 *           to a full or too small pipe, F_SETLKW/F_OFD_SETLKW on a lock a
 *           child process holds, open of a FIFO with no writer) and, once
 *           /proc says it sleeps, the main thread pthread_kills it: with an
 *           SA_RESTART handler (the call goes on and returns what came after
 *           the signal; a partly done write returns its count), without
 *           (EINTR, or the partial count), a SIG_IGN'd, default-ignored or
 *           blocked signal (the call goes on), the signal at the moment the
 *           data comes (either outcome, nothing lost or doubled), or the
 *           signal as the call starts while it need not wait (data there,
 *           room there, lock free, a writer there, O_NONBLOCK: Linux never
 *           says EINTR then).  Then a storm: ROUNDS times thirteen calls
 *           that never wait (the above; also F_SETLKW F_UNLCK, flock of a
 *           free file, 0-byte reads and writes of an empty or full pipe)
 *           while the main thread signals the reader back to back (none may
 *           fail).  Then ROUNDS/20 children parked in
 *           a read: stopped and continued (the read goes on), killed by
 *           SIGTERM or SIGKILL, sent a default-ignored SIGWINCH, or ended by
 *           another thread's exit_group or execve.  The lock file and the
 *           FIFO are made in DIR.
 * redo      A signalfd's read is served at a ptrace stop that uos makes with a
 *           real-time signal of its own (it must stay invisible).  Every
 *           catchable signal has a counting handler.  All threads block
 *           SIGUSR1, SIGUSR2 and signal 50; each round the main thread sends a
 *           batch of them (kill, tgkill, sigqueue, rt_tgsigqueueinfo, with
 *           values) before or while a reader thread reads them from a
 *           signalfd (blocking or not, read or readv, room for 1 to 4
 *           records) with one of several masks (up to every signal), while a
 *           third thread sends the reader SIGALRM, SIGVTALRM, 34, 63 and 64
 *           (handlers with and without SA_RESTART; 63 and 64 are the ones uos
 *           would pick first).  Every record must come once, with its
 *           signo, code, pid, uid and value, queued ones in order (all of
 *           them in Linux's dequeue order when the batch was sent first);
 *           no handler may run for a signal the test did not send, nor more
 *           often than it was sent, nor with another siginfo.  A read may
 *           fail with EINTR only where Linux's may (it waited, and a handler
 *           without SA_RESTART ran): with every signal blocked too (uos
 *           then brings the reader to its stop with SIGSTOP, as script(1)
 *           needs).
 */
#include "sec.h"

#include <dirent.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/uio.h>

static volatile int stop;
static volatile long sigs;
static pid_t main_tid;

static void on_usr1(int sig)
{
	(void)sig;
	sigs++;
}

static void *signaller(void *arg)
{
	(void)arg;
	while (!stop)
		syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
	return NULL;
}

/* One round of every notified call, counting the ones that failed with EINTR. */
static int calls_once(void)
{
	struct stat st;
	char buf[256];
	int bad = 0, fd = open("/", O_RDONLY | O_DIRECTORY);

	errno = 0;
	bad += getppid() < 0 || getpid() < 0 || syscall(SYS_gettid) < 0 || getuid() == (uid_t)-1;
	bad += stat("/", &st) < 0 || lstat("/", &st) < 0 || fstatat(AT_FDCWD, "/", &st, 0) < 0;
	bad += fstat(fd, &st) < 0 || access("/", R_OK) < 0;
	bad += getcwd(buf, sizeof(buf)) == NULL || lseek(fd, 0, SEEK_SET) < 0;
	bad += syscall(SYS_getdents64, fd, buf, sizeof(buf)) < 0;
	bad += readlink("/proc/self/exe", buf, sizeof(buf)) < 0;
	if (errno && errno != EINTR)
		say("notify_race: a call failed with %s\n", strerror(errno));
	close(fd);
	return bad;
}

static int mode_signals(int rounds)
{
	struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART */
	pthread_t th;
	int bad = 0;

	sigaction(SIGUSR1, &sa, NULL);
	main_tid = (pid_t)syscall(SYS_gettid);
	pthread_create(&th, NULL, signaller, NULL);
	for (int i = 0; i < rounds; i++)
		bad += calls_once();
	stop = 1;
	pthread_join(th, NULL);
	if (sigs == 0)
		bad++; /* no signal came: the test tested nothing */
	return bad;
}

static char *path_buf;	 /* flipped between two paths */
static char *out_page;	 /* flipped between readable and PROT_NONE */

static void *flipper(void *arg)
{
	(void)arg;
	for (unsigned i = 0; !stop; i++) {
		strcpy(path_buf, i & 1 ? "a" : "bb/../b");
		mprotect(out_page, 4096, i & 2 ? PROT_NONE : PROT_READ | PROT_WRITE);
	}
	return NULL;
}

/* Copy n bytes from out_page, which the flipper may have made unreadable meanwhile. */
static void peek(int pfd[2], void *dst, size_t n)
{
	while (write(pfd[1], out_page, n) != (ssize_t)n)
		;
	(void)!read(pfd[0], dst, n);
}

static int mode_pointers(int rounds)
{
	struct stat a, b, got;
	char link[64];
	pthread_t th;
	int bad = 0, pfd[2];

	close(open("a", O_CREAT | O_WRONLY, 0600));
	mkdir("bb", 0700);
	close(open("b", O_CREAT | O_WRONLY, 0600));
	symlink("/tmp/a", "l");
	if (stat("a", &a) < 0 || stat("b", &b) < 0 || pipe(pfd) < 0)
		return 1;
	path_buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(path_buf, "a");
	pthread_create(&th, NULL, flipper, NULL);
	for (int i = 0; i < rounds; i++) {
		long r = syscall(SYS_newfstatat, AT_FDCWD, path_buf, out_page, 0);
		if (r == 0)
			peek(pfd, &got, sizeof(got));
		if (r == 0 && got.st_ino != a.st_ino && got.st_ino != b.st_ino)
			bad++;
		if (r < 0 && errno != EFAULT && errno != ENOENT)
			bad++;
		r = syscall(SYS_readlink, "l", out_page, sizeof(link));
		if (r == 6)
			peek(pfd, link, 6);
		if ((r >= 0 && (r != 6 || memcmp(link, "/tmp/a", 6))) || (r < 0 && errno != EFAULT))
			bad++;
	}
	stop = 1;
	pthread_join(th, NULL);
	return bad;
}

static void *spin_calls(void *arg)
{
	(void)arg;
	for (;;)
		calls_once();
	return NULL;
}

/* A child whose threads spin in notified calls until one of them ends it all. */
static _Noreturn void dying_child(int round, const char *self)
{
	pthread_t th;
	for (int i = 0; i < 3; i++)
		pthread_create(&th, NULL, spin_calls, NULL);
	for (int i = 0; i < round % 7; i++)
		calls_once();
	if (round % 2) {
		char *argv[] = {(char *)self, "exit", NULL};
		execv(self, argv);
		_exit(3);
	}
	syscall(SYS_exit_group, 0);
	_exit(4);
}

static int mode_dying(int rounds, const char *self)
{
	int bad = 0;
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		int st;
		if (pid == 0)
			dying_child(i, self);
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	return bad;
}

static int mode_listener(void)
{
	struct sock_filter f = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	struct sock_fprog prog = {.len = 1, .filter = &f};
	struct seccomp_notif req;
	unsigned long long id = 0;
	int bad = 0;

	for (int fd = 0; fd <= 1100; fd++) {
		memset(&req, 0, sizeof(req));
		bad += ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0;
		bad += ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (r >= 0)
		say("notify_race: the guest has a listener of its own: fd %ld\n", r);
	bad += r >= 0;
	bad += prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
	return bad;
}

/* ------------------------------------------------ shared by parked and redo */

#define SECOND 1000000000LL
/* The sival_int of a queued signal the test sends to a handler: MAGIC + signo. */
#define MAGIC 0x5eed0000

static pid_t my_pid;
static uid_t my_uid;
static int got[65];  /* handler runs, per signal */
static int sent[65]; /* signals the test sent to a handler, per signal */
static int bad_info; /* handler runs with a siginfo the test never made */
static int bad_info_sig, bad_info_code, bad_info_pid, bad_info_per[65];
static int verbose;
static const char *cur_mode;
static int says; /* lines about bad things: the first 8 only (the log shows 2000 bytes) */
#define report(...)                                                                                \
	do {                                                                                       \
		if (__atomic_add_fetch(&says, 1, __ATOMIC_SEQ_CST) <= 8)                          \
			say(__VA_ARGS__);                                                          \
	} while (0)

static int ld(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void add(int *p, int v)
{
	__atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

static void nap(long ns)
{
	struct timespec ts = {0, ns};
	nanosleep(&ts, NULL);
}

static void post(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, p, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Wait until *p == v (a post), at most ns nanoseconds (ns < 0: for ever).  0, or -1 on time-out. */
static int wait_eq(int *p, int v, long long ns)
{
	long long end = sec_now_ns() + ns;
	for (;;) {
		int cur = ld(p);
		if (cur == v)
			return 0;
		if (ns >= 0 && sec_now_ns() > end)
			return -1;
		struct timespec ts = {0, 20000000}; /* look again every 20 ms at least */
		syscall(SYS_futex, p, FUTEX_WAIT_PRIVATE, cur, &ts, NULL, 0);
	}
}

/* Wait until the count *p (raised by handlers) reaches v, at most ns.  0, or -1. */
static int wait_ge(const int *p, int v, long long ns)
{
	long long end = sec_now_ns() + ns;
	while (ld(p) < v) {
		if (sec_now_ns() > end)
			return -1;
		nap(20000);
	}
	return 0;
}

/*
 * Every handler: counts, and checks the siginfo is one the test made: sent
 * by this process, by tgkill/kill, or queued with MAGIC + signo.
 */
static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	add(&got[sig], 1);
	bool ok = si->si_pid == my_pid && si->si_uid == my_uid &&
		  (si->si_code == SI_TKILL || si->si_code == SI_USER ||
		   (si->si_code == SI_QUEUE && si->si_value.sival_int == MAGIC + sig));
	if (!ok) {
		bad_info_sig = sig, bad_info_code = si->si_code, bad_info_pid = si->si_pid;
		add(&bad_info, 1);
		add(&bad_info_per[sig], 1);
	}
}

static void install(int sig, int flags, bool full_mask)
{
	struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO | flags};
	sigemptyset(&sa.sa_mask);
	if (full_mask)
		sigfillset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/*
 * A counting handler (SA_RESTART) for every catchable signal glibc leaves
 * to programs (not 32 and 33), but those in skip[]: the test never sends
 * these, so any run of one is bad.  The faults' handlers reset themselves:
 * a real fault kills the process the second time.
 */
static void install_all(const int *skip, int nskip)
{
	for (int sig = 1; sig <= 64; sig++) {
		bool skipped = sig == SIGKILL || sig == SIGSTOP || sig == 32 || sig == 33;
		for (int i = 0; i < nskip; i++)
			skipped |= skip[i] == sig;
		if (skipped)
			continue;
		bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
			     sig == SIGTRAP || sig == SIGSYS;
		install(sig, fault ? SA_RESETHAND : SA_RESTART, false);
	}
}

/*
 * After the last signal: wait (2 s at most) for every queued one's handler,
 * then count the signals whose handler ran more often than they were sent
 * (or, real-time ones and with exact_std every one, not as often), and the
 * runs with a foreign siginfo.
 */
static int count_handler_runs(const char *mode, bool exact_std)
{
	int bad = 0;
	for (int sig = 1; sig <= 64; sig++)
		if (sig >= 34 || exact_std)
			wait_ge(&got[sig], ld(&sent[sig]), 2 * SECOND);
	for (int sig = 1; sig <= 64; sig++) {
		int g = ld(&got[sig]), s = ld(&sent[sig]);
		if (g > s || ((sig >= 34 || exact_std) && g != s) || (s > 0 && g == 0)) {
			say("notify_race: %s: the handler of signal %d ran %d times, the test sent "
			    "it %d times\n",
			    mode, sig, g, s);
			bad++;
		}
	}
	if (ld(&bad_info)) {
		say("notify_race: %s: %d handler runs with a siginfo the test never made (last: "
		    "signal %d, code %d, pid %d; this pid %d)\n",
		    mode, ld(&bad_info), bad_info_sig, bad_info_code, bad_info_pid, my_pid);
		for (int sig = 1; sig <= 64; sig++)
			if (ld(&bad_info_per[sig]))
				say("notify_race: %s: signal %d: %d of them\n", mode, sig,
				    ld(&bad_info_per[sig]));
		bad++;
	}
	return bad;
}

/* A mode that runs 50 s has gone wrong (most waits are bounded by 5 s each, not the sum). */
static void *watchdog(void *arg)
{
	(void)arg;
	struct timespec ts = {50, 0};
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
	say("notify_race: %s: out of time, 1 bad (at least)\n", cur_mode);
	_exit(1);
}

static void start_watchdog(const char *mode)
{
	pthread_t th;
	cur_mode = mode;
	pthread_create(&th, NULL, watchdog, NULL);
}

/* The state letter of thread tid in /proc (S: it sleeps). */
static char thread_state(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : '?';
}

/* ------------------------------------------------------------------- parked */

enum {
	OP_READ,
	OP_READV,
	OP_READ_NB,
	OP_WRITE_FULL,
	OP_WRITE_BIG,
	OP_WRITE_PART,
	OP_WRITEV,
	OP_LOCK,
	OP_FIFO,
	N_OPS,
	OP_STORM = N_OPS
};
enum { K_RESTART, K_INTR, K_IGN, K_BLOCKED, K_RACE, K_READY, N_KINDS };
static const char *const op_names[] = {"read",	     "readv",	   "read-nonblock",
				       "write-full", "write-big",  "write-partial",
				       "writev",     "fcntl-lock", "fifo-open"};
static const char *const kind_names[] = {"restart", "intr", "ignored", "blocked", "race", "ready"};

#define SIG_RESTART SIGUSR1 /* handler with SA_RESTART */
#define SIG_INTR SIGUSR2    /* handler without */
#define SIG_BLOCKED 36	    /* handler without; the reader blocks it around its call */
#define SIG_FENCE 37	    /* handler with SA_RESTART: the reader took a signal */

struct pcmd {
	int op, kind;
	int fd;	    /* the pipe end or the lock file */
	size_t len; /* bytes to write */
	bool ofd;   /* fcntl-lock: an open file description lock */
	bool quit;
};
static struct pcmd pc;
static int pc_seq, pc_entered, pc_done; /* posted: the command, the call about to start, its end */
static long pr_ret;
static int pr_err, pr_blocked_bad;
static unsigned char pr_buf[512];	/* what the reader read */
static unsigned char pw_buf[3 * 65536]; /* what it writes */
static pthread_t p_thread;
/* The storm: calls that need not wait, each a signal may not end with EINTR. */
enum { ST_READ, ST_WRITE, ST_READV, ST_WRITEV, ST_LOCK, ST_UNLOCK, ST_OFD_LOCK, ST_FLOCK,
       ST_FUNLOCK, ST_NONBLOCK, ST_READ0, ST_WRITE0, ST_FIFO, N_ST };
static const char *const st_names[] = {"read of a pipe holding data",
				       "write to a pipe with room",
				       "readv of a pipe holding data",
				       "writev to a pipe with room",
				       "F_SETLKW of a free lock",
				       "F_SETLKW F_UNLCK",
				       "F_OFD_SETLKW of a free lock",
				       "flock LOCK_EX of a free file",
				       "flock LOCK_UN",
				       "O_NONBLOCK read of an empty pipe",
				       "0-byte read of an empty pipe",
				       "0-byte write to a full pipe",
				       "open of a FIFO with a writer"};
/* Pipes: holding data (64 bytes: spares), empty and O_NONBLOCK, empty, full; a file to flock. */
static int st_pd[2], st_pn[2], st_pe[2], st_pf[2], st_flock, st_bad[N_ST], st_intr[N_ST];
static pid_t p_tid;
static const char *fifo_path;
static size_t cap; /* a pipe's capacity (F_SETPIPE_SZ to a page, where it works) */
/* Per op and kind: rounds and EINTRs (NOTIFY_RACE_VERBOSE), results Linux would not give. */
static int p_rounds[9][6], p_intr[9][6], p_bad[9][6];

static void storm_one(int what, long r, int err, long want)
{
	if (r == want)
		return;
	st_bad[what]++;
	st_intr[what] += r == -1 && err == EINTR;
}

/* c->len rounds of the calls of the storm; the main thread signals meanwhile. */
static long storm(const struct pcmd *c)
{
	char ch;
	struct iovec iov = {&ch, 1};
	for (size_t i = 0; i < c->len; i++) {
		long r = read(st_pd[0], &ch, 1);
		storm_one(ST_READ, r, errno, 1);
		r = write(st_pd[1], &ch, 1); /* put it back (too, when the read failed: a spare) */
		storm_one(ST_WRITE, r, errno, 1);
		r = readv(st_pd[0], &iov, 1);
		storm_one(ST_READV, r, errno, 1);
		r = writev(st_pd[1], &iov, 1);
		storm_one(ST_WRITEV, r, errno, 1);
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		r = fcntl(c->fd, F_SETLKW, &fl);
		storm_one(ST_LOCK, r, errno, 0);
		fl.l_type = F_UNLCK;
		r = fcntl(c->fd, F_SETLKW, &fl); /* an unlock never waits */
		storm_one(ST_UNLOCK, r, errno, 0);
		fl.l_type = F_WRLCK;
		r = fcntl(c->fd, F_OFD_SETLKW, &fl);
		storm_one(ST_OFD_LOCK, r, errno, 0);
		fl.l_type = F_UNLCK;
		fcntl(c->fd, F_OFD_SETLK, &fl);
		r = flock(st_flock, LOCK_EX);
		storm_one(ST_FLOCK, r, errno, 0);
		r = flock(st_flock, LOCK_UN);
		storm_one(ST_FUNLOCK, r, errno, 0);
		r = read(st_pn[0], &ch, 1);
		storm_one(ST_NONBLOCK, r < 0 && errno == EAGAIN ? 0 : r, errno, 0);
		r = read(st_pe[0], &ch, 0); /* 0 bytes: returns at once, data or not */
		storm_one(ST_READ0, r, errno, 0);
		r = write(st_pf[1], &ch, 0); /* and room or not */
		storm_one(ST_WRITE0, r, errno, 0);
		r = open(fifo_path, O_RDONLY | O_CLOEXEC);
		storm_one(ST_FIFO, r >= 0 ? 0 : r, errno, 0);
		if (r >= 0)
			close((int)r);
	}
	return 0;
}

static long parked_call(const struct pcmd *c)
{
	long r = -1;
	switch (c->op) {
	case OP_STORM:
		return storm(c);
	case OP_READ:
	case OP_READ_NB:
		return read(c->fd, pr_buf, sizeof(pr_buf));
	case OP_READV: {
		struct iovec iov[2] = {{pr_buf, 100}, {pr_buf + 100, sizeof(pr_buf) - 100}};
		return readv(c->fd, iov, 2);
	}
	case OP_WRITE_FULL:
	case OP_WRITE_BIG:
	case OP_WRITE_PART:
		return write(c->fd, pw_buf, c->len);
	case OP_WRITEV: {
		size_t a = c->len / 6, b = c->len / 3;
		struct iovec iov[3] = {
		    {pw_buf, a}, {pw_buf + a, b}, {pw_buf + a + b, c->len - a - b}};
		return writev(c->fd, iov, 3);
	}
	case OP_LOCK: {
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		r = fcntl(c->fd, c->ofd ? F_OFD_SETLKW : F_SETLKW, &fl);
		int err = errno;
		fl.l_type = F_UNLCK;
		if (r == 0)
			fcntl(c->fd, c->ofd ? F_OFD_SETLK : F_SETLK, &fl);
		errno = err;
		return r;
	}
	case OP_FIFO:
		r = open(fifo_path, O_RDONLY | O_CLOEXEC);
		if (r >= 0)
			close((int)r);
		return r;
	}
	return r;
}

/* The reader thread: one waiting call per command. */
static void *parked_reader(void *arg)
{
	sigset_t b;
	(void)arg;
	sigemptyset(&b);
	sigaddset(&b, SIG_BLOCKED);
	post(&p_tid, (int)syscall(SYS_gettid));
	for (int seq = 1;; seq++) {
		wait_eq(&pc_seq, seq, -1);
		struct pcmd c = pc;
		if (c.quit)
			return NULL;
		if (c.kind == K_BLOCKED)
			pthread_sigmask(SIG_BLOCK, &b, NULL);
		post(&pc_entered, seq);
		long r = parked_call(&c);
		int err = errno;
		if (c.kind == K_BLOCKED) {
			/* The main thread sent it: the handler runs as the mask call returns. */
			int before = ld(&got[SIG_BLOCKED]);
			pthread_sigmask(SIG_UNBLOCK, &b, NULL);
			pr_blocked_bad = ld(&got[SIG_BLOCKED]) != before + 1;
		}
		pr_ret = r, pr_err = err;
		post(&pc_done, seq);
	}
}

static void p_send(int sig)
{
	add(&sent[sig], 1);
	pthread_kill(p_thread, sig);
}

/* Send sig (a handler's) and wait for its run.  0, or -1 when it did not run in 5 s. */
static int p_send_wait(int sig)
{
	p_send(sig);
	return wait_ge(&got[sig], ld(&sent[sig]), 5 * SECOND);
}

/* The lock child: takes ('L') and drops ('U') a lock on the file when told. */
static int lk_cmd = -1, lk_reply = -1;
static pid_t lk_pid;

static int lock_child_start(const char *path)
{
	int c[2], r[2];
	if (pipe2(c, O_CLOEXEC) < 0 || pipe2(r, O_CLOEXEC) < 0)
		return -1;
	lk_pid = fork();
	if (lk_pid < 0)
		return -1;
	if (lk_pid == 0) {
		int fd = open(path, O_RDWR | O_CLOEXEC);
		char ch;
		close(c[1]);
		close(r[0]);
		while (read(c[0], &ch, 1) == 1) {
			struct flock fl = {.l_type = ch == 'L' ? F_WRLCK : F_UNLCK,
					   .l_whence = SEEK_SET};
			char rep = fcntl(fd, F_SETLK, &fl) == 0 ? ch : 'e';
			if (write(r[1], &rep, 1) != 1)
				break;
		}
		_exit(0);
	}
	close(c[0]);
	close(r[1]);
	lk_cmd = c[1], lk_reply = r[0];
	return 0;
}

static int lock_wait(char ch)
{
	struct pollfd p = {.fd = lk_reply, .events = POLLIN};
	char rep = 0;
	if (poll(&p, 1, 5000) != 1 || read(lk_reply, &rep, 1) != 1 || rep != ch) {
		report("notify_race: parked: the lock child did not answer '%c' (got '%c')\n", ch,
		       rep);
		return -1;
	}
	return 0;
}

static int lock_child(char ch)
{
	if (write(lk_cmd, &ch, 1) != 1)
		return -1;
	return lock_wait(ch);
}

static unsigned char read_pat(int round, size_t k)
{
	return (unsigned char)(k * 13 + (size_t)round);
}

static unsigned char write_pat(int round, size_t k)
{
	return (unsigned char)(k * 31 + (size_t)round * 7 + 1);
}

/* Wait (5 s at most) until the reader sleeps in call seq (a partial write: cap bytes written). */
static int wait_asleep(int seq, int op, int rfd)
{
	long long end = sec_now_ns() + 5 * SECOND;
	if (wait_eq(&pc_entered, seq, 5 * SECOND) < 0)
		return -1;
	while (sec_now_ns() < end) {
		int n = 0;
		bool partial = op == OP_WRITE_PART || op == OP_WRITEV;
		if (thread_state(p_tid) == 'S' &&
		    (!partial || (ioctl(rfd, FIONREAD, &n) == 0 && (size_t)n == cap)))
			return 0;
		nap(20000);
	}
	return -1;
}

/* The pipe's reading side while the reader writes: what came so far, checked. */
struct drain {
	int round;
	size_t prefill, got; /* prefill bytes 0xaa, then write_pat */
	bool wrong;
};

/* Read what is in the pipe (its read end does not block); -1 when nothing was. */
static int drain_once(int rfd, struct drain *d)
{
	static unsigned char buf[65536];
	ssize_t n = read(rfd, buf, sizeof(buf));
	if (n <= 0)
		return -1;
	for (ssize_t k = 0; k < n; k++, d->got++) {
		unsigned char want =
		    d->got < d->prefill ? 0xaa : write_pat(d->round, d->got - d->prefill);
		d->wrong |= buf[k] != want;
	}
	return 0;
}

/* Drain until the reader's call seq ended and the pipe is empty.  0, or -1 after 5 s. */
static int drain_until_done(int rfd, struct drain *d, int seq)
{
	long long end = sec_now_ns() + 5 * SECOND;
	for (;;) {
		bool done = ld(&pc_done) == seq;
		if (drain_once(rfd, d) == 0)
			continue;
		if (done)
			return 0;
		if (sec_now_ns() > end)
			return -1;
		nap(20000);
	}
}

/* Open the FIFO for writing once the reader waits in its open: the fd, or -1 (it ended; 5 s). */
static int fifo_writer(int seq)
{
	long long end = sec_now_ns() + 5 * SECOND;
	for (;;) {
		int fd = open(fifo_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 || errno != ENXIO || ld(&pc_done) == seq || sec_now_ns() > end)
			return fd;
		nap(20000);
	}
}

struct pround {
	int round, seq, op, kind;
	int p[2];	/* the pipe */
	int wfd;	/* the FIFO's writer */
	size_t len;	/* bytes the main thread writes, or the reader */
	struct drain d; /* write ops: what came out of the pipe */
	bool released;
};

/* Let the reader's call finish: the data, room in the pipe, the lock, a writer. */
static void release(struct pround *r)
{
	r->released = true;
	switch (r->op) {
	case OP_READ:
	case OP_READV:
	case OP_READ_NB:
		if (write(r->p[1], pw_buf, r->len) != (ssize_t)r->len)
			report("notify_race: parked: round %d: the main thread's write failed\n",
			       r->round);
		break;
	case OP_WRITE_FULL:
	case OP_WRITE_BIG:
	case OP_WRITE_PART:
	case OP_WRITEV:
		drain_once(r->p[0], &r->d);
		break;
	case OP_LOCK:
		if (write(lk_cmd, "U", 1) != 1)
			report("notify_race: parked: the lock child is gone\n");
		break;
	case OP_FIFO:
		if (r->wfd < 0)
			r->wfd = fifo_writer(r->seq);
		break;
	}
}

/* After release: what else it takes (draining the pipe, the lock child's answer). */
static int release_finish(struct pround *r)
{
	if (!r->released)
		return 0;
	switch (r->op) {
	case OP_WRITE_FULL:
	case OP_WRITE_BIG:
	case OP_WRITE_PART:
	case OP_WRITEV:
		return drain_until_done(r->p[0], &r->d, r->seq);
	case OP_LOCK:
		return lock_wait('U');
	}
	return 0;
}

/* Whether the reader's result is one Linux could give for this round. */
static bool parked_result_ok(struct pround *r, long ret, int err)
{
	bool intr = ret == -1 && err == EINTR;
	size_t w = ret > 0 ? (size_t)ret : 0;
	int k = r->kind;
	bool goes_on = k == K_RESTART || k == K_IGN || k == K_BLOCKED || k == K_READY;

	switch (r->op) {
	case OP_READ:
	case OP_READV:
		if (ret == (long)r->len && !memcmp(pr_buf, pw_buf, r->len))
			return k != K_INTR;
		return intr && (k == K_INTR || k == K_RACE);
	case OP_READ_NB:
		if (k == K_READY)
			return ret == (long)r->len && !memcmp(pr_buf, pw_buf, r->len);
		return ret == -1 && err == EAGAIN;
	case OP_WRITE_FULL: /* 100 bytes to a full pipe (to an empty one: ready) */
		if (ret == 100)
			return k != K_INTR;
		return intr && (k == K_INTR || k == K_RACE);
	case OP_WRITE_BIG:	  /* 3 * cap bytes to a full pipe (to an empty one: ready) */
		if (k == K_READY) /* the signal ends it between two parts at most */
			return ret >= 1 && w <= 3 * cap;
		if (ret == (long)(3 * cap))
			return k != K_INTR;
		return (intr && (k == K_INTR || k == K_RACE)) ||
		       (k == K_RACE && ret > 0 && w < 3 * cap);
	case OP_WRITE_PART: /* 3 * cap bytes to an empty pipe: cap written, then it waits */
	case OP_WRITEV:
		if (k == K_READY)
			return ret >= 1 && w <= 3 * cap;
		if (k == K_RESTART || k == K_INTR) /* even with SA_RESTART: the partial count */
			return ret == (long)cap;
		if (goes_on)
			return ret == (long)(3 * cap);
		return ret >= (long)cap && w <= 3 * cap;
	case OP_LOCK:
	case OP_FIFO:
		if (ret >= 0)
			return k != K_INTR;
		return intr && (k == K_INTR || k == K_RACE);
	}
	return false;
}

/* Set up round r: the pipe and what it holds, the lock, the FIFO's writer. */
static int parked_setup(struct pround *r, struct pcmd *c, int lock_fd, uint64_t *rng)
{
	bool ready = r->kind == K_READY;
	switch (r->op) {
	case OP_READ:
	case OP_READV:
	case OP_READ_NB:
		if (pipe2(r->p, O_CLOEXEC) < 0)
			return -1;
		if (r->op == OP_READ_NB)
			fcntl(r->p[0], F_SETFL, O_NONBLOCK);
		r->len = 1 + sec_rand(rng) % sizeof(pr_buf);
		for (size_t k = 0; k < r->len; k++)
			pw_buf[k] = read_pat(r->round, k);
		if (ready && write(r->p[1], pw_buf, r->len) != (ssize_t)r->len)
			return -1;
		c->fd = r->p[0];
		break;
	case OP_WRITE_FULL:
	case OP_WRITE_BIG:
	case OP_WRITE_PART:
	case OP_WRITEV: {
		static unsigned char fill[65536];
		if (pipe2(r->p, O_CLOEXEC) < 0)
			return -1;
		fcntl(r->p[1], F_SETPIPE_SZ, 4096);
		fcntl(r->p[0], F_SETFL, O_NONBLOCK);
		r->d = (struct drain){.round = r->round};
		if (!ready && (r->op == OP_WRITE_FULL || r->op == OP_WRITE_BIG)) {
			memset(fill, 0xaa, cap);
			if (write(r->p[1], fill, cap) != (ssize_t)cap)
				return -1;
			r->d.prefill = cap;
		}
		r->len = r->op == OP_WRITE_FULL ? 100 : 3 * cap;
		for (size_t k = 0; k < r->len; k++)
			pw_buf[k] = write_pat(r->round, k);
		c->fd = r->p[1];
		c->len = r->len;
		break;
	}
	case OP_LOCK:
		c->fd = lock_fd;
		c->ofd = sec_rand(rng) & 1;
		if (!ready && lock_child('L') < 0)
			return -1;
		break;
	case OP_FIFO:
		if (ready && (r->wfd = open(fifo_path, O_RDWR | O_CLOEXEC)) < 0)
			return -1;
		break;
	}
	return 0;
}

static int parked_round(int round, int lock_fd, uint64_t *rng)
{
	struct pround r = {.round = round, .seq = round + 1, .p = {-1, -1}, .wfd = -1};
	struct pcmd c = {.fd = -1};
	int bad = 0;

	r.op = c.op = (int)(sec_rand(rng) % N_OPS);
	r.kind = c.kind = (int)(sec_rand(rng) % N_KINDS);
	if (r.op == OP_READ_NB && r.kind != K_READY)
		r.kind = c.kind = K_RACE; /* it never waits: data there (ready) or not (EAGAIN) */
	if (parked_setup(&r, &c, lock_fd, rng) < 0) {
		report("notify_race: parked: round %d: setting up %s failed: %s\n", round,
		       op_names[r.op], strerror(errno));
		return 1;
	}
	pc = c;
	post(&pc_seq, r.seq);

	bool partial = r.op == OP_WRITE_PART || r.op == OP_WRITEV;
	if (r.kind == K_READY || r.op == OP_READ_NB) {
		/* It need not wait: a signal as it starts must not end it with EINTR. */
		sec_spin_ns((long long)(sec_rand(rng) % 40000));
		p_send(SIG_INTR);
		if (r.op >= OP_WRITE_FULL && r.op <= OP_WRITEV)
			release(&r), release_finish(&r); /* a big write needs the pipe drained */
	} else {
		if (wait_asleep(r.seq, r.op, r.p[0]) < 0) {
			report("notify_race: parked: round %d %s: the reader never slept in its "
			       "call\n",
			       round, op_names[r.op]);
			bad++;
		}
		switch (r.kind) {
		case K_RESTART: {
			int n = partial ? 1 : 1 + (int)(sec_rand(rng) % 3);
			for (int i = 0; i < n; i++)
				if (p_send_wait(SIG_RESTART) < 0) {
					report("notify_race: parked: round %d: the SA_RESTART "
					       "handler did not run\n",
					       round);
					bad++;
				}
			break;
		}
		case K_INTR:
			p_send(SIG_INTR);
			if (wait_eq(&pc_done, r.seq, 5 * SECOND) < 0) {
				report("notify_race: parked: round %d %s: a signal without "
				       "SA_RESTART did not end the call\n",
				       round, op_names[r.op]);
				bad++;
			}
			break;
		case K_IGN:
		case K_BLOCKED:
			if (r.kind == K_IGN)
				pthread_kill(p_thread, sec_rand(rng) & 1 ? SIGPWR : SIGURG);
			else
				p_send(SIG_BLOCKED);
			nap(300000);
			/* A partial write ends at any handler's signal: only the nap then. */
			if (!partial && p_send_wait(SIG_FENCE) < 0) {
				report("notify_race: parked: round %d: the SA_RESTART handler did "
				       "not run\n",
				       round);
				bad++;
			}
			break;
		case K_RACE: {
			long long gap = (long long)(sec_rand(rng) % 30000);
			if (sec_rand(rng) & 1) {
				release(&r);
				sec_spin_ns(gap);
				p_send(SIG_INTR);
			} else {
				p_send(SIG_INTR);
				sec_spin_ns(gap);
				release(&r);
			}
			break;
		}
		}
		if ((r.kind == K_RESTART && !partial) || r.kind == K_IGN || r.kind == K_BLOCKED) {
			if (ld(&pc_done) == r.seq) {
				report("notify_race: parked: round %d %s/%s: the call ended before "
				       "its data: %ld (%s)\n",
				       round, op_names[r.op], kind_names[r.kind], pr_ret,
				       strerror(pr_err));
				bad++;
			}
		}
		if (r.kind != K_RACE && r.kind != K_INTR && !(r.kind == K_RESTART && partial))
			release(&r);
		release_finish(&r);
	}
	if (wait_eq(&pc_done, r.seq, 5 * SECOND) < 0) {
		report("notify_race: parked: round %d %s/%s: the call does not end\n", round,
		       op_names[r.op], kind_names[r.kind]);
		bad++;
		release(&r); /* once more, in case the signal was lost */
		if (wait_eq(&pc_done, r.seq, 5 * SECOND) < 0) {
			say("notify_race: parked: %d rounds, %d bad (stuck)\n", round + 1, bad);
			_exit(1);
		}
	}
	long ret = pr_ret;
	int err = pr_err;
	if (r.op == OP_LOCK && r.kind != K_READY && !r.released) {
		release(&r); /* the child still holds its lock */
		bad += release_finish(&r) < 0;
	}
	if (r.op >= OP_WRITE_FULL && r.op <= OP_WRITEV) {
		drain_until_done(r.p[0], &r.d, r.seq);
		size_t w = ret > 0 ? (size_t)ret : 0;
		if (r.d.wrong || r.d.got != r.d.prefill + w) {
			report("notify_race: parked: round %d %s/%s: the pipe gave %zu bytes%s, "
			       "want %zu + %zu\n",
			       round, op_names[r.op], kind_names[r.kind], r.d.got,
			       r.d.wrong ? " (wrong ones)" : "", r.d.prefill, w);
			bad++;
		}
	}
	if (r.op == OP_READ || r.op == OP_READV || r.op == OP_READ_NB) {
		/* Nothing lost nor doubled: what the reader did not take is still in the pipe. */
		static unsigned char left[1024];
		fcntl(r.p[0], F_SETFL, O_NONBLOCK);
		ssize_t n = read(r.p[0], left, sizeof(left));
		size_t want = ret > 0 || r.kind == K_INTR ? 0 : r.len;
		if (r.op == OP_READ_NB && r.kind != K_READY)
			want = 0;
		if ((n < 0 ? 0 : (size_t)n) != want || (n > 0 && memcmp(left, pw_buf, (size_t)n))) {
			report("notify_race: parked: round %d %s/%s: %zd bytes left in the pipe, "
			       "want %zu\n",
			       round, op_names[r.op], kind_names[r.kind], n, want);
			bad++;
		}
	}
	p_rounds[r.op][r.kind]++;
	p_intr[r.op][r.kind] += ret == -1 && err == EINTR;
	p_bad[r.op][r.kind] += !parked_result_ok(&r, ret, err);
	if (!parked_result_ok(&r, ret, err)) {
		report("notify_race: parked: round %d %s/%s: the call returned %ld (%s), len %zu, "
		       "cap %zu\n",
		       round, op_names[r.op], kind_names[r.kind], ret,
		       ret < 0 ? strerror(err) : "OK", r.len, cap);
		bad++;
	}
	if (r.kind == K_BLOCKED && pr_blocked_bad) {
		report("notify_race: parked: round %d %s: the blocked signal's handler did not run "
		       "once at its unblocking\n",
		       round, op_names[r.op]);
		bad++;
	}
	for (int i = 0; i < 2; i++)
		if (r.p[i] >= 0)
			close(r.p[i]);
	if (r.wfd >= 0)
		close(r.wfd);
	/* Every signal sent so far has run its handler (once) before the next round. */
	const int used[] = {SIG_RESTART, SIG_INTR, SIG_BLOCKED, SIG_FENCE};
	for (int i = 0; i < 4; i++)
		wait_ge(&got[used[i]], ld(&sent[used[i]]), 2 * SECOND);
	return bad;
}

/*
 * The storm: the reader makes calls that find what they need (data, room,
 * a free lock, a writer; or O_NONBLOCK) while the main thread signals it
 * (SIG_INTR, no SA_RESTART) one signal after the other.  On Linux none
 * waits, so none ends with EINTR, whenever the signal comes.
 */
static int parked_storm(int rounds, int lock_fd, int seq)
{
	int bad = 0, signals = 0, wfd = open(fifo_path, O_RDWR | O_CLOEXEC);
	if (wfd < 0 || pipe2(st_pd, O_CLOEXEC) < 0 || pipe2(st_pn, O_NONBLOCK | O_CLOEXEC) < 0 ||
	    pipe2(st_pe, O_CLOEXEC) < 0 || pipe2(st_pf, O_NONBLOCK | O_CLOEXEC) < 0 ||
	    write(st_pd[1], pw_buf, 64) != 64 || st_flock < 0) {
		report("notify_race: parked: setting up the storm failed: %s\n", strerror(errno));
		return 1;
	}
	fcntl(st_pf[1], F_SETPIPE_SZ, 4096);
	while (write(st_pf[1], pw_buf, 4096) > 0) /* full */
		;
	fcntl(st_pf[1], F_SETFL, 0);
	pc = (struct pcmd){.op = OP_STORM, .kind = K_READY, .fd = lock_fd, .len = (size_t)rounds};
	post(&pc_seq, seq);
	long long end = sec_now_ns() + 60 * SECOND;
	while (ld(&pc_done) != seq && sec_now_ns() < end) {
		if (p_send_wait(SIG_INTR) < 0)
			bad++;
		signals++;
	}
	if (wait_eq(&pc_done, seq, 5 * SECOND) < 0) {
		say("notify_race: parked: %d rounds, %d bad (stuck in the storm)\n", rounds,
		    bad + 1);
		_exit(1);
	}
	for (int i = 0; i < N_ST; i++) {
		if (st_bad[i])
			say("notify_race: parked: storm (%d signals): %d of %d calls %s failed, %d "
			    "with EINTR\n",
			    signals, st_bad[i], rounds, st_names[i], st_intr[i]);
		bad += st_bad[i];
	}
	if (verbose)
		fprintf(stderr, "notify_race: parked: storm: %d rounds of %d calls, %d signals\n",
			rounds, N_ST + 6, signals);
	close(wfd);
	for (int i = 0; i < 2; i++)
		close(st_pd[i]), close(st_pn[i]), close(st_pe[i]), close(st_pf[i]);
	return bad;
}

/*
 * Children parked in a read of an empty pipe (or one thread of theirs) and
 * then stopped and continued (the read goes on: it returns the data written
 * after SIGCONT), killed by a signal without a handler (SIGTERM, SIGKILL),
 * sent a default-ignored SIGWINCH (the read goes on), or ended by another
 * thread's exit_group or execve.  Each must end as natively.
 */
enum { C_STOPCONT, C_TERM, C_KILL, C_WINCH, C_EXIT_GROUP, C_EXEC, N_C };
static const char *const c_names[] = {"stop/cont", "SIGTERM",	 "SIGKILL",
				      "SIGWINCH",  "exit_group", "execve"};
static int c_fd, c_ready, c_entered;

static void *child_reader(void *arg)
{
	char buf[64];
	(void)arg;
	post(&c_entered, (int)syscall(SYS_gettid));
	(void)!read(c_fd, buf, sizeof(buf));
	return NULL;
}

static _Noreturn void parked_child_run(int v, const char *self)
{
	char buf[64];
	signal(SIGTERM, SIG_DFL);
	signal(SIGCONT, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	if (v == C_EXIT_GROUP || v == C_EXEC) {
		pthread_t th;
		pthread_create(&th, NULL, child_reader, NULL);
		long long end = sec_now_ns() + 5 * SECOND;
		while ((!ld(&c_entered) || thread_state(ld(&c_entered)) != 'S') &&
		       sec_now_ns() < end)
			nap(20000);
		if (v == C_EXEC) {
			char *argv[] = {(char *)self, "exit", NULL};
			execv(self, argv);
			_exit(3);
		}
		syscall(SYS_exit_group, 7);
	}
	(void)!write(c_ready, "r", 1); /* its handlers are the default ones now */
	ssize_t n = read(c_fd, buf, sizeof(buf));
	_exit(n == 5 && !memcmp(buf, "hello", 5) ? 0 : 1);
}

/* waitpid with options, 10 s at most (then SIGKILL): the pid, or -1. */
static pid_t wait_child(pid_t pid, int *st, int options)
{
	long long end = sec_now_ns() + 10 * SECOND;
	for (;;) {
		pid_t r = waitpid(pid, st, options | WNOHANG);
		if (r != 0)
			return r;
		if (sec_now_ns() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, st, 0);
			return -1;
		}
		nap(200000);
	}
}

static int parked_child(int i, const char *self)
{
	int v = i % N_C, p[2], r[2], st = 0, bad = 0;
	char path[64], state = '?';
	if (pipe2(p, O_CLOEXEC) < 0)
		return 1;
	if (pipe2(r, O_CLOEXEC) < 0)
		return 1;
	c_fd = p[0], c_ready = r[1];
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		close(r[0]);
		parked_child_run(v, self);
	}
	close(p[0]);
	close(r[1]);
	if (pid < 0) {
		close(p[1]);
		close(r[0]);
		return 1;
	}
	if (v < C_EXIT_GROUP) { /* until it is about to read, then sleeps in the read */
		long long end = sec_now_ns() + 5 * SECOND;
		struct pollfd pf = {.fd = r[0], .events = POLLIN};
		char ch;
		if (poll(&pf, 1, 5000) != 1 || read(r[0], &ch, 1) != 1)
			report("notify_race: parked: child %d: not ready\n", i);
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		while (sec_now_ns() < end) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			char buf[512];
			ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
			if (fd >= 0)
				close(fd);
			char *rp = n > 0 ? (buf[n] = 0, strrchr(buf, ')')) : NULL;
			state = rp && rp[1] == ' ' ? rp[2] : '?';
			if (state == 'S')
				break;
			nap(50000);
		}
	}
	bool ok = false;
	switch (v) {
	case C_STOPCONT:
		kill(pid, SIGSTOP);
		if (wait_child(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st) ||
		    WSTOPSIG(st) != SIGSTOP)
			break;
		kill(pid, SIGCONT);
		if (wait_child(pid, &st, WCONTINUED) != pid || !WIFCONTINUED(st))
			break;
		/* fall through */
	case C_WINCH:
		if (v == C_WINCH) {
			kill(pid, SIGWINCH);
			nap(300000);
		}
		if (write(p[1], "hello", 5) != 5)
			break;
		ok = wait_child(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		break;
	case C_TERM:
	case C_KILL:
		kill(pid, v == C_TERM ? SIGTERM : SIGKILL);
		ok = wait_child(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		     WTERMSIG(st) == (v == C_TERM ? SIGTERM : SIGKILL);
		break;
	case C_EXIT_GROUP:
	case C_EXEC:
		ok = wait_child(pid, &st, 0) == pid && WIFEXITED(st) &&
		     WEXITSTATUS(st) == (v == C_EXEC ? 0 : 7);
		break;
	}
	if (!ok) {
		report("notify_race: parked: child %d (%s, state %c before): wait status %#x\n", i,
		       c_names[v], state, st);
		bad++;
		kill(pid, SIGKILL);
		waitpid(pid, &st, WNOHANG);
	}
	close(p[1]);
	close(r[0]);
	return bad;
}

static int mode_parked(int rounds, const char *dir, const char *self)
{
	static char lock_path[4096], fifo[4096], flock_path[4096];
	const int skip[] = {SIG_RESTART, SIG_INTR, SIG_BLOCKED, SIG_FENCE, SIGPWR, SIGURG, SIGCHLD};
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	int bad = 0, p[2];

	start_watchdog("parked");
	install_all(skip, 7);
	install(SIG_RESTART, SA_RESTART, false);
	install(SIG_INTR, 0, false);
	install(SIG_BLOCKED, 0, false);
	install(SIG_FENCE, SA_RESTART, true);
	signal(SIGPWR, SIG_IGN);
	signal(SIGURG, SIG_DFL); /* ignored by default */

	snprintf(lock_path, sizeof(lock_path), "%s/parked.lock", dir);
	snprintf(fifo, sizeof(fifo), "%s/parked.fifo", dir);
	snprintf(flock_path, sizeof(flock_path), "%s/parked.flock", dir);
	st_flock = open(flock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	fifo_path = fifo;
	int lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd < 0 || (mkfifo(fifo, 0600) < 0 && errno != EEXIST) ||
	    lock_child_start(lock_path) < 0) {
		report("notify_race: parked: setting up failed: %s\n", strerror(errno));
		return 1;
	}
	/* The capacity: what a non-blocking pipe takes in pages (one, if F_SETPIPE_SZ works). */
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0)
		return 1;
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	for (ssize_t n; (n = write(p[1], pw_buf, 4096)) > 0;)
		cap += (size_t)n;
	close(p[0]);
	close(p[1]);
	if (cap == 0 || cap > 65536) {
		report("notify_race: parked: a pipe takes %zu bytes\n", cap);
		return 1;
	}

	pthread_create(&p_thread, NULL, parked_reader, NULL);
	while (!ld(&p_tid))
		nap(100000);
	for (int i = 0; i < rounds; i++)
		bad += parked_round(i, lock_fd, &rng);
	bad += parked_storm(rounds, lock_fd, rounds + 1);
	for (int i = 0; i < (rounds + 19) / 20; i++)
		bad += parked_child(i, self);
	pc = (struct pcmd){.quit = true};
	post(&pc_seq, rounds + 2);
	pthread_join(p_thread, NULL);
	close(lk_cmd);
	int st;
	if (waitpid(lk_pid, &st, 0) != lk_pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		report("notify_race: parked: the lock child did not exit 0\n");
		bad++;
	}
	char line[1024];
	int len = 0;
	for (int o = 0; o < N_OPS; o++)
		for (int k = 0; k < N_KINDS; k++)
			if (p_bad[o][k] && len < (int)sizeof(line) - 64)
				len += snprintf(line + len, sizeof(line) - (size_t)len, " %s/%s %d of %d;",
						op_names[o], kind_names[k], p_bad[o][k], p_rounds[o][k]);
	if (len)
		say("notify_race: parked: wrong results:%s\n", line);
	for (int o = 0; verbose && o < N_OPS; o++) {
		fprintf(stderr, "notify_race: parked: %-14s", op_names[o]);
		for (int k = 0; k < N_KINDS; k++)
			fprintf(stderr, " %s %d (%d EINTR)", kind_names[k], p_rounds[o][k],
				p_intr[o][k]);
		fprintf(stderr, "\n");
	}
	return bad + count_handler_runs("parked", true);
}

/* --------------------------------------------------------------------- redo */

#define RTQ 50 /* the real-time signal read through the signalfd */
/*
 * The interrupter's two standard signals, with and without SA_RESTART,
 * beside 34, 63 and 64.  One sent while the last was on its way to its
 * delivery stop once found no siginfo in uos's books (SI_KERNEL, no pid,
 * in about one handler run of 200: siginfo.c keeps the latest now).
 */
#define H_STD_RESTART SIGALRM
#define H_STD_NOINTR SIGVTALRM
static const int h_sigs[] = {H_STD_RESTART, H_STD_NOINTR, 34, 63, 64}; /* the interrupter's */
static const bool h_restart[] = {true, false, true, false, true};

enum { MV_F, MV_FH, MV_RT, MV_FILL, N_MV }; /* the reader's masks */
static const char *const mv_names[] = {"F", "F+handled", "F+all-RT", "all"};

struct rexp {
	int sig, code, val;
	bool thread; /* directed at the reader thread (its own queue), else at the process */
};
struct rcmd {
	bool pre;	  /* the batch is sent before the reader starts */
	bool nb;	  /* read the O_NONBLOCK signalfd */
	bool vec;	  /* readv */
	int mv, recs;	  /* mask, records the buffer holds */
	bool remask;	  /* the next mask after each read */
	int n;		  /* records to come */
	struct rexp e[8]; /* in the order sent */
	int order[8];	  /* pre: Linux's order of dequeueing them */
	bool quit;
};
static struct rcmd rc;
static int rc_seq, rc_entered, rc_done;
static int rd_bad, rd_reads, rd_eintr_handler;
/* For the summary: EINTRs by mask and O_NONBLOCK; records lost, foreign or doubled, out of
 * order, left over. */
static int rd_eintr_bad[4][2], rd_lost, rd_foreign, rd_order, rd_extra;
static int rd_tid;
static sigset_t masks[N_MV];
static int stop_in;

/* Which expected record s is: its index, -1 if none (foreign, doubled), -2 out of order. */
static int redo_match(const struct rcmd *c, const bool *matched, const struct signalfd_siginfo *s)
{
	if (s->ssi_pid != (uint32_t)my_pid || s->ssi_uid != my_uid)
		return -1;
	for (int j = 0; j < c->n; j++) {
		const struct rexp *e = &c->e[j];
		if (matched[j] || e->sig != (int)s->ssi_signo || e->code != s->ssi_code ||
		    (e->code == SI_QUEUE && e->val != s->ssi_int))
			continue;
		for (int k = 0; k < j; k++)
			if (!matched[k] && c->e[k].sig == e->sig && c->e[k].thread == e->thread)
				return -2;
		return j;
	}
	return -1;
}

static void redo_say_rec(int round, const char *what, const struct signalfd_siginfo *s)
{
	report("notify_race: redo: round %d: %s record: signo %u code %d pid %u uid %u int %d\n",
	       round, what, s->ssi_signo, s->ssi_code, s->ssi_pid, s->ssi_uid, s->ssi_int);
}

/* Read the batch c (round) from the signalfds.  The bad things seen. */
static int redo_read_batch(const struct rcmd *c, int sb, int snb, int round, int seq)
{
	struct signalfd_siginfo recs[5];
	bool matched[8] = {0};
	int nmatched = 0, bad = 0, mv = c->mv;
	long long end = sec_now_ns() + 5 * SECOND;

	pthread_sigmask(SIG_SETMASK, &masks[mv], NULL);
	post(&rc_entered, seq);
	while (nmatched < c->n) {
		if (sec_now_ns() > end) {
			report("notify_race: redo: round %d: %d of %d records never came (mask %s, %s)\n",
			       round, c->n - nmatched, c->n, mv_names[c->mv],
			       c->nb ? "nonblocking" : "blocking");
			add(&rd_lost, c->n - nmatched);
			return bad + 1;
		}
		size_t len = (size_t)c->recs * sizeof(recs[0]) + (c->recs > 1 ? 50 : 0);
		int intr_before = ld(&got[H_STD_NOINTR]) + ld(&got[63]);
		long r;
		if (c->vec) { /* split inside the first record */
			struct iovec iov[2] = {{recs, 64}, {(char *)recs + 64, len - 64}};
			r = readv(c->nb ? snb : sb, iov, 2);
		} else {
			r = read(c->nb ? snb : sb, recs, len);
		}
		int err = errno;
		add(&rd_reads, 1);
		if (r < 0 && err == EAGAIN && c->nb && !c->pre) {
			nap(20000);
			continue;
		}
		if (r < 0 && err == EINTR && !c->nb && !c->pre &&
		    ld(&got[H_STD_NOINTR]) + ld(&got[63]) != intr_before) {
			add(&rd_eintr_handler, 1); /* it waited; a handler without SA_RESTART ran */
			continue;
		}
		if (r < 0) {
			report("notify_race: redo: round %d: %s of the %s signalfd (mask %s, %s, %d of %d "
			       "read): %s\n",
			       round, c->vec ? "readv" : "read", c->nb ? "nonblocking" : "blocking",
			       mv_names[mv], c->pre ? "sent before" : "sent meanwhile", nmatched,
			       c->n, strerror(err));
			bad++;
			if (err == EINTR)
				add(&rd_eintr_bad[mv][c->nb], 1);
			if (err != EAGAIN && err != EINTR)
				return bad;
			/* (uos: blocking every real-time signal is enough for its EINTR) */
			if (mv != MV_F) {
				mv = MV_F;
				pthread_sigmask(SIG_SETMASK, &masks[mv], NULL);
			}
			continue;
		}
		int n = (int)(r / (long)sizeof(recs[0]));
		int want = c->n - nmatched < c->recs ? c->n - nmatched : c->recs;
		if (r % (long)sizeof(recs[0]) || n == 0 || n > c->recs || (c->pre && n != want)) {
			report("notify_race: redo: round %d: a read gave %ld bytes (room for %d records, "
			       "%d pending)\n",
			       round, r, c->recs, c->n - nmatched);
			bad++;
			if (r % (long)sizeof(recs[0]) || n == 0 || n > c->recs)
				return bad;
		}
		for (int i = 0; i < n; i++) {
			int j = redo_match(c, matched, &recs[i]);
			if (j < 0 || (c->pre && j != c->order[nmatched])) {
				redo_say_rec(round,
					     j == -2   ? "out-of-order"
					     : j == -1 ? "unexpected"
						       : "misordered",
					     &recs[i]);
				add(j == -1 ? &rd_foreign : &rd_order, 1);
				bad++;
				if (j < 0)
					continue;
			}
			matched[j] = true;
			nmatched++;
		}
		if (c->remask && nmatched < c->n) { /* another mask for the next read */
			mv = (mv + 1) % N_MV;
			pthread_sigmask(SIG_SETMASK, &masks[mv], NULL);
		}
	}
	pthread_sigmask(SIG_SETMASK, &masks[MV_F], NULL);
	/* Nothing left: too small a buffer is EINVAL, then a read says EAGAIN. */
	if (seq % 4 == 0 && !(read(snb, recs, 100) < 0 && errno == EINVAL)) {
		report("notify_race: redo: round %d: a 100-byte read did not fail with EINVAL\n",
		       round);
		bad++;
	}
	long r = read(snb, recs, 2 * sizeof(recs[0]));
	if (!(r < 0 && errno == EAGAIN)) {
		report("notify_race: redo: round %d: after the batch a read gave %ld (%s)\n", round,
		       r, r < 0 ? strerror(errno) : "OK");
		for (int i = 0; i < r / (long)sizeof(recs[0]); i++)
			redo_say_rec(round, "extra", &recs[i]);
		add(r < 0 ? &rd_eintr_bad[MV_F][1] : &rd_extra, 1);
		bad++;
	}
	return bad;
}

static void *redo_reader(void *arg)
{
	sigset_t f = masks[MV_F];
	(void)arg;
	int sb = signalfd(-1, &f, SFD_CLOEXEC), snb = signalfd(-1, &f, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sb < 0 || snb < 0) {
		report("notify_race: redo: signalfd: %s\n", strerror(errno));
		add(&rd_bad, 1);
	}
	post(&rd_tid, (int)syscall(SYS_gettid));
	for (int seq = 1;; seq++) {
		wait_eq(&rc_seq, seq, -1);
		struct rcmd c = rc;
		if (c.quit)
			return NULL;
		if (sb >= 0 && snb >= 0)
			add(&rd_bad, redo_read_batch(&c, sb, snb, seq - 1, seq));
		post(&rc_done, seq);
	}
}

/* The third thread: handled signals at the reader, until told to stop. */
static void *interrupter(void *arg)
{
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	(void)arg;
	while (!ld(&stop_in)) {
		int sig = h_sigs[sec_rand(&rng) % 5];
		long r;
		add(&sent[sig], 1);
		if (sig < 32) {
			r = syscall(SYS_tgkill, my_pid, rd_tid, sig);
		} else {
			siginfo_t si;
			memset(&si, 0, sizeof(si));
			si.si_signo = sig;
			si.si_code = SI_QUEUE;
			si.si_pid = my_pid;
			si.si_uid = my_uid;
			si.si_value.sival_int = MAGIC + sig;
			r = syscall(SYS_rt_tgsigqueueinfo, my_pid, rd_tid, sig, &si);
		}
		if (r < 0)
			add(&sent[sig], -1); /* EAGAIN: too many queued */
		nap(50000 + (long)(sec_rand(&rng) % 500000));
	}
	return NULL;
}

static int redo_send(const struct rexp *e)
{
	union sigval v = {.sival_int = e->val};
	siginfo_t si;
	switch (e->code) {
	case SI_USER:
		return kill(my_pid, e->sig);
	case SI_TKILL:
		return (int)syscall(SYS_tgkill, my_pid, rd_tid, e->sig);
	default:
		if (!e->thread)
			return sigqueue(my_pid, e->sig, v);
		memset(&si, 0, sizeof(si));
		si.si_signo = e->sig;
		si.si_code = SI_QUEUE;
		si.si_pid = my_pid;
		si.si_uid = my_uid;
		si.si_value = v;
		return (int)syscall(SYS_rt_tgsigqueueinfo, my_pid, rd_tid, e->sig, &si);
	}
}

/* Linux dequeues the thread's queue, then the process's: lower numbers first, queued in order. */
static int dequeue_rank(const struct rexp *e, int idx)
{
	return (e->thread ? 0 : 1 << 20) | e->sig << 8 | idx;
}

static void redo_batch(struct rcmd *c, int round, uint64_t *rng)
{
	const int std[2] = {SIGUSR1, SIGUSR2};
	*c = (struct rcmd){0};
	c->pre = sec_rand(rng) % 5 < 2;
	c->nb = sec_rand(rng) & 1;
	c->vec = sec_rand(rng) & 1;
	c->mv = (int)(sec_rand(rng) % N_MV);
	c->remask = sec_rand(rng) % 3 == 0;
	const int recs[] = {1, 1, 2, 4};
	c->recs = recs[sec_rand(rng) % 4];
	for (int i = 0; i < 2; i++) {
		if (sec_rand(rng) & 1)
			continue;
		struct rexp *e = &c->e[c->n++];
		e->sig = std[i];
		switch (sec_rand(rng) % 3) {
		case 0:
			e->code = SI_USER;
			break;
		case 1:
			e->code = SI_TKILL, e->thread = true;
			break;
		default:
			e->code = SI_QUEUE, e->val = round << 4 | 8 | i;
			break;
		}
	}
	int k = (int)(sec_rand(rng) % 5);
	if (c->n + k == 0)
		k = 1;
	for (int i = 0; i < k; i++) {
		struct rexp *e = &c->e[c->n++];
		e->sig = RTQ, e->code = SI_QUEUE, e->val = round << 4 | i,
		e->thread = sec_rand(rng) & 1;
	}
	/* Shuffle the sending order (within a queue, queued ones are matched in sending order). */
	for (int i = c->n - 1; i > 0; i--) {
		int j = (int)(sec_rand(rng) % (uint64_t)(i + 1));
		struct rexp t = c->e[i];
		c->e[i] = c->e[j], c->e[j] = t;
	}
	for (int i = 0; i < c->n; i++)
		c->order[i] = i;
	for (int i = 1; i < c->n; i++) /* insertion sort by rank */
		for (int j = i; j > 0 && dequeue_rank(&c->e[c->order[j]], c->order[j]) <
					     dequeue_rank(&c->e[c->order[j - 1]], c->order[j - 1]);
		     j--) {
			int t = c->order[j];
			c->order[j] = c->order[j - 1], c->order[j - 1] = t;
		}
}

static int redo_round(int round, uint64_t *rng)
{
	struct rcmd c;
	int seq = round + 1, bad = 0;
	redo_batch(&c, round, rng);
	if (c.pre)
		for (int i = 0; i < c.n; i++)
			bad += redo_send(&c.e[i]) < 0;
	rc = c;
	post(&rc_seq, seq);
	if (!c.pre) {
		wait_eq(&rc_entered, seq, 5 * SECOND);
		if (sec_rand(rng) & 1)
			nap((long)(sec_rand(rng) % 300000));
		for (int i = 0; i < c.n; i++) {
			sec_spin_ns((long long)(sec_rand(rng) % 20000));
			bad += redo_send(&c.e[i]) < 0;
		}
	}
	if (bad)
		report("notify_race: redo: round %d: sending failed: %s\n", round, strerror(errno));
	if (wait_eq(&rc_done, seq, 15 * SECOND) < 0) {
		say("notify_race: redo: %d rounds, %d bad (the reader is stuck)\n", round + 1,
		    bad + ld(&rd_bad) + 1);
		_exit(1);
	}
	return bad;
}

static int mode_redo(int rounds)
{
	const int skip[] = {SIGCHLD};
	uint64_t rng = 0x853c49e6748fea9bULL;
	pthread_t rd, in;
	int bad = 0;

	install_all(skip, 1); /* SIGUSR1, SIGUSR2 and RTQ too: they are always blocked */
	for (int i = 0; i < 5; i++)
		install(h_sigs[i], h_restart[i] ? SA_RESTART : 0, h_sigs[i] == H_STD_RESTART);
	for (int i = 0; i < N_MV; i++)
		sigemptyset(&masks[i]);
	sigaddset(&masks[MV_F], SIGUSR1);
	sigaddset(&masks[MV_F], SIGUSR2);
	sigaddset(&masks[MV_F], RTQ);
	masks[MV_FH] = masks[MV_RT] = masks[MV_F];
	for (int i = 0; i < 5; i++)
		sigaddset(&masks[MV_FH], h_sigs[i]);
	for (int sig = 34; sig <= 64; sig++)
		sigaddset(&masks[MV_RT], sig);
	sigfillset(&masks[MV_FILL]);
	/* Every thread blocks them: a record is never delivered elsewhere. */
	pthread_sigmask(SIG_SETMASK, &masks[MV_F], NULL);
	start_watchdog("redo");

	pthread_create(&rd, NULL, redo_reader, NULL);
	while (!ld(&rd_tid))
		nap(100000);
	pthread_create(&in, NULL, interrupter, NULL);
	for (int i = 0; i < rounds; i++)
		bad += redo_round(i, &rng);
	post(&stop_in, 1);
	pthread_join(in, NULL);
	rc = (struct rcmd){.quit = true};
	post(&rc_seq, rounds + 1);
	pthread_join(rd, NULL);
	bad += ld(&rd_bad) + count_handler_runs("redo", false);
	if (ld(&rd_bad))
		say("notify_race: redo: EINTR (blocking/nonblocking) with mask F %d/%d, F+handled "
		    "%d/%d, F+all-RT %d/%d; records lost %d, foreign or doubled %d, out of order %d, "
		    "left over %d\n",
		    rd_eintr_bad[MV_F][0], rd_eintr_bad[MV_F][1], rd_eintr_bad[MV_FH][0],
		    rd_eintr_bad[MV_FH][1], rd_eintr_bad[MV_RT][0], rd_eintr_bad[MV_RT][1], rd_lost,
		    rd_foreign, rd_order, rd_extra);
	if (verbose)
		fprintf(
		    stderr,
		    "notify_race: redo: %d reads, EINTR after a handler %d; handler runs:",
		    ld(&rd_reads), ld(&rd_eintr_handler));
	for (int i = 0; verbose && i < 5; i++)
		fprintf(stderr, " %d:%d/%d", h_sigs[i], ld(&got[h_sigs[i]]), ld(&sent[h_sigs[i]]));
	if (verbose)
		fprintf(stderr, "\n");
	return bad;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int rounds = argc > 2 ? atoi(argv[2]) : 1000, bad;

	my_pid = getpid();
	my_uid = getuid();
	verbose = getenv("NOTIFY_RACE_VERBOSE") != NULL;

	if (!strcmp(mode, "exit"))
		return 0; /* dying's exec */
	if (!strcmp(mode, "signals"))
		bad = mode_signals(rounds);
	else if (!strcmp(mode, "pointers"))
		bad = chdir(argc > 3 ? argv[3] : "/tmp") < 0 ? 1 : mode_pointers(rounds);
	else if (!strcmp(mode, "dying"))
		bad = mode_dying(rounds, argv[0]);
	else if (!strcmp(mode, "listener"))
		bad = mode_listener(), rounds = 1;
	else if (!strcmp(mode, "parked"))
		bad = mode_parked(rounds, argc > 3 ? argv[3] : "/tmp", argv[0]);
	else if (!strcmp(mode, "redo"))
		bad = mode_redo(rounds);
	else {
		say("usage: notify_race signals|pointers|dying|listener|parked|redo [ROUNDS [DIR]]\n");
		return 2;
	}
	say("notify_race: %s: %d rounds, %d bad\n", mode, rounds, bad);
	return 0;
}
