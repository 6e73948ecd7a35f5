/*
 * The trap transport (see trap.h) and the event loop.
 *
 * Protocol per stop: waitpid -> read the registers once -> decide -> write
 * them back once if changed -> resume.  A task is in exactly one of the
 * states of enum task_stop.  Host signals that arrive while uos is injecting
 * calls are held in t->pending_sig and delivered when the task resumes.
 */

#include "trap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "crash.h"
#include "exec.h"
#include "gmem.h"
#include "scheduler.h"
#include "robust.h"
#include "seccomp.h"
#include "sigsend.h"
#include "stub.h"
#include "syscall.h"
#include "trace.h"

#define PTRACE_OPTS                                                                                \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD |   \
	 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXIT)
#define SYSCALL_EXIT_SIG (SIGTRAP | 0x80)
#define PAD_STRING 65536

/* The kind of stop a wait status describes. */
static enum task_stop stop_kind(int st)
{
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;
	if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP)
		return TASK_STOP_SECCOMP;
	if (sig == SYSCALL_EXIT_SIG)
		return TASK_STOP_EXIT;
	if (sig == SIGTRAP && event)
		return TASK_STOP_EVENT;
	return TASK_STOP_SIGNAL;
}

static void get_regs(struct task *t)
{
	if (ptrace(PTRACE_GETREGS, t->hpid, 0, &t->regs) < 0)
		memset(&t->regs, 0, sizeof(t->regs));
	t->regs_dirty = false;
}

static void put_regs(struct task *t)
{
	if (t->regs_dirty)
		ptrace(PTRACE_SETREGS, t->hpid, 0, &t->regs);
	t->regs_dirty = false;
}

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

/*
 * Resume t with req.  ptrace delivers a signal only from a signal-delivery
 * stop; from any other stop a held signal, or one uos sends (kill, SIGPIPE),
 * is queued with tkill and comes back as a signal-delivery stop.
 */
static void resume(struct task *t, int req)
{
	int sig = 0;
	if (t->stop == TASK_STOP_SIGNAL)
		sig = t->pending_sig;
	else if (t->pending_sig)
		syscall(SYS_tkill, t->hpid, t->pending_sig);
	t->pending_sig = 0;
	t->sig_unseen = false; /* the host delivers what is pending */
	put_regs(t);
	if (t->k->sched.serial) { /* the scheduler decides when it runs */
		sched_ready(t, req, sig);
		return;
	}
	ptrace(req, t->hpid, 0, sig);
	t->stop = TASK_RUNNING;
}

void trap_run_task(struct task *t)
{
	ptrace(t->ready_req, t->hpid, 0, t->ready_sig);
	t->stop = TASK_RUNNING;
}

/* A signal the host dequeued while uos injects: queued again on resume, with its siginfo. */
static void hold_signal(struct task *t, int sig)
{
	siginfo_t si;
	t->pending_sig = sig;
	if (ptrace(PTRACE_GETSIGINFO, t->hpid, 0, &si) == 0)
		sig_hold_info(t, &si);
}

/*
 * Resume t with req and wait until it reaches a stop of kind want.  Signals
 * met on the way are held.  0, or -ESRCH when the task is gone.
 */
static int run_until(struct task *t, int req, enum task_stop want)
{
	int st;
	ptrace(req, t->hpid, 0, 0);
	for (;;) {
		if (waitpid(t->hpid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			st = 0;
		}
		if (!WIFSTOPPED(st)) {
			t->stop = TASK_DEAD;
			t->wstatus = st;
			return -ESRCH;
		}
		enum task_stop kind = stop_kind(st);
		if (kind == want) {
			t->stop = kind;
			get_regs(t);
			return 0;
		}
		if (kind == TASK_STOP_SIGNAL && !t->pending_sig)
			hold_signal(t, WSTOPSIG(st));
		ptrace(req, t->hpid, 0, 0);
	}
}

long trap_inject(struct task *t, int nr, const unsigned long args[6])
{
	int r;
	if (t->stop == TASK_STOP_SECCOMP) {
		/* Turn the call being served into the injected one. */
		if (!t->injected) {
			t->saved = t->regs;
			t->injected = true;
		}
		t->regs.orig_rax = nr;
		set_args(t, args);
		put_regs(t);
		r = run_until(t, PTRACE_SYSCALL, TASK_STOP_EXIT);
	} else {
		UOS_BUG_ON(t->stop != TASK_STOP_EXIT && t->stop != TASK_STOP_EVENT);
		/*
		 * Run the gadget to the call's entry stop, then to its exit stop
		 * (a seccomp stop between, when the filter traps nr, is passed):
		 * a call the filter allows has no seccomp stop to wait for.
		 */
		t->regs.rip = t->gadget;
		t->regs.rax = nr;
		set_args(t, args);
		put_regs(t);
		r = run_until(t, PTRACE_SYSCALL, TASK_STOP_EXIT);
		if (r == 0)
			r = run_until(t, PTRACE_SYSCALL, TASK_STOP_EXIT);
	}
	if (r < 0)
		return r;
	t->gadget = t->regs.rip - 2; /* the syscall instruction just run */
	return (long)t->regs.rax;
}

unsigned long trap_scratch(struct task *t, size_t len)
{
	unsigned long sp = t->injected ? t->saved.rsp : t->regs.rsp;
	return (sp - 128 - len) & ~15UL;
}

void trap_set_call(struct task *t, int nr, const unsigned long args[6])
{
	UOS_BUG_ON(t->stop != TASK_STOP_SECCOMP || t->injected);
	t->saved = t->regs;
	t->rewritten = true;
	t->regs.orig_rax = nr;
	set_args(t, args);
}

/* Give back the argument registers a rewritten call changed (glibc's vfork keeps its return address in rdi). */
static void restore_args(struct task *t, const struct user_regs_struct *orig)
{
	const unsigned long a[6] = {orig->rdi, orig->rsi, orig->rdx, orig->r10, orig->r8, orig->r9};
	set_args(t, a);
}

void trap_start_exec(struct task *t, unsigned long path, unsigned long argv, unsigned long envp)
{
	const unsigned long a[6] = {path, argv, envp};
	if (t->stop == TASK_STOP_SECCOMP && !t->injected) {
		t->saved = t->regs;
		t->regs.orig_rax = SYS_execve;
	} else {
		t->regs.rip = t->gadget;
		t->regs.rax = SYS_execve;
	}
	set_args(t, a);
	t->in_exec = true;
}

/*
 * A ppoll/pselect6/epoll_pwait ends because its mask let a signal through:
 * the signal is delivered under that mask.  When a handler takes it, the
 * task is single-stepped into the handler, where uos writes the old mask
 * into the frame's uc_sigmask, so that the handler runs with the call's
 * mask (plus sa_mask) and its sigreturn restores the old one, as Linux's
 * saved sigmask does; otherwise the old mask comes back at once.
 */
static void swap_in_call_mask(struct task *t)
{
	if (!t->has_call_mask)
		return;
	if (ptrace(PTRACE_GETSIGMASK, t->hpid, sizeof(uint64_t), &t->restore_mask) == 0 &&
	    ptrace(PTRACE_SETSIGMASK, t->hpid, sizeof(uint64_t), &t->call_mask) == 0)
		t->mask_swapped = true;
}

static void restore_call_mask(struct task *t)
{
	if (!t->mask_swapped)
		return;
	ptrace(PTRACE_SETSIGMASK, t->hpid, sizeof(uint64_t), &t->restore_mask);
	t->mask_swapped = false;
}

/* Finish the call t->cur with result r and resume the task. */
static void complete(struct task *t, long r)
{
	if (t->stop == TASK_DEAD) {
		task_exit(t, t->wstatus, NULL);
		return;
	}
	if (r == -UOS_EBLOCK) { /* parked: it stays at its seccomp stop */
		UOS_BUG_ON(!t->parked); /* it may hold injected calls' registers: complete restores them */
		sig_check_parking(t);
		return;
	}
	if (r == -UOS_EHOST) {
		UOS_BUG_ON(t->injected);
		if (t->cur.nr == SYS_exit || t->cur.nr == SYS_exit_group)
			sys_finish(t, -UOS_ENORESULT); /* no exit stop follows: trace it now */
		bool at_exit = t->host_exit || t->k->opts.trace || t->k->opts.summary;
		resume(t, at_exit ? PTRACE_SYSCALL : PTRACE_CONT);
		return;
	}
	if (t->in_exec) { /* the host now runs execve of the stub */
		/* From an exit stop, PTRACE_SYSCALL would stop at the entry first. */
		resume(t, t->stop == TASK_STOP_SECCOMP ? PTRACE_SYSCALL : PTRACE_CONT);
		return;
	}
	if (r != -UOS_ENORESULT) {
		if (t->injected)
			t->regs = t->saved;
		else
			t->regs.orig_rax = -1;
		t->regs.rax = r;
		t->regs_dirty = true;
	}
	t->injected = false;
	sys_finish(t, r);
	resume(t, PTRACE_CONT);
}

static void on_seccomp(struct task *t)
{
	if (t->in_exec) { /* uos's own code in the child, or the stub's execve */
		resume(t, PTRACE_SYSCALL);
		return;
	}
	const struct user_regs_struct *r = &t->regs;
	t->cur = (struct sysargs){(int)r->orig_rax, {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9}};
	t->host_exit = NULL;
	t->io_done = 0;
	t->call_end = (struct timespec){0, 0};
	t->has_call_mask = false;
	restore_call_mask(t); /* no signal came after all */
	complete(t, sys_dispatch(t));
}

/* The host's execve of the stub failed: give the guest the error. */
static void exec_failed(struct task *t, long r)
{
	exec_plan_free(t->plan);
	t->plan = NULL;
	t->in_exec = false;
	t->regs = t->saved;
	t->regs.rax = r;
	t->regs_dirty = true;
	t->injected = false;
	sys_finish(t, r);
	resume(t, PTRACE_CONT);
}

/* The exit stop of a call the host ran. */
static void on_syscall_exit(struct task *t)
{
	long r = (long)t->regs.rax;
	if (t->in_exec) {
		if (t->regs.orig_rax == SYS_execve) /* trap_start_exec's, which failed */
			exec_failed(t, r);
		else
			resume(t, PTRACE_CONT); /* uos's own calls in the child before its exec */
		return;
	}
	if (t->rewritten) {
		restore_args(t, &t->saved);
		t->rewritten = false;
	}
	if (t->host_exit) {
		long g = t->host_exit(t, &t->cur, r);
		if (g != r) {
			t->regs.rax = g;
			t->regs_dirty = true;
		}
		r = g;
	}
	t->host_exit = NULL;
	sys_finish(t, r);
	resume(t, PTRACE_CONT);
}

static void on_exec(struct task *t)
{
	if (!t->plan) {
		uos_warn("[%d] host exec without a plan; killing the task", t->tid);
		kill(t->hpid, SIGKILL);
		resume(t, PTRACE_CONT);
		return;
	}
	t->injected = false; /* the registers saved before the exec belong to a gone image */
	/* execve is still returning: let it finish, or it would overwrite rax. */
	int r = run_until(t, PTRACE_SYSCALL, TASK_STOP_EXIT);
	t->gadget = STUB_ENTRY;
	if (r == 0)
		r = exec_commit(t);
	if (t->stop == TASK_DEAD) {
		task_exit(t, t->wstatus, NULL);
		return;
	}
	if (r < 0) {
		uos_warn("[%d] exec failed after the point of no return: %s", t->tid, strerror(-r));
		kill(t->hpid, SIGKILL);
	}
	t->in_exec = false;
	t->injected = false;
	if (t->cur.nr == SYS_execve || t->cur.nr == SYS_execveat)
		sys_finish(t, 0);
	resume(t, PTRACE_CONT);
}

/* The offset of uc_sigmask in the signal frame at a handler's entry (pretcode, then the ucontext). */
#define FRAME_SIGMASK (sizeof(unsigned long) + offsetof(ucontext_t, uc_sigmask))

static bool caught(const struct task *t, int sig)
{
	unsigned long h = t->tg->sig.action[sig - 1].handler;
	return h != (unsigned long)SIG_DFL && h != (unsigned long)SIG_IGN;
}

/* The single step into the handler is done: the frame gets the mask to restore. */
static void fix_frame_mask(struct task *t)
{
	gmem_write(t, t->regs.rsp + FRAME_SIGMASK, &t->restore_mask, sizeof(t->restore_mask));
	t->mask_swapped = t->frame_mask = false;
	resume(t, PTRACE_CONT);
}

/*
 * A host kernel without i386 emulation answers int $0x80 with a general
 * protection fault (SIGSEGV, SI_KERNEL) before seccomp sees it: name the
 * ABI as the filter's SIGSYS would.
 */
static bool int80_fault(struct task *t, int sig, const siginfo_t *si, char *msg, size_t n)
{
	unsigned char code[2];

	if (sig != SIGSEGV || si->si_code != SI_KERNEL ||
	    gmem_read(t, code, t->regs.rip, sizeof(code)) || code[0] != 0xcd || code[1] != 0x80)
		return false;
	snprintf(msg, n, "guest used the i386 int 0x80 ABI (syscall %lu); uos supports x86-64 only",
		 (unsigned long)t->regs.rax);
	return true;
}

static void on_signal(struct task *t, int sig)
{
	siginfo_t si;
	char msg[160];
	bool into_handler = t->mask_swapped && caught(t, sig);
	if (!into_handler)
		restore_call_mask(t);
	if (ptrace(PTRACE_GETSIGINFO, t->hpid, 0, &si) < 0) {
		/* A group-stop: the task stays stopped until a SIGCONT (trap_continue). */
		t->jobstop = true;
		t->stop = TASK_STOP_SIGNAL;
		task_stopped(t, sig);
		return;
	}
	if (sig == SIGTRAP && t->frame_mask) {
		fix_frame_mask(t);
		return;
	}
	if (sig == SIGSTOP && t->preempting && si.si_code == SI_TKILL) {
		t->preempting = false; /* uos's end of a time slice, not the guest's SIGSTOP */
		resume(t, PTRACE_CONT);
		return;
	}
	if ((sig == SIGSYS && seccomp_abi_violation(&si, msg, sizeof(msg))) ||
	    int80_fault(t, sig, &si, msg, sizeof(msg))) {
		uos_warn("[%d] %s", t->tid, msg);
		kill(t->hpid, SIGKILL);
		resume(t, PTRACE_CONT);
		return;
	}
	/* The CPU's fault, not a signal sent (uos sends with tkill, children's exit signals included). */
	bool fault = (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) &&
		     si.si_code > 0 && si.si_code != SI_KERNEL;
	if (fault && t->tg->sig.action[sig - 1].handler == (unsigned long)SIG_DFL)
		crash_report(t, sig, &si);
	if (sig_fix_info(t, &si))
		ptrace(PTRACE_SETSIGINFO, t->hpid, 0, &si);
	if (sig_init_drops(t, &si, fault)) {
		resume(t, PTRACE_CONT);
		return;
	}
	t->pending_sig = sig;
	t->frame_mask = into_handler;
	resume(t, into_handler ? PTRACE_SINGLESTEP : PTRACE_CONT);
}

/*
 * Serve the new task's first stop now: it may already have come (stashed by
 * trap_stop), else it comes at once.  Waiting for it keeps the order of
 * events the same from run to run, which serial mode relies on.
 */
static void await_birth(struct kernel *k, struct task *c)
{
	int st;
	for (int i = 0; i < k->nearly; i++) {
		if (k->early[i].hpid != c->hpid)
			continue;
		st = k->early[i].status;
		k->early[i] = k->early[--k->nearly];
		trap_stop(k, c->hpid, st, NULL);
		return;
	}
	while (waitpid(c->hpid, &st, __WALL) < 0)
		if (errno != EINTR)
			return;
	trap_stop(k, c->hpid, st, NULL);
}

/* A fork/vfork/clone event of the parent t: the child exists on the host. */
static void on_fork(struct task *t)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, t->hpid, 0, &msg);
	struct task *c = task_fork(t, t->clone.flags, t->clone.exit_signal, (pid_t)msg);
	if (!c) {
		uos_warn("[%d] out of memory creating a task; killing it", t->tid);
		kill((pid_t)msg, SIGKILL);
		t->clone.child = -ENOMEM;
	} else {
		c->set_child_tid = t->clone.flags & CLONE_CHILD_SETTID ? t->clone.ctid : 0;
		c->saved = t->saved; /* the arguments as the guest passed them */
		c->clear_child_tid = t->clone.flags & CLONE_CHILD_CLEARTID ? t->clone.ctid : 0;
		t->clone.child = c->tid;
		if (!(t->clone.flags & CLONE_THREAD))
			c->tg->host_tgid = c->hpid;
		/*
		 * Now, while the child cannot run yet: once it runs it may exit and
		 * clear this word (CLONE_CHILD_CLEARTID), which pthread_join waits for.
		 */
		if (t->clone.flags & CLONE_PARENT_SETTID)
			gmem_write(t, t->clone.ptid, &c->tid, sizeof(c->tid));
	}
	resume(t, PTRACE_SYSCALL);
	if (c)
		await_birth(t->k, c);
}

/* The first stop of a new task: its tid where CLONE_CHILD_SETTID asked, then run. */
static void on_birth(struct task *t, int st)
{
	t->born = false;
	restore_args(t, &t->saved);
	if (t->set_child_tid)
		gmem_write(t, t->set_child_tid, &t->tid, sizeof(t->tid));
	if (t->stop == TASK_STOP_SIGNAL && WSTOPSIG(st) != SIGSTOP)
		t->pending_sig = WSTOPSIG(st);
	resume(t, PTRACE_CONT);
}

/*
 * The task whose exec stop this is.  When a thread other than the leader
 * execs, the host gives it the leader's tid and reports no death for the
 * leader; the event message names the thread's former tid (ptrace(2)).
 */
static struct task *exec_thread(struct task *leader)
{
	unsigned long old = 0;
	ptrace(PTRACE_GETEVENTMSG, leader->hpid, 0, &old);
	struct task *t = task_by_hpid(leader->k, (pid_t)old);
	if (!t || t == leader)
		return leader;
	t->hpid = leader->hpid;
	t->tid = t->tg->pid;
	t->stop = leader->stop;
	t->regs = leader->regs;
	task_forget(leader);
	return t;
}

static void on_event(struct task *t, int st)
{
	switch ((unsigned)st >> 16) {
	case PTRACE_EVENT_EXEC:
		on_exec(exec_thread(t));
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_fork(t);
		break;
	case PTRACE_EVENT_EXIT:
		t->exiting = true;
		sched_wake(t->k, t->tg); /* its thread pidfds are readable now */
		robust_exit(t);
		/*
		 * In serial mode a dying task holds the CPU until the host
		 * reports its death (so its CLONE_CHILD_CLEARTID wake comes at
		 * the same point every run), but for a leader with threads
		 * left: the host reports it only after them, and holding the
		 * CPU would deadlock.  It runs no guest code again anyway.
		 */
		if (t->k->sched.serial && t->tid == t->tg->pid && t->tg->nr_threads > 1) {
			put_regs(t);
			t->pending_sig = 0;
			ptrace(PTRACE_CONT, t->hpid, 0, 0);
			t->stop = TASK_RUNNING;
		} else {
			resume(t, PTRACE_CONT);
		}
		break;
	default:
		resume(t, PTRACE_CONT);
	}
}

void trap_stop(struct kernel *k, pid_t pid, int st, const struct rusage *ru)
{
	struct task *t = task_by_hpid(k, pid);
	if (t && k->sched.cpu == t)
		k->sched.cpu = NULL; /* serial mode: the running task stopped */
	if (!t) { /* a new child whose parent's fork event is still to come */
		if (WIFSTOPPED(st) && k->nearly < (int)ARRAY_SIZE(k->early))
			k->early[k->nearly++] = (struct early_stop){pid, st};
		return;
	}
	if (!WIFSTOPPED(st)) {
		task_exit(t, st, ru);
		return;
	}
	t->stop = stop_kind(st);
	get_regs(t);
	if (t->born) {
		on_birth(t, st);
		return;
	}
	switch (t->stop) {
	case TASK_STOP_SECCOMP:
		on_seccomp(t);
		break;
	case TASK_STOP_EXIT:
		on_syscall_exit(t);
		break;
	case TASK_STOP_EVENT:
		on_event(t, st);
		break;
	case TASK_STOP_SIGNAL:
		on_signal(t, WSTOPSIG(st));
		break;
	case TASK_RUNNING:
	case TASK_DEAD:
		UOS_BUG_ON(1);
	}
}

void trap_serve(struct task *t)
{
	int intr = t->interrupt;
	size_t done = t->io_done;
	sched_unpark(t);
	if (intr != TASK_INTR_NONE && done) {
		complete(t, (long)done); /* a signal ends a partly done transfer with its count */
	} else if (intr == TASK_INTR_EINTR) {
		swap_in_call_mask(t);
		sys_poll_interrupted(t);
		complete(t, -EINTR);
	} else if (intr == TASK_INTR_RESTART) {
		/* As Linux's -ERESTARTSYS: the call runs again after the handler. */
		t->regs.orig_rax = -1;
		t->regs.rax = t->cur.nr;
		t->regs.rip -= 2;
		t->regs_dirty = true;
		sys_finish(t, -512);
		resume(t, PTRACE_CONT);
	} else {
		complete(t, sys_dispatch(t));
	}
}

void trap_continue(struct task *t)
{
	if (!t->jobstop)
		return;
	t->jobstop = false;
	t->pending_sig = 0;
	resume(t, PTRACE_CONT);
}

void trap_kill_all(struct kernel *k)
{
	for (struct task *t = k->tasks; t; t = t->next)
		kill(t->hpid, SIGKILL);
	/*
	 * Reap in the order the host reports, not task by task: a leader that
	 * exited before its threads is reported only after they are reaped,
	 * and they are traced, so waiting for it first never returned.  A
	 * killed tracee still stops at its exit event: let it go on to die.
	 */
	int st;
	pid_t p;
	while ((p = waitpid(-1, &st, __WALL)) > 0 || (p < 0 && errno == EINTR))
		if (p > 0 && WIFSTOPPED(st))
			ptrace(PTRACE_CONT, p, 0, 0);
	task_free_all(k);
}

/* Environment strings that make the stub's stack large enough (see trap_spawn). */
static char **pad_env(size_t pad)
{
	size_t n = pad / PAD_STRING + 1;
	char **env = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; env && i < n; i++) {
		size_t len = i + 1 < n ? PAD_STRING : pad % PAD_STRING;
		env[i] = malloc(len + 3);
		if (!env[i])
			return NULL;
		memset(env[i], 'x', len + 2);
		memcpy(env[i], "P=", 2);
		env[i][len + 2] = 0;
	}
	return env;
}

static _Noreturn void child(struct kernel *k, char **env)
{
	char *argv[] = {"uos-stub", NULL};
	sigset_t all;
	sigfillset(&all);
	if (!env || ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
		_exit(126);
	/* A host process group of its own: terminal signals reach uos, which decides. */
	setpgid(0, 0);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	/* The host never writes a guest's core file into the host's filesystem. */
	setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(k) < 0)
		_exit(126);
	if (k->stub_fd > 0)
		syscall(SYS_close_range, 0, k->stub_fd - 1, 0);
	syscall(SYS_close_range, k->stub_fd + 1, ~0U, 0);
	syscall(SYS_execveat, k->stub_fd, "", argv, env, AT_EMPTY_PATH);
	_exit(126);
}

int trap_spawn(struct kernel *k, struct task *t, size_t stack_pad)
{
	int st;
	char **env = pad_env(stack_pad);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(k, env);
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
	if (waitpid(pid, &st, __WALL) < 0 || !WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		return -ECHILD;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_OPTS) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		return -err;
	}
	t->hpid = pid;
	t->tg->host_tgid = pid;
	t->in_exec = true;
	t->stop = TASK_STOP_SIGNAL;
	resume(t, PTRACE_CONT);
	return 0;
}
