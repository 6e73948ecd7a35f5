/* pipe and pipe2: a new pipe (vfs/pipe.c) installed at the two lowest free fds. */
#include <errno.h>
#include <fcntl.h>

#include "fdtable.h"
#include "gmem.h"
#include "handlers.h"
#include "vfs.h"

static long do_pipe(struct task *t, unsigned long ufds, int flags)
{
	struct vfs_file *rd, *wr;
	int fds[2], limit = (int)t->tg->rlim[RLIMIT_NOFILE].rlim_cur;
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	int r = vfs_pipe(t->vc.ns, flags & (O_NONBLOCK | O_DIRECT), &rd, &wr);
	if (r < 0)
		return r;
	bool cloexec = flags & O_CLOEXEC;
	fds[0] = fdt_install(t->tg->fdt, rd, 0, limit, cloexec);
	if (fds[0] < 0) {
		vfs_file_put(rd);
		vfs_file_put(wr);
		return fds[0];
	}
	fds[1] = fdt_install(t->tg->fdt, wr, 0, limit, cloexec);
	if (fds[1] < 0) {
		fdt_close(t->tg->fdt, fds[0]);
		vfs_file_put(wr);
		return fds[1];
	}
	if (gmem_write(t, ufds, fds, sizeof(fds))) {
		fdt_close(t->tg->fdt, fds[0]);
		fdt_close(t->tg->fdt, fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(struct task *t, const struct sysargs *a)
{
	return do_pipe(t, a->a[0], 0);
}

long sys_pipe2(struct task *t, const struct sysargs *a)
{
	return do_pipe(t, a->a[0], (int)a->a[1]);
}
