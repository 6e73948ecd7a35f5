/*
 * seccomp_gen: builds the guest's seccomp filters with libseccomp when uos
 * is built, and writes them as C arrays (seccomp_bpf.h, which seccomp.c
 * includes).  Building the filter at run time cost each start of uos about
 * 0.9 ms in the first guest, more than the rest of its setup; the filter
 * depends only on syscalls.def and hostargs.c, which are fixed when uos is
 * built.
 *
 *   seccomp_gen OUT.h
 *
 * Three filters, all SECCOMP_RET_TRACE by default:
 * - seccomp_bpf_host: HOST rows are allowed without a stop, and only with
 *   arguments that pass their allow-list: a clock id argument only for the
 *   ids hostargs_clockid_ok accepts (one rule per accepted range), the rows
 *   of hostargs.c only for their values or flags; other calls stop, and the
 *   dispatcher refuses them (hostargs_check).  The futex operations on the
 *   caller's own words are allowed too (allow_futex).
 * - seccomp_bpf_notify: as seccomp_bpf_host, and the rows sys_notified
 *   names go to uos's listener (SECCOMP_RET_USER_NOTIF) instead of a stop;
 *   but a call made from uos's page takes seccomp_bpf_host's answer
 *   (join_stub_test).
 * - seccomp_bpf_all: every call stops (--trace, --summary, serial
 *   scheduling).
 * All three let uos's seal of its own page pass (allow_stub_seal), and
 * the loader's calls at an exec (prepend_batch_test).
 * libseccomp's "bad arch" action catches both foreign ABIs: i386 calls
 * carry AUDIT_ARCH_I386, and x32 numbers (bit 0x40000000) are sent to the
 * same action by the filter libseccomp generates for x86-64.
 */
#include <seccomp.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hostargs.h"
#include "stub.h"
#include "syscall.h"

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

/*
 * uos's own end of an exec's load (stub.h, STUB_SEAL): the loader's page
 * made PROT_NONE and uos's region sealed, only those ranges, in every
 * filter, so that they cost no stop.  A guest making the same calls
 * changes what is inaccessible and sealed already.
 */
static int allow_stub_seal(scmp_filter_ctx ctx)
{
	int r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SYS_mprotect, 3,
				 SCMP_A0(SCMP_CMP_EQ, STUB_BATCH), SCMP_A1(SCMP_CMP_EQ, STUB_PAGE),
				 SCMP_A2(SCMP_CMP_EQ, PROT_NONE));
	if (r < 0)
		return r;
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, STUB_SEAL_NR, 3,
				SCMP_A0(SCMP_CMP_EQ, STUB_ADDR), SCMP_A1(SCMP_CMP_EQ, STUB_SIZE),
				SCMP_A2(SCMP_CMP_EQ, 0));
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
	return allow_futex(ctx);
}

/*
 * The listener's rule for row nr: mmap only when it maps no file (a file's
 * mapping gives the guest a host fd: a stop, guest.h), brk only as brk(0)
 * (one that moves the break maps or unmaps: injected calls, at a stop),
 * any other whole.
 */
static int notify_rule(scmp_filter_ctx ctx, int nr)
{
	if (nr == SYS_mmap)
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1,
					SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS));
	if (nr == SYS_brk)
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1, SCMP_A0(SCMP_CMP_EQ, 0));
	return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
}

/* Send the rows sys_notified names to the listener (notify_rule). */
static int notify_rows(scmp_filter_ctx ctx)
{
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		if (!sys_notified(nr))
			continue;
		int r = notify_rule(ctx, nr);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A filter's instructions. */
struct prog {
	struct sock_filter *ins;
	size_t n;
};

/*
 * Build one filter (HOST rows allowed or not, notified rows or not) into
 * *p: 0 or -errno.
 */
static int build(struct prog *p, bool host, bool notify)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRACE(0));
	int fd = memfd_create("seccomp_gen", 0);
	int r = ctx && fd >= 0 ? 0 : -ENOMEM;
	off_t len = 0;

	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP);
	if (r == 0)
		r = allow_stub_seal(ctx);
	if (r == 0 && host)
		r = allow_host_rows(ctx);
	if (r == 0 && notify)
		r = notify_rows(ctx);
	if (r == 0)
		r = seccomp_export_bpf(ctx, fd);
	if (r == 0 && (len = lseek(fd, 0, SEEK_END)) < 0)
		r = -errno;
	if (r == 0 && (len == 0 || len % sizeof(struct sock_filter))) /* never a cut filter */
		r = -EIO;
	if (r == 0 && !(p->ins = malloc(len)))
		r = -ENOMEM;
	if (r == 0 && pread(fd, p->ins, len, 0) != len)
		r = -EIO;
	p->n = r == 0 ? len / sizeof(struct sock_filter) : 0;
	if (ctx)
		seccomp_release(ctx);
	if (fd >= 0)
		close(fd);
	return r;
}

/*
 * The listener's filter: a call made from uos's page (the code of the
 * calls uos injects, stub.h) takes the host filter's answer, a stop, so
 * that no call uos injects waits for its own listener; every other call
 * takes the notifying filter's.  The programs are put one after the other
 * behind a test of the instruction pointer (their jumps are relative).  A
 * guest that jumps into uos's page only gets stops in place of answers.
 */
static int join_stub_test(struct prog *out, const struct prog *notify, const struct prog *host)
{
	const unsigned ip = offsetof(struct seccomp_data, instruction_pointer);
	const struct sock_filter test[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip + 4), /* the high half: uos's page is below 4 GiB */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, STUB_ADDR, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, STUB_ADDR + STUB_PAGE, 1, 0),
		BPF_STMT(BPF_JMP | BPF_JA | BPF_K, (unsigned)notify->n),
	};
	_Static_assert(STUB_ADDR + STUB_PAGE < (1UL << 32), "the test reads the low half");
	enum { NTEST = sizeof(test) / sizeof(test[0]) };
	size_t n = NTEST + notify->n + host->n;
	if (n > BPF_MAXINSNS)
		return -E2BIG;
	out->ins = malloc(n * sizeof(*out->ins));
	if (!out->ins)
		return -ENOMEM;
	memcpy(out->ins, test, sizeof(test));
	memcpy(out->ins + NTEST, notify->ins, notify->n * sizeof(*out->ins));
	memcpy(out->ins + NTEST + notify->n, host->ins, host->n * sizeof(*out->ins));
	out->n = n;
	return 0;
}

/*
 * Put in front of p the test that lets the loader's calls through (stub.h,
 * STUB_BATCH): an x86-64 call whose instruction pointer is STUB_BATCH_RET
 * (so made by the `syscall` before it, on the loader's page, which runs
 * only before an exec's program does) and whose number is one the loader
 * makes is allowed; any other goes on to p.
 */
static int prepend_batch_test(struct prog *p)
{
	const unsigned arch = offsetof(struct seccomp_data, arch);
	const unsigned ip = offsetof(struct seccomp_data, instruction_pointer);
	const unsigned nr = offsetof(struct seccomp_data, nr);
	const struct sock_filter test[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 13),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 11),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STUB_BATCH_RET, 0, 9),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_munmap, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_recvmsg, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 1, 0),
		BPF_STMT(BPF_JMP | BPF_JA | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	_Static_assert(STUB_BATCH_RET < (1UL << 32), "the test reads the low half");
	enum { NTEST = sizeof(test) / sizeof(test[0]) };
	if (NTEST + p->n > BPF_MAXINSNS)
		return -E2BIG;
	struct sock_filter *ins = malloc((NTEST + p->n) * sizeof(*ins));
	if (!ins)
		return -ENOMEM;
	memcpy(ins, test, sizeof(test));
	memcpy(ins + NTEST, p->ins, p->n * sizeof(*ins));
	free(p->ins);
	p->ins = ins;
	p->n += NTEST;
	return 0;
}

static void emit(FILE *out, const char *name, const struct prog *p)
{
	fprintf(out, "static const struct sock_filter %s[] = {\n", name);
	for (size_t i = 0; i < p->n; i++)
		fprintf(out, "\t{%#x, %u, %u, %#x},\n", p->ins[i].code, p->ins[i].jt, p->ins[i].jf,
			p->ins[i].k);
	fprintf(out, "};\n");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seccomp_gen OUT.h\n");
		return 2;
	}
	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		fprintf(stderr, "seccomp_gen: the guest's filter is for x86-64 hosts only\n");
		return 1;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out, "/* Generated by seccomp_gen.c when uos is built: do not edit. */\n");
	struct prog host = {0}, notify = {0}, all = {0}, listener = {0};
	int r = build(&host, true, false);
	if (r == 0)
		r = build(&notify, true, true);
	if (r == 0)
		r = build(&all, false, false);
	if (r == 0)
		r = join_stub_test(&listener, &notify, &host);
	struct prog *outs[] = {&host, &listener, &all};
	for (size_t i = 0; i < 3 && r == 0; i++)
		r = prepend_batch_test(outs[i]);
	if (r == 0) {
		emit(out, "seccomp_bpf_host", &host);
		emit(out, "seccomp_bpf_notify", &listener);
		emit(out, "seccomp_bpf_all", &all);
	}
	free(host.ins);
	free(notify.ins);
	free(all.ins);
	free(listener.ins);
	if (fclose(out) != 0 && r == 0)
		r = -errno;
	if (r < 0) {
		fprintf(stderr, "seccomp_gen: %s\n", strerror(-r));
		remove(argv[1]);
		return 1;
	}
	return 0;
}
