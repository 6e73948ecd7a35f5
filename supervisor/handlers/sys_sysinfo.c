/*
 * System information: sysinfo(2) (the host's, with uos's count of tasks)
 * and getrandom(2) (the host's entropy).
 */
#include <errno.h>
#include <limits.h>
#include <sys/random.h>
#include <sys/sysinfo.h>

#include "gmem.h"
#include "handlers.h"
#include "task.h"

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
