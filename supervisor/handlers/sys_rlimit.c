/*
 * getrlimit, setrlimit, prlimit64: the calls; the limits are kept and
 * checked by rlimit.c.  Errno and check order follow kernel/sys.c.
 */
#include <errno.h>
#include <stdbool.h>

#include "cred.h"
#include "gmem.h"
#include "rlimit.h"
#include "handlers.h"
#include "task.h"

long sys_getrlimit(struct task *t, const struct sysargs *a)
{
	struct rlimit old;
	long err = rlimit_prlimit(t, t->tg, a->a[0], NULL, &old);
	return err ? err : gmem_write(t, a->a[1], &old, sizeof(old));
}

long sys_setrlimit(struct task *t, const struct sysargs *a)
{
	struct rlimit new;
	int err = gmem_read(t, &new, a->a[1], sizeof(new));
	return err ? err : rlimit_prlimit(t, t->tg, a->a[0], &new, NULL);
}

/* May t change or read the limits of tg?  check_prlimit_permission(). */
static bool may_prlimit(struct task *t, struct tgroup *tg)
{
	return tg == t->tg || cred_capable(t, CAP_SYS_RESOURCE) || cred_same_ids(t, tg);
}

long sys_prlimit64(struct task *t, const struct sysargs *a)
{
	struct rlimit new, old;
	unsigned int res = a->a[1];
	/* Linux reads the new limit and finds the task before it checks res. */
	if (a->a[2]) {
		int err = gmem_read(t, &new, a->a[2], sizeof(new));
		if (err)
			return err;
	}
	struct tgroup *tg = tg_by_tid(t, (int)a->a[0]);
	if (!tg)
		return -ESRCH;
	if (!may_prlimit(t, tg))
		return -EPERM;
	long err = rlimit_prlimit(t, tg, res, a->a[2] ? &new : NULL, a->a[3] ? &old : NULL);
	if (!err && a->a[3])
		err = gmem_write(t, a->a[3], &old, sizeof(old));
	return err;
}
