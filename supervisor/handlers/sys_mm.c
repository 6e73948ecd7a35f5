/*
 * Memory syscalls.  The guest's pages are host pages, so anonymous memory
 * calls run on the host (they act on nothing but the caller's address space)
 * and uos records the result in the books: at the syscall-exit stop, or at
 * the seccomp stop when the books can foretell it (below).  File
 * mappings and brk are uos's own: the file is handed to the guest as a host
 * fd for the mmap call (a foretold one is the guest's own call, run by the
 * host on that fd: guest_host_maps), and the heap is anonymous memory uos
 * places.
 * uos's page (guestlib/stub.h) is out of bounds: a call that would map
 * over, unmap, remap, mprotect or madvise any of it fails as it does on a
 * sealed mapping (mseal(2)), with EPERM (EEXIST for MAP_FIXED_NOREPLACE).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "fdtable.h"
#include "guest.h"
#include "mm.h"
#include "handlers.h"
#include "vfs.h"
#include "writeback.h"

#define PAGE 4096UL
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define IS_ERR(r) ((unsigned long)(r) >= (unsigned long)-4095)

/* Does [addr, addr + len) reach into uos's page?  (A range that wraps is the host's EINVAL.) */
static bool on_stub(unsigned long addr, unsigned long len)
{
	unsigned long end = addr + PAGE_UP(len);
	return end >= addr && addr < STUB_END && end > STUB_ADDR;
}

/*
 * Foretelling.  A call the host runs costs two stops: its seccomp stop, and
 * its exit stop, where the books learn the result.  When the books can tell
 * the result beforehand, uos writes them at the seccomp stop and lets the
 * host run the call with no exit stop; the guest still gets the host's own
 * result.  The books can tell only when
 *  - this task alone uses the address space: no other thread or vfork
 *    child can change it between the stop and the call;
 *  - they have never been found wrong (mm->differ);
 *  - no limit the host enforces can refuse the call: RLIMIT_AS and
 *    RLIMIT_DATA unlimited, overcommit not strict, no charged range above
 *    COMMIT_MAX, fewer than REGIONS_MAX regions (splits stay far from
 *    vm.max_map_count);
 *  - the range meets no special region ([vdso], [vvar], [uos]: the host
 *    may seal them) and no file mapping whose file could refuse the change.
 * A no-hint mmap is placed by mm_place(), which must have foretold the
 * host's last choice.  When an exit stop comes anyway (--trace,
 * --summary), the result is checked: a wrong one marks the books as
 * differing, which ends foretelling in that address space.
 */
#define TASK_TOP 0x7ffffffff000UL /* x86-64's TASK_SIZE with 4-level page tables */
#define FIXED_MIN 0x10000UL	  /* the usual vm.mmap_min_addr: MAP_FIXED below may be refused */
#define COMMIT_MAX (64UL << 20)
#define REGIONS_MAX 16384 /* vm.max_map_count is 65530 */
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)
/* Flags that change nothing the books foretell (MAP_STACK, MAP_DENYWRITE, MAP_EXECUTABLE). */
#define FORETOLD_FLAGS                                                                           \
	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_NORESERVE |         \
	 MAP_STACK | MAP_DENYWRITE | MAP_EXECUTABLE)

static bool can_foretell(struct task *t)
{
	struct tgroup *tg = t->tg;
	return tg->mm->users == 1 && tg->nr_threads == 1 && !tg->mm->differ &&
	       !t->k->commit_strict && tg->rlim[RLIMIT_AS].rlim_cur == RLIM_INFINITY &&
	       tg->rlim[RLIMIT_DATA].rlim_cur == RLIM_INFINITY && mm_count(tg->mm) < REGIONS_MAX;
}

/* Page aligned, not empty, below TASK_TOP: a range munmap and mmap take. */
static bool plain_range(unsigned long addr, unsigned long len)
{
	unsigned long l = PAGE_UP(len);
	return !(addr & (PAGE - 1)) && len && l >= len && addr < TASK_TOP && l <= TASK_TOP - addr;
}

static bool special(const struct vma *v)
{
	return v->name && v->name[0] == '[' && strcmp(v->name, "[heap]") &&
	       strcmp(v->name, "[stack]");
}

/* Does [addr, addr+len) meet a region, or only a special one? */
static bool meets(struct mm *mm, unsigned long addr, unsigned long len, bool special_only)
{
	unsigned long end = addr + PAGE_UP(len);
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > addr && (!special_only || special(v)))
			return true;
	return false;
}

/* Could mprotect to prot be refused by the file under v (noexec mount, read-only open)? */
static bool file_may_refuse(const struct vma *v, int prot)
{
	if (!v->ino || (v->name && v->name[0] != '/'))
		return false;
	int more = prot & ~v->prot;
	return (more & PROT_EXEC) || ((more & PROT_WRITE) && (v->flags & MAP_SHARED));
}

static long check_foretold(struct task *t, const struct sysargs *a, long ret)
{
	(void)a;
	t->k->stats.foretold_checked++;
	if (ret != t->foretold) {
		t->k->stats.foretold_wrong++;
		t->tg->mm->differ = true;
	}
	return ret;
}

/*
 * The call's result is r: book it now with `book`, the function its exit
 * stop would run, and let the host run it with no exit stop unless one
 * comes anyway.
 */
static long foretold(struct task *t, const struct sysargs *a, sys_exit_fn book, long r)
{
	if (book)
		book(t, a, r);
	t->foretold = r;
	t->host_check = check_foretold;
	t->k->stats.foretold++;
	return -UOS_EHOST;
}

/*
 * The offset a private mapping of a file takes: page aligned (checked
 * before), and the end of the range within a loff_t (file_mmap_ok).
 * Anonymous mappings are foretold with offset 0 only.
 */
static bool offset_taken(const struct sysargs *a)
{
	if ((int)a->a[3] & MAP_ANONYMOUS)
		return !a->a[5];
	return PAGE_UP(a->a[1]) <= LLONG_MAX && a->a[5] <= LLONG_MAX - PAGE_UP(a->a[1]);
}

/* The address a private mmap will return, or 0 when the books cannot tell. */
static unsigned long foretell_mmap(struct task *t, const struct sysargs *a)
{
	unsigned long addr = a->a[0], len = a->a[1];
	int prot = (int)a->a[2], flags = (int)a->a[3];
	struct mm *mm = t->tg->mm;
	bool charged = (prot & PROT_WRITE) && !(flags & MAP_NORESERVE);
	if ((flags & ~FORETOLD_FLAGS) || (flags & MAP_TYPE) != MAP_PRIVATE || (prot & ~RWX) ||
	    !offset_taken(a) || (charged && len > COMMIT_MAX) || !can_foretell(t))
		return 0;
	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		return addr || !mm->placing ? 0 : mm_place(mm, len);
	if (!plain_range(addr, len) || addr < FIXED_MIN ||
	    meets(mm, addr, len, !(flags & MAP_FIXED_NOREPLACE)))
		return 0;
	return addr;
}

static bool foretell_munmap(struct task *t, unsigned long addr, unsigned long len)
{
	return plain_range(addr, len) && can_foretell(t) && !meets(t->tg->mm, addr, len, true);
}

static bool foretell_mprotect(struct task *t, unsigned long addr, unsigned long len, int prot)
{
	struct mm *mm = t->tg->mm;
	if (!plain_range(addr, len) || (prot & ~RWX) || ((prot & PROT_WRITE) && len > COMMIT_MAX) ||
	    !can_foretell(t) || !mm_covered(mm, addr, PAGE_UP(len)))
		return false;
	for (struct vma *v = mm_find(mm, addr); v && v->start < addr + PAGE_UP(len); v = v->next)
		if (special(v) || file_may_refuse(v, prot))
			return false;
	return true;
}

/* A no-hint mapping the host placed teaches the books where it places them (mm_place). */
static void learn_place(struct mm *mm, const struct sysargs *a, long ret)
{
	int flags = (int)a->a[3];
	if (!IS_ERR(ret) && !a->a[0] && (flags & MAP_TYPE) == MAP_PRIVATE &&
	    !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_32BIT | MAP_HUGETLB)))
		mm_placed(mm, a->a[1], (unsigned long)ret);
}

static long book_mmap(struct task *t, const struct sysargs *a, long ret)
{
	if (!IS_ERR(ret))
		mm_map(t->tg->mm, ret, PAGE_UP(a->a[1]), (int)a->a[2],
		       (int)a->a[3] & MM_FLAGS, NULL);
	return ret;
}

static long mmap_done(struct task *t, const struct sysargs *a, long ret)
{
	learn_place(t->tg->mm, a, ret);
	return book_mmap(t, a, ret);
}

/*
 * Map f's host pages into the guest (guest.h), and record the region: a
 * private mapping of a regular file that the books foretell is the guest's
 * own call run by the host on the given file, with no stop after the give,
 * where the host's file takes every mapping (guest_host_maps).
 */
static long mmap_file(struct task *t, const struct sysargs *a, struct vfs_file *f)
{
	struct stat st;
	int acc = f->flags & O_ACCMODE;
	int prot = (int)a->a[2], flags = (int)a->a[3];
	/* As do_mmap(): the access mode first, then whether the file can be mapped. */
	if (acc == O_WRONLY || ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) &&
				acc != O_RDWR))
		return -EACCES;
	int hfd = vfs_hostfd(f);
	if (hfd < 0)
		return hfd;
	int r = vfs_fstat(f, &st);
	if (r < 0)
		return r;
	struct vma_src src = {f->path, st.st_dev, st.st_ino, a->a[5]};
	unsigned long at = S_ISREG(st.st_mode) ? foretell_mmap(t, a) : 0;
	long g = at ? guest_host_maps(t, hfd, acc == O_RDWR) : 1;
	if (g < 0)
		return g;
	if (g == 0) {
		mm_map(t->tg->mm, at, PAGE_UP(a->a[1]), prot, flags & MM_FLAGS, &src);
		return foretold(t, a, NULL, (long)at);
	}
	long ret = guest_map_file(t, hfd, acc == O_RDWR, a->a[0], a->a[1], prot, flags, a->a[5]);
	learn_place(t->tg->mm, a, ret);
	if (!IS_ERR(ret))
		mm_map(t->tg->mm, ret, PAGE_UP(a->a[1]), prot, flags & MM_FLAGS, &src);
	return ret;
}

/*
 * --memory: would `more` bytes of new mappings take the guests past the
 * limit, with what uos holds for them (tmpfs data, pipe buffers)?  memcg.c.
 */
static bool over_limit(struct task *t, unsigned long more)
{
	return memcg_over_mapped(&t->k->memcg, more);
}

long sys_mmap(struct task *t, const struct sysargs *a)
{
	int flags = (int)a->a[3];
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && on_stub(a->a[0], a->a[1]))
		return flags & MAP_FIXED ? -EPERM : -EEXIST;
	if (over_limit(t, PAGE_UP(a->a[1])))
		return -ENOMEM;
	if (flags & MAP_ANONYMOUS) {
		unsigned long at = foretell_mmap(t, a);
		if (!at) {
			t->host_exit = mmap_done;
			return -UOS_EHOST;
		}
		return foretold(t, a, book_mmap, (long)at);
	}
	if (a->a[5] & (PAGE - 1) || !a->a[1])
		return -EINVAL;
	struct vfs_file *f = fdt_get(t->tg->fdt, (int)a->a[4]);
	if (!f)
		return -EBADF;
	return mmap_file(t, a, f);
}

static long munmap_done(struct task *t, const struct sysargs *a, long ret)
{
	if (ret == 0)
		mm_unmap(t->tg->mm, a->a[0], PAGE_UP(a->a[1]));
	return ret;
}

long sys_munmap(struct task *t, const struct sysargs *a)
{
	if (on_stub(a->a[0], a->a[1]))
		return -EPERM;
	if (foretell_munmap(t, a->a[0], a->a[1]))
		return foretold(t, a, munmap_done, 0);
	t->host_exit = munmap_done;
	return -UOS_EHOST;
}

static long mprotect_done(struct task *t, const struct sysargs *a, long ret)
{
	if (ret == 0 || ret == -ENOMEM) /* a hole: what lies before it changed */
		mm_protect(t->tg->mm, a->a[0], PAGE_UP(a->a[1]),
			   (int)a->a[2] & RWX);
	return ret;
}

long sys_mprotect(struct task *t, const struct sysargs *a)
{
	if (on_stub(a->a[0], a->a[1]))
		return -EPERM;
	if (foretell_mprotect(t, a->a[0], a->a[1], (int)a->a[2]))
		return foretold(t, a, mprotect_done, 0);
	t->host_exit = mprotect_done;
	return -UOS_EHOST;
}

static long mremap_done(struct task *t, const struct sysargs *a, long ret)
{
	if (!IS_ERR(ret))
		mm_remap(t->tg->mm, a->a[0], PAGE_UP(a->a[1]), ret, PAGE_UP(a->a[2]));
	return ret;
}

long sys_mremap(struct task *t, const struct sysargs *a)
{
	if (on_stub(a->a[0], a->a[1]) ||
	    ((a->a[3] & MREMAP_FIXED) && on_stub(a->a[4], a->a[2])))
		return -EPERM;
	if (a->a[2] > a->a[1] && over_limit(t, PAGE_UP(a->a[2]) - PAGE_UP(a->a[1])))
		return -ENOMEM;
	t->host_exit = mremap_done;
	return -UOS_EHOST;
}

/* Newer than glibc 2.36's headers (asm-generic/mman-common.h). */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif

/* Advice that acts on the caller's own pages only: the host may run it. */
static const int host_advice[] = {
	MADV_NORMAL,	    MADV_RANDOM,	  MADV_SEQUENTIAL,    MADV_WILLNEED,
	MADV_DONTNEED,	    MADV_FREE,		  MADV_DONTFORK,      MADV_DOFORK,
	MADV_HUGEPAGE,	    MADV_NOHUGEPAGE,	  MADV_DONTDUMP,      MADV_DODUMP,
	MADV_WIPEONFORK,    MADV_KEEPONFORK,	  MADV_COLD,	      MADV_PAGEOUT,
	MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_DONTNEED_LOCKED, MADV_COLLAPSE,
	MADV_GUARD_INSTALL, MADV_GUARD_REMOVE,
};

/*
 * The rest: not KSM (it would share pages with the host's other processes:
 * EINVAL, as a kernel without CONFIG_KSM), not MADV_REMOVE (it punches
 * holes in files behind uos's back: EOPNOTSUPP, as a filesystem without
 * hole punching), not page poisoning (it needs CAP_SYS_ADMIN: EPERM).
 */
static long refused_advice(int advice)
{
	switch (advice) {
	case MADV_REMOVE:
		return -EOPNOTSUPP;
	case MADV_HWPOISON:
	case MADV_SOFT_OFFLINE:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

long sys_madvise(struct task *t, const struct sysargs *a)
{
	int advice = (int)a->a[2];
	for (size_t i = 0; i < ARRAY_SIZE(host_advice); i++)
		if (host_advice[i] == advice)
			return on_stub(a->a[0], a->a[1]) ? -EPERM : -UOS_EHOST;
	return refused_advice(advice);
}

/* Whether [start, start+len) holds a shared mapping of a file. */
static bool maps_shared_file(struct mm *mm, unsigned long start, unsigned long len)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (v->start < start + len && v->end > start && (v->flags & MAP_SHARED) && v->ino)
			return true;
	return false;
}

/*
 * A shared mapping's pages are the file's own copy (a host file's, or the
 * memfd of a file on an image, decision 7): MS_SYNC writes the images back
 * and waits for the host's disk, as sync does (the books keep no file per
 * region, so every image is written); MS_ASYNC has nothing to start.
 */
long sys_msync(struct task *t, const struct sysargs *a)
{
	unsigned long start = a->a[0], len = PAGE_UP(a->a[1]);

	if (wb_resumed(t))
		return wb_all(t);
	if (start & (PAGE - 1) || a->a[2] & ~(unsigned long)(MS_ASYNC | MS_SYNC | MS_INVALIDATE) ||
	    ((a->a[2] & MS_ASYNC) && (a->a[2] & MS_SYNC)))
		return -EINVAL;
	if (!mm_covered(t->tg->mm, start, len))
		return -ENOMEM;
	if ((a->a[2] & MS_SYNC) && maps_shared_file(t->tg->mm, start, len))
		return wb_all(t);
	return 0;
}

/*
 * brk: the heap is anonymous memory at [start_brk, brk).  Like Linux, a
 * request below start_brk or one that would run into another mapping leaves
 * the break where it is, and the call returns the current break.
 */
long sys_brk(struct task *t, const struct sysargs *a)
{
	struct mm *mm = t->tg->mm;
	unsigned long want = a->a[0], old_end = PAGE_UP(mm->brk), new_end = PAGE_UP(want);
	if (want < mm->start_brk)
		return mm->brk;
	if (new_end > old_end && over_limit(t, new_end - old_end))
		return mm->brk;
	if (new_end > old_end) {
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < new_end + PAGE && v->end > old_end)
				return mm->brk; /* keep a guard page, as Linux does */
		long r = GUEST_CALL(t, SYS_mmap, old_end, new_end - old_end, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1UL, 0);
		if (IS_ERR(r))
			return mm->brk;
		struct vma_src heap = {"[heap]", 0, 0, 0};
		mm_map(mm, old_end, new_end - old_end, PROT_READ | PROT_WRITE, MAP_PRIVATE, &heap);
	} else if (new_end < old_end) {
		if (GUEST_CALL(t, SYS_munmap, new_end, old_end - new_end) != 0)
			return mm->brk;
		mm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = want;
	return want;
}
