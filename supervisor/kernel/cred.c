/* Credential checks shared by the calls (see cred.h). */
#include "cred.h"

#include "task.h"

bool cred_capable(const struct task *t)
{
	return t->tg->cred.euid == 0;
}

bool cred_may_signal(const struct task *t, const struct tgroup *tg)
{
	const struct creds *c = &t->tg->cred, *o = &tg->cred;
	return cred_capable(t) || c->euid == o->suid || c->euid == o->uid || c->uid == o->suid ||
	       c->uid == o->uid;
}

bool cred_same_ids(const struct task *t, const struct tgroup *tg)
{
	const struct creds *c = &t->tg->cred, *o = &tg->cred;
	return c->uid == o->uid && c->uid == o->euid && c->uid == o->suid && c->gid == o->gid &&
	       c->gid == o->egid && c->gid == o->sgid;
}
