/*
 * poll, ppoll, select, pselect6 over uos files.
 *
 * A file is ready as its poll op says (pipes), or as its host fd is
 * (stdio, the tty), or always (regular files).  When nothing is ready the
 * task parks on every channel (SCHED_ANY) and on its first host fd until
 * the call's deadline; with more than one host fd it also wakes every 20 ms
 * to look again.  The remaining time is written back as Linux does.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "fdtable.h"
#include "gmem.h"
#include "scheduler.h"
#include "sigsend.h"
#include "syscall.h"
#include "vfs.h"

#define MS_FOREVER -1
#define HOST_RECHECK_NS 20000000LL

/* The absolute deadline of this call (kept across parking), or 0 for none. */
static long long call_deadline(struct task *t, int timeout_ms)
{
	if (timeout_ms < 0)
		return 0;
	if (!t->call_deadline)
		t->call_deadline = sched_now_ns() + timeout_ms * 1000000LL + 1;
	return t->call_deadline;
}

/* Fill in revents of pfd[0..n) now; the first host fd polled goes to *hfd. */
static long poll_now(struct task *t, struct pollfd *pfd, size_t n, int *hfd, short *hev,
		     int *nhost)
{
	struct pollfd *host = calloc(n ? n : 1, sizeof(*host));
	if (!host)
		return -ENOMEM;
	*hfd = -1;
	*nhost = 0;
	for (size_t i = 0; i < n; i++) {
		struct vfs_file *f = pfd[i].fd < 0 ? NULL : fdt_get(t->tg->fdt, pfd[i].fd);
		host[i].fd = -1;
		pfd[i].revents = 0;
		if (pfd[i].fd < 0)
			continue;
		if (!f)
			pfd[i].revents = POLLNVAL;
		else if ((host[i].fd = vfs_pollfd(f)) >= 0)
			host[i].events = pfd[i].events;
		else
			pfd[i].revents = vfs_poll(f, pfd[i].events);
		if (host[i].fd >= 0 && (*nhost)++ == 0) {
			*hfd = host[i].fd;
			*hev = pfd[i].events;
		}
	}
	long r = *nhost && poll(host, n, 0) < 0 ? -errno : 0;
	for (size_t i = 0; r == 0 && i < n; i++)
		if (host[i].fd >= 0)
			pfd[i].revents = host[i].revents;
	for (size_t i = 0; r >= 0 && i < n; i++)
		r += pfd[i].revents != 0;
	free(host);
	return r;
}

/* Readiness of pfd[0..n), waiting up to timeout ms (-1: forever) by parking. */
static long do_poll(struct task *t, struct pollfd *pfd, size_t n, int timeout)
{
	int hfd, nhost;
	short hev = 0;
	long r = poll_now(t, pfd, n, &hfd, &hev, &nhost);
	if (r != 0 || timeout == 0)
		return r;
	long long deadline = call_deadline(t, timeout), now = sched_now_ns();
	if (deadline && now >= deadline)
		return 0;
	if (nhost > 1 && (!deadline || deadline > now + HOST_RECHECK_NS))
		deadline = now + HOST_RECHECK_NS; /* one host fd is watched; look at the others */
	sched_park(t, SCHED_ANY, hfd, hev, deadline);
	return -UOS_EBLOCK;
}

/* Read a timespec timeout into milliseconds (rounded up); NULL is forever. */
static int timeout_ms(struct task *t, unsigned long uts, int *ms)
{
	struct timespec ts;
	*ms = MS_FOREVER;
	if (!uts)
		return 0;
	int r = gmem_timespec(t, uts, &ts);
	if (r < 0)
		return r;
	long long ms64 = ts.tv_sec * 1000LL + (ts.tv_nsec + 999999) / 1000000;
	*ms = ms64 > 0x7fffffff ? 0x7fffffff : (int)ms64;
	return 0;
}

static long poll_guest(struct task *t, unsigned long ufds, unsigned long n, int ms)
{
	if (n > t->tg->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	struct pollfd *pfd = malloc((n ? n : 1) * sizeof(*pfd));
	long r = pfd ? 0 : -ENOMEM;
	if (r == 0 && gmem_read(t, pfd, ufds, n * sizeof(*pfd)))
		r = -EFAULT;
	if (r == 0)
		r = do_poll(t, pfd, n, ms);
	if (r >= 0 && gmem_write(t, ufds, pfd, n * sizeof(*pfd)))
		r = -EFAULT;
	free(pfd);
	return r;
}

/*
 * Linux writes the time left back into select's timeval and into pselect6's
 * and ppoll's timespec (0 after a timeout), ignoring a fault as it does, so
 * that a successful call does not fail afterwards.  A call that never waited
 * leaves it as it was.
 */
static long put_remaining(struct task *t, unsigned long uaddr, bool timeval, long r)
{
	if (r < 0 || !uaddr || !t->call_deadline)
		return r;
	long long left = t->call_deadline - sched_now_ns();
	left = left < 0 ? 0 : left;
	struct timespec ts = {left / 1000000000LL, left % 1000000000LL};
	struct timeval tv = {ts.tv_sec, ts.tv_nsec / 1000};
	if (timeval)
		gmem_write(t, uaddr, &tv, sizeof(tv));
	else
		gmem_write(t, uaddr, &ts, sizeof(ts));
	return r;
}

void sys_poll_interrupted(struct task *t)
{
	const unsigned long *a = t->cur.a;

	if (t->cur.nr == SYS_select)
		put_remaining(t, a[4], true, 0);
	else if (t->cur.nr == SYS_pselect6)
		put_remaining(t, a[4], false, 0);
	else if (t->cur.nr == SYS_ppoll)
		put_remaining(t, a[2], false, 0);
}

long sys_poll(struct task *t, const struct sysargs *a)
{
	return poll_guest(t, a->a[0], a->a[1], (int)a->a[2] < 0 ? MS_FOREVER : (int)a->a[2]);
}

long sys_ppoll(struct task *t, const struct sysargs *a)
{
	int ms = MS_FOREVER;
	int r = sig_call_mask(t, a->a[3], a->a[4]);
	if (r == 0)
		r = timeout_ms(t, a->a[2], &ms);
	return r < 0 ? r : put_remaining(t, a->a[2], false, poll_guest(t, a->a[0], a->a[1], ms));
}

/* select's three fd sets as one pollfd array, and back. */
static long select_guest(struct task *t, int nfds, const unsigned long usets[3], int ms)
{
	fd_set sets[3];
	struct pollfd pfd[FD_SETSIZE];
	size_t bytes = ((size_t)nfds + 63) / 64 * 8, n = 0;
	static const short ev[3] = {POLLIN, POLLOUT, POLLPRI};
	static const short hit[3] = {POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI};
	if (nfds < 0)
		return -EINVAL;
	for (int s = 0; s < 3; s++) {
		FD_ZERO(&sets[s]);
		if (usets[s] && gmem_read(t, &sets[s], usets[s], bytes))
			return -EFAULT;
	}
	for (int fd = 0; fd < nfds; fd++) {
		short events = 0;
		for (int s = 0; s < 3; s++)
			events |= FD_ISSET(fd, &sets[s]) ? ev[s] : 0;
		if (!events)
			continue;
		if (!fdt_get(t->tg->fdt, fd))
			return -EBADF;
		pfd[n++] = (struct pollfd){.fd = fd, .events = events};
	}
	long r = do_poll(t, pfd, n, ms), count = 0;
	if (r < 0)
		return r;
	for (int s = 0; s < 3; s++) {
		FD_ZERO(&sets[s]);
		for (size_t i = 0; i < n; i++)
			if ((pfd[i].events & ev[s]) && (pfd[i].revents & hit[s])) {
				FD_SET(pfd[i].fd, &sets[s]);
				count++;
			}
		if (usets[s] && gmem_write(t, usets[s], &sets[s], bytes))
			return -EFAULT;
	}
	return count;
}

long sys_select(struct task *t, const struct sysargs *a)
{
	struct timeval tv;
	int ms = MS_FOREVER, nfds = (int)a->a[0];
	if (a->a[4]) {
		if (gmem_read(t, &tv, a->a[4], sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		long long ms64 = tv.tv_sec * 1000LL + (tv.tv_usec + 999) / 1000;
		ms = ms64 > 0x7fffffff ? 0x7fffffff : (int)ms64;
	}
	if (nfds > FD_SETSIZE)
		nfds = FD_SETSIZE;
	const unsigned long sets[3] = {a->a[1], a->a[2], a->a[3]};
	return put_remaining(t, a->a[4], true, select_guest(t, nfds, sets, ms));
}

long sys_pselect6(struct task *t, const struct sysargs *a)
{
	int ms = MS_FOREVER, nfds = (int)a->a[0];
	struct {
		unsigned long mask, size;
	} sm = {0, 0};
	if (a->a[5] && gmem_read(t, &sm, a->a[5], sizeof(sm)))
		return -EFAULT;
	int r = sig_call_mask(t, sm.mask, sm.size);
	if (r == 0)
		r = timeout_ms(t, a->a[4], &ms);
	if (r < 0)
		return r;
	if (nfds > FD_SETSIZE)
		nfds = FD_SETSIZE;
	const unsigned long sets[3] = {a->a[1], a->a[2], a->a[3]};
	return put_remaining(t, a->a[4], false, select_guest(t, nfds, sets, ms));
}
