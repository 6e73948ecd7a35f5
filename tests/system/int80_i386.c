/* int80_i386: a 64-bit static program that makes an i386 system call with
 * int $0x80. uos refuses the i386 ABI: the program must be stopped (with a
 * message naming i386) before it prints "after". Natively, on a kernel with
 * IA32 emulation, it prints both lines. */
#include <string.h>
#include <unistd.h>

static void say(const char *s)
{
	write(1, s, strlen(s));
}

int main(void)
{
	long ret;

	say("before int $0x80\n");
	/* i386 getpid is 20. */
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	say("after int $0x80\n");
	return 0;
}
