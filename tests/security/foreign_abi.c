/*
 * foreign_abi MODE MARKER: create MARKER (a host path outside the guest's
 * root) through a system call ABI that uos does not serve.
 *
 * Modes:
 *   int80           i386 creat(MARKER) with int $0x80 from 64-bit code
 *   x32             openat with the x32 bit (0x40000000 | 257)
 *   sysenter        i386 creat with sysenter from 64-bit code (#UD on AMD)
 *   compat-int80    far jump to the 32-bit user code segment (0x23), then
 *   compat-syscall  int $0x80, syscall or sysenter from compatibility mode,
 *   compat-sysenter and a far jump back
 *   highnr          openat with bits above 32 set in rax ((1 << 32) | 257),
 *                   which the host truncates to openat (uos must see the
 *                   same call as the host, and answer it itself)
 *
 * Escape: the call reaches the host unexamined and MARKER exists on the
 * host.  Expected: the guest is killed by uos with a line naming the ABI
 * (the foreign ones) or the call is answered by uos (highnr: ENOENT, since
 * MARKER's directory is not in the guest's root).  The program prints
 * "returned R" when the call came back.
 */
#include "sec.h"

static char path32[256]; /* below 4 GiB in a static non-PIE program: an i386 pointer */

static long call_int80(long nr, long a, long b)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b) : "memory");
	return r;
}

static long call_sysenter(long nr, long a, long b)
{
	long r;
	__asm__ volatile("sysenter" : "=a"(r) : "a"(nr), "b"(a), "c"(b) : "memory");
	return r;
}

/*
 * Far-jump to 32-bit code that runs one instruction kind with eax = 8
 * (i386 creat), ebx = path32, ecx = 0644, then far-jumps back to 64-bit
 * code.  which: 0 int $0x80, 1 syscall, 2 sysenter.
 */
extern char compat_int80[], compat_syscall[], compat_sysenter[];
__asm__(".text\n"
	".code32\n"
	"compat_int80:\n"
	"	int $0x80\n"
	"	ljmp $0x33, $compat_back\n"
	"compat_syscall:\n"
	"	syscall\n"
	"	ljmp $0x33, $compat_back\n"
	"compat_sysenter:\n"
	"	sysenter\n"
	"	ljmp $0x33, $compat_back\n"
	".code64\n"
	"compat_back:\n"
	"	mov %r12, %rsp\n"
	"	jmp *%r13\n");

static long call_compat(const char *entry)
{
	struct __attribute__((packed)) {
		uint32_t off;
		uint16_t sel;
	} far = {(uint32_t)(uintptr_t)entry, 0x23};
	long r;
	__asm__ volatile("mov %%rsp, %%r12\n\t"
			 "lea 1f(%%rip), %%r13\n\t"
			 "ljmpl *%[far]\n"
			 "1:"
			 : "=a"(r)
			 : "a"(8L), "b"((long)(uintptr_t)path32), "c"(0644L), [far] "m"(far)
			 : "r12", "r13", "memory");
	return r;
}

int main(int argc, char **argv)
{
	if (argc != 3 || strlen(argv[2]) >= sizeof(path32)) {
		fprintf(stderr, "usage: foreign_abi MODE MARKER\n");
		return 2;
	}
	const char *mode = argv[1];
	strcpy(path32, argv[2]);
	if ((uintptr_t)path32 > 0xffffffffUL) {
		fprintf(stderr, "foreign_abi: not a non-PIE static program\n");
		return 2;
	}
	say("before %s\n", mode);
	long r;
	if (strcmp(mode, "int80") == 0)
		r = call_int80(8, (long)(uintptr_t)path32, 0644);
	else if (strcmp(mode, "x32") == 0)
		r = rsys(0x40000000L | SYS_openat, AT_FDCWD, (long)path32, O_CREAT | O_WRONLY, 0644, 0, 0);
	else if (strcmp(mode, "sysenter") == 0)
		r = call_sysenter(8, (long)(uintptr_t)path32, 0644);
	else if (strcmp(mode, "compat-int80") == 0)
		r = call_compat(compat_int80);
	else if (strcmp(mode, "compat-syscall") == 0)
		r = call_compat(compat_syscall);
	else if (strcmp(mode, "compat-sysenter") == 0)
		r = call_compat(compat_sysenter);
	else if (strcmp(mode, "highnr") == 0)
		r = rsys((1L << 32) | SYS_openat, AT_FDCWD, (long)path32, O_CREAT | O_WRONLY, 0644, 0, 0);
	else
		return 2;
	say("returned %ld\n", r);
	return 0;
}
