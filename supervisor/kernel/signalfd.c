/*
 * signalfd: reading a task's pending signals as signalfd_siginfo records
 * (signalfd(2)).  The host kernel keeps every guest task's real pending set
 * (sigsend.h), so readiness is /proc/HPID/status's SigPnd|ShdPnd masked by
 * the file's mask, and a read has the host dequeue one signal at a time by
 * injecting rt_sigtimedwait with a zero timeout into the reading task.
 *
 * The reading task is the one whose read(2)/readv(2) of this file is being
 * served; poll and epoll look at the task that created the file.  Nothing
 * wakes a channel when a signal is queued, so a blocking read parks on a
 * host ticker (a 10 ms interval timerfd, armed only while a reader waits)
 * and looks again at each tick.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "fdtable.h"
#include "fdkinds.h"
#include "guest.h"
#include "kernel.h"
#include "sigsend.h"
#include "task.h"
#include "vfs_impl.h"

#define TICK_NS 10000000L

struct signalfd_file {
	struct vfs_file base;
	struct kernel *k;
	uint64_t mask;	 /* bit sig-1; never SIGKILL or SIGSTOP */
	int owner_tid;	 /* the creating task: poll and epoll look at its signals */
	int ticker;	 /* host timerfd while a reader is parked, else -1 */
};

static struct signalfd_file *sfd_of(struct vfs_file *f)
{
	return container_of(f, struct signalfd_file, base);
}

/* Its reader: the task whose call uos serves (a signalfd reads its reader's signals). */
static struct task *reader(struct signalfd_file *s)
{
	return s->k->serving;
}

static void to_ssi(const siginfo_t *si, struct signalfd_siginfo *o)
{
	memset(o, 0, sizeof(*o));
	o->ssi_signo = (uint32_t)si->si_signo;
	o->ssi_errno = si->si_errno;
	o->ssi_code = si->si_code;
	if (si->si_code == SI_TIMER) {
		o->ssi_tid = (uint32_t)si->si_timerid;
		o->ssi_overrun = (uint32_t)si->si_overrun;
	} else {
		o->ssi_pid = (uint32_t)si->si_pid;
		o->ssi_uid = si->si_uid;
	}
	if (si->si_signo == SIGCHLD) {
		o->ssi_status = si->si_status;
		o->ssi_utime = (uint64_t)si->si_utime;
		o->ssi_stime = (uint64_t)si->si_stime;
	} else {
		o->ssi_int = si->si_value.sival_int;
		o->ssi_ptr = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
	}
}

/* Have the host dequeue one signal of s->mask from t into *o.  0, -EAGAIN or -errno. */
static int dequeue(struct signalfd_file *s, struct task *t, struct signalfd_siginfo *o)
{
	struct {
		uint64_t set;
		struct timespec ts; /* zero: do not wait */
	} in = {.set = s->mask};
	siginfo_t si;
	int r = guest_put_in(t, &in, sizeof(in));
	if (r < 0)
		return r;
	long n = GUEST_CALL(t, SYS_rt_sigtimedwait, STUB_IN, STUB_OUT,
			    STUB_IN + offsetof(typeof(in), ts), sizeof(uint64_t));
	if (n < 0)
		return n == -EINTR ? -EAGAIN : (int)n;
	if (guest_get_out(t, &si, sizeof(si)))
		return -EFAULT;
	sig_fix_info(t, &si);
	to_ssi(&si, o);
	return 0;
}

static void ticker_set(struct signalfd_file *s, bool on)
{
	uint64_t n;
	struct itimerspec its = {{0, on ? TICK_NS : 0}, {0, on ? TICK_NS : 0}};
	if (on && s->ticker < 0)
		s->ticker = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->ticker < 0)
		return;
	if (read(s->ticker, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	timerfd_settime(s->ticker, 0, &its, NULL);
}

/* As many records as fit in len, at least one (parks when none is pending and the file blocks). */
static long sfd_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct signalfd_file *s = sfd_of(f);
	struct task *t = reader(s);
	struct signalfd_siginfo *rec = buf;
	size_t n = 0;
	int r = 0;
	if (len < sizeof(*rec))
		return -EINVAL;
	while (t && n < len / sizeof(*rec) && (sig_host_pending(t) & s->mask)) {
		r = dequeue(s, t, &rec[n]);
		if (r < 0)
			break;
		n++;
	}
	if (n || (r < 0 && r != -EAGAIN)) {
		ticker_set(s, false);
		return n ? (long)(n * sizeof(*rec)) : r;
	}
	ticker_set(s, !(f->flags & O_NONBLOCK));
	return -EAGAIN;
}

static short sfd_poll(struct vfs_file *f)
{
	struct signalfd_file *s = sfd_of(f);
	struct task *t = task_by_tid(s->k, s->owner_tid);
	return t && (sig_host_pending(t) & s->mask) ? POLLIN | POLLRDNORM : 0;
}

/* Only while a blocking read waits: its ticker. */
static int sfd_pollfd(struct vfs_file *f)
{
	struct signalfd_file *s = sfd_of(f);
	struct itimerspec its;
	if (s->ticker < 0 || timerfd_gettime(s->ticker, &its) < 0 || !its.it_interval.tv_nsec)
		return -1;
	return s->ticker;
}

static void sfd_release(struct vfs_file *f)
{
	if (sfd_of(f)->ticker >= 0)
		close(sfd_of(f)->ticker);
}

static const struct vfs_file_ops signalfd_ops = {
	.read = sfd_read,
	.stat = vfs_anon_stat,
	.poll = sfd_poll,
	.pollfd = sfd_pollfd,
	.release = sfd_release,
};

static uint64_t clean_mask(uint64_t mask)
{
	return mask & ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
}

int vfs_signalfd(struct vfs_caller *c, unsigned long long mask, int flags, struct vfs_file **out)
{
	struct task *t = task_of(c);
	struct signalfd_file *s = vfs_file_alloc(sizeof(*s), &signalfd_ops,
						 O_RDWR | (flags & O_NONBLOCK), "anon_inode:[signalfd]");
	if (!s)
		return -ENOMEM;
	s->k = t->k;
	s->mask = clean_mask(mask);
	s->owner_tid = t->tid;
	s->ticker = -1;
	*out = &s->base;
	return 0;
}

int vfs_signalfd_setmask(struct vfs_file *f, unsigned long long mask)
{
	if (f->ops != &signalfd_ops)
		return -EINVAL;
	sfd_of(f)->mask = clean_mask(mask);
	return 0;
}

bool vfs_is_signalfd(struct vfs_file *f)
{
	return f->ops == &signalfd_ops;
}
