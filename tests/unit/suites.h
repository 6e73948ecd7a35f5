/* The list of unit suites: add a line here and a file to meson.build. */
#pragma once
#include <check.h>
#include "kernel.h"

Suite *syscall_suite(void);
Suite *mm_suite(void);
Suite *elf_suite(void);
Suite *fdtable_suite(void);
Suite *vfs_suite(void);
Suite *imgfs_suite(void);
Suite *pipe_suite(void);
Suite *memcg_suite(void);
Suite *gtime_suite(void);
Suite *task_state_suite(void);
Suite *waitq_suite(void);
Suite *capability_suite(void);
Suite *publish_suite(void);
Suite *netlink_suite(void);
Suite *intr_suite(void);

static Suite *(*const unit_suites[])(void) = {
	syscall_suite, mm_suite, elf_suite, fdtable_suite, vfs_suite, imgfs_suite,
	pipe_suite, memcg_suite, gtime_suite, task_state_suite, waitq_suite, capability_suite,
	publish_suite,
	netlink_suite, intr_suite,
};
