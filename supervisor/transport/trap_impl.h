/*
 * What the pieces of the trap transport share: trap.c (the protocol of one
 * stop, and the dispatch of a wait status), inject.c (injected calls),
 * trap_call.c (a trapped call), notify.c (a notified call), trap_signal.c
 * (signal-delivery stops), trap_life.c (births, forks, execs, deaths) and
 * spawn.c (the first guest).
 * Only they include it.  Each function's contract is at its definition.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <sys/user.h>

#include "trap.h"

/* Linux's restart codes (include/linux/errno.h): a call's result at a signal's stop. */
enum { LINUX_ERESTARTSYS = 512, LINUX_ERESTARTNOINTR = 513, LINUX_ERESTARTNOHAND = 514 };

/* trap.c: the protocol of one stop. */
enum task_stop trap_stop_kind(int st);
bool trap_get_regs(struct task *t);
void trap_put_regs(struct task *t);
void trap_resume(struct task *t, int req);
void trap_hold_signal(struct task *t, int sig);
void trap_violation(struct task *t, const char *what);
void trap_let_die(struct task *t);

/* inject.c: calls uos injects.  What the next stop of an injected call must be. */
struct inject_want {
	enum task_stop stop;	   /* TASK_STOP_SECCOMP or TASK_STOP_EXIT */
	unsigned long long rip;	   /* just after the syscall instruction */
	int nr;
	const unsigned long *args; /* exactly these, unless NULL */
};

int inject_await_stop(struct task *t, int req, const struct inject_want *w);
/* Bring t from a stop other than a seccomp stop to the chain's placeholder: 0, or -ESRCH. */
int inject_chain_enter(struct task *t);
/* guest.c: throw away the files sent over the channel that no guest took. */
void guest_chan_drain(struct kernel *k);
void inject_restore_args(struct task *t, const struct user_regs_struct *orig);

/*
 * Make the host run the call t is making with r8 (its fifth argument) in
 * place of the guest's, and give the guest its own r8 back with no other
 * stop: the call returns to uos's STUB_RESUME_R8 (stub.h), with the
 * guest's r8 in r11 and its return address in rcx.  At t's seccomp stop,
 * after injected calls too, before the handler returns -UOS_EHOST.  A
 * signal delivered as the call ends is handled at STUB_RESUME_R8 (the
 * frame's rip) and returns there.
 */
void inject_host_runs_r8(struct task *t, unsigned long r8);

/* The call a stop's registers r show: its number (orig_rax) and arguments. */
static inline struct sysargs trap_call_of(const struct user_regs_struct *r)
{
	return (struct sysargs){(int)r->orig_rax, {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9}};
}

/* trap_call.c: the stops of a trapped call. */
/* A new call a of t, at its seccomp stop or notified: what the last call left is cleared. */
void trap_begin_call(struct task *t, const struct sysargs *a);
void trap_on_seccomp(struct task *t);
void trap_complete(struct task *t, long r);
void trap_on_syscall_exit(struct task *t);
/* The host ran t->cur and returned r: its end's books (host_exit, host_check); the guest's result. */
long trap_host_ended(struct task *t, long r);
void trap_restore_call_mask(struct task *t);

/* trap_signal.c: signal-delivery stops. */
void trap_on_signal(struct task *t, int sig);

/* notify.c: calls notified through the filter's listener. */
/* Take the listener, fd in host task pid (the first guest's child), as k->notify_fd: 0 or -errno. */
int notify_take(struct kernel *k, pid_t pid, int fd);
/* Send r (a result, -errno, or -ERESTARTNOINTR) as the answer to t's notified call (TASK_NOTIFIED). */
void notify_answer(struct task *t, long r);
/* At a signal-delivery stop: a notified call the signal ended before uos received it runs again. */
void notify_restart(struct task *t);
/* At a signal-delivery stop, of siginfo si: if uos sent it to serve t's call there, do so; true then. */
bool notify_redo(struct task *t, const siginfo_t *si);

/* trap_life.c: births, forks, execs and deaths. */
void trap_on_birth(struct task *t, int st);
void trap_on_event(struct task *t, int st);
void trap_unknown_stop(struct kernel *k, pid_t pid, int st);
void trap_at_exit_event(struct task *t);
/*
 * The ptrace options of every guest task, but for PTRACE_O_TRACEEXIT.  No
 * fork or clone event: every clone uos runs carries CLONE_PTRACE
 * (sys_clone.c), which traces the child with its parent's options, and the
 * parent's syscall-exit stop makes its task (trap_fork_ended).  A vfork's
 * event stays: its parent returns only once the child has execed or died.
 */
#define TRAP_PTRACE_OPTS                                                                           \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD |   \
	 PTRACE_O_TRACEVFORK)
/* Before t, at a stop, runs on: its exit event on or off, as it needs it (trap_life.c). */
void trap_fit_exit_event(struct task *t);
/* At the syscall-exit stop of t's clone (result r): the child's task, unless a vfork's event made it. */
void trap_fork_ended(struct task *t, long r);
void trap_task_gone(struct task *t, int st, const struct rusage *ru);
