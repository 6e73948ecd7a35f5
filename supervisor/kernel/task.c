/*
 * Tasks and processes: creation (PID 1, fork, threads), death, zombies and
 * reaping, and lookup.  What a clone or an exec keeps, shares, copies or
 * resets of a task and its process is one table, inherit_rows.  A task is
 * linked into k->tasks while its host task lives; a process (struct
 * tgroup) is linked into k->procs from its birth until its parent reaps
 * it.  Invariants: a live process has nr_threads > 0 and its mm and fdt; a
 * zombie has neither, and keeps only what wait(2) reports.  Every process
 * but PID 1 has a parent; orphans go to PID 1.
 */
#include "task.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capability.h"
#include "console.h"
#include "ctty.h"
#include "exec.h"
#include "fdtable.h"
#include "futex.h"
#include "mm.h"
#include "scheduler.h"
#include "sigsend.h"
#include "vfs.h"

/*
 * Give the guest the supervisor's stdio fds that are open, at the same
 * numbers: the console's slave for those that are its terminal.
 */
static int install_stdio(struct kernel *k, struct fdtable *fdt)
{
	for (int fd = 0; fd < 3; fd++) {
		struct vfs_file *f;
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		int r = (f = console_stdio(k, fd)) ? 0 : vfs_stdio(fd, &f);
		if (r < 0)
			return r;
		r = fdt_install_at(fdt, fd, f, false);
		if (r < 0) {
			vfs_file_put(f);
			return r;
		}
	}
	return 0;
}

static void tg_link(struct kernel *k, struct tgroup *tg, struct tgroup *parent)
{
	tg->parent = parent;
	tg->ppid = parent ? parent->pid : 0;
	if (parent) {
		tg->sibling = parent->children;
		parent->children = tg;
	}
	tg->next = k->procs;
	k->procs = tg;
}

static void tg_free(struct tgroup *tg)
{
	ctty_setsid(NULL, tg); /* one killed at the end never died: its terminal reference */
	sig_infos_free(&tg->infos);
	free(tg->fs.cwd);
	free(tg->fs.root);
	free(tg->exe);
	free(tg);
}

static struct tgroup *tgroup_init(struct kernel *k, int pid)
{
	struct tgroup *tg = calloc(1, sizeof(*tg));
	char cwd[PATH_MAX];
	if (!tg)
		return NULL;
	tg->pid = tg->pgid = tg->sid = pid;
	tg->nr_threads = 1;
	tg->exit_signal = SIGCHLD;
	tg->cred = (struct creds){k->opts.uid, k->opts.uid, k->opts.uid, k->opts.uid,
				  k->opts.gid, k->opts.gid, k->opts.gid, k->opts.gid};
	cap_init(&tg->cred);
	for (int r = 0; r < RLIM_NLIMITS; r++)
		getrlimit(r, &tg->rlim[r]);
	tg->fs.umask = umask(022);
	umask(tg->fs.umask);
	tg->fs.cwd = strdup(getcwd(cwd, sizeof(cwd)) ? cwd : "/");
	tg->mm = mm_alloc();
	tg->fdt = fdt_alloc();
	if (tg->fdt)
		tg->fdt->cg = &k->memcg;
	if (!tg->fs.cwd || !tg->mm || !tg->fdt || install_stdio(k, tg->fdt) < 0) {
		mm_free(tg->mm);
		fdt_put(tg->fdt);
		tg_free(tg);
		return NULL;
	}
	return tg;
}

/* The transitions the comment above enum task_state lists: bit `to` of legal_next[from]. */
#define TS(s) (1u << (s))
static const unsigned legal_next[] = {
	[TASK_BORN] = TS(TASK_ACTIVE),
	[TASK_ACTIVE] = TS(TASK_PARKED) | TS(TASK_JOBSTOP) | TS(TASK_VFORK_HELD) | TS(TASK_EXITING),
	[TASK_PARKED] = TS(TASK_RUNNABLE) | TS(TASK_ACTIVE),
	[TASK_RUNNABLE] = TS(TASK_ACTIVE),
	[TASK_JOBSTOP] = TS(TASK_ACTIVE) | TS(TASK_EXITING),
	[TASK_VFORK_HELD] = TS(TASK_ACTIVE) | TS(TASK_EXITING),
	[TASK_EXITING] = 0,
};

void task_set_state(struct task *t, enum task_state s)
{
	UOS_BUG_ON((unsigned)t->state >= ARRAY_SIZE(legal_next) || !(legal_next[t->state] & TS(s)));
	t->state = s;
}

static struct task *task_alloc(struct kernel *k, struct tgroup *tg, pid_t hpid)
{
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->k = k;
	t->state = TASK_ACTIVE; /* PID 1; a clone's child is BORN (task_fork) */
	t->tg = tg;
	t->tid = k->next_pid++;
	t->hpid = hpid;
	task_caller_init(t);
	t->timer_slack = t->default_slack = 50000; /* Linux's default, in ns */
	t->memfd = -1;
	t->wait_fd = -1;
	t->next = k->tasks;
	k->tasks = t;
	k->nr_tasks++;
	return t;
}

void task_caller_init(struct task *t)
{
	t->vc = (struct vfs_caller){
		.cred = t->tg ? &t->tg->cred : NULL,
		.fs = t->tg ? &t->tg->fs : NULL,
		.pid = t->tg ? t->tg->pid : 0,
		.tid = t->tid,
		.ns = t->k ? t->k->vfs : NULL,
		.task = t,
	};
}

/*
 * With --init, PID 1 is uos's own: a process with no task that adopts
 * orphans and reaps them at once, as docker --init's tini does.
 */
static struct tgroup *virtual_init(struct kernel *k)
{
	struct tgroup *init = calloc(1, sizeof(*init));
	if (!init || !(init->fs.cwd = strdup("/"))) {
		free(init);
		return NULL;
	}
	init->pid = init->pgid = init->sid = k->next_pid++;
	init->reaper = true;
	snprintf(init->comm, sizeof(init->comm), "init");
	tg_link(k, init, NULL);
	return init;
}

/* The first guest starts in uos's cwd, or in / when its root has no such directory. */
static void start_dir(struct task *t)
{
	struct stat st;
	int err = vfs_stat(&t->vc, NULL, t->tg->fs.cwd, 0, &st);
	char *root;

	if (err != -ENOENT && err != -ENOTDIR && (err || S_ISDIR(st.st_mode)))
		return; /* there (a cwd it may not search is kept, as natively) */
	if ((root = strdup("/"))) {
		free(t->tg->fs.cwd);
		t->tg->fs.cwd = root;
	}
}

struct task *task_create_init(struct kernel *k, pid_t hpid)
{
	console_open(k);
	struct tgroup *parent = k->opts.init ? virtual_init(k) : NULL;
	if (k->opts.init && !parent)
		return NULL;
	struct tgroup *tg = tgroup_init(k, k->next_pid);
	if (!tg)
		return NULL;
	struct task *t = task_alloc(k, tg, hpid);
	if (!t) {
		mm_free(tg->mm);
		fdt_put(tg->fdt);
		tg_free(tg);
		return NULL;
	}
	for (int sig = 1; sig <= 64; sig++) /* the signals uos was started ignoring (sig_note_start) */
		if (k->start_ignored & (1ULL << (sig - 1)))
			tg->sig.action[sig - 1].handler = (unsigned long)SIG_IGN;
	if (parent) /* the program gets a session and group of its own, as under tini */
		tg->ppid = parent->pid;
	if (k->vfs)
		start_dir(t);
	tg_link(k, tg, parent);
	k->main = tg;
	k->fg_pgid = tg->pgid;
	k->host_tty_sid = tg->sid;
	console_attach(k, tg);
	return t;
}

/* ---- what a clone or an exec keeps, shares, copies or resets */

/* What happens to one part of a task or its process in one of the three events. */
enum inherit {
	INH_KEEP,   /* unchanged: exec's; a new thread's process is the parent's own */
	INH_NEW,    /* made new: zero, or task_alloc's initial value, or the row's */
	INH_ARGS,   /* from the clone itself: its flags, exit signal, words, the new host tid */
	INH_COPY,   /* a copy of the parent's */
	INH_SHARE,  /* the same object, one more user */
	INH_FLAG,   /* shared under the row's clone flag (CLONE_VM, CLONE_FILES), else copied */
	INH_RESET,  /* exec: what a process that ran execve starts with */
	INH_IMAGE,  /* exec: the new program's */
	INH_LOADER, /* exec: exec_commit makes it while it loads; the row's fn does the clones */
};

enum inherit_event { INH_THREAD, INH_PROCESS, INH_EXEC };

struct inherit_ctx {
	struct kernel *k;
	struct task *p;		/* the parent; exec: the task that execs */
	struct task *c;		/* the new task (the "task" row makes it); exec: p */
	struct tgroup *tg;	/* the new task's process; exec: p's */
	unsigned long flags;	/* the clone's flags */
	int exit_signal;
	pid_t hpid;		/* the new task's host tid */
	const char *exe, *name; /* exec: the new program's canonical path and name */
};

struct inherit_row {
	const char *what;
	enum inherit thread, process, exec; /* CLONE_THREAD; a new process; execve */
	/* Does the row's entry how; NULL: nothing beyond INH_NEW's zero. */
	int (*fn)(struct inherit_ctx *x, enum inherit how);
};

/* A new process: its pid is the tid task_alloc gives its first thread. */
static int inh_tgroup(struct inherit_ctx *x, enum inherit how)
{
	if (how == INH_SHARE) {
		x->tg = x->p->tg;
		return 0;
	}
	x->tg = calloc(1, sizeof(*x->tg));
	if (!x->tg)
		return -ENOMEM;
	x->tg->pid = x->k->next_pid;
	return 0;
}

static int inh_pgrp(struct inherit_ctx *x, enum inherit how)
{
	x->tg->pgid = x->p->tg->pgid;
	x->tg->sid = x->p->tg->sid;
	return 0;
}

static int inh_ctty(struct inherit_ctx *x, enum inherit how)
{
	ctty_fork(x->tg, x->p->tg);
	return 0;
}

/* CLONE_PARENT: the caller's parent, and its exit signal too (copy_process). */
static int inh_exit_signal(struct inherit_ctx *x, enum inherit how)
{
	x->tg->exit_signal = x->flags & CLONE_PARENT ? x->p->tg->exit_signal : x->exit_signal;
	return 0;
}

static int inh_host_tgid(struct inherit_ctx *x, enum inherit how)
{
	x->tg->host_tgid = x->hpid;
	return 0;
}

static int inh_mm(struct inherit_ctx *x, enum inherit how)
{
	struct mm *pm = x->p->tg->mm;
	x->tg->mm = x->flags & CLONE_VM ? mm_get(pm) : mm_clone(pm);
	return x->tg->mm ? 0 : -ENOMEM;
}

static int inh_fdt(struct inherit_ctx *x, enum inherit how)
{
	struct fdtable *pf = x->p->tg->fdt;
	if (how == INH_RESET) {
		fdt_close_on_exec(pf);
		return 0;
	}
	if (x->flags & CLONE_FILES) {
		pf->refs++;
		x->tg->fdt = pf;
	} else {
		x->tg->fdt = fdt_clone(pf);
	}
	return x->tg->fdt ? 0 : -ENOMEM;
}

static int inh_fs(struct inherit_ctx *x, enum inherit how)
{
	const struct fs_ctx *pf = &x->p->tg->fs;
	x->tg->fs.umask = pf->umask;
	x->tg->fs.cwd = strdup(pf->cwd);
	x->tg->fs.root = pf->root ? strdup(pf->root) : NULL;
	return !x->tg->fs.cwd || (pf->root && !x->tg->fs.root) ? -ENOMEM : 0;
}

/*
 * execve(2): caught signals go back to their default action; ignored ones
 * stay ignored, and the actions are the process's own again.
 */
static int inh_sig(struct inherit_ctx *x, enum inherit how)
{
	struct sigbooks *sig = &x->tg->sig;
	if (how == INH_COPY) {
		*sig = x->p->tg->sig;
		if (x->flags & CLONE_SIGHAND)
			sig->shared = x->p->tg->sig.shared = true;
		return 0;
	}
	sig->shared = false;
	for (size_t i = 0; i < ARRAY_SIZE(sig->action); i++)
		if (sig->action[i].handler != (unsigned long)SIG_IGN)
			sig->action[i] = (struct k_sigaction_books){0};
	return 0;
}

static int inh_cred(struct inherit_ctx *x, enum inherit how)
{
	x->tg->cred = x->p->tg->cred;
	memcpy(x->tg->rlim, x->p->tg->rlim, sizeof(x->tg->rlim));
	return 0;
}

/* exec: the new path, or the old one if there is no memory for it. */
static int inh_exe(struct inherit_ctx *x, enum inherit how)
{
	const char *from = how == INH_COPY ? x->p->tg->exe : x->exe;
	char *exe = from ? strdup(from) : NULL;
	if (from && !exe)
		return how == INH_COPY ? -ENOMEM : 0;
	if (how == INH_IMAGE)
		free(x->tg->exe);
	x->tg->exe = exe;
	return 0;
}

static int inh_comm(struct inherit_ctx *x, enum inherit how)
{
	if (how == INH_COPY)
		memcpy(x->tg->comm, x->p->tg->comm, sizeof(x->tg->comm));
	else
		snprintf(x->tg->comm, sizeof(x->tg->comm), "%s", x->name);
	return 0;
}

static int inh_prctl(struct inherit_ctx *x, enum inherit how)
{
	x->tg->undumpable = x->p->tg->undumpable;
	x->tg->thp_off = x->p->tg->thp_off;
	x->tg->no_new_privs = x->p->tg->no_new_privs;
	x->tg->host_timers = x->p->tg->host_timers;
	return 0;
}

/* setpgid by the parent gives EACCES once the child ran execve. */
static int inh_execed(struct inherit_ctx *x, enum inherit how)
{
	x->tg->execed = how == INH_RESET;
	return 0;
}

static int inh_task(struct inherit_ctx *x, enum inherit how)
{
	x->c = task_alloc(x->k, x->tg, x->hpid);
	return x->c ? 0 : -ENOMEM;
}

static int inh_nr_threads(struct inherit_ctx *x, enum inherit how)
{
	if (how == INH_SHARE)
		x->tg->nr_threads++;
	else
		x->tg->nr_threads = 1;
	return 0;
}

static int inh_born(struct inherit_ctx *x, enum inherit how)
{
	x->c->state = TASK_BORN;
	return 0;
}

/* A new thread's own name starts as its creator's (a leader's is its process's). */
static int inh_task_comm(struct inherit_ctx *x, enum inherit how)
{
	if (how == INH_COPY)
		memcpy(x->c->comm, task_comm(x->p), sizeof(x->c->comm));
	return 0;
}

static int inh_sched(struct inherit_ctx *x, enum inherit how)
{
	x->c->nice = x->p->nice;
	x->c->policy = x->p->policy;
	x->c->rt_priority = x->p->rt_priority;
	return 0;
}

/* PR_SET_TIMERSLACK: the creator's slack, which is also what 0 resets the child's to. */
static int inh_slack(struct inherit_ctx *x, enum inherit how)
{
	x->c->timer_slack = x->c->default_slack = x->p->timer_slack;
	return 0;
}

/* The clone's registers as the guest passed them: given back at the child's first stop. */
static int inh_saved(struct inherit_ctx *x, enum inherit how)
{
	x->c->saved = x->p->saved;
	return 0;
}

static int inh_tid_words(struct inherit_ctx *x, enum inherit how)
{
	unsigned long ctid = x->p->clone.ctid;
	x->c->set_child_tid = x->flags & CLONE_CHILD_SETTID ? ctid : 0;
	x->c->clear_child_tid = x->flags & CLONE_CHILD_CLEARTID ? ctid : 0;
	return 0;
}

static int inh_link(struct inherit_ctx *x, enum inherit how)
{
	struct tgroup *pt = x->p->tg;
	tg_link(x->k, x->tg, (x->flags & CLONE_PARENT) && pt->parent ? pt->parent : pt);
	return 0;
}

/*
 * The table: one row per part of a process (struct tgroup) and of a task,
 * in the order inherit() does them.  Every row that can fail comes before
 * the task is made; what comes after cannot fail.
 */
/* clang-format off */
static const struct inherit_row inherit_rows[] = {
	/* what				thread	    process    exec */
	{"the process; its pid",	INH_SHARE,  INH_NEW,   INH_KEEP,   inh_tgroup},
	{"pgid, sid",			INH_KEEP,   INH_COPY,  INH_KEEP,   inh_pgrp},
	{"exit_signal",			INH_KEEP,   INH_ARGS,  INH_KEEP,   inh_exit_signal},
	{"host_tgid",			INH_KEEP,   INH_ARGS,  INH_KEEP,   inh_host_tgid},
	/* a new process is in no group-stop and has nothing to report to wait (Linux's new signal_struct) */
	{"children, zombie, wstatus, ru, child_ru, infos, reaper, subreaper, stopped, stop_report, cont_report",
					INH_KEEP,   INH_NEW,   INH_KEEP,   NULL},
	/* exec_commit's new_books: a new mm before it loads the program */
	{"mm (memory books)",		INH_KEEP,   INH_FLAG,  INH_LOADER, inh_mm},
	{"fdt (CLONE_FILES)",		INH_KEEP,   INH_FLAG,  INH_RESET,  inh_fdt},
	/* CLONE_FS and CLONE_SIGHAND between processes share nothing: not yet */
	{"fs (cwd, root, umask)",	INH_KEEP,   INH_COPY,  INH_KEEP,   inh_fs},
	{"sig (signal actions)",	INH_KEEP,   INH_COPY,  INH_RESET,  inh_sig},
	{"cred, rlim",			INH_KEEP,   INH_COPY,  INH_KEEP,   inh_cred},
	{"exe",				INH_KEEP,   INH_COPY,  INH_IMAGE,  inh_exe},
	{"comm (the process's name)",	INH_KEEP,   INH_COPY,  INH_IMAGE,  inh_comm},
	{"undumpable, thp_off, host_timers, no_new_privs", INH_KEEP, INH_COPY, INH_KEEP, inh_prctl},
	/* exec_commit installs the ids and sets exec_prepare worked out (exec_creds.c) */
	{"capabilities, ids (with cred)", INH_KEEP, INH_KEEP, INH_LOADER, NULL},
	{"execed",			INH_KEEP,   INH_NEW,   INH_RESET,  inh_execed},
	/* exec: a thread that is not the leader takes the leader's tid (trap_life.c exec_thread) */
	{"the task; tid, hpid",		INH_NEW,    INH_NEW,   INH_KEEP,   inh_task},
	{"nr_threads",			INH_SHARE,  INH_NEW,   INH_KEEP,   inh_nr_threads},
	{"state (TASK_BORN)",		INH_NEW,    INH_NEW,   INH_KEEP,   inh_born},
	{"comm (a thread's own name)",	INH_COPY,   INH_NEW,   INH_KEEP,   inh_task_comm},
	{"nice, policy, rt_priority",	INH_COPY,   INH_COPY,  INH_KEEP,   inh_sched},
	{"timer_slack, default_slack",	INH_COPY,   INH_COPY,  INH_KEEP,   inh_slack},
	{"saved (the clone's registers)", INH_COPY, INH_COPY,  INH_KEEP,   inh_saved},
	{"set_child_tid, clear_child_tid", INH_ARGS, INH_ARGS, INH_KEEP,   inh_tid_words},
	/* exec_commit closes it before it loads: /proc/PID/mem follows the old address space */
	{"memfd",			INH_NEW,    INH_NEW,   INH_LOADER, NULL},
	{"pdeath_sig, infos, and the rest of struct task",
					INH_NEW,    INH_NEW,   INH_KEEP,   NULL},
	{"parent, ppid, sibling, k->procs", INH_KEEP, INH_ARGS, INH_KEEP,  inh_link},
	{"ctty (a reference)",		INH_KEEP,   INH_COPY,  INH_KEEP,   inh_ctty},
};
/* clang-format on */

/*
 * Apply the table's column for event ev: each row's fn with its entry, but
 * for what stays (INH_KEEP) and what exec_commit makes (INH_LOADER).
 * Stops at the first failure (-ENOMEM); the caller undoes.
 */
static int inherit(struct inherit_ctx *x, enum inherit_event ev)
{
	for (size_t i = 0; i < ARRAY_SIZE(inherit_rows); i++) {
		const struct inherit_row *row = &inherit_rows[i];
		enum inherit how = ev == INH_THREAD ? row->thread : ev == INH_PROCESS ? row->process
											: row->exec;
		if (!row->fn || how == INH_KEEP || how == INH_LOADER)
			continue;
		int r = row->fn(x, how);
		if (r < 0)
			return r;
	}
	return 0;
}

struct task *task_fork(struct task *parent, unsigned long flags, int exit_signal, pid_t hpid)
{
	struct inherit_ctx x = {
		.k = parent->k, .p = parent, .flags = flags, .exit_signal = exit_signal, .hpid = hpid,
	};
	bool thread = flags & CLONE_THREAD;
	if (inherit(&x, thread ? INH_THREAD : INH_PROCESS) == 0)
		return x.c;
	UOS_BUG_ON(x.c); /* nothing after the task's row fails */
	if (!thread && x.tg) {
		mm_free(x.tg->mm);
		fdt_put(x.tg->fdt);
		tg_free(x.tg);
	}
	return NULL;
}

void task_exec_inherit(struct task *t, const char *exe, const char *name)
{
	struct inherit_ctx x = {
		.k = t->k, .p = t, .c = t, .tg = t->tg, .hpid = t->hpid, .exe = exe, .name = name,
	};
	inherit(&x, INH_EXEC); /* nothing of exec's column fails */
}

static void task_unlink(struct task *t)
{
	struct task **pp = &t->k->tasks;
	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	t->k->nr_tasks--;
	sched_unpark(t); /* off every wait queue before it is freed */
	if (t->memfd >= 0)
		close(t->memfd);
	exec_plan_free(t->plan);
	free(t->trace_args);
	sig_infos_free(&t->infos);
	free(t);
}

/* Where tg's orphans go (find_new_reaper()): the nearest live subreaper above it, else PID 1. */
static struct tgroup *new_reaper(struct kernel *k, struct tgroup *tg)
{
	for (struct tgroup *a = tg->parent; a; a = a->parent)
		if (a->subreaper && !a->zombie)
			return a;
	struct tgroup *init = tg_by_pid(k, 1);
	return init == tg ? NULL : init;
}

/* A child of the dying tg asked for a signal at its parent's death (PR_SET_PDEATHSIG). */
static void send_pdeath(struct kernel *k, struct tgroup *tg, struct tgroup *c)
{
	for (struct task *t = k->tasks; t; t = t->next) {
		if (t->tg != c || !t->pdeath_sig)
			continue;
		siginfo_t si = {.si_signo = t->pdeath_sig, .si_code = SI_USER};
		si.si_pid = tg->pid;
		si.si_uid = tg->cred.uid;
		sig_send_info(t, &si);
	}
}

void task_child_info(const struct tgroup *c, int status, siginfo_t *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = SIGCHLD;
	si->si_pid = c->pid;
	si->si_uid = c->cred.uid;
	if (WIFEXITED(status)) {
		si->si_code = CLD_EXITED;
		si->si_status = WEXITSTATUS(status);
	} else if (WIFSTOPPED(status)) {
		si->si_code = CLD_STOPPED;
		si->si_status = WSTOPSIG(status);
	} else if (WIFCONTINUED(status)) {
		si->si_code = CLD_CONTINUED;
		si->si_status = SIGCONT;
	} else {
		si->si_code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
		si->si_status = WTERMSIG(status);
	}
}

/* Tell tg's parent with its exit signal (SIGCHLD) about wait status st. */
static void notify_parent(struct kernel *k, struct tgroup *tg, int sig, int st)
{
	siginfo_t si;
	task_child_info(tg, st, &si);
	si.si_signo = sig;
	struct rusage total = tg->ru;
	rusage_add(&total, &tg->child_ru);
	long hz = sysconf(_SC_CLK_TCK);
	si.si_utime = total.ru_utime.tv_sec * hz + total.ru_utime.tv_usec / (1000000 / hz);
	si.si_stime = total.ru_stime.tv_sec * hz + total.ru_stime.tv_usec / (1000000 / hz);
	sig_send_process_info(k, tg->parent, &si);
}

/* SIGCHLD ignored or SA_NOCLDWAIT: the child is reaped at once (wait(2)). */
static bool parent_autoreaps(const struct tgroup *p)
{
	const struct k_sigaction_books *a = &p->sig.action[SIGCHLD - 1];
	return p->reaper || a->handler == (unsigned long)SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* The zombie tg's parent learns of its death (do_notify_parent()): signal, wake, or reap at once. */
static void tell_parent(struct kernel *k, struct tgroup *tg)
{
	struct tgroup *p = tg->parent;
	/* PID 1 ignores it with the default action, as every signal (sig_task_ignored) */
	if (tg->exit_signal && !sig_init_ignores(k, p, tg->exit_signal))
		notify_parent(k, tg, tg->exit_signal, tg->wstatus);
	sched_wake(k, p);
	if (parent_autoreaps(p))
		tg_reap(k, tg);
}

/*
 * Would process group pgid have no member whose parent is outside the group
 * but in its session (will_become_orphaned_pgrp()), not counting `ignored`?
 * A parent that is PID 1 is no such link, as for Linux's global init.
 */
static bool pgrp_orphaned(struct kernel *k, int pgid, const struct tgroup *ignored)
{
	for (struct tgroup *m = k->procs; m; m = m->next) {
		const struct tgroup *p = m->parent;
		if (m->pgid != pgid || m == ignored || m->zombie || !p || p->pid == 1)
			continue;
		if (p->pgid != pgid && p->sid == m->sid)
			return false;
	}
	return true;
}

bool tg_pgrp_orphaned(struct kernel *k, int pgid)
{
	return pgrp_orphaned(k, pgid, NULL);
}

bool tg_group_in_session(struct kernel *k, int pgid, int sid)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (!tg->zombie && tg->pgid == pgid && tg->sid == sid)
			return true;
	return false;
}

/*
 * kill_orphaned_pgrp(): when tg's exit (father NULL) or its reparenting away
 * from father leaves its process group orphaned with stopped members, the
 * group gets SIGHUP then SIGCONT, so that stopped jobs do not hang forever.
 */
static void hup_orphaned_pgrp(struct kernel *k, struct tgroup *tg, struct tgroup *father)
{
	struct tgroup *p = father ? father : tg->parent;
	bool stopped = false;
	if (!p || p->pgid == tg->pgid || p->sid != tg->sid ||
	    !pgrp_orphaned(k, tg->pgid, father ? NULL : tg))
		return;
	for (struct tgroup *m = k->procs; m; m = m->next)
		stopped |= m->pgid == tg->pgid && m->stopped && !m->zombie;
	if (!stopped)
		return;
	for (int sig = SIGHUP; sig; sig = sig == SIGHUP ? SIGCONT : 0)
		for (struct tgroup *m = k->procs; m; m = m->next)
			if (m->pgid == tg->pgid && !m->zombie)
				sig_send_process(k, m, sig);
}

/*
 * Give tg's children to their new reaper (reparent_leader()): their exit
 * signal becomes SIGCHLD ("we don't want people slaying init"), zombies
 * are reported to the new parent, parent-death signals go out, and process
 * groups left orphaned with stopped jobs are hung up.
 */
static void reparent_children(struct kernel *k, struct tgroup *tg)
{
	struct tgroup *r = new_reaper(k, tg);
	while (tg->children) {
		struct tgroup *c = tg->children;
		tg->children = c->sibling;
		send_pdeath(k, tg, c);
		c->parent = r;
		c->ppid = r ? r->pid : 0;
		if (!r)
			continue;
		c->sibling = r->children;
		r->children = c;
		c->exit_signal = SIGCHLD;
		if (c->zombie)
			tell_parent(k, c);
		else
			hup_orphaned_pgrp(k, c, tg);
	}
}

/* The process tg died with wait status st: zombie, tell the parent. */
static void tg_die(struct kernel *k, struct tgroup *tg, int st)
{
	tg->zombie = true;
	k->nr_zombies++;
	sched_wake(k, tg); /* its pidfds (vfs/pidfd.c) are readable now */
	tg->wstatus = st;
	mm_free(tg->mm);
	tg->mm = NULL;
	fdt_put(tg->fdt); /* closes files now: pipes see EOF before the parent reaps */
	tg->fdt = NULL;
	ctty_exit(k, tg);
	reparent_children(k, tg);
	if (tg == k->main) {
		k->exited = true;
		k->exit_status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		return;
	}
	hup_orphaned_pgrp(k, tg, NULL);
	if (tg->parent)
		tell_parent(k, tg);
	else
		tg_reap(k, tg);
}

void task_notify_jobctl(struct kernel *k, struct tgroup *tg)
{
	struct tgroup *p = tg->parent;
	if (!p)
		return;
	int st = tg->stopped ? (tg->stop_report << 8) | 0x7f : 0xffff;
	if (!p->reaper && !(p->sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		notify_parent(k, tg, SIGCHLD, st);
	sched_wake(k, p);
}

void task_stopped(struct task *t, int sig)
{
	struct tgroup *tg = t->tg;
	for (struct task *o = t->k->tasks; o; o = o->next)
		if (o->tg == tg && o->state != TASK_JOBSTOP)
			return; /* the process stops when its last thread does */
	if (tg->stopped)
		return;
	tg->stopped = true;
	tg->stop_report = sig;
	tg->cont_report = false;
	task_notify_jobctl(t->k, tg);
}

void task_forget(struct task *t)
{
	t->tg->nr_threads--;
	sched_unpark(t);
	task_unlink(t);
}

void rusage_add(struct rusage *acc, const struct rusage *ru)
{
	timeradd(&acc->ru_utime, &ru->ru_utime, &acc->ru_utime);
	timeradd(&acc->ru_stime, &ru->ru_stime, &acc->ru_stime);
	if (ru->ru_maxrss > acc->ru_maxrss)
		acc->ru_maxrss = ru->ru_maxrss;
	acc->ru_minflt += ru->ru_minflt;
	acc->ru_majflt += ru->ru_majflt;
	acc->ru_inblock += ru->ru_inblock;
	acc->ru_oublock += ru->ru_oublock;
	acc->ru_nvcsw += ru->ru_nvcsw;
	acc->ru_nivcsw += ru->ru_nivcsw;
}

void tg_account_child(struct tgroup *parent, const struct tgroup *c)
{
	rusage_add(&parent->child_ru, &c->ru);
	rusage_add(&parent->child_ru, &c->child_ru);
}

static long long cpu_us(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000LL + ru->ru_utime.tv_usec +
	       ru->ru_stime.tv_usec;
}

void task_exit(struct task *t, int st, const struct rusage *ru)
{
	struct tgroup *tg = t->tg;
	struct kernel *k = t->k;
	/* The host reports a dead thread's whole process's usage so far: keep the largest. */
	if (ru && cpu_us(ru) >= cpu_us(&tg->ru))
		tg->ru = *ru;
	/*
	 * CLONE_CHILD_CLEARTID: the host cleared the word; waiters parked in
	 * uos wake too (a shared wake, as the kernel's own).
	 */
	if (t->clear_child_tid && k->sched.serial && tg->nr_threads > 1)
		futex_wake(t, t->clear_child_tid, false, 1);
	sched_unpark(t);
	task_unlink(t);
	sched_wake(k, tg); /* its thread pidfds (vfs/pidfd.c) are readable now */
	if (--tg->nr_threads == 0)
		tg_die(k, tg, st);
}

void tg_reap(struct kernel *k, struct tgroup *tg)
{
	struct tgroup **pp;
	if (tg->zombie)
		k->nr_zombies--;
	if (tg->parent) {
		for (pp = &tg->parent->children; *pp != tg; pp = &(*pp)->sibling)
			;
		*pp = tg->sibling;
	}
	for (pp = &k->procs; *pp != tg; pp = &(*pp)->next)
		;
	*pp = tg->next;
	tg_free(tg);
}

void task_free_all(struct kernel *k)
{
	while (k->tasks) {
		struct tgroup *tg = k->tasks->tg;
		task_unlink(k->tasks);
		if (--tg->nr_threads == 0) {
			mm_free(tg->mm);
			fdt_put(tg->fdt);
			tg->mm = NULL;
			tg->fdt = NULL;
		}
	}
	while (k->procs) {
		struct tgroup *tg = k->procs;
		k->procs = tg->next;
		tg_free(tg);
	}
}

struct tgroup *tg_by_pid(struct kernel *k, int pid)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		if (tg->pid == pid)
			return tg;
	return NULL;
}

struct tgroup *tg_by_tid(struct task *t, int tid)
{
	if (tid == 0)
		return t->tg;
	struct task *p = tid > 0 ? task_by_tid(t->k, tid) : NULL;
	return p ? p->tg : NULL;
}

struct task *tg_task(struct tgroup *tg, struct kernel *k)
{
	struct task *any = NULL;
	for (struct task *t = k->tasks; t; t = t->next) {
		if (t->tg != tg)
			continue;
		if (t->tid == tg->pid)
			return t;
		any = t;
	}
	return any;
}

struct task *task_by_hpid(struct kernel *k, pid_t hpid)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->hpid == hpid)
			return t;
	return NULL;
}

char *task_comm(struct task *t)
{
	return t->tid == t->tg->pid ? t->tg->comm : t->comm;
}

struct task *task_by_tid(struct kernel *k, int tid)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}
