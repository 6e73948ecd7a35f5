/*
 * Tasks and processes (supervisor/kernel/task.c) on the fake transport:
 * the process tree fork and clone build, ids, death into a zombie and what
 * the parent is told (SIGCHLD's siginfo, a wake), orphans going to PID 1, and
 * which child a wait finds and reaps (reap.c); the credential setters (cred.c).
 */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

#include "cred.h"
#include "fake_guest.h"
#include "kernel_suites.h"
#include "reap.h"
#include "scheduler.h"
#include "task.h"

START_TEST(init_is_pid_1)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	ck_assert_int_eq(t->tid, 1);
	ck_assert_int_eq(t->tg->pid, 1);
	ck_assert_int_eq(t->tg->ppid, 0);
	ck_assert_ptr_null(t->tg->parent);
	ck_assert_int_eq(t->tg->pgid, 1);
	ck_assert_int_eq(t->tg->sid, 1);
	ck_assert_int_eq(t->tg->nr_threads, 1);
	ck_assert_ptr_eq(e.k->main, t->tg);
	ck_assert_ptr_eq(task_by_tid(e.k, 1), t);
	ck_assert_ptr_eq(task_by_hpid(e.k, t->hpid), t);
	ck_assert_ptr_eq(tg_by_pid(e.k, 1), t->tg);
	ck_assert_ptr_null(task_by_tid(e.k, 2));
	ck_assert_ptr_null(tg_by_pid(e.k, 2));
	fake_env_fini(&e);
}
END_TEST

START_TEST(fork_makes_a_child_process)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	ck_assert_int_eq(c->tid, 2);
	ck_assert_int_eq(c->tg->pid, 2);
	ck_assert_ptr_ne(c->tg, e.init->tg);
	ck_assert_int_eq(c->tg->ppid, 1);
	ck_assert_ptr_eq(c->tg->parent, e.init->tg);
	ck_assert_ptr_eq(e.init->tg->children, c->tg);
	/* fork(2): the child is in its parent's process group and session */
	ck_assert_int_eq(c->tg->pgid, 1);
	ck_assert_int_eq(c->tg->sid, 1);
	ck_assert_int_eq(c->tg->exit_signal, SIGCHLD);
	/* its own copies of the books, not shared */
	ck_assert_ptr_ne(c->tg->fdt, e.init->tg->fdt);
	ck_assert_ptr_ne(c->tg->mm, e.init->tg->mm);
	ck_assert_ptr_eq(task_by_tid(e.k, 2), c);
	ck_assert_ptr_eq(tg_by_tid(c, 0), c->tg);
	ck_assert_ptr_eq(tg_by_tid(c, 1), e.init->tg);
	ck_assert_ptr_eq(task_by_hpid(e.k, c->hpid), c);
	ck_assert_int_eq(e.k->nr_tasks, 2);
	fake_env_fini(&e);
}
END_TEST

START_TEST(clone_files_shares_the_table)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, CLONE_FILES);
	ck_assert_ptr_eq(c->tg->fdt, e.init->tg->fdt);
	fake_env_fini(&e);
}
END_TEST

START_TEST(thread_joins_the_process)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *th = fake_env_fork(&e, e.init, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES);
	ck_assert_ptr_eq(th->tg, e.init->tg);
	ck_assert_int_eq(th->tid, 2);
	ck_assert_int_eq(th->tg->pid, 1); /* getpid() is the leader's */
	ck_assert_int_eq(e.init->tg->nr_threads, 2);
	ck_assert_ptr_null(e.init->tg->children); /* a thread is no child */
	ck_assert_ptr_null(tg_by_pid(e.k, 2));	  /* nor a process */
	ck_assert_ptr_eq(tg_by_tid(e.init, 2), e.init->tg);
	ck_assert_str_eq(task_comm(th), task_comm(e.init));
	/* The next id goes on from the thread's: one id space, as Linux's */
	struct task *c = fake_env_fork(&e, th, 0);
	ck_assert_int_eq(c->tg->pid, 3);
	ck_assert_int_eq(c->tg->ppid, 1);
	fake_env_fini(&e);
}
END_TEST

START_TEST(thread_exit_keeps_the_process)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *th = fake_env_fork(&e, e.init, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES);
	fake_env_exit(th, 0);
	ck_assert_int_eq(e.init->tg->nr_threads, 1);
	ck_assert(!e.init->tg->zombie);
	ck_assert_ptr_null(task_by_tid(e.k, 2));
	ck_assert_int_eq(e.k->nr_tasks, 1);
	fake_env_fini(&e);
}
END_TEST

START_TEST(exit_makes_a_zombie_and_tells_the_parent)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	struct tgroup *ctg = c->tg;
	/* The parent waits in wait4: parked on its own process */
	sched_park(e.init, e.init->tg, -1, 0, 0);
	ck_assert(sched_parked(e.init));
	fake_env_exit(c, 7 << 8); /* exit(7) */
	ck_assert(ctg->zombie);
	ck_assert_int_eq(ctg->nr_threads, 0);
	ck_assert(WIFEXITED(ctg->wstatus));
	ck_assert_int_eq(WEXITSTATUS(ctg->wstatus), 7);
	ck_assert_ptr_null(ctg->mm);  /* a zombie keeps no books ... */
	ck_assert_ptr_null(ctg->fdt);
	ck_assert_ptr_eq(tg_by_pid(e.k, 2), ctg); /* ... but its pid, until reaped */
	ck_assert_ptr_null(task_by_tid(e.k, 2));
	ck_assert_int_eq(e.k->nr_zombies, 1);
	ck_assert(!sched_parked(e.init)); /* woken */
	/* SIGCHLD's siginfo as Linux's do_notify_parent: CLD_EXITED, the status */
	siginfo_t si;
	ck_assert(fake_taken(e.init, SIGCHLD, SI_TKILL, &si));
	ck_assert_int_eq(si.si_signo, SIGCHLD);
	ck_assert_int_eq(si.si_code, CLD_EXITED);
	ck_assert_int_eq(si.si_pid, 2);
	ck_assert_int_eq(si.si_status, 7);
	/* and the host stand-in has it pending (blocked there) */
	ck_assert(fake_host_pending(e.init->hpid) & SIGBIT(SIGCHLD));
	tg_reap(e.k, ctg);
	ck_assert_ptr_null(tg_by_pid(e.k, 2));
	ck_assert_ptr_null(e.init->tg->children);
	ck_assert_int_eq(e.k->nr_zombies, 0);
	fake_env_fini(&e);
}
END_TEST

START_TEST(killed_child_reports_the_signal)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	fake_env_exit(c, SIGTERM); /* killed by SIGTERM */
	siginfo_t si;
	ck_assert(fake_taken(e.init, SIGCHLD, SI_TKILL, &si));
	ck_assert_int_eq(si.si_code, CLD_KILLED);
	ck_assert_int_eq(si.si_status, SIGTERM);
	fake_env_fini(&e);
}
END_TEST

START_TEST(ignored_sigchld_reaps_at_once)
{
	struct fake_env e;
	fake_env_init(&e);
	/* SIGCHLD set to SIG_IGN: the child is reaped at once, no zombie (wait(2) NOTES) */
	e.init->tg->sig.action[SIGCHLD - 1].handler = (unsigned long)SIG_IGN;
	struct task *c = fake_env_fork(&e, e.init, 0);
	fake_env_exit(c, 0);
	ck_assert_ptr_null(tg_by_pid(e.k, 2));
	ck_assert_int_eq(e.k->nr_zombies, 0);
	ck_assert_ptr_null(e.init->tg->children);
	fake_env_fini(&e);
}
END_TEST

START_TEST(orphans_go_to_pid_1)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	struct task *g = fake_env_fork(&e, c, 0);
	ck_assert_int_eq(g->tg->ppid, 2);
	fake_env_exit(c, 0);
	ck_assert_int_eq(g->tg->ppid, 1);
	ck_assert_ptr_eq(g->tg->parent, e.init->tg);
	/* the grandchild's death now tells PID 1 */
	fake_env_exit(g, 3 << 8);
	ck_assert(tg_by_pid(e.k, 3)->zombie);
	siginfo_t si;
	ck_assert(fake_taken(e.init, SIGCHLD, SI_TKILL, &si));
	ck_assert_int_eq(si.si_pid, 3); /* the latest SIGCHLD's: signals 1..31 do not queue */
	fake_env_fini(&e);
}
END_TEST

START_TEST(subreaper_adopts)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *r = fake_env_fork(&e, e.init, 0);
	r->tg->subreaper = true;
	struct task *c = fake_env_fork(&e, r, 0);
	struct task *g = fake_env_fork(&e, c, 0);
	fake_env_exit(c, 0);
	ck_assert_ptr_eq(g->tg->parent, r->tg); /* PR_SET_CHILD_SUBREAPER: the nearest subreaper */
	ck_assert_int_eq(g->tg->ppid, r->tg->pid);
	fake_env_fini(&e);
}
END_TEST

START_TEST(group_stop_reports_to_the_parent)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	struct task *th = fake_env_fork(&e, c, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES);
	task_set_state(c, TASK_JOBSTOP);
	task_stopped(c, SIGTSTP);
	ck_assert(!c->tg->stopped); /* its other thread still runs */
	task_set_state(th, TASK_JOBSTOP);
	task_stopped(th, SIGTSTP);
	ck_assert(c->tg->stopped);
	ck_assert_int_eq(c->tg->stop_report, SIGTSTP);
	siginfo_t si;
	ck_assert(fake_taken(e.init, SIGCHLD, SI_TKILL, &si));
	ck_assert_int_eq(si.si_code, CLD_STOPPED);
	ck_assert_int_eq(si.si_status, SIGTSTP);
	ck_assert_int_eq(si.si_pid, c->tg->pid);
	fake_env_fini(&e);
}
END_TEST

START_TEST(wait_selects_and_reaps)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *live = fake_env_fork(&e, e.init, 0);
	struct task *dead = fake_env_fork(&e, e.init, 0);
	int live_pid = live->tg->pid, dead_pid = dead->tg->pid;
	struct tgroup *dtg = dead->tg;
	struct wait_sel all = {P_ALL, 0, WEXITED}, one = {P_PID, live_pid, WEXITED};
	struct wait_sel none = {P_PID, 99, WEXITED}, clones = {P_ALL, 0, WEXITED | __WCLONE};
	bool any;
	fake_env_exit(dead, 3 << 8);
	/* The zombie reports its status; the live child has nothing yet. */
	ck_assert_ptr_eq(reap_find(e.init, &all, &any), dtg);
	ck_assert_int_eq(reap_status(dtg, WEXITED), 3 << 8);
	ck_assert_int_eq(reap_status(dtg, WSTOPPED), -1);
	ck_assert_ptr_null(reap_find(e.init, &one, &any));
	ck_assert(any);
	ck_assert_ptr_null(reap_find(e.init, &none, &any));
	ck_assert(!any); /* ECHILD */
	ck_assert_ptr_null(reap_find(e.init, &clones, &any));
	ck_assert(!any); /* SIGCHLD children are no "clone" children */
	reap_take(e.k, dtg);
	ck_assert_ptr_null(tg_by_pid(e.k, dead_pid));
	ck_assert_ptr_null(reap_find(e.init, &all, &any));
	ck_assert(any); /* the live one is left */
	fake_env_fini(&e);
}
END_TEST

START_TEST(credential_setters_follow_sys_c)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	const struct creds *c = &t->tg->cred;
	ck_assert_int_eq(c->euid, 0);
	/* root drops to 1000 keeping a saved 0, then takes its saved id back */
	ck_assert_int_eq(cred_setresid(t, CRED_UID, 1000, 1000, 0), 0);
	ck_assert(t->tg->undumpable); /* the effective id changed */
	ck_assert_uint_eq(c->cap_eff, 0); /* euid left 0: cap_emulate_setxuid */
	ck_assert_uint_eq(c->cap_prm, CREDS_CAP_FULL); /* the saved uid is still 0 */
	ck_assert_int_eq(cred_setid(t, CRED_UID, 2000), -EPERM);
	ck_assert_int_eq(cred_setid(t, CRED_UID, 0), 0);
	ck_assert_int_eq(c->uid, 1000); /* unprivileged setuid: effective and fs only */
	ck_assert_int_eq(c->euid, 0);
	ck_assert_int_eq(c->suid, 0);
	ck_assert_int_eq(c->fsuid, 0);
	ck_assert_uint_eq(c->cap_eff, CREDS_CAP_FULL); /* euid 0 again: effective = permitted */
	/* setfsgid gives the old fs id, and never an error */
	ck_assert_int_eq(cred_setfsid(t, CRED_GID, 5), 0);
	ck_assert_int_eq(cred_setfsid(t, CRED_GID, -1), 5);
	ck_assert_int_eq(cred_setreid(t, CRED_GID, -1, 7), 0);
	ck_assert_int_eq(c->sgid, 7); /* a new effective id other than the real one is saved */
	gid_t groups[] = {30, 10, 20};
	ck_assert_int_eq(cred_setgroups(t, groups, 3), 0);
	ck_assert_int_eq(c->ngroups, 3);
	ck_assert_int_eq(c->groups[0], 10); /* sorted, as groups_sort() */
	gid_t bad[] = {(gid_t)-1};
	ck_assert_int_eq(cred_setgroups(t, bad, 1), -EINVAL);
	fake_env_fini(&e);
}
END_TEST

Suite *task_suite(void)
{
	Suite *s = suite_create("task");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, init_is_pid_1);
	tcase_add_test(tc, fork_makes_a_child_process);
	tcase_add_test(tc, clone_files_shares_the_table);
	tcase_add_test(tc, thread_joins_the_process);
	tcase_add_test(tc, thread_exit_keeps_the_process);
	tcase_add_test(tc, exit_makes_a_zombie_and_tells_the_parent);
	tcase_add_test(tc, killed_child_reports_the_signal);
	tcase_add_test(tc, ignored_sigchld_reaps_at_once);
	tcase_add_test(tc, orphans_go_to_pid_1);
	tcase_add_test(tc, subreaper_adopts);
	tcase_add_test(tc, group_stop_reports_to_the_parent);
	tcase_add_test(tc, wait_selects_and_reaps);
	tcase_add_test(tc, credential_setters_follow_sys_c);
	suite_add_tcase(s, tc);
	return s;
}
