/*
 * Sending signals to guest tasks.  The host kernel keeps each task's real
 * pending set and mask and builds the frames (ARCHITECTURE.md point 8);
 * uos queues a signal with tkill, and when the target is parked in an
 * emulated call, decides as Linux would whether the call ends with EINTR,
 * restarts after the handler (SA_RESTART), or keeps waiting.
 * The guest sees the siginfo uos meant (siginfo.h).
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siginfo.h"

struct kernel;
struct task;
struct tgroup;

/*
 * Send si->si_signo (1..64) to task t; the guest sees *si as its siginfo.
 * 0, or -EAGAIN for a real-time signal not sent by kill (SI_USER) when
 * the queue is full (uos's bound or the host's RLIMIT_SIGPENDING), as
 * Linux's __send_signal_locked refuses it.
 */
int sig_send_info(struct task *t, const siginfo_t *si);
/*
 * Send a process-directed signal to tg (none for a zombie), to the thread
 * Linux would pick.  0 or -EAGAIN as sig_send_info.
 */
int sig_send_process_info(struct kernel *k, struct tgroup *tg, const siginfo_t *si);
/*
 * t's first stop came (trap_life.c, at its birth SIGSTOP): the signals sent
 * before are queued now.  Sent earlier, a SIGSTOP would merge with the
 * host's attach SIGSTOP and be lost, and a lower-numbered signal would
 * come before it and leave that SIGSTOP to look like the guest's.
 */
void sig_born(struct task *t);
/*
 * Send si (its si_signo 0..64) from t as kill(2) and its kin do once they
 * have found their target: to the thread r, or when r is NULL to the
 * process tg; Linux's permission check, EINVAL for a bad signal, a zombie
 * or PID 1 dropping it.  0 or -errno.
 */
int sig_kill(struct task *t, struct tgroup *tg, struct task *r, const siginfo_t *si);
/* The signals pending on the host for t, its own and its process's (0 when unknown). */
uint64_t sig_host_pending(const struct task *t);
/*
 * A signal t neither blocks nor has pending, which uos may send t to bring
 * it to a stop of its own and take back there: a real-time one, from the
 * highest, else one programs seldom use (SIGSTKFLT, SIGPWR, SIGURG,
 * SIGWINCH), else SIGSTOP, which none blocks (script(1) blocks every other
 * signal and reads them from a signalfd).  0 when there is none: every
 * signal is blocked and a SIGCONT pending, which SIGSTOP would discard.
 */
int sig_free_to_send(const struct task *t);
/* Whether the books say tg's action for sig ignores it: SIG_IGN, or SIG_DFL of SIGCHLD, SIGURG, SIGWINCH or SIGCONT. */
bool sig_action_ignores(const struct tgroup *tg, int sig);
/* is_ignored() of the tty layer: t blocks sig or its action is SIG_IGN. */
bool sig_ignored_or_blocked(struct task *t, int sig);
/* Send sig to t as the kernel does (SI_KERNEL: no sender). */
void sig_send(struct task *t, int sig);
/* As sig_send, process-directed. */
void sig_send_process(struct kernel *k, struct tgroup *tg, int sig);
/* A signal for t's own call (SIGPIPE, SIGXFSZ): SI_USER from itself, as Linux's send_sig(sig, current, 0). */
void sig_send_self(struct task *t, int sig);
/*
 * The signal mask a ppoll, pselect6 or epoll_pwait waits with (umask 0:
 * none): signals it lets through end the wait (maybe_interrupt) and are
 * delivered under it (trap.c), as Linux does.  0, -EINVAL, -EFAULT.
 */
int sig_call_mask(struct task *t, unsigned long umask, size_t size);
/*
 * Linux's SIGNAL_UNKILLABLE, for the init of a pid namespace: a signal a
 * guest task sends to PID 1 is dropped unless PID 1 has a handler for it
 * (SIGKILL and SIGSTOP included) or blocks it (its main thread) ...
 */
bool sig_init_ignores(struct kernel *k, struct tgroup *tg, int sig);
/*
 * ... and one it blocked is dropped when it is delivered with the default
 * action (siginfo as fixed), as is a child's exit signal (CLD_*); fault:
 * the CPU's own (SIGSEGV ...), which kills PID 1 as any process.
 */
bool sig_init_drops(const struct task *t, const siginfo_t *si, bool fault);
/*
 * t has just parked: a signal sent while it was on its way into the call
 * (stopped, but not yet served) found it not parked, or the call's own
 * mask lets through one pending on the host; act on it now.
 */
void sig_check_parking(struct task *t);
/*
 * Whether t's call's own mask (ppoll, pselect6) lets through a signal
 * pending on the host that t's mask blocks: a call that does not wait
 * must still let it act (Linux's signal_pending() before the timeout).
 */
bool sig_call_mask_lets_through(const struct task *t);
/* A parked task may have a host signal pending (one sent from outside): act on it. */
void sig_check_pending(struct task *t);
/*
 * Note the signals uos itself was started ignoring and blocking (before it
 * changes any): the first guest gets them, as a program its parent exec'd
 * would (signal(7): an exec keeps ignored signals and the mask).
 */
void sig_note_start(struct kernel *k);
