/*
 * Memory books: the VMA list of one guest address space.
 *
 * The guest's pages are real host pages; uos keeps the books.  The list is
 * sorted by address, regions never overlap, and adjacent regions that Linux
 * would merge are merged, so that the rendering of /proc/PID/maps matches
 * what the host shows for the same process.  Pure data: no ptrace here, so
 * the module is tested without a guest.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/types.h>

struct vma {
	struct vma *next;
	unsigned long start, end;    /* [start, end), page aligned */
	int prot;		     /* PROT_* */
	int flags;		     /* MAP_SHARED or MAP_PRIVATE, plus MAP_GROWSDOWN, MAP_NORESERVE */
	unsigned long long off;	     /* file offset of start, 0 when anonymous */
	unsigned long dev;	     /* device and inode of the file, as /proc shows them */
	unsigned long ino;
	char *name; /* file path, "[heap]", "[stack]", "[vdso]", or NULL */
	bool account; /* Linux's VM_ACCOUNT: private and once writable; blocks merges */
};

/* The mmap flags the books keep (the rest do not change what a region is). */
#define MM_FLAGS (MAP_SHARED | MAP_PRIVATE | MAP_GROWSDOWN | MAP_NORESERVE)

struct mm {
	struct vma *vmas;
	unsigned long start_brk, brk; /* the program break: [start_brk, brk) */
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long start_stack;
	unsigned long vdso;  /* where the host put the vDSO (AT_SYSINFO_EHDR) */
	unsigned long total; /* bytes mapped, for --memory */
	int users;	     /* processes sharing the books (vfork, CLONE_VM) */
	bool shared;	     /* ever held a MAP_SHARED region: other processes may see its words */
	/* The books' model of where the host puts a mapping (mm_place). */
	unsigned long mmap_base; /* the top of the host's top-down search, as learnt; 0: unknown */
	bool placing;		 /* mm_place() foretold the host's last choice */
	bool differ;		 /* a foretold result was wrong: the books may differ from the host */
};

/* What a new region maps: a file (name, dev, ino, off) or nothing. */
struct vma_src {
	const char *name;
	unsigned long dev, ino;
	unsigned long long off;
};

/* New empty books with one user. */
struct mm *mm_alloc(void);
/* Another user of the same books (CLONE_VM without CLONE_THREAD: vfork). */
struct mm *mm_get(struct mm *mm);
/* Drop a user; the last one frees the books. */
void mm_free(struct mm *mm);
/* A deep copy, for fork.  NULL on allocation failure. */
struct mm *mm_clone(const struct mm *mm);

/*
 * Record a mapping of [start, start+len) that replaces whatever was there
 * (MAP_FIXED semantics).  src may be NULL for anonymous memory; a src name
 * starting with '/' is a file (its offset counts), any other name ("[heap]",
 * "[stack]") is a special that merges only with the same name.  start must
 * be page aligned, len > 0 (rounded up to pages).  0, -EINVAL or -ENOMEM
 * (nothing changed).
 */
int mm_map(struct mm *mm, unsigned long start, unsigned long len, int prot, int flags,
	   const struct vma_src *src);
/* Forget [start, start+len); holes are fine.  0, -EINVAL, or -ENOMEM (a split failed). */
int mm_unmap(struct mm *mm, unsigned long start, unsigned long len);
/*
 * Change the protection of [start, start+len).  0, -EINVAL (unaligned start),
 * -ENOMEM (a hole: as Linux, the change stops there).  len 0 succeeds.
 */
int mm_protect(struct mm *mm, unsigned long start, unsigned long len, int prot);
/*
 * Move [old, old+old_len) to [new, new+new_len) (mremap books): in place
 * when new == old (grow or shrink), else a move; old_len 0 keeps the old
 * range (a shared duplicate).  The old range must lie in one region.
 * 0, -EFAULT (not one region), -EINVAL or -ENOMEM.
 */
int mm_remap(struct mm *mm, unsigned long old, unsigned long old_len, unsigned long new_addr,
	     unsigned long new_len);
/*
 * Where the host will put a new mapping of len bytes with no address hint,
 * as Linux's top-down search does (unmapped_area_topdown(), x86's
 * arch_get_unmapped_area_topdown()): the highest gap below mmap_base that
 * holds it, keeping a stack's guard gap (stack_guard_gap, 256 pages) free.
 * 0 when the books cannot tell: mmap_base unknown, or no such gap (the host
 * would then search bottom-up from a random base).  For lengths below 2 MiB
 * only: larger anonymous mappings and files may be aligned to huge pages.
 */
unsigned long mm_place(const struct mm *mm, unsigned long len);
/* The highest gap below top that holds len bytes (the search of mm_place, from any top): its address for them, or 0. */
unsigned long mm_gap_below(const struct mm *mm, unsigned long top, unsigned long len);
/* Are the len bytes at start free, a stack's guard gap too, so that the host maps them at a hint of start? */
bool mm_vacant(const struct mm *mm, unsigned long start, unsigned long len);
/*
 * The host put a no-hint mapping of len bytes at addr (not yet in the
 * books): whether mm_place foretold it becomes mm->placing, and mmap_base
 * rises to the top of it if it was lower (the host's base is at least that).
 */
void mm_placed(struct mm *mm, unsigned long len, unsigned long addr);
/*
 * Fresh books of an exec, with the host's special regions in them: the
 * host placed the vDSO's block ([vvar*], [vdso]) first, top-down from its
 * mmap base with no hint (Linux 6.x; the stub's own pages are at a fixed
 * address), so the next no-hint mapping goes right below the block.  Its
 * bottom becomes mmap_base, the base the books would learn from a
 * placement (mm_placed), so that the first one is foretold.  A block not
 * below the stack (stack_lo; a kernel that puts the vDSO above it) teaches
 * nothing: the books then learn the base from the first placement.
 */
void mm_base_from_exec(struct mm *mm, unsigned long stack_lo);
/* The number of regions. */
size_t mm_count(const struct mm *mm);
/* The region containing addr, or NULL. */
struct vma *mm_find(struct mm *mm, unsigned long addr);
/* True when [start, start+len) is entirely mapped. */
bool mm_covered(struct mm *mm, unsigned long start, unsigned long len);

/*
 * Render the books as /proc/PID/maps text into a malloc'd buffer.
 * Returns the length, or -ENOMEM.
 */
long mm_render_maps(const struct mm *mm, char **out);
