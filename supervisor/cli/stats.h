/*
 * The hidden --stats=FILE dump: uos's per-syscall call counts, as JSON, for
 * `uos conform --coverage`.
 */
#pragma once

#include "kernel.h"

/*
 * Write k->stats as {"calls": {"name": N, ...}, "errors": {...}} to path, one
 * pair per line, only syscalls that were called.  Returns 0 or -errno.
 */
int stats_write_json(const struct kernel *k, const char *path);

/*
 * Read a file written by stats_write_json into calls[SYS_NR_MAX] (added to
 * what is there).  Returns 0 or -errno; unknown names are ignored.
 */
int stats_read_json(const char *path, unsigned long *calls);
