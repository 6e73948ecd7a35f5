/* A pidfd in a process's fd table (see pidfd.h). */
#include "pidfd.h"
#include "fdkinds.h"

#include "fdtable.h"
#include "task.h"
#include "vfs.h"

static long install(struct task *t, struct vfs_file *f)
{
	int r = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), true);
	if (r < 0)
		vfs_file_put(f);
	return r;
}

long pidfd_install(struct task *t, struct tgroup *tg, const struct task *thread, int flags)
{
	struct vfs_file *f;
	int r = vfs_pidfd(t->k, tg, thread, flags, &f);
	return r < 0 ? r : install(t, f);
}

long pidfd_install_named(struct task *t, int pid, pid_t host_tgid)
{
	struct vfs_file *f;
	int r = vfs_pidfd_named(t->k, pid, host_tgid, &f);
	return r < 0 ? r : install(t, f);
}
