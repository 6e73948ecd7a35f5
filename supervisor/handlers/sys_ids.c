/*
 * The ids of a process and its threads (pid, tid, parent, process group,
 * session), the word CLONE_CHILD_CLEARTID clears, and the umask.  All are
 * uos's books (struct task, struct tgroup), never the host's view: the
 * guest is PID 1 of its own pid space.  Each call is compared against a
 * native run by tests/conformance/proc/diff_ids.c.
 */
#include <errno.h>
#include <sys/types.h>

#include "handlers.h"
#include "task.h"

long sys_getpid(struct task *t, const struct sysargs *a)
{
	return t->tg->pid;
}

long sys_gettid(struct task *t, const struct sysargs *a)
{
	return t->tid;
}

long sys_getppid(struct task *t, const struct sysargs *a)
{
	return t->tg->ppid;
}

long sys_getpgrp(struct task *t, const struct sysargs *a)
{
	return t->tg->pgid;
}

long sys_getpgid(struct task *t, const struct sysargs *a)
{
	struct tgroup *tg = tg_by_tid(t, (int)a->a[0]);
	return tg ? tg->pgid : -ESRCH;
}

long sys_getsid(struct task *t, const struct sysargs *a)
{
	struct tgroup *tg = tg_by_tid(t, (int)a->a[0]);
	return tg ? tg->sid : -ESRCH;
}

long sys_set_tid_address(struct task *t, const struct sysargs *a)
{
	/* The exit path clears this word and wakes its futex (CLONE_CHILD_CLEARTID). */
	t->clear_child_tid = a->a[0];
	return t->tid;
}

long sys_umask(struct task *t, const struct sysargs *a)
{
	mode_t old = t->tg->fs.umask;
	t->tg->fs.umask = a->a[0] & 0777;
	return old;
}
