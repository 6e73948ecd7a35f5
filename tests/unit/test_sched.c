/*
 * Parking and waking (supervisor/kernel/scheduler.c): channels, SCHED_ANY
 * pollers, timeouts, and serial mode's seeded pick, which runs a task
 * through the transport (the fake records guest_run).
 */
#include <check.h>
#include <string.h>
#include <time.h>

#include "fake_guest.h"
#include "gtime.h"
#include "kernel_suites.h"
#include "scheduler.h"
#include "task.h"

static int chan_a, chan_b; /* two wait channels: any addresses */

START_TEST(wake_wakes_its_channel_only)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init, *u = fake_env_fork(&e, e.init, 0);
	ck_assert(!sched_parked(t));
	sched_park(t, &chan_a, -1, 0, 0);
	sched_park(u, &chan_b, -1, 0, 0);
	ck_assert(sched_parked(t));
	sched_wake(e.k, &chan_b);
	ck_assert(sched_parked(t));
	ck_assert(!sched_parked(u));
	sched_wake(e.k, &chan_a);
	ck_assert(!sched_parked(t));
	/* woken is not unparked: the call is served again, then unparks */
	ck_assert(task_parked(t));
	sched_unpark(t);
	ck_assert(!task_parked(t));
	/* a wake of a channel nobody waits on, or a second one, changes nothing */
	sched_wake(e.k, &chan_a);
	ck_assert(!task_parked(t));
	fake_env_fini(&e);
}
END_TEST

START_TEST(pollers_wake_on_every_channel)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init, *u = fake_env_fork(&e, e.init, 0);
	sched_park(t, SCHED_ANY, -1, 0, 0);
	sched_park(u, &chan_a, -1, 0, 0);
	sched_wake(e.k, &chan_b);
	ck_assert(!sched_parked(t));
	ck_assert(sched_parked(u));
	fake_env_fini(&e);
}
END_TEST

START_TEST(make_runnable_only_when_parked)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	sched_make_runnable(t);
	ck_assert(!task_parked(t) && !sched_parked(t));
	sched_park(t, &chan_a, -1, 0, 0);
	sched_make_runnable(t);
	ck_assert(!sched_parked(t));
	sched_unpark(t);
	ck_assert(!sched_parked(t));
	ck_assert_ptr_null(t->wchan);
	ck_assert_int_eq(t->wait_fd, -1);
	fake_env_fini(&e);
}
END_TEST

START_TEST(park_until_timeouts)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	struct timespec zero = {0, 0}, past, far;
	clock_gettime(CLOCK_MONOTONIC, &past);
	far = past;
	past.tv_sec -= 1;
	far.tv_sec += 3600;
	/* a zero timeout and one already over do not wait */
	ck_assert_int_eq(sched_park_until(t, &chan_a, -1, 0, &zero, 0), 0);
	ck_assert(!task_parked(t));
	ck_assert_int_eq(sched_park_until(t, &chan_a, -1, 0, &past, 0), 0);
	ck_assert(!task_parked(t));
	/* a future end parks until it */
	ck_assert_int_eq(sched_park_until(t, &chan_a, -1, 0, &far, 0), -UOS_EBLOCK);
	ck_assert(sched_parked(t));
	ck_assert_int_eq(t->deadline_ns, gtime_to_ns(far));
	ck_assert_ptr_eq(t->wchan, &chan_a);
	sched_unpark(t);
	/* a recheck shortens it */
	ck_assert_int_eq(sched_park_until(t, &chan_a, -1, 0, &far, 1000000), -UOS_EBLOCK);
	ck_assert(t->deadline_ns > 0 && t->deadline_ns < gtime_to_ns(far));
	sched_unpark(t);
	/* no end: no deadline at all */
	ck_assert_int_eq(sched_park_until(t, &chan_a, -1, 0, NULL, 0), -UOS_EBLOCK);
	ck_assert_int_eq(t->deadline_ns, 0);
	sched_unpark(t);
	ck_assert_int_eq(t->deadline_ns, 0);
	fake_env_fini(&e);
}
END_TEST

START_TEST(weights_are_linuxs)
{
	ck_assert_int_eq(sched_weight(0), 1024);
	ck_assert_int_eq(sched_weight(-20), 88761);
	ck_assert_int_eq(sched_weight(19), 15);
	ck_assert_int_eq(sched_weight(-100), 88761); /* clamped */
	ck_assert_int_eq(sched_weight(100), 15);
	for (int n = -20; n < 19; n++) /* each nice level is ~1.25x the next */
		ck_assert(sched_weight(n) > sched_weight(n + 1));
}
END_TEST

/* Three ready tasks in serial mode with seed; the tids of the first n picks into out. */
static void picks(uint64_t seed, int *out, int n)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *b = fake_env_fork(&e, e.init, 0);
	fake_env_fork(&e, b, 0);
	sched_serial_init(e.k, seed);
	for (struct task *t = e.k->tasks; t; t = t->next)
		sched_ready(t, 0, 0);
	for (int i = 0; i < n; i++) {
		ck_assert(sched_dispatch(e.k));
		struct task *t = e.k->sched.cpu;
		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(fake_guest()->nran, i + 1);
		ck_assert_ptr_eq(fake_guest()->ran[i], t); /* run through the transport */
		ck_assert(!t->ready);
		out[i] = t->tid;
		ck_assert(!sched_dispatch(e.k)); /* one runs at a time */
		sched_stopped(t);
		ck_assert_ptr_null(e.k->sched.cpu);
		sched_ready(t, 0, 0);
	}
	fake_env_fini(&e);
}

START_TEST(serial_is_deterministic)
{
	int a[40], b[40], c[40];
	bool differ = false;
	picks(42, a, 40);
	picks(42, b, 40);
	ck_assert_mem_eq(a, b, sizeof(a));
	for (int i = 0; i < 40; i++)
		ck_assert(a[i] >= 1 && a[i] <= 3);
	for (uint64_t seed = 1; seed < 10 && !differ; seed++) {
		picks(seed, c, 40);
		differ = memcmp(a, c, sizeof(a)) != 0;
	}
	ck_assert(differ); /* the seed matters */
}
END_TEST

START_TEST(serial_waits_for_births_and_weighs_nice)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *hi = e.init, *lo = fake_env_fork(&e, e.init, 0);
	sched_serial_init(e.k, 7);
	ck_assert(!sched_dispatch(e.k)); /* nobody ready */
	hi->nice = -20;
	lo->nice = 19;
	sched_ready(hi, 0, 0);
	sched_ready(lo, 0, 0);
	lo->state = TASK_BORN; /* a first stop still to come: nothing is picked */
	ck_assert(!sched_dispatch(e.k));
	lo->state = TASK_ACTIVE;
	int nhi = 0;
	for (int i = 0; i < 200; i++) {
		ck_assert(sched_dispatch(e.k));
		struct task *t = e.k->sched.cpu;
		nhi += t == hi;
		sched_ready(t, 0, 0); /* ready again: it gives up the CPU */
		ck_assert_ptr_null(e.k->sched.cpu);
	}
	ck_assert_int_gt(nhi, 190); /* 88761 : 15 */
	fake_env_fini(&e);
}
END_TEST

Suite *sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, wake_wakes_its_channel_only);
	tcase_add_test(tc, pollers_wake_on_every_channel);
	tcase_add_test(tc, make_runnable_only_when_parked);
	tcase_add_test(tc, park_until_timeouts);
	tcase_add_test(tc, weights_are_linuxs);
	tcase_add_test(tc, serial_is_deterministic);
	tcase_add_test(tc, serial_waits_for_births_and_weighs_nice);
	suite_add_tcase(s, tc);
	return s;
}
