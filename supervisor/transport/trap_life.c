/*
 * A task's life as the host reports it: the first stop of a new task, the
 * end of its parent's clone (or its vfork event), exec events, the exit
 * event and the death, and the end of every task (trap_kill_all).
 *
 * A host child may stop, or die, before its parent's clone ends, when uos
 * does not know it yet: its first stop (or death) waits in k->early until
 * that end makes its task (early_birth), and one whose parent's clone never
 * ends is killed (reap_orphans).  Serial mode holds a vfork parent until its
 * child execs or dies.
 */

#include "trap_impl.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "gmem.h"
#include "guest.h"
#include "mm.h"
#include "robust.h"
#include "scheduler.h"
#include "sigsend.h"
#include "stub.h"
#include "syscall.h"

#define REAP_NS 1000000000LL /* how long uos waits for killed tasks to go, at most */

/* Is some task in a clone whose end is still to come? */
static bool fork_outstanding(const struct kernel *k)
{
	for (const struct task *t = k->tasks; t; t = t->next)
		if (t->clone.forking)
			return true;
	return false;
}

/*
 * Host tasks whose parent's clone will never end: their parent was killed
 * between the host's clone and its end (a sibling's exec or exit_group).
 * uos cannot count or serve them, so once no task waits for a clone's end,
 * every first stop still unclaimed is such an orphan, and is killed.
 */
static void reap_orphans(struct kernel *k)
{
	if (fork_outstanding(k))
		return;
	for (int i = 0; i < k->nearly; i++)
		if (WIFSTOPPED(k->early[i].status)) /* a death is reaped already: its pid may be reused */
			kill(k->early[i].hpid, SIGKILL);
	k->nearly = 0;
}

/*
 * Whether t must stop at its exit: robust futexes another thread or process
 * may wait on (robust.c), that is a process of more threads or with memory
 * another process may share; and serial mode's order of deaths.  A lone
 * thread with only private memory takes its robust mutexes with it, and its
 * death does what else its exit event would (trap_task_gone): one stop less
 * per process.  A clone's parent and child both stop before they run guest
 * code again (its syscall-exit stop, the child's first), where they are
 * fitted with the new thread or sharer counted.
 */
static bool exit_event_needed(const struct task *t)
{
	const struct mm *mm = t->tg->mm;
	return t->k->sched.serial || t->tg->nr_threads > 1 || !mm || mm->shared || mm->users > 1;
}

void trap_fit_exit_event(struct task *t)
{
	bool need = exit_event_needed(t);
	if (need != t->exit_event &&
	    !ptrace(PTRACE_SETOPTIONS, t->hpid, 0, TRAP_PTRACE_OPTS | (need ? PTRACE_O_TRACEEXIT : 0)))
		t->exit_event = need; /* a clone's child inherits it with the options */
}

/* t will never end its clone: the children no clone's end claims are orphans. */
static void fork_abandoned(struct task *t)
{
	t->clone.forking = false;
	reap_orphans(t->k);
}

/* The task reached its exit event: it runs no guest code again. */
void trap_at_exit_event(struct task *t)
{
	fork_abandoned(t);
	sched_unpark(t); /* killed while parked: its call is never served */
	task_set_state(t, TASK_EXITING);
	sched_wake(t->k, t->tg); /* its thread pidfds are readable now */
	robust_exit(t);
}

/*
 * Serial mode's vfork.  Linux's vfork parent sleeps (wait_for_vfork_done)
 * until its child releases the memory they share, by exec or by exit: it
 * is not runnable, so it must not hold the one CPU that its child waits
 * for.  The parent stays at its fork event stop, neither running nor
 * ready; the child's exec or death makes it ready, and its clone then
 * returns at once (the host's completion is done by then).
 */
static void vfork_hold(struct task *parent, struct task *c)
{
	c->vfork_parent = parent;
	task_set_state(parent, TASK_VFORK_HELD);
}

/*
 * c released its vfork parent (exec, exit): the parent may run again,
 * unless it was killed meanwhile (EXITING: resumed at its exit event).
 */
static void vfork_release(struct task *c)
{
	struct task *p = c->vfork_parent;
	if (!p)
		return;
	c->vfork_parent = NULL;
	if (p->state != TASK_VFORK_HELD)
		return;
	task_set_state(p, TASK_ACTIVE);
	trap_resume(p, PTRACE_SYSCALL);
}

/* t is gone: its vfork parent is released, and a child it held (exiting or not) forgets it. */
static void vfork_forget(struct task *t)
{
	vfork_release(t);
	for (struct task *o = t->k->tasks; o; o = o->next)
		if (o->vfork_parent == t)
			o->vfork_parent = NULL;
}

/* The host task t is gone with wait status st. */
void trap_task_gone(struct task *t, int st, const struct rusage *ru)
{
	if (t->clone.forking)
		fork_abandoned(t); /* no exit event came */
	vfork_forget(t);
	task_exit(t, st, ru);
}

static void on_exec(struct task *t)
{
	if (t->exec != TASK_EXEC_RUNNING || !t->plan) {
		trap_violation(t, "a host exec uos did not start");
		trap_let_die(t);
		return;
	}
	t->injected = false; /* the registers saved before the exec belong to a gone image */
	vfork_release(t); /* the exec gave it a memory of its own */
	guest_file_exec(t);
	int r = exec_commit(t); /* its loader's calls end at the chain's placeholder (guest_batch_run) */
	t->exec = TASK_EXEC_NONE;
	if (t->stop == TASK_DEAD) {
		trap_task_gone(t, t->wstatus, NULL);
		return;
	}
	if (t->stop == TASK_RUNNING)
		return;
	if (r < 0) {
		uos_warn("[%d] exec failed after the point of no return: %s", t->tid, strerror(-r));
		kill(t->hpid, SIGKILL);
	}
	t->injected = false;
	if (t->cur.nr == SYS_execve || t->cur.nr == SYS_execveat)
		sys_finish(t, 0);
	trap_resume(t, PTRACE_CONT);
}

/*
 * The new task's first stop, or its death, may have come before its
 * parent's clone ended (stashed by trap_stop): serve it now.  Otherwise the
 * loop serves it when it comes; uos never waits for one task.  Serial mode dispatches nothing
 * while a birth is outstanding (sched_dispatch), so the order of events is
 * still the same from run to run.
 */
static void early_birth(struct kernel *k, struct task *c)
{
	for (int i = 0; i < k->nearly; i++) {
		if (k->early[i].hpid != c->hpid)
			continue;
		int st = k->early[i].status;
		k->early[i] = k->early[--k->nearly];
		trap_stop(k, c->hpid, st, NULL);
		return;
	}
}

/*
 * The message of t's event stop (ptrace(2)'s PTRACE_GETEVENTMSG), true only
 * while t is still at that stop: a SIGKILL ends the stop, and the task's
 * exit event then gives the message its exit code (a fork event's "child
 * pid" read then was 9).
 */
static bool event_msg(struct task *t, int event, unsigned long *msg)
{
	siginfo_t si;
	return ptrace(PTRACE_GETEVENTMSG, t->hpid, 0, msg) == 0 &&
	       ptrace(PTRACE_GETSIGINFO, t->hpid, 0, &si) == 0 && si.si_code == (SIGTRAP | event << 8);
}

/*
 * The task of t's new child, host pid hpid (NULL: none, and the child is
 * killed).  PARENT_SETTID is written now, while the child cannot run yet
 * (its first stop waits in k->early, or is still to come): once it runs it
 * may exit and clear that word (CLONE_CHILD_CLEARTID), which pthread_join
 * waits for.
 */
static struct task *child_made(struct task *t, pid_t hpid)
{
	struct task *c = task_fork(t, t->clone.flags, t->clone.exit_signal, hpid);
	if (!c) {
		uos_warn("[%d] out of memory creating a task; killing it", t->tid);
		kill(hpid, SIGKILL);
		t->clone.child = -ENOMEM;
		return NULL;
	}
	t->clone.child = c->tid;
	c->exit_event = t->exit_event;
	if (t->clone.flags & CLONE_PARENT_SETTID)
		gmem_write(t, t->clone.ptid, &c->tid, sizeof(c->tid));
	return c;
}

/* A vfork event of the parent t: the child exists on the host. */
static void on_vfork(struct task *t)
{
	unsigned long msg = 0;
	t->clone.forking = false;
	if (!event_msg(t, PTRACE_EVENT_VFORK, &msg) || (pid_t)msg <= 0) {
		t->stop = TASK_RUNNING; /* killed at this stop: its end comes, its child is an orphan */
		reap_orphans(t->k);
		return;
	}
	struct task *c = child_made(t, (pid_t)msg);
	if (c && t->k->sched.serial)
		vfork_hold(t, c);
	else
		trap_resume(t, PTRACE_SYSCALL);
	if (c)
		early_birth(t->k, c);
}

void trap_fork_ended(struct task *t, long r)
{
	if (!t->clone.forking)
		return; /* a vfork, whose event made the child */
	t->clone.forking = false;
	struct task *c = r > 0 ? child_made(t, (pid_t)r) : NULL;
	if (c)
		early_birth(t->k, c);
	else
		reap_orphans(t->k);
}

/* The first stop of a new task: its tid where CLONE_CHILD_SETTID asked, then run. */
void trap_on_birth(struct task *t, int st)
{
	task_set_state(t, TASK_ACTIVE);
	inject_restore_args(t, &t->saved);
	if (t->set_child_tid)
		gmem_write(t, t->set_child_tid, &t->tid, sizeof(t->tid));
	if (t->stop == TASK_STOP_SIGNAL && WSTOPSIG(st) != SIGSTOP)
		t->pending_sig = WSTOPSIG(st);
	sig_born(t);
	trap_resume(t, PTRACE_CONT);
}

/*
 * The task whose exec stop this is.  When a thread other than the leader
 * execs, the host gives it the leader's tid and reports no death for the
 * leader; the event message names the thread's former tid (ptrace(2)).
 */
static struct task *exec_thread(struct task *leader)
{
	unsigned long old = 0;
	struct task *t = NULL;
	if (event_msg(leader, PTRACE_EVENT_EXEC, &old))
		t = task_by_hpid(leader->k, (pid_t)old);
	else /* killed since: the thread of the process that was in its exec */
		for (struct task *o = leader->k->tasks; o && !t; o = o->next)
			if (o->tg == leader->tg && o->exec != TASK_EXEC_NONE)
				t = o;
	if (!t || t == leader)
		return leader;
	t->hpid = leader->hpid;
	t->tid = t->tg->pid;
	task_caller_init(t);
	t->stop = leader->stop;
	t->regs = leader->regs;
	sched_stopped(t);
	vfork_forget(leader);
	task_forget(leader);
	return t;
}

/*
 * Another thread of t's process is in the host's execve, which waits
 * (de_thread) until every other thread is gone: t, killed by it, must
 * die without waiting for the CPU.
 */
static bool exec_in_progress(const struct task *t)
{
	for (const struct task *o = t->k->tasks; o; o = o->next)
		if (o->tg == t->tg && o != t && o->exec != TASK_EXEC_NONE)
			return true;
	return false;
}

void trap_on_event(struct task *t, int st)
{
	switch ((unsigned)st >> 16) {
	case PTRACE_EVENT_EXEC:
		on_exec(exec_thread(t));
		break;
	case PTRACE_EVENT_VFORK:
		on_vfork(t);
		break;
	case PTRACE_EVENT_EXIT:
		trap_at_exit_event(t);
		/*
		 * In serial mode a dying task holds the CPU until the host
		 * reports its death (so its CLONE_CHILD_CLEARTID wake comes at
		 * the same point every run), but for a leader with threads
		 * left (the host reports it only after them) and for a thread
		 * that another thread's execve kills (the execve waits for it):
		 * holding the CPU would deadlock.  It runs no guest code again.
		 */
		if (t->k->sched.serial && ((t->tid == t->tg->pid && t->tg->nr_threads > 1) ||
					   exec_in_progress(t))) {
			trap_put_regs(t);
			t->pending_sig = 0;
			ptrace(PTRACE_CONT, t->hpid, 0, 0);
			t->stop = TASK_RUNNING;
		} else {
			trap_resume(t, PTRACE_CONT);
		}
		break;
	default:
		trap_resume(t, PTRACE_CONT);
	}
}

/*
 * A stop or death of a host task uos does not know: a child whose parent's
 * clone's end is still to come (kept for early_birth), or an orphan (killed),
 * or the exit event or death of a killed orphan (let go).  A child killed
 * before its parent's clone's end was served dies unknown: its death is kept
 * in place of its first stop, or the task made at the clone's end would wait
 * for ever for a death already reaped.
 */
void trap_unknown_stop(struct kernel *k, pid_t pid, int st)
{
	if (!WIFSTOPPED(st)) {
		for (int i = 0; i < k->nearly; i++)
			if (k->early[i].hpid == pid) {
				k->early[i].status = st;
				return;
			}
		if (fork_outstanding(k) && k->nearly < (int)ARRAY_SIZE(k->early))
			k->early[k->nearly++] = (struct early_stop){pid, st};
		return; /* else an orphan's death: reaped */
	}
	if ((unsigned)st >> 16 == PTRACE_EVENT_EXIT || k->nearly == (int)ARRAY_SIZE(k->early)) {
		kill(pid, SIGKILL);
		ptrace(PTRACE_CONT, pid, 0, 0);
		return;
	}
	k->early[k->nearly++] = (struct early_stop){pid, st};
	reap_orphans(k);
}

void trap_drain_sigchld(struct kernel *k)
{
	struct signalfd_siginfo si[16];

	while (k->sigfd >= 0 && read(k->sigfd, si, sizeof(si)) > 0)
		;
}

/*
 * Reap every host child after the SIGKILLs, resuming any that stops on its
 * way out (an exit event).  A task the host cannot kill at once (in an
 * uninterruptible sleep) is left after REAP_NS; PTRACE_O_EXITKILL and the
 * host's init see to it when uos is gone.
 */
static void reap_all(struct kernel *k)
{
	long long end = sched_now_ns() + REAP_NS;
	int st;
	for (;;) {
		pid_t pid = waitpid(-1, &st, __WALL | WNOHANG);
		if (pid > 0 && WIFSTOPPED(st))
			ptrace(PTRACE_CONT, pid, 0, SIGKILL);
		if (pid > 0 || (pid < 0 && errno == EINTR))
			continue;
		if (pid < 0 || sched_now_ns() >= end)
			return; /* ECHILD: all gone */
		struct pollfd p = {.fd = k->sigfd, .events = POLLIN};
		poll(&p, 1, 10);
		trap_drain_sigchld(k);
	}
}

void trap_kill_all(struct kernel *k)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->hpid > 0) /* 0 would be uos's own process group */
			kill(t->hpid, SIGKILL);
	reap_all(k);
	task_free_all(k);
}
