/*
 * The trap transport: the only caller of ptrace and waitpid.
 *
 * A guest syscall arrives as a seccomp stop; uos reads the registers once,
 * dispatches, and either skips the call writing its result (one stop per
 * emulated call) or lets the host run it.  Handlers that must act inside the
 * guest's address space (mmap of a file, the loader) inject system calls
 * through the guest's own syscall instruction; each injected call costs a
 * seccomp stop and a syscall-exit stop.
 */
#pragma once

#include <stddef.h>

#include "task.h"

/*
 * Fork the first guest for task t: the child asks to be traced, takes the
 * containment of k->contain (contain.c), installs the seccomp filter and
 * execs the stub, with stack_pad bytes of environment so that the stack the
 * host builds can hold the real program's arguments.
 * Sets t->hpid.  Returns 0 or -errno.
 */
int trap_spawn(struct kernel *k, struct task *t, size_t stack_pad);

/* Serve one host wait status st of host task pid (from wait4, with its usage ru, or NULL). */
void trap_stop(struct kernel *k, pid_t pid, int st, const struct rusage *ru);
/* Serve again the call of a task that sched woke (or a signal interrupted). */
void trap_serve(struct task *t);
/* Serial mode: let a ready task run (the scheduler picked it). */
void trap_run_task(struct task *t);
/* Resume a task held in a group-stop (a SIGCONT arrived). */
void trap_continue(struct task *t);
/* Kill every guest task and free them all (PID 1 is gone). */
void trap_kill_all(struct kernel *k);

/*
 * At the seccomp stop of t->cur, before returning -UOS_EHOST: make the host
 * run call nr with args instead (fork becomes clone with CLONE_PARENT ...).
 */
void trap_set_call(struct task *t, int nr, const unsigned long args[6]);
/*
 * Make the host execve(path, argv, envp) (guest addresses) when t resumes:
 * the stub, whose exec stop loads t->plan.  The handler returns
 * -UOS_ENORESULT; a failure of the host's execve becomes the call's result.
 */
void trap_start_exec(struct task *t, unsigned long path, unsigned long argv, unsigned long envp);

/*
 * Run system call nr with args in the stopped guest task t and return its
 * result (or -ESRCH when the task died meanwhile: t->stop is TASK_DEAD).
 * Valid at a seccomp stop (inside a handler), at a syscall-exit stop, and at
 * the exec event stop with t->gadget set.
 */
long trap_inject(struct task *t, int nr, const unsigned long args[6]);
#define TRAP_INJECT(t, nr, ...) trap_inject((t), (nr), (const unsigned long[6]){__VA_ARGS__})

/*
 * Guest scratch memory for the arguments of injected calls: len bytes below
 * the red zone of the guest's stack.  Valid until the guest runs again.
 */
unsigned long trap_scratch(struct task *t, size_t len);
