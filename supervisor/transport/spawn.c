/*
 * Spawning the first guest (trap_spawn): a host child that asks to be
 * traced, takes uos's containment, keeps the channel and the stub at their
 * fds (guest.h), installs the seccomp filter and execs the stub; uos takes
 * the filter's listener from it at that execveat's stop (notify.c).  Every
 * later guest task descends from it and is met at its parent's fork event
 * (trap_life.c).
 *
 * The child shares uos's memory until its exec (CLONE_VM, as posix_spawn's
 * child): no page table is copied and neither process takes a
 * copy-on-write fault for every page it writes afterwards, which was a
 * tenth of uos's start-up.  So uos runs nothing else meanwhile: it waits
 * for the child's stops one by one, from its first SIGSTOP to its exec
 * event, and only then goes on (and hands the exec event to the loop's
 * handler).  The child makes raw system calls only (child()).
 */

#include "trap_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "contain.h"
#include "guest.h"
#include "seccomp.h"
#include "stub.h"

/* The child's stack, in uos's memory (used once; room for a sanitizer build's frames). */
static char child_stack[256 * 1024] __attribute__((aligned(16)));

struct spawn_args {
	struct kernel *k;
	size_t pad;
	int listener; /* the child's fd of the filter's listener, or -1 (the child sets it) */
};

/* The kernel's struct sigaction (rt_sigaction). */
struct k_sigaction {
	unsigned long handler, flags, restorer, mask;
};

/*
 * The child, in uos's memory until its exec: raw system calls only
 * (uos_raw_syscall), which neither touch uos's errno nor count as uos's
 * host calls, and nothing that allocates (but the line saying why it
 * gives up, on its way out).
 */
static int child(void *p)
{
	struct spawn_args *a = p;
	const struct kernel *k = a->k;
	unsigned long args[6];
	const char *what;
	if (UOS_RAW(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0, 0) < 0 ||
	    UOS_RAW(SYS_kill, UOS_RAW(SYS_getpid, 0, 0, 0, 0, 0), SIGSTOP, 0, 0, 0) < 0)
		_exit(126);
	/* A host process group of its own: terminal signals reach uos, which decides. */
	UOS_RAW(SYS_setpgid, 0, 0, 0, 0, 0);
	/* The actions and mask uos was started with (sig_note_start), not those it set since. */
	for (int sig = 1; sig <= 64; sig++) {
		bool ign = k->start_ignored & (1ULL << (sig - 1));
		const struct k_sigaction act = {(unsigned long)(ign ? SIG_IGN : SIG_DFL), 0, 0, 0};
		UOS_RAW(SYS_rt_sigaction, sig, &act, NULL, sizeof(act.mask), 0);
	}
	UOS_RAW(SYS_rt_sigprocmask, SIG_SETMASK, &k->start_blocked, NULL, sizeof(k->start_blocked), 0);
	/* Before the filter, which would trap its calls; after TRACEME, so uos stays the tracer. */
	int r = contain_enter(&k->contain, &what);
	if (r < 0) {
		dprintf(2, "uos: cannot contain the guest: %s: %s\n", what, strerror(-r));
		_exit(126);
	}
	/* The host fds every guest keeps: the channel and the stub (guest.h). */
	long stub = UOS_RAW(SYS_fcntl, k->stub_fd, F_DUPFD, 3, 0, 0);
	long chan = UOS_RAW(SYS_fcntl, k->chan_guest, F_DUPFD, 3, 0, 0);
	if (stub < 0 || chan < 0 || UOS_RAW(SYS_dup2, chan, GUEST_CHAN_FD, 0, 0, 0) < 0 ||
	    UOS_RAW(SYS_dup2, stub, GUEST_STUB_FD, 0, 0, 0) < 0)
		_exit(126);
	UOS_RAW(SYS_close_range, GUEST_STUB_FD + 1, ~0U, 0, 0, 0);
	if (seccomp_install(k, &a->listener) < 0) /* uos's memory: the parent reads it */
		_exit(126);
	stub_exec_args(GUEST_STUB_FD, a->pad, args);
	UOS_RAW(SYS_execveat, args[0], args[1], args[2], args[3], args[4]);
	_exit(126);
}

/* Wait for pid's next stop: true when it is one of kind. */
static bool stopped(pid_t pid, int *st, enum task_stop kind)
{
	while (waitpid(pid, st, __WALL) < 0) {
		if (errno != EINTR) {
			*st = 0; /* not ours to wait for: gone */
			return false;
		}
	}
	return WIFSTOPPED(*st) && trap_stop_kind(*st) == kind;
}

/*
 * Lead the child from its first stop to its exec event, the stop *st then
 * describes (t at it), taking the filter's listener on the way: 0, or
 * -errno with the child killed.
 */
static int lead(struct task *t, const struct spawn_args *a, int *st)
{
	pid_t pid = t->hpid;
	if (!stopped(pid, st, TASK_STOP_SIGNAL) || WSTOPSIG(*st) != SIGSTOP)
		return -ECHILD;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, TRAP_PTRACE_OPTS | PTRACE_O_TRACEEXIT) < 0)
		return -errno;
	t->exit_event = true;
	ptrace(PTRACE_CONT, pid, 0, 0);
	/* Its execveat, which the filter traps (anything else: contain_enter failed, and said so). */
	if (!stopped(pid, st, TASK_STOP_SECCOMP) || !trap_get_regs(t) ||
	    (long long)t->regs.orig_rax != SYS_execveat)
		return -ECHILD;
	int r = a->listener < 0 ? 0 : notify_take(t->k, pid, a->listener);
	if (r < 0)
		return r; /* the notified calls would wait for no one */
	t->exec = TASK_EXEC_RUNNING;
	ptrace(PTRACE_SYSCALL, pid, 0, 0);
	if (stopped(pid, st, TASK_STOP_EVENT) && (unsigned)*st >> 16 == PTRACE_EVENT_EXEC)
		return 0;
	/* Its exit stop: the host refused the exec. */
	return trap_stop_kind(*st) == TASK_STOP_EXIT && trap_get_regs(t) && (long)t->regs.rax < 0
		       ? (int)t->regs.rax
		       : -ECHILD;
}

int trap_spawn(struct kernel *k, struct task *t, size_t stack_pad)
{
	struct spawn_args a = {k, stack_pad, -1};
	int st;
	/* The stub's data, which the child's execveat's arguments point into. */
	if (mmap((void *)STUB_ADDR, STUB_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE,
		 k->stub_fd, 0) == MAP_FAILED)
		return -errno;
	pid_t pid = clone(child, child_stack + sizeof(child_stack), CLONE_VM | SIGCHLD, &a);
	int r = pid < 0 ? -errno : 0;
	if (pid > 0) {
		t->hpid = pid;
		t->tg->host_tgid = pid;
		r = lead(t, &a, &st);
	}
	if (r < 0 && pid > 0 && WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, __WALL);
	}
	munmap((void *)STUB_ADDR, STUB_SIZE); /* uos's; the child has its own memory now */
	if (r == 0)
		trap_stop(k, pid, st, NULL); /* the exec event: the loader's work */
	return r;
}
