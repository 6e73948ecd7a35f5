/*
 * Children's reports to wait4 and waitid, from uos's own process tree
 * (task.c): which children a wait selects (Linux's idtype/id), what each
 * has to report (a zombie's status, a stop or a continue, each once), its
 * usage, and taking the report (reaping a zombie).  The handlers
 * (sys_wait.c) decode the calls, park when nothing is ready, and copy out.
 */
#pragma once

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/wait.h>

struct kernel;
struct task;
struct tgroup;

/* Which children a wait selects: Linux's idtype/id (wait4's pid becomes one), and its options. */
struct wait_sel {
	idtype_t type;
	int id;
	int options;
};

/* What child c has to report to a wait with these options: its wait status, or -1. */
int reap_status(const struct tgroup *c, int options);
/*
 * A child of t's process selected by w with something to report, or NULL
 * with *any set when some child is selected but none has anything yet.
 */
struct tgroup *reap_find(struct task *t, const struct wait_sel *w, bool *any);
/* What wait4 and waitid report of c: its usage and its reaped children's (zero unless a zombie). */
void reap_usage(const struct tgroup *c, struct rusage *ru);
/* The report is taken: reap a zombie (its usage goes to the parent), or clear a stop or continue report. */
void reap_take(struct kernel *k, struct tgroup *c);
