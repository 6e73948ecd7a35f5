/*
 * The working directory and the root: getcwd, chdir, fchdir, chroot.  The
 * cwd is kept as a path (t->tg->fs.cwd).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cred.h"
#include "fdtable.h"
#include "gmem.h"
#include "gpath.h"
#include "handlers.h"
#include "vfs.h"

/*
 * Whether the cwd was removed: an rmdir marks the kept path " (deleted)"
 * (vfs_name_gone), which then names nothing (unless someone made a
 * directory of that very name).
 */
#define CWD_DELETED " (deleted)"
static bool cwd_removed(struct task *t, const char *cwd)
{
	size_t len = strlen(cwd), ml = strlen(CWD_DELETED);

	if (len < ml || strcmp(cwd + len - ml, CWD_DELETED))
		return false;
	return vfs_access(&t->vc, NULL, cwd, F_OK, 0) == -ENOENT;
}

/* A cwd outside the process's root reads "(unreachable)/..." as in Linux. */
#define CWD_UNREACHABLE "(unreachable)"
long sys_getcwd(struct task *t, const struct sysargs *a)
{
	const char *canon = t->tg->fs.cwd ? t->tg->fs.cwd : "/";
	char seen[PATH_MAX], cwd[sizeof(CWD_UNREACHABLE) + PATH_MAX];

	/* getcwd(2): ENOENT when the current working directory has been unlinked. */
	if (cwd_removed(t, canon))
		return -ENOENT;
	bool outside = vfs_path_seen(&t->vc, canon, seen, sizeof(seen));
	snprintf(cwd, sizeof(cwd), "%s%s", outside ? CWD_UNREACHABLE : "", seen);
	size_t len = strlen(cwd) + 1;
	if (a->a[1] < len)
		return -ERANGE;
	return gmem_write(t, a->a[0], cwd, len) ? -EFAULT : (long)len;
}

long sys_chroot(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	int err = gpath_get(t, path, a->a[0]);

	return err ? err : vfs_chroot(&t->vc, path, cred_capable(t, CAP_SYS_CHROOT));
}

long sys_chdir(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	int err = gpath_get(t, path, a->a[0]);

	return err ? err : vfs_chdir(&t->vc, NULL, path);
}

long sys_fchdir(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], false, &f);

	return err ? err : vfs_fchdir(&t->vc, f);
}
