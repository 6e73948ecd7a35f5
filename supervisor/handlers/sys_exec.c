/*
 * execve and execveat.  Everything that can fail is checked while the old
 * image is intact (exec_prepare: the file, #! lines, the ELF, the argument
 * sizes).  Then the host execs the stub in place of the program, with an
 * environment large enough for the new stack (guest_exec); the stub's exec
 * stop loads the program (exec_commit).  A vfork parent is released by that
 * host exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "exec.h"
#include "fdtable.h"
#include "guest.h"
#include "handlers.h"
#include "vfs.h"

#define MAX_ARG_STRLEN (32 * 4096)   /* Linux's limit for one string */
#define MAX_ARG_STRINGS 0x7fffffff
#define ARG_BYTES (2UL << 20)	     /* what exec_prepare accepts in all */

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/*
 * Read a NULL-terminated guest vector of strings, through the page copies
 * pg (the vector's page, a string's page: argv and envp share them, being
 * on one stack page as a rule).  0 or -EFAULT, -E2BIG, -ENOMEM.
 */
static int read_strv(struct task *t, unsigned long uv, struct gmem_page pg[2], char ***out)
{
	size_t n = 0, cap = 16, bytes = 0;
	char **v = calloc(cap + 1, sizeof(char *));
	char *buf = malloc(MAX_ARG_STRLEN);
	struct gmem_page *vec = &pg[0], *str = &pg[1];
	int r = v && buf ? 0 : -ENOMEM;
	while (r == 0 && uv) { /* a NULL vector is an empty one, as Linux allows */
		unsigned long p;
		if (gmem_page_read(t, vec, &p, uv + n * sizeof(p), sizeof(p))) {
			r = -EFAULT;
			break;
		}
		if (!p)
			break;
		long len = gmem_page_strncpy(t, str, buf, p, MAX_ARG_STRLEN);
		if (len < 0) {
			r = len == -ENAMETOOLONG ? -E2BIG : (int)len;
			break;
		}
		bytes += len + 1 + sizeof(char *);
		if (bytes > ARG_BYTES || n == MAX_ARG_STRINGS) {
			r = -E2BIG;
			break;
		}
		if (n == cap) {
			char **nv = realloc(v, (2 * cap + 1) * sizeof(char *));
			if (!nv) {
				r = -ENOMEM;
				break;
			}
			v = nv;
			cap *= 2;
		}
		v[n] = strdup(buf);
		v[++n] = NULL;
		if (!v[n - 1])
			r = -ENOMEM;
	}
	free(buf);
	if (r < 0) {
		strv_free(v);
		return r;
	}
	*out = v;
	return 0;
}

/* Exec path (a uos path) with guest vectors uargv and uenvp. */
static long do_exec(struct task *t, const char *path, unsigned long uargv, unsigned long uenvp)
{
	char **argv = NULL, **envp = NULL;
	const char *why;
	struct exec_plan *plan;
	struct gmem_page *pg = malloc(2 * sizeof(*pg));
	long r = pg ? 0 : -ENOMEM;
	if (pg)
		pg[0].addr = pg[1].addr = GMEM_NO_PAGE;
	if (r == 0)
		r = read_strv(t, uargv, pg, &argv);
	if (r == 0)
		r = read_strv(t, uenvp, pg, &envp);
	free(pg);
	if (r == 0)
		r = exec_prepare(t, path, argv, envp, false, &plan, &why);
	strv_free(argv);
	strv_free(envp);
	if (r < 0)
		return r;
	t->plan = plan;
	r = guest_exec(t, exec_stack_size(plan));
	if (r != -UOS_ENORESULT) {
		exec_plan_free(t->plan);
		t->plan = NULL;
	}
	return r;
}

long sys_execve(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	long len = gmem_strncpy(t, path, a->a[0], sizeof(path));
	if (len < 0)
		return len;
	return do_exec(t, path, a->a[1], a->a[2]);
}

/* execveat: dirfd-relative paths, AT_EMPTY_PATH on a file with a path (fexecve), AT_SYMLINK_NOFOLLOW. */
long sys_execveat(struct task *t, const struct sysargs *a)
{
	char path[PATH_MAX];
	int dirfd = (int)a->a[0], flags = (int)a->a[4];
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	long len = gmem_strncpy(t, path, a->a[1], sizeof(path));
	if (len < 0)
		return len;
	if (len == 0 && (flags & AT_EMPTY_PATH)) {
		struct vfs_file *f = fdt_get(t->tg->fdt, dirfd);
		if (!f)
			return -EBADF;
		if (!f->path || f->path[0] != '/')
			return -ENOENT;
		snprintf(path, sizeof(path), "%s", f->path);
	} else if (len == 0) {
		return -ENOENT;
	} else if (path[0] != '/' && dirfd != AT_FDCWD) {
		struct vfs_file *d = fdt_get(t->tg->fdt, dirfd);
		char rel[PATH_MAX];
		if (!d)
			return -EBADF;
		memcpy(rel, path, len + 1);
		if (snprintf(path, sizeof(path), "%s/%s", d->path, rel) >= (int)sizeof(path))
			return -ENAMETOOLONG;
	}
	struct stat st;
	if ((flags & AT_SYMLINK_NOFOLLOW) &&
	    vfs_stat(&t->vc, NULL, path, AT_SYMLINK_NOFOLLOW, &st) == 0 && S_ISLNK(st.st_mode))
		return -ELOOP; /* as open(O_NOFOLLOW) of the program */
	return do_exec(t, path, a->a[2], a->a[3]);
}
