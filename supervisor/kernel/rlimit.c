/* Resource limits (see rlimit.h). */
#include "rlimit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "contain.h"
#include "cred.h"
#include "sigsend.h"
#include "task.h"

/* The host's fs.nr_open: the ceiling of RLIMIT_NOFILE (1048576 by default). */
static unsigned long nr_open(void)
{
	unsigned long n = 1048576;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");
	if (f) {
		if (fscanf(f, "%lu", &n) != 1)
			n = 1048576;
		fclose(f);
	}
	return n;
}

/*
 * Limits the host enforces on the guest's own host process: its address
 * space, CPU time, stack, locked memory, signal queue.  uos enforces
 * RLIMIT_NOFILE, RLIMIT_FSIZE and RLIMIT_NPROC itself; RLIMIT_CORE stays 0
 * on the host (trap.c).
 */
static bool host_enforced(unsigned int res)
{
	switch (res) {
	case RLIMIT_CPU:
	case RLIMIT_AS:
	case RLIMIT_DATA:
	case RLIMIT_STACK:
	case RLIMIT_MEMLOCK:
	case RLIMIT_SIGPENDING:
	case RLIMIT_RTTIME:
		return true;
	default:
		return false;
	}
}

long rlimit_prlimit(struct task *t, struct tgroup *tg, unsigned int res, const struct rlimit *new,
		    struct rlimit *old)
{
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	struct rlimit *cur = &tg->rlim[res];
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (res == RLIMIT_NOFILE && new->rlim_max > nr_open())
			return -EPERM;
		if (new->rlim_max > cur->rlim_max && !cred_capable(t, CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (new && host_enforced(res) && tg->host_tgid > 0) {
		int r = contain_prlimit(&t->k->contain, tg->host_tgid, (int)res, new);
		if (r < 0)
			return r;
	}
	if (old)
		*old = *cur;
	if (new)
		*cur = *new;
	return 0;
}

int rlimit_fsize_ok(struct task *t, off_t size)
{
	rlim_t lim = t->tg->rlim[RLIMIT_FSIZE].rlim_cur;
	if (lim == RLIM_INFINITY || size <= 0 || (rlim_t)size <= lim)
		return 0;
	sig_send_self(t, SIGXFSZ);
	return -EFBIG;
}

int rlimit_nproc_ok(struct task *t)
{
	const struct creds *c = &t->tg->cred;
	rlim_t n = 0, lim = t->tg->rlim[RLIMIT_NPROC].rlim_cur;
	if (lim == RLIM_INFINITY || c->uid == 0 || cred_capable(t, CAP_SYS_RESOURCE) ||
	    cred_capable(t, CAP_SYS_ADMIN))
		return 0;
	for (struct task *o = t->k->tasks; o; o = o->next)
		n += o->tg->cred.uid == c->uid;
	return n >= lim ? -EAGAIN : 0;
}
