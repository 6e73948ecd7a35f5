/* Credentials: the checks the calls share, and the setters' rules (see cred.h). */
#include "cred.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capability.h"
#include "task.h"

#define NO_ID ((unsigned int)-1)

bool cred_capable(const struct task *t, int cap)
{
	return creds_capable(&t->tg->cred, cap);
}

bool cred_may_signal(const struct task *t, const struct tgroup *tg)
{
	const struct creds *c = &t->tg->cred, *o = &tg->cred;
	return cred_capable(t, CAP_KILL) || c->euid == o->suid || c->euid == o->uid ||
	       c->uid == o->suid || c->uid == o->uid;
}

bool cred_same_ids(const struct task *t, const struct tgroup *tg)
{
	const struct creds *c = &t->tg->cred, *o = &tg->cred;
	return c->uid == o->uid && c->uid == o->euid && c->uid == o->suid && c->gid == o->gid &&
	       c->gid == o->egid && c->gid == o->sgid;
}

/* The four ids of one family: real, effective, saved, filesystem. */
struct idfam {
	unsigned int *r, *e, *s, *fs;
};

static struct idfam family(struct creds *c, enum cred_family f)
{
	if (f == CRED_UID)
		return (struct idfam){&c->uid, &c->euid, &c->suid, &c->fsuid};
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

/* CAP_SETUID for the uids, CAP_SETGID for the gids. */
static bool may_set(const struct task *t, enum cred_family f)
{
	return cred_capable(t, f == CRED_UID ? CAP_SETUID : CAP_SETGID);
}

/* A uid setter's capability fixup (cap_task_fix_setuid), then commit()'s. */
static long fixup(struct task *t, enum cred_family f, const struct creds *old, bool fs, long ret)
{
	if (ret >= 0 && f == CRED_UID)
		cap_fix_setuid(&t->tg->cred, old, fs);
	return commit(t, old, ret);
}

long cred_setid(struct task *t, enum cred_family f, unsigned int id)
{
	struct creds old = t->tg->cred;
	return fixup(t, f, &old, false, set_id(may_set(t, f), family(&t->tg->cred, f), id));
}

long cred_setreid(struct task *t, enum cred_family f, unsigned int r, unsigned int e)
{
	struct creds old = t->tg->cred;
	return fixup(t, f, &old, false, set_re(may_set(t, f), family(&t->tg->cred, f), r, e));
}

long cred_setresid(struct task *t, enum cred_family f, unsigned int r, unsigned int e,
		   unsigned int s)
{
	struct creds old = t->tg->cred;
	return fixup(t, f, &old, false, set_res(may_set(t, f), family(&t->tg->cred, f), r, e, s));
}

long cred_setfsid(struct task *t, enum cred_family f, unsigned int id)
{
	struct creds old = t->tg->cred;
	return fixup(t, f, &old, true, set_fs(may_set(t, f), family(&t->tg->cred, f), id));
}

static int gid_cmp(const void *x, const void *y)
{
	gid_t a = *(const gid_t *)x, b = *(const gid_t *)y;
	return (a > b) - (a < b);
}

int cred_setgroups(struct task *t, gid_t *list, int n)
{
	struct creds *c = &t->tg->cred;

	for (int i = 0; i < n; i++)
		if (list[i] == NO_ID)
			return -EINVAL;
	qsort(list, n, sizeof(gid_t), gid_cmp);
	memcpy(c->groups, list, n * sizeof(gid_t));
	c->ngroups = n;
	return 0;
}
