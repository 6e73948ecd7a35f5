/*
 * epoll: an interest list of (fd, file, events, data) and its readiness
 * (epoll(7)).  uos has no wait queues per file, so readiness is computed
 * when asked: each item's file is polled as poll(2) would poll it (its
 * poll op, its host fd, or always ready), and a waiter parks on every
 * channel (SCHED_ANY) plus one host fd, looking again when woken.
 *
 * Items borrow their file: an item is live only while the fd it was added
 * with still names that file in the fd table of the task looking, and a
 * stale item is dropped then (Linux drops it when the file's last
 * reference goes).  Level-triggered items that were reported go to the end
 * of the list, so a small maxevents serves every ready item in turn, as
 * Linux's ready list does.  Edge-triggered items are reported when an
 * event appears that was not there at the previous report, or when the
 * number of unread bytes changed (FIONREAD): uos cannot see wake-ups that
 * leave the readiness unchanged.  EPOLLONESHOT disables an item after one
 * report until EPOLL_CTL_MOD.
 *
 * The items of every epoll file count against MEMCG_EPOLL_ITEMS (memcg.h),
 * as Linux's max_user_watches: EPOLL_CTL_ADD past it is ENOSPC.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "fdkinds.h"
#include "kernel.h"
#include "task.h"
#include "vfs_impl.h"

#define EP_MAX_NESTS 4 /* Linux's limit on epoll files inside epoll files */
#define EP_FLAG_BITS (EPOLLET | EPOLLONESHOT | EPOLLWAKEUP | EPOLLEXCLUSIVE)
#define EP_EXCLUSIVE_OK                                                                            \
	(EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND | EPOLLERR |   \
	 EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

struct epitem {
	struct epitem *next;
	int fd;
	struct vfs_file *file; /* borrowed: valid only while fdt_get(fd) returns it */
	uint32_t events;
	uint64_t data;
	uint32_t last;	  /* EPOLLET: the events at the last report */
	int last_nread;	  /* EPOLLET: FIONREAD at the last report */
	bool disabled;	  /* EPOLLONESHOT fired */
	bool queued;	  /* on Linux's ready list: reported level-triggered, or left over */
};

struct epoll_file {
	struct vfs_file base;
	struct kernel *k;
	int owner_pid; /* whose fd table poll(2) on this epoll file looks at */
	struct epitem *items;
};

static const struct vfs_file_ops epoll_ops;

static void item_free(struct epoll_file *ep, struct epitem *it)
{
	free(it);
	memcg_give(&ep->k->memcg, MEMCG_EPOLL_ITEMS, 1);
}

static struct epoll_file *ep_of(struct vfs_file *f)
{
	return f->ops == &epoll_ops ? container_of(f, struct epoll_file, base) : NULL;
}

bool vfs_is_epoll(struct vfs_file *f)
{
	return ep_of(f) != NULL;
}

static long collect(struct epoll_file *ep, struct fdtable *fdt, struct epoll_event *out,
		    int max, struct vfs_epoll_wait *w, int depth);

/* The events of f ready now, as poll(2) sees them. */
static uint32_t item_ready(struct vfs_file *f, uint32_t events, struct fdtable *fdt,
			  struct vfs_epoll_wait *w, int depth)
{
	short ev = (short)(events & 0xffff);
	struct epoll_file *inner = ep_of(f);
	if (inner)
		return depth < EP_MAX_NESTS && collect(inner, fdt, NULL, 0, w, depth + 1) > 0
			       ? EPOLLIN : 0;
	if (vfs_is_signalfd(f)) {
		w->recheck = true; /* nothing wakes a channel when a signal is queued */
		return (uint16_t)vfs_poll(f, ev);
	}
	int hfd = vfs_pollfd(f);
	if (hfd < 0)
		return (uint16_t)vfs_poll(f, ev);
	struct pollfd p = {.fd = hfd, .events = ev};
	if (w->nhost++ == 0) {
		w->hostfd = hfd;
		w->hostev = ev;
	}
	return poll(&p, 1, 0) > 0 ? (uint16_t)p.revents : 0;
}

static int nread(struct vfs_file *f)
{
	int n = 0;
	return vfs_ioctl(f, FIONREAD, &n) == 0 ? n : -1;
}

/* Whether an item ready with rev is reported now (EPOLLET: only on a change). */
static bool edge(struct epitem *it, uint32_t rev)
{
	if (!(it->events & EPOLLET))
		return true;
	return (rev & ~it->last) || nread(it->file) != it->last_nread;
}

static void move_to_tail(struct epoll_file *ep, struct epitem **moved)
{
	struct epitem **end = &ep->items;
	while (*end)
		end = &(*end)->next;
	*end = *moved;
}

/*
 * One pass of collect over the items whose queued flag is queued: report
 * ready ones into out (NULL: only count), moving reported ones to *mend.
 */
static long collect_pass(struct epoll_file *ep, struct fdtable *fdt, struct epoll_event *out,
			 int max, long n, bool queued, struct epitem ***mend,
			 struct vfs_epoll_wait *w, int depth)
{
	struct epitem **pp = &ep->items;
	while (*pp) {
		struct epitem *it = *pp;
		if (it->queued != queued) {
			pp = &it->next;
			continue;
		}
		if (fdt_get(fdt, it->fd) != it->file) {
			if (out) {
				*pp = it->next;
				item_free(ep, it);
			} else {
				pp = &it->next;
			}
			continue;
		}
		uint32_t rev = it->disabled ? 0 : item_ready(it->file, it->events, fdt, w, depth);
		rev &= it->events | EPOLLERR | EPOLLHUP;
		if (!rev && out)
			it->last = 0;
		if (out)
			it->queued = rev && edge(it, rev); /* left over when out is full */
		if (!rev || !edge(it, rev) || (out && n >= max)) {
			pp = &it->next;
			continue;
		}
		n++;
		if (!out) {
			pp = &it->next;
			continue;
		}
		out[n - 1] = (struct epoll_event){.events = rev, .data.u64 = it->data};
		it->last = rev;
		it->last_nread = nread(it->file);
		it->disabled = it->events & EPOLLONESHOT;
		it->queued = !(it->events & (EPOLLET | EPOLLONESHOT));
		*pp = it->next; /* reported: goes to the end, as on Linux's ready list */
		it->next = NULL;
		**mend = it;
		*mend = &it->next;
	}
	return n;
}

/*
 * Report up to max ready items into out (out NULL: only count, changing
 * nothing): first those on the ready list, then newly ready ones.  Items
 * whose fd no longer names their file are dropped.
 */
static long collect(struct epoll_file *ep, struct fdtable *fdt, struct epoll_event *out,
		    int max, struct vfs_epoll_wait *w, int depth)
{
	struct epitem *moved = NULL, **mend = &moved;
	long n = collect_pass(ep, fdt, out, max, 0, true, &mend, w, depth);
	n = collect_pass(ep, fdt, out, max, n, false, &mend, w, depth);
	if (moved)
		move_to_tail(ep, &moved);
	return n;
}

long vfs_epoll_collect(struct vfs_caller *c, struct vfs_file *f, struct epoll_event *out, int max,
		       struct vfs_epoll_wait *w)
{
	struct task *t = task_of(c);
	struct epoll_file *ep = ep_of(f);
	*w = (struct vfs_epoll_wait){.hostfd = -1};
	if (!ep)
		return -EINVAL;
	return collect(ep, t->tg->fdt, out, max, w, 0);
}

static short ep_poll(struct vfs_file *f)
{
	struct epoll_file *ep = ep_of(f);
	struct tgroup *tg = tg_by_pid(ep->k, ep->owner_pid);
	struct vfs_epoll_wait w = {.hostfd = -1};
	if (!tg || tg->zombie || !tg->fdt)
		return 0;
	return collect(ep, tg->fdt, NULL, 0, &w, 0) > 0 ? POLLIN | POLLRDNORM : 0;
}

static void ep_release(struct vfs_file *f)
{
	struct epoll_file *ep = ep_of(f);
	while (ep->items) {
		struct epitem *it = ep->items;
		ep->items = it->next;
		item_free(ep, it);
	}
}

static const struct vfs_file_ops epoll_ops = {
	.stat = vfs_anon_stat,
	.poll = ep_poll,
	.release = ep_release,
};

int vfs_epoll(struct vfs_caller *c, int flags, struct vfs_file **out)
{
	struct task *t = task_of(c);
	struct epoll_file *ep = vfs_file_alloc(sizeof(*ep), &epoll_ops, O_RDWR,
					       "anon_inode:[eventpoll]");
	if (!ep)
		return -ENOMEM;
	ep->k = t->k;
	ep->owner_pid = t->tg->pid;
	*out = &ep->base;
	return 0;
}

static struct epitem *find(struct epoll_file *ep, int fd, struct vfs_file *tf)
{
	for (struct epitem *it = ep->items; it; it = it->next)
		if (it->fd == fd && it->file == tf)
			return it;
	return NULL;
}

/* Whether target is reachable from ep through nested epoll files, or too deep. */
static bool loops(struct epoll_file *ep, struct vfs_file *target, struct fdtable *fdt, int depth)
{
	if (depth > EP_MAX_NESTS)
		return true;
	for (struct epitem *it = ep->items; it; it = it->next) {
		if (fdt_get(fdt, it->fd) != it->file)
			continue;
		if (it->file == target)
			return true;
		if (ep_of(it->file) && loops(ep_of(it->file), target, fdt, depth + 1))
			return true;
	}
	return false;
}

static int ep_add(struct epoll_file *ep, struct fdtable *fdt, int fd, struct vfs_file *tf,
		  const struct epoll_event *ev)
{
	if (find(ep, fd, tf))
		return -EEXIST;
	if (ep_of(tf) && loops(ep_of(tf), &ep->base, fdt, 1))
		return -ELOOP;
	int err = memcg_take(&ep->k->memcg, MEMCG_EPOLL_ITEMS);
	if (err)
		return err;
	struct epitem *it = calloc(1, sizeof(*it));
	if (!it) {
		memcg_give(&ep->k->memcg, MEMCG_EPOLL_ITEMS, 1);
		return -ENOMEM;
	}
	*it = (struct epitem){.fd = fd, .file = tf, .events = ev->events, .data = ev->data.u64};
	struct epitem **end = &ep->items;
	while (*end)
		end = &(*end)->next;
	*end = it;
	return 0;
}

static int ep_del(struct epoll_file *ep, int fd, struct vfs_file *tf)
{
	for (struct epitem **pp = &ep->items; *pp; pp = &(*pp)->next) {
		struct epitem *it = *pp;
		if (it->fd == fd && it->file == tf) {
			*pp = it->next;
			item_free(ep, it);
			return 0;
		}
	}
	return -ENOENT;
}

static int ep_mod(struct epoll_file *ep, int fd, struct vfs_file *tf, const struct epoll_event *ev)
{
	struct epitem *it = find(ep, fd, tf);
	if (!it)
		return -ENOENT;
	if (it->events & EPOLLEXCLUSIVE)
		return -EINVAL;
	it->events = ev->events;
	it->data = ev->data.u64;
	it->last = 0;
	it->disabled = false;
	it->queued = false;
	return 0;
}

/* Files that have no poll in Linux (regular files, directories): EPERM. */
static bool pollable(struct vfs_file *f)
{
	struct stat st;
	if (f->ops->poll || vfs_pollfd(f) >= 0)
		return true;
	return vfs_fstat(f, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

int vfs_epoll_ctl(struct vfs_caller *c, struct vfs_file *f, int op, int fd, struct vfs_file *tf,
		  const struct epoll_event *ev)
{
	struct task *t = task_of(c);
	struct epoll_file *ep = ep_of(f);
	if (!pollable(tf))
		return -EPERM;
	if (!ep || f == tf)
		return -EINVAL;
	if ((op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD || ep_of(tf) || (ev->events & ~EP_EXCLUSIVE_OK))
			return -EINVAL;
	}
	switch (op) {
	case EPOLL_CTL_ADD:
		return ep_add(ep, t->tg->fdt, fd, tf, ev);
	case EPOLL_CTL_DEL:
		return ep_del(ep, fd, tf);
	case EPOLL_CTL_MOD:
		return ep_mod(ep, fd, tf, ev);
	default:
		return -EINVAL;
	}
}
