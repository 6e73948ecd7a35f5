/*
 * The guest's seccomp filter (see seccomp.h): one of the three that
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
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS (asm-generic/siginfo.h; not in glibc) */
#endif

static bool every_call(const struct kernel *k)
{
	return k->opts.trace || k->opts.summary || k->sched.serial;
}

bool seccomp_notifies(const struct kernel *k)
{
	return !every_call(k) && k->opts.notify;
}

/* Install filter[len] with flags: the listener's fd, 0, or -errno. */
static long install(const struct sock_filter *filter, size_t len, unsigned long flags)
{
	struct sock_fprog prog = {.len = (unsigned short)len, .filter = (struct sock_filter *)filter};
	return uos_raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (long)flags, (long)&prog, 0, 0);
}

int seccomp_install(const struct kernel *k, int *listener)
{
	long r = uos_raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	*listener = -1;
	if (r < 0)
		return (int)r;
	if (every_call(k))
		return (int)install(seccomp_bpf_all, ARRAY_SIZE(seccomp_bpf_all), 0);
	if (seccomp_notifies(k)) {
		r = install(seccomp_bpf_notify, ARRAY_SIZE(seccomp_bpf_notify),
			    SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
		if (r >= 0) {
			*listener = (int)r;
			return 0;
		}
		if (r != -EINVAL)
			return (int)r;
		/* no WAIT_KILLABLE_RECV before Linux 5.19: stops only */
	}
	return (int)install(seccomp_bpf_host, ARRAY_SIZE(seccomp_bpf_host), 0);
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
