/*
 * Credentials: the uids, gids and supplementary groups of a process,
 * t->tg->cred (uid 0 by default, --user otherwise), which may differ from
 * the host uid that really runs it.  Setters work on one id family (uid or
 * gid) at a time, with the checks and the order of kernel/sys.c; the
 * capability checks are cred.h's.  Each call is compared against a native
 * run by tests/conformance/proc/diff_ids.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "gmem.h"
#include "handlers.h"
#include "task.h"

#define NO_ID ((unsigned int)-1)
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

/* The four ids of one family: real, effective, saved, filesystem. */
struct idfam {
	unsigned int *r, *e, *s, *fs;
};

static struct idfam uids(struct creds *c)
{
	return (struct idfam){&c->uid, &c->euid, &c->suid, &c->fsuid};
}

static struct idfam gids(struct creds *c)
{
	return (struct idfam){&c->gid, &c->egid, &c->sgid, &c->fsgid};
}

/* setuid(2)/setgid(2): __sys_setuid() in kernel/sys.c. */
static long set_id(bool cap, struct idfam f, unsigned int id)
{
	if (id == NO_ID)
		return -EINVAL;
	if (cap)
		*f.r = *f.s = id;
	else if (id != *f.r && id != *f.s)
		return -EPERM;
	*f.e = *f.fs = id;
	return 0;
}

/* setreuid(2)/setregid(2): __sys_setreuid(). */
static long set_re(bool cap, struct idfam f, unsigned int r, unsigned int e)
{
	if (r != NO_ID && r != *f.r && r != *f.e && !cap)
		return -EPERM;
	if (e != NO_ID && e != *f.r && e != *f.e && e != *f.s && !cap)
		return -EPERM;
	unsigned int old_r = *f.r;
	if (r != NO_ID)
		*f.r = r;
	if (e != NO_ID)
		*f.e = e;
	if (r != NO_ID || (e != NO_ID && e != old_r))
		*f.s = *f.e;
	*f.fs = *f.e;
	return 0;
}

/* An id an unprivileged caller may not take: none of real, effective, saved. */
static bool is_new(struct idfam f, unsigned int id)
{
	return id != NO_ID && id != *f.r && id != *f.e && id != *f.s;
}

/* setresuid(2)/setresgid(2): __sys_setresuid(). */
static long set_res(bool cap, struct idfam f, unsigned int r, unsigned int e, unsigned int s)
{
	if (!cap && (is_new(f, r) || is_new(f, e) || is_new(f, s)))
		return -EPERM;
	if (r != NO_ID)
		*f.r = r;
	if (e != NO_ID)
		*f.e = e;
	if (s != NO_ID)
		*f.s = s;
	*f.fs = *f.e;
	return 0;
}

/* setfsuid(2)/setfsgid(2): always returns the old fsid, never an error. */
static long set_fs(bool cap, struct idfam f, unsigned int id)
{
	unsigned int old = *f.fs;
	if (id == NO_ID)
		return old;
	if (cap || id == *f.r || id == *f.e || id == *f.s || id == *f.fs)
		*f.fs = id;
	return old;
}

/*
 * What commit_creds() does besides storing: when the effective or fs ids
 * change, the process stops being dumpable (fs.suid_dumpable, 0 by default)
 * and the parent-death signal is cleared.  ret is the setter's result.
 */
static long commit(struct task *t, const struct creds *old, long ret)
{
	const struct creds *c = &t->tg->cred;
	if (c->euid != old->euid || c->egid != old->egid || c->fsuid != old->fsuid ||
	    c->fsgid != old->fsgid) {
		t->tg->undumpable = true;
		t->pdeath_sig = 0;
	}
	return ret;
}

long sys_setuid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_id(cred_capable(t), uids(&t->tg->cred), a->a[0]));
}

long sys_setgid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_id(cred_capable(t), gids(&t->tg->cred), a->a[0]));
}

long sys_setreuid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_re(cred_capable(t), uids(&t->tg->cred), a->a[0], a->a[1]));
}

long sys_setregid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_re(cred_capable(t), gids(&t->tg->cred), a->a[0], a->a[1]));
}

long sys_setresuid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_res(cred_capable(t), uids(&t->tg->cred), a->a[0], a->a[1], a->a[2]));
}

long sys_setresgid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_res(cred_capable(t), gids(&t->tg->cred), a->a[0], a->a[1], a->a[2]));
}

long sys_setfsuid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_fs(cred_capable(t), uids(&t->tg->cred), a->a[0]));
}

long sys_setfsgid(struct task *t, const struct sysargs *a)
{
	struct creds old = t->tg->cred;
	return commit(t, &old, set_fs(cred_capable(t), gids(&t->tg->cred), a->a[0]));
}

static int gid_cmp(const void *x, const void *y)
{
	gid_t a = *(const gid_t *)x, b = *(const gid_t *)y;
	return (a > b) - (a < b);
}

/*
 * setgroups(2).  Linux keeps up to 65536 groups; uos keeps CREDS_NGROUPS_MAX
 * and answers EINVAL beyond, as if that were NGROUPS_MAX.
 */
long sys_setgroups(struct task *t, const struct sysargs *a)
{
	int size = (int)a->a[0];
	gid_t list[CREDS_NGROUPS_MAX];
	if (!cred_capable(t))
		return -EPERM;
	if ((unsigned int)size > NGROUPS_LINUX || size > CREDS_NGROUPS_MAX)
		return -EINVAL;
	int err = size > 0 ? gmem_read(t, list, a->a[1], size * sizeof(gid_t)) : 0;
	if (err)
		return err;
	for (int i = 0; i < size; i++)
		if (list[i] == NO_ID)
			return -EINVAL;
	qsort(list, size, sizeof(gid_t), gid_cmp);
	struct creds *c = &t->tg->cred;
	memcpy(c->groups, list, size * sizeof(gid_t));
	c->ngroups = size;
	return 0;
}
