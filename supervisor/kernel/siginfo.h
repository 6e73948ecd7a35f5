/*
 * The siginfo uos means for the signals it queues.  A signal uos queues on
 * the host carries the host's siginfo (SI_TKILL or SI_USER from uos's host
 * pid), so uos keeps the siginfo it meant (kill's SI_USER and virtual sender
 * pid, SIGCHLD's CLD_* and status ...) and puts it back where the guest
 * takes the signal: at the signal-delivery stop (PTRACE_SETSIGINFO), after
 * rt_sigtimedwait and in signalfd reads.  Thread-directed signals (tkill)
 * are kept per task, process-directed ones (kill) per process.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>

struct sig_infos;
struct task;

/* The siginfo of sig sent by the guest task `from` with si_code code (SI_USER, SI_TKILL ...). */
void sig_info_from(siginfo_t *si, int sig, int code, const struct task *from);
/*
 * Keep si for a signal about to be queued with the store s of process tg's
 * (ignored: not kept).  1 when a real-time entry was added (sig_infos_unkeep
 * takes it back), 0 when none was, -EAGAIN when the guests' real-time
 * entries are at their bound (RLIMIT_SIGPENDING, memcg.h).
 */
int sig_infos_keep(struct sig_infos *s, const struct task *any, const siginfo_t *si);
/* Drop the real-time entry sig_infos_keep added last to s (its signal was not queued). */
void sig_infos_unkeep(struct sig_infos *s);
/*
 * si is a signal t is taking (delivery, sigtimedwait, signalfd): when uos
 * queued it, replace it with the siginfo uos meant; a sender outside the
 * guest's world shows as pid 0, as Linux shows one outside a pid namespace.
 * True when *si changed.
 */
bool sig_fix_info(struct task *t, siginfo_t *si);
/* A signal the host dequeued from t that uos holds back and queues again with tkill: keep its siginfo. */
void sig_hold_info(struct task *t, const siginfo_t *si);
/* Free what s keeps. */
void sig_infos_free(struct sig_infos *s);
