/*
 * Sending signals (supervisor/kernel/sigsend.c, siginfo.c) on the fake
 * transport.  sigsend acts on the host task itself (tkill, kill,
 * /proc/PID/status), so each task has a host stand-in (fake_host_spawn)
 * that blocks or catches signals as the test says: what it has pending is
 * what the host would deliver, and fake_taken is the siginfo the guest
 * would see with it.
 */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_guest.h"
#include "kernel_suites.h"
#include "scheduler.h"
#include "sigsend.h"
#include "task.h"

#define THREAD_FLAGS (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES)
#define RTSIG 40

/* Give t a new host stand-in with the given blocked and caught sets. */
static void restand(struct task *t, uint64_t blocked, uint64_t caught)
{
	bool leader = t->tg->host_tgid == t->hpid;
	fake_host_kill(t->hpid);
	t->hpid = fake_host_spawn(blocked, caught);
	ck_assert_int_gt(t->hpid, 0);
	if (leader)
		t->tg->host_tgid = t->hpid;
}

static void send_user(struct task *from, struct task *to, int sig)
{
	siginfo_t si;
	sig_info_from(&si, sig, SI_TKILL, from);
	ck_assert_int_eq(sig_send_info(to, &si), 0);
}

START_TEST(thread_directed_keeps_its_siginfo)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	send_user(e.init, c, SIGUSR1);
	ck_assert(fake_host_pending(c->hpid) & SIGBIT(SIGUSR1)); /* blocked: pending */
	ck_assert(!(fake_host_pending(e.init->hpid) & SIGBIT(SIGUSR1)));
	siginfo_t si;
	ck_assert(fake_taken(c, SIGUSR1, SI_TKILL, &si));
	ck_assert_int_eq(si.si_signo, SIGUSR1);
	ck_assert_int_eq(si.si_code, SI_TKILL);
	ck_assert_int_eq(si.si_pid, 1); /* the sender's virtual pid, not uos's */
	/* It stays: a second SIGUSR1 sent while this one was on its way to its stop gets it too. */
	ck_assert(fake_taken(c, SIGUSR1, SI_TKILL, &si));
	ck_assert_int_eq(si.si_pid, 1);
	fake_env_fini(&e);
}
END_TEST

START_TEST(standard_signals_do_not_queue)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	struct task *g = fake_env_fork(&e, c, 0);
	send_user(e.init, g, SIGUSR2);
	send_user(c, g, SIGUSR2); /* merges with the pending one: the latest siginfo stands */
	siginfo_t si;
	ck_assert(fake_taken(g, SIGUSR2, SI_TKILL, &si));
	ck_assert_int_eq(si.si_pid, 2);
	ck_assert_int_eq(fake_host_pending(g->hpid) & SIGBIT(SIGUSR2), SIGBIT(SIGUSR2)); /* one on the host */
	fake_env_fini(&e);
}
END_TEST

START_TEST(rt_signals_queue_in_order)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	for (int i = 1; i <= 3; i++) {
		siginfo_t si;
		sig_info_from(&si, RTSIG, SI_QUEUE, e.init);
		si.si_value.sival_int = i;
		ck_assert_int_eq(sig_send_info(c, &si), 0);
	}
	ck_assert(fake_host_pending(c->hpid) & SIGBIT(RTSIG));
	for (int i = 1; i <= 3; i++) {
		siginfo_t si;
		ck_assert(fake_taken(c, RTSIG, SI_TKILL, &si));
		ck_assert_int_eq(si.si_code, SI_QUEUE);
		ck_assert_int_eq(si.si_value.sival_int, i);
	}
	siginfo_t si;
	ck_assert(!fake_taken(c, RTSIG, SI_TKILL, &si));
	fake_env_fini(&e);
}
END_TEST

START_TEST(ignored_rt_signal_is_not_kept)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	c->tg->sig.action[RTSIG - 1].handler = (unsigned long)SIG_IGN;
	siginfo_t si;
	sig_info_from(&si, RTSIG, SI_QUEUE, e.init);
	ck_assert_int_eq(sig_send_info(c, &si), 0);
	ck_assert(!fake_taken(c, RTSIG, SI_TKILL, &si));
	fake_env_fini(&e);
}
END_TEST

START_TEST(process_directed_goes_to_a_thread_that_takes_it)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	struct task *th = fake_env_fork(&e, c, THREAD_FLAGS);
	/* The main thread blocks SIGUSR1, the other catches it: complete_signal picks the other */
	restand(th, FAKE_ALL_SIGS & ~SIGBIT(SIGUSR1), SIGBIT(SIGUSR1));
	siginfo_t si;
	sig_info_from(&si, SIGUSR1, SI_USER, e.init);
	ck_assert_int_eq(sig_kill(e.init, c->tg, NULL, &si), 0);
	ck_assert(fake_taken(th, SIGUSR1, SI_TKILL, &si));
	ck_assert_int_eq(si.si_code, SI_USER);
	ck_assert_int_eq(si.si_pid, 1);
	ck_assert(!(fake_host_pending(c->hpid) & SIGBIT(SIGUSR1)));
	fake_env_fini(&e);
}
END_TEST

START_TEST(process_directed_all_blocked_waits_shared)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	struct task *th = fake_env_fork(&e, c, THREAD_FLAGS);
	siginfo_t si;
	sig_info_from(&si, SIGUSR1, SI_USER, e.init);
	ck_assert_int_eq(sig_kill(e.init, c->tg, NULL, &si), 0);
	/* every thread blocks it: it waits in the process's shared set (a host kill) */
	ck_assert(fake_host_pending(c->tg->host_tgid) & SIGBIT(SIGUSR1));
	ck_assert(!fake_taken(th, SIGUSR1, SI_TKILL, &si));
	ck_assert(!fake_taken(c, SIGUSR1, SI_TKILL, &si));
	ck_assert(fake_taken(th, SIGUSR1, SI_USER, &si)); /* any thread that takes it sees it */
	ck_assert_int_eq(si.si_pid, 1);
	fake_env_fini(&e);
}
END_TEST

START_TEST(kill_checks)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	siginfo_t si;
	sig_info_from(&si, 65, SI_USER, c);
	ck_assert_int_eq(sig_kill(c, e.init->tg, NULL, &si), -EINVAL);
	sig_info_from(&si, 0, SI_USER, c); /* signal 0: the checks only */
	ck_assert_int_eq(sig_kill(c, e.init->tg, NULL, &si), 0);
	ck_assert_uint_eq(fake_host_pending(e.init->hpid), 0);
	/* kill(2): an unprivileged sender needs its real or effective uid to match */
	c->tg->cred.uid = c->tg->cred.euid = 1000;
	c->tg->cred.cap_eff = 0; /* no CAP_KILL */
	e.init->tg->cred.uid = e.init->tg->cred.suid = 1001;
	sig_info_from(&si, SIGUSR1, SI_USER, c);
	ck_assert_int_eq(sig_kill(c, e.init->tg, NULL, &si), -EPERM);
	e.init->tg->cred.suid = 1000; /* the saved uid counts too */
	ck_assert_int_eq(sig_kill(c, e.init->tg, NULL, &si), 0);
	fake_env_fini(&e);
}
END_TEST

START_TEST(pid_1_ignores_default_signals)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	siginfo_t si;
	/* PID 1 blocks SIGUSR1: sent (a blocked signal is never ignored) */
	sig_info_from(&si, SIGUSR1, SI_USER, c);
	ck_assert_int_eq(sig_kill(c, e.init->tg, NULL, &si), 0);
	ck_assert(fake_taken(e.init, SIGUSR1, SI_TKILL, &si));
	/* unblocked with the default action: SIGNAL_UNKILLABLE drops it */
	restand(e.init, FAKE_ALL_SIGS & ~SIGBIT(SIGUSR1), SIGBIT(SIGUSR1));
	e.init->infos.std[SIGUSR1].si_signo = 0; /* the first part's stays (siginfo.c) */
	sig_info_from(&si, SIGUSR1, SI_USER, c);
	ck_assert_int_eq(sig_kill(c, e.init->tg, NULL, &si), 0);
	ck_assert(!fake_taken(e.init, SIGUSR1, SI_TKILL, &si)); /* none kept: not sent */
	/* a handler in the books: delivered */
	e.init->tg->sig.action[SIGUSR1 - 1].handler = 0x1000;
	e.init->infos.std[SIGUSR1].si_signo = 0; /* the first part's stays (siginfo.c): a new one must be kept */
	sig_info_from(&si, SIGUSR1, SI_USER, c);
	ck_assert_int_eq(sig_kill(c, e.init->tg, NULL, &si), 0);
	ck_assert(fake_taken(e.init, SIGUSR1, SI_TKILL, &si));
	fake_env_fini(&e);
}
END_TEST

/* t parked in call nr; its stand-in catches sig unblocked, with SA_RESTART or not; send sig. */
static void interrupt(struct fake_env *e, struct task *t, int nr, int sig, bool restart)
{
	restand(t, FAKE_ALL_SIGS & ~SIGBIT(sig), SIGBIT(sig));
	t->tg->sig.action[sig - 1].handler = 0x1000;
	t->tg->sig.action[sig - 1].flags = restart ? SA_RESTART : 0;
	t->cur.nr = nr;
	sched_park(t, &e->k, -1, 0, 0);
	send_user(e->init, t, sig);
}

START_TEST(parked_call_interrupted)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	interrupt(&e, c, SYS_read, SIGUSR1, false);
	ck_assert(!sched_parked(c));
	ck_assert_int_eq(c->interrupt, TASK_INTR_EINTR);
	sched_unpark(c);
	interrupt(&e, c, SYS_read, SIGUSR1, true);
	ck_assert(!sched_parked(c));
	ck_assert_int_eq(c->interrupt, TASK_INTR_RESTART);
	sched_unpark(c);
	/* signal(7): poll and the sleeps end with EINTR even under SA_RESTART */
	interrupt(&e, c, SYS_poll, SIGUSR1, true);
	ck_assert_int_eq(c->interrupt, TASK_INTR_EINTR);
	sched_unpark(c);
	interrupt(&e, c, SYS_nanosleep, SIGUSR1, true);
	ck_assert_int_eq(c->interrupt, TASK_INTR_EINTR);
	sched_unpark(c);
	fake_env_fini(&e);
}
END_TEST

START_TEST(parked_call_not_interrupted)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	/* blocked on the host: stays parked, the signal pending */
	c->cur.nr = SYS_read;
	sched_park(c, &e.k, -1, 0, 0);
	send_user(e.init, c, SIGUSR1);
	ck_assert(sched_parked(c));
	ck_assert_int_eq(c->interrupt, TASK_INTR_NONE);
	ck_assert(fake_host_pending(c->hpid) & SIGBIT(SIGUSR1));
	sched_unpark(c);
	/* ignored by default (SIGCHLD, SIGWINCH ...) and not caught: no interruption */
	restand(c, 0, 0);
	sched_park(c, &e.k, -1, 0, 0);
	send_user(e.init, c, SIGWINCH);
	ck_assert(sched_parked(c));
	sched_unpark(c);
	/* ppoll's mask blocks it: no interruption, though the thread's own mask does not */
	restand(c, FAKE_ALL_SIGS & ~SIGBIT(SIGUSR1), SIGBIT(SIGUSR1));
	c->cur.nr = SYS_ppoll;
	c->has_call_mask = true;
	c->call_mask = SIGBIT(SIGUSR1);
	sched_park(c, &e.k, -1, 0, 0);
	send_user(e.init, c, SIGUSR1);
	ck_assert(sched_parked(c));
	/* an uninterruptible wait (fsync, Linux's D state) */
	sched_unpark(c);
	c->has_call_mask = false;
	sched_park(c, &e.k, -1, 0, 0);
	c->park_nointr = true;
	send_user(e.init, c, SIGUSR1);
	ck_assert(sched_parked(c));
	fake_env_fini(&e);
}
END_TEST

START_TEST(sigcont_continues_a_stopped_process)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	struct task *th = fake_env_fork(&e, c, THREAD_FLAGS);
	task_set_state(c, TASK_JOBSTOP);
	task_set_state(th, TASK_JOBSTOP);
	task_stopped(c, SIGSTOP);
	task_stopped(th, SIGSTOP);
	ck_assert(c->tg->stopped);
	siginfo_t si;
	ck_assert(fake_taken(e.init, SIGCHLD, SI_TKILL, &si));
	ck_assert_int_eq(si.si_code, CLD_STOPPED);
	ck_assert_int_eq(si.si_status, SIGSTOP);

	sig_send_process(e.k, c->tg, SIGCONT);
	/* SIGCONT resumes every thread whatever its mask: both go through the transport */
	ck_assert_int_eq(fake_guest()->ncontinued, 2);
	ck_assert(fake_guest()->continued[0] == th || fake_guest()->continued[1] == th);
	ck_assert(fake_guest()->continued[0] == c || fake_guest()->continued[1] == c);
	ck_assert(!c->tg->stopped);
	ck_assert(c->tg->cont_report); /* for waitid(WCONTINUED) */
	ck_assert_int_eq(c->tg->stop_report, 0);
	ck_assert(fake_taken(e.init, SIGCHLD, SI_TKILL, &si));
	ck_assert_int_eq(si.si_code, CLD_CONTINUED);
	ck_assert_int_eq(si.si_status, SIGCONT);
	ck_assert_int_eq(si.si_pid, c->tg->pid);
	fake_env_fini(&e);
}
END_TEST

START_TEST(nocldstop_silences_stops)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	e.init->tg->sig.action[SIGCHLD - 1].flags = SA_NOCLDSTOP;
	task_set_state(c, TASK_JOBSTOP);
	task_stopped(c, SIGTSTP);
	ck_assert(c->tg->stopped);
	siginfo_t si;
	ck_assert(!fake_taken(e.init, SIGCHLD, SI_TKILL, &si));
	fake_env_fini(&e);
}
END_TEST

START_TEST(born_task_gets_signals_at_its_first_stop)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	c->state = TASK_BORN;
	send_user(e.init, c, SIGUSR2);
	send_user(e.init, c, SIGHUP);
	ck_assert_uint_eq(fake_host_pending(c->hpid), 0); /* not yet on the host */
	c->state = TASK_ACTIVE;
	sig_born(c);
	ck_assert(fake_host_pending(c->hpid) == (SIGBIT(SIGUSR2) | SIGBIT(SIGHUP)));
	fake_env_fini(&e);
}
END_TEST

START_TEST(call_mask_read_from_the_guest)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	static uint64_t umask = SIGBIT(SIGUSR1) | SIGBIT(SIGKILL) | SIGBIT(SIGSTOP);
	fake_guest_map(t->tg, 0x5000, &umask, sizeof(umask));
	ck_assert_int_eq(sig_call_mask(t, 0, 8), 0); /* no mask: nothing to do */
	ck_assert(!t->has_call_mask);
	ck_assert_int_eq(sig_call_mask(t, 0x5000, 4), -EINVAL); /* sigsetsize must be 8 */
	ck_assert_int_eq(sig_call_mask(t, 0x6000, 8), -EFAULT);
	ck_assert(!t->has_call_mask);
	ck_assert_int_eq(sig_call_mask(t, 0x5000, 8), 0);
	ck_assert(t->has_call_mask);
	ck_assert(t->call_mask == SIGBIT(SIGUSR1)); /* SIGKILL and SIGSTOP cannot be blocked */
	fake_env_fini(&e);
}
END_TEST

Suite *signal_suite(void)
{
	Suite *s = suite_create("signal");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, thread_directed_keeps_its_siginfo);
	tcase_add_test(tc, standard_signals_do_not_queue);
	tcase_add_test(tc, rt_signals_queue_in_order);
	tcase_add_test(tc, ignored_rt_signal_is_not_kept);
	tcase_add_test(tc, process_directed_goes_to_a_thread_that_takes_it);
	tcase_add_test(tc, process_directed_all_blocked_waits_shared);
	tcase_add_test(tc, kill_checks);
	tcase_add_test(tc, pid_1_ignores_default_signals);
	tcase_add_test(tc, parked_call_interrupted);
	tcase_add_test(tc, parked_call_not_interrupted);
	tcase_add_test(tc, sigcont_continues_a_stopped_process);
	tcase_add_test(tc, nocldstop_silences_stops);
	tcase_add_test(tc, born_task_gets_signals_at_its_first_stop);
	tcase_add_test(tc, call_mask_read_from_the_guest);
	suite_add_tcase(s, tc);
	return s;
}
