/* A pidfd in a process's fd table (see pidfd.h). */
#include "pidfd.h"
#include "fdkinds.h"

#include "fdtable.h"
#include "task.h"
#include "vfs.h"

long pidfd_install(struct task *t, struct tgroup *tg, const struct task *thread, int flags)
{
	struct vfs_file *f;
	int r = vfs_pidfd(t->k, tg, thread, flags, &f);
	if (r < 0)
		return r;
	r = fdt_install(t->tg->fdt, f, 0, fdt_nofile(t), true);
	if (r < 0)
		vfs_file_put(f);
	return r;
}
