/*
 * The syscall table and the dispatcher.
 *
 * supervisor/handlers/syscalls.def has exactly one row per x86-64 syscall number:
 *
 *	SYSCALL(nr, name, LEVEL, ARGS(kinds...), RESULT, "note")
 *
 * LEVEL is FULL or PARTIAL (handler sys_<name> answers from uos state), HOST
 * (the host kernel runs it; the row's note says why it cannot reach outside
 * the caller) or NONE (-ENOSYS, reported once).  The typed argument and
 * result kinds (argkind.h) drive --trace decoding (trace.c) and the
 * argument checks of HOST rows.  Everything else is generated from the
 * rows: the handler prototypes (handlers.h), the table, the seccomp filter, the names.
 */
#pragma once

#include <stdio.h>

#include "argkind.h"
#include "handlers.h"
#include "task.h"

enum sys_level { SYS_FULL, SYS_PARTIAL, SYS_HOST, SYS_NONE };

struct sys_entry {
	const char *name; /* NULL for numbers that are no syscall */
	sys_fn fn;
	enum sys_level level;
	struct arg_list args; /* the argument kinds */
	enum ret_kind ret;    /* the result kind */
	const char *note;
};

/* The table, indexed by number; rows without a name are not syscalls. */
extern const struct sys_entry sys_table[SYS_NR_MAX];

/* The row for nr, or NULL when nr is out of range or no syscall. */
const struct sys_entry *sys_lookup(long nr);
/* Index of e's first argument of kind `kind`, or -1. */
int sys_arg_index(const struct sys_entry *e, enum arg_kind kind);
const char *sys_level_name(enum sys_level level);

/*
 * Whether the filter sends call nr to uos's listener (a seccomp user
 * notification) rather than to a ptrace stop, when uos runs one
 * (seccomp.h).  Only calls whose handlers answer from uos's own state and
 * the caller's memory, need no register beyond the arguments, and inject
 * nothing (but a signalfd's read: sys_notified_needs_stop).  They may
 * park: the answer then waits until the task is woken.  One the handler
 * leaves to the host (-UOS_EHOST: the memory calls, rt_sigaction) runs on
 * the host as it would from a stop with its registers unchanged; one whose
 * end uos must see (t->host_exit) is brought to a stop first (notify.c),
 * so its handler must have changed nothing when it says so.
 */
bool sys_notified(long nr);
/*
 * Whether t's notified call a would wait now (a read or write of a stream
 * its poll says is not ready, an accept): a signal that ended it before
 * uos received it ends it as it ends a wait (-ERESTARTSYS: EINTR, or a
 * restart with SA_RESTART); any other runs again after the handler, as it
 * would have run before the signal came (a lock's or a child's wait too,
 * which may find the lock free or the child that sent the SIGCHLD).
 */
bool sys_notified_waits(struct task *t, const struct sysargs *a);
/* Whether t's notified call a must be served at a stop: it injects calls (a signalfd's read). */
bool sys_notified_needs_stop(struct task *t, const struct sysargs *a);

/*
 * Serve the call t->cur at its seccomp stop: run the handler and return its
 * result, -UOS_EHOST when the host must run the call, or -UOS_ENORESULT.
 * Counts the call for --summary.
 */
long sys_dispatch(struct task *t);

/*
 * Account for the result of t->cur once it is known (for --summary) and
 * trace it (--trace).  Called by the transport for every completed call.
 */
void sys_finish(struct task *t, long ret);

/* Print the support table (uos --syscalls). */
void sys_print_table(FILE *out);
