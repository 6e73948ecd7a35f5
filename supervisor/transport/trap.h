/*
 * The trap transport: the only caller of ptrace.  The event loop (loop.c)
 * collects the host's wait statuses and hands each to trap_stop; the trap
 * layer waits for one task itself only for the stops of a call it injects.
 *
 * A guest syscall arrives as a seccomp stop; uos reads the registers once,
 * dispatches, and either skips the call writing its result (one stop per
 * emulated call) or lets the host run it.  It also implements the calls of
 * the guest interface (guest.h) that act through ptrace: an injected call
 * costs its seccomp stop and its syscall-exit stop (only the exit stop when
 * it replaces the call being served).
 */
#pragma once

#include <stddef.h>

#include "task.h"

/*
 * Start the first guest for task t: the child asks to be traced, takes the
 * containment of k->contain (contain.c), installs the seccomp filter and
 * execs the stub, with stack_pad bytes of environment so that the stack the
 * host builds can hold the real program's arguments.  Returns once the
 * exec event is served (the program loaded), with t->hpid set: 0, or
 * -errno with no child left.
 */
int trap_spawn(struct kernel *k, struct task *t, size_t stack_pad);

/* Serve one host wait status st of host task pid (from wait4, with its usage ru, or NULL). */
void trap_stop(struct kernel *k, pid_t pid, int st, const struct rusage *ru);
/* Serve again the call of a task that sched woke (or a signal interrupted). */
void trap_serve(struct task *t);
/*
 * Receive a call notified on k->notify_fd, waiting for one (intr.h's
 * signals, SIGCHLD among them, end the wait), answer it and send the
 * result: 1, or 0 when none came.  Closes the listener (k->notify_fd -1)
 * once no task uses the filter.
 */
int notify_serve(struct kernel *k);
/* Take every SIGCHLD queued on k->sigfd: the waits that follow find the children themselves. */
void trap_drain_sigchld(struct kernel *k);
/* Kill every guest task and free them all (PID 1 is gone). */
void trap_kill_all(struct kernel *k);
