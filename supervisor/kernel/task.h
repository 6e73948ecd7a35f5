/*
 * Tasks and processes.
 *
 * A task is one guest thread: a real host thread that uos traces.  A process
 * (struct tgroup) is what its threads share: address-space books, fd table,
 * filesystem context, signal actions, credentials and limits.  Virtual ids
 * (tid, pid) are uos's own; host ids appear only in trap.c and gmem.c.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/user.h>
#include <time.h>

#include "creds.h"
#include "kernel.h"
#include "vfs.h"

struct mm;
struct fdtable;
struct vfs_file;
struct exec_plan;
struct sig_intent;

/* The arguments of one system call, as the guest passed them. */
struct sysargs {
	int nr;
	unsigned long a[6];
};

typedef long (*sys_fn)(struct task *t, const struct sysargs *a);
/*
 * Called at the syscall-exit stop of a call the host ran (-UOS_EHOST) with
 * the host's result; returns the result the guest sees (clone: a virtual tid).
 */
typedef long (*sys_exit_fn)(struct task *t, const struct sysargs *a, long ret);

/* Which ptrace stop a task sits in, or its notified call; set by the transport only. */
enum task_stop {
	TASK_RUNNING,	   /* not stopped */
	TASK_STOP_SECCOMP, /* at the seccomp stop of a call */
	TASK_STOP_EXIT,	   /* at a syscall-exit stop */
	TASK_STOP_EVENT,   /* at a ptrace event stop (exec) */
	TASK_STOP_SIGNAL,  /* at a signal-delivery stop */
	TASK_NOTIFIED,	   /* in a call sent to uos's listener, which owes its answer (notify.c) */
	TASK_DEAD,	   /* the host task is gone; wstatus says how */
};

/*
 * An exec of the stub, which covers exactly one execveat with uos's own
 * arguments (set by the transport only):
 *   NONE -> RUNNING (guest_exec: the call being served becomes that execveat;
 *                    the first guest's, at its seccomp stop, in trap_spawn)
 *   RUNNING -> NONE (the exec stop, or the execveat's failure at its exit stop)
 * Any other stop of the task in between kills the guest.
 */
enum task_exec {
	TASK_EXEC_NONE,
	TASK_EXEC_RUNNING, /* the host runs that execveat */
};

/*
 * Where a task is in its life, as uos serves it: one state at a time.
 *
 *   BORN -> ACTIVE         its first stop (trap_life.c trap_on_birth)
 *   ACTIVE -> PARKED       its call waits (sched_park)
 *   PARKED -> RUNNABLE     woken: a channel, its fd or deadline, a signal
 *                          (sched_wake, sched_make_runnable)
 *   PARKED, RUNNABLE -> ACTIVE
 *                          served again (trap_serve), or unparked on its way
 *                          out (sched_unpark: its exit event, its death)
 *   ACTIVE -> JOBSTOP      a group-stop (trap_signal.c trap_on_signal)
 *   JOBSTOP -> ACTIVE      SIGCONT (guest_continue)
 *   ACTIVE -> VFORK_HELD   serial mode's vfork parent, at its fork event
 *   VFORK_HELD -> ACTIVE   its child execs or dies (trap_life.c vfork_release)
 *   ACTIVE, JOBSTOP, VFORK_HELD -> EXITING
 *                          its exit event (trap_life.c trap_at_exit_event), which a
 *                          SIGKILL brings from any stop; a parked task is
 *                          unparked first
 *
 * A task is freed (task_exit, task_forget) in any state.  task_set_state
 * stops uos on any other transition.  What is not a state of its own:
 * where it sits on the host (enum task_stop), an exec of the stub (enum
 * task_exec), serial mode's CPU (ready, exec_wait, preempting: an exiting
 * task is ready too, and a task killed in its execve waits without the CPU
 * while exiting), and the flags of one call or one stop (regs_dirty,
 * injected, rewritten, has_call_mask, mask_swapped, frame_mask, sig_unseen,
 * park_nointr, futex_woken, aio_done), which hold in several states.
 */
enum task_state {
	TASK_BORN,	 /* made at its parent's clone's end; its first stop is still to come */
	TASK_ACTIVE,	 /* runs guest code, or sits at a stop uos serves now */
	TASK_PARKED,	 /* waits at its seccomp stop, or in its notified call, for t->cur to be served again */
	TASK_RUNNABLE,	 /* parked and woken: the loop serves t->cur again */
	TASK_JOBSTOP,	 /* in a group-stop (SIGSTOP, SIGTSTP ...), not resumed until SIGCONT */
	TASK_VFORK_HELD, /* serial mode: a vfork parent, until its child execs or dies */
	TASK_EXITING,	 /* past its exit event: no guest code runs again (its tid is cleared soon) */
};

/* The siginfo uos meant for the signals it queued (sigsend.c), per task or per process. */
struct sig_infos {
	siginfo_t std[32];	 /* signals 1..31: the latest one sent (si_signo 0: none) */
	struct sig_intent *rt;	 /* real-time signals: in the order sent */
	int rt_count;
	struct kernel *k;	 /* whose MEMCG_SIGQUEUE the rt entries count in (set by the first) */
};

/* Signal books: what the guest asked for, kept by uos. */
struct sigbooks {
	struct k_sigaction_books {
		unsigned long handler, flags, restorer;
		uint64_t mask;
	} action[64];
	/*
	 * A process made with CLONE_SIGHAND shares these actions with this one
	 * on the host, and not in these books (task.c): then only the host's
	 * view tells them (sigsend.c's host_sigs_for).
	 */
	bool shared;
};

struct tgroup {
	int pid, ppid, pgid, sid;
	int nr_threads; /* live threads; 0 once the process is a zombie */

	/* The process tree (uos's own; host-side every guest is uos's child). */
	struct tgroup *parent;	 /* NULL for PID 1 */
	struct tgroup *children; /* first child, then child->sibling */
	struct tgroup *sibling;
	struct tgroup *next;	 /* in k->procs */
	bool zombie;		 /* dead, not yet reaped by its parent */
	int wstatus;		 /* the wait(2) status once a zombie */
	int exit_signal;	 /* sent to the parent at death (SIGCHLD), 0 for none */
	bool execed;		 /* ran execve since fork: setpgid by the parent gives EACCES */
	bool reaper;		 /* uos's own PID 1 (--init): reaps at once, has no task */
	bool subreaper;		 /* prctl(PR_SET_CHILD_SUBREAPER): orphans below come here */
	pid_t host_tgid;	 /* the host's id of the thread group */
	bool stopped;		 /* every thread is in a group-stop (job control) */
	int stop_report;	 /* a stop signal not yet reported by wait (WUNTRACED), or 0 */
	bool cont_report;	 /* a continue not yet reported by wait (WCONTINUED) */
	struct rusage ru;	 /* its own usage, from the host once its threads are dead */
	struct rusage child_ru;	 /* of its reaped children and theirs (RUSAGE_CHILDREN) */
	struct sig_infos infos;	 /* of the process-directed signals uos queued */

	struct mm *mm;
	struct fdtable *fdt;
	struct fs_ctx fs;
	struct sigbooks sig;
	struct creds cred;
	struct rlimit rlim[RLIM_NLIMITS];
	char *exe; /* canonical path of the running program */
	char comm[16];
	bool undumpable; /* prctl(PR_SET_DUMPABLE, 0); zero means dumpable */
	bool thp_off;	 /* prctl(PR_SET_THP_DISABLE) books */
	/* prctl(PR_SET_NO_NEW_PRIVS): uos's own flag (the host's is always set), kept by fork and exec */
	bool no_new_privs;
	bool host_timers; /* set a timer the host runs (alarm, setitimer, timer_create): its signals wake no channel */
	struct tty *ctty; /* its controlling terminal, one of uos's (a reference: ctty.h), or NULL */
};

struct task {
	struct kernel *k;
	struct task *next; /* in k->tasks */
	struct tgroup *tg;
	int tid;    /* virtual */
	/*
	 * What the VFS gets for "who calls" (vfs.h): pointers into tg (its
	 * credentials and fs context, changed in place) and copies of the ids,
	 * filled by task_caller_init when the task is made and when its tid
	 * changes (an exec by another thread), so that a handler only passes
	 * &t->vc.  Kept in the task rather than made per call because the VFS
	 * is reached from many places that are no handler (exec, exit, fds).
	 */
	struct vfs_caller vc;
	char comm[16]; /* the thread's name, unless it leads (then tg->comm): task_comm */
	pid_t hpid; /* host tid */

	/* Owned by trap.c: registers are read once per stop, written once. */
	enum task_stop stop;
	uint64_t notif_id; /* TASK_NOTIFIED: the call's id, for its answer */
	struct user_regs_struct regs;
	bool regs_dirty;
	int pending_sig; /* a host signal seen while injecting, delivered on resume */
	uint64_t held_more; /* more signals seen while injecting (bit sig-1), queued again on resume */
	int memfd;	 /* /proc/<hpid>/mem, opened on first need, or -1 */
	int wstatus;	 /* the host wait status once TASK_DEAD */
	bool exit_event; /* the host stops it at its exit (PTRACE_O_TRACEEXIT): trap_fit_exit_event */

	/* The call being served and what to do when the host finishes it. */
	struct sysargs cur;
	char *trace_args; /* --trace: cur's arguments as printed at its entry (trace_enter), or NULL */
	size_t io_done; /* bytes a blocking transfer has moved so far in this call */
	struct timespec call_end; /* when a parked call times out (CLOCK_MONOTONIC; gtime.h), or {0, 0} */
	struct clone_req { /* a clone the host is running for this task */
		unsigned long flags; /* the guest's flags */
		int exit_signal;
		unsigned long ptid, ctid;
		int child; /* the child's tid, once the clone ended, or -errno */
		unsigned long pidfd; /* CLONE_PIDFD: where the parent's pidfd goes, or 0 */
		bool forking; /* the host runs the clone: its end (trap_fork_ended) is still to come */
	} clone;
	sys_exit_fn host_exit;
	sys_exit_fn host_check; /* checks a result uos foretold, at an exit stop that comes anyway */
	long foretold;		/* that result */
	enum task_exec exec;	  /* where the task is in an exec of the stub */
	struct exec_plan *plan;	  /* the program to load at the next exec stop, or NULL */
	struct user_regs_struct saved; /* the guest's registers while uos injects calls */
	bool injected;		  /* saved holds the registers to restore */
	bool batching;		  /* guest_call queues the exec's loader calls (guest_batch_begin) */
	bool rewritten;		  /* the host runs a changed call; saved has the guest's arguments */

	/* Scheduling (scheduler.c): a parked task sits at its seccomp stop. */
	const void *wchan;	/* parked on this channel, or NULL */
	struct waiter wait;	/* on wchan's queue in k->waitq, until woken */
	struct waiter park;	/* on k->sched.parked, until woken */
	int wait_fd;		/* and/or until this host fd is ready (-1: none) */
	short wait_events;	/* POLLIN/POLLOUT for wait_fd */
	long long deadline_ns;	/* and/or until CLOCK_MONOTONIC passes this (0: none) */
	enum task_state state;	/* task_set_state() changes it */
	/*
	 * By a signal: the call runs again after the handler, ends with EINTR,
	 * or (RERUN) runs again at once, its own mask having let through a
	 * signal its action ignores, which the host drops (Linux's
	 * -ERESTARTNOHAND with no handler to run).
	 */
	enum { TASK_INTR_NONE, TASK_INTR_RESTART, TASK_INTR_EINTR, TASK_INTR_RERUN } interrupt;
	uint64_t birth_sigs;	/* signals sent while BORN (sigsend.c), bit sig-1 */
	int nice;		/* -20..19 (setpriority books; CPU shares in serial mode) */
	int policy, rt_priority; /* sched_setscheduler books */
	/*
	 * Serial mode's CPU, beside the state (an ACTIVE or EXITING task is
	 * ready, or runs with or without the CPU): a stopped task waiting for
	 * the CPU, and how to resume it.
	 */
	bool ready;
	int ready_req, ready_sig;
	bool preempting;	/* uos sent SIGSTOP to end this task's time slice; it may park first */
	bool exec_wait;		/* runs without the CPU in an execve that waits for its other threads to die */
	/*
	 * Serial mode's vfork: the parent stays at its fork event stop, neither
	 * running nor ready, until this child execs or dies (trap.c).
	 */
	struct task *vfork_parent; /* of this child, while it holds the parent (TASK_VFORK_HELD) */
	bool park_nointr;	/* parked where no signal interrupts it (fsync, as Linux's D state) */
	bool futex_woken;	/* serial mode: a FUTEX_WAKE chose this parked waiter */
	unsigned long futex_key[4]; /* serial mode: the word a parked FUTEX_WAIT waits on (futex.c) */
	unsigned long set_child_tid; /* CLONE_CHILD_SETTID: write the tid there at birth */

	uint64_t call_mask;	/* the mask a parked ppoll/pselect6 waits with */
	bool has_call_mask;
	uint64_t restore_mask;	/* the mask to give back once the signal is delivered */
	bool mask_swapped;	/* the host mask is call_mask until then */
	bool frame_mask;	/* single-stepping into a handler whose frame gets restore_mask */
	bool sig_unseen;	/* a signal was sent while not parked: look when it parks */
	unsigned long clear_child_tid;
	int pdeath_sig; /* prctl(PR_SET_PDEATHSIG) books */
	/* prctl(PR_SET_TIMERSLACK) books: the slack and what 0 resets it to (the creator's at clone) */
	unsigned long timer_slack, default_slack;
	struct sig_infos infos; /* of the signals uos queued to this thread */
	/* A host call run for this task off the event loop (aio.c). */
	uint64_t aio_token;	      /* its request, or 0 */
	int aio_res;		      /* its result, once aio_done */
	bool aio_done;
	int aio_step; /* sync(2): the mount whose image it waits for (writeback.c) */
};

/* Move t to state s; a transition the comment above enum task_state does not list is a bug. */
void task_set_state(struct task *t, enum task_state s);

/* Parked, woken or not: t sits at its seccomp stop until t->cur is served again. */
static inline bool task_parked(const struct task *t)
{
	return t->state == TASK_PARKED || t->state == TASK_RUNNABLE;
}

/* Past its exit event: no guest code runs again. */
static inline bool task_exiting(const struct task *t)
{
	return t->state == TASK_EXITING;
}

/*
 * Create the first guest process (PID 1) for host task hpid.  Returns the
 * task, linked into k->tasks, or NULL on allocation failure.
 */
struct task *task_create_init(struct kernel *k, pid_t hpid);
/*
 * The task parent created with clone flags (already validated) as host task
 * hpid: a thread of parent's process (CLONE_THREAD) or a new process whose
 * books are copied or shared as the flags say (the table inherit_rows in
 * task.c; the words CLONE_CHILD_SETTID/CLEARTID from parent->clone).  It is
 * TASK_BORN.  NULL on allocation failure.
 */
struct task *task_fork(struct task *parent, unsigned long flags, int exit_signal, pid_t hpid);
/*
 * t's process after an execve has loaded the program at canonical path exe,
 * run by name: the exec column of inherit_rows (close-on-exec, caught
 * signals to their defaults, the program's exe and comm ...).
 */
void task_exec_inherit(struct task *t, const char *exe, const char *name);
/*
 * The host task t is gone with wait status st.  When it was its process's
 * last thread the process becomes a zombie: its files and memory books are
 * released, its children go to PID 1, and its parent is told.  Frees t.
 */
void task_exit(struct task *t, int st, const struct rusage *ru);
/* Task t entered a group-stop for sig; when all its process's threads have, the process is stopped. */
void task_stopped(struct task *t, int sig);
/* Tell tg's parent that tg stopped or continued: SIGCHLD (unless SA_NOCLDSTOP), wake wait(2). */
void task_notify_jobctl(struct kernel *k, struct tgroup *tg);
/* The siginfo of a SIGCHLD, or of waitid(2), for child c's wait status. */
void task_child_info(const struct tgroup *c, int status, siginfo_t *si);
/* A zombie child is reaped by a wait: its usage counts for the parent's RUSAGE_CHILDREN. */
void tg_account_child(struct tgroup *parent, const struct tgroup *c);
/* acc += ru, as Linux sums usage (maxrss: the larger). */
void rusage_add(struct rusage *acc, const struct rusage *ru);
/* Drop a thread whose host task is gone without a death of its own (exec took its tid). */
void task_forget(struct task *t);
/* Free every task and process (uos is ending; the host tasks are gone). */
void task_free_all(struct kernel *k);
/* Free a zombie process reaped by wait(2). */
void tg_reap(struct kernel *k, struct tgroup *tg);
/* A process (live or zombie) by virtual pid, or NULL. */
struct tgroup *tg_by_pid(struct kernel *k, int pid);
/* is_current_pgrp_orphaned(): no member of group pgid has a parent outside it in its session. */
bool tg_pgrp_orphaned(struct kernel *k, int pgid);
/* Whether some live process of session sid has process group pgid. */
bool tg_group_in_session(struct kernel *k, int pgid, int sid);
/* The process of t's task of virtual tid tid (0: t's own), or NULL. */
struct tgroup *tg_by_tid(struct task *t, int tid);
/* A live task of tg to receive process-directed signals (its leader if alive), or NULL. */
struct task *tg_task(struct tgroup *tg, struct kernel *k);
/* Find a task by host tid, or NULL. */
struct task *task_by_hpid(struct kernel *k, pid_t hpid);
/* Fill t->vc from t->tg, t->tid and t->k->vfs (a task made by hand, as unit tests do, too). */
void task_caller_init(struct task *t);
/*
 * The task a VFS caller stands for: the kernel-object file kinds (procfs,
 * signalfd, epoll ...) get the task back from the caller the VFS hands
 * them.  Through the caller's own pointer, not container_of, so that it is
 * right for any caller task_caller_init filled.
 */
static inline struct task *task_of(const struct vfs_caller *c)
{
	return c->task;
}
/* Find a task by virtual tid, or NULL. */
struct task *task_by_tid(struct kernel *k, int tid);
/* The thread's name (PR_SET_NAME, /proc/.../comm): the leader's is its process's. */
char *task_comm(struct task *t);
