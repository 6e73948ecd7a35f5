/*
 * The guest's seccomp filter, generated from syscalls.def when uos is built (seccomp_gen.c).
 *
 * Every native x86-64 call stops in the tracer (SECCOMP_RET_TRACE), except
 * the HOST rows, which the host kernel runs without a stop, and the rows
 * sys_notified names, which go to uos's listener (notify.c), unless
 * --trace or --summary wants to see every call; a call made from uos's
 * page (the calls uos injects) never goes to the listener, but stops.  Foreign ABIs (i386 int 0x80, x32) get
 * SIGSYS (SECCOMP_RET_TRAP), which uos recognises and reports.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct kernel;

/*
 * Whether the guests' filter sends the calls sys_notified names to a
 * listener (seccomp user notification): by default (not with --no-notify), unless --trace,
 * --summary or serial scheduling wants a stop at every call.
 */
bool seccomp_notifies(const struct kernel *k);

/*
 * Install the filter in the calling process, with raw calls (base.h): the
 * first guest's child (spawn.c), after PR_SET_NO_NEW_PRIVS, just before it
 * execs the stub.  The child must already be traced: from here on, with no
 * tracer, every trapped call (execve included) fails with ENOSYS.  When
 * seccomp_notifies, *listener is the listener's fd (close-on-exec, so the
 * guest never holds it; uos takes it with pidfd_getfd), else -1 (also
 * when the host cannot notify, before Linux 5.19).  Returns 0 or -errno.
 */
int seccomp_install(const struct kernel *k, int *listener);

/*
 * Whether si is the SIGSYS the filter raises for a foreign syscall ABI.  If
 * so, writes a one-line explanation into msg[n] (no "uos: " prefix).
 */
bool seccomp_abi_violation(const siginfo_t *si, char *msg, size_t n);
