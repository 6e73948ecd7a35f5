/*
 * Calls answered through the filter's listener (seccomp user notification)
 * instead of a ptrace stop: the rows sys_notified names (seccomp.h).  The
 * caller waits in the host kernel; uos receives the call (RECV), answers
 * it from its own state and the caller's memory, and sends the result
 * (SEND): two host calls, where a stop costs a wait4, the registers read
 * and written, and a PTRACE_CONT.  A call is received and answered in one
 * go, so for the rest of uos the caller is a task running on the host.
 *
 * The listener is uos's alone: the first guest's child installs the filter
 * (spawn.c) and uos takes the fd from it with pidfd_getfd before it execs;
 * the fd is close-on-exec, so no guest holds it (a guest with a listener
 * could let its own calls run on the host).  Every guest task descends
 * from that child and inherits the filter.
 *
 * Signals.  With SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV a call uos has
 * received is not interrupted but by SIGKILL.  One not yet received is
 * ended by any signal with -ERESTARTSYS, which a handler without
 * SA_RESTART would turn into EINTR, even for getpid or stat: at the
 * signal's delivery stop uos makes it -ERESTARTNOINTR, so that the call
 * runs again after the handler (notify_restart).
 */
#include "trap_impl.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "intr.h"
#include "syscall.h"

int notify_take(struct kernel *k, pid_t pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int l = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	int err = errno;

	if (pidfd >= 0)
		close(pidfd);
	if (l < 0)
		return -err;
	k->notify_fd = l; /* close-on-exec: pidfd_getfd's fds are */
	return 0;
}

/*
 * RECV failed with ENOENT: the caller died before uos received it, or no
 * task uses the filter any more.  Then RECV fails at once every time
 * (poll says POLLHUP): the listener is closed, or the loop would spin on
 * it while the last tasks die.
 */
static void check_gone(struct kernel *k)
{
	struct pollfd p = {.fd = k->notify_fd, .events = POLLIN};

	if (poll(&p, 1, 0) == 1 && (p.revents & POLLHUP)) {
		close(k->notify_fd);
		k->notify_fd = -1;
	}
}

/* The answer to the call req: its result, or -errno. */
static long answer(struct kernel *k, const struct seccomp_notif *req)
{
	struct task *t = task_by_hpid(k, (pid_t)req->pid);
	const struct seccomp_data *d = &req->data;

	/* Only a task uos runs, in no exec, makes calls; the filter notifies these rows only. */
	if (!t || t->stop != TASK_RUNNING || t->exec != TASK_EXEC_NONE || !sys_notified(d->nr)) {
		uos_warn("a notified call %d of host task %u that uos does not run: ENOSYS", d->nr,
			 req->pid);
		return -ENOSYS;
	}
	struct sysargs a = {d->nr, {d->args[0], d->args[1], d->args[2], d->args[3], d->args[4], d->args[5]}};
	trap_begin_call(t, &a);
	long r = sys_dispatch(t);
	UOS_BUG_ON(r <= -4096); /* such handlers never park nor leave the call to the host */
	sys_finish(t, r);
	return r;
}

int notify_serve(struct kernel *k)
{
	struct seccomp_notif req;

	memset(&req, 0, sizeof(req)); /* the host wants it zeroed */
	long r = intr_ioctl(k->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req);
	if (r == -ENOENT)
		check_gone(k);
	if (r < 0)
		return 0;
	long v = answer(k, &req);
	struct seccomp_notif_resp resp = {.id = req.id, .val = v < 0 ? 0 : v, .error = v < 0 ? (int)v : 0};
	ioctl(k->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp); /* ENOENT: the caller died meanwhile */
	return 1;
}

void notify_restart(struct task *t)
{
	if ((long long)t->regs.rax != -LINUX_ERESTARTSYS || !sys_notified((long)t->regs.orig_rax))
		return;
	t->regs.rax = (unsigned long long)-LINUX_ERESTARTNOINTR;
	t->regs_dirty = true;
}
