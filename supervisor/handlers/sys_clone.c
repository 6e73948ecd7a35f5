/*
 * fork, vfork, clone, clone3.  The host creates the task (its pages, its
 * registers, its thread-local storage), but uos decides what it is: every
 * new process is made a host child of the supervisor (CLONE_PARENT), so
 * uos reaps every host zombie and the guest's own tree lives in task.c;
 * CLONE_UNTRACED is never passed on and CLONE_PTRACE always is, so no task
 * escapes tracing.  The ids the guest sees (the result, CLONE_PARENT_SETTID,
 * CLONE_CHILD_SETTID) are uos's virtual tids.  CLONE_PIDFD is uos's: the
 * host never sees it, and the parent gets a uos pidfd (sys_pidfd.c) at the
 * call's end.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "fdtable.h"
#include "guest.h"
#include "pidfd.h"
#include "rlimit.h"
#include "handlers.h"

#define CLONE_NAMESPACES                                                                           \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |              \
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)
#define CLONE_REFUSED (CLONE_NAMESPACES | CLONE_IO)
#define CLONE_IGNORED (CLONE_UNTRACED | CLONE_PTRACE | CLONE_DETACHED | CLONE_SYSVSEM)

/*
 * CLONE_PIDFD: a pidfd for the new child (with CLONE_THREAD a thread
 * pidfd, PIDFD_THREAD), written where the guest asked (checked writable
 * before the host ran the call).  Linux reserves the fd before it creates
 * the child; here the child exists already, so a full fd table leaves the
 * word as it was and the clone still succeeds.
 */
static void give_pidfd(struct task *t)
{
	long fd = -ESRCH;
	if (t->clone.flags & CLONE_THREAD) {
		struct task *c = task_by_tid(t->k, t->clone.child);
		fd = c ? pidfd_install(t, c->tg, c, O_EXCL) : -ESRCH; /* O_EXCL: PIDFD_THREAD */
	} else {
		struct tgroup *tg = tg_by_pid(t->k, t->clone.child);
		fd = tg ? pidfd_install(t, tg, NULL, 0) : -ESRCH;
	}
	int v = (int)fd;
	if (fd >= 0)
		gmem_write(t, t->clone.pidfd, &v, sizeof(v));
}

/* The result the guest sees: the child's virtual tid (trap_fork_ended wrote PARENT_SETTID). */
static long clone_done(struct task *t, const struct sysargs *a, long ret)
{
	t->clone.forking = false;
	if (ret < 0)
		return ret;
	if (t->clone.pidfd && t->clone.child > 0)
		give_pidfd(t);
	return t->clone.child;
}

/* CLONE_PIDFD's own rules (copy_process), and its word must be writable. */
static long check_pidfd(struct task *t, unsigned long flags, unsigned long addr)
{
	int v;
	if (!(flags & CLONE_PIDFD))
		return 0;
	if (flags & CLONE_DETACHED)
		return -EINVAL;
	if (gmem_read(t, &v, addr, sizeof(v)) || gmem_write(t, addr, &v, sizeof(v)))
		return -EFAULT;
	return 0;
}

/* Linux's checks in copy_process(), in its order. */
static long check_flags(struct task *t, unsigned long flags)
{
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_PARENT) && t->tg->pid == 1)
		return -EINVAL; /* the init of a pid namespace has no parent to share */
	if (flags & CLONE_REFUSED)
		return -EINVAL; /* namespaces, pidfds: not in uos yet */
	return 0;
}

/*
 * Run clone(flags, stack, ptid, ctid, tls) on the host for the guest's
 * flags gflags (with exit signal sig).
 */
static long host_clone(struct task *t, unsigned long gflags, int sig, unsigned long stack,
		       unsigned long ptid, unsigned long ctid, unsigned long tls,
		       unsigned long pidfd)
{
	long r = check_flags(t, gflags);
	if (r == 0)
		r = check_pidfd(t, gflags, pidfd);
	if (r < 0)
		return r;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	/* --pids, as the pids cgroup answers: zombies count until they are reaped. */
	if (t->k->opts.max_tasks && t->k->nr_tasks + t->k->nr_zombies >= t->k->opts.max_tasks)
		return -EAGAIN;
	/* The child's copy of the fd table must fit the slot bound (dup_fd's ENOMEM). */
	if (!(gflags & CLONE_FILES) && t->tg->fdt &&
	    !memcg_fits(&t->k->memcg, MEMCG_FDSLOTS, (unsigned long)t->tg->fdt->size))
		return -ENOMEM;
	if ((r = rlimit_nproc_ok(t)) < 0)
		return r;
	/*
	 * CLONE_PTRACE: the child is traced from its birth, with its parent's
	 * options and no fork event (trap_impl.h).
	 */
	unsigned long hflags = (gflags & ~(CLONE_IGNORED | CSIGNAL | CLONE_PIDFD)) | (unsigned)sig;
	hflags |= CLONE_PTRACE;
	if (!(gflags & CLONE_THREAD))
		hflags |= CLONE_PARENT; /* host-side, every process is uos's child */
	t->clone = (struct clone_req){gflags & ~CSIGNAL, gflags & CLONE_THREAD ? 0 : sig, ptid,
				      ctid, 0, gflags & CLONE_PIDFD ? pidfd : 0};
	t->clone.forking = true;
	const unsigned long args[6] = {hflags, stack, ptid, ctid, tls};
	guest_host_runs(t, SYS_clone, args);
	t->host_exit = clone_done;
	return -UOS_EHOST;
}

long sys_clone(struct task *t, const struct sysargs *a)
{
	unsigned long flags = a->a[0] & ~CSIGNAL;
	/* The legacy clone's pidfd goes where the parent's tid would. */
	if ((flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID))
		return -EINVAL;
	return host_clone(t, flags, (int)(a->a[0] & CSIGNAL), a->a[1], a->a[2], a->a[3], a->a[4],
			  a->a[2]);
}

long sys_fork(struct task *t, const struct sysargs *a)
{
	return host_clone(t, 0, SIGCHLD, 0, 0, 0, 0, 0);
}

long sys_vfork(struct task *t, const struct sysargs *a)
{
	return host_clone(t, CLONE_VM | CLONE_VFORK, SIGCHLD, 0, 0, 0, 0, 0);
}

/* Linux's limits for clone3 (kernel/fork.c, include/linux/pid_namespace.h, asm/page_64_types.h). */
#define CLONE3_SIZE_MAX 4096		/* PAGE_SIZE: larger is E2BIG */
#define MAX_PID_NS_LEVEL 32
#define TASK_SIZE_MAX 0x7ffffffff000UL	/* the user address space (4-level paging) */
#define CLONE3_FLAGS (0xffffffffULL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)
#define CLONE3_REUSED (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)) /* bits clone3 refuses */

/*
 * copy_clone_args_from_user(): size within a page and at least the first
 * version; what lies past the struct uos knows must be zero (E2BIG, as
 * copy_struct_from_user); then the checks of the values alone.
 */
static long read_clone_args(struct task *t, unsigned long addr, size_t size,
			    struct clone_args *ca)
{
	unsigned char rest[CLONE3_SIZE_MAX];
	size_t known = size < sizeof(*ca) ? size : sizeof(*ca);

	if (size > CLONE3_SIZE_MAX)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(ca, 0, sizeof(*ca));
	if (gmem_read(t, ca, addr, known))
		return -EFAULT;
	if (size > known) {
		if (gmem_read(t, rest, addr + known, size - known))
			return -EFAULT;
		for (size_t i = 0; i < size - known; i++)
			if (rest[i])
				return -E2BIG;
	}
	if (ca->set_tid_size > MAX_PID_NS_LEVEL || (!ca->set_tid) != (!ca->set_tid_size))
		return -EINVAL;
	if (ca->exit_signal > 64)
		return -EINVAL; /* high bits set, or not a valid signal */
	if ((ca->flags & CLONE_INTO_CGROUP) &&
	    (ca->cgroup > 0x7fffffff || size < CLONE_ARGS_SIZE_VER2))
		return -EINVAL;
	return 0;
}

/* clone3_args_valid(): flags clone3 knows, and a stack that lies in user space. */
static bool clone3_args_valid(const struct clone_args *ca)
{
	if (ca->flags & ~CLONE3_FLAGS)
		return false;
	if (ca->flags & CLONE3_REUSED)
		return false;
	if ((ca->flags & CLONE_SIGHAND) && (ca->flags & CLONE_CLEAR_SIGHAND))
		return false;
	if ((ca->flags & (CLONE_THREAD | CLONE_PARENT)) && ca->exit_signal)
		return false;
	if ((ca->stack == 0) != (ca->stack_size == 0))
		return false;
	return !ca->stack ||
	       (ca->stack_size <= TASK_SIZE_MAX && ca->stack <= TASK_SIZE_MAX - ca->stack_size);
}

/*
 * clone3 becomes the equivalent clone: the host never reads guest memory
 * for it.  set_tid and CLONE_INTO_CGROUP are refused (EINVAL); a
 * CLONE_CLEAR_SIGHAND child keeps its handlers.
 */
long sys_clone3(struct task *t, const struct sysargs *a)
{
	struct clone_args ca;
	long r = read_clone_args(t, a->a[0], a->a[1], &ca);

	if (r < 0)
		return r;
	if (!clone3_args_valid(&ca) || ca.set_tid_size || (ca.flags & CLONE_INTO_CGROUP))
		return -EINVAL;
	unsigned long stack = ca.stack ? ca.stack + ca.stack_size : 0;
	if ((ca.flags & CLONE_PIDFD) && (ca.flags & CLONE_PARENT_SETTID) &&
	    ca.pidfd == ca.parent_tid)
		return -EINVAL;
	return host_clone(t, ca.flags, (int)ca.exit_signal, stack, ca.parent_tid, ca.child_tid,
			  ca.tls, ca.pidfd);
}
