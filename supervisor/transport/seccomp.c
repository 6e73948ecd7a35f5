/*
 * The guest's seccomp filter (see seccomp.h): one of the two that
 * seccomp_gen.c built with libseccomp from syscalls.def and hostargs.c when
 * uos was built (seccomp_bpf.h).  HOST rows go to the host without a stop
 * unless --trace, --summary or serial scheduling wants every call.
 */
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "seccomp_bpf.h"

#define X32_SYSCALL_BIT 0x40000000
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS (asm-generic/siginfo.h; not in glibc) */
#endif

int seccomp_install(const struct kernel *k)
{
	bool every_call = k->opts.trace || k->opts.summary || k->sched.serial;
	struct sock_fprog prog = {
	    .len = every_call ? ARRAY_SIZE(seccomp_bpf_all) : ARRAY_SIZE(seccomp_bpf_host),
	    .filter = (struct sock_filter *)(every_call ? seccomp_bpf_all : seccomp_bpf_host),
	};
	long r = uos_raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (r == 0)
		r = uos_raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog, 0, 0);
	return r < 0 ? (int)r : 0;
}

bool seccomp_abi_violation(const siginfo_t *si, char *msg, size_t n)
{
	if (si->si_signo != SIGSYS || si->si_code != SYS_SECCOMP)
		return false;
	unsigned int arch = si->si_arch;
	int nr = si->si_syscall;

	if (arch == AUDIT_ARCH_I386)
		snprintf(msg, n,
			 "guest used the i386 int 0x80 ABI (syscall %d); "
			 "uos supports x86-64 only",
			 nr);
	else if (arch == AUDIT_ARCH_X86_64 && (nr & X32_SYSCALL_BIT))
		snprintf(msg, n,
			 "guest used the x32 ABI (syscall %d, x32 number %#x); "
			 "uos supports x86-64 only",
			 nr & ~X32_SYSCALL_BIT, (unsigned int)nr);
	else if (arch != AUDIT_ARCH_X86_64)
		snprintf(msg, n,
			 "guest used a foreign syscall ABI (arch %#x, syscall %d); "
			 "uos supports x86-64 only",
			 arch, nr);
	else
		return false;
	return true;
}
