/*
 * Credentials: the checks more than one call makes, and the setters with
 * the rules and the order of Linux's kernel/sys.c.  A capability check is
 * the capability's bit in the effective set (cred_capable); the sets
 * follow the setters, execve, capset and prctl as commoncap.c has them
 * (capability.c).  The credentials themselves are t->tg->cred (struct
 * creds, creds.h), one per process.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct task;
struct tgroup;

/* capable(cap): is cap (CAP_SETUID, CAP_SYS_ADMIN ...) in t's effective set? */
bool cred_capable(const struct task *t, int cap);
/* kill_ok_by_cred(): may t signal the process tg (CAP_KILL or matching uids)? */
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
 * error.  CAP_SETUID or CAP_SETGID allows any id.  A uid change moves the
 * capability sets (cap_fix_setuid).  A change of the effective or fs ids
 * makes the process undumpable and clears its parent-death signal, as
 * commit_creds().
 */
long cred_setid(struct task *t, enum cred_family f, unsigned int id);
long cred_setreid(struct task *t, enum cred_family f, unsigned int r, unsigned int e);
long cred_setresid(struct task *t, enum cred_family f, unsigned int r, unsigned int e,
		   unsigned int s);
long cred_setfsid(struct task *t, enum cred_family f, unsigned int id);
/* setgroups(2) of the n groups in list (sorted in place; n and CAP_SETGID checked): 0, -EINVAL. */
int cred_setgroups(struct task *t, gid_t *list, int n);
