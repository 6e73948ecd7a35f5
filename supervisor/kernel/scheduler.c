/*
 * Parking and waking (see scheduler.h).  A parked task (TASK_PARKED) has
 * wchan, wait_fd or a deadline set; sched_wake and the event loop make it
 * TASK_RUNNABLE, and trap.c serves runnable tasks again.
 *
 * Until it is woken, a parked task is on two wait queues (waitq.h): its
 * channel's queue in k->waitq (t->wait; none for a NULL channel), where
 * sched_wake and futex.c find it, and k->sched.parked (t->park), where the
 * event loop finds the tasks whose host fd or deadline it must watch.  Being
 * woken, by any path, takes it off both, so nothing scans k->tasks for a
 * waiter: a wake costs the waiters of the channel (and of SCHED_ANY).
 */
#include "scheduler.h"

#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "gtime.h"
#include "task.h"
#include "guest.h"

/* Off both wait queues: woken, interrupted, or gone. */
static void dequeue(struct task *t)
{
	waitq_remove(&t->wait);
	waitq_remove(&t->park);
}

/* waitq_wake took t off its channel's queue. */
static void woken(struct waiter *w)
{
	struct task *t = container_of(w, struct task, wait);
	task_set_state(t, TASK_RUNNABLE);
	dequeue(t);
}

void sched_park(struct task *t, const void *chan, int fd, short events, long long deadline_ns)
{
	dequeue(t);
	t->wchan = chan;
	t->wait_fd = fd;
	t->wait_events = events;
	t->deadline_ns = deadline_ns;
	task_set_state(t, TASK_PARKED);
	if (chan)
		waitq_add(&t->k->waitq, &t->wait, chan, woken);
	waitq_list_add(&t->k->sched.parked, &t->park);
}

long sched_park_until(struct task *t, const void *chan, int fd, short events,
		      const struct timespec *end, long long recheck_ns)
{
	if (end && gtime_is_zero(end))
		return 0;
	long long deadline = end ? gtime_to_ns(*end) : 0, now = sched_now_ns();
	if (end && now >= deadline)
		return 0;
	if (recheck_ns > 0 && (!deadline || deadline > now + recheck_ns))
		deadline = now + recheck_ns;
	sched_park(t, chan, fd, events, deadline);
	return -UOS_EBLOCK;
}

void sched_make_runnable(struct task *t)
{
	if (t->state != TASK_PARKED)
		return;
	task_set_state(t, TASK_RUNNABLE);
	dequeue(t);
}

void sched_wake(struct kernel *k, const void *chan)
{
	waitq_wake_polled(&k->waitq, chan);
}

void sched_requeue(struct task *t, const void *chan)
{
	if (!sched_parked(t) || t->wchan == chan)
		return;
	waitq_remove(&t->wait);
	t->wchan = chan;
	if (chan)
		waitq_add(&t->k->waitq, &t->wait, chan, woken);
}

void sched_unpark(struct task *t)
{
	dequeue(t);
	if (task_parked(t))
		task_set_state(t, TASK_ACTIVE);
	t->park_nointr = false;
	t->interrupt = TASK_INTR_NONE;
	t->wchan = NULL;
	t->wait_fd = -1;
	t->deadline_ns = 0;
}

bool sched_parked(const struct task *t)
{
	return t->state == TASK_PARKED;
}

struct task *sched_first_parked(struct kernel *k)
{
	struct waiter *w = k->sched.parked.first;
	return w ? container_of(w, struct task, park) : NULL;
}

struct task *sched_next_parked(const struct task *t)
{
	struct waiter *w = t->park.next;
	return w ? container_of(w, struct task, park) : NULL;
}

bool sched_waits_on(struct kernel *k, int tid, const void *chan)
{
	struct task *t = task_by_tid(k, tid);

	return t && task_parked(t) && t->wchan == chan && t->interrupt == TASK_INTR_NONE;
}

long long sched_now_ns(void)
{
	return uos_now_ns();
}

#define SLICE_NS 100000000LL /* 100 ms: long enough that a task between two nearby
				     syscalls is not preempted, even on a loaded machine */

/* Linux's sched_prio_to_weight, nice -20 .. 19 (kernel/sched/core.c). */
static const int nice_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
	1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
	110,   87,    70,    56,    45,    36,    29,    23,    18,    15,
};

int sched_weight(int nice)
{
	return nice_weight[(nice < -20 ? -20 : nice > 19 ? 19 : nice) + 20];
}

void sched_serial_init(struct kernel *k, uint64_t seed)
{
	k->sched.serial = true;
	k->sched.rng = seed * 0x9E3779B97F4A7C15ULL + 1; /* never zero */
}

/* xorshift64*: small, fast, and the same sequence for the same seed. */
static uint64_t rng_next(struct ksched *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545F4914F6CDD1DULL;
}

/*
 * Calls that may sleep on the host until another task acts: the task gives
 * up the CPU while it sleeps there, or serial mode would deadlock.  Only a
 * call the host runs (its number still in orig_rax): one uos answered (a
 * futex wait it parked, now woken) returns straight to guest code, which
 * must hold the CPU like any other.
 */
static bool sleeps_on_host(const struct task *t)
{
	if ((long long)t->regs.orig_rax != t->cur.nr)
		return false;
	switch (t->cur.nr) {
	case SYS_futex: /* the operations serial mode leaves to the host */
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
	case SYS_pause:
	case SYS_rt_sigsuspend:
	case SYS_rt_sigtimedwait:
	case SYS_restart_syscall: /* an interrupted sleep or futex wait, started again */
		return t->stop == TASK_STOP_SECCOMP; /* resumed into the host's call */
	default:
		return false;
	}
}

void sched_ready(struct task *t, int req, int sig)
{
	t->ready = true;
	t->ready_req = req;
	t->ready_sig = sig;
	if (t->k->sched.cpu == t)
		t->k->sched.cpu = NULL;
}

static void run(struct kernel *k, struct task *t)
{
	bool sleeps = sleeps_on_host(t);
	t->ready = false;
	guest_run(t);
	if (sleeps)
		return; /* runs without the CPU: its next stop makes it ready again */
	if (t->exec == TASK_EXEC_RUNNING && t->tg->nr_threads > 1) {
		/*
		 * The host's execve waits (de_thread) for the other threads to
		 * die, which they do without the CPU (trap.c): nothing else is
		 * dispatched until its exec stop, so the order stays the same.
		 */
		t->exec_wait = true;
		return;
	}
	k->sched.cpu = t;
	k->sched.slice_end_ns = sched_now_ns() + SLICE_NS;
}

void sched_stopped(struct task *t)
{
	if (t->k->sched.cpu == t)
		t->k->sched.cpu = NULL;
	t->exec_wait = false;
}

bool sched_dispatch(struct kernel *k)
{
	long total = 0;
	if (!k->sched.serial || k->sched.cpu)
		return false;
	for (struct task *t = k->tasks; t; t = t->next) {
		if (t->state == TASK_BORN || t->exec_wait)
			return false; /* its stop comes soon: pick among the same tasks every run */
		if (t->ready)
			total += sched_weight(t->nice);
	}
	if (!total)
		return false;
	long pick = (long)(rng_next(&k->sched) % (uint64_t)total);
	for (struct task *t = k->tasks; t; t = t->next) {
		if (!t->ready)
			continue;
		pick -= sched_weight(t->nice);
		if (pick < 0) {
			run(k, t);
			return true;
		}
	}
	return false;
}

long long sched_check_slice(struct kernel *k)
{
	struct task *t = k->sched.cpu;
	if (!t || t->preempting)
		return -1;
	long long left = k->sched.slice_end_ns - sched_now_ns();
	if (left > 0)
		return left;
	t->preempting = true; /* trap.c takes this SIGSTOP back as a preemption */
	syscall(SYS_tkill, t->hpid, SIGSTOP);
	return -1;
}
