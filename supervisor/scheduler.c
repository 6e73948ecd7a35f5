/*
 * Parking and waking (see sched.h).  A parked task has wchan, wait_fd or a
 * deadline set and runnable false; sched_wake and the event loop set
 * runnable, and trap.c serves runnable tasks again.  The task list is
 * small, so wakes scan it.
 */
#include "scheduler.h"

#include <time.h>

#include "task.h"

void sched_park(struct task *t, const void *chan, int fd, short events, long long deadline_ns)
{
	t->wchan = chan;
	t->wait_fd = fd;
	t->wait_events = events;
	t->deadline_ns = deadline_ns;
	t->runnable = false;
	t->parked = true;
}

void sched_make_runnable(struct task *t)
{
	if (t->parked)
		t->runnable = true;
}

void sched_wake(struct kernel *k, const void *chan)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->parked && (t->wchan == chan || t->wchan == SCHED_ANY))
			t->runnable = true;
}

void sched_unpark(struct task *t)
{
	t->parked = t->runnable = false;
	t->interrupt = TASK_INTR_NONE;
	t->wchan = NULL;
	t->wait_fd = -1;
	t->deadline_ns = 0;
}

bool sched_parked(const struct task *t)
{
	return t->parked && !t->runnable;
}

long long sched_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
