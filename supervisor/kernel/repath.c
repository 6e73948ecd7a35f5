/*
 * What the VFS asks of the kernel (struct vfs_hooks, vfs.h): the kept paths
 * of every process follow renames and removals (after a rename, unlink or
 * rmdir); whether a lock owner lives; and the waits the VFS parks itself
 * (FIFO opens, blocking locks, hostfs opens that would block), which go to
 * the scheduler.  The VFS sees no process and no scheduler; this walks the
 * process list and parks tasks for it, and gives it k's wait queues to wake.
 */
#include "repath.h"

#include <string.h>

#include "ctty.h"
#include "fdtable.h"
#include "mm.h"
#include "scheduler.h"
#include "task.h"
#include "vfs.h"

/* Files whose name was removed keep the path they had (procfs adds " (deleted)"). */
static void repath_files(struct fdtable *fdt, const char *from, const char *to)
{
	for (int i = 0; fdt && i < fdt->size; i++)
		if (fdt->slot[i].file && !fdt->slot[i].file->removed)
			vfs_repath(&fdt->slot[i].file->path, from, to);
}

/* The process's paths that are not open files': cwd, root, exe, mapped regions' names. */
static void repath_proc(struct tgroup *tg, const char *from, const char *to)
{
	vfs_repath(&tg->fs.cwd, from, to);
	vfs_repath(&tg->fs.root, from, to);
	vfs_repath(&tg->exe, from, to);
	for (struct vma *v = tg->mm ? tg->mm->vmas : NULL; v; v = v->next)
		if (v->name && v->name[0] == '/')
			vfs_repath(&v->name, from, to);
}

static void moved(struct kernel *k, const char *from, const char *to)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next) {
		repath_files(tg->fdt, from, to);
		repath_proc(tg, from, to);
	}
}

static void gone(struct kernel *k, const char *name, const char *marked)
{
	for (struct tgroup *tg = k->procs; tg; tg = tg->next) {
		for (int i = 0; tg->fdt && i < tg->fdt->size; i++) {
			struct vfs_file *f = tg->fdt->slot[i].file;
			if (f && !strcmp(f->path, name))
				f->removed = true;
		}
		repath_proc(tg, name, marked);
	}
}

static bool pid_gone(struct kernel *k, int pid)
{
	struct tgroup *tg = tg_by_pid(k, pid);

	return !tg || tg->zombie;
}

/* The VFS's own waits: no host fd, no events. */
static void park(struct vfs_caller *c, const void *chan, long long deadline_ns)
{
	sched_park(c->task, chan, -1, 0, deadline_ns);
}

static const struct vfs_hooks hooks = {
	.moved = moved,
	.gone = gone,
	.pid_gone = pid_gone,
	.park = park,
	.waits_on = sched_waits_on,
	.tty_signal = ctty_signal_pgrp,
	.tty_hangup = ctty_hangup,
	.ctty = ctty_open_current,
};

void repath_init(struct kernel *k)
{
	vfs_set_hooks(k->vfs, &hooks, k, &k->waitq);
}
