/*
 * Credentials: the checks more than one call makes, and the setters with
 * the rules and the order of Linux's kernel/sys.c.  Linux's capability
 * checks are modelled as "effective uid is 0", which is what a process
 * without file capabilities or securebits sees; the credentials themselves
 * are t->tg->cred (struct creds, task.h).
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

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

/* The id family a setter works on: uids or gids. */
enum cred_family { CRED_UID, CRED_GID };
/*
 * setuid/setgid, setreuid/setregid, setresuid/setresgid (ids of -1 are
 * left): 0, -EINVAL, -EPERM.  setfsuid/setfsgid: the old fs id, never an
 * error.  A change of the effective or fs ids makes the process
 * undumpable and clears its parent-death signal, as commit_creds().
 */
long cred_setid(struct task *t, enum cred_family f, unsigned int id);
long cred_setreid(struct task *t, enum cred_family f, unsigned int r, unsigned int e);
long cred_setresid(struct task *t, enum cred_family f, unsigned int r, unsigned int e,
		   unsigned int s);
long cred_setfsid(struct task *t, enum cred_family f, unsigned int id);
/* setgroups(2) of the n groups in list (sorted in place; n and privilege checked): 0, -EINVAL. */
int cred_setgroups(struct task *t, gid_t *list, int n);
