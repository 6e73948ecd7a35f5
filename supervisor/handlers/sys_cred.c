/*
 * Credentials: the uids, gids and supplementary groups of a process,
 * t->tg->cred (uid 0 by default, --user otherwise), which may differ from
 * the host uid that really runs it.  The handlers copy ids in and out; the
 * rules of each setter (kernel/sys.c's) are cred.c's.  Each call is
 * compared against a native run by tests/conformance/proc/diff_ids.c.
 */
#include <errno.h>

#include "cred.h"
#include "gmem.h"
#include "handlers.h"
#include "task.h"

#define NGROUPS_LINUX 65536 /* NGROUPS_MAX of the Linux kernel */

long sys_getuid(struct task *t, const struct sysargs *a)
{
	return t->tg->cred.uid;
}

long sys_geteuid(struct task *t, const struct sysargs *a)
{
	return t->tg->cred.euid;
}

long sys_getgid(struct task *t, const struct sysargs *a)
{
	return t->tg->cred.gid;
}

long sys_getegid(struct task *t, const struct sysargs *a)
{
	return t->tg->cred.egid;
}

/* Write three ids one after the other, as put_user() does. */
static long put_three(struct task *t, const struct sysargs *a, unsigned int r, unsigned int e,
		      unsigned int s)
{
	int err = gmem_write(t, a->a[0], &r, sizeof(r));
	if (!err)
		err = gmem_write(t, a->a[1], &e, sizeof(e));
	if (!err)
		err = gmem_write(t, a->a[2], &s, sizeof(s));
	return err;
}

long sys_getresuid(struct task *t, const struct sysargs *a)
{
	const struct creds *c = &t->tg->cred;
	return put_three(t, a, c->uid, c->euid, c->suid);
}

long sys_getresgid(struct task *t, const struct sysargs *a)
{
	const struct creds *c = &t->tg->cred;
	return put_three(t, a, c->gid, c->egid, c->sgid);
}

long sys_getgroups(struct task *t, const struct sysargs *a)
{
	const struct creds *c = &t->tg->cred;
	int size = (int)a->a[0];
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	int err = gmem_write(t, a->a[1], c->groups, c->ngroups * sizeof(gid_t));
	return err ? err : c->ngroups;
}

long sys_setuid(struct task *t, const struct sysargs *a)
{
	return cred_setid(t, CRED_UID, a->a[0]);
}

long sys_setgid(struct task *t, const struct sysargs *a)
{
	return cred_setid(t, CRED_GID, a->a[0]);
}

long sys_setreuid(struct task *t, const struct sysargs *a)
{
	return cred_setreid(t, CRED_UID, a->a[0], a->a[1]);
}

long sys_setregid(struct task *t, const struct sysargs *a)
{
	return cred_setreid(t, CRED_GID, a->a[0], a->a[1]);
}

long sys_setresuid(struct task *t, const struct sysargs *a)
{
	return cred_setresid(t, CRED_UID, a->a[0], a->a[1], a->a[2]);
}

long sys_setresgid(struct task *t, const struct sysargs *a)
{
	return cred_setresid(t, CRED_GID, a->a[0], a->a[1], a->a[2]);
}

long sys_setfsuid(struct task *t, const struct sysargs *a)
{
	return cred_setfsid(t, CRED_UID, a->a[0]);
}

long sys_setfsgid(struct task *t, const struct sysargs *a)
{
	return cred_setfsid(t, CRED_GID, a->a[0]);
}

/*
 * setgroups(2).  Linux keeps up to 65536 groups; uos keeps CREDS_NGROUPS_MAX
 * and answers EINVAL beyond, as if that were NGROUPS_MAX.
 */
long sys_setgroups(struct task *t, const struct sysargs *a)
{
	int size = (int)a->a[0];
	gid_t list[CREDS_NGROUPS_MAX];
	if (!cred_capable(t, CAP_SETGID))
		return -EPERM;
	if ((unsigned int)size > NGROUPS_LINUX || size > CREDS_NGROUPS_MAX)
		return -EINVAL;
	int err = size > 0 ? gmem_read(t, list, a->a[1], size * sizeof(gid_t)) : 0;
	if (err)
		return err;
	return cred_setgroups(t, list, size);
}
