/*
 * Credential checks that more than one call makes.  Linux's capability
 * checks are modelled as "effective uid is 0", which is what a process
 * without file capabilities or securebits sees; the credentials themselves
 * are t->tg->cred (struct creds, task.h), set by the calls in sys_cred.c.
 */
#pragma once

#include <stdbool.h>

struct task;
struct tgroup;

/* CAP_SETUID, CAP_SETGID, CAP_SYS_ADMIN ... for a process without file caps. */
bool cred_capable(const struct task *t);
/* kill_ok_by_cred(): may t signal the process tg? */
bool cred_may_signal(const struct task *t, const struct tgroup *tg);
/*
 * Are t's real uid and gid each of tg's real, effective and saved ones?
 * The test of check_prlimit_permission() and of ptrace's access check
 * (PTRACE_MODE_REALCREDS) for a caller without capabilities.
 */
bool cred_same_ids(const struct task *t, const struct tgroup *tg);
