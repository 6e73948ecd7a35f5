/*
 * Guest time values: the pure conversions of gtime.c at the edges a guest
 * can reach (0, 10^9 - 1 ns, LONG_MAX seconds), each against what Linux's
 * helper of the same name gives; and the VFS's timestamp_truncate.  No task,
 * no guest: the functions that read guest memory are checked by the
 * conformance cases poll/ and time/ and by the fuzzer.
 */
#include <limits.h>

#include "gtime.h"
#include "suites.h"
#include "vfs_impl.h"

#define TS(s, ns) ((struct timespec){(s), (ns)})
#define ck_ts(a, s, ns)                                                                            \
	do {                                                                                       \
		struct timespec x_ = (a);                                                          \
		ck_assert_int_eq(x_.tv_sec, (s));                                                  \
		ck_assert_int_eq(x_.tv_nsec, (ns));                                                \
	} while (0)

START_TEST(valid)
{
	ck_assert(gtime_valid(&TS(0, 0)));
	ck_assert(gtime_valid(&TS(LONG_MAX, 999999999)));
	ck_assert(!gtime_valid(&TS(0, 1000000000)));
	ck_assert(!gtime_valid(&TS(0, -1)));
	ck_assert(!gtime_valid(&TS(-1, 0)));
	ck_assert(!gtime_valid(&TS(LONG_MIN, 0)));
}
END_TEST

/* timespec64_to_ktime: KTIME_MAX from KTIME_SEC_MAX seconds on, never an overflow. */
START_TEST(to_ns_saturates)
{
	ck_assert_int_eq(gtime_to_ns(TS(1, 5)), 1000000005LL);
	ck_assert_int_eq(gtime_to_ns(TS(GTIME_KTIME_SEC_MAX - 1, 999999999)),
			 (GTIME_KTIME_SEC_MAX - 1) * GTIME_NSEC_PER_SEC + 999999999);
	ck_assert_int_eq(gtime_to_ns(TS(GTIME_KTIME_SEC_MAX, 0)), GTIME_KTIME_MAX);
	ck_assert_int_eq(gtime_to_ns(TS(LONG_MAX, 999999999)), GTIME_KTIME_MAX);
	ck_assert_int_eq(gtime_to_ns(TS(LONG_MIN, 0)), -GTIME_KTIME_MAX);
}
END_TEST

START_TEST(from_ns_and_ms)
{
	ck_ts(gtime_from_ns(1500000000LL), 1, 500000000);
	ck_ts(gtime_from_ns(-1), -1, 999999999);
	ck_ts(gtime_from_ns(LLONG_MAX), LLONG_MAX / 1000000000, LLONG_MAX % 1000000000);
	ck_ts(gtime_from_ms(INT_MAX), INT_MAX / 1000, (INT_MAX % 1000) * 1000000L);
	ck_ts(gtime_from_ms(0), 0, 0);
}
END_TEST

/* ktime_add_safe: an overflow gives ktime_set(KTIME_SEC_MAX, 0). */
START_TEST(ns_add_saturates)
{
	ck_assert_int_eq(gtime_ns_add(1, 2), 3);
	ck_assert_int_eq(gtime_ns_add(LLONG_MAX, 1), GTIME_KTIME_SEC_MAX * GTIME_NSEC_PER_SEC);
	ck_assert_int_eq(gtime_ns_add(LLONG_MAX - 5, 5), LLONG_MAX);
}
END_TEST

/* timespec64_add_safe: the carry of nanoseconds counts; an overflow is {TIME64_MAX, 0}. */
START_TEST(add_saturates)
{
	ck_ts(gtime_add(TS(1, 600000000), TS(2, 600000000)), 4, 200000000);
	ck_ts(gtime_add(TS(5000, 1), TS(LONG_MAX, 999999999)), LONG_MAX, 0);
	ck_ts(gtime_add(TS(0, 999999999), TS(LONG_MAX, 999999999)), LONG_MAX, 0);
	ck_ts(gtime_add(TS(0, 1), TS(LONG_MAX - 1, 999999999)), LONG_MAX, 0);
	ck_ts(gtime_add(TS(0, 0), TS(LONG_MAX, 999999999)), LONG_MAX, 999999999);
}
END_TEST

START_TEST(sub_borrows)
{
	ck_ts(gtime_sub(TS(5, 100), TS(2, 200)), 2, 999999900);
	ck_ts(gtime_sub(TS(2, 0), TS(5, 1)), -4, 999999999);
	ck_ts(gtime_sub(TS(LONG_MAX, 0), TS(5000, 999999999)), LONG_MAX - 5001, 1);
}
END_TEST

#define S64 LLONG_MIN, LLONG_MAX, 1	 /* tmpfs */
#define S32 INT_MIN, INT_MAX, 1000000000 /* ext4's 128-byte inodes */

/* timestamp_truncate with tmpfs's range and with ext4's without nanoseconds. */
START_TEST(timestamp_truncate)
{
	ck_ts(vfs_timestamp_truncate(TS(LONG_MAX, 999999999), S64), LONG_MAX, 0);
	ck_ts(vfs_timestamp_truncate(TS(LONG_MIN, 5), S64), LONG_MIN, 0);
	ck_ts(vfs_timestamp_truncate(TS(7, 5), S64), 7, 5);
	ck_ts(vfs_timestamp_truncate(TS(1LL << 40, 5), S32), INT_MAX, 0);
	ck_ts(vfs_timestamp_truncate(TS(-(1LL << 40), 5), S32), INT_MIN, 0);
	ck_ts(vfs_timestamp_truncate(TS(3, 999999999), S32), 3, 0);
}
END_TEST

Suite *gtime_suite(void)
{
	Suite *s = suite_create("gtime");
	TCase *tc = tcase_create("gtime");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, valid);
	tcase_add_test(tc, to_ns_saturates);
	tcase_add_test(tc, from_ns_and_ms);
	tcase_add_test(tc, ns_add_saturates);
	tcase_add_test(tc, add_saturates);
	tcase_add_test(tc, sub_borrows);
	tcase_add_test(tc, timestamp_truncate);
	suite_add_tcase(s, tc);
	return s;
}
