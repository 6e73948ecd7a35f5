/*
 * Process groups and sessions: setpgid and setsid, with Linux's rules
 * (kernel/sys.c).  getpgid, getpgrp and getsid read the same books
 * (sys_ids.c).
 */
#include <errno.h>

#include "ctty.h"
#include "handlers.h"

long sys_setpgid(struct task *t, const struct sysargs *a)
{
	struct tgroup *me = t->tg;
	int pid = (int)a->a[0], pgid = (int)a->a[1];
	if (pgid < 0)
		return -EINVAL;
	struct tgroup *p = pid ? tg_by_pid(t->k, pid) : me;
	if (!p || p->zombie || (p != me && p->parent != me))
		return -ESRCH;
	if (p != me && p->sid != me->sid)
		return -EPERM;
	if (p != me && p->execed)
		return -EACCES;
	if (p->sid == p->pid)
		return -EPERM; /* a session leader keeps its group */
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid && !tg_group_in_session(t->k, pgid, me->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

long sys_setsid(struct task *t, const struct sysargs *a)
{
	struct tgroup *me = t->tg;
	for (struct tgroup *tg = t->k->procs; tg; tg = tg->next)
		if (!tg->zombie && tg->pgid == me->pid)
			return -EPERM; /* already a group leader, or its pid names a group */
	me->sid = me->pgid = me->pid;
	ctty_setsid(t->k, me);
	return me->sid;
}
