/* mm_mmap_file_regs: a file mmap gives back every register but rax, rcx
 * and r11, as the kernel's syscall ABI does (uos answers a mapping it can
 * foretell by having the host run the guest's own call on its copy of the
 * file, with the fd register changed and given back after: sys_mm.c,
 * STUB_RESUME_R8).  Thousands of private maps of 8 files in turn (more
 * than uos keeps given at once, so that many maps give their file first;
 * no hint, then MAP_FIXED over it; read-only, writable, executable), each made with raw
 * syscall instructions whose registers are all checked, in a process whose
 * timer signal's handler makes the same maps: a signal that ends a call
 * must leave the interrupted call's registers whole too.  Each mapping
 * holds the file's bytes at its offset. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include "guest.h"

#define PG 4096L
#define FILE_PAGES 4
#define NFILES 8
#define ROUNDS 3000
#define MIN_TICKS 20

static int fds[NFILES];
static unsigned char file_bytes[NFILES][FILE_PAGES * PG];
static volatile long bad_regs, bad_bytes, failed, handler_maps;

/* The value a register must hold after the call: a pattern per register and round. */
#define PAT(n, i) (0x5a5a000000000000UL | (unsigned long)(n) << 32 | (unsigned long)(i))

/*
 * mmap(addr, len, prot, flags, fd, off) by a raw syscall with every other
 * register loaded with a pattern; counts a register not given back.
 */
static long raw_mmap(long addr, long len, long prot, long flags, long fd, long off,
		     unsigned long i)
{
	register long rdi __asm__("rdi") = addr;
	register long rsi __asm__("rsi") = len;
	register long rdx __asm__("rdx") = prot;
	register long r10 __asm__("r10") = flags;
	register long r8 __asm__("r8") = fd;
	register long r9 __asm__("r9") = off;
	register unsigned long rbx __asm__("rbx") = PAT(1, i);
	register unsigned long r12 __asm__("r12") = PAT(2, i);
	register unsigned long r13 __asm__("r13") = PAT(3, i);
	register unsigned long r14 __asm__("r14") = PAT(4, i);
	register unsigned long r15 __asm__("r15") = PAT(5, i);
	long rax = SYS_mmap;
	__asm__ volatile("syscall"
			 : "+a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9),
			   "+r"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
			 :
			 : "rcx", "r11", "memory");
	if (rdi != addr || rsi != len || rdx != prot || r10 != flags || r8 != fd || r9 != off ||
	    rbx != PAT(1, i) || r12 != PAT(2, i) || r13 != PAT(3, i) || r14 != PAT(4, i) ||
	    r15 != PAT(5, i))
		bad_regs++;
	return rax;
}

static const long prots[] = {PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC};

/* One round: a map with no hint, then MAP_FIXED over it at another offset. */
static void round_of(unsigned long i)
{
	long len = (long)(1 + i % FILE_PAGES) * PG, off = (long)(i % 3) * PG;
	long prot = prots[i % 3];
	int f = (int)(i % NFILES), g = (int)((i + 3) % NFILES);
	long p = raw_mmap(0, len, prot, MAP_PRIVATE, fds[f], off, i);
	if (p < 0 && p > -4096) {
		failed++;
		return;
	}
	if (memcmp((void *)p, file_bytes[f] + off, PG))
		bad_bytes++;
	long q = raw_mmap(p, PG, prots[(i + 1) % 3], MAP_PRIVATE | MAP_FIXED, fds[g], 0, i + 1);
	if (q != p)
		failed++;
	else if (memcmp((void *)q, file_bytes[g], PG))
		bad_bytes++;
	munmap((void *)p, (size_t)len);
}

static void on_tick(int sig)
{
	(void)sig;
	int e = errno;
	round_of((unsigned long)handler_maps++ * 7 + 1);
	errno = e;
}

int main(void)
{
	close_inherited_fds();
	for (int f = 0; f < NFILES; f++) {
		char path[] = "/tmp/mmap_file_regs.XXXXXX";
		for (size_t i = 0; i < sizeof(file_bytes[f]); i++)
			file_bytes[f][i] = (unsigned char)(i * 31 + (i >> 12) * 7 + f * 101);
		int w = mkstemp(path);
		if (w < 0 || write(w, file_bytes[f], sizeof(file_bytes[f])) !=
				 (ssize_t)sizeof(file_bytes[f])) {
			printf("setup failed: %s\n", ename(errno));
			return 1;
		}
		fds[f] = open(path, O_RDONLY);
		close(w);
		unlink(path);
	}

	struct sigaction sa = {.sa_handler = on_tick, .sa_flags = SA_RESTART};
	sigaction(SIGALRM, &sa, NULL);
	timer_t tm;
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
	struct itimerspec its = {{0, 2000000}, {0, 2000000}};
	if (timer_create(CLOCK_MONOTONIC, &ev, &tm) || timer_settime(tm, 0, &its, NULL)) {
		printf("timer failed: %s\n", ename(errno));
		return 1;
	}
	unsigned long i;
	for (i = 0; i < ROUNDS || handler_maps < MIN_TICKS; i++)
		round_of(i * 2);
	timer_delete(tm);

	printf("%d rounds of file maps made\n", ROUNDS);
	EXPECT("every register but rax, rcx and r11 given back", bad_regs == 0);
	EXPECT("every mapping holds the file's bytes at its offset", bad_bytes == 0);
	EXPECT("no map failed", failed == 0);
	EXPECT("the signal handler made maps too", handler_maps >= MIN_TICKS);
	return 0;
}
