/* maps_print_block [churn]: print /proc/self/maps, then "END", then block
 * reading stdin until EOF. While it blocks, tests/system/proc_maps_vs_host.py
 * compares what it printed (uos's rendering) with the host kernel's maps of
 * the same process. Only raw system calls run between reading maps and
 * blocking, and the buffer is in .bss, so nothing maps or unmaps in between.
 *
 * With "churn", it first makes thousands of anonymous mmap, munmap and
 * mprotect calls (a fixed pseudo-random sequence: no-hint, hinted, MAP_FIXED
 * and MAP_FIXED_NOREPLACE mappings, partial unmaps and protection changes
 * that split regions) and private mappings of its own file (no hint and
 * MAP_FIXED, at offsets in and past its end), the calls uos answers in one
 * stop by foretelling their result (sys_mm.c): the books must still match
 * the host's. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[1 << 20];

#define PAGE 4096UL
#define SLOTS 64

static unsigned long seed = 12345;

static unsigned long rnd(unsigned long n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (seed >> 33) % n;
}

static const int prots[] = {PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC};

static void churn(const char *self)
{
	struct stat st;
	int fd = open(self, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return;
	unsigned long file_pages = (unsigned long)st.st_size / PAGE + 2;
	struct {
		char *p;
		unsigned long len;
	} slot[SLOTS] = {0};
	/* MAP_FIXED lands only in this arena, so that nothing else is replaced. */
	unsigned long arena_len = 4096 * PAGE;
	char *arena = mmap(NULL, arena_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *p;
	if (arena == MAP_FAILED)
		return;
	for (int i = 0; i < 4000; i++) {
		int s = (int)rnd(SLOTS), prot = prots[rnd(4)];
		unsigned long len = (1 + rnd(96)) * PAGE, off;
		char *at = arena + rnd(arena_len / PAGE - 96) * PAGE;
		switch (rnd(9)) {
		case 0: /* a new mapping, no hint */
		case 1:
			if (slot[s].p)
				munmap(slot[s].p, slot[s].len);
			p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			slot[s].p = p == MAP_FAILED ? NULL : p;
			slot[s].len = len;
			break;
		case 2: /* into the arena: a hint, MAP_FIXED_NOREPLACE or MAP_FIXED */
			p = mmap(at, len, prot, MAP_PRIVATE | MAP_ANONYMOUS |
				 (int[]){0, MAP_FIXED_NOREPLACE, MAP_FIXED}[rnd(3)], -1, 0);
			if (p != MAP_FAILED && (p < arena || p >= arena + arena_len))
				munmap(p, len); /* a hint the host did not take */
			break;
		case 3: /* a hole in the arena */
			munmap(at, len);
			break;
		case 4: /* unmap a page of a slot: its head, or one that splits it */
			if (!slot[s].p || slot[s].len < 3 * PAGE)
				break;
			off = rnd(slot[s].len / PAGE - 2) * PAGE;
			munmap(slot[s].p + off, PAGE);
			if (off == 0) {
				slot[s].p += PAGE;
				slot[s].len -= PAGE;
			}
			break;
		case 7: /* a new private mapping of the file, no hint */
			if (slot[s].p)
				munmap(slot[s].p, slot[s].len);
			p = mmap(NULL, len, prot, MAP_PRIVATE, fd, rnd(file_pages) * PAGE);
			slot[s].p = p == MAP_FAILED ? NULL : p;
			slot[s].len = len;
			break;
		case 8: /* the file into the arena */
			mmap(at, len, prot, MAP_PRIVATE | MAP_FIXED, fd, rnd(file_pages) * PAGE);
			break;
		case 5: /* change the protection of a piece of the arena (ENOMEM across a hole) */
			mprotect(at, len, prot);
			break;
		default: /* change the protection of a piece of a slot */
			if (!slot[s].p)
				break;
			off = rnd(slot[s].len / PAGE) * PAGE;
			mprotect(slot[s].p + off, (1 + rnd((slot[s].len - off) / PAGE)) * PAGE, prot);
			break;
		}
	}
}

int main(int argc, char **argv)
{
	ssize_t n, got = 0;
	if (argc > 1 && !strcmp(argv[1], "churn"))
		churn(argv[0]);
	int fd = open("/proc/self/maps", O_RDONLY);

	while (fd >= 0 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	if (fd >= 0)
		close(fd);
	for (ssize_t off = 0; off < got; off += n)
		if ((n = write(1, buf + off, got - off)) <= 0)
			return 1;
	write(1, "END\n", 4);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}
