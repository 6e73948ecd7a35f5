/*
 * capget(2) and capset(2), as kernel/capability.c: the header's version
 * says how many 32-bit words of sets follow (version 1: one, versions 2
 * and 3: two); an unknown version is answered with the preferred one and
 * EINVAL.  capget reads any task's sets (one per process in uos); capset
 * changes only the caller's, within cap_capset()'s rules (capability.c).
 */
#include <errno.h>
#include <linux/capability.h>
#include <stddef.h>
#include <stdint.h>

#include "capability.h"
#include "gmem.h"
#include "handlers.h"
#include "task.h"

/* cap_validate_magic(): the number of words, or -EINVAL (the version written back) or -EFAULT. */
static int words(struct task *t, unsigned long hdr)
{
	__u32 version;
	if (gmem_read(t, &version, hdr, sizeof(version)))
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		return _LINUX_CAPABILITY_U32S_1;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		return _LINUX_CAPABILITY_U32S_3;
	default:
		version = _LINUX_CAPABILITY_VERSION_3;
		return gmem_write(t, hdr, &version, sizeof(version)) ? -EFAULT : -EINVAL;
	}
}

static int read_pid(struct task *t, unsigned long hdr, int *pid)
{
	unsigned long at = hdr + offsetof(struct __user_cap_header_struct, pid);
	return gmem_read(t, pid, at, sizeof(*pid)) ? -EFAULT : 0;
}

static __u32 word(uint64_t set, int i)
{
	return (__u32)(set >> (32 * i));
}

/* find_task_by_vpid(): a live thread by tid, or a process by pid (a zombie's too). */
static struct tgroup *target(struct task *t, int pid)
{
	struct tgroup *tg = tg_by_tid(t, pid);
	return tg ? tg : tg_by_pid(t->k, pid);
}

long sys_capget(struct task *t, const struct sysargs *a)
{
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	int n = words(t, a->a[0]), err = n < 0 ? n : 0, pid;

	/* A NULL data pointer is a probe: the version check alone answers, EINVAL as 0. */
	if (!a->a[1] || err)
		return !a->a[1] && err == -EINVAL ? 0 : err;
	if (read_pid(t, a->a[0], &pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	struct tgroup *tg = target(t, pid);
	if (!tg)
		return -ESRCH;
	const struct creds *c = &tg->cred;
	for (int i = 0; i < n; i++)
		d[i] = (struct __user_cap_data_struct){word(c->cap_eff, i), word(c->cap_prm, i),
						       word(c->cap_inh, i)};
	return gmem_write(t, a->a[1], d, n * sizeof(d[0])) ? -EFAULT : 0;
}

/* The 64-bit set from up to two words, cut to the capabilities there are. */
static uint64_t set_of(__u32 lo, __u32 hi)
{
	return ((uint64_t)hi << 32 | lo) & CREDS_CAP_FULL;
}

long sys_capset(struct task *t, const struct sysargs *a)
{
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {{0}};
	int n = words(t, a->a[0]), pid;

	if (n < 0)
		return n;
	if (read_pid(t, a->a[0], &pid))
		return -EFAULT;
	if (pid != 0 && pid != t->tid)
		return -EPERM;
	if (gmem_read(t, d, a->a[1], n * sizeof(d[0])))
		return -EFAULT;
	return cap_capset(&t->tg->cred, set_of(d[0].effective, d[1].effective),
			  set_of(d[0].inheritable, d[1].inheritable),
			  set_of(d[0].permitted, d[1].permitted));
}
