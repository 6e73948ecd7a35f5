/*
 * Helpers shared by the attack programs of tests/security/.  Each program is
 * one translation unit that includes this header.
 *
 * - rsys(): a raw system call from the program's own text (no libc, no errno),
 *   for code that runs where libc must not be trusted (signal handlers of an
 *   attack, payloads entered by a rewritten instruction).
 * - sec_call(): a system call made through a chosen `syscall` instruction
 *   (one the attack can rewrite) on a chosen stack (whose bytes below the
 *   stack pointer the attack can rewrite), so that the attack knows exactly
 *   where uos finds the instruction it resumes at and the memory below the
 *   stack pointer that it borrows.
 * - sec_page(): an RWX page holding `syscall; ret` at offset 0 and, at
 *   SEC_PAYLOAD_OFF, a jump to sec_payload_entry, which calls the program's
 *   sec_payload() with an aligned stack and returns as if the syscall had.
 *   Rewriting the first two bytes to SEC_JMP_PAYLOAD turns the syscall
 *   instruction into a jump to the payload.
 */
#pragma once

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEC_PAYLOAD_OFF 0x40
/* Little-endian 16-bit words: "0f 05" is syscall, "eb 3e" jumps from offset 2 to 0x40. */
#define SEC_SYSCALL_INSN 0x050f
#define SEC_JMP_PAYLOAD (0xeb | ((SEC_PAYLOAD_OFF - 2) << 8))

static inline long rsys(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define rsys0(nr) rsys((nr), 0, 0, 0, 0, 0, 0)
#define rsys1(nr, a) rsys((nr), (long)(a), 0, 0, 0, 0, 0)
#define rsys2(nr, a, b) rsys((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define rsys3(nr, a, b, c) rsys((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define rsys4(nr, a, b, c, d) rsys((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/*
 * long sec_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5,
 *               const void *insn, void *stack_top)
 * Switch to stack_top (16-aligned), `call insn` with the syscall registers
 * loaded, switch back.  At the syscall instruction rsp is stack_top - 8.
 */
long sec_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5, const void *insn,
	      void *stack_top);
__asm__(".text\n"
	".globl sec_call\n"
	".type sec_call,@function\n"
	"sec_call:\n"
	"	push %rbp\n"
	"	push %rbx\n"
	"	push %r12\n"
	"	mov %rsp, %rbp\n"
	"	mov 40(%rbp), %r12\n" /* insn */
	"	mov 48(%rbp), %rbx\n" /* stack top */
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	"	mov 32(%rbp), %r9\n" /* a5 */
	"	mov %rbx, %rsp\n"
	"	call *%r12\n"
	"	mov %rbp, %rsp\n"
	"	pop %r12\n"
	"	pop %rbx\n"
	"	pop %rbp\n"
	"	ret\n"
	".size sec_call, .-sec_call\n");

#ifdef SEC_WITH_PAYLOAD
/* The payload a rewritten syscall instruction jumps to (defined by programs that define SEC_WITH_PAYLOAD). */
long sec_payload(void);
void sec_payload_entry(void);
__asm__(".text\n"
	".globl sec_payload_entry\n"
	".type sec_payload_entry,@function\n"
	"sec_payload_entry:\n"
	"	push %rbp\n"
	"	mov %rsp, %rbp\n"
	"	and $-16, %rsp\n"
	"	call sec_payload\n"
	"	mov %rbp, %rsp\n"
	"	pop %rbp\n"
	"	ret\n"
	".size sec_payload_entry, .-sec_payload_entry\n");
#else
#define sec_payload_entry sec_call /* never jumped to: sec_page's jump is never written */
#endif

/* An RWX page: `syscall; ret` at 0, `movabs $sec_payload_entry, %rax; jmp *%rax` at SEC_PAYLOAD_OFF. */
static inline unsigned char *sec_page(void)
{
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0xcc, 4096); /* int3 everywhere else */
	p[0] = 0x0f, p[1] = 0x05, p[2] = 0xc3;
	unsigned char *q = p + SEC_PAYLOAD_OFF;
	uint64_t target = (uint64_t)(uintptr_t)sec_payload_entry;
	q[0] = 0x48, q[1] = 0xb8;
	memcpy(q + 2, &target, 8);
	q[10] = 0xff, q[11] = 0xe0;
	return p;
}

/* A private stack of size bytes; returns its 16-aligned top. */
static inline void *sec_stack(size_t size)
{
	char *s = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	return (void *)(((uintptr_t)s + size) & ~(uintptr_t)15);
}

static inline void sec_store16(void *at, uint16_t v)
{
	__atomic_store_n((uint16_t *)at, v, __ATOMIC_SEQ_CST);
}

static inline long long sec_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Busy-wait ns nanoseconds (no system call: the vDSO reads the clock). */
static inline void sec_spin_ns(long long ns)
{
	long long end = sec_now_ns() + ns;
	while (sec_now_ns() < end)
		__builtin_ia32_pause();
}

/* A small xorshift generator, so that delays differ from attempt to attempt. */
static inline uint64_t sec_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* printf to stdout, flushed at once (lines of several processes interleave cleanly). */
__attribute__((format(printf, 1, 2))) static inline void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		(void)!write(1, buf, (size_t)n);
}

static inline const char *sec_errname(long r)
{
	if (r >= 0 || r < -4095)
		return "OK";
	return strerrorname_np((int)-r) ? strerrorname_np((int)-r) : "E?";
}

/*
 * What an attack does once it runs calls the host does not examine: append
 * to the marker file with what it read of the canary, signal the victim (a
 * host process), connect to port on the host's loopback, and exit 99.  The
 * test's host-side checks look for each.  Raw calls only: libc may not be
 * in a usable state where this runs.
 */
static inline _Noreturn void sec_escaped(const char *marker, const char *canary, long victim,
					 int port)
{
	char buf[256];
	long fd = rsys4(SYS_openat, AT_FDCWD, marker, O_CREAT | O_WRONLY | O_APPEND, 0644);
	long cfd = rsys4(SYS_openat, AT_FDCWD, canary, O_RDONLY, 0);
	long n = cfd >= 0 ? rsys3(SYS_read, cfd, buf, sizeof(buf)) : 0;
	if (fd >= 0) {
		rsys3(SYS_write, fd, "escaped; the canary read: ", 26);
		if (n > 0)
			rsys3(SYS_write, fd, buf, n);
	}
	rsys2(SYS_kill, victim, SIGUSR1);
	long s = rsys3(SYS_socket, AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (s >= 0)
		rsys3(SYS_connect, s, &sin, sizeof(sin));
	rsys1(SYS_exit_group, 99);
	__builtin_unreachable();
}

/* A thread that maps and unmaps a shared file mapping for ever (uos maps files by injecting). */
static inline void *sec_mapper(void *arg)
{
	int fd = open("/tmp/mapped", O_RDWR | O_CREAT, 0600);
	(void)arg;
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		return NULL;
	for (;;) {
		void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED)
			munmap(m, 4096);
	}
	return NULL;
}

/* A thread that forks and reaps children for ever. */
static inline void *sec_forker(void *arg)
{
	(void)arg;
	for (;;) {
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		if (c > 0)
			waitpid(c, NULL, 0);
	}
	return NULL;
}
