/*
 * The suites of unit-kernel: the kernel objects on the fake guest transport
 * (fake_guest.c), no transport, dispatcher or handlers linked.  Add a line
 * here and a file to meson.build.
 */
#pragma once
#include <check.h>
#include "kernel.h"

Suite *task_suite(void);
Suite *signal_suite(void);
Suite *sched_suite(void);
Suite *lock_suite(void);
Suite *epoll_suite(void);
Suite *procfs_suite(void);
Suite *gpath_suite(void);

static Suite *(*const unit_suites[])(void) = {
	task_suite, signal_suite, sched_suite, lock_suite, epoll_suite, procfs_suite, gpath_suite,
};
