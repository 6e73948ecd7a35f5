/*
 * prctl(2): one function per option that needs more than a line.  The
 * options keep uos's books of the task or its process (name, parent-death
 * signal, subreaper, dumpable, timer slack, THP); the capability options
 * go first, as security_task_prctl() does, to capability.c.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include "capability.h"
#include "gmem.h"
#include "handlers.h"
#include "task.h"

static long pr_set_name(struct task *t, unsigned long addr)
{
	char name[16] = "";
	/* strncpy_from_user(comm, addr, 15): a longer name is cut, not refused. */
	long n = gmem_strncpy(t, name, addr, sizeof(name) - 1);
	if (n == -ENAMETOOLONG)
		n = gmem_read(t, name, addr, sizeof(name) - 1);
	if (n < 0)
		return n;
	memcpy(task_comm(t), name, sizeof(name));
	return 0;
}

static long pr_get_name(struct task *t, unsigned long addr)
{
	char name[16];
	memcpy(name, task_comm(t), sizeof(name));
	name[15] = '\0';
	return gmem_write(t, addr, name, strlen(name) + 1);
}

static long pr_get_pdeathsig(struct task *t, unsigned long addr)
{
	int sig = t->pdeath_sig;
	return gmem_write(t, addr, &sig, sizeof(sig));
}

long sys_prctl(struct task *t, const struct sysargs *a)
{
	unsigned long arg2 = a->a[1];
	bool rest_zero = !a->a[2] && !a->a[3] && !a->a[4];
	long r = cap_prctl(&t->tg->cred, (int)a->a[0], arg2, a->a[2], a->a[3], a->a[4]);
	if (r != -ENOSYS)
		return r;
	switch ((int)a->a[0]) {
	case PR_SET_NAME:
		return pr_set_name(t, arg2);
	case PR_GET_NAME:
		return pr_get_name(t, arg2);
	case PR_SET_PDEATHSIG:
		if (arg2 > 64)
			return -EINVAL;
		t->pdeath_sig = arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return pr_get_pdeathsig(t, arg2);
	case PR_SET_CHILD_SUBREAPER:
		t->tg->subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER: {
		int on = t->tg->subreaper;
		return gmem_write(t, arg2, &on, sizeof(on));
	}
	case PR_GET_DUMPABLE:
		return !t->tg->undumpable;
	case PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -EINVAL;
		t->tg->undumpable = !arg2;
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		/* uos's own flag, for the guest's execs (exec_creds.c); it can never be cleared */
		if (arg2 != 1 || !rest_zero)
			return -EINVAL;
		t->tg->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return !arg2 && rest_zero ? t->tg->no_new_privs : -EINVAL;
	case PR_GET_TIMERSLACK:
		return (long)t->timer_slack;
	case PR_SET_TIMERSLACK:
		t->timer_slack = arg2 ? arg2 : t->default_slack;
		return 0;
	case PR_GET_THP_DISABLE:
		return !arg2 && rest_zero ? t->tg->thp_off : -EINVAL;
	case PR_SET_THP_DISABLE:
		if (!rest_zero)
			return -EINVAL;
		t->tg->thp_off = arg2 != 0;
		return 0;
	default:
		return -EINVAL;
	}
}
