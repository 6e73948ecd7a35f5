/*
 * Reading the host's view of a guest's special regions (see hostmaps.h).
 * Only bracketed names are taken ([stack], [vdso] ...), and uos's page
 * (guestlib/stub.h), which the host names after the stub's memfd and uos
 * books as [uos]: every other region uos placed itself and knows from its
 * own books.
 */
#include "hostmaps.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mm.h"
#include "stub.h"
#include "task.h"

struct region {
	unsigned long start, end, off;
	int prot;
	char name[64];
};

/* Call fn for each bracketed region of t in the host's maps.  0 or -errno. */
static int each_special(struct task *t, void (*fn)(struct task *, const struct region *, void *),
			void *ctx)
{
	char path[64], perms[8], *save = NULL;
	snprintf(path, sizeof(path), "/proc/%d/maps", t->hpid);
	char *maps = uos_proc_read(path, false);
	if (!maps)
		return -errno;
	for (char *line = strtok_r(maps, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct region r = {0};
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %63s", &r.start, &r.end, perms, &r.off,
			   r.name) < 4)
			continue;
		if (r.start >= STUB_ADDR && r.end <= STUB_END)
			snprintf(r.name, sizeof(r.name), "[uos]"); /* the host names the stub's memfd */
		if (r.name[0] != '[')
			continue;
		r.prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
			 (perms[2] == 'x' ? PROT_EXEC : 0);
		fn(t, &r, ctx);
	}
	free(maps);
	return 0;
}

static void record(struct task *t, const struct region *r, void *ctx)
{
	unsigned long *bounds = ctx;
	struct vma_src src = {r->name, 0, 0, r->off};
	mm_map(t->tg->mm, r->start, r->end - r->start, r->prot, MAP_PRIVATE, &src);
	if (!strcmp(r->name, "[stack]")) {
		bounds[0] = r->start;
		bounds[1] = r->end;
	}
	if (!strcmp(r->name, "[vdso]"))
		t->tg->mm->vdso = r->start;
}

int hostmaps_record(struct task *t, unsigned long *lo, unsigned long *top)
{
	unsigned long bounds[2] = {0, 0};
	int r = each_special(t, record, bounds);
	*lo = bounds[0];
	*top = bounds[1];
	mm_base_from_exec(t->tg->mm, bounds[0]);
	return r < 0 ? r : bounds[1] ? 0 : -ENOEXEC;
}

static void sync_stack(struct task *t, const struct region *r, void *ctx)
{
	if (strcmp(r->name, "[stack]"))
		return;
	struct vma *v = mm_find(t->tg->mm, r->end - 1);
	if (v && v->name && !strcmp(v->name, "[stack]") && v->start != r->start) {
		struct vma_src src = {r->name, 0, 0, 0};
		mm_map(t->tg->mm, r->start, r->end - r->start, r->prot, MAP_PRIVATE, &src);
	}
}

void hostmaps_sync_stack(struct task *t)
{
	each_special(t, sync_stack, NULL);
}
