/*
 * pty_fuzz fuzz SECONDS SEED | pty_fuzz badptr: hammer uos's pseudo-terminals
 * (vfs/pty.c, tty.c, tty_ldisc.c, devpts.c, supervisor/kernel/ctty.c).
 *
 * fuzz: a process (the fuzzer, not a session leader, so that no terminal
 * of its own ever signals it) runs NTHREADS threads for SECONDS on NPAIRS
 * pairs, each picking random operations:
 *   - random bytes written to the master and the slave: all 256 values,
 *     and long runs of the pair's own special characters (erase, kill,
 *     werase, lnext, reprint, EOF, EOL, ^S/^Q, ISIG characters) and of
 *     \b, \t, \r, \n, 0377;
 *   - random termios (random flags, c_cc with zeros and small values,
 *     VMIN/VTIME random) by TCSETS/TCSETSW/TCSETSF and by the termios2
 *     calls with random bytes (speeds, BOTHER); TCGETS checked (a pty is
 *     always CS8, CREAD, no PARENB);
 *   - TIOCSWINSZ random, TIOCPKT on and off (and random ints), TCFLSH and
 *     TCXONC with random arguments, TCSBRK, TIOCSTI, TIOCSPTLCK, TIOCGPTN,
 *     FIONREAD, TIOCOUTQ, TIOCGPTPEER with random flags;
 *   - reads of random sizes (O_NONBLOCK), poll, epoll, splice through a
 *     pipe, readv/writev, fstat, fchmod, /dev/pts listed;
 *   - blocking reads of the slave and writes to the master on a
 *     description of the thread's own, bounded by a timer of the thread's
 *     own (SIGALRM, no SA_RESTART: EINTR);
 *   - the master closed and reopened while other threads read, write and
 *     block on its slave (hangup), the slave closed and reopened;
 *   - TIOCSCTTY, TIOCNOTTY, TIOCSPGRP, TIOCGPGRP, TIOCGSID with random
 *     values;
 *   - ioctls with bad pointers (NULL, NULL+1, kernel, non-canonical,
 *     unmapped, read-only, straddling the end of a mapping): a "get" must
 *     never succeed on memory it cannot write, nor a "set" on memory it
 *     cannot read; unknown ioctl numbers: ENOTTY (EIO on a hung-up slave,
 *     EBADF on a closed fd);
 *   - read and write with bad buffers (never success on unmapped memory).
 * Meanwhile the fuzzer's main thread keeps a child process alive (each
 * killed after a random lifetime, at most 300 ms): it makes its own session,
 * takes one of the pairs as its controlling terminal (open without
 * O_NOCTTY, TIOCSCTTY), forks a grandchild into a process group of its
 * own, and both run the same operations single-threaded plus job control:
 * TIOCSPGRP of its own group, the grandchild's, 0, -1, the fuzzer's,
 * random numbers; TIOCNOTTY; /dev/tty; reads and writes from the
 * background (SIGTTIN/SIGTTOU); they take whatever signals the ISIG
 * characters and TIOCSIG (random numbers, SIGKILL and SIGSTOP included)
 * send their groups.  At the end every pair still works (a line written to
 * the master reads back from the slave), and the program prints
 * "pty_fuzz: done, N ops, 0 bad".  A call that never returns shows as the
 * fuzzer not ending within its bound ("BAD the fuzzer ... did not end"),
 * or as uos wedged (pty_fuzz.sh).
 *
 * badptr: a fixed list of ioctls with bad pointers and unknown numbers on a
 * master, its slave and a hung-up slave, reads and writes with bad buffers,
 * one line per call with its errno; pty_fuzz.sh compares it with the native
 * run's.
 */
#include "sec.h"

#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <termios.h>

#define NPAIRS 4
#define NTHREADS 4
#define CHILD_LIFE_MS 300
#define MAX_BAD_LINES 30

/* <asm/termbits.h>'s termios2 and its calls (glibc's <termios.h> does not have them). */
struct ktermios2 {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
	uint32_t c_ispeed, c_ospeed;
};
#define K_TCGETS2 _IOR('T', 0x2A, struct ktermios2)
#define K_TCSETS2 _IOW('T', 0x2B, struct ktermios2)
#define K_TCSETSW2 _IOW('T', 0x2C, struct ktermios2)
#define K_TCSETSF2 _IOW('T', 0x2D, struct ktermios2)
#define K_BOTHER 010000

struct pair {
	_Atomic int m, s; /* the fuzzer's shared descriptions (O_NONBLOCK); -1 while reopened */
};

/* Shared with the children (MAP_SHARED): their pids, for the fuzzer to kill at the end. */
struct shared {
	_Atomic int kids[64];
	_Atomic long child_ops;
	/* what the operations reached (all processes): pty_fuzz.sh checks each happened */
	_Atomic long written, got, eintr, eio, sets, ctty, sigs;
	_Atomic int child_bad;
};

static struct pair pairs[NPAIRS];
static struct shared *sh;
static _Atomic int bad;
static long long deadline_ns;
static unsigned char *unmapped, *rdonly, *straddle; /* straddle: 2 bytes before an unmapped page */
static pid_t fuzzer_pgrp;
static bool in_child; /* a child's bad lines are counted in sh->child_bad */

static __thread timer_t my_timer;
static __thread bool have_timer;

__attribute__((format(printf, 1, 2))) static void bad_line(const char *fmt, ...)
{
	char buf[400];
	va_list ap;
	int n = atomic_fetch_add(in_child ? &sh->child_bad : &bad, 1);
	if (n >= MAX_BAD_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("BAD [%d] %s\n", getpid(), buf);
}

static const char *en(int e)
{
	return strerrorname_np(e) ? strerrorname_np(e) : "E?";
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* The children's handler of the signals their terminals send. */
static void on_tty_sig(int sig)
{
	(void)sig;
	if (sh)
		atomic_fetch_add(&sh->sigs, 1);
}

/*
 * The calling thread's own timer: SIGALRM to it every 20 to 40 ms, for as long as it fuzzes.
 * Any call of the thread that blocks ends with EINTR (the handler has no SA_RESTART) -- also a
 * call on an fd number that another thread closed and reused for a blocking description.
 */
static void timer_start(uint64_t *s)
{
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM};
	long ns = 20000000 + (long)(sec_rand(s) % 20000000);
	struct itimerspec it = {.it_value = {0, ns}, .it_interval = {0, ns}};

	ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &ev, &my_timer) == 0) {
		timer_settime(my_timer, 0, &it, NULL);
		have_timer = true;
	} else {
		bad_line("timer_create: %s", en(errno));
	}
}

static void timer_stop(void)
{
	if (have_timer)
		timer_delete(my_timer);
	have_timer = false;
}

/* ---- random things */

static unsigned rnd(uint64_t *s, unsigned n)
{
	return n ? (unsigned)(sec_rand(s) % n) : 0;
}

static int open_master(void)
{
	return open("/dev/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK);
}

/* A new slave description of master m (unlocked first); -1 if it cannot be had. */
static int peer(int m, int flags)
{
	int unlock = 0;
	if (m < 0 || ioctl(m, TIOCSPTLCK, &unlock) < 0)
		return -1;
	return ioctl(m, TIOCGPTPEER, flags);
}

/* A random fd of the pairs (master or slave), maybe closed or reopened meanwhile. */
static int any_fd(uint64_t *s, bool *master)
{
	struct pair *p = &pairs[rnd(s, NPAIRS)];
	*master = rnd(s, 2);
	return *master ? atomic_load(&p->m) : atomic_load(&p->s);
}

/* Bytes to write: uniform, or runs of one special character (the pair's own or a fixed one). */
static size_t gen_bytes(uint64_t *s, unsigned char *b, size_t cap, const struct termios *tio)
{
	static const unsigned char fixed[] = {0x7f, 0x08, 0x15, 0x17, 0x16, 0x04, 0x13, 0x11,
					      0x12, 0x03, 0x1c, 0x1a, '\n', '\r', '\t', 0xff,
					      0x00, 0x0f, 0x19, 0x0d, 0x80, 0xc3, 0xa9};
	size_t len = 1 + rnd(s, (unsigned)(rnd(s, 4) ? 256 : cap));
	size_t i = 0;

	if (len > cap)
		len = cap;
	while (i < len) {
		unsigned kind = rnd(s, 10), run = 1 + rnd(s, rnd(s, 3) ? 8 : 300);
		unsigned char c;
		if (kind < 4)
			c = (unsigned char)rnd(s, 256);
		else if (kind < 7 && tio)
			c = tio->c_cc[rnd(s, NCCS < 17 ? NCCS : 17)];
		else
			c = fixed[rnd(s, sizeof(fixed))];
		if (kind < 4)
			run = 1 + rnd(s, 16);
		for (unsigned k = 0; k < run && i < len; k++)
			b[i++] = kind < 4 ? (unsigned char)rnd(s, 256) : c;
	}
	return len;
}

/* A random termios: random flags, c_cc mostly small values and zeros, VMIN/VTIME anything. */
static void gen_termios(uint64_t *s, struct termios *t)
{
	t->c_iflag = (tcflag_t)sec_rand(s);
	t->c_oflag = (tcflag_t)sec_rand(s);
	t->c_cflag = (tcflag_t)sec_rand(s);
	t->c_lflag = (tcflag_t)sec_rand(s);
	if (rnd(s, 2)) { /* keep the modes that make the line discipline work hard */
		t->c_lflag |= ICANON | ECHO | ECHOE | ECHOK | ECHOKE | ECHOCTL | IEXTEN;
		if (rnd(s, 2))
			t->c_lflag |= ECHOPRT;
		t->c_lflag &= ~(tcflag_t)(rnd(s, 2) ? ISIG : 0);
		t->c_oflag |= OPOST;
	}
	t->c_line = (cc_t)rnd(s, 3);
	for (int i = 0; i < NCCS; i++) {
		unsigned k = rnd(s, 4);
		t->c_cc[i] = k == 0   ? 0
			     : k == 1 ? (cc_t)rnd(s, 32)
			     : k == 2 ? 0x7f
				      : (cc_t)rnd(s, 256);
	}
	t->c_cc[VMIN] = (cc_t)(rnd(s, 3) ? rnd(s, 4) : rnd(s, 256));
	t->c_cc[VTIME] = (cc_t)(rnd(s, 3) ? rnd(s, 3) : rnd(s, 256));
}

/* ---- the checks on results */

/* An errno no tty call with good arguments may give. */
static bool strange_errno(int e)
{
	return e == ENOSYS || e == EFAULT || e == ENOMEM || e == EDEADLK || e == ENOTSUP;
}

static void check_result(const char *what, long r, int e, long max)
{
	if (r < 0 && strange_errno(e))
		bad_line("%s: %s", what, en(e));
	if (r > max)
		bad_line("%s returned %ld, more than %ld", what, r, max);
}

/* A pty's termios is always CS8, CREAD, no PARENB (pty_set_termios). */
static void check_termios(int fd)
{
	struct termios t;
	if (tcgetattr(fd, &t) == 0 &&
	    ((t.c_cflag & CSIZE) != CS8 || !(t.c_cflag & CREAD) || (t.c_cflag & PARENB)))
		bad_line("TCGETS: c_cflag %#o is not CS8|CREAD without PARENB", t.c_cflag);
}

/* ---- bad pointers */

enum dir { D_NONE, D_IN, D_OUT };
struct ioc {
	unsigned long cmd;
	const char *name;
	enum dir dir;
};
static const struct ioc iocs[] = {
    {TCGETS, "TCGETS", D_OUT},	       {TCSETS, "TCSETS", D_IN},
    {TCSETSW, "TCSETSW", D_IN},	       {TCSETSF, "TCSETSF", D_IN},
    {K_TCGETS2, "TCGETS2", D_OUT},     {K_TCSETS2, "TCSETS2", D_IN},
    {K_TCSETSW2, "TCSETSW2", D_IN},    {K_TCSETSF2, "TCSETSF2", D_IN},
    {TIOCGWINSZ, "TIOCGWINSZ", D_OUT}, {TIOCSWINSZ, "TIOCSWINSZ", D_IN},
    {TIOCGPGRP, "TIOCGPGRP", D_OUT},   {TIOCSPGRP, "TIOCSPGRP", D_IN},
    {TIOCGSID, "TIOCGSID", D_OUT},     {FIONREAD, "FIONREAD", D_OUT},
    {TIOCOUTQ, "TIOCOUTQ", D_OUT},     {TIOCGPTN, "TIOCGPTN", D_OUT},
    {TIOCSPTLCK, "TIOCSPTLCK", D_IN},  {TIOCGPTLCK, "TIOCGPTLCK", D_OUT},
    {TIOCPKT, "TIOCPKT", D_IN},	       {TIOCGPKT, "TIOCGPKT", D_OUT},
    {TIOCGETD, "TIOCGETD", D_OUT},     {TIOCSTI, "TIOCSTI", D_IN},
    {FIONBIO, "FIONBIO", D_IN},
};

static const char *ptr_names[] = {"NULL",     "NULL+1",	  "kernel",  "noncanonical",
				  "unmapped", "readonly", "straddle"};
#define NPTRS 7

static void *bad_ptr(int k)
{
	switch (k) {
	case 0:
		return NULL;
	case 1:
		return (void *)1;
	case 2:
		return (void *)0xffffffff81000000UL;
	case 3:
		return (void *)0x0000800000001000UL;
	case 4:
		return unmapped;
	case 5:
		return rdonly;
	default:
		return straddle;
	}
}

/* Whether memory at kind k can be read (readonly), never written. */
static bool ptr_readable(int k)
{
	return k == 5;
}

/* An ioctl number no file of a terminal answers (not 'T', not a vfs, socket or fs type). */
static unsigned long unknown_cmd(uint64_t *s)
{
	static const unsigned char skip[] = {0x00, 0x03, 0x12, 0x15, 0x54, 0x58, 0x66,
					     0x89, 0x8b, 0x94, 0x24, 0x4b, 0x56};
	for (;;) {
		unsigned long c = (unsigned long)(uint32_t)sec_rand(s);
		unsigned char type = (unsigned char)(c >> 8);
		bool ok = true;
		for (size_t i = 0; i < sizeof(skip); i++)
			ok &= type != skip[i];
		if (ok)
			return c;
	}
}

/* One ioctl with a bad pointer, judged; never FIONBIO on the shared descriptions. */
static void op_bad_ioctl(uint64_t *s, int fd)
{
	const struct ioc *io = &iocs[rnd(s, sizeof(iocs) / sizeof(iocs[0]) - 1)];
	int k = (int)rnd(s, NPTRS);
	long r = ioctl(fd, io->cmd, bad_ptr(k));
	int e = errno;

	bool readable = ptr_readable(k) || (k == 6 && io->cmd == TIOCSTI); /* 1 byte: mapped */

	if (r == 0 && ((io->dir == D_OUT) || (io->dir == D_IN && !readable)))
		bad_line("%s with a %s pointer succeeded", io->name, ptr_names[k]);
	if (r < 0 && (e == ENOSYS || e == ENOMEM))
		bad_line("%s with a %s pointer: %s", io->name, ptr_names[k], en(e));
}

static void op_unknown_ioctl(uint64_t *s, int fd)
{
	unsigned long cmd = unknown_cmd(s);
	void *arg = rnd(s, 2) ? bad_ptr((int)rnd(s, NPTRS)) : (void *)(uintptr_t)sec_rand(s);
	long r = ioctl(fd, cmd, arg);

	if (r >= 0 || (errno != ENOTTY && errno != EBADF && errno != EIO))
		bad_line("unknown ioctl %#lx: %ld %s", cmd, r, r < 0 ? en(errno) : "");
}

/* ---- the operations */

static void reopen_master(uint64_t *s, struct pair *p)
{
	int nm = open_master();
	if (nm < 0) {
		if (errno != ENOSPC && errno != EMFILE)
			bad_line("ptmx: %s", en(errno));
		return;
	}
	int ns = peer(nm, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (ns < 0 && errno != EMFILE)
		bad_line("TIOCGPTPEER of a new master: %s", en(errno));
	int om = atomic_exchange(&p->m, nm);
	if (rnd(s, 2)) { /* half the time the old slave first, else the master first */
		int os = atomic_exchange(&p->s, ns);
		close(os);
		close(om);
	} else {
		close(om);
		int os = atomic_exchange(&p->s, ns);
		close(os);
	}
}

static void reopen_slave(uint64_t *s, struct pair *p)
{
	int m = atomic_load(&p->m), ns = -1;
	unsigned n;

	if (m >= 0 && rnd(s, 2) && ioctl(m, TIOCGPTN, &n) == 0) {
		char path[32];
		int unlock = 0;
		ioctl(m, TIOCSPTLCK, &unlock);
		snprintf(path, sizeof(path), "/dev/pts/%u", n);
		ns = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
	} else {
		ns = peer(m, O_RDWR | O_NOCTTY | O_NONBLOCK);
	}
	close(atomic_exchange(&p->s, ns));
}

/*
 * A blocking read or write of a slave, on a description of our own (the shared ones are
 * O_NONBLOCK): in the fuzzer's threads bounded by the thread's timer, in the children by
 * their life (the fuzzer kills them).  A write blocks once the output queue is full, or
 * output is stopped.
 */
static void op_blocking(uint64_t *s, bool child)
{
	struct pair *p = &pairs[rnd(s, NPAIRS)];
	unsigned char buf[4096];
	bool rd = rnd(s, 2);
	int fd = peer(atomic_load(&p->m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	long r;

	if (fd < 0)
		return;
	(void)child;
	if (rd) {
		r = read(fd, buf, 1 + rnd(s, sizeof(buf)));
	} else {
		size_t len = gen_bytes(s, buf, sizeof(buf), NULL);
		r = write(fd, buf, len);
	}
	int e = errno;
	check_result(rd ? "a blocking read" : "a blocking write", r, e, (long)sizeof(buf));
	if (r < 0 && e == EINTR)
		atomic_fetch_add(&sh->eintr, 1);
	close(fd);
}

static void op_termios(uint64_t *s, int fd)
{
	struct termios t;
	static const int acts[] = {TCSANOW, TCSADRAIN, TCSAFLUSH};
	gen_termios(s, &t);
	long r = tcsetattr(fd, acts[rnd(s, 3)], &t);
	check_result("tcsetattr", r, errno, 0);
	if (r == 0)
		atomic_fetch_add(&sh->sets, 1);
	check_termios(fd);
}

static void op_termios2(uint64_t *s, int fd)
{
	static const unsigned long cmds[] = {K_TCSETS2, K_TCSETSW2, K_TCSETSF2,
					     TCSETS,	TCSETSW,    TCSETSF};
	union {
		struct ktermios2 k;
		unsigned char b[64];
	} u;
	for (size_t i = 0; i < sizeof(u.b); i++)
		u.b[i] = (unsigned char)rnd(s, 256);
	if (rnd(s, 2)) {
		u.k.c_cflag = (u.k.c_cflag & ~(uint32_t)(CBAUD | (CBAUD << 16))) | K_BOTHER;
		u.k.c_ispeed = (uint32_t)sec_rand(s);
	}
	if (rnd(s, 3) == 0) /* keep the reads from waiting long (VMIN, VTIME small) */
		u.k.c_cc[VMIN] = 1, u.k.c_cc[VTIME] = 0;
	long r = ioctl(fd, cmds[rnd(s, 6)], &u);
	check_result("TCSETS* of random bytes", r, errno, 0);
	struct ktermios2 g;
	if (ioctl(fd, K_TCGETS2, &g) == 0 &&
	    ((g.c_cflag & CSIZE) != CS8 || !(g.c_cflag & CREAD) || (g.c_cflag & PARENB)))
		bad_line("TCGETS2: c_cflag %#o", g.c_cflag);
}

static void op_misc_ioctl(uint64_t *s, int fd, bool master)
{
	int v;
	long r = 0;
	unsigned k = rnd(s, 16);
	struct winsize ws;

	switch (k) {
	case 0:
		ws = (struct winsize){(unsigned short)sec_rand(s), (unsigned short)sec_rand(s),
				      (unsigned short)sec_rand(s), (unsigned short)sec_rand(s)};
		r = ioctl(fd, TIOCSWINSZ, &ws);
		break;
	case 1:
		r = ioctl(fd, TIOCGWINSZ, &ws);
		break;
	case 2:
		v = rnd(s, 4) ? (int)rnd(s, 2) : (int)sec_rand(s);
		r = ioctl(fd, TIOCPKT, &v);
		break;
	case 3:
		r = ioctl(fd, TCFLSH, rnd(s, 4) ? rnd(s, 3) : (unsigned)sec_rand(s));
		break;
	case 4:
		r = ioctl(fd, TCXONC, rnd(s, 4) ? rnd(s, 4) : (unsigned)sec_rand(s));
		break;
	case 5:
		r = ioctl(fd, FIONREAD, &v);
		if (r == 0 && (v < -65536 || v > 65536)) /* Linux's may be negative (inq_canon) */
			bad_line("FIONREAD %d", v);
		break;
	case 6:
		r = ioctl(fd, TIOCOUTQ, &v);
		break;
	case 7:
		r = ioctl(fd, rnd(s, 2) ? TCSBRK : TCSBRKP, (unsigned)sec_rand(s));
		break;
	case 8:
		r = ioctl(fd, rnd(s, 2) ? TIOCSBRK : TIOCCBRK);
		break;
	case 9: {
		char c = (char)rnd(s, 256);
		r = ioctl(fd, TIOCSTI, &c);
		break;
	}
	case 10:
		v = (int)rnd(s, 2);
		r = ioctl(fd, TIOCSPTLCK, &v);
		break;
	case 11: {
		unsigned n;
		r = ioctl(fd, TIOCGPTN, &n);
		if (r == 0 && n >= 1024)
			bad_line("TIOCGPTN %u", n);
		break;
	}
	case 12: {
		int f = ioctl(fd, TIOCGPTPEER, rnd(s, 2) ? (int)sec_rand(s) : O_RDWR | O_NOCTTY);
		if (f >= 0)
			close(f);
		r = f < 0 ? -1 : 0;
		break;
	}
	case 13:
		r = ioctl(fd, TIOCGETD, &v);
		break;
	case 14:
		r = ioctl(fd, TIOCGPKT, &v);
		break;
	default:
		r = ioctl(fd, TIOCGPTLCK, &v);
		break;
	}
	(void)master;
	/* EINVAL, EIO, ENOTTY, EPERM and EBADF are all answers; a fault with good memory is not */
	check_result("a terminal ioctl", r, errno, 0);
}

/* The job-control ioctls with random values (from the fuzzer: ENOTTY/EPERM; from the children:
 * real). */
static void op_jobctl(uint64_t *s, int fd, pid_t other)
{
	int v;
	long r = 0;

	switch (rnd(s, 7)) {
	case 0:
		r = ioctl(fd, TIOCSCTTY, rnd(s, 3) ? 0 : 1);
		break;
	case 1:
		r = ioctl(fd, TIOCNOTTY);
		break;
	case 2: {
		pid_t choices[] = {
		    getpgrp(), other, 0, -1, fuzzer_pgrp, 1, (pid_t)sec_rand(s), (pid_t)rnd(s, 64)};
		v = choices[rnd(s, sizeof(choices) / sizeof(choices[0]))];
		r = ioctl(fd, TIOCSPGRP, &v);
		break;
	}
	case 3:
		r = ioctl(fd, TIOCGPGRP, &v);
		break;
	case 4:
		r = ioctl(fd, TIOCGSID, &v);
		break;
	case 5:
		r = ioctl(fd, TIOCSIG, rnd(s, 3) ? (int)rnd(s, 66) : (int)sec_rand(s));
		break;
	default:
		r = tcgetsid(fd);
		break;
	}
	check_result("a job-control ioctl", r, errno, 0x7fffffff);
}

static void op_poll(uint64_t *s)
{
	struct pollfd p[2 * NPAIRS];
	for (int i = 0; i < NPAIRS; i++) {
		p[2 * i] = (struct pollfd){atomic_load(&pairs[i].m), (short)sec_rand(s), 0};
		p[2 * i + 1] = (struct pollfd){atomic_load(&pairs[i].s), (short)sec_rand(s), 0};
	}
	long r = poll(p, 2 * NPAIRS, rnd(s, 4) ? 0 : (int)rnd(s, 10));
	check_result("poll", r, errno, 2 * NPAIRS);
}

static void op_epoll(uint64_t *s)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev[8];
	if (ep < 0)
		return;
	for (int i = 0; i < NPAIRS; i++) {
		struct epoll_event e = {.events = (uint32_t)sec_rand(s) &
						  ~(EPOLLEXCLUSIVE | EPOLLWAKEUP)};
		epoll_ctl(ep, EPOLL_CTL_ADD, atomic_load(&pairs[i].m), &e);
		epoll_ctl(ep, EPOLL_CTL_ADD, atomic_load(&pairs[i].s), &e);
	}
	long r = epoll_wait(ep, ev, 8, rnd(s, 3) ? 0 : (int)rnd(s, 10));
	check_result("epoll_wait", r, errno, 8);
	close(ep);
}

static void op_splice(uint64_t *s, int fd)
{
	int p[2];
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0)
		return;
	long r = splice(fd, NULL, p[1], NULL, 1 + rnd(s, 8192), SPLICE_F_NONBLOCK);
	(void)!write(p[1], "spliced\n", 8);
	long r2 = splice(p[0], NULL, fd, NULL, 1 + rnd(s, 8192), SPLICE_F_NONBLOCK);
	check_result("splice from a terminal", r, errno, 8192);
	check_result("splice to a terminal", r2, errno, 8192);
	close(p[0]);
	close(p[1]);
}

static void op_files(uint64_t *s, int fd)
{
	struct stat st;
	switch (rnd(s, 4)) {
	case 0:
		fstat(fd, &st); /* the number may be another thread's file by now: any answer */
		break;
	case 1:
		fchmod(fd, (mode_t)rnd(s, 07777));
		break;
	case 2:
		(void)!fchown(fd, rnd(s, 2) ? (uid_t)rnd(s, 2000) : (uid_t)-1, (gid_t)rnd(s, 2000));
		break;
	default: {
		DIR *d = opendir("/dev/pts");
		struct dirent *e;
		int n = 0;
		while (d && (e = readdir(d)))
			n++;
		if (d)
			closedir(d);
		if (n > 1024 + 3)
			bad_line("/dev/pts lists %d names", n);
		break;
	}
	}
}

static void op_rw(uint64_t *s, int fd, bool write_it)
{
	unsigned char buf[9000];
	struct termios tio, *tp = tcgetattr(fd, &tio) == 0 ? &tio : NULL;
	long r;
	size_t len;

	if (write_it) {
		len = gen_bytes(s, buf, sizeof(buf), tp);
		if (rnd(s, 5) == 0) {
			struct iovec iov[4];
			size_t off = 0;
			for (int i = 0; i < 4; i++) {
				size_t l = (len - off) / (size_t)(4 - i);
				iov[i] = (struct iovec){buf + off, l};
				off += l;
			}
			r = writev(fd, iov, 4);
		} else {
			r = write(fd, buf, len);
		}
		check_result("write", r, errno, (long)len);
		if (r > 0)
			atomic_fetch_add(&sh->written, r);
	} else {
		len = 1 + rnd(s, rnd(s, 2) ? 16 : sizeof(buf));
		r = read(fd, buf, len);
		check_result("read", r, errno, (long)len);
		if (r > 0)
			atomic_fetch_add(&sh->got, r);
	}
	if (r < 0 && errno == EIO)
		atomic_fetch_add(&sh->eio, 1); /* a hung-up slave, a master whose slaves closed */
}

static void op_bad_buffer(uint64_t *s, int fd)
{
	int k = 2 + (int)rnd(s, 3); /* kernel, noncanonical, unmapped: nothing there at all */
	bool w = rnd(s, 2);
	long r = w ? write(fd, bad_ptr(k), 1 + rnd(s, 64)) : read(fd, bad_ptr(k), 1 + rnd(s, 64));
	if (r > 0)
		bad_line("%s of a %s buffer returned %ld", w ? "write" : "read", ptr_names[k], r);
}

/* One random operation on the pairs.  other: a process group of the caller's own session. */
static void one_op(uint64_t *s, bool child, pid_t other)
{
	bool master;
	int fd = any_fd(s, &master);
	unsigned k = rnd(s, 100);

	if (k < 18)
		op_rw(s, fd, true);
	else if (k < 32)
		op_rw(s, fd, false);
	else if (k < 38)
		op_termios(s, fd);
	else if (k < 42)
		op_termios2(s, fd);
	else if (k < 52)
		op_misc_ioctl(s, fd, master);
	else if (k < 57)
		op_jobctl(s, fd, other);
	else if (k < 61)
		op_bad_ioctl(s, fd);
	else if (k < 63)
		op_unknown_ioctl(s, fd);
	else if (k < 65)
		op_bad_buffer(s, fd);
	else if (k < 68)
		op_poll(s);
	else if (k < 69)
		op_epoll(s);
	else if (k < 71)
		op_splice(s, fd);
	else if (k < 74)
		op_files(s, fd);
	else if (k < 80)
		op_blocking(s, child);
	else if (k < 82 && !child)
		reopen_master(s, &pairs[rnd(s, NPAIRS)]);
	else if (k < 84 && !child)
		reopen_slave(s, &pairs[rnd(s, NPAIRS)]);
	else if (k < 88)
		check_termios(fd);
	else
		op_rw(s, fd, rnd(s, 2));
}

/* ---- the threads and the children */

struct worker {
	pthread_t th;
	uint64_t seed;
	long ops;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	timer_start(&w->seed);
	while (sec_now_ns() < deadline_ns) {
		one_op(&w->seed, false, 0);
		w->ops++;
	}
	timer_stop();
	return NULL;
}

static void record_kid(pid_t pid)
{
	for (int i = 0; i < 64; i++) {
		int z = 0;
		if (atomic_compare_exchange_strong(&sh->kids[i], &z, pid))
			return;
	}
}

/* A child's life: its own session, a terminal of the pairs, a grandchild group; random ops. */
/* The operations of a child or grandchild, for its life; sibling: the other one's group. */
static _Noreturn void child_loop(uint64_t *s, pid_t sibling)
{
	long long end = sec_now_ns() + CHILD_LIFE_MS * 1000000LL;
	long ops = 0;

	while (sec_now_ns() < end) {
		if (rnd(s, 10) == 0) {
			int tty = open("/dev/tty", O_RDWR | O_NONBLOCK);
			if (tty >= 0) {
				op_jobctl(s, tty, sibling);
				op_rw(s, tty,
				      rnd(s, 2)); /* from the background: SIGTTIN, SIGTTOU */
				close(tty);
			}
		} else {
			one_op(s, true, sibling);
		}
		if (++ops % 16 ==
		    0) /* counted as it goes: most children are killed before their end */
			atomic_fetch_add(&sh->child_ops, 16);
	}
	_exit(0);
}

/* Each signal the ISIG characters and TIOCSIG send: default, ignored or handled, by chance. */
static void child_signals(uint64_t *s)
{
	static const int sigs[] = {SIGINT,  SIGQUIT,  SIGHUP,  SIGTSTP, SIGTTIN,
				   SIGTTOU, SIGWINCH, SIGCONT, SIGTERM, SIGUSR1};
	struct sigaction sa = {.sa_handler = on_tty_sig};

	in_child = true;
	alarm(2); /* whatever happens, gone within 2 s (SIGALRM's default action) */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		unsigned k = rnd(s, 3);
		if (k == 0)
			signal(sigs[i], SIG_IGN);
		else if (k == 1)
			sigaction(sigs[i], &sa, NULL);
		else
			signal(sigs[i], SIG_DFL);
	}
	signal(SIGALRM, SIG_DFL);
}

/* A child's life: its own session, a terminal of the pairs, a grandchild in a group of its own. */
static _Noreturn void child_life(uint64_t seed)
{
	uint64_t s = seed;
	pid_t sibling = 0;

	child_signals(&s);
	setsid();
	/* take a terminal: an open without O_NOCTTY, or TIOCSCTTY */
	int m = atomic_load(&pairs[rnd(&s, NPAIRS)].m);
	unsigned n;
	if (m >= 0 && ioctl(m, TIOCGPTN, &n) == 0) {
		char path[32];
		snprintf(path, sizeof(path), "/dev/pts/%u", n);
		int fd = open(path, O_RDWR | O_NONBLOCK);
		if (fd >= 0 && rnd(&s, 2))
			ioctl(fd, TIOCSCTTY, 0);
		int tty = open("/dev/tty", O_RDWR | O_NONBLOCK);
		if (tty >= 0) {
			atomic_fetch_add(&sh->ctty, 1); /* a terminal of its own */
			close(tty);
		}
	}
	uint64_t gs = sec_rand(&s) | 1;
	pid_t g = fork();
	if (g == 0) {
		child_signals(&gs);
		setpgid(0, 0);
		child_loop(&gs, getppid());
	}
	if (g > 0) {
		record_kid(g);
		setpgid(g, g);
		sibling = g;
	}
	child_loop(&s, sibling);
}

/* ---- setup and the end */

static void make_bad_memory(void)
{
	unsigned char *m =
	    mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m + 2 * 4096, 4096);
	unmapped = m + 2 * 4096;
	straddle = m + 2 * 4096 - 2;
	rdonly = m;
	mprotect(rdonly, 4096, PROT_READ);
}

static int open_pairs(void)
{
	for (int i = 0; i < NPAIRS; i++) {
		int m = open_master(), s = peer(m, O_RDWR | O_NOCTTY | O_NONBLOCK);
		if (m < 0 || s < 0) {
			bad_line("pair %d: %s", i, en(errno));
			return -1;
		}
		atomic_store(&pairs[i].m, m);
		atomic_store(&pairs[i].s, s);
	}
	return 0;
}

/* Read s (non-canonical, nothing waited for) until 50 ms pass with nothing. */
static void drain(int s)
{
	char buf[4096];
	struct pollfd p = {s, POLLIN, 0};

	while (poll(&p, 1, 50) == 1 && read(s, buf, sizeof(buf)) > 0)
		;
}

/*
 * After the storm: every pair, set to sane modes, passes a line from its master to its slave.
 * (Linux's flip buffers may still hold older bytes, processed after a flush: drained first.)
 */
static void pairs_still_work(void)
{
	for (int i = 0; i < NPAIRS; i++) {
		int m = atomic_load(&pairs[i].m), s = peer(m, O_RDWR | O_NOCTTY | O_NONBLOCK);
		struct termios t;
		char buf[8192];
		size_t have = 0;
		int pkt = 0;
		if (m < 0 || s < 0) {
			bad_line("pair %d has no master or slave at the end: %s", i, en(errno));
			close(s);
			continue;
		}
		ioctl(m, TIOCPKT, &pkt);
		tcgetattr(s, &t);
		t.c_iflag = ICRNL;
		t.c_oflag = 0;
		t.c_lflag = 0;
		memcpy(t.c_cc,
		       (cc_t[]){3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0}, 17);
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		tcsetattr(s, TCSAFLUSH, &t);
		ioctl(s, TCXONC, TCOON);
		ioctl(m, TCXONC,
		      TCOON); /* Linux: TCOOFF on a master stops the master's own writes */
		drain(s);
		drain(m);
		t.c_lflag = ICANON;
		t.c_cc[VMIN] = 1;
		tcsetattr(s, TCSAFLUSH, &t);
		long w = write(m, "still works\n", 12);
		int e = errno;
		long long until = sec_now_ns() + 5000000000LL;
		bool seen = false;
		while (w == 12 && !seen && sec_now_ns() < until) {
			struct pollfd p = {s, POLLIN, 0};
			long r =
			    poll(&p, 1, 100) == 1 ? read(s, buf + have, sizeof(buf) - 1 - have) : 0;
			if (r > 0)
				have += (size_t)r;
			buf[have] = 0;
			seen = have >= 12 && !memcmp(buf + have - 12, "still works\n", 12);
			if (have > sizeof(buf) / 2)
				have = 0;
		}
		if (!seen)
			bad_line("pair %d at the end: wrote %ld (%s), never read the line back", i,
				 w, w < 0 ? en(e) : "ok");
		close(s);
	}
}

static int fuzzer(int secs, uint64_t seed)
{
	struct worker w[NTHREADS];
	struct sigaction sa = {.sa_handler =
				   on_alarm}; /* no SA_RESTART: a blocked call gives EINTR */
	sigset_t set;
	uint64_t s = seed;
	long child_count = 0;

	fuzzer_pgrp = getpgrp();
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* only each thread's own timer reaches it */
	make_bad_memory();
	if (open_pairs())
		return 1;
	deadline_ns = sec_now_ns() + secs * 1000000000LL;
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){.seed = sec_rand(&s) | 1};
		pthread_create(&w[i].th, NULL, worker, &w[i]);
	}
	/* the main thread: a child alive at all times, killed after its life */
	while (sec_now_ns() < deadline_ns) {
		uint64_t cs = sec_rand(&s) | 1;
		pid_t c = fork();
		if (c == 0) {
			pthread_sigmask(SIG_UNBLOCK, &set, NULL);
			child_life(cs);
		}
		if (c < 0) {
			bad_line("fork: %s", en(errno));
			break;
		}
		record_kid(c);
		child_count++;
		long long kill_at = sec_now_ns() + (20 + rnd(&s, CHILD_LIFE_MS)) * 1000000LL;
		int st;
		while (waitpid(c, &st, WNOHANG) == 0 && sec_now_ns() < kill_at)
			usleep(2000); /* a wait loop: the child may end any time */
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
		for (int i = 0; i < 64; i++) { /* its grandchildren too, stopped or not */
			int k = atomic_exchange(&sh->kids[i], 0);
			if (k > 0 && k != c)
				kill(k, SIGKILL);
		}
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
	}
	long ops = 0;
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(w[i].th, NULL);
		ops += w[i].ops;
	}
	pairs_still_work();
	say("fuzzer: %ld ops in %d threads, %ld children (%ld ops of theirs)\n", ops, NTHREADS,
	    child_count, atomic_load(&sh->child_ops));
	say("reached: %ld bytes written, %ld read, %ld termios set, %ld blocked calls ended by "
	    "EINTR, %ld EIO, %ld children with a terminal, %ld signals caught by them\n",
	    atomic_load(&sh->written), atomic_load(&sh->got), atomic_load(&sh->sets),
	    atomic_load(&sh->eintr), atomic_load(&sh->eio), atomic_load(&sh->ctty),
	    atomic_load(&sh->sigs));
	say("fuzzer: %d bad in the fuzzer, %d in the children\n", atomic_load(&bad),
	    atomic_load(&sh->child_bad));
	return atomic_load(&bad) || atomic_load(&sh->child_bad) ? 1 : 0;
}

static int fuzz_mode(int secs, uint64_t seed)
{
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	say("pty_fuzz: seed %llu, %d s\n", (unsigned long long)seed, secs);
	/* the fuzzer is not a session leader: no terminal ever becomes its own */
	pid_t f = fork();
	if (f == 0)
		_exit(fuzzer(secs, seed));
	long long end = sec_now_ns() + (secs + 30) * 1000000000LL;
	int st = 0;
	pid_t r;
	while ((r = waitpid(f, &st, WNOHANG)) == 0 && sec_now_ns() < end)
		usleep(10000);
	if (r == 0) {
		say("BAD the fuzzer did not end %d s after its time\n", 30);
		kill(f, SIGKILL);
		waitpid(f, &st, 0);
		return 1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		say("BAD the fuzzer ended with %s %d\n", WIFEXITED(st) ? "status" : "signal",
		    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return 1;
	}
	say("pty_fuzz: done, 0 bad\n");
	return 0;
}

/* ---- badptr: the fixed list, for the native comparison */

static void badptr_on(const char *end, int fd)
{
	for (size_t i = 0; i < sizeof(iocs) / sizeof(iocs[0]); i++) {
		if (iocs[i].cmd == FIONBIO)
			continue; /* a vfs ioctl: not the terminal's */
		for (int k = 0; k < NPTRS; k++) {
			/* TIOCSTI's one byte can be read there: uos refuses it (EIO), root's Linux
			 * pushes it (it is no bad pointer) */
			if (iocs[i].cmd == TIOCSTI && k >= 5)
				continue;
			errno = 0;
			long r = ioctl(fd, iocs[i].cmd, bad_ptr(k));
			say("%s %s %s: %s\n", end, iocs[i].name, ptr_names[k],
			    r < 0 ? en(errno) : "0");
		}
	}
	uint64_t s = 12345;
	for (int i = 0; i < 40; i++) {
		unsigned long cmd = unknown_cmd(&s);
		long r = ioctl(fd, cmd, NULL);
		say("%s unknown %#lx: %s\n", end, cmd, r < 0 ? en(errno) : "0");
	}
	char buf[8];
	for (int k = 2; k < 5; k++) {
		long r = read(fd, bad_ptr(k), sizeof(buf));
		say("%s read into %s: %s\n", end, ptr_names[k],
		    r < 0 ? en(errno)
		    : r	  ? "bytes"
			  : "0");
	}
}

static int badptr_mode(void)
{
	make_bad_memory();
	int m = open_master(), s = peer(m, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (m < 0 || s < 0) {
		say("BAD no pair: %s\n", en(errno));
		return 1;
	}
	/* the write with a bad buffer, before any ioctl changes the modes */
	for (int k = 2; k < 5; k++) {
		long r = write(m, bad_ptr(k), 8);
		say("master write from %s: %s\n", ptr_names[k],
		    r < 0 ? en(errno)
		    : r	  ? "bytes"
			  : "0");
		r = write(s, bad_ptr(k), 8);
		say("slave write from %s: %s\n", ptr_names[k],
		    r < 0 ? en(errno)
		    : r	  ? "bytes"
			  : "0");
	}
	badptr_on("master", m);
	badptr_on("slave", s);
	int m2 = open_master(), s2 = peer(m2, O_RDWR | O_NOCTTY | O_NONBLOCK);
	close(m2);
	badptr_on("hung-up slave", s2);
	say("pty_fuzz badptr: done\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "badptr"))
		return badptr_mode();
	if (argc > 3 && !strcmp(argv[1], "fuzz"))
		return fuzz_mode(atoi(argv[2]), strtoull(argv[3], NULL, 0) | 1);
	fprintf(stderr, "usage: pty_fuzz fuzz SECONDS SEED | pty_fuzz badptr\n");
	return 2;
}
