/*
 * --trace and --summary: one strace-like line per system call, and the
 * counts at exit.
 *
 * Lines are decoded from the argument kinds of the call's row in
 * syscalls.def.  The transport (trap.c) calls trace_call once per finished
 * call: after the dispatcher's answer, or at the syscall-exit stop of a call
 * the host ran.  The counts are kept by the dispatcher (syscall.c).
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "task.h"

/*
 * Write one line for the call a with result ret to t->k->opts.trace (no-op
 * when NULL): "[pid tid] name(args) = result", in strace 6's default format
 * (tests/system/trace_strace.sh compares the two).  The prefix is strace
 * -f's, with the virtual tid, on every line: strace leaves it out until a
 * second process exists and pads the number, which tells the reader less.
 * ret is the value the guest sees (>= 0 or -errno) or -UOS_ENORESULT
 * (printed "= ?").  Reads guest memory for strings, buffers and structures,
 * at the call's exit; a failed read prints the pointer.
 */
void trace_call(struct task *t, const struct sysargs *a, long ret);

/*
 * At the entry of call a (the dispatcher, before the handler): print the
 * arguments whose memory the call overwrites into t->trace_args, one text
 * per argument, for trace_call: all of execve's (an ARGV argument: a
 * successful exec replaces the memory that held its path, argv and envp),
 * select's fd sets, timeouts the call updates, value-result lengths.
 */
void trace_enter(struct task *t, const struct sysargs *a);

/*
 * Print the --summary report: what the guests' host processes hold
 * (contain_describe), calls and errors per syscall, most called first; then every NONE or PARTIAL syscall that was called, with its note;
 * then the syscalls that failed.
 */
void trace_summary(struct kernel *k, FILE *out);

/*
 * The name of errno e ("ENOENT"), or of one of Linux's restart codes
 * (ERESTARTSYS is TRACE_RESTART_FIRST), or NULL.
 */
#define TRACE_RESTART_FIRST 512
const char *trace_errno_name(int e);
