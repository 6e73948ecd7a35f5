/*
 * Tasks without a guest: the state machine (task_set_state stops uos on a
 * transition its table does not list) and the inheritance table (what
 * task_fork gives a new thread or process, what an exec resets).  The
 * parent is built by hand, as task_create_init would with stdio.
 */
#include <linux/securebits.h>
#include <check.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"
#include "mm.h"
#include "suites.h"
#include "task.h"

struct fixture {
	struct kernel k;
	struct task *p;
};

static void make_parent(struct fixture *f)
{
	struct tgroup *tg = calloc(1, sizeof(*tg));
	struct task *t = calloc(1, sizeof(*t));
	ck_assert_ptr_nonnull(tg);
	ck_assert_ptr_nonnull(t);
	kernel_init(&f->k);
	tg->pid = tg->pgid = tg->sid = f->k.next_pid;
	tg->nr_threads = 1;
	tg->exit_signal = SIGCHLD;
	tg->mm = mm_alloc();
	tg->fdt = fdt_alloc();
	tg->fdt->cg = &f->k.memcg;
	tg->fs.cwd = strdup("/home");
	tg->exe = strdup("/bin/sh");
	strcpy(tg->comm, "sh");
	tg->cred.securebits = SECBIT_KEEP_CAPS;
	tg->cred.cap_bnd = tg->cred.cap_prm = CREDS_CAP_FULL;
	tg->cred.euid = 1000; /* effective set empty, as cap_emulate_setxuid leaves it */
	tg->sig.action[SIGINT - 1].handler = 0x1234; /* caught */
	tg->sig.action[SIGPIPE - 1].handler = (unsigned long)SIG_IGN;
	tg->next = f->k.procs;
	f->k.procs = tg;
	t->k = &f->k;
	t->tg = tg;
	t->tid = f->k.next_pid++;
	t->state = TASK_ACTIVE;
	t->memfd = t->wait_fd = -1;
	t->nice = 5;
	t->timer_slack = 777;
	t->clone.ctid = 0x5000;
	t->next = f->k.tasks;
	f->k.tasks = t;
	f->k.nr_tasks++;
	f->p = t;
}

START_TEST(thread_shares_process)
{
	struct fixture f;
	make_parent(&f);
	struct task *c = task_fork(f.p, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
						CLONE_THREAD | CLONE_CHILD_CLEARTID, 0, 4242);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_eq(c->tg, f.p->tg);
	ck_assert_int_eq(f.p->tg->nr_threads, 2);
	ck_assert_int_eq(c->state, TASK_BORN);
	ck_assert_int_eq(c->hpid, 4242);
	ck_assert_int_ne(c->tid, f.p->tid);
	ck_assert_str_eq(c->comm, "sh"); /* the creator's name: the leader's is its process's */
	ck_assert_int_eq(c->nice, 5);
	ck_assert_uint_eq(c->timer_slack, 777);
	ck_assert_uint_eq(c->default_slack, 777);
	ck_assert_uint_eq(c->clear_child_tid, 0x5000);
	ck_assert_uint_eq(c->set_child_tid, 0);
	ck_assert_int_eq(c->memfd, -1);
	task_free_all(&f.k);
}
END_TEST

START_TEST(process_copies_or_shares)
{
	struct fixture f;
	make_parent(&f);
	f.p->tg->fdt->refs = 1;
	struct task *c = task_fork(f.p, CLONE_VM | CLONE_CHILD_SETTID, SIGUSR2, 4243);
	ck_assert_ptr_nonnull(c);
	struct tgroup *tg = c->tg;
	ck_assert_ptr_ne(tg, f.p->tg);
	ck_assert_int_eq(tg->pid, c->tid);
	ck_assert_int_eq(tg->nr_threads, 1);
	ck_assert_ptr_eq(tg->parent, f.p->tg);
	ck_assert_int_eq(tg->ppid, f.p->tg->pid);
	ck_assert_ptr_eq(f.p->tg->children, tg);
	ck_assert_int_eq(tg->exit_signal, SIGUSR2);
	ck_assert_int_eq(tg->host_tgid, 4243);
	ck_assert_ptr_eq(tg->mm, f.p->tg->mm); /* CLONE_VM */
	ck_assert_ptr_ne(tg->fdt, f.p->tg->fdt); /* no CLONE_FILES: a copy */
	ck_assert_int_eq(f.p->tg->fdt->refs, 1);
	ck_assert_str_eq(tg->fs.cwd, "/home");
	ck_assert_ptr_ne(tg->fs.cwd, f.p->tg->fs.cwd);
	ck_assert_str_eq(tg->exe, "/bin/sh");
	ck_assert_str_eq(tg->comm, "sh");
	ck_assert_uint_eq(tg->cred.securebits, SECBIT_KEEP_CAPS);
	ck_assert_uint_eq(tg->cred.cap_prm, CREDS_CAP_FULL);
	ck_assert(!tg->execed);
	ck_assert_uint_eq(tg->sig.action[SIGINT - 1].handler, 0x1234);
	ck_assert_str_eq(c->comm, ""); /* its name is its process's */
	ck_assert_uint_eq(c->set_child_tid, 0x5000);
	ck_assert_uint_eq(c->clear_child_tid, 0);
	ck_assert_int_eq(c->state, TASK_BORN);
	task_free_all(&f.k);
}
END_TEST

START_TEST(clone_parent_files)
{
	struct fixture f;
	make_parent(&f);
	f.p->tg->fdt->refs = 1;
	f.p->tg->exit_signal = SIGHUP;
	struct task *c = task_fork(f.p, CLONE_PARENT | CLONE_FILES, SIGUSR2, 4244);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_eq(c->tg->fdt, f.p->tg->fdt);
	ck_assert_int_eq(f.p->tg->fdt->refs, 2);
	ck_assert_ptr_ne(c->tg->mm, f.p->tg->mm);
	ck_assert_int_eq(c->tg->exit_signal, SIGHUP); /* the caller's own (copy_process) */
	ck_assert_ptr_eq(c->tg->parent, f.p->tg); /* the caller has no parent */
	task_free_all(&f.k);
}
END_TEST

START_TEST(exec_resets)
{
	struct fixture f;
	make_parent(&f);
	task_exec_inherit(f.p, "/usr/bin/env", "env");
	struct tgroup *tg = f.p->tg;
	ck_assert_str_eq(tg->exe, "/usr/bin/env");
	ck_assert_str_eq(tg->comm, "env");
	ck_assert(tg->execed);
	/* the creds are exec_commit's (exec_creds_install), not the table's */
	ck_assert_uint_eq(tg->cred.securebits, SECBIT_KEEP_CAPS);
	ck_assert_uint_eq(tg->sig.action[SIGINT - 1].handler, 0);
	ck_assert_uint_eq(tg->sig.action[SIGPIPE - 1].handler, (unsigned long)SIG_IGN);
	ck_assert_str_eq(tg->fs.cwd, "/home");
	task_free_all(&f.k);
}
END_TEST

START_TEST(legal_transitions)
{
	struct fixture f;
	make_parent(&f);
	struct task *t = f.p;
	t->state = TASK_BORN;
	task_set_state(t, TASK_ACTIVE);
	task_set_state(t, TASK_PARKED);
	task_set_state(t, TASK_RUNNABLE);
	task_set_state(t, TASK_ACTIVE);
	task_set_state(t, TASK_PARKED);
	task_set_state(t, TASK_ACTIVE);
	task_set_state(t, TASK_JOBSTOP);
	task_set_state(t, TASK_ACTIVE);
	task_set_state(t, TASK_VFORK_HELD);
	task_set_state(t, TASK_EXITING);
	ck_assert(task_exiting(t));
	task_free_all(&f.k);
}
END_TEST

START_TEST(parked_to_exiting_is_a_bug)
{
	struct fixture f;
	make_parent(&f);
	task_set_state(f.p, TASK_PARKED);
	task_set_state(f.p, TASK_EXITING); /* at_exit_event unparks first */
}
END_TEST

START_TEST(exiting_is_final)
{
	struct fixture f;
	make_parent(&f);
	task_set_state(f.p, TASK_EXITING);
	task_set_state(f.p, TASK_ACTIVE);
}
END_TEST

Suite *task_state_suite(void)
{
	Suite *s = suite_create("task_state");
	TCase *tc = tcase_create("inherit");
	tcase_add_test(tc, thread_shares_process);
	tcase_add_test(tc, process_copies_or_shares);
	tcase_add_test(tc, clone_parent_files);
	tcase_add_test(tc, exec_resets);
	suite_add_tcase(s, tc);
	tc = tcase_create("state");
	tcase_add_test(tc, legal_transitions);
	tcase_add_test_raise_signal(tc, parked_to_exiting_is_a_bug, SIGABRT);
	tcase_add_test_raise_signal(tc, exiting_is_final, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}
