/*
 * Tasks and processes: creation of PID 1, lookup by host or virtual id, and
 * teardown.  A task is linked into k->tasks for its whole life; a process
 * (struct tgroup) lives while one of its threads does.
 */
#include "task.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"
#include "fdtable.h"
#include "mm.h"
#include "vfs.h"

/* Give the guest the supervisor's stdio fds that are open, at the same numbers. */
static int install_stdio(struct kernel *k, struct fdtable *fdt)
{
	for (int fd = 0; fd < 3; fd++) {
		struct vfs_file *f;
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		int r = vfs_stdio(k, fd, &f);
		if (r < 0)
			return r;
		r = fdt_install_at(fdt, fd, f, false);
		if (r < 0) {
			vfs_file_put(f);
			return r;
		}
	}
	return 0;
}

static struct tgroup *tgroup_init(struct kernel *k, int pid)
{
	struct tgroup *tg = calloc(1, sizeof(*tg));
	char cwd[PATH_MAX];
	if (!tg)
		return NULL;
	tg->pid = tg->pgid = tg->sid = pid;
	tg->nr_threads = 1;
	tg->cred = (struct creds){k->opts.uid, k->opts.uid, k->opts.uid, k->opts.uid,
				  k->opts.gid, k->opts.gid, k->opts.gid, k->opts.gid};
	for (int r = 0; r < RLIM_NLIMITS; r++)
		getrlimit(r, &tg->rlim[r]);
	tg->fs.umask = umask(022);
	umask(tg->fs.umask);
	tg->fs.cwd = strdup(getcwd(cwd, sizeof(cwd)) ? cwd : "/");
	tg->mm = mm_alloc();
	tg->fdt = fdt_alloc();
	if (!tg->fs.cwd || !tg->mm || !tg->fdt || install_stdio(k, tg->fdt) < 0) {
		free(tg->fs.cwd);
		if (tg->mm)
			mm_free(tg->mm);
		if (tg->fdt)
			fdt_put(tg->fdt);
		free(tg);
		return NULL;
	}
	return tg;
}

struct task *task_create_init(struct kernel *k, pid_t hpid)
{
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tg = tgroup_init(k, k->next_pid);
	if (!t->tg) {
		free(t);
		return NULL;
	}
	t->k = k;
	t->tid = k->next_pid++;
	t->hpid = hpid;
	t->memfd = -1;
	t->next = k->tasks;
	k->tasks = t;
	k->nr_tasks++;
	return t;
}

static void tgroup_put(struct tgroup *tg)
{
	if (--tg->nr_threads > 0)
		return;
	mm_free(tg->mm);
	fdt_put(tg->fdt);
	free(tg->fs.cwd);
	free(tg->exe);
	free(tg);
}

void task_free(struct task *t)
{
	struct task **pp = &t->k->tasks;
	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	t->k->nr_tasks--;
	if (t->memfd >= 0)
		close(t->memfd);
	exec_plan_free(t->plan);
	tgroup_put(t->tg);
	free(t);
}

struct task *task_by_hpid(struct kernel *k, pid_t hpid)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->hpid == hpid)
			return t;
	return NULL;
}

struct task *task_by_tid(struct kernel *k, int tid)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}
