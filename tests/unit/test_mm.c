/*
 * Unit tests for the memory books (supervisor/kernel/mm.c): map, unmap, protect and
 * remap on the VMA list, Linux's merge rules, and the /proc/PID/maps text,
 * checked against literal lines and against the host's own /proc/self/maps.
 * Also the crash report line (crash.c), which shares no state with a guest
 * once its code bytes are read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#include "crash.h"
#include "mm.h"
#include "suites.h"

#define P 4096UL
#define RW (PROT_READ | PROT_WRITE)
#define B 0x400000UL

static struct mm *mm;

static void setup(void)
{
	mm = mm_alloc();
	ck_assert_ptr_nonnull(mm);
}

static void teardown(void)
{
	mm_free(mm);
}

static int count(void)
{
	return (int)mm_count(mm);
}

/* The i-th region, which must exist. */
static struct vma *nth(int i)
{
	struct vma *v = mm->vmas;
	while (i-- > 0 && v)
		v = v->next;
	ck_assert_ptr_nonnull(v);
	return v;
}

static void expect(int i, unsigned long start, unsigned long end, int prot)
{
	struct vma *v = nth(i);
	ck_assert_uint_eq(v->start, start);
	ck_assert_uint_eq(v->end, end);
	ck_assert_int_eq(v->prot, prot);
}

static const struct vma_src file_a = {.name = "/bin/a", .dev = 0x801, .ino = 1234, .off = 0};

START_TEST(map_merges_anonymous)
{
	ck_assert_int_eq(mm_map(mm, B, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_map(mm, B + P, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(count(), 1);
	expect(0, B, B + 2 * P, RW);
	/* Different prot, or shared, does not merge. */
	ck_assert_int_eq(mm_map(mm, B + 2 * P, P, PROT_READ, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_map(mm, B + 3 * P, P, PROT_READ, MAP_SHARED, NULL), 0);
	ck_assert_int_eq(count(), 3);
	ck_assert_uint_eq(mm->total, 4 * P);
}
END_TEST

START_TEST(map_names_do_not_merge)
{
	struct vma_src heap = {.name = "[heap]"}, stack = {.name = "[stack]"};
	ck_assert_int_eq(mm_map(mm, B, P, RW, MAP_PRIVATE, &heap), 0);
	ck_assert_int_eq(mm_map(mm, B + P, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_map(mm, B + 2 * P, P, RW, MAP_PRIVATE, &stack), 0);
	ck_assert_int_eq(count(), 3);
	/* The same name merges. */
	ck_assert_int_eq(mm_map(mm, B + 3 * P, P, RW, MAP_PRIVATE, &stack), 0);
	ck_assert_int_eq(count(), 3);
	expect(2, B + 2 * P, B + 4 * P, RW);
	ck_assert_str_eq(nth(2)->name, "[stack]");
}
END_TEST

START_TEST(map_file_offsets)
{
	struct vma_src s = file_a;
	ck_assert_int_eq(mm_map(mm, B, P, PROT_READ, MAP_PRIVATE, &s), 0);
	s.off = P;
	ck_assert_int_eq(mm_map(mm, B + P, P, PROT_READ, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(count(), 1);
	/* Not contiguous in the file: separate. */
	s.off = 5 * P;
	ck_assert_int_eq(mm_map(mm, B + 2 * P, P, PROT_READ, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(count(), 2);
	/* Another file with contiguous offset: separate. */
	s.off = 6 * P;
	s.ino = 99;
	ck_assert_int_eq(mm_map(mm, B + 3 * P, P, PROT_READ, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(count(), 3);
}
END_TEST

START_TEST(map_replaces_overlap)
{
	struct vma_src s = file_a;
	ck_assert_int_eq(mm_map(mm, B, 4 * P, PROT_READ, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(mm_map(mm, B + P, 2 * P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(count(), 3);
	expect(0, B, B + P, PROT_READ);
	expect(1, B + P, B + 3 * P, RW);
	expect(2, B + 3 * P, B + 4 * P, PROT_READ);
	ck_assert_uint_eq(nth(2)->off, 3 * P);
	ck_assert_ptr_null(nth(1)->name);
	ck_assert_uint_eq(mm->total, 4 * P);
	/* Covering everything replaces all three. */
	ck_assert_int_eq(mm_map(mm, B - P, 6 * P, PROT_NONE, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(count(), 1);
	expect(0, B - P, B + 5 * P, PROT_NONE);
	ck_assert_uint_eq(mm->total, 6 * P);
}
END_TEST

START_TEST(map_rejects_bad_ranges)
{
	ck_assert_int_eq(mm_map(mm, B + 1, P, RW, MAP_PRIVATE, NULL), -EINVAL);
	ck_assert_int_eq(mm_map(mm, B, 0, RW, MAP_PRIVATE, NULL), -EINVAL);
	ck_assert_int_eq(mm_map(mm, -P, 2 * P, RW, MAP_PRIVATE, NULL), -EINVAL);
	ck_assert_int_eq(count(), 0);
	/* A partial page is rounded up. */
	ck_assert_int_eq(mm_map(mm, B, 10, RW, MAP_PRIVATE, NULL), 0);
	expect(0, B, B + P, RW);
}
END_TEST

START_TEST(unmap_splits_and_holes)
{
	struct vma_src s = file_a;
	ck_assert_int_eq(mm_map(mm, B, 5 * P, PROT_READ, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(mm_unmap(mm, B + P, P), 0);
	ck_assert_int_eq(count(), 2);
	expect(0, B, B + P, PROT_READ);
	expect(1, B + 2 * P, B + 5 * P, PROT_READ);
	ck_assert_uint_eq(nth(1)->off, 2 * P);
	ck_assert_uint_eq(mm->total, 4 * P);
	/* Across a hole and past the end. */
	ck_assert_int_eq(mm_unmap(mm, B, 3 * P), 0);
	ck_assert_int_eq(count(), 1);
	expect(0, B + 3 * P, B + 5 * P, PROT_READ);
	ck_assert_uint_eq(nth(0)->off, 3 * P);
	/* Nothing there is fine. */
	ck_assert_int_eq(mm_unmap(mm, 0x10000000, P), 0);
	ck_assert_int_eq(mm_unmap(mm, B + 3 * P, 100 * P), 0);
	ck_assert_int_eq(count(), 0);
	ck_assert_uint_eq(mm->total, 0);
	/* Unmapping the middle does not re-merge what is left. */
	ck_assert_int_eq(mm_map(mm, B, 3 * P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_unmap(mm, B + P, P), 0);
	ck_assert_int_eq(mm_map(mm, B + P, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(count(), 1);
}
END_TEST

START_TEST(protect_splits_and_merges)
{
	ck_assert_int_eq(mm_map(mm, B, 4 * P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_protect(mm, B + P, P, PROT_READ), 0);
	ck_assert_int_eq(count(), 3);
	expect(0, B, B + P, RW);
	expect(1, B + P, B + 2 * P, PROT_READ);
	expect(2, B + 2 * P, B + 4 * P, RW);
	/* Back to RW: mprotect merges all three again. */
	ck_assert_int_eq(mm_protect(mm, B + P, P, RW), 0);
	ck_assert_int_eq(count(), 1);
	/* Over several regions at once. */
	ck_assert_int_eq(mm_protect(mm, B, P, PROT_NONE), 0);
	ck_assert_int_eq(mm_protect(mm, B + 2 * P, P, PROT_EXEC), 0);
	ck_assert_int_eq(count(), 4);
	ck_assert_int_eq(mm_protect(mm, B, 4 * P, PROT_READ), 0);
	ck_assert_int_eq(count(), 1);
	expect(0, B, B + 4 * P, PROT_READ);
	ck_assert_uint_eq(mm->total, 4 * P);
}
END_TEST

/* As Linux: the change stops at the hole, with ENOMEM; from a hole nothing changes. */
START_TEST(protect_stops_at_hole)
{
	ck_assert_int_eq(mm_map(mm, B, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_map(mm, B + 2 * P, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_protect(mm, B, 3 * P, PROT_READ), -ENOMEM);
	ck_assert_int_eq(count(), 2);
	expect(0, B, B + P, PROT_READ);
	expect(1, B + 2 * P, B + 3 * P, RW);
	ck_assert_int_eq(mm_protect(mm, B + P, 2 * P, PROT_READ), -ENOMEM);
	expect(1, B + 2 * P, B + 3 * P, RW);
	ck_assert_int_eq(mm_protect(mm, B + 1, P, PROT_READ), -EINVAL);
	ck_assert_int_eq(mm_protect(mm, B + P, 0, PROT_READ), 0);
}
END_TEST

START_TEST(protect_file_keeps_offsets)
{
	struct vma_src s = file_a;
	ck_assert_int_eq(mm_map(mm, B, 3 * P, PROT_READ, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(mm_protect(mm, B + P, P, PROT_READ | PROT_EXEC), 0);
	ck_assert_int_eq(count(), 3);
	ck_assert_uint_eq(nth(1)->off, P);
	ck_assert_uint_eq(nth(2)->off, 2 * P);
	ck_assert_str_eq(nth(2)->name, "/bin/a");
	ck_assert_int_eq(mm_protect(mm, B + P, P, PROT_READ), 0);
	ck_assert_int_eq(count(), 1);
	ck_assert_uint_eq(nth(0)->off, 0);
}
END_TEST

/* ld.so's RELRO: the data segment made read-only stays apart from the text before it. */
START_TEST(protect_relro_stays_apart)
{
	struct vma_src s = file_a;
	ck_assert_int_eq(mm_map(mm, B, 2 * P, PROT_READ, MAP_PRIVATE, &s), 0);
	s.off = 2 * P;
	ck_assert_int_eq(mm_map(mm, B + 2 * P, 2 * P, RW, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(mm_protect(mm, B + 2 * P, P, PROT_READ), 0);
	ck_assert_int_eq(count(), 3);
	expect(1, B + 2 * P, B + 3 * P, PROT_READ);
	/* Anonymous memory made read-only merges (an untouched region is uncharged). */
	ck_assert_int_eq(mm_map(mm, 0x800000, P, PROT_READ, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_map(mm, 0x801000, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(count(), 5);
	ck_assert_int_eq(mm_protect(mm, 0x801000, P, PROT_READ), 0);
	ck_assert_int_eq(count(), 4);
	/* A file page made writable and back is charged: it joins the RELRO page, not the text. */
	ck_assert_int_eq(mm_protect(mm, B + P, P, RW), 0);
	ck_assert_int_eq(mm_protect(mm, B + P, P, PROT_READ), 0);
	ck_assert_int_eq(count(), 4);
	expect(0, B, B + P, PROT_READ);
	expect(1, B + P, B + 3 * P, PROT_READ);
}
END_TEST

START_TEST(remap_in_place_and_move)
{
	struct vma_src s = file_a;
	s.off = 2 * P;
	ck_assert_int_eq(mm_map(mm, B, 2 * P, PROT_READ, MAP_SHARED, &s), 0);
	/* Grow in place: the file continues. */
	ck_assert_int_eq(mm_remap(mm, B, 2 * P, B, 4 * P), 0);
	ck_assert_int_eq(count(), 1);
	expect(0, B, B + 4 * P, PROT_READ);
	ck_assert_uint_eq(mm->total, 4 * P);
	/* Shrink in place. */
	ck_assert_int_eq(mm_remap(mm, B, 4 * P, B, P + 1), 0);
	expect(0, B, B + 2 * P, PROT_READ);
	/* Move the second page elsewhere. */
	ck_assert_int_eq(mm_remap(mm, B + P, P, 0x800000, 3 * P), 0);
	ck_assert_int_eq(count(), 2);
	expect(0, B, B + P, PROT_READ);
	expect(1, 0x800000, 0x800000 + 3 * P, PROT_READ);
	ck_assert_uint_eq(nth(1)->off, 3 * P);
	ck_assert_int_eq(nth(1)->flags, MAP_SHARED);
	ck_assert_str_eq(nth(1)->name, "/bin/a");
	ck_assert_uint_eq(mm->total, 4 * P);
	/* old_len 0 duplicates without unmapping. */
	ck_assert_int_eq(mm_remap(mm, B, 0, 0x900000, P), 0);
	ck_assert_int_eq(count(), 3);
	/* Not mapped, or crossing the region's end. */
	ck_assert_int_eq(mm_remap(mm, 0x100000, P, 0x200000, P), -EFAULT);
	ck_assert_int_eq(mm_remap(mm, B, 2 * P, 0x200000, P), -EFAULT);
}
END_TEST

START_TEST(find_and_covered)
{
	ck_assert_int_eq(mm_map(mm, B, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_map(mm, B + P, P, PROT_READ, MAP_PRIVATE, NULL), 0);
	ck_assert_int_eq(mm_map(mm, B + 3 * P, P, PROT_READ, MAP_PRIVATE, NULL), 0);
	ck_assert_ptr_eq(mm_find(mm, B + P + 5), nth(1));
	ck_assert_ptr_null(mm_find(mm, B + 2 * P));
	ck_assert_ptr_null(mm_find(mm, B - 1));
	ck_assert(mm_covered(mm, B, 2 * P));
	ck_assert(mm_covered(mm, B + 10, P));
	ck_assert(!mm_covered(mm, B, 3 * P));
	ck_assert(!mm_covered(mm, B + 2 * P, P));
	ck_assert(!mm_covered(mm, B + 3 * P, 2 * P));
}
END_TEST

START_TEST(clone_is_deep)
{
	struct vma_src s = file_a;
	ck_assert_int_eq(mm_map(mm, B, 2 * P, PROT_READ, MAP_PRIVATE, &s), 0);
	mm->brk = 0x1234000;
	struct mm *c = mm_clone(mm);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->brk, 0x1234000);
	ck_assert_uint_eq(c->total, 2 * P);
	ck_assert_ptr_ne(c->vmas, mm->vmas);
	ck_assert_ptr_ne(c->vmas->name, mm->vmas->name);
	ck_assert_int_eq(mm_unmap(mm, B, 2 * P), 0);
	ck_assert_str_eq(c->vmas->name, "/bin/a");
	mm_free(c);
}
END_TEST

START_TEST(render_literal)
{
	struct vma_src s = file_a;
	s.dev = makedev(8, 1);
	s.off = 0x2000;
	struct vma_src heap = {.name = "[heap]"};
	ck_assert_int_eq(mm_map(mm, B, P, PROT_READ | PROT_EXEC, MAP_PRIVATE, &s), 0);
	ck_assert_int_eq(mm_map(mm, 0x600000, 2 * P, RW, MAP_PRIVATE, &heap), 0);
	ck_assert_int_eq(mm_map(mm, 0x7f0000000000, P, RW, MAP_SHARED, NULL), 0);
	char *text;
	long n = mm_render_maps(mm, &text);
	const char *want =
	    "00400000-00401000 r-xp 00002000 08:01 1234                               /bin/a\n"
	    "00600000-00602000 rw-p 00000000 00:00 0                                  [heap]\n"
	    "7f0000000000-7f0000001000 rw-s 00000000 00:00 0 \n";
	ck_assert_str_eq(text, want);
	ck_assert_int_eq(n, (long)strlen(want));
	free(text);
}
END_TEST

/* Past column 72 seq_pad() adds no padding, only its one space: two in all. */
START_TEST(render_big_dev_and_long_line)
{
	struct vma_src s = {
	    .name = "/x", .dev = makedev(259, 0x12345), .ino = 18446744073709551615UL};
	ck_assert_int_eq(mm_map(mm, 0xffffffffff600000, P, RW, MAP_PRIVATE, &s), 0);
	char *text;
	ck_assert_int_ge(mm_render_maps(mm, &text), 0);
	ck_assert_str_eq(text, "ffffffffff600000-ffffffffff601000 rw-p 00000000 103:12345 "
			       "18446744073709551615  /x\n");
	free(text);
}
END_TEST

START_TEST(render_empty)
{
	char *text;
	ck_assert_int_eq(mm_render_maps(mm, &text), 0);
	ck_assert_str_eq(text, "");
	free(text);
}
END_TEST

/* Parse one /proc/self/maps line into the books of a fresh mm. */
static void parse_line(struct mm *m, const char *line)
{
	unsigned long start, end, ino;
	unsigned long long off;
	unsigned maj, min;
	char perms[5];
	int pos = 0;
	ck_assert_int_eq(sscanf(line, "%lx-%lx %4s %llx %x:%x %lu %n", &start, &end, perms, &off,
				&maj, &min, &ino, &pos),
			 7);
	const char *name = line + pos;
	struct vma_src s = {
	    .name = *name ? name : NULL, .dev = makedev(maj, min), .ino = ino, .off = off};
	int prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
		   (perms[2] == 'x' ? PROT_EXEC : 0);
	ck_assert_int_eq(
	    mm_map(m, start, end - start, prot, perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE, &s), 0);
}

/* Every line of the host's own maps renders back byte for byte. */
START_TEST(render_matches_host)
{
	FILE *f = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(f);
	char line[4096];
	int lines = 0;
	while (fgets(line, sizeof(line), f)) {
		struct mm *m = mm_alloc();
		line[strcspn(line, "\n")] = '\0';
		parse_line(m, line);
		char *text;
		ck_assert_int_ge(mm_render_maps(m, &text), 0);
		text[strcspn(text, "\n")] = '\0';
		ck_assert_str_eq(text, line);
		free(text);
		mm_free(m);
		lines++;
	}
	fclose(f);
	ck_assert_int_gt(lines, 3);
}
END_TEST

START_TEST(crash_line)
{
	char buf[320];
	siginfo_t si = {.si_signo = SIGSEGV, .si_code = SEGV_MAPERR};
	const unsigned char mov[] = {0xc7, 0x00, 0x01, 0x00, 0x00, 0x00};
	crash_format(buf, sizeof(buf), 1, SIGSEGV, &si, 0x401136, mov, sizeof(mov));
	ck_assert_str_eq(buf, "[1] SIGSEGV at address 0x0 (SEGV_MAPERR): rip 0x401136: "
			      "mov dword ptr [rax], 1");
	crash_format(buf, sizeof(buf), 2, SIGSEGV, &si, 0x401136, mov, 0);
	ck_assert_str_eq(buf, "[2] SIGSEGV at address 0x0 (SEGV_MAPERR): rip 0x401136: "
			      "code not readable");
	si.si_code = SI_TKILL;
	crash_format(buf, sizeof(buf), 3, SIGILL, &si, 0x1000, (const unsigned char *)"\x0f\x0b",
		     2);
	ck_assert_str_eq(buf, "[3] SIGILL (SI_TKILL): rip 0x1000: ud2");
	si.si_code = FPE_INTDIV;
	si.si_addr = (void *)0x1000;
	crash_format(buf, sizeof(buf), 3, SIGFPE, &si, 0x1000, (const unsigned char *)"\xf7\xf9",
		     2);
	ck_assert_str_eq(buf, "[3] SIGFPE at address 0x1000 (FPE_INTDIV): rip 0x1000: idiv ecx");
	ck_assert_str_eq(crash_signame(SIGBUS), "SIGBUS");
	ck_assert_str_eq(crash_signame(34), "SIGRTMIN+2");
	ck_assert_str_eq(crash_signame(65), "SIG?");
}
END_TEST

/* The host's top-down search: the highest gap below mmap_base, clear of a stack's guard gap. */
/* The host's [vdso], at the top of the mmap area, from top on. */
static void map_vdso(unsigned long top)
{
	struct vma_src vdso = {"[vdso]", 0, 0, 0};
	ck_assert_int_eq(mm_map(mm, top, 2 * P, PROT_READ | PROT_EXEC, MAP_PRIVATE, &vdso), 0);
}

START_TEST(place_top_down)
{
	const unsigned long top = 0x7f0000000000UL, M = 1UL << 20;
	map_vdso(top);
	ck_assert_uint_eq(mm_place(mm, P), 0); /* mmap_base not learnt yet */
	mm_placed(mm, 4 * P, top - 4 * P);     /* learnt from the host's first choice */
	ck_assert(!mm->placing);
	ck_assert_uint_eq(mm->mmap_base, top);
	ck_assert_uint_eq(mm_place(mm, P), top - P);
	ck_assert_int_eq(mm_map(mm, top - 4 * P, 4 * P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_uint_eq(mm_place(mm, 2 * P), top - 6 * P);
	mm_placed(mm, 2 * P, top - 6 * P);
	ck_assert(mm->placing);
	ck_assert_int_eq(mm_map(mm, top - 6 * P, 2 * P, RW, MAP_PRIVATE, NULL), 0);
	/* A hole that fits is taken before the space below; one too small is not. */
	ck_assert_int_eq(mm_unmap(mm, top - 3 * P, 2 * P), 0);
	ck_assert_uint_eq(mm_place(mm, 2 * P), top - 3 * P);
	ck_assert_uint_eq(mm_place(mm, 3 * P), top - 9 * P);
	/* 2 MiB and more: the host may align it to huge pages. */
	ck_assert_uint_eq(mm_place(mm, 2 * M), 0);
	ck_assert_uint_eq(mm_place(mm, 2 * M - P), top - 6 * P - 2 * M + P);
}
END_TEST

START_TEST(place_keeps_stack_guard)
{
	const unsigned long top = 0x7f0000000000UL, M = 1UL << 20;
	struct vma_src stack = {"[stack]", 0, 0, 0};
	map_vdso(top);
	mm_placed(mm, P, top - P);
	ck_assert_int_eq(mm_map(mm, top - 8 * P, 8 * P, RW, MAP_PRIVATE, &stack), 0);
	ck_assert_uint_eq(mm_place(mm, P), top - 8 * P - M - P);
	/* Everything below the base taken: the host would search bottom-up. */
	ck_assert_int_eq(mm_map(mm, P, top - 9 * P - M, PROT_NONE, MAP_PRIVATE, NULL), 0);
	ck_assert_uint_eq(mm_place(mm, P), 0);
}
END_TEST

/* The first choice learnt ended below a gap under [vdso]: the host fills that gap first. */
START_TEST(place_waits_for_room_above_base)
{
	const unsigned long top = 0x7f0000000000UL;
	map_vdso(top);
	mm_placed(mm, 4 * P, top - 8 * P); /* 4 pages of room left above it */
	ck_assert_int_eq(mm_map(mm, top - 8 * P, 4 * P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_uint_eq(mm_place(mm, 4 * P), 0); /* it fits above: the books cannot tell */
	ck_assert_uint_eq(mm_place(mm, 5 * P), top - 13 * P);
	mm_placed(mm, P, top - P); /* the host took the room above */
	ck_assert_int_eq(mm_map(mm, top - P, P, RW, MAP_PRIVATE, NULL), 0);
	ck_assert_uint_eq(mm->mmap_base, top);
	ck_assert_uint_eq(mm_place(mm, P), top - 2 * P);
}
END_TEST

/* At exec the vDSO's block is the host's first placement: the first no-hint one goes below it. */
START_TEST(place_base_from_exec)
{
	const unsigned long top = 0x7f0000000000UL;
	struct vma_src vvar = {"[vvar]", 0, 0, 0}, stack = {"[stack]", 0, 0, 0};
	ck_assert_int_eq(mm_map(mm, top - 4 * P, 4 * P, PROT_READ, MAP_PRIVATE, &vvar), 0);
	map_vdso(top);
	ck_assert_int_eq(mm_map(mm, top + (1UL << 30), 8 * P, RW, MAP_PRIVATE, &stack), 0);
	mm_base_from_exec(mm, top + (1UL << 30));
	ck_assert_uint_eq(mm->mmap_base, top - 4 * P); /* the block's bottom, [vvar] */
	ck_assert_uint_eq(mm_place(mm, 3 * P), top - 7 * P);
	mm_placed(mm, 3 * P, top - 7 * P); /* the loader's placement confirms it */
	ck_assert(mm->placing);
	mm_base_from_exec(mm, top + (1UL << 30)); /* a base known already stays */
	ck_assert_uint_eq(mm->mmap_base, top - 4 * P);
}
END_TEST

/* A vDSO above the stack (older kernels) says nothing of the base. */
START_TEST(place_base_not_above_stack)
{
	const unsigned long top = 0x7f0000000000UL;
	map_vdso(top);
	mm_base_from_exec(mm, top - (1UL << 30));
	ck_assert_uint_eq(mm->mmap_base, 0);
	ck_assert_uint_eq(mm_place(mm, P), 0);
}
END_TEST

Suite *mm_suite(void)
{
	Suite *s = suite_create("mm");
	TCase *tc = tcase_create("books");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, map_merges_anonymous);
	tcase_add_test(tc, map_names_do_not_merge);
	tcase_add_test(tc, map_file_offsets);
	tcase_add_test(tc, map_replaces_overlap);
	tcase_add_test(tc, map_rejects_bad_ranges);
	tcase_add_test(tc, unmap_splits_and_holes);
	tcase_add_test(tc, protect_splits_and_merges);
	tcase_add_test(tc, protect_stops_at_hole);
	tcase_add_test(tc, protect_file_keeps_offsets);
	tcase_add_test(tc, protect_relro_stays_apart);
	tcase_add_test(tc, remap_in_place_and_move);
	tcase_add_test(tc, find_and_covered);
	tcase_add_test(tc, clone_is_deep);
	tcase_add_test(tc, place_top_down);
	tcase_add_test(tc, place_keeps_stack_guard);
	tcase_add_test(tc, place_waits_for_room_above_base);
	tcase_add_test(tc, place_base_from_exec);
	tcase_add_test(tc, place_base_not_above_stack);
	suite_add_tcase(s, tc);

	TCase *r = tcase_create("render");
	tcase_add_checked_fixture(r, setup, teardown);
	tcase_set_timeout(r, 10);
	tcase_add_test(r, render_literal);
	tcase_add_test(r, render_big_dev_and_long_line);
	tcase_add_test(r, render_empty);
	tcase_add_test(r, render_matches_host);
	suite_add_tcase(s, r);

	TCase *c = tcase_create("crash");
	tcase_add_test(c, crash_line);
	suite_add_tcase(s, c);
	return s;
}
