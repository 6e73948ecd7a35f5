/*
 * The dispatcher, the one place that decides what happens to a trapped
 * call: answer it with the row's handler (sys_table.c), hand it to the host
 * (HOST rows only), or refuse it with -ENOSYS.  It counts every call and
 * every error for --summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "fdkinds.h"
#include "fdtable.h"
#include "hostargs.h"
#include "syscall.h"
#include "trace.h"
#include "vfs.h"

/*
 * Count an unanswerable call; with --warn-unsupported, report it once per
 * number (--summary lists them all at exit either way).
 */
static void warn_once(struct kernel *k, int nr, const struct sys_entry *e, const char *why)
{
	if (nr < 0 || nr >= SYS_NR_MAX) {
		if (k->stats.bad_nr++ == 0 && k->opts.warn_unsupported)
			uos_warn("unsupported syscall number %d (reported once)", nr);
		return;
	}
	if (k->stats.warned[nr] || !k->opts.warn_unsupported)
		return;
	k->stats.warned[nr] = true;
	if (e)
		uos_warn("unsupported syscall %s (%d): %s", e->name, nr, why);
	else
		uos_warn("unsupported syscall %d: no such syscall", nr);
}

/* Run the row's answer: handler, host, or -ENOSYS. */
static long dispatch_row(struct task *t, const struct sys_entry *e)
{
	const struct sysargs *a = &t->cur;

	switch (e->level) {
	case SYS_NONE:
		warn_once(t->k, a->nr, e, e->note[0] ? e->note : "not supported");
		return -ENOSYS;
	case SYS_HOST: { /* the filter passes good arguments; these stopped (or --trace ...) */
		long r = hostargs_check(t, e, a);
		return r < 0 ? r : -UOS_EHOST;
	}
	case SYS_FULL:
	case SYS_PARTIAL:
		if (!e->fn) {
			warn_once(t->k, a->nr, e, "not implemented yet");
			return -ENOSYS;
		}
		return e->fn(t, a);
	}
	return -ENOSYS;
}

static bool is_internal(long r)
{
	return r == -UOS_EBLOCK || r == -UOS_ENORESULT || r == -UOS_EHOST;
}

/*
 * Serve t->cur (contract in syscall.h).  A -UOS_EBLOCK result is not
 * counted: the handler runs again when the task wakes.
 */
long sys_dispatch(struct task *t)
{
	struct kernel *k = t->k;
	const struct sysargs *a = &t->cur;
	const struct sys_entry *e = sys_lookup(a->nr);
	long r;

	trace_enter(t, a);
	k->serving = t;
	if (e) {
		r = dispatch_row(t, e);
	} else {
		warn_once(k, a->nr, NULL, NULL);
		r = -ENOSYS;
	}
	k->serving = NULL;
	UOS_BUG_ON(r <= -4096 && !is_internal(r));
	if (r != -UOS_EBLOCK && a->nr >= 0 && a->nr < SYS_NR_MAX)
		k->stats.calls[a->nr]++;
	return r;
}

static void count_failure(struct kstats *s, int nr, int err)
{
	s->errors[nr]++;
	for (size_t i = 0; i < ARRAY_SIZE(s->fails); i++) {
		struct kfail *f = &s->fails[i];
		if (f->n && (f->nr != nr || f->err != err))
			continue;
		*f = (struct kfail){(short)nr, (short)err, f->n + 1};
		return;
	}
}

void sys_finish(struct task *t, long ret)
{
	int nr = t->cur.nr;
	if (ret < 0 && ret >= -4095 && nr >= 0 && nr < SYS_NR_MAX)
		count_failure(&t->k->stats, nr, (int)-ret);
	trace_call(t, &t->cur, ret);
}

/* Would a transfer on fd wait now: a stream's, not ready for events (a seekable file never waits)? */
static bool fd_would_wait(struct task *t, unsigned long fd, short events)
{
	struct vfs_file *f = fdt_get(t->tg->fdt, (int)fd);
	return f && !f->seekable && !(f->flags & O_NONBLOCK) &&
	       !(vfs_poll(f, events) & (events | POLLHUP | POLLERR));
}

bool sys_notified_waits(struct task *t, const struct sysargs *a)
{
	switch (a->nr) {
	case SYS_read:
	case SYS_recvfrom:
		return a->a[2] && fd_would_wait(t, a->a[0], POLLIN);
	case SYS_readv:
	case SYS_accept:
	case SYS_accept4:
		return fd_would_wait(t, a->a[0], POLLIN);
	case SYS_write:
	case SYS_sendto:
		return a->a[2] && fd_would_wait(t, a->a[0], POLLOUT);
	case SYS_writev:
	case SYS_sendmsg:
		return fd_would_wait(t, a->a[0], POLLOUT);
	default:
		return false;
	}
}

bool sys_notified_needs_stop(struct task *t, const struct sysargs *a)
{
	if (a->nr == SYS_brk)
		return a->a[0] != 0; /* it may map (an injected mmap): never so notified (the filter) */
	if (a->nr != SYS_read && a->nr != SYS_readv)
		return false;
	struct vfs_file *f = fdt_get(t->tg->fdt, (int)a->a[0]);
	return f && vfs_is_signalfd(f); /* the host dequeues its signals in the reader (signalfd.c) */
}
