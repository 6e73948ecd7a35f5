/*
 * chain_race mmap|exec|exec-map MARKER CANARY VICTIM COUNT [N BAD JUMPS CALLS GETPIDS HANDLED]:
 * jump into the chain on uos's page while uos runs injected calls there.
 *
 * Attack: uos runs the calls it injects (the recvmsg, mmap and close of a
 * file mapping, the loader's mmap and mprotect calls at an exec) in the
 * chain of its read-only page (guestlib/stub.h): STUB_SYSCALL `syscall;
 * ud2`, STUB_CHAIN `mov %rax,%rbx`, STUB_CHAIN_CALL `mov $111,%eax;
 * syscall` (the placeholder, getpgrp, whose seccomp stop at STUB_CHAIN_STOP carries
 * the last call's result in rbx and becomes the next call), STUB_CHAIN_STOP
 * `ud2`, and STUB_SEAL, which ends an exec's load on the way into the chain:
 * `mov $10,%eax; mov $STUB_BATCH,%edi; mov $0x1000,%esi; xor %edx,%edx;
 * syscall` (the loader's page made PROT_NONE), `mov %rax,%r14`, `mov
 * $462,%eax; mov $STUB_ADDR,%edi; mov $STUB_SIZE,%esi; syscall` (the seal
 * of uos's region; the filter lets both through) and `jmp STUB_CHAIN`.
 * The guest can run those instructions too, and try the loader's page
 * (STUB_BATCH), whose calls the filter lets through: it must fault there.  Here 3 attacker
 * threads jump (`call`, sec_call) into every byte of that code, over and
 * over, with the registers of an attacker's call: kill(VICTIM, SIGTERM),
 * openat(MARKER, O_CREAT) and openat(CANARY, O_TRUNC) (host paths),
 * getpid, gettid, getppid with garbage arguments, mmap of a file, unknown
 * call numbers with garbage, and the stub's own execveat (GUEST_STUB_FD 1
 * and the stub's arguments in its data page).  A SIGILL (the ud2s, the
 * byte 0x27) or SIGSEGV (the middle of an instruction) is caught, its rip
 * and rax read, and the next jump made.  Meanwhile the main thread keeps
 * uos injecting chained calls into itself:
 *   mmap: COUNT maps (MAP_PRIVATE, MAP_SHARED, PROT_READ) of 8 files of
 *     the guest's /tmp in rotation (more than uos's 6 slots of given files:
 *     each map is an injected recvmsg and mmap, and a close), each checked
 *     byte for byte; every 32nd round a child process whose 2 attacker
 *     threads are killed mid-jump by its exit_group.
 *   exec: this program execs itself COUNT times (N so far, with the totals
 *     so far in argv), each image with its attackers running (killed
 *     mid-jump by the execve) and one file map checked.  The attackers make
 *     no mmap here.
 *   exec-map: the same with the attackers' mmaps, one of them making only
 *     mmaps through the chain, so that threads die in the middle of a
 *     file's give (before 528e608 that left uos's note of the slots wrong:
 *     the next images got the wrong file mapped).
 * In every mode a host timer (1 ms, SIGEV_THREAD_ID) signals the main thread,
 * whose handler jumps into the chain too.
 *
 * Those calls are the guest's own ordinary calls: uos must answer each
 * (getpid the guest's pid, the placeholder's getpgrp its process group,
 * kill ESRCH, the host paths ENOENT, unknown numbers ENOSYS, the stub's
 * execveat an error, mmap a mapping of the file), never let the host run one, never take one for a stop of its own
 * injection, and every call through STUB_SYSCALL or the chain must end at
 * the ud2 after it (the chain's, from STUB_SEAL, after the call there and
 * the chain's getpgrp: the seal's result in rbx 0 or ENOSYS, the
 * loader page's mprotect's in r14 EPERM (sealed) or 0, and a call made at
 * either syscall instruction of STUB_SEAL with the attacker's registers
 * answered as the guest's own), and every jump into the loader's page must
 * end in a SIGSEGV at the jump's target: the page is PROT_NONE.
 *
 * Escape / failure: a getpid (gettid, getppid) through the chain answered
 * with the host's number, another answer not the one above (a line with
 * "BAD"), MARKER created or VICTIM signalled on the host, the CANARY
 * touched, a mapping or exec of the main thread failing or wrong, uos
 * killing the guest for an "unexpected stop", an internal error, or uos
 * wedged.  The program prints "chain_race MODE: COUNT rounds, 0 bad; ..."
 * (and fails when the attack did not run: a chain entry never reached, no
 * call judged); chain_race.sh checks that and the host side.  Run natively
 * (no uos, so no page at STUB_ADDR) it says "no stub" and exits 2.
 */
#include "sec.h"
#include "stub.h" /* guestlib/stub.h: the real STUB_* addresses (checked against the page below) */

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <ucontext.h>

#define NFILES 8
#define FILE_SIZE (2 * 4096)
#define NATTACKERS 3
#define NCHILD_ATTACKERS 2
#define STACK_SIZE (256 * 1024)
#define CHILD_EVERY 32
#define TICK_NS 1000000
/* supervisor/kernel/guest.h: the stub's fd in uos's exec (in a guest: its stdout) */
#define GUEST_STUB_FD 1
#define MAX_BAD_LINES 20

/*
 * The code at STUB_SYSCALL, as guestlib/stub.c writes it; the offsets below
 * index it: +0 syscall, +2 ud2, +4 STUB_CHAIN mov %rax,%rbx, +7
 * STUB_CHAIN_CALL mov $111,%eax, +12 syscall, +14 STUB_CHAIN_STOP ud2,
 * +16 STUB_RESUME_R8 mov %r11,%r8, +19 jmp *%rcx, +21 STUB_SEAL mov
 * $10,%eax, +26 mov $STUB_BATCH,%edi, +31 mov $0x1000,%esi, +36 xor
 * %edx,%edx, +38 syscall, +40 mov %rax,%r14, +43 mov $462,%eax, +48 mov
 * $STUB_ADDR,%edi, +53 mov $STUB_SIZE,%esi, +58 syscall, +60 jmp STUB_CHAIN.  A jump into +16 to +20 makes
 * no call: it jumps to rcx (sec_call's fourth argument: 0, a flag, a
 * non-canonical or data address).  A jump to an instruction of STUB_SEAL
 * ends at the chain's ud2 after the chain's getpgrp.
 */
static const unsigned char chain_code[STUB_CODE_SIZE] = {
    0x0f, 0x05, 0x0f, 0x0b, 0x48, 0x89, 0xc3, 0xb8, STUB_CHAIN_NR, 0, 0,
    0,	  0x0f, 0x05, 0x0f, 0x0b, 0x4d, 0x89, 0xd8, 0xff, 0xe1,
    0xb8, 0x0a, 0,    0,    0,	  0xbf, 0,    0x60, 0x10, 0,	0xbe,
    0,	  0x10, 0,    0,    0x31, 0xd2, 0x0f, 0x05, 0x49, 0x89,
    0xc6, 0xb8, 0xce, 0x01, 0,	  0,	0xbf, 0,    0,	  0x10, 0,
    0xbe, 0,	0x70, 0,    0,	  0x0f, 0x05, 0xeb, 0xc6,
};
_Static_assert(STUB_CHAIN - STUB_SYSCALL == 4 && STUB_CHAIN_CALL - STUB_SYSCALL == 7 &&
		   STUB_CHAIN_STOP - STUB_SYSCALL == 14 && STUB_RESUME_R8 - STUB_SYSCALL == 16 &&
		   STUB_SEAL - STUB_SYSCALL == 21 && STUB_CODE_SIZE == 62 &&
		   STUB_ADDR == 0x100000 && STUB_SIZE == 0x7000 && STUB_SEAL_NR == 462 &&
		   STUB_BATCH == 0x106000,
	       "the chain as this test knows it (guestlib/stub.h)");
#define OFF_SYSCALL 0
#define OFF_CALL 12 /* the placeholder's syscall instruction: STUB_CHAIN_CALL + 5 */
#define OFF_SEAL_CALL 38 /* STUB_SEAL's syscall instructions: mprotect (result to r14) */
#define OFF_SEAL_CALL2 58 /* and mseal (result to rbx by the chain) */

/* Whether STUB_SYSCALL + off starts an instruction of STUB_SEAL. */
static bool seal_insn(int off)
{
	static const int starts[] = {21, 26, 31, 36, OFF_SEAL_CALL, 40, 43, 48, 53, OFF_SEAL_CALL2, 60};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (off == starts[i])
			return true;
	return false;
}

enum kind {
	K_GETPID,
	K_KILL,
	K_MARKER,
	K_CANARY,
	K_GETTID,
	K_GETPPID,
	K_MMAP,
	K_GARBAGE,
	K_STUBEXEC
};
#define NKIND (K_STUBEXEC + 1)
static const char *const kind_name[NKIND] = {
    [K_GETPID] = "getpid",
    [K_KILL] = "kill(VICTIM)",
    [K_MARKER] = "openat(MARKER)",
    [K_CANARY] = "openat(CANARY)",
    [K_GETTID] = "gettid",
    [K_GETPPID] = "getppid",
    [K_MMAP] = "mmap",
    [K_GARBAGE] = "unknown call",
    [K_STUBEXEC] = "the stub's execveat",
};

/* Shared with the children of mode mmap (MAP_SHARED): every process counts here. */
struct stats {
	long jumps, calls, getpids, handled, bad, children, bad_lines, loader;
	uint64_t reached; /* bit o: an attacker jumped to STUB_SYSCALL + o */
};
static struct stats *st;

extern char **environ;
static const char *marker, *canary;
static long victim, vpid, vppid, vpgrp;
static unsigned char expect[NFILES][FILE_SIZE];
static volatile int stop;
static bool attack_maps = true; /* attackers map files too (not in mode exec) */
static const char *mode;

static __thread long my_tid;
static __thread sigjmp_buf *volatile catcher;
static __thread volatile int f_sig;
static __thread volatile unsigned long f_rip;
static __thread volatile long f_rax, f_rbx, f_r14;
static void *handler_top;

static void count(long *c, long n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

__attribute__((format(printf, 1, 2))) static void bad(const char *fmt, ...)
{
	char buf[400];
	va_list ap;
	count(&st->bad, 1);
	if (__atomic_add_fetch(&st->bad_lines, 1, __ATOMIC_RELAXED) > MAX_BAD_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("BAD: [%ld/%ld] %s\n", vpid, my_tid, buf);
}

/* SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGTRAP: back to the jump that made it, with rip and rax. */
static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)si;
	if (!catcher) { /* the program's own fault, not a jump's */
		say("chain_race: signal %d at %#llx outside a jump\n", sig,
		    (unsigned long long)uc->uc_mcontext.gregs[REG_RIP]);
		rsys1(SYS_exit_group, 3);
	}
	f_sig = sig;
	f_rip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
	f_rax = (long)uc->uc_mcontext.gregs[REG_RAX];
	f_rbx = (long)uc->uc_mcontext.gregs[REG_RBX];
	f_r14 = (long)uc->uc_mcontext.gregs[REG_R14];
	siglongjmp(*catcher, 1);
}

struct outcome {
	int sig; /* 0: returned (a `ret` in the middle of an instruction) */
	unsigned long rip;
	long rax, rbx, r14;
};

/* `call at` on stack top with rax = a[0] and the argument registers a[1..6]. */
static void jump(unsigned long at, const long a[7], void *top, struct outcome *o)
{
	sigjmp_buf here;
	sigjmp_buf *outer = catcher;
	if (sigsetjmp(here, 0) == 0) {
		catcher = &here;
		long r = sec_call(a[0], a[1], a[2], a[3], a[4], a[5], a[6], (const void *)at, top);
		catcher = outer;
		*o = (struct outcome){0, 0, r, 0, 0};
		return;
	}
	catcher = outer;
	*o = (struct outcome){f_sig, f_rip, f_rax, f_rbx, f_r14};
}

static void fill(int i, unsigned char *buf)
{
	for (int j = 0; j < FILE_SIZE; j++)
		buf[j] = (unsigned char)(i * 37 + j * 13 + (j >> 12) * 101);
	snprintf((char *)buf, 32, "chain_race file %d", i);
}

static const char *file_path(int i, char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/chain_race.%d", i);
	return buf;
}

/* A mapping's address r (or -errno) of file i: right when it holds the file. */
static bool mapping_ok(long r, int i, const char *who)
{
	if (r < 0 && r > -4096) {
		bad("%s of file %d: %s", who, i, sec_errname(r));
		return false;
	}
	if ((unsigned long)r < 65536 || (r & 4095)) {
		bad("%s of file %d returned %#lx, not a mapping", who, i, r);
		return false;
	}
	bool same = memcmp((void *)r, expect[i], FILE_SIZE) == 0;
	if (!same) {
		const unsigned char *m = (const void *)r;
		int at = 0, holds = -1;
		while (at < FILE_SIZE && m[at] == expect[i][at])
			at++;
		for (int f = 0; f < NFILES; f++)
			if (memcmp(m, expect[f], FILE_SIZE) == 0)
				holds = f;
		bad("%s of file %d: the mapping does not hold the file (from byte %d: %.24s; it "
		    "holds file %d)",
		    who, i, at, (const char *)m, holds);
	}
	munmap((void *)r, FILE_SIZE);
	return same;
}

static void load(enum kind k, int fd, uint64_t *seed, long a[7])
{
	static const long unknown[] = {1000, 4095, 0x7fff}; /* small: no address as rax */
	uint64_t g = sec_rand(seed) | 1UL << 63; /* garbage, non-canonical as a pointer */
	memset(a, 0, 7 * sizeof(long));
	switch (k) {
	case K_GETPID:
		a[0] = SYS_getpid;
		break;
	case K_KILL:
		a[0] = SYS_kill, a[1] = victim, a[2] = SIGTERM;
		break;
	case K_MARKER:
		a[0] = SYS_openat, a[1] = AT_FDCWD, a[2] = (long)marker;
		a[3] = O_CREAT | O_WRONLY | O_TRUNC, a[4] = 0644;
		break;
	case K_CANARY:
		a[0] = SYS_openat, a[1] = AT_FDCWD, a[2] = (long)canary, a[3] = O_WRONLY | O_TRUNC;
		break;
	case K_GETTID:
		a[0] = SYS_gettid;
		break;
	case K_GETPPID:
		a[0] = SYS_getppid;
		for (int i = 1; i < 7; i++)
			a[i] = (long)(g ^ (uint64_t)i << 40);
		break;
	case K_MMAP:
		a[0] = SYS_mmap, a[2] = FILE_SIZE, a[3] = PROT_READ;
		a[4] = g & 2 ? MAP_SHARED : MAP_PRIVATE, a[5] = fd;
		break;
	case K_GARBAGE:
		a[0] = unknown[g % 3];
		for (int i = 1; i < 7; i++)
			a[i] = (long)(g * (uint64_t)i);
		break;
	case K_STUBEXEC: /* stub_exec_args(GUEST_STUB_FD, 0, ...) of guestlib/stub.c */
		a[0] = SYS_execveat, a[1] = GUEST_STUB_FD;
		a[2] = (long)(STUB_DATA + offsetof(struct stub_data, empty));
		a[3] = (long)(STUB_DATA + offsetof(struct stub_data, argv));
		a[4] = (long)(STUB_DATA + offsetof(struct stub_data, envv) +
			      (STUB_NPAD - 1) * sizeof(long));
		a[5] = AT_EMPTY_PATH;
		break;
	}
}

/* The answer r of the guest's own call of kind k, made at STUB_SYSCALL + off. */
static void judge_call(enum kind k, long r, int fi, int off, const char *who)
{
	count(&st->calls, 1);
	switch (k) {
	case K_GETPID:
		if (r != vpid)
			bad("ESCAPE: %s: getpid at +%d answered %ld, not the guest's pid %ld", who,
			    off, r, vpid);
		break;
	case K_GETTID:
		if (r != my_tid)
			bad("ESCAPE: %s: gettid at +%d answered %ld, not the guest's tid %ld", who,
			    off, r, my_tid);
		break;
	case K_GETPPID:
		if (r != vppid)
			bad("ESCAPE: %s: getppid at +%d answered %ld, not the guest's %ld", who,
			    off, r, vppid);
		break;
	case K_KILL:
		if (r != -ESRCH)
			bad("%s: kill(VICTIM) at +%d answered %s, not ESRCH", who, off,
			    sec_errname(r));
		break;
	case K_MARKER:
	case K_CANARY:
		if (r >= 0)
			rsys1(SYS_close, r);
		if (r != -ENOENT)
			bad("%s: %s at +%d answered %s, not ENOENT", who, kind_name[k], off,
			    sec_errname(r));
		break;
	case K_MMAP:
		mapping_ok(r, fi, who);
		break;
	case K_GARBAGE:
		if (r != -ENOSYS)
			bad("%s: an unknown call at +%d answered %s, not ENOSYS", who, off,
			    sec_errname(r));
		break;
	case K_STUBEXEC:
		if (r >= 0 || r < -4095)
			bad("%s: the stub's execveat at +%d answered %ld", who, off, r);
		break;
	}
}

/* One jump to STUB_SYSCALL + off with the registers of kind k, judged. */
static void attempt(int off, enum kind k, int fi, int fd, uint64_t *seed, void *top,
		    const char *who)
{
	long a[7];
	struct outcome o;
	load(k, fd, seed, a);
	jump(STUB_SYSCALL + (unsigned long)off, a, top, &o);
	count(&st->jumps, 1);
	bool syscall_at = off == OFF_SYSCALL || off == OFF_CALL;
	bool getpid_at = off == STUB_CHAIN - STUB_SYSCALL || off == STUB_CHAIN - STUB_SYSCALL + 1 ||
			 off == STUB_CHAIN_CALL - STUB_SYSCALL || seal_insn(off);
	if (!syscall_at && !getpid_at)
		return; /* the middle of an instruction: a fault or a `ret`, no call */
	unsigned long ud2 = off == OFF_SYSCALL ? STUB_SYSCALL + 2 : STUB_CHAIN_STOP;
	if (o.sig != SIGILL || o.rip != ud2) {
		bad("%s: %s at +%d ended with signal %d at %#lx (rax %ld), not SIGILL at %#lx", who,
		    kind_name[k], off, o.sig, o.rip, o.rax, ud2);
		return;
	}
	if (getpid_at) { /* the chain's own getpgrp, whatever rax held */
		count(&st->getpids, 1);
		count(&st->calls, 1);
		if (o.rax != vpgrp)
			bad("ESCAPE: %s: the chain's getpgrp at +%d answered %ld, not the guest's %ld",
			    who, off, o.rax, vpgrp);
		if (off == STUB_SEAL - STUB_SYSCALL && o.rbx != 0 && o.rbx != -ENOSYS)
			bad("%s: the seal of uos's page at +%d answered %s, not 0 or ENOSYS", who,
			    off, sec_errname(o.rbx));
		if (off == STUB_SEAL - STUB_SYSCALL && o.r14 != 0 && o.r14 != -EPERM)
			bad("%s: the loader page's mprotect at +%d answered %s, not 0 or EPERM",
			    who, off, sec_errname(o.r14));
		if (off == OFF_SEAL_CALL)
			judge_call(k, o.r14, fi, off, who);
		if (off == OFF_SEAL_CALL2)
			judge_call(k, o.rbx, fi, off, who);
	} else {
		judge_call(k, o.rax, fi, off, who);
	}
}

/*
 * One jump into the loader's page (stub.h, STUB_BATCH), whose calls the
 * filter lets through: PROT_NONE once a program runs, so it must fault at
 * the jump's target, having run nothing.
 */
static void attempt_loader(int off, enum kind k, int fd, uint64_t *seed, void *top,
			   const char *who)
{
	long a[7];
	struct outcome o;
	unsigned long at = STUB_BATCH + (unsigned long)off;
	load(k, fd, seed, a);
	jump(at, a, top, &o);
	count(&st->jumps, 1);
	count(&st->loader, 1);
	if (o.sig != SIGSEGV || o.rip != at)
		bad("ESCAPE: %s: %s into the loader's page at +%d ended with signal %d at %#lx "
		    "(rax %ld), not SIGSEGV there",
		    who, kind_name[k], off, o.sig, o.rip, o.rax);
}

/* arg: the attacker's number, plus MAPS_ONLY for one that only maps files through the chain. */
#define MAPS_ONLY 0x10000
static void *attacker(void *arg)
{
	bool maps_only = (intptr_t)arg & MAPS_ONLY;
	int fi = (int)((intptr_t)arg & (MAPS_ONLY - 1)) % NFILES;
	char path[64];
	uint64_t seed = ((uint64_t)sec_now_ns() * 2654435761u + (uint64_t)(intptr_t)arg) | 1;
	void *top = sec_stack(STACK_SIZE);
	int fd = open(file_path(fi, path, sizeof(path)), O_RDONLY | O_CLOEXEC);
	my_tid = gettid();
	if (!top || fd < 0) {
		bad("attacker setup: %s", strerror(errno));
		return NULL;
	}
	for (long i = 0; !stop; i++) {
		int off = (int)(i % STUB_CODE_SIZE);
		enum kind k = (enum kind)(sec_rand(&seed) % NKIND);
		if (k == K_MMAP && !attack_maps)
			k = K_GETPID;
		if (maps_only)
			off = i % 2 ? OFF_CALL : OFF_SYSCALL, k = K_MMAP;
		else if (i % 8 == 7) { /* its syscall instruction (STUB_BATCH_RET - 2) most */
			int lo = i % 16 == 7 ? (int)(STUB_BATCH_RET - 2 - STUB_BATCH)
					     : (int)(sec_rand(&seed) % STUB_BATCH_SIZE);
			attempt_loader(lo, k, fd, &seed, top, "attacker");
			continue;
		}
		__atomic_or_fetch(&st->reached, 1ULL << off, __ATOMIC_RELAXED);
		attempt(off, k, fi, fd, &seed, top, "attacker");
	}
	return NULL;
}

static pthread_t start_attackers(int n, int first, bool one_maps_only)
{
	pthread_t th = 0;
	for (int i = 0; i < n; i++) {
		intptr_t arg = first + i + (one_maps_only && !i ? MAPS_ONLY : 0);
		if (pthread_create(&th, NULL, attacker, (void *)arg)) {
			bad("pthread_create failed");
			break;
		}
	}
	return th;
}

/* The timer's signal in the main thread: a jump into the chain from a handler. */
static void on_tick(int sig)
{
	static const int offs[] = {OFF_SYSCALL, 4, 5, 7, OFF_CALL, 21, OFF_SEAL_CALL, 14};
	static const enum kind kinds[] = {K_GETPID, K_KILL, K_MARKER, K_GETTID};
	static uint64_t seed = 88172645463325252ULL;
	int e = errno;
	(void)sig;
	uint64_t r = sec_rand(&seed);
	attempt(offs[r % 8], kinds[(r >> 8) % 4], 0, -1, &seed, handler_top, "handler");
	count(&st->handled, 1);
	errno = e;
}

/* A host timer signalling the calling thread every TICK_NS. */
static int start_timer(void)
{
	timer_t id;
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGURG};
	ev._sigev_un._tid = (pid_t)my_tid;
	struct itimerspec its = {{0, TICK_NS}, {0, TICK_NS}};
	if (timer_create(CLOCK_MONOTONIC, &ev, &id) < 0 || timer_settime(id, 0, &its, NULL) < 0) {
		perror("chain_race: timer");
		return -1;
	}
	return 0;
}

/*
 * uos's page is at STUB_ADDR (the guest's /proc/self/maps says so) and holds
 * the chain as stub.h lays it out.  0, or 2 with the reason said.
 */
static int check_stub(void)
{
	unsigned char code[STUB_CODE_SIZE];
	char line[256];
	bool listed = false;
	FILE *f = fopen("/proc/self/maps", "re");
	while (f && fgets(line, sizeof(line), f))
		if (strtoul(line, NULL, 16) == (unsigned long)STUB_ADDR && strstr(line, "r-xp"))
			listed = true;
	if (f)
		fclose(f);
	sigjmp_buf here;
	if (sigsetjmp(here, 0)) {
		catcher = NULL;
		say("chain_race: no stub: nothing mapped at %#lx (signal %d); not under uos?\n",
		    STUB_SYSCALL, f_sig);
		return 2;
	}
	catcher = &here;
	for (unsigned long i = 0; i < STUB_CODE_SIZE; i++)
		code[i] = ((volatile unsigned char *)STUB_SYSCALL)[i];
	catcher = NULL;
	if (memcmp(code, chain_code, sizeof(code))) {
		say("chain_race: no stub: the code at %#lx is not the chain of stub.h\n",
		    STUB_SYSCALL);
		return 2;
	}
	if (!listed) {
		say("chain_race: no stub: /proc/self/maps shows no r-x mapping at %#lx\n",
		    STUB_ADDR);
		return 2;
	}
	return 0;
}

static void setup_signals(void)
{
	struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};
	int sigs[] = {SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGTRAP};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	struct sigaction tick = {.sa_handler = on_tick, .sa_flags = SA_RESTART};
	sigaction(SIGURG, &tick, NULL);
}

static int open_files(int fds[NFILES], bool create)
{
	char path[64];
	for (int i = 0; i < NFILES; i++) {
		file_path(i, path, sizeof(path));
		if (create) {
			int w = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (w < 0 || write(w, expect[i], FILE_SIZE) != FILE_SIZE) {
				perror("chain_race: create");
				return -1;
			}
			close(w);
		}
		if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			perror("chain_race: open");
			return -1;
		}
	}
	return 0;
}

/* A child whose attackers its exit_group kills mid-jump: it must end with status 0. */
static void dying_child(uint64_t *seed)
{
	long delay = (long)(sec_rand(seed) % 3000000);
	pid_t c = fork();
	if (c == 0) {
		vppid = vpid;
		vpid = getpid();
		my_tid = gettid();
		start_attackers(NCHILD_ATTACKERS, (int)(delay & 7), false);
		sec_spin_ns(delay);
		_exit(0);
	}
	int s = 0;
	if (c < 0 || waitpid(c, &s, 0) != c || !WIFEXITED(s) || WEXITSTATUS(s) != 0)
		bad("a child with attackers ended with status %#x (fork %d)", s, c);
	count(&st->children, 1);
}

static int summary(const char *m, long rounds, const long carried[6])
{
	long b = st->bad + carried[1], j = st->jumps + carried[2], c = st->calls + carried[3];
	long g = st->getpids + carried[4], h = st->handled + carried[5];
	say("chain_race %s: %ld rounds, %ld bad; %ld jumps, %ld calls judged, %ld getpids of the "
	    "chain, %ld from the handler, %ld dying children, %ld into the loader's page (this image)\n",
	    m, rounds, b, j, c, g, h, st->children, st->loader);
	if (b)
		return 1;
	if (j == 0 || c == 0 || g == 0 || h == 0 ||
	    (strcmp(m, "mmap") == 0 &&
	     (st->reached != (1ULL << STUB_CODE_SIZE) - 1 || st->loader == 0))) {
		say("chain_race: NOT EXERCISED: the attack did not run (chain entries reached "
		    "%#llx)\n",
		    (unsigned long long)st->reached);
		return 1;
	}
	return 0;
}

static int run_mmap(long count_)
{
	int fds[NFILES];
	uint64_t seed = (uint64_t)sec_now_ns() | 1;
	const long none[6] = {0};
	if (open_files(fds, true) < 0)
		return 2;
	pthread_t th[NATTACKERS];
	for (int i = 0; i < NATTACKERS; i++)
		if (pthread_create(&th[i], NULL, attacker, (void *)(intptr_t)(i + 3)))
			return 2;
	if (start_timer() < 0)
		return 2;
	for (long n = 0; n < count_; n++) {
		int i = (int)(n % NFILES);
		int flags = (n / NFILES) % 2 ? MAP_SHARED : MAP_PRIVATE;
		void *p = mmap(NULL, FILE_SIZE, PROT_READ, flags, fds[i], 0);
		mapping_ok(p == MAP_FAILED ? -errno : (long)p, i, "the main thread's mmap");
		if (n % CHILD_EVERY == CHILD_EVERY - 1)
			dying_child(&seed);
	}
	stop = 1;
	for (int i = 0; i < NATTACKERS; i++)
		pthread_join(th[i], NULL);
	return summary("mmap", count_, none);
}

static int run_exec(char **argv, long count_, const long carried[6])
{
	long n = carried[0];
	int fds[NFILES];
	if (n >= count_) /* the last image: its attackers too */
		return summary(mode, n, carried);
	if (open_files(fds, n == 0) < 0)
		return 2;
	start_attackers(NATTACKERS, (int)n, attack_maps);
	if (start_timer() < 0)
		return 2;
	int i = (int)(n % NFILES);
	void *p = mmap(NULL, FILE_SIZE, PROT_READ, n % 2 ? MAP_SHARED : MAP_PRIVATE, fds[i], 0);
	mapping_ok(p == MAP_FAILED ? -errno : (long)p, i, "the main thread's mmap");
	uint64_t seed = (uint64_t)sec_now_ns() | 1;
	while (__atomic_load_n(&st->jumps, __ATOMIC_RELAXED) < 4 * NATTACKERS)
		usleep(100);
	sec_spin_ns((long long)(sec_rand(&seed) % 2000000));
	char nums[6][24];
	char *nargv[14] = {argv[0], argv[1], argv[2], argv[3], argv[4], argv[5]};
	long now[6] = {n + 1, st->bad, st->jumps, st->calls, st->getpids, st->handled};
	for (int k = 0; k < 6; k++) {
		snprintf(nums[k], sizeof(nums[k]), "%ld", now[k] + (k ? carried[k] : 0));
		nargv[6 + k] = nums[k];
	}
	nargv[12] = NULL;
	execve(argv[0], nargv, environ);
	bad("exec %ld: execve failed: %s", n, strerrorname_np(errno));
	return summary(mode, n, carried);
}

int main(int argc, char **argv)
{
	if (argc != 6 && argc != 12) {
		fprintf(stderr, "usage: chain_race mmap|exec|exec-map MARKER CANARY VICTIM COUNT "
				"[N BAD JUMPS CALLS GETPIDS HANDLED]\n");
		return 2;
	}
	marker = argv[2];
	canary = argv[3];
	victim = atol(argv[4]);
	long count_ = atol(argv[5]);
	long carried[6] = {0};
	for (int k = 0; argc == 12 && k < 6; k++)
		carried[k] = atol(argv[6 + k]);
	vpid = getpid();
	vppid = getppid();
	vpgrp = getpgrp();
	my_tid = gettid();
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	handler_top = sec_stack(STACK_SIZE);
	if (st == MAP_FAILED || !handler_top) {
		perror("chain_race: setup");
		return 2;
	}
	for (int i = 0; i < NFILES; i++)
		fill(i, expect[i]);
	setup_signals();
	int r = check_stub();
	if (r)
		return r;
	mode = argv[1];
	if (strcmp(mode, "mmap") == 0)
		return run_mmap(count_);
	attack_maps = strcmp(mode, "exec") != 0;
	if (strcmp(mode, "exec") == 0 || strcmp(mode, "exec-map") == 0)
		return run_exec(argv, count_, carried);
	fprintf(stderr, "chain_race: unknown mode %s\n", argv[1]);
	return 2;
}
