/*
 * The guest's seccomp filter (see seccomp.h), built with libseccomp from
 * sys_table.
 *
 * Default for the native ABI: SECCOMP_RET_TRACE, so uos answers the call at
 * its ptrace seccomp stop.  HOST rows are allowed without a stop unless
 * --trace, --summary or serial scheduling is on, and only with arguments
 * that pass their allow-list: a clock id argument only for the ids
 * hostargs_clockid_ok accepts (one rule per accepted range), the rows of
 * hostargs.c only for their values or flags; other calls stop, and the
 * dispatcher refuses them (hostargs_check).
 * libseccomp's "bad arch" action catches both foreign ABIs: i386 calls
 * carry AUDIT_ARCH_I386, and x32 numbers (bit 0x40000000) are sent to the
 * same action by the filter libseccomp generates for x86-64.
 */
#define UOS_LIBSECCOMP /* see seccomp.h */
#include <seccomp.h>   /* ours, then libseccomp's */

#include <errno.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "hostargs.h"
#include "kernel.h"
#include "syscall.h"

#define X32_SYSCALL_BIT 0x40000000
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS (asm-generic/siginfo.h; not in glibc) */
#endif

/* Linux's encoding of CPU clock ids (include/linux/posix-timers_types.h). */
/* Allow a HOST call whose argument i is a clock id, for the ids allowed. */
static int allow_clockid(scmp_filter_ctx ctx, int nr, unsigned int i)
{
	/* clockid_t is an int: test the low 32 bits only. */
	struct scmp_arg_cmp cmp = {i, SCMP_CMP_MASKED_EQ, 0x80000000u, 0};
	int r = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);

	for (int id = -8; id < 0 && r == 0; id++) {
		if (!hostargs_clockid_ok(id))
			continue;
		cmp = (struct scmp_arg_cmp){i, SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint32_t)id};
		r = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
	}
	return r;
}

/*
 * Allow a HOST call whose argument passes its allow-list h (hostargs.c):
 * one rule per allowed value, or one rule that no bit outside the allowed
 * flags is set.  Arguments are ints: the low 32 bits are compared.
 */
static int allow_rule(scmp_filter_ctx ctx, int nr, const struct hostarg_rule *h)
{
	struct scmp_arg_cmp cmp = {(unsigned int)h->arg, SCMP_CMP_MASKED_EQ,
				   0xffffffffu & ~h->flags, 0};
	int r = 0;

	if (!h->values)
		return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
	for (size_t v = 0; v < h->nvalues && r == 0; v++) {
		cmp = (struct scmp_arg_cmp){(unsigned int)h->arg, SCMP_CMP_MASKED_EQ, 0xffffffffu,
					    h->values[v]};
		r = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
	}
	return r;
}

/* Allow one HOST row without a stop, when its arguments pass (hostargs_check stops the rest). */
static int allow_row(scmp_filter_ctx ctx, int nr, const struct sys_entry *e)
{
	int i = sys_arg_index(e, ARG_CLOCKID);
	const struct hostarg_rule *h = hostargs_rule(nr);

	if (i >= 0)
		return allow_clockid(ctx, nr, (unsigned int)i);
	if (h)
		return allow_rule(ctx, nr, h);
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
}

/*
 * futex in host mode: the host runs the operations that compare and wake
 * words in the caller's own memory without a stop; the PI operations, which
 * read owner tids out of the words (virtual tids), stop so that uos refuses
 * them (sys_futex.c).
 */
static int allow_futex(scmp_filter_ctx ctx)
{
	static const int host_ops[] = {FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE,
				       FUTEX_WAKE_OP, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET};
	const uint64_t cmd_mask = 0xffffffffu & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	for (size_t i = 0; i < sizeof(host_ops) / sizeof(host_ops[0]); i++) {
		int r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_futex, 1,
					 SCMP_A1(SCMP_CMP_MASKED_EQ, cmd_mask, host_ops[i]));
		if (r < 0)
			return r;
	}
	return 0;
}

static int allow_host_rows(scmp_filter_ctx ctx)
{
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (!e || e->level != SYS_HOST)
			continue;
		int r = allow_row(ctx, nr, e);
		if (r < 0)
			return r;
	}
	return 0;
}

int seccomp_install(const struct kernel *k)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRACE(0));
	int r;

	if (!ctx)
		return -ENOMEM;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP);
	if (r == 0 && !k->opts.trace && !k->opts.summary && !k->sched.serial)
		r = allow_host_rows(ctx);
	if (r == 0 && !k->opts.trace && !k->opts.summary && !k->sched.serial)
		r = allow_futex(ctx);
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r < 0 ? r : 0;
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
