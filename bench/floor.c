/*
 * bench/floor: the floor of any ptrace design on this machine.
 *
 *   floor PROGRAM [ARGS...]
 *
 * Runs PROGRAM as a tracee whose every system call stops in this tracer
 * (a seccomp filter of one instruction, SECCOMP_RET_TRACE), follows its
 * forks, vforks, clones and execs, and at each seccomp stop reads the
 * registers (PTRACE_GETREGS) and lets the call run: nothing is emulated.
 * A tracer that answers calls can only be slower than this, so bench/run
 * shows uos's time over the floor's.
 *
 * No call is exempt from the filter: the tracer seizes the child before the
 * child installs it, so even its execve stops here and is let through.
 *
 * Stops, with PTRACE_SEIZE (ptrace(2) "Stopped states"):
 *  - a seccomp stop: read the registers, continue;
 *  - PTRACE_EVENT_STOP with a stopping signal: a group-stop, kept with
 *    PTRACE_LISTEN (the tracee stays stopped until SIGCONT, as untraced);
 *  - PTRACE_EVENT_STOP otherwise (a new child's first stop): continue;
 *  - the other events (fork, vfork, clone, exec): continue;
 *  - no event: a signal-delivery stop; continue and deliver the signal.
 * The floor exits when PROGRAM's first process does, with its exit status
 * (128 + the signal that killed it); PTRACE_O_EXITKILL kills what is left,
 * as uos ends the sandbox when its program ends.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define OPTS                                                                                       \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK |     \
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE)

/* The child: wait until seized (a byte on go), trap every call, exec. */
static _Noreturn void child(int go, char **argv)
{
	struct sock_filter all = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	struct sock_fprog prog = {.len = 1, .filter = &all};
	char c;

	if (read(go, &c, 1) != 1 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		_exit(126);
	execvp(argv[0], argv);
	dprintf(2, "floor: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Serve one stop of pid (wait status st). */
static void serve(pid_t pid, int st)
{
	struct user_regs_struct regs;
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;

	if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
		ptrace(PTRACE_GETREGS, pid, 0, &regs);
		ptrace(PTRACE_CONT, pid, 0, 0);
	} else if (event == PTRACE_EVENT_STOP && is_stop_signal(sig)) {
		ptrace(PTRACE_LISTEN, pid, 0, 0);
	} else if (event) {
		ptrace(PTRACE_CONT, pid, 0, 0);
	} else {
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
}

int main(int argc, char **argv)
{
	int go[2], st;
	pid_t main_pid, pid;

	if (argc < 2) {
		fprintf(stderr, "usage: floor PROGRAM [ARGS...]\n");
		return 2;
	}
	if (pipe(go) < 0 || (main_pid = fork()) < 0) {
		perror("floor");
		return 126;
	}
	if (main_pid == 0) {
		close(go[1]);
		child(go[0], argv + 1);
	}
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, main_pid, 0, OPTS) < 0 || write(go[1], "", 1) != 1) {
		perror("floor: PTRACE_SEIZE");
		return 126;
	}
	close(go[1]);
	while ((pid = waitpid(-1, &st, __WALL)) > 0) {
		if (WIFSTOPPED(st))
			serve(pid, st);
		else if (pid == main_pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	perror("floor: waitpid");
	return 126;
}
