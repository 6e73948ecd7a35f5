/*
 * Sending signals to guest tasks.  The host kernel keeps each task's real
 * pending set and mask and builds the frames (ARCHITECTURE.md point 8);
 * uos queues a signal with tkill, and when the target is parked in an
 * emulated call, decides as Linux would whether the call ends with EINTR,
 * restarts after the handler (SA_RESTART), or keeps waiting.
 *
 * A signal queued with tkill carries the host's siginfo (SI_TKILL from
 * uos's host pid), so uos keeps the siginfo it meant (kill's SI_USER and
 * virtual sender pid, SIGCHLD's CLD_* and status ...) and puts it back
 * where the guest takes the signal: at the signal-delivery stop
 * (PTRACE_SETSIGINFO), and after rt_sigtimedwait and signalfd reads.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct kernel;
struct task;
struct tgroup;

/* Send si->si_signo (1..64) to task t; the guest sees *si as its siginfo. */
void sig_send_info(struct task *t, const siginfo_t *si);
/* Send a process-directed signal to one thread of tg (none for a zombie). */
void sig_send_process_info(struct kernel *k, struct tgroup *tg, const siginfo_t *si);
/* Send sig to t as the kernel does (SI_KERNEL: no sender). */
void sig_send(struct task *t, int sig);
/* As sig_send, process-directed. */
void sig_send_process(struct kernel *k, struct tgroup *tg, int sig);
/* SIGPIPE to a writer that met a pipe without readers: SI_USER from itself, as Linux's pipe_write. */
void sig_send_sigpipe(struct task *t);
/* The siginfo of sig sent by the guest task `from` with si_code code (SI_USER, SI_TKILL ...). */
void sig_info_from(siginfo_t *si, int sig, int code, const struct task *from);
/*
 * si is a signal t is taking (delivery, sigtimedwait, signalfd): when uos
 * queued it, replace it with the siginfo uos meant; a sender outside the
 * guest's world shows as pid 0, as Linux shows one outside a pid namespace.
 * True when *si changed.
 */
bool sig_fix_info(struct task *t, siginfo_t *si);
/* A signal the host dequeued from t that uos holds back and queues again later: keep its siginfo. */
void sig_hold_info(struct task *t, const siginfo_t *si);
/*
 * The signal mask a ppoll, pselect6 or epoll_pwait waits with (umask 0:
 * none): signals it lets through end the wait (maybe_interrupt) and are
 * delivered under it (trap.c), as Linux does.  0, -EINVAL, -EFAULT.
 */
int sig_call_mask(struct task *t, unsigned long umask, size_t size);
/* Forget t's kept siginfo (the task is freed). */
void sig_forget(struct task *t);
/* A parked task may have a host signal pending (one sent from outside): act on it. */
void sig_check_pending(struct task *t);
