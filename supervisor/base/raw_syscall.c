/*
 * uos_raw_syscall (base.h): a system call without libc, for the code that
 * runs in the first guest's child while it shares uos's memory (spawn.c,
 * contain.c).  Its own file, so that tests/security links it with contain.c.
 */
#include "base.h"

long uos_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5)
{
	long r;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}
