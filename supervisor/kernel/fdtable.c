/*
 * The virtual fd table of a process: slot i holds a reference to the open
 * file the guest calls fd i, and its close-on-exec flag.
 *
 * The slot array grows on demand (doubling) up to FDT_NR_OPEN, Linux's
 * default fs.nr_open; RLIMIT_NOFILE is the caller's business (it passes the
 * limit in).  Lowest-free allocation as POSIX requires.  A table is shared
 * by CLONE_FILES threads through refs; the last fdt_put closes every slot.
 * The slots of every table are counted together against a bound
 * (MEMCG_FDSLOTS, Linux's file-max): growing past it is ENFILE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"
#include "memcg.h"
#include "task.h"
#include "vfs.h"

#define FDT_NR_OPEN (1 << 20)
#define FDT_MIN_SLOTS 64

struct fdtable *fdt_alloc(void)
{
	struct fdtable *fdt = calloc(1, sizeof(*fdt));

	if (!fdt)
		return NULL;
	fdt->refs = 1;
	fdt->max = FDT_NR_OPEN;
	return fdt;
}

/* Make sure slot fd exists.  0 or -EMFILE/-ENOMEM. */
static int grow(struct fdtable *fdt, int fd)
{
	if (fd < fdt->size)
		return 0;
	if (fd >= fdt->max)
		return -EMFILE;
	int size = fdt->size ? fdt->size : FDT_MIN_SLOTS;
	while (size <= fd)
		size *= 2;
	if (size > fdt->max)
		size = fdt->max;
	int err = memcg_take_n(fdt->cg, MEMCG_FDSLOTS, (unsigned long)(size - fdt->size));
	if (err)
		return err;
	struct fdslot *slot = realloc(fdt->slot, (size_t)size * sizeof(*slot));
	if (!slot) {
		memcg_give(fdt->cg, MEMCG_FDSLOTS, (unsigned long)(size - fdt->size));
		return -ENOMEM;
	}
	memset(slot + fdt->size, 0, (size_t)(size - fdt->size) * sizeof(*slot));
	fdt->slot = slot;
	fdt->size = size;
	return 0;
}

struct fdtable *fdt_clone(struct fdtable *fdt)
{
	struct fdtable *c = fdt_alloc();

	if (!c)
		return NULL;
	c->cg = fdt->cg;
	c->xfer = fdt->xfer; /* the host copies its table too */
	if (fdt->size && grow(c, fdt->size - 1)) {
		fdt_put(c);
		return NULL;
	}
	for (int fd = 0; fd < fdt->size; fd++) {
		c->slot[fd] = fdt->slot[fd];
		if (c->slot[fd].file)
			vfs_file_get(c->slot[fd].file);
	}
	return c;
}

void fdt_put(struct fdtable *fdt)
{
	if (!fdt || --fdt->refs > 0)
		return;
	for (int fd = 0; fd < fdt->size; fd++)
		vfs_file_put(fdt->slot[fd].file);
	memcg_give(fdt->cg, MEMCG_FDSLOTS, (unsigned long)fdt->size);
	free(fdt->slot);
	free(fdt);
}

struct vfs_file *fdt_get(struct fdtable *fdt, int fd)
{
	if (fd < 0 || fd >= fdt->size)
		return NULL;
	return fdt->slot[fd].file;
}

int fdt_install(struct fdtable *fdt, struct vfs_file *f, int minfd, int limit, bool cloexec)
{
	if (minfd < 0)
		minfd = 0;
	if (limit > fdt->max)
		limit = fdt->max;
	for (int fd = minfd; fd < limit; fd++) {
		if (fd < fdt->size && fdt->slot[fd].file)
			continue;
		int err = grow(fdt, fd);
		if (err)
			return err;
		fdt->slot[fd].file = f;
		fdt->slot[fd].cloexec = cloexec;
		return fd;
	}
	return -EMFILE;
}

int fdt_install_at(struct fdtable *fdt, int fd, struct vfs_file *f, bool cloexec)
{
	int err = fd < 0 ? -EBADF : grow(fdt, fd);

	if (err)
		return err == -EMFILE ? -EBADF : err == -ENFILE ? -ENOMEM : err;
	struct vfs_file *old = fdt->slot[fd].file;
	fdt->slot[fd].file = f;
	fdt->slot[fd].cloexec = cloexec;
	vfs_file_put(old);
	return fd;
}

int fdt_close(struct fdtable *fdt, int fd)
{
	struct vfs_file *f = fdt_get(fdt, fd);

	if (!f)
		return -EBADF;
	fdt->slot[fd].file = NULL;
	fdt->slot[fd].cloexec = false;
	vfs_file_put(f);
	return 0;
}

int fdt_get_cloexec(struct fdtable *fdt, int fd)
{
	if (!fdt_get(fdt, fd))
		return -EBADF;
	return fdt->slot[fd].cloexec;
}

int fdt_set_cloexec(struct fdtable *fdt, int fd, bool on)
{
	if (!fdt_get(fdt, fd))
		return -EBADF;
	fdt->slot[fd].cloexec = on;
	return 0;
}

void fdt_close_on_exec(struct fdtable *fdt)
{
	for (int fd = 0; fd < fdt->size; fd++)
		if (fdt->slot[fd].file && fdt->slot[fd].cloexec)
			fdt_close(fdt, fd);
}

void fdt_close_range(struct fdtable *fdt, unsigned int first, unsigned int last, bool cloexec)
{
	if (first >= (unsigned int)fdt->size)
		return;
	if (last >= (unsigned int)fdt->size)
		last = (unsigned int)fdt->size - 1;
	for (unsigned int fd = first; fd <= last; fd++) {
		if (!fdt->slot[fd].file)
			continue;
		if (cloexec)
			fdt->slot[fd].cloexec = true;
		else
			fdt_close(fdt, (int)fd);
	}
}

int fdt_nofile(struct task *t)
{
	rlim_t cur = t->tg->rlim[RLIMIT_NOFILE].rlim_cur;

	return cur > FDT_NR_OPEN ? FDT_NR_OPEN : (int)cur;
}

int fdt_fget(struct task *t, int fd, bool io, struct vfs_file **out)
{
	struct vfs_file *f = t->tg->fdt ? fdt_get(t->tg->fdt, fd) : NULL;

	if (!f || (io && (f->flags & O_PATH)))
		return -EBADF;
	*out = f;
	return 0;
}
