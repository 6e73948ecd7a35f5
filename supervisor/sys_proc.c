/*
 * The single-process syscalls: ids, credentials, limits, names, and the
 * small calls that read or set one process's own books.
 *
 * Everything here is answered from struct task / struct tgroup, never from
 * the host's view of the guest: the guest is PID 1 of its own pid space and
 * its credentials are t->tg->cred (uid 0 by default, --user otherwise), which
 * may differ from the host uid that really runs it.  The capability checks of
 * Linux are modelled as "effective uid is 0", which is what a process without
 * file capabilities or securebits sees.  Errno and check order follow the
 * Linux kernel (kernel/sys.c, kernel/signal.c, kernel/exit.c); each call is
 * compared against a native run by tests/guest/proc_ids.c.
 *
 * Signals are not delivered here: kill and friends check the call as Linux
 * does and hand the signal, with the siginfo Linux would give it, to
 * sigsend.c.  Times and resource usage live in sys_time.c.
 */
#include <errno.h>
#include <linux/capability.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cred.h"
#include "gmem.h"
#include "sigsend.h"
#include "syscall.h"
#include "rlimit.h"
#include "task.h"

#define NO_ID ((unsigned int)-1)
#define NGROUPS_LINUX 65536 /* NGROUPS_MAX of the Linux kernel */
#define UTS_LEN 64	    /* __NEW_UTS_LEN */

/* ---- exit: the host runs it; the trap layer sees the status by waitpid. */

long sys_exit(struct task *t, const struct sysargs *a)
{
	return -UOS_EHOST;
}

long sys_exit_group(struct task *t, const struct sysargs *a)
{
	return -UOS_EHOST;
}

/* ---- ids */

long sys_getpid(struct task *t, const struct sysargs *a)
{
	return t->tg->pid;
}

long sys_gettid(struct task *t, const struct sysargs *a)
{
	return t->tid;
}

long sys_getppid(struct task *t, const struct sysargs *a)
{
	return t->tg->ppid;
}

long sys_getpgrp(struct task *t, const struct sysargs *a)
{
	return t->tg->pgid;
}

/* The process of pid (0: the caller's), or NULL. */
static struct tgroup *tg_of(struct task *t, int pid)
{
	if (pid == 0)
		return t->tg;
	struct task *p = pid > 0 ? task_by_tid(t->k, pid) : NULL;
	return p ? p->tg : NULL;
}

long sys_getpgid(struct task *t, const struct sysargs *a)
{
	struct tgroup *tg = tg_of(t, (int)a->a[0]);
	return tg ? tg->pgid : -ESRCH;
}

long sys_getsid(struct task *t, const struct sysargs *a)
{
	struct tgroup *tg = tg_of(t, (int)a->a[0]);
	return tg ? tg->sid : -ESRCH;
}

long sys_set_tid_address(struct task *t, const struct sysargs *a)
{
	/* The exit path clears this word and wakes its futex (CLONE_CHILD_CLEARTID). */
	t->clear_child_tid = a->a[0];
	return t->tid;
}

long sys_umask(struct task *t, const struct sysargs *a)
{
	mode_t old = t->tg->fs.umask;
	t->tg->fs.umask = a->a[0] & 0777;
	return old;
}

/* ---- credentials: getters */

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

/* ---- credentials: setters, on one id family (uid or gid) at a time */

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

/* ---- names */

static const char *hostname(struct kernel *k)
{
	return k->opts.hostname[0] ? k->opts.hostname : "uos";
}

long sys_uname(struct task *t, const struct sysargs *a)
{
	struct utsname u;
	if (uname(&u) < 0)
		return -errno;
	strcpy(u.sysname, "Linux");
	memset(u.nodename, 0, sizeof(u.nodename));
	memcpy(u.nodename, hostname(t->k), strnlen(hostname(t->k), sizeof(u.nodename) - 1));
	return gmem_write(t, a->a[0], &u, sizeof(u));
}

long sys_sethostname(struct task *t, const struct sysargs *a)
{
	char name[UTS_LEN + 1] = "";
	int len = (int)a->a[1];
	if (!cred_capable(t))
		return -EPERM;
	if (len < 0 || len > UTS_LEN)
		return -EINVAL;
	int err = gmem_read(t, name, a->a[0], len);
	if (err)
		return err;
	/* The guest's uts namespace: the hostname option is its only copy. */
	memset(t->k->opts.hostname, 0, sizeof(t->k->opts.hostname));
	memcpy(t->k->opts.hostname, name, len);
	return 0;
}

/* ---- resource limits */

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
	return tg == t->tg || cred_capable(t) || cred_same_ids(t, tg);
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
	struct tgroup *tg = tg_of(t, (int)a->a[0]);
	if (!tg)
		return -ESRCH;
	if (!may_prlimit(t, tg))
		return -EPERM;
	long err = rlimit_prlimit(t, tg, res, a->a[2] ? &new : NULL, a->a[3] ? &old : NULL);
	if (!err && a->a[3])
		err = gmem_write(t, a->a[3], &old, sizeof(old));
	return err;
}

/* ---- system information */

long sys_sysinfo(struct task *t, const struct sysargs *a)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return -errno;
	si.procs = t->k->nr_tasks;
	return gmem_write(t, a->a[0], &si, sizeof(si));
}

long sys_getrandom(struct task *t, const struct sysargs *a)
{
	unsigned int flags = a->a[2];
	unsigned long len = a->a[1] > INT_MAX ? INT_MAX : a->a[1];
	char buf[4096];
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	unsigned long done = 0;
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ssize_t got = getrandom(buf, n, flags);
		if (got < 0)
			return done ? (long)done : -errno;
		/* Linux returns what it copied before a fault, EFAULT if nothing. */
		if (gmem_write(t, a->a[0] + done, buf, got) < 0)
			return done ? (long)done : -EFAULT;
		done += got;
		if ((size_t)got < n)
			break;
	}
	return done;
}

long sys_sched_getaffinity(struct task *t, const struct sysargs *a)
{
	unsigned char mask[1024];
	unsigned long len = a->a[1];
	if (len & (sizeof(long) - 1))
		return -EINVAL;
	/*
	 * Every guest task runs on the CPUs uos may use.  The host checks len
	 * against its CPU count and sizes the answer; then the pid is looked
	 * up, in Linux's order.
	 */
	long n = syscall(SYS_sched_getaffinity, 0, len < sizeof(mask) ? len : sizeof(mask), mask);
	if (n < 0)
		return -errno;
	if (!tg_of(t, (int)a->a[0]))
		return -ESRCH;
	int err = gmem_write(t, a->a[2], mask, n);
	return err ? err : n;
}

/* ---- prctl: one function per option */

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
		/* Always set: uos installs its seccomp filter with it. */
		return arg2 == 1 && rest_zero ? 0 : -EINVAL;
	case PR_GET_NO_NEW_PRIVS:
		return !arg2 && rest_zero ? 1 : -EINVAL;
	case PR_GET_TIMERSLACK:
		return (long)t->timer_slack;
	case PR_SET_TIMERSLACK:
		t->timer_slack = arg2 ? arg2 : t->default_slack;
		return 0;
	case PR_CAPBSET_READ: /* the bounding set is full, as a fresh Linux's */
		return arg2 <= CAP_LAST_CAP ? 1 : -EINVAL;
	case PR_GET_SECUREBITS:
		return 0;
	case PR_GET_KEEPCAPS:
		return t->tg->keep_caps;
	case PR_SET_KEEPCAPS:
		if (arg2 > 1)
			return -EINVAL;
		t->tg->keep_caps = arg2;
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

/* ---- signals to processes */

/* sig_kill of sig from t with si_code code (kill's SI_USER, tkill's SI_TKILL). */
static long send_one(struct task *t, struct tgroup *tg, struct task *r, int sig, int code)
{
	siginfo_t si;
	sig_info_from(&si, sig, code, t);
	return sig_kill(t, tg, r, &si);
}

/*
 * kill(-1, sig): every process but init and the caller's own.  As
 * kill_something_info(): ESRCH when there is none, else the last error
 * other than EPERM (0 when all were sent).
 */
static long kill_all(struct task *t, int sig)
{
	long ret = 0;
	int count = 0;
	for (struct task *p = t->k->tasks; p; p = p->next) {
		if (p->tid != p->tg->pid || p->tg->pid <= 1 || p->tg == t->tg)
			continue;
		long r = send_one(t, p->tg, NULL, sig, SI_USER);
		count++;
		if (r != -EPERM)
			ret = r;
	}
	return count ? ret : -ESRCH;
}

/* kill(0 or -pgid, sig): as __kill_pgrp_info(), 0 when one was sent, else the last error. */
static long kill_pgrp(struct task *t, int pgid, int sig)
{
	long ret = -ESRCH;
	bool sent = false;
	for (struct task *p = t->k->tasks; p; p = p->next) {
		if (p->tid != p->tg->pid || p->tg->pgid != pgid)
			continue;
		ret = send_one(t, p->tg, NULL, sig, SI_USER);
		sent |= ret == 0;
	}
	return sent ? 0 : ret;
}

long sys_kill(struct task *t, const struct sysargs *a)
{
	int pid = (int)a->a[0];
	int sig = (int)a->a[1];
	if (pid > 0) {
		struct task *p = task_by_tid(t->k, pid);
		struct tgroup *z = p ? NULL : tg_by_pid(t->k, pid);
		if (z && z->zombie) /* a zombie still exists: the signal is accepted, and lost */
			return sig < 0 || sig > 64 ? -EINVAL : cred_may_signal(t, z) ? 0 : -EPERM;
		return p ? send_one(t, p->tg, NULL, sig, SI_USER) : -ESRCH;
	}
	if (pid == INT_MIN)
		return -ESRCH;
	if (pid == -1)
		return kill_all(t, sig);
	return kill_pgrp(t, pid ? -pid : t->tg->pgid, sig);
}

long sys_tkill(struct task *t, const struct sysargs *a)
{
	int tid = (int)a->a[0];
	if (tid <= 0)
		return -EINVAL;
	struct task *p = task_by_tid(t->k, tid);
	return p ? send_one(t, p->tg, p, (int)a->a[1], SI_TKILL) : -ESRCH;
}

long sys_tgkill(struct task *t, const struct sysargs *a)
{
	int tgid = (int)a->a[0], tid = (int)a->a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct task *p = task_by_tid(t->k, tid);
	if (!p || p->tg->pid != tgid)
		return -ESRCH;
	return send_one(t, p->tg, p, (int)a->a[2], SI_TKILL);
}

/*
 * rt_sigqueueinfo / rt_tgsigqueueinfo: a signal with the caller's siginfo,
 * to the process tg or the thread r.  Linux lets a task give a kernel
 * si_code (>= 0) or SI_TKILL only to its own id (its tid).
 */
static long queue_info(struct task *t, struct tgroup *tg, struct task *r, int id, int sig,
		       unsigned long uinfo)
{
	siginfo_t si;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (gmem_read(t, &si, uinfo, sizeof(si)))
		return -EFAULT;
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) && t->tid != id)
		return -EPERM;
	si.si_signo = sig;
	return sig_kill(t, tg, r, &si);
}

long sys_rt_sigqueueinfo(struct task *t, const struct sysargs *a)
{
	int pid = (int)a->a[0];
	struct tgroup *tg = tg_by_pid(t->k, pid);
	if (!tg || tg->zombie)
		return -ESRCH;
	return queue_info(t, tg, NULL, pid, (int)a->a[1], a->a[2]);
}

long sys_rt_tgsigqueueinfo(struct task *t, const struct sysargs *a)
{
	int tgid = (int)a->a[0], tid = (int)a->a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct task *r = task_by_tid(t->k, tid);
	if (!r || r->tg->pid != tgid)
		return -ESRCH;
	return queue_info(t, r->tg, r, tid, (int)a->a[2], a->a[3]);
}
