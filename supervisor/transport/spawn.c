/*
 * Spawning the first guest (trap_spawn): a host child that asks to be
 * traced, takes uos's containment, keeps the channel and the stub at their
 * fds (guest.h), installs the seccomp filter and execs the stub.  Every
 * later guest task descends from it and is met at its parent's fork event
 * (trap_life.c).
 */

#include "trap_impl.h"

#include <errno.h>
#include <fcntl.h>
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

#define PTRACE_OPTS                                                                                \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD |   \
	 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXIT)

static _Noreturn void child(struct kernel *k, size_t pad)
{
	unsigned long args[6];
	const char *what;
	sigset_t all;
	sigfillset(&all);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
		_exit(126);
	/* A host process group of its own: terminal signals reach uos, which decides. */
	setpgid(0, 0);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	/* Before the filter, which would trap its calls; after TRACEME, so uos stays the tracer. */
	int r = contain_enter(&k->contain, &what);
	if (r < 0) {
		dprintf(2, "uos: cannot contain the guest: %s: %s\n", what, strerror(-r));
		_exit(126);
	}
	/* The stub's data, which its execveat's arguments point into (the exec replaces it). */
	if (mmap((void *)STUB_ADDR, STUB_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE,
		 k->stub_fd, 0) == MAP_FAILED)
		_exit(126);
	/* The host fds every guest keeps: the channel and the stub (guest.h). */
	int stub = fcntl(k->stub_fd, F_DUPFD, 3), chan = fcntl(k->chan_guest, F_DUPFD, 3);
	if (stub < 0 || chan < 0 || dup2(chan, GUEST_CHAN_FD) < 0 || dup2(stub, GUEST_STUB_FD) < 0)
		_exit(126);
	syscall(SYS_close_range, GUEST_STUB_FD + 1, ~0U, 0);
	if (seccomp_install(k) < 0)
		_exit(126);
	stub_exec_args(GUEST_STUB_FD, pad, args);
	syscall(SYS_execveat, args[0], args[1], args[2], args[3], args[4]);
	_exit(126);
}

int trap_spawn(struct kernel *k, struct task *t, size_t stack_pad)
{
	int st;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(k, stack_pad);
	if (waitpid(pid, &st, __WALL) < 0 || !WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		return -ECHILD;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_OPTS) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		return -err;
	}
	t->hpid = pid;
	t->tg->host_tgid = pid;
	t->exec = TASK_EXEC_SPAWN;
	t->stop = TASK_STOP_SIGNAL;
	trap_resume(t, PTRACE_CONT);
	return 0;
}
