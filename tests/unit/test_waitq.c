/*
 * Wait queues (waitq.c), alone: no kernel, no task.  Waiters are items that
 * log their wakes; the order waiters come in is the order they are woken,
 * channels that share a bucket stay apart, and a wake function may change
 * the queues it is called from.
 */
#include <string.h>

#include "suites.h"
#include "waitq.h"

struct wlog {
	int order[64]; /* ids of the items woken, in order */
	int n;
};

struct item {
	struct waiter w;
	int id;
	struct wlog *log;
	struct waitq *q;
	struct item *other; /* what this item's action acts on */
	const void *chan;   /* where it adds other, or itself */
};

static void logged(struct waiter *w)
{
	struct item *it = container_of(w, struct item, w);
	it->log->order[it->log->n++] = it->id;
}

static void items_init(struct item *it, int n, struct wlog *log, struct waitq *q)
{
	memset(it, 0, n * sizeof(*it));
	for (int i = 0; i < n; i++) {
		it[i].id = i;
		it[i].log = log;
		it[i].q = q;
	}
}

static const void *chan_n(int n)
{
	return (const void *)(0x10000UL + 64UL * (unsigned long)n);
}

START_TEST(zeroed_is_empty)
{
	struct waitq q = {0};
	struct waiter w = {0};
	ck_assert(!waitq_queued(&w));
	ck_assert_int_eq(waitq_count(&q, chan_n(1)), 0);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), -1), 0);
	ck_assert_ptr_null(waitq_first(&q, chan_n(1)));
	waitq_remove(&w); /* not queued: nothing */
	ck_assert(!waitq_queued(&w));
}
END_TEST

START_TEST(wake_all_in_order)
{
	struct waitq q = {0};
	struct wlog log = {0};
	struct item it[5];
	items_init(it, 5, &log, &q);
	for (int i = 0; i < 5; i++)
		waitq_add(&q, &it[i].w, chan_n(1), logged);
	ck_assert_int_eq(waitq_count(&q, chan_n(1)), 5);
	ck_assert_int_eq(waitq_wake(&q, chan_n(2), -1), 0);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), -1), 5);
	ck_assert_int_eq(log.n, 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(log.order[i], i);
		ck_assert(!waitq_queued(&it[i].w));
	}
	ck_assert_int_eq(waitq_count(&q, chan_n(1)), 0);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), -1), 0);
}
END_TEST

START_TEST(wake_n)
{
	struct waitq q = {0};
	struct wlog log = {0};
	struct item it[5];
	items_init(it, 5, &log, &q);
	for (int i = 0; i < 5; i++)
		waitq_add(&q, &it[i].w, chan_n(1), logged);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), 0), 0);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), 2), 2);
	ck_assert_int_eq(waitq_count(&q, chan_n(1)), 3);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), 1), 1);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), 10), 2);
	ck_assert_int_eq(log.n, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(log.order[i], i);
}
END_TEST

/* First, middle and last leave in O(1); the rest keep their order; a NULL wake calls nothing. */
START_TEST(remove_any)
{
	struct waitq q = {0};
	struct wlog log = {0};
	struct item it[6];
	items_init(it, 6, &log, &q);
	for (int i = 0; i < 6; i++)
		waitq_add(&q, &it[i].w, chan_n(1), logged);
	waitq_remove(&it[0].w);
	waitq_remove(&it[3].w);
	waitq_remove(&it[5].w);
	waitq_remove(&it[5].w);
	ck_assert(!waitq_queued(&it[3].w));
	ck_assert_int_eq(waitq_count(&q, chan_n(1)), 3);
	waitq_add(&q, &it[3].w, chan_n(1), NULL); /* back, last */
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), -1), 4);
	int want[] = {1, 2, 4};
	ck_assert_int_eq(log.n, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(log.order[i], want[i]);
}
END_TEST

/* The bucket a channel hashes to: the one its probe waiter lands in. */
static int bucket_of(struct waitq *q, const void *chan)
{
	struct waiter probe = {0};
	int b = -1;
	waitq_add(q, &probe, chan, NULL);
	for (int i = 0; i < (1 << WAITQ_BITS); i++)
		if (q->bucket[i].first == &probe)
			b = i;
	waitq_remove(&probe);
	return b;
}

/* Channels that share one bucket, their waiters interleaved: each wake and count sees its own. */
START_TEST(colliding_channels)
{
	struct waitq q = {0};
	struct wlog log = {0};
	const void *chans[4];
	int nch = 0, b0 = bucket_of(&q, chan_n(0));
	chans[nch++] = chan_n(0);
	for (int n = 1; nch < 4 && n < 100000; n++)
		if (bucket_of(&q, chan_n(n)) == b0)
			chans[nch++] = chan_n(n);
	ck_assert_int_eq(nch, 4);
	struct item it[16];
	items_init(it, 16, &log, &q);
	for (int i = 0; i < 16; i++)
		waitq_add(&q, &it[i].w, chans[i % 4], logged);
	for (int c = 0; c < 4; c++)
		ck_assert_int_eq(waitq_count(&q, chans[c]), 4);
	int seen = 0;
	for (struct waiter *w = waitq_first(&q, chans[2]); w; w = waitq_next(w)) {
		ck_assert_int_eq(container_of(w, struct item, w)->id, 2 + 4 * seen);
		seen++;
	}
	ck_assert_int_eq(seen, 4);
	ck_assert_int_eq(waitq_wake(&q, chans[1], 3), 3);
	ck_assert_int_eq(waitq_wake(&q, chans[3], -1), 4);
	int want[] = {1, 5, 9, 3, 7, 11, 15};
	ck_assert_int_eq(log.n, 7);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(log.order[i], want[i]);
	ck_assert_int_eq(waitq_count(&q, chans[0]), 4);
	ck_assert_int_eq(waitq_count(&q, chans[1]), 1);
	ck_assert_int_eq(waitq_count(&q, chans[2]), 4);
	ck_assert_int_eq(waitq_count(&q, chans[3]), 0);
}
END_TEST

/* Wakes itself again on the same channel: not in this wake, in the next. */
static void readd_self(struct waiter *w)
{
	struct item *it = container_of(w, struct item, w);
	logged(w);
	if (it->log->n < 8)
		waitq_add(it->q, w, it->chan, readd_self);
}

/* Takes its other out of the queue (it may be one this wake chose). */
static void remove_other(struct waiter *w)
{
	struct item *it = container_of(w, struct item, w);
	logged(w);
	waitq_remove(&it->other->w);
}

/* Adds its other to it->chan. */
static void add_other(struct waiter *w)
{
	struct item *it = container_of(w, struct item, w);
	logged(w);
	waitq_add(it->q, &it->other->w, it->chan, logged);
}

START_TEST(wake_fn_changes_queue)
{
	struct waitq q = {0};
	struct wlog log = {0};
	struct item it[6];
	items_init(it, 6, &log, &q);
	/* 0 adds itself back; 1 removes 2, which this wake chose; 3 is left; 4 adds 5. */
	it[0].chan = chan_n(1);
	it[1].other = &it[2];
	it[4].other = &it[5];
	it[4].chan = chan_n(1);
	waitq_add(&q, &it[0].w, chan_n(1), readd_self);
	waitq_add(&q, &it[1].w, chan_n(1), remove_other);
	waitq_add(&q, &it[2].w, chan_n(1), logged);
	waitq_add(&q, &it[3].w, chan_n(1), logged);
	waitq_add(&q, &it[4].w, chan_n(1), add_other);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), -1), 4); /* 0, 1, 3, 4: not 2 */
	int want[] = {0, 1, 3, 4};
	ck_assert_int_eq(log.n, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(log.order[i], want[i]);
	ck_assert(!waitq_queued(&it[2].w));
	/* 0 and 5 came during the wake: they wait for the next, in the order they came. */
	ck_assert_int_eq(waitq_count(&q, chan_n(1)), 2);
	ck_assert_ptr_eq(waitq_first(&q, chan_n(1)), &it[0].w);
	ck_assert_int_eq(waitq_wake(&q, chan_n(1), -1), 2);
	ck_assert_int_eq(log.order[4], 0);
	ck_assert_int_eq(log.order[5], 5);
	ck_assert_int_eq(waitq_count(&q, chan_n(1)), 1); /* 0 once more */
}
END_TEST

/* A plain list: a second queue a waiter's owner keeps (the scheduler's parked tasks). */
START_TEST(plain_list)
{
	struct waitq_list l = {0};
	struct waiter w[3] = {{0}};
	for (int i = 0; i < 3; i++)
		waitq_list_add(&l, &w[i]);
	ck_assert_ptr_eq(l.first, &w[0]);
	waitq_remove(&w[1]);
	ck_assert_ptr_eq(l.first->next, &w[2]);
	ck_assert_ptr_eq(l.last, &w[2]);
	waitq_remove(&w[0]);
	waitq_remove(&w[2]);
	ck_assert_ptr_null(l.first);
	ck_assert_ptr_null(l.last);
}
END_TEST

Suite *waitq_suite(void)
{
	Suite *s = suite_create("waitq");
	TCase *tc = tcase_create("queues");
	tcase_add_test(tc, zeroed_is_empty);
	tcase_add_test(tc, wake_all_in_order);
	tcase_add_test(tc, wake_n);
	tcase_add_test(tc, remove_any);
	tcase_add_test(tc, colliding_channels);
	tcase_add_test(tc, wake_fn_changes_queue);
	tcase_add_test(tc, plain_list);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
