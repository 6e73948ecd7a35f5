/*
 * Memory books: the VMA list of one guest address space.
 *
 * The list is a singly linked list sorted by start address.  Invariants kept
 * by every exported function: regions are page aligned, non-empty and never
 * overlap; each region owns its name string; mm->total is the sum of the
 * region sizes.  Adjacent regions are merged where Linux's vma_merge() would
 * merge them (same prot and flags, and either the same file at contiguous
 * offsets, or the same special name such as "[heap]", or both anonymous
 * without a name), but only around the range an operation touched, as Linux
 * does, so that /proc/PID/maps renders as the host renders it.
 *
 * A region is a file mapping when its name is a path (starts with '/'); only
 * file mappings carry an offset, as in show_map_vma() (fs/proc/task_mmu.c).
 * Linux also refuses to merge regions whose VM_ACCOUNT differs: a private
 * mapping made writable is charged, and stays charged when mprotect takes
 * write away (so a RELRO page stays apart from the read-only segment before
 * it), except an anonymous region, which uos assumes was never touched.
 * The sys_mm.c handlers call these functions after (or instead of) the host
 * call; this module never touches a guest.
 */
#include "mm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#define MM_PAGE 4096UL

static unsigned long page_up(unsigned long len)
{
	return (len + MM_PAGE - 1) & ~(MM_PAGE - 1);
}

static bool is_file(const struct vma *v)
{
	return v->name && v->name[0] == '/';
}

static struct vma *vma_new(unsigned long start, unsigned long end, int prot, int flags,
			   const struct vma_src *src)
{
	struct vma *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	/* accountable_mapping() in mm/mmap.c. */
	v->account = !(flags & (MAP_SHARED | MAP_NORESERVE)) && (prot & PROT_WRITE);
	if (src) {
		v->dev = src->dev;
		v->ino = src->ino;
		if (src->name) {
			v->name = strdup(src->name);
			if (!v->name) {
				free(v);
				return NULL;
			}
		}
		v->off = src->off; /* 0 for anonymous memory; [uos] is the stub's file */
	}
	return v;
}

static void vma_free(struct vma *v)
{
	free(v->name);
	free(v);
}

static struct vma *vma_dup(const struct vma *v)
{
	struct vma_src src = {.name = v->name, .dev = v->dev, .ino = v->ino, .off = v->off};
	struct vma *d = vma_new(v->start, v->end, v->prot, v->flags, &src);
	if (d)
		d->account = v->account;
	return d;
}

static bool same_name(const struct vma *a, const struct vma *b)
{
	if (!a->name || !b->name)
		return a->name == b->name;
	return strcmp(a->name, b->name) == 0;
}

/* Would Linux merge b into a?  a must be directly before b. */
static bool mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
	    a->account != b->account)
		return false;
	if (!same_name(a, b) || a->dev != b->dev || a->ino != b->ino)
		return false;
	return !is_file(a) || a->off + (a->end - a->start) == b->off;
}

/* Merge the pairs whose shared boundary lies in [lo, hi]. */
static void merge_range(struct mm *mm, unsigned long lo, unsigned long hi)
{
	for (struct vma *v = mm->vmas; v && v->start <= hi; v = v->next) {
		while (v->next && v->next->start >= lo && v->next->start <= hi &&
		       mergeable(v, v->next)) {
			struct vma *n = v->next;
			v->end = n->end;
			v->next = n->next;
			vma_free(n);
		}
	}
}

/* Split the region strictly containing addr (if any) at addr.  0 or -ENOMEM. */
static int split_at(struct mm *mm, unsigned long addr)
{
	struct vma *v = mm_find(mm, addr);
	if (!v || v->start == addr)
		return 0;
	struct vma *b = vma_dup(v);
	if (!b)
		return -ENOMEM;
	b->start = addr;
	if (is_file(v))
		b->off = v->off + (addr - v->start);
	v->end = addr;
	b->next = v->next;
	v->next = b;
	return 0;
}

/* Split at both ends of [start, end); on failure undo, so nothing changed. */
static int split_range(struct mm *mm, unsigned long start, unsigned long end)
{
	if (split_at(mm, start) < 0)
		return -ENOMEM;
	if (split_at(mm, end) < 0) {
		merge_range(mm, start, start);
		return -ENOMEM;
	}
	return 0;
}

/* Drop every region inside [start, end) (the range is already split). */
static void remove_range(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vma **pp = &mm->vmas;
	while (*pp && (*pp)->start < end) {
		struct vma *v = *pp;
		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			vma_free(v);
		} else {
			pp = &v->next;
		}
	}
}

/* Link v in at its sorted place; the range must be free. */
static void insert(struct mm *mm, struct vma *v)
{
	struct vma **pp = &mm->vmas;
	while (*pp && (*pp)->start < v->start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
}

static void recount(struct mm *mm)
{
	mm->total = 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		mm->total += v->end - v->start;
}

/* Check a range and round its length up to pages.  0 or -EINVAL. */
static int check_range(unsigned long start, unsigned long *len)
{
	if (start & (MM_PAGE - 1) || *len == 0)
		return -EINVAL;
	unsigned long l = page_up(*len);
	if (l < *len || start + l < start)
		return -EINVAL;
	*len = l;
	return 0;
}

struct mm *mm_alloc(void)
{
	struct mm *mm = calloc(1, sizeof(struct mm));
	if (mm)
		mm->users = 1;
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	mm->users++;
	return mm;
}

void mm_free(struct mm *mm)
{
	if (!mm || --mm->users > 0)
		return;
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		mm->vmas = v->next;
		vma_free(v);
	}
	free(mm);
}

struct mm *mm_clone(const struct mm *mm)
{
	struct mm *c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	*c = *mm;
	c->vmas = NULL;
	c->users = 1;
	struct vma **tail = &c->vmas;
	for (const struct vma *v = mm->vmas; v; v = v->next) {
		struct vma *d = vma_dup(v);
		if (!d) {
			mm_free(c);
			return NULL;
		}
		*tail = d;
		tail = &d->next;
	}
	return c;
}

/*
 * Record a mapping (MAP_FIXED semantics).  start must be page aligned and len
 * non-zero; len is rounded up to pages.  0, -EINVAL, or -ENOMEM (nothing
 * changed).
 */
int mm_map(struct mm *mm, unsigned long start, unsigned long len, int prot, int flags,
	   const struct vma_src *src)
{
	int err = check_range(start, &len);
	if (err)
		return err;
	struct vma *n = vma_new(start, start + len, prot, flags, src);
	if (!n)
		return -ENOMEM;
	if (split_range(mm, start, start + len) < 0) {
		vma_free(n);
		return -ENOMEM;
	}
	remove_range(mm, start, start + len);
	insert(mm, n);
	merge_range(mm, start, start + len);
	recount(mm);
	mm->shared |= (flags & MAP_SHARED) != 0;
	return 0;
}

/*
 * Forget [start, start+len); holes inside are fine, as for munmap(2).
 * 0, -EINVAL (unaligned start, zero length), or -ENOMEM.
 */
int mm_unmap(struct mm *mm, unsigned long start, unsigned long len)
{
	int err = check_range(start, &len);
	if (err)
		return err;
	if (split_range(mm, start, start + len) < 0)
		return -ENOMEM;
	remove_range(mm, start, start + len);
	recount(mm);
	return 0;
}

/* mprotect_fixup(): a private region becoming writable is charged; see the top. */
static void set_prot(struct vma *v, int prot)
{
	if (prot & PROT_WRITE)
		v->account |= !(v->flags & (MAP_SHARED | MAP_NORESERVE));
	else if (!is_file(v))
		v->account = false;
	v->prot = prot;
}

/* The end of the mapped run from start (start itself when start is in a hole), at most end. */
static unsigned long mapped_run(struct mm *mm, unsigned long start, unsigned long end)
{
	unsigned long at = start;
	for (struct vma *v = mm_find(mm, start); v && v->start <= at && at < end; v = v->next)
		at = v->end;
	return at < end ? at : end;
}

/*
 * Change the protection of [start, start+len).  A zero length succeeds, as
 * mprotect(2).  As do_mprotect_pkey(), a hole ends the change with -ENOMEM:
 * what lies before it has changed (nothing when start is in a hole).
 * -EINVAL for an unaligned start.
 */
int mm_protect(struct mm *mm, unsigned long start, unsigned long len, int prot)
{
	if (len == 0)
		return start & (MM_PAGE - 1) ? -EINVAL : 0;
	int err = check_range(start, &len);
	if (err)
		return err;
	unsigned long want = start + len, end = mapped_run(mm, start, want);
	if (end == start || split_range(mm, start, end) < 0)
		return -ENOMEM;
	for (struct vma *v = mm_find(mm, start); v && v->start < end; v = v->next)
		set_prot(v, prot);
	/* mprotect_fixup() merges with both neighbours and within the range. */
	merge_range(mm, start, end);
	return end < want ? -ENOMEM : 0;
}

/*
 * mremap books.  [old, old+old_len) must lie inside one region (-EFAULT
 * otherwise, as mremap(2)).  The region's properties move to
 * [new_addr, new_addr+new_len): in place when new_addr == old (grow or
 * shrink), else a move.  old_len 0 duplicates a shared mapping without
 * unmapping the old one.  0, -EFAULT, -EINVAL or -ENOMEM.
 */
int mm_remap(struct mm *mm, unsigned long old, unsigned long old_len, unsigned long new_addr,
	     unsigned long new_len)
{
	struct vma *v = mm_find(mm, old);
	if (!v)
		return -EFAULT;
	unsigned long olen = page_up(old_len);
	if (olen < old_len || olen > v->end - old)
		return -EFAULT;
	if (new_addr == old && new_len <= olen)
		return new_len == olen
			   ? 0
			   : mm_unmap(mm, old + page_up(new_len), olen - page_up(new_len));
	struct vma_src src = {.name = v->name,
			      .dev = v->dev,
			      .ino = v->ino,
			      .off = v->off + (is_file(v) ? old - v->start : 0)};
	int prot = v->prot, flags = v->flags;
	char *name = v->name ? strdup(v->name) : NULL;
	if (v->name && !name)
		return -ENOMEM;
	src.name = name;
	int err = 0;
	if (new_addr == old)
		src.off += is_file(v) ? olen : 0;
	if (new_addr == old)
		err = mm_map(mm, old + olen, new_len - olen, prot, flags, &src);
	else if (olen == 0 || (err = mm_unmap(mm, old, olen)) == 0)
		err = mm_map(mm, new_addr, new_len, prot, flags, &src);
	free(name);
	return err;
}

#define MM_PLACE_MAX (2UL << 20)	  /* PMD_SIZE: from here the host may align */
#define MM_STACK_GUARD (256 * MM_PAGE) /* stack_guard_gap */

static bool grows_down(const struct vma *v)
{
	return (v->flags & MAP_GROWSDOWN) || (v->name && !strcmp(v->name, "[stack]"));
}

/* vm_start_gap(): where the free space below v must end. */
static unsigned long start_gap(const struct vma *v)
{
	if (!grows_down(v))
		return v->start;
	return v->start > MM_STACK_GUARD ? v->start - MM_STACK_GUARD : 0;
}

/* The mapping the host put at the top of the mmap area at exec ([vvar], [vdso] ...)? */
static bool top_special(const struct vma *v)
{
	return v->name && (!strncmp(v->name, "[vvar", 5) || !strcmp(v->name, "[vdso]"));
}

/*
 * Could the host put len bytes above the books' mmap_base?  The host's own
 * base is only known to be at or above it: below the [vdso] at the top of
 * the mmap area, any gap left over the learnt base (a larger mapping the
 * host aligned, with room above it) comes first in the host's search.
 */
static bool room_above_base(const struct mm *mm, unsigned long len)
{
	unsigned long lo = mm->mmap_base;
	for (const struct vma *v = mm->vmas; v; v = v->next) {
		if (v->end <= lo)
			continue;
		unsigned long hi = start_gap(v);
		if (hi > lo && hi - lo >= len)
			return true;
		if (top_special(v) || grows_down(v))
			return false;
		lo = v->end;
	}
	return true;
}

unsigned long mm_gap_below(const struct mm *mm, unsigned long top, unsigned long len)
{
	len = page_up(len);
	unsigned long lo = MM_PAGE, best = 0;
	for (const struct vma *v = mm->vmas; len && lo < top; v = v->next) {
		unsigned long hi = v ? start_gap(v) : top;
		if (hi > top)
			hi = top;
		if (hi > lo && hi - lo >= len)
			best = hi - len;
		if (!v)
			break;
		if (v->end > lo)
			lo = v->end;
	}
	return best;
}

unsigned long mm_place(const struct mm *mm, unsigned long len)
{
	len = page_up(len);
	if (!mm->mmap_base || !len || len >= MM_PLACE_MAX || room_above_base(mm, len))
		return 0;
	return mm_gap_below(mm, mm->mmap_base, len);
}

bool mm_vacant(const struct mm *mm, unsigned long start, unsigned long len)
{
	len = page_up(len);
	if (start & (MM_PAGE - 1) || !len || start < MM_PAGE || start + len < start)
		return false;
	for (const struct vma *v = mm->vmas; v && v->start < start + len + MM_STACK_GUARD; v = v->next)
		if (v->end > start && start_gap(v) < start + len)
			return false;
	return true;
}

void mm_base_from_exec(struct mm *mm, unsigned long stack_lo)
{
	unsigned long lo = 0;
	for (const struct vma *v = mm->vmas; v; v = v->next)
		if (top_special(v) && (!lo || v->start < lo))
			lo = v->start;
	if (lo && lo < stack_lo && !mm->mmap_base)
		mm->mmap_base = lo;
}

void mm_placed(struct mm *mm, unsigned long len, unsigned long addr)
{
	len = page_up(len);
	if (!len || len >= MM_PLACE_MAX)
		return;
	mm->placing = mm_place(mm, len) == addr;
	if (addr + len > mm->mmap_base)
		mm->mmap_base = addr + len;
}

size_t mm_count(const struct mm *mm)
{
	size_t n = 0;
	for (const struct vma *v = mm->vmas; v; v = v->next)
		n++;
	return n;
}

struct vma *mm_find(struct mm *mm, unsigned long addr)
{
	for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

bool mm_covered(struct mm *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len;
	return end >= start && mapped_run(mm, start, end) == end;
}

/* Append one line for v; the name starts at column 74, as seq_pad() puts it. */
static int render_one(FILE *f, const struct vma *v)
{
	int n = fprintf(f, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", v->start, v->end,
			v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
			v->prot & PROT_EXEC ? 'x' : '-', v->flags & MAP_SHARED ? 's' : 'p', v->off,
			major(v->dev), minor(v->dev), v->ino);
	if (n < 0)
		return -ENOMEM;
	if (v->name) {
		/* seq_setwidth(25 + 6 * sizeof(void *) - 1) then seq_pad(' '). */
		fprintf(f, "%*s", n < 72 ? 72 - n + 1 : 1, "");
		/* seq_path() escapes a newline in a path as \012. */
		for (const char *c = v->name; *c; c++)
			*c == '\n' ? fputs("\\012", f) : fputc(*c, f);
	}
	fputc('\n', f);
	return 0;
}

long mm_render_maps(const struct mm *mm, char **out)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	if (!f)
		return -ENOMEM;
	int err = 0;
	for (const struct vma *v = mm->vmas; v && !err; v = v->next)
		err = render_one(f, v);
	if (fclose(f) != 0 || err) {
		free(buf);
		return -ENOMEM;
	}
	*out = buf;
	return (long)size;
}
