/* mm_mmap_anon: anonymous private mappings are zero-filled and writable,
 * munmap can punch holes, MAP_FIXED_NOREPLACE sees what is mapped, and the
 * argument errors are the kernel's. */
#include <stdint.h>
#include <sys/mman.h>
#include "guest.h"

#define PG 4096UL

static void show_map(const char *what, void *p)
{
	if (p == MAP_FAILED)
		printf("%s = MAP_FAILED %s\n", what, ename(errno));
	else
		printf("%s = ok%s\n", what, ((uintptr_t)p & (PG - 1)) ? " (unaligned!)" : "");
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void basics(void)
{
	size_t len = 64 * PG;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_map("mmap 64 pages RW", p);
	EXPECT("zero-filled", all_zero(p, len));
	for (size_t i = 0; i < len; i += PG)
		p[i] = (unsigned char)(i / PG + 1);
	EXPECT("writes stick", p[0] == 1 && p[63 * PG] == 64);
	SHOW("munmap middle 4 pages", munmap(p + 10 * PG, 4 * PG));
	void *q = mmap(p + 10 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	show_map("MAP_FIXED_NOREPLACE into the hole", q);
	EXPECT("placed at the hint", q == p + 10 * PG);
	q = mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	show_map("MAP_FIXED_NOREPLACE over a mapping", q);
	q = mmap(p + 20 * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	show_map("MAP_FIXED over a mapping", q);
	EXPECT("MAP_FIXED replaced with zeroes", q == p + 20 * PG && p[20 * PG] == 0);
	EXPECT("neighbour kept", p[21 * PG] == 22);
	SHOW("munmap all", munmap(p, len));
	SHOW("munmap again (nothing mapped)", munmap(p, len));
}

static void errors(void)
{
	show_map("len 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	show_map("no SHARED/PRIVATE", mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0));
	show_map("SHARED and PRIVATE", mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	show_map("MAP_FIXED unaligned", mmap((void *)0x10000001, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	show_map("unaligned offset", mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1));
	show_map("huge length", mmap(NULL, (size_t)1 << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	show_map("non-anonymous, fd -1", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0));
	SHOW("munmap unaligned", munmap((void *)0x10000001, PG));
	SHOW("munmap len 0", munmap((void *)0x10000000, 0));
}

static void shared_and_none(void)
{
	unsigned char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	show_map("MAP_SHARED|MAP_ANONYMOUS", p);
	EXPECT("shared zero-filled", all_zero(p, 2 * PG));
	p[PG + 5] = 7;
	EXPECT("shared writable", p[PG + 5] == 7);
	munmap(p, 2 * PG);
	p = mmap(NULL, 3 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	show_map("PROT_NONE reservation", p);
	SHOW("mprotect middle page RW", mprotect(p + PG, PG, PROT_READ | PROT_WRITE));
	p[PG] = 1;
	EXPECT("middle page usable", p[PG] == 1);
	munmap(p, 3 * PG);
}

int main(void)
{
	basics();
	errors();
	shared_and_none();
	return 0;
}
