/*
 * CPU time and resource usage of a guest: times(2) and getrusage(2).
 *
 * The clocks themselves (clock_gettime, gettimeofday, nanosleep) are HOST
 * rows: they read or sleep on the caller only.  What a process has consumed
 * is known to the host kernel alone, so these calls read the host's
 * /proc/<hpid>/stat of the guest task (whole process, or one thread) and
 * /proc/<hpid>/status for the peak RSS.  Children's usage is zero: every
 * guest process is reaped by uos, so the host never adds it to a guest's
 * counts, and uos does not sum it yet.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <unistd.h>

#include "gmem.h"
#include "handlers.h"
#include "task.h"

/* The fields of /proc/PID/stat that these calls report. */
struct hstat {
	unsigned long minflt, majflt;
	unsigned long utime, stime; /* clock ticks (USER_HZ) */
	long maxrss_kb;
};

/* VmHWM of /proc/PID/status in kB, or 0. */
static long peak_rss(pid_t hpid)
{
	char path[64], line[256];
	long kb = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", hpid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Read the host's counts for t's process, or for the thread t alone. */
static int host_stat(struct task *t, bool thread, struct hstat *st)
{
	char path[64], *buf;
	const char *f[16]; /* minflt is field 10, majflt 12, utime 14, stime 15 (proc(5)) */
	if (thread)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", t->hpid, t->hpid);
	else
		snprintf(path, sizeof(path), "/proc/%d/stat", t->hpid);
	int last = uos_proc_stat(path, &buf, f, 16);
	if (last == 15) {
		st->minflt = strtoul(f[10], NULL, 10);
		st->majflt = strtoul(f[12], NULL, 10);
		st->utime = strtoul(f[14], NULL, 10);
		st->stime = strtoul(f[15], NULL, 10);
		st->maxrss_kb = peak_rss(t->hpid);
	}
	free(buf);
	return last < 0 ? -ESRCH : last == 15 ? 0 : -EIO;
}

static struct timeval ticks_to_tv(unsigned long ticks)
{
	long hz = sysconf(_SC_CLK_TCK);
	return (struct timeval){.tv_sec = ticks / hz, .tv_usec = (ticks % hz) * (1000000 / hz)};
}

static clock_t tv_to_ticks(const struct timeval *tv)
{
	long hz = sysconf(_SC_CLK_TCK);
	return (clock_t)(tv->tv_sec * hz + tv->tv_usec / (1000000 / hz));
}

long sys_getrusage(struct task *t, const struct sysargs *a)
{
	int who = (int)a->a[0];
	struct rusage ru;
	struct hstat st;
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	memset(&ru, 0, sizeof(ru));
	if (who == RUSAGE_CHILDREN)
		ru = t->tg->child_ru;
	else if (host_stat(t, who == RUSAGE_THREAD, &st) == 0) {
		ru.ru_utime = ticks_to_tv(st.utime);
		ru.ru_stime = ticks_to_tv(st.stime);
		ru.ru_minflt = st.minflt;
		ru.ru_majflt = st.majflt;
		ru.ru_maxrss = st.maxrss_kb;
	}
	return gmem_write(t, a->a[1], &ru, sizeof(ru));
}

long sys_times(struct task *t, const struct sysargs *a)
{
	struct tms tms = {0};
	struct hstat st;
	if (host_stat(t, false, &st) == 0) {
		tms.tms_utime = st.utime;
		tms.tms_stime = st.stime;
	}
	tms.tms_cutime = tv_to_ticks(&t->tg->child_ru.ru_utime);
	tms.tms_cstime = tv_to_ticks(&t->tg->child_ru.ru_stime);
	if (a->a[0]) {
		int err = gmem_write(t, a->a[0], &tms, sizeof(tms));
		if (err)
			return err;
	}
	/* The elapsed ticks are the host's: the guest shares its clock. */
	return syscall(SYS_times, NULL);
}

/*
 * alarm and setitimer: the host runs the caller's own timers; uos only
 * marks the process, so that the event loop looks for their signals on its
 * parked threads (a host signal wakes no uos channel).
 */
long sys_alarm(struct task *t, const struct sysargs *a)
{
	t->tg->host_timers |= a->a[0] != 0;
	return -UOS_EHOST;
}

long sys_setitimer(struct task *t, const struct sysargs *a)
{
	t->tg->host_timers |= a->a[1] != 0;
	return -UOS_EHOST;
}
