/*
 * The root of all uos state.
 *
 * The supervisor is single-threaded: one event loop (loop.c) takes a ptrace
 * stop, dispatches it, and resumes the task.  Every piece of mutable state is
 * reached from one struct kernel; there are no other globals.  Handlers never
 * see the transport; they get a task and its six arguments.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "base.h"
#include "contain.h"
#include "memcg.h"
#include "net.h"
#include "waitq.h"

/* --stop-timeout's default: 2 s from SIGTERM to killing the guests that are left. */
#define KERNEL_STOP_TIMEOUT_NS 2000000000LL

#define SYS_NR_MAX 512 /* x86-64 syscall numbers are below this */

struct task;
struct tgroup;
struct tgroup;
struct vfs_ns;
struct vfs_config;
struct pipe;
struct aio;

/* Options from the command line: set by main.c before the guest starts. */
struct kopts {
	FILE *trace;	   /* --trace: one line per syscall, or NULL */
	bool summary;	   /* --summary: counts at exit */
	bool warn_unsupported; /* --warn-unsupported: say so when an unsupported call is made */
	bool user_given;   /* --user was given (HOME, USER, LOGNAME follow it) */
	uid_t uid;	   /* --user: the guest's uid and gid inside */
	gid_t gid;
	char hostname[65]; /* --hostname */
	bool init;	   /* uos's own PID 1 adopts orphans; the program is PID 2 (not --pid1) */
	int max_tasks;	   /* --pids: tasks and zombies at most (0: no limit) */
	unsigned long max_memory; /* --memory: bytes mapped and held for all guests (0: no limit) */
	unsigned long tmpfs_size; /* --tmpfs-size: bytes of tmpfs data (0: the default) */
	const char *stats_file; /* hidden --stats=FILE: call counts as JSON at exit */
	long long stop_timeout_ns; /* --stop-timeout: from SIGTERM to killing the guests */
	struct vfs_config *vfscfg; /* --root, --mount, --tmpfs: main.c's, for vfs_ns_init_config */
	struct contain_opts contain; /* --host-user, hidden --contain / --no-contain */
	bool notify;	   /* sys_notified's calls go to a seccomp listener, not a stop (unless --no-notify) */
};

/* Counts for --summary and for `uos conform --coverage`. */
struct kstats {
	unsigned long calls[SYS_NR_MAX];
	unsigned long errors[SYS_NR_MAX];
	bool warned[SYS_NR_MAX]; /* NONE/PARTIAL reported once per number */
	unsigned long bad_nr;	 /* calls with a number outside the table */
	unsigned long foretold, foretold_checked, foretold_wrong; /* memory calls in one stop (sys_mm.c) */
	struct kfail {		 /* failures by (syscall, errno); the first 256 pairs */
		short nr, err;
		unsigned long n;
	} fails[256];
};

struct kernel {
	struct kopts opts;
	struct kstats stats;
	struct memcg memcg; /* the guests' memory charge and resource counts (memcg.h) */
	struct net net;	    /* the guests' sockets (net.h) */

	/* The task list, the process list and the virtual pid space. */
	struct task *tasks;
	int nr_tasks;
	int nr_zombies; /* processes dead and not yet reaped: they count in --pids */
	struct tgroup *procs;
	struct tgroup *main; /* the program uos ran: its death ends the sandbox */
	struct task *serving; /* the task whose call the dispatcher runs now (Linux's current), or NULL */
	int fg_pgid;	     /* the guest terminal's foreground process group */
	int host_tty_sid;    /* the session whose /dev/tty is the user's terminal (the first guest's) */
	bool stopped_self;   /* uos stopped itself with its stopped program */
	bool commit_strict;  /* the host's vm.overcommit_memory is 2: any mapping may be refused */
	/* The signals ignored and blocked when uos started: the first guest starts with them, as an exec keeps them. */
	uint64_t start_ignored, start_blocked;

	/* --sched=serial: one task runs at a time, the next one picked by a seeded generator. */
	struct ksched {
		bool serial;
		uint64_t rng;		/* xorshift64* state, from the seed */
		struct task *cpu;	/* the task running now, or NULL */
		long long slice_end_ns; /* when cpu is preempted (CLOCK_MONOTONIC) */
		struct waitq_list parked; /* the parked tasks not yet woken, by task->park */
	} sched;
	/* The parked tasks' channels (scheduler.c) and serial mode's futex words (futex.c). */
	struct waitq waitq;
	int next_pid;
	/* Stops and deaths of host tasks whose parent's clone has not ended yet (trap_fork_ended). */
	struct early_stop {
		pid_t hpid;
		int status;
	} early[32];
	int nearly;
	int sigfd; /* signalfd of SIGCHLD, which the loop polls (uos's other signals: intr.h), or -1 */
	int chldfd; /* signalfd of SIGCHLD alone (trap.c waits for a stop with it), or -1 */
	int notify_fd; /* the filter's listener (notify.c; not with --no-notify), or -1 */
	/*
	 * The loop's alarm (loop.c): a timer whose SIGALRM ends its sleep in
	 * wait4 at a deadline, and the deadline armed (CLOCK_MONOTONIC), or 0.
	 */
	timer_t alarm;
	bool has_alarm;
	long long alarm_ns;

	/* Mounts and the root of the guest's file world (vfs/). */
	struct vfs_ns *vfs;
	struct console *console; /* the user's terminal as a uos terminal (console.h), or NULL */

	/* Host handles of the supervisor itself. */
	pid_t self_pid;	 /* the supervisor's host pid (siginfo from uos itself) */
	int stub_fd;	 /* read-only fd of the sealed memfd holding the exec stub (guestlib/stub.c) */
	int chan_uos;	 /* uos's end of the channel that hands files to guests (guest.c) */
	int chan_guest;	 /* the guests' end: inherited by every guest at GUEST_CHAN_FD */
	struct contain contain; /* what the host lets guest processes do (contain.c) */
	struct aio *aio; /* the io_uring of host fsyncs (aio.c), made at the first, or NULL */
	long long writeback_ns; /* the next periodic writeback (writeback.c, CLOCK_MONOTONIC), or 0 */
	char *bounce;	    /* read's and write's bounce buffer (xfer.c), made at the first, or NULL */
	bool bounce_busy;   /* a transfer uses it now */
	long long stop_deadline_ns; /* SIGTERM came: the guests die then (CLOCK_MONOTONIC), or 0 */
	bool exited;	 /* PID 1 is gone: the event loop ends */
	int exit_status; /* what uos exits with: the status, or 128+signal */
};

/* Build a kernel with default options and an empty task list. */
void kernel_init(struct kernel *k);
/* Free everything the kernel owns. */
void kernel_fini(struct kernel *k);
