/*
 * The guest interface's calls that act through ptrace (guest.h): injected
 * calls, a call the host runs in place of the one trapped, and the exec of
 * the stub.  Injected calls run in the stub's chain (stub.h): each costs
 * one stop, the placeholder's seccomp stop that follows it, plus one stop
 * to enter the chain when the task is not at a seccomp stop.  At an exec
 * the loader's calls run without a stop between them, in a batch on the
 * loader's page (guest_batch_run), whose end seals uos's region.
 * Every stop they make is checked against what uos asked (struct inject_want):
 * signals met on the way are held, anything else kills the guest.  Only
 * here does uos wait for one task; every other stop comes through the
 * event loop (loop.c, trap_stop).
 */

#include "trap_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "stub.h"
#include "syscall.h"

static void set_args(struct task *t, const unsigned long a[6])
{
	t->regs.rdi = a[0];
	t->regs.rsi = a[1];
	t->regs.rdx = a[2];
	t->regs.r10 = a[3];
	t->regs.r8 = a[4];
	t->regs.r9 = a[5];
	t->regs_dirty = true;
}

static bool as_wanted(const struct task *t, int st, const struct inject_want *w)
{
	const struct user_regs_struct *r = &t->regs;
	if (trap_stop_kind(st) != w->stop || r->rip != w->rip || (long long)r->orig_rax != w->nr)
		return false;
	const unsigned long a[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
	return !w->args || !memcmp(a, w->args, sizeof(a));
}

/* Does the host show host task hpid dead (a zombie, or gone)? */
static bool host_task_dead(pid_t hpid)
{
	char path[40], *buf;
	const char *f[4]; /* the state is field 3 */
	snprintf(path, sizeof(path), "/proc/%d/stat", hpid);
	bool dead = uos_proc_stat(path, &buf, f, 4) < 3 || f[3][0] == 'Z' || f[3][0] == 'X';
	free(buf);
	return dead;
}

/*
 * Wait for t's next stop or death: 0 with *st, or -ESRCH.  A blocking
 * waitpid on one task would wait for ever for a thread-group leader that
 * died while its threads live: the host reports it only after them, and
 * they may sit in stops waiting for uos.  So a leader with threads is
 * waited for SIGCHLD by SIGCHLD, and given up once the host shows it dead
 * (with a listener SIGCHLD goes to intr.h's handler, not chldfd: the poll
 * then ends with EINTR at each).
 */
static int wait_task(struct task *t, int *st)
{
	bool alone = t->hpid != t->tg->host_tgid || t->tg->nr_threads <= 1;
	struct pollfd chld = {t->k->chldfd, POLLIN, 0};
	struct signalfd_siginfo si;
	for (;;) {
		pid_t r = waitpid(t->hpid, st, __WALL | (alone ? 0 : WNOHANG));
		if (r == t->hpid)
			return 0;
		if (r < 0 && errno != EINTR) {
			*st = 0; /* not ours to wait for any more: gone */
			return 0;
		}
		if (r == 0 && poll(&chld, 1, 20) > 0 && read(chld.fd, &si, sizeof(si)) > 0)
			continue;
		if (r == 0 && host_task_dead(t->hpid))
			return -ESRCH;
	}
}

/*
 * Resume t with req and wait for the stop w describes: 0.  Signals met on
 * the way are held.  A task that dies, or reaches its exit event (then it
 * is let go; its death comes through the event loop), gives -ESRCH; so
 * does any other stop, after the guest is killed for it.
 */
int inject_await_stop(struct task *t, int req, const struct inject_want *w)
{
	ptrace(req, t->hpid, 0, 0);
	for (;;) {
		int st;
		if (wait_task(t, &st) < 0) {
			t->stop = TASK_RUNNING; /* dead to the host; its end comes through the loop */
			return -ESRCH;
		}
		if (!WIFSTOPPED(st)) {
			t->stop = TASK_DEAD;
			t->wstatus = st;
			return -ESRCH;
		}
		t->stop = trap_stop_kind(st);
		if (!trap_get_regs(t))
			return -ESRCH;
		if (as_wanted(t, st, w))
			return 0;
		if (t->stop == TASK_STOP_EVENT && (unsigned)st >> 16 == PTRACE_EVENT_EXIT) {
			trap_at_exit_event(t);
			ptrace(PTRACE_CONT, t->hpid, 0, 0);
			t->stop = TASK_RUNNING;
			return -ESRCH;
		}
		if (t->stop == TASK_STOP_SIGNAL)
			trap_hold_signal(t, WSTOPSIG(st));
		else
			trap_violation(t, "unexpected stop in a call uos injected");
		ptrace(req, t->hpid, 0, 0);
	}
}

#define X86_EFLAGS_TF 0x100UL

/* Resume t and wait for the chain's placeholder call: 0, or -ESRCH. */
static int chain_await(struct task *t)
{
	static const struct inject_want w = {TASK_STOP_SECCOMP, STUB_CHAIN_STOP, STUB_CHAIN_NR, NULL};
	trap_put_regs(t);
	return inject_await_stop(t, PTRACE_CONT, &w);
}

/* From a stop that is not a seccomp stop, run the code at rip into the chain's placeholder. */
static int chain_enter_at(struct task *t, unsigned long rip)
{
	t->regs.orig_rax = -1; /* no restart of the call it stopped in */
	t->regs.rip = rip;
	t->regs.eflags &= ~X86_EFLAGS_TF;
	t->regs_dirty = true;
	return chain_await(t);
}

int inject_chain_enter(struct task *t)
{
	return chain_enter_at(t, STUB_CHAIN_CALL);
}

/*
 * The exec's batch (guest_batch_begin): the table as the loader's page
 * reads it (stub.h), and what each call returns when it does what it was
 * asked.  uos loads one exec at a time.
 */
struct batch_call {
	long nr;
	unsigned long a[6];
};
_Static_assert(sizeof(struct batch_call) == 56, "the loader reads entries of 56 bytes");

static struct {
	int n;
	struct batch_call call[STUB_TABLE_MAX + 1];
	long want[STUB_TABLE_MAX];
} batch;

void guest_batch_begin(struct task *t)
{
	batch.n = 0;
	t->batching = true;
}

/* What a call the loader's page may make returns when it works: -1 for one it may not make. */
static long batch_foretell(int nr, const unsigned long a[6])
{
	switch (nr) {
	case SYS_mmap:
		return a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE) ? (long)a[0] : -1;
	case SYS_recvmsg:
		return 1; /* the byte of a file's message */
	case SYS_mprotect:
	case SYS_munmap:
	case SYS_close:
	case SYS_close_range:
		return 0;
	default:
		return -1;
	}
}

/* Did the loader's own calls work: made PROT_NONE (r14), sealed (rbx) or no mseal in the host? */
static int batch_sealed(const struct task *t)
{
	long prot = (long)t->regs.r14, seal = (long)t->regs.rbx;
	if (prot)
		return prot < 0 && prot > -4096 ? (int)prot : -EIO;
	return seal == 0 || seal == -ENOSYS || seal == -EINVAL ? 0 : (int)seal;
}

/* Compare the results the loader wrote over the table with what was foretold. */
static int batch_check(struct task *t)
{
	int r = gmem_read(t, batch.call, STUB_TABLE, batch.n * sizeof(batch.call[0]));
	for (int i = 0; i < batch.n && r == 0; i++) {
		long got = batch.call[i].nr; /* untrusted: the guest can write the output area */
		if (got != batch.want[i])
			r = got < 0 && got > -4096 ? (int)got : -EIO;
	}
	return r;
}

int guest_batch_run(struct task *t)
{
	if (!t->batching)
		return 0; /* run already, when it was full */
	t->batching = false;
	batch.call[batch.n].nr = -1;
	int r = gmem_write(t, STUB_TABLE, batch.call, (batch.n + 1) * sizeof(batch.call[0]));
	if (r == 0 && chain_enter_at(t, STUB_BATCH) < 0)
		return -ESRCH;
	if (r == 0)
		r = batch_sealed(t);
	if (r == 0)
		r = batch_check(t);
	if (r < 0)
		guest_chan_drain(t->k); /* a file no recvmsg took */
	return r;
}

/* Queue a loader's call that returns want when it works; return that. */
static long batch_add(int nr, const unsigned long a[6], long want)
{
	batch.want[batch.n] = want;
	batch.call[batch.n].nr = nr;
	memcpy(batch.call[batch.n++].a, a, sizeof(batch.call[0].a));
	return want;
}

/*
 * At t's seccomp stop, make the call there call nr with args instead (the
 * guest's registers saved first): no code runs before it.
 */
static void become(struct task *t, int nr, const unsigned long args[6])
{
	if (!t->injected) {
		t->saved = t->regs;
		t->injected = true;
	}
	t->regs.orig_rax = nr;
	t->regs.eflags &= ~X86_EFLAGS_TF;
	set_args(t, args);
}

long guest_call(struct task *t, int nr, const unsigned long args[6])
{
	UOS_BUG_ON(sys_lookup(nr)->level == SYS_HOST); /* the filter may let it pass unseen */
	if (t->stop == TASK_DEAD || t->stop == TASK_RUNNING)
		return -ESRCH; /* dead, or let go at its exit event */
	if (t->batching) {
		long want = batch_foretell(nr, args);
		if (want != -1 && batch.n < (int)STUB_TABLE_MAX)
			return batch_add(nr, args, want);
		long r = guest_batch_run(t); /* full, or a call the page may not make: this one after */
		if (r < 0)
			return r;
	}
	if (t->stop == TASK_NOTIFIED) { /* at no stop: sys_notified_needs_stop should have said */
		uos_warn("[%d] call %d injected in notified call %d: ENOSYS", t->tid, nr, t->cur.nr);
		return -ENOSYS;
	}
	if (t->stop != TASK_STOP_SECCOMP && inject_chain_enter(t) < 0)
		return -ESRCH;
	/* The call being served, or the placeholder, becomes this one and returns into the chain. */
	become(t, nr, args);
	t->regs.rip = STUB_CHAIN;
	if (chain_await(t) < 0)
		return -ESRCH;
	return (long)t->regs.rbx;
}

unsigned long guest_stack_scratch(struct task *t, size_t len)
{
	unsigned long sp = t->injected ? t->saved.rsp : t->regs.rsp;
	return (sp - 128 - len) & ~15UL;
}

void guest_host_runs(struct task *t, int nr, const unsigned long args[6])
{
	UOS_BUG_ON(t->stop != TASK_STOP_SECCOMP || t->injected);
	t->saved = t->regs;
	t->rewritten = true;
	t->regs.orig_rax = nr;
	set_args(t, args);
}

void inject_host_runs_r8(struct task *t, unsigned long r8)
{
	UOS_BUG_ON(t->stop != TASK_STOP_SECCOMP);
	if (t->injected) /* at the chain's placeholder: the guest's own call again */
		t->regs = t->saved;
	t->injected = false;
	t->regs.r11 = t->regs.r8;
	t->regs.rcx = t->regs.rip;
	t->regs.r8 = r8;
	t->regs.rip = STUB_RESUME_R8;
	t->regs_dirty = true;
}

/* Give back the argument registers a rewritten call changed (glibc's vfork keeps its return address in rdi). */
void inject_restore_args(struct task *t, const struct user_regs_struct *orig)
{
	const unsigned long a[6] = {orig->rdi, orig->rsi, orig->rdx, orig->r10, orig->r8, orig->r9};
	set_args(t, a);
}

long guest_exec(struct task *t, size_t pad)
{
	UOS_BUG_ON(t->stop != TASK_STOP_SECCOMP);
	unsigned long args[6];
	stub_exec_args(GUEST_STUB_FD, pad, args);
	become(t, SYS_execveat, args);
	t->exec = TASK_EXEC_RUNNING;
	return -UOS_ENORESULT;
}
