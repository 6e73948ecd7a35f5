/*
 * POSIX per-process timers (timer_create(2)).  Each guest process is a
 * host process, so the host kernel keeps the caller's timers, as it keeps
 * its alarm and interval timers: it counts the time, delivers the signals
 * with the siginfo Linux gives them (SI_TIMER, si_timerid, si_overrun,
 * si_value), and forgets the timers at exec and exit.  timer_settime,
 * timer_gettime, timer_getoverrun and timer_delete name a timer by an id
 * that is private to the caller's process, so they are HOST rows.
 *
 * timer_create is the one call that names something outside the timer:
 * its clock may be a CPU clock of another process or thread, and a
 * SIGEV_THREAD_ID timer names the thread its signal goes to.  Both carry
 * virtual ids, which uos checks and rewrites to host ids, then runs the
 * call in the guest with its copy of the sigevent in uos's read-only input
 * area (guest.h), so that a guest can name nothing but its own world.  glibc's
 * SIGEV_THREAD is a SIGEV_THREAD_ID timer aimed at its helper thread. *
 * A timer's signal comes from the host and wakes no uos channel, so a
 * thread parked in an emulated call (a pipe read, poll) would not see it:
 * a process that made a timer is marked (tg->host_timers), and the event
 * loop (loop.c) looks at the host signals of its parked threads every
 * 10 ms.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "guest.h"
#include "handlers.h"

/* Linux's encoding of CPU clock ids (include/linux/posix-timers_types.h). */
#define CPUCLOCK_PERTHREAD 4 /* the id names a thread, not a process */
#define CPUCLOCK_FD 3	     /* a dynamic clock (a PTP device fd): no timers on those */
#define CPUCLOCK_MASK 7

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static clockid_t make_cpuclock(pid_t hid, int low)
{
	return (clockid_t)((~(unsigned int)hid << 3) | (unsigned int)low);
}

/*
 * The host clock id for the guest's clock id *clk: the caller's own
 * clocks stay; a CPU clock of another process or of a thread of the
 * caller's process gets the host's id.  0, -EINVAL, -EOPNOTSUPP.
 */
static long host_clock(struct task *t, clockid_t *clk)
{
	int id = *clk, low = id & CPUCLOCK_MASK;
	if (id >= 0)
		return 0;
	if (low == CPUCLOCK_FD)
		return -EOPNOTSUPP; /* posix dynamic clocks have no timers */
	int pid = ~(id >> 3);
	if (pid == 0)
		return 0;
	if (low & CPUCLOCK_PERTHREAD) { /* Linux: only a thread of the caller's own process */
		struct task *o = task_by_tid(t->k, pid);
		if (!o || o->tg != t->tg)
			return -EINVAL;
		*clk = make_cpuclock(o->hpid, low);
		return 0;
	}
	struct tgroup *tg = tg_by_pid(t->k, pid);
	if (!tg || tg->zombie || tg->reaper)
		return -EINVAL;
	*clk = make_cpuclock(tg->host_tgid, low);
	return 0;
}

/*
 * SIGEV_THREAD_ID: the thread must be one of the caller's process (else
 * EINVAL, as good_sigevent() says); its tid becomes the host's.  Other
 * kinds and the signal number are the host's to check.
 */
static long host_event(struct task *t, struct sigevent *ev)
{
	if (ev->sigev_notify != (SIGEV_SIGNAL | SIGEV_THREAD_ID))
		return 0;
	struct task *o = task_by_tid(t->k, ev->sigev_notify_thread_id);
	if (!o || o->tg != t->tg)
		return -EINVAL;
	ev->sigev_notify_thread_id = o->hpid;
	return 0;
}

/* The timer id's word must be writable before the timer exists (Linux deletes it on EFAULT). */
static long check_id_word(struct task *t, unsigned long addr)
{
	int id; /* the kernel's timer_t */
	if (gmem_read(t, &id, addr, sizeof(id)) || gmem_write(t, addr, &id, sizeof(id)))
		return -EFAULT;
	return 0;
}

long sys_timer_create(struct task *t, const struct sysargs *a)
{
	clockid_t clk = (clockid_t)a->a[0];
	struct sigevent ev;
	int id;
	if (a->a[1] && gmem_read(t, &ev, a->a[1], sizeof(ev)))
		return -EFAULT;
	long r = host_clock(t, &clk);
	if (r == 0 && a->a[1])
		r = host_event(t, &ev);
	if (r == 0)
		r = check_id_word(t, a->a[2]);
	if (r == 0 && a->a[1])
		r = guest_put_in(t, &ev, sizeof(ev));
	if (r < 0)
		return r;
	r = GUEST_CALL(t, SYS_timer_create, (unsigned int)clk, a->a[1] ? STUB_IN : 0, STUB_OUT);
	if (r < 0)
		return r;
	t->tg->host_timers = true; /* the event loop looks for its signals on parked threads */
	if (guest_get_out(t, &id, sizeof(id)) || gmem_write(t, a->a[2], &id, sizeof(id)))
		return -EFAULT;
	return 0;
}
