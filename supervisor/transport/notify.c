/*
 * Calls answered through the filter's listener (seccomp user notification)
 * instead of a ptrace stop: the rows sys_notified names (seccomp.h).  The
 * caller waits in the host kernel; uos receives the call (RECV), serves it
 * from its own state and the caller's memory, and sends the result (SEND):
 * two host calls, where a stop costs a wait4, the registers read and
 * written, and a PTRACE_CONT.  Meanwhile the task is TASK_NOTIFIED: in its
 * call on the host, not at a ptrace stop (no ptrace request reaches it).
 *
 * A call that parks (an empty pipe's read) is answered once it is woken:
 * uos keeps the notification's id (t->notif_id), and trap_serve finishes
 * it as it finishes one parked at its seccomp stop (trap_complete sends
 * the answer instead of writing registers); one a signal interrupts gets
 * -EINTR, its partial count, or -ERESTARTNOINTR, which has the host run it
 * again after the handler as a restart at a stop would.  A call that must
 * be served at a stop (it injects calls: a signalfd's read) is brought to
 * one (redo_at_stop).  A call the handler leaves to the host (-UOS_EHOST:
 * a memory call the books foretold, rt_sigaction) is continued, run by
 * the host as PTRACE_CONT would run it from a stop; one whose end uos must
 * see (t->host_exit: a memory call the books cannot foretell) is brought
 * to a stop too, and injected there (notify_redo).
 *
 * The listener is uos's alone: the first guest's child installs the filter
 * (spawn.c) and uos takes the fd from it with pidfd_getfd before it execs;
 * the fd is close-on-exec, so no guest holds it (a guest with a listener
 * could let its own calls run on the host).  Every guest task descends
 * from that child and inherits the filter.
 *
 * Signals.  With SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV a call uos has
 * received is not interrupted but by SIGKILL: uos decides, as for a task
 * parked at a stop (sigsend.c), reading the masks from /proc since no
 * ptrace request reaches the task.  One not yet received is ended by any
 * signal with -ERESTARTSYS, which a handler without SA_RESTART would turn
 * into EINTR, even for getpid or stat: at the signal's delivery stop uos
 * makes it -ERESTARTNOINTR, so that the call runs again after the handler
 * (notify_restart), unless it would wait now (sys_notified_waits: a
 * stream's read or write with nothing to move), which Linux ends so too.
 */
#include "trap_impl.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"
#include "intr.h"
#include "sigsend.h"
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

/*
 * Send the answer r (a result, or -errno) to the call id; -UOS_EHOST has
 * the host run the call (SECCOMP_USER_NOTIF_FLAG_CONTINUE).
 */
static void send_answer(struct kernel *k, uint64_t id, long r)
{
	struct seccomp_notif_resp resp = {.id = id, .val = r < 0 ? 0 : r, .error = r < 0 ? (int)r : 0};
	if (r == -UOS_EHOST)
		resp = (struct seccomp_notif_resp){.id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE};
	ioctl(k->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp); /* ENOENT: the caller died meanwhile */
}

/*
 * A call left to the host (-UOS_EHOST) runs as from a stop with its
 * registers unchanged: its arguments are the ones uos checked, which no
 * thread can change (a pointer's memory can change under either alike).
 */
void notify_answer(struct task *t, long r)
{
	bool host = r == -UOS_EHOST;
	UOS_BUG_ON(r <= -4096 && !host);
	UOS_BUG_ON(host && t->host_exit); /* its end is seen at a stop only (serve) */
	t->host_check = NULL; /* a foretold result is checked only at an exit stop */
	sys_finish(t, host ? -UOS_ENORESULT : r);
	t->stop = TASK_RUNNING;
	t->sig_unseen = false; /* the host delivers what is pending */
	if (t->k->notify_fd >= 0)
		send_answer(t->k, t->notif_id, r);
}

/* The value of the siginfo of uos's own signal that brings a call to a stop (redo_at_stop). */
#define REDO_COOKIE ((void *)0x7265646f2d756f73UL)

/*
 * A call that must be served at a stop (sys_notified_needs_stop): the
 * answer is -ERESTARTNOINTR, with a signal queued that t does not block,
 * so that the host, on its way out of the call, stops t for that signal
 * before it runs the call again; notify_redo serves the call at that stop
 * and drops the signal.  uos's own is told from the guest's by its
 * siginfo: SI_QUEUE from uos's pid with REDO_COOKIE, which no guest's can
 * be (uos queues every guest signal with tkill, SI_TKILL); a SIGSTOP so
 * sent is dropped at its delivery stop, before any group stop.  With no
 * signal to send (sig_free_to_send), the call ends with EINTR.
 */
static void redo_at_stop(struct task *t, uint64_t id)
{
	int sig = sig_free_to_send(t);
	siginfo_t si = {.si_signo = sig, .si_code = SI_QUEUE};
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_ptr = REDO_COOKIE;
	if (!sig || syscall(SYS_rt_tgsigqueueinfo, t->tg->host_tgid, t->hpid, sig, &si) < 0) {
		send_answer(t->k, id, -EINTR);
		return;
	}
	send_answer(t->k, id, -LINUX_ERESTARTNOINTR);
}

bool notify_redo(struct task *t, const siginfo_t *si)
{
	if (si->si_code != SI_QUEUE || si->si_pid != getpid() || si->si_value.sival_ptr != REDO_COOKIE)
		return false;
	const struct sysargs a = trap_call_of(&t->regs);
	if ((long long)t->regs.rax != -LINUX_ERESTARTNOINTR || !sys_notified(a.nr)) {
		trap_resume(t, PTRACE_CONT); /* a handler ran first, and the call again: dropped */
		return true;
	}
	t->saved = t->regs; /* what the answer, or a restart, starts from (trap_complete) */
	t->injected = true;
	trap_begin_call(t, &a);
	long r = sys_dispatch(t);
	if (r == -UOS_EHOST) /* its end must be seen (serve): uos injects it, with the guest's arguments */
		r = trap_host_ended(t, guest_call(t, t->cur.nr, t->cur.a));
	trap_complete(t, r);
	return true;
}

/*
 * Serve the call req: as at a stop, but the task is in its call on the
 * host (TASK_NOTIFIED) until uos sends the answer, at once or, when the
 * call parks, once it is woken (trap_serve).
 */
static void serve(struct kernel *k, const struct seccomp_notif *req)
{
	struct task *t = task_by_hpid(k, (pid_t)req->pid);
	const struct seccomp_data *d = &req->data;

	/* Only a task uos runs, in no exec, makes calls; the filter notifies these rows only. */
	if (!t || t->stop != TASK_RUNNING || t->exec != TASK_EXEC_NONE || !sys_notified(d->nr)) {
		uos_warn("a notified call %d of host task %u that uos does not run: ENOSYS", d->nr,
			 req->pid);
		send_answer(k, req->id, -ENOSYS);
		return;
	}
	struct sysargs a = {d->nr, {d->args[0], d->args[1], d->args[2], d->args[3], d->args[4], d->args[5]}};
	if (sys_notified_needs_stop(t, &a)) {
		redo_at_stop(t, req->id);
		return;
	}
	trap_begin_call(t, &a);
	t->stop = TASK_NOTIFIED;
	t->notif_id = req->id;
	long r = sys_dispatch(t);
	if (r == -UOS_EHOST && t->host_exit) { /* its end must be seen: at a stop (notify_redo) */
		t->stop = TASK_RUNNING;
		redo_at_stop(t, req->id);
		return;
	}
	trap_complete(t, r);
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
	serve(k, &req);
	return 1;
}

void notify_restart(struct task *t)
{
	const struct sysargs a = trap_call_of(&t->regs);
	if ((long long)t->regs.rax != -LINUX_ERESTARTSYS || !sys_notified(a.nr) || sys_notified_waits(t, &a))
		return;
	t->regs.rax = (unsigned long long)-LINUX_ERESTARTNOINTR;
	t->regs_dirty = true;
}
