/*
 * The trap transport (see trap.h), and the guest interface's calls over it
 * (guest.h: injected calls, the exec of the stub, calls the host runs).
 *
 * Protocol per stop: a wait status (from the event loop, loop.c) -> read
 * the registers once -> decide -> write them back once if changed ->
 * resume.  A task is in exactly one of the states of enum task_stop.  Host
 * signals that arrive while uos is injecting calls are held in
 * t->pending_sig and delivered when the task resumes.
 */

#include "trap.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "contain.h"
#include "crash.h"
#include "exec.h"
#include "gmem.h"
#include "gtime.h"
#include "guest.h"
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
#define REAP_NS 1000000000LL /* how long uos waits for killed tasks to go, at most */

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

/*
 * Read t's registers at a stop.  False when the host refuses: the task was
 * killed while stopped (an exec or exit_group elsewhere in its process) and
 * is on its way out; its exit event or death comes next.
 */
static bool get_regs(struct task *t)
{
	t->regs_dirty = false;
	if (ptrace(PTRACE_GETREGS, t->hpid, 0, &t->regs) == 0)
		return true;
	memset(&t->regs, 0, sizeof(t->regs));
	t->stop = TASK_RUNNING;
	return false;
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
	if (t->exec == TASK_EXEC_NONE) { /* an exec's stops run no guest code: signals wait */
		if (t->stop == TASK_STOP_SIGNAL)
			sig = t->pending_sig;
		else if (t->pending_sig)
			syscall(SYS_tkill, t->hpid, t->pending_sig);
		t->pending_sig = 0;
		t->sig_unseen = false; /* the host delivers what is pending */
	}
	put_regs(t);
	if (t->k->sched.serial) { /* the scheduler decides when it runs */
		sched_ready(t, req, sig);
		return;
	}
	ptrace(req, t->hpid, 0, sig);
	t->stop = TASK_RUNNING;
}

void guest_run(struct task *t)
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

/* Is some task in a clone whose fork event is still to come? */
static bool fork_outstanding(const struct kernel *k)
{
	for (const struct task *t = k->tasks; t; t = t->next)
		if (t->clone.forking)
			return true;
	return false;
}

/*
 * Host tasks whose fork event will never come: their parent was killed
 * between the host's clone and the event (a sibling's exec or exit_group).
 * uos cannot count or serve them, so once no task waits for a fork event,
 * every first stop still unclaimed is such an orphan, and is killed.
 */
static void reap_orphans(struct kernel *k)
{
	if (fork_outstanding(k))
		return;
	for (int i = 0; i < k->nearly; i++)
		if (WIFSTOPPED(k->early[i].status)) /* a death is reaped already: its pid may be reused */
			kill(k->early[i].hpid, SIGKILL);
	k->nearly = 0;
}

/* The task reached its exit event: it runs no guest code again. */
static void at_exit_event(struct task *t)
{
	t->clone.forking = false;
	reap_orphans(t->k);
	sched_unpark(t); /* killed while parked: its call is never served */
	task_set_state(t, TASK_EXITING);
	sched_wake(t->k, t->tg); /* its thread pidfds are readable now */
	robust_exit(t);
}

/*
 * The guest made a stop that no call of uos's makes: kill it, say so, and
 * never resume it into what it prepared.
 */
static void violation(struct task *t, const char *what)
{
	uos_warn("[%d] %s (at %#llx, call %lld): killing the guest", t->tid, what, t->regs.rip,
		 (long long)t->regs.orig_rax);
	kill(t->hpid, SIGKILL);
}

/* What the next stop of an injected call must be. */
struct inject_want {
	enum task_stop stop;	   /* TASK_STOP_SECCOMP or TASK_STOP_EXIT */
	unsigned long long rip;	   /* just after the syscall instruction */
	int nr;
	const unsigned long *args; /* at the seccomp stop: exactly these */
};

static bool as_wanted(const struct task *t, int st, const struct inject_want *w)
{
	const struct user_regs_struct *r = &t->regs;
	if (stop_kind(st) != w->stop || r->rip != w->rip || (long long)r->orig_rax != w->nr)
		return false;
	const unsigned long a[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
	return w->stop != TASK_STOP_SECCOMP || !memcmp(a, w->args, sizeof(a));
}

/* Does the host show host task hpid dead (a zombie, or gone)? */
static bool host_task_dead(pid_t hpid)
{
	char path[40], buf[128];
	snprintf(path, sizeof(path), "/proc/%d/stat", hpid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return true;
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* the state follows the command name */
	return !p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X';
}

/*
 * Wait for t's next stop or death: 0 with *st, or -ESRCH.  A blocking
 * waitpid on one task would wait for ever for a thread-group leader that
 * died while its threads live: the host reports it only after them, and
 * they may sit in stops waiting for uos.  So a leader with threads is
 * waited for SIGCHLD by SIGCHLD, and given up once the host shows it dead.
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
static int await_stop(struct task *t, int req, const struct inject_want *w)
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
		t->stop = stop_kind(st);
		if (!get_regs(t))
			return -ESRCH;
		if (as_wanted(t, st, w))
			return 0;
		if (t->stop == TASK_STOP_EVENT && (unsigned)st >> 16 == PTRACE_EVENT_EXIT) {
			at_exit_event(t);
			ptrace(PTRACE_CONT, t->hpid, 0, 0);
			t->stop = TASK_RUNNING;
			return -ESRCH;
		}
		if (t->stop == TASK_STOP_SIGNAL && !t->pending_sig)
			hold_signal(t, WSTOPSIG(st));
		else if (t->stop != TASK_STOP_SIGNAL)
			violation(t, "unexpected stop in a call uos injected");
		ptrace(req, t->hpid, 0, 0);
	}
}

/*
 * Point t at uos's syscall instruction with call nr and args (single-stepping
 * off).  At a seccomp stop, the call being served is skipped first.
 */
static void at_stub_syscall(struct task *t, int nr, const unsigned long args[6])
{
	t->regs.orig_rax = -1;
	t->regs.rip = STUB_SYSCALL;
	t->regs.rax = nr;
	t->regs.eflags &= ~0x100UL; /* X86_EFLAGS_TF */
	set_args(t, args);
}

long guest_call(struct task *t, int nr, const unsigned long args[6])
{
	struct inject_want w = {TASK_STOP_EXIT, t->regs.rip, nr, args};
	int r;
	UOS_BUG_ON(sys_lookup(nr)->level == SYS_HOST); /* the filter may let it pass unseen */
	if (t->stop == TASK_STOP_SECCOMP) {
		/* The call being served becomes this one: no guest code runs before it. */
		if (!t->injected) {
			t->saved = t->regs;
			t->injected = true;
		}
		t->regs.orig_rax = nr;
		set_args(t, args);
		put_regs(t);
		r = await_stop(t, PTRACE_SYSCALL, &w);
	} else if (t->stop == TASK_STOP_EXIT) {
		/* From uos's instruction; the filter traps every call uos injects. */
		at_stub_syscall(t, nr, args);
		put_regs(t);
		w = (struct inject_want){TASK_STOP_SECCOMP, STUB_SYSCALL + 2, nr, args};
		r = await_stop(t, PTRACE_CONT, &w);
		w.stop = TASK_STOP_EXIT;
		if (r == 0)
			r = await_stop(t, PTRACE_SYSCALL, &w);
	} else {
		return -ESRCH; /* dead, or let go at its exit event */
	}
	return r < 0 ? r : (long)t->regs.rax;
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

/* Give back the argument registers a rewritten call changed (glibc's vfork keeps its return address in rdi). */
static void restore_args(struct task *t, const struct user_regs_struct *orig)
{
	const unsigned long a[6] = {orig->rdi, orig->rsi, orig->rdx, orig->r10, orig->r8, orig->r9};
	set_args(t, a);
}

long guest_exec(struct task *t, size_t pad)
{
	if (t->stop == TASK_STOP_SECCOMP && !t->injected) {
		t->saved = t->regs;
		t->injected = true;
	}
	stub_exec_args(GUEST_STUB_FD, pad, t->exec_args);
	at_stub_syscall(t, SYS_execveat, t->exec_args);
	t->exec = TASK_EXEC_ENTER;
	return -UOS_ENORESULT;
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

/*
 * Serial mode's vfork.  Linux's vfork parent sleeps (wait_for_vfork_done)
 * until its child releases the memory they share, by exec or by exit: it
 * is not runnable, so it must not hold the one CPU that its child waits
 * for.  The parent stays at its fork event stop, neither running nor
 * ready; the child's exec or death makes it ready, and its clone then
 * returns at once (the host's completion is done by then).
 */
static void vfork_hold(struct task *parent, struct task *c)
{
	c->vfork_parent = parent;
	task_set_state(parent, TASK_VFORK_HELD);
}

/*
 * c released its vfork parent (exec, exit): the parent may run again,
 * unless it was killed meanwhile (EXITING: resumed at its exit event).
 */
static void vfork_release(struct task *c)
{
	struct task *p = c->vfork_parent;
	if (!p)
		return;
	c->vfork_parent = NULL;
	if (p->state != TASK_VFORK_HELD)
		return;
	task_set_state(p, TASK_ACTIVE);
	resume(p, PTRACE_SYSCALL);
}

/* t is gone: its vfork parent is released, and a child it held (exiting or not) forgets it. */
static void vfork_forget(struct task *t)
{
	vfork_release(t);
	for (struct task *o = t->k->tasks; o; o = o->next)
		if (o->vfork_parent == t)
			o->vfork_parent = NULL;
}

/* The host task t is gone with wait status st. */
static void task_gone(struct task *t, int st, const struct rusage *ru)
{
	vfork_forget(t);
	task_exit(t, st, ru);
}

/* Finish the call t->cur with result r and resume the task. */
static void complete(struct task *t, long r)
{
	if (t->stop == TASK_DEAD) {
		task_gone(t, t->wstatus, NULL);
		return;
	}
	if (t->stop == TASK_RUNNING)
		return; /* let go at its exit event in an injected call: its death comes */
	if (r == -UOS_EBLOCK) { /* parked: it stays at its seccomp stop */
		UOS_BUG_ON(!task_parked(t)); /* it may hold injected calls' registers: complete restores them */
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
	if (t->exec == TASK_EXEC_ENTER) { /* to the stub's execveat's seccomp stop */
		resume(t, PTRACE_CONT);
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

/* Continue a task uos killed, so that it dies. */
static void let_die(struct task *t)
{
	ptrace(PTRACE_CONT, t->hpid, 0, 0);
	t->stop = TASK_RUNNING;
}

/* The seccomp stop of a task in an exec: its execveat as uos set it, and nothing else. */
static void exec_seccomp(struct task *t)
{
	const struct user_regs_struct *r = &t->regs;
	const unsigned long a[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
	bool ours = t->exec == TASK_EXEC_ENTER && r->rip == STUB_SYSCALL + 2 &&
		    !memcmp(a, t->exec_args, sizeof(a));
	if ((long long)r->orig_rax != SYS_execveat || !(ours || t->exec == TASK_EXEC_SPAWN)) {
		violation(t, "a call other than uos's execveat in an exec");
		let_die(t);
		return;
	}
	t->exec = TASK_EXEC_RUNNING;
	resume(t, PTRACE_SYSCALL);
}

static void on_seccomp(struct task *t)
{
	if (t->exec != TASK_EXEC_NONE) {
		exec_seccomp(t);
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

/*
 * The stub's execveat failed (at its exit stop): the guest gets the error.
 * The first guest (no registers saved: uos's own code) goes on to _exit(126).
 */
static void exec_failed(struct task *t, long r)
{
	exec_plan_free(t->plan);
	t->plan = NULL;
	t->exec = TASK_EXEC_NONE;
	if (!t->injected) {
		resume(t, PTRACE_CONT);
		return;
	}
	complete(t, r);
}

/* The exit stop of a call the host ran. */
static void on_syscall_exit(struct task *t)
{
	long r = (long)t->regs.rax;
	if (t->exec == TASK_EXEC_RUNNING && (long long)t->regs.orig_rax == SYS_execveat) {
		exec_failed(t, r);
		return;
	}
	if (t->exec != TASK_EXEC_NONE) {
		violation(t, "an unexpected call in an exec");
		let_die(t);
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
	if (t->exec != TASK_EXEC_RUNNING || !t->plan) {
		violation(t, "a host exec uos did not start");
		let_die(t);
		return;
	}
	t->injected = false; /* the registers saved before the exec belong to a gone image */
	vfork_release(t); /* the exec gave it a memory of its own */
	/*
	 * execveat is still returning (at the stub's entry): let it finish, or
	 * it would overwrite rax.  The host reports it as execve there.
	 */
	struct inject_want w = {TASK_STOP_EXIT, STUB_SYSCALL, SYS_execve, NULL};
	int r = await_stop(t, PTRACE_SYSCALL, &w);
	if (r == 0)
		r = exec_commit(t);
	t->exec = TASK_EXEC_NONE;
	if (t->stop == TASK_DEAD) {
		task_gone(t, t->wstatus, NULL);
		return;
	}
	if (t->stop == TASK_RUNNING)
		return;
	if (r < 0) {
		uos_warn("[%d] exec failed after the point of no return: %s", t->tid, strerror(-r));
		kill(t->hpid, SIGKILL);
	}
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
	if (t->exec != TASK_EXEC_NONE) { /* no guest code runs in an exec: the signal waits */
		if (!t->pending_sig)
			hold_signal(t, sig);
		resume(t, t->exec == TASK_EXEC_RUNNING ? PTRACE_SYSCALL : PTRACE_CONT);
		return;
	}
	bool into_handler = t->mask_swapped && caught(t, sig);
	if (!into_handler)
		restore_call_mask(t);
	if (ptrace(PTRACE_GETSIGINFO, t->hpid, 0, &si) < 0) {
		/* A group-stop: the task stays stopped until a SIGCONT (guest_continue). */
		task_set_state(t, TASK_JOBSTOP);
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
 * The new task's first stop, or its death, may have come before its
 * parent's fork event (stashed by trap_stop): serve it now.  Otherwise the
 * loop serves it when it comes; uos never waits for one task.  Serial mode dispatches nothing
 * while a birth is outstanding (sched_dispatch), so the order of events is
 * still the same from run to run.
 */
static void early_birth(struct kernel *k, struct task *c)
{
	for (int i = 0; i < k->nearly; i++) {
		if (k->early[i].hpid != c->hpid)
			continue;
		int st = k->early[i].status;
		k->early[i] = k->early[--k->nearly];
		trap_stop(k, c->hpid, st, NULL);
		return;
	}
}

/*
 * The message of t's event stop (ptrace(2)'s PTRACE_GETEVENTMSG), true only
 * while t is still at that stop: a SIGKILL ends the stop, and the task's
 * exit event then gives the message its exit code (a fork event's "child
 * pid" read then was 9).
 */
static bool event_msg(struct task *t, int event, unsigned long *msg)
{
	siginfo_t si;
	return ptrace(PTRACE_GETEVENTMSG, t->hpid, 0, msg) == 0 &&
	       ptrace(PTRACE_GETSIGINFO, t->hpid, 0, &si) == 0 && si.si_code == (SIGTRAP | event << 8);
}

/* A fork/vfork/clone event of the parent t: the child exists on the host. */
static void on_fork(struct task *t, int event)
{
	unsigned long msg = 0;
	t->clone.forking = false;
	if (!event_msg(t, event, &msg) || (pid_t)msg <= 0) {
		t->stop = TASK_RUNNING; /* killed at this stop: its end comes, its child is an orphan */
		reap_orphans(t->k);
		return;
	}
	struct task *c = task_fork(t, t->clone.flags, t->clone.exit_signal, (pid_t)msg);
	if (!c) {
		uos_warn("[%d] out of memory creating a task; killing it", t->tid);
		kill((pid_t)msg, SIGKILL);
		t->clone.child = -ENOMEM;
	} else {
		t->clone.child = c->tid;
		/*
		 * Now, while the child cannot run yet: once it runs it may exit and
		 * clear this word (CLONE_CHILD_CLEARTID), which pthread_join waits for.
		 */
		if (t->clone.flags & CLONE_PARENT_SETTID)
			gmem_write(t, t->clone.ptid, &c->tid, sizeof(c->tid));
	}
	if (c && t->k->sched.serial && (t->clone.flags & CLONE_VFORK))
		vfork_hold(t, c);
	else
		resume(t, PTRACE_SYSCALL);
	if (c)
		early_birth(t->k, c);
}

/* The first stop of a new task: its tid where CLONE_CHILD_SETTID asked, then run. */
static void on_birth(struct task *t, int st)
{
	task_set_state(t, TASK_ACTIVE);
	restore_args(t, &t->saved);
	if (t->set_child_tid)
		gmem_write(t, t->set_child_tid, &t->tid, sizeof(t->tid));
	if (t->stop == TASK_STOP_SIGNAL && WSTOPSIG(st) != SIGSTOP)
		t->pending_sig = WSTOPSIG(st);
	sig_born(t);
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
	struct task *t = NULL;
	if (event_msg(leader, PTRACE_EVENT_EXEC, &old))
		t = task_by_hpid(leader->k, (pid_t)old);
	else /* killed since: the thread of the process that was in its exec */
		for (struct task *o = leader->k->tasks; o && !t; o = o->next)
			if (o->tg == leader->tg && o->exec != TASK_EXEC_NONE)
				t = o;
	if (!t || t == leader)
		return leader;
	t->hpid = leader->hpid;
	t->tid = t->tg->pid;
	task_caller_init(t);
	t->stop = leader->stop;
	t->regs = leader->regs;
	sched_stopped(t);
	vfork_forget(leader);
	task_forget(leader);
	return t;
}

/*
 * Another thread of t's process is in the host's execve, which waits
 * (de_thread) until every other thread is gone: t, killed by it, must
 * die without waiting for the CPU.
 */
static bool exec_in_progress(const struct task *t)
{
	for (const struct task *o = t->k->tasks; o; o = o->next)
		if (o->tg == t->tg && o != t && o->exec != TASK_EXEC_NONE)
			return true;
	return false;
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
		on_fork(t, (unsigned)st >> 16);
		break;
	case PTRACE_EVENT_EXIT:
		at_exit_event(t);
		/*
		 * In serial mode a dying task holds the CPU until the host
		 * reports its death (so its CLONE_CHILD_CLEARTID wake comes at
		 * the same point every run), but for a leader with threads
		 * left (the host reports it only after them) and for a thread
		 * that another thread's execve kills (the execve waits for it):
		 * holding the CPU would deadlock.  It runs no guest code again.
		 */
		if (t->k->sched.serial && ((t->tid == t->tg->pid && t->tg->nr_threads > 1) ||
					   exec_in_progress(t))) {
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

/*
 * A stop or death of a host task uos does not know: a child whose parent's
 * fork event is still to come (kept for early_birth), or an orphan (killed),
 * or the exit event or death of a killed orphan (let go).  A child killed
 * before its parent's fork event was served dies unknown: its death is kept
 * in place of its first stop, or the task made at the fork event would wait
 * for ever for a death already reaped.
 */
static void unknown_stop(struct kernel *k, pid_t pid, int st)
{
	if (!WIFSTOPPED(st)) {
		for (int i = 0; i < k->nearly; i++)
			if (k->early[i].hpid == pid) {
				k->early[i].status = st;
				return;
			}
		if (fork_outstanding(k) && k->nearly < (int)ARRAY_SIZE(k->early))
			k->early[k->nearly++] = (struct early_stop){pid, st};
		return; /* else an orphan's death: reaped */
	}
	if ((unsigned)st >> 16 == PTRACE_EVENT_EXIT || k->nearly == (int)ARRAY_SIZE(k->early)) {
		kill(pid, SIGKILL);
		ptrace(PTRACE_CONT, pid, 0, 0);
		return;
	}
	k->early[k->nearly++] = (struct early_stop){pid, st};
	reap_orphans(k);
}

void trap_stop(struct kernel *k, pid_t pid, int st, const struct rusage *ru)
{
	struct task *t = task_by_hpid(k, pid);
	if (!t) { /* a new child whose parent's fork event is still to come, or an orphan */
		unknown_stop(k, pid, st);
		return;
	}
	sched_stopped(t); /* serial mode: it no longer holds the CPU */
	if (!WIFSTOPPED(st)) {
		task_gone(t, st, ru);
		return;
	}
	t->stop = stop_kind(st);
	if (!get_regs(t))
		return;
	if (t->state == TASK_BORN) {
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
		gtime_call_interrupted(t);
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

void guest_continue(struct task *t)
{
	if (t->state != TASK_JOBSTOP)
		return;
	task_set_state(t, TASK_ACTIVE);
	t->pending_sig = 0;
	resume(t, PTRACE_CONT);
}

/*
 * Reap every host child after the SIGKILLs, resuming any that stops on its
 * way out (an exit event).  A task the host cannot kill at once (in an
 * uninterruptible sleep) is left after REAP_NS; PTRACE_O_EXITKILL and the
 * host's init see to it when uos is gone.
 */
static void reap_all(struct kernel *k)
{
	struct signalfd_siginfo si;
	long long end = sched_now_ns() + REAP_NS;
	int st;
	for (;;) {
		pid_t pid = waitpid(-1, &st, __WALL | WNOHANG);
		if (pid > 0 && WIFSTOPPED(st))
			ptrace(PTRACE_CONT, pid, 0, SIGKILL);
		if (pid > 0 || (pid < 0 && errno == EINTR))
			continue;
		if (pid < 0 || sched_now_ns() >= end)
			return; /* ECHILD: all gone */
		struct pollfd p = {.fd = k->sigfd, .events = POLLIN};
		poll(&p, 1, 10);
		while (k->sigfd >= 0 && read(k->sigfd, &si, sizeof(si)) == sizeof(si))
			; /* SIGCHLD; a late SIGTERM changes nothing now */
	}
}

void trap_kill_all(struct kernel *k)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->hpid > 0) /* 0 would be uos's own process group */
			kill(t->hpid, SIGKILL);
	reap_all(k);
	task_free_all(k);
}

static _Noreturn void child(struct kernel *k, size_t pad)
{
	unsigned long args[6];
	const char *what;
	sigset_t all;
	sigfillset(&all);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
		_exit(126);
	/* A host process group of its own: terminal signals reach uos, which decides. */
	setpgid(0, 0);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	/* Before the filter, which would trap its calls; after TRACEME, so uos stays the tracer. */
	int r = contain_enter(&k->contain, &what);
	if (r < 0) {
		dprintf(2, "uos: cannot contain the guest: %s: %s\n", what, strerror(-r));
		_exit(126);
	}
	/* The stub's data, which its execveat's arguments point into (the exec replaces it). */
	if (mmap((void *)STUB_ADDR, STUB_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE,
		 k->stub_fd, 0) == MAP_FAILED)
		_exit(126);
	/* The host fds every guest keeps: the channel and the stub (guest.h). */
	int stub = fcntl(k->stub_fd, F_DUPFD, 3), chan = fcntl(k->chan_guest, F_DUPFD, 3);
	if (stub < 0 || chan < 0 || dup2(chan, GUEST_CHAN_FD) < 0 || dup2(stub, GUEST_STUB_FD) < 0)
		_exit(126);
	syscall(SYS_close_range, GUEST_STUB_FD + 1, ~0U, 0);
	if (seccomp_install(k) < 0)
		_exit(126);
	stub_exec_args(GUEST_STUB_FD, pad, args);
	syscall(SYS_execveat, args[0], args[1], args[2], args[3], args[4]);
	_exit(126);
}

int trap_spawn(struct kernel *k, struct task *t, size_t stack_pad)
{
	int st;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(k, stack_pad);
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
	t->exec = TASK_EXEC_SPAWN;
	t->stop = TASK_STOP_SIGNAL;
	resume(t, PTRACE_CONT);
	return 0;
}
