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
#include "gtime.h"
#include "scheduler.h"
#include "sigsend.h"
#include "handlers.h"
#include "vfs.h"

#define HOST_RECHECK_NS 20000000LL

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

/* Readiness of pfd[0..n), waiting until *end (NULL: forever; {0, 0}: not at all) by parking. */
static long do_poll(struct task *t, struct pollfd *pfd, size_t n, const struct timespec *end)
{
	int hfd, nhost;
	short hev = 0;
	long r = poll_now(t, pfd, n, &hfd, &hev, &nhost);
	if (r != 0)
		return r;
	if (end && gtime_is_zero(end) && sig_call_mask_lets_through(t)) {
		/* Linux looks at signals before the timeout, a zero one too: park for no time, where the signal acts. */
		sched_park(t, NULL, -1, 0, sched_now_ns());
		return -UOS_EBLOCK;
	}
	/* One host fd is watched; with more, look at the others every HOST_RECHECK_NS. */
	return sched_park_until(t, SCHED_ANY, hfd, hev, end, nhost > 1 ? HOST_RECHECK_NS : 0);
}

static long poll_guest(struct task *t, unsigned long ufds, unsigned long n,
		       const struct timespec *end)
{
	if (n > t->tg->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	struct pollfd *pfd = malloc((n ? n : 1) * sizeof(*pfd));
	long r = pfd ? 0 : -ENOMEM;
	if (r == 0 && gmem_read(t, pfd, ufds, n * sizeof(*pfd)))
		r = -EFAULT;
	if (r == 0)
		r = do_poll(t, pfd, n, end);
	if (r >= 0 && gmem_write(t, ufds, pfd, n * sizeof(*pfd)))
		r = -EFAULT;
	free(pfd);
	return r;
}

/* The time left back into a timeout (gtime_call_put_left) once the call is over. */
static long put_remaining(struct task *t, unsigned long uaddr, bool timeval, long r)
{
	if (r != -UOS_EBLOCK)
		gtime_call_put_left(t, uaddr, timeval);
	return r;
}

long sys_poll(struct task *t, const struct sysargs *a)
{
	struct timespec end;
	return poll_guest(t, a->a[0], a->a[1], gtime_call_timeout_ms(t, (int)a->a[2], &end));
}

/* ppoll: the timeout is checked before the signal mask (Linux's order). */
long sys_ppoll(struct task *t, const struct sysargs *a)
{
	struct timespec end;
	const struct timespec *endp;
	int r = gtime_call_timeout(t, a->a[2], false, &end, &endp);
	if (r == 0)
		r = sig_call_mask(t, a->a[3], a->a[4]);
	return r < 0 ? r : put_remaining(t, a->a[2], false, poll_guest(t, a->a[0], a->a[1], endp));
}

/* select's three fd sets as one pollfd array, and back. */
static long select_guest(struct task *t, int nfds, const unsigned long usets[3],
			 const struct timespec *end)
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
	long r = do_poll(t, pfd, n, end), count = 0;
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
	struct timespec end;
	const struct timespec *endp;
	int nfds = (int)a->a[0];
	int r = gtime_call_timeout(t, a->a[4], true, &end, &endp);
	if (r < 0)
		return r;
	if (nfds > FD_SETSIZE)
		nfds = FD_SETSIZE;
	const unsigned long sets[3] = {a->a[1], a->a[2], a->a[3]};
	return put_remaining(t, a->a[4], true, select_guest(t, nfds, sets, endp));
}

/* pselect6: the sixth argument's pair first, then the timeout, then the mask (Linux's order). */
long sys_pselect6(struct task *t, const struct sysargs *a)
{
	struct timespec end;
	const struct timespec *endp;
	int nfds = (int)a->a[0];
	struct {
		unsigned long mask, size;
	} sm = {0, 0};
	if (a->a[5] && gmem_read(t, &sm, a->a[5], sizeof(sm)))
		return -EFAULT;
	int r = gtime_call_timeout(t, a->a[4], false, &end, &endp);
	if (r == 0)
		r = sig_call_mask(t, sm.mask, sm.size);
	if (r < 0)
		return r;
	if (nfds > FD_SETSIZE)
		nfds = FD_SETSIZE;
	const unsigned long sets[3] = {a->a[1], a->a[2], a->a[3]};
	return put_remaining(t, a->a[4], false, select_guest(t, nfds, sets, endp));
}
