/*
 * The argument allow-lists of the HOST rows of syscalls.def (hostargs.c):
 * which argument values let the host kernel run a call for a guest.
 *
 * The seccomp filter lets a HOST call through without a stop only when its
 * arguments pass (seccomp.c builds one rule per allowed value or one mask);
 * any other call stops, and the dispatcher asks hostargs_check, which gives
 * the errno Linux would give or lets the host run it (the same call also
 * stops under --trace, --summary and serial scheduling).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

/*
 * One HOST row's allow-list: argument arg (an int in Linux's prototype: the
 * low 32 bits count) must be one of values[nvalues], or, with values NULL,
 * have no bit outside flags.
 */
struct hostarg_rule {
	int nr;
	int arg;
	const uint32_t *values;
	size_t nvalues;
	uint32_t flags;
	/* The -errno for a value outside the list (NULL: -EINVAL). */
	long (*refuse)(struct task *t, const struct sysargs *a);
};

/* The allow-list of HOST row nr, or NULL when no argument of it can name anything outside. */
const struct hostarg_rule *hostargs_rule(int nr);

/* Whether argument value v passes rule h. */
bool hostargs_pass(const struct hostarg_rule *h, uint64_t v);

/*
 * May the host run t's HOST call a (row e)?  0, or the -errno Linux gives
 * (or an emulated answer's) for arguments the allow-list refuses: a clock
 * id of another process (hostargs_clockid_ok), a value outside the row's
 * rule.
 */
long hostargs_check(struct task *t, const struct sys_entry *e, const struct sysargs *a);

/*
 * Whether a HOST call may take clock id `id` without reaching outside the
 * caller: the fixed clocks (id >= 0) and the caller's own CPU clocks (pid
 * field 0: -8..-1, except the clock-fd encoding).  Other negative ids name
 * another process's or thread's CPU clock, or a clock fd (clock_gettime(2)).
 */
bool hostargs_clockid_ok(int id);
