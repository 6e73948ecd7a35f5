/*
 * notify_mm MODE [ROUNDS [DIR]]: attacks on the memory calls uos answers
 * through its seccomp listener with --notify (anonymous mmap, munmap,
 * mprotect, madvise): the ones its books foretell the host runs with no
 * stop (SECCOMP_USER_NOTIF_FLAG_CONTINUE), the others are brought to a
 * stop and injected (supervisor/transport/notify.c).  The books render
 * /proc/self/maps, so each check compares what they say with the host's
 * truth: mincore (a HOST row) fails with ENOMEM on a page that is not
 * mapped.  Prints "notify_race: MODE: ROUNDS rounds, N bad" (the line
 * notify_race.sh wants); N must be 0, natively too.  DIR is not used.
 *
 * alone    One thread: ROUNDS random calls on a 64-page arena (MAP_FIXED,
 *          MAP_FIXED_NOREPLACE over mapped pages, mprotect across holes,
 *          munmap, a no-hint mmap, madvise), each result against a model of
 *          the arena, and after each call every page of it in
 *          /proc/self/maps and in mincore against the model; every fourth
 *          round the break moves too (brk, at a stop: the heap is mapped
 *          by calls uos injects), and the heap's pages are checked.
 * threads  Four threads each map, write, split with mprotect and munmap
 *          regions of their own ROUNDS times (calls the books cannot
 *          foretell: uos brings them to a stop), checking their own pages
 *          in /proc/self/maps every 8 rounds, while a fifth thread
 *          signals them without SA_RESTART (no memory call may fail,
 *          EINTR least of all).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define ARENA 64
#define WORKERS 4
#define NONE -1 /* a page that is not mapped */

static atomic_long bad;

static void fail(const char *what, long got, long want)
{
	if (atomic_fetch_add(&bad, 1) < 10)
		fprintf(stderr, "notify_mm: %s: got %ld, want %ld\n", what, got, want);
}

/* The protection /proc/self/maps shows for the page at p, or NONE. */
static int maps_prot(const char *maps, unsigned long p)
{
	for (const char *l = maps; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		unsigned long s, e;
		char perm[5];
		if (sscanf(l, "%lx-%lx %4s", &s, &e, perm) == 3 && s <= p && p < e)
			return (perm[0] == 'r' ? PROT_READ : 0) | (perm[1] == 'w' ? PROT_WRITE : 0) |
			       (perm[2] == 'x' ? PROT_EXEC : 0);
	}
	return NONE;
}

/* /proc/self/maps, read whole into buf[len] (no stdio: its malloc may move the break). */
static void read_maps(char *buf, size_t len)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t n = 0;
	for (ssize_t r = 1; fd >= 0 && r > 0 && n < len - 1; n += r > 0 ? r : 0)
		r = read(fd, buf + n, len - 1 - n);
	buf[n] = 0;
	if (fd >= 0)
		close(fd);
}

/* The host's truth: is the page at p mapped? */
static bool host_mapped(unsigned long p)
{
	unsigned char v;
	return mincore((void *)p, PAGE, &v) == 0;
}

/* Compare pages [p, p + n pages) with want[n] in the books and on the host. */
static void check_pages(const char *what, unsigned long p, const int *want, int n)
{
	char maps[1 << 16];
	read_maps(maps, sizeof(maps));
	for (int i = 0; i < n; i++) {
		unsigned long a = p + i * PAGE;
		int books = maps_prot(maps, a);
		if (books != want[i])
			fail(what, books, want[i]);
		if (host_mapped(a) != (want[i] != NONE))
			fail("mincore", host_mapped(a), want[i] != NONE);
	}
}

static long call_result(long r)
{
	return r == -1 ? -errno : r;
}

static int random_prot(void)
{
	static const int prots[] = {PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC};
	return prots[rand() % 4];
}

/* One random call on the arena at base, with model[] kept; returns its name. */
static const char *arena_call(unsigned long base, int *model)
{
	int i = rand() % ARENA, n = 1 + rand() % 8, prot = random_prot();
	if (i + n > ARENA)
		n = ARENA - i;
	void *at = (void *)(base + i * PAGE);
	size_t len = n * PAGE;
	bool any = false, all = true;
	for (int k = i; k < i + n; k++) {
		any |= model[k] != NONE;
		all &= model[k] != NONE;
	}
	long r;
	switch (rand() % 6) {
	case 0:
		r = call_result((long)mmap(at, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
		if (r != (long)at)
			fail("MAP_FIXED", r, (long)at);
		for (int k = i; k < i + n; k++)
			model[k] = prot;
		return "MAP_FIXED";
	case 1:
		r = call_result((long)mmap(at, len, prot,
					   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
		if (r != (any ? -EEXIST : (long)at))
			fail("MAP_FIXED_NOREPLACE", r, any ? -EEXIST : (long)at);
		for (int k = i; k < i + n && !any; k++)
			model[k] = prot;
		return "MAP_FIXED_NOREPLACE";
	case 2:
		r = call_result(mprotect(at, len, prot));
		if (r != (all ? 0 : -ENOMEM))
			fail("mprotect", r, all ? 0 : -ENOMEM);
		for (int k = i; k < i + n && model[k] != NONE; k++) /* up to the first hole */
			model[k] = prot;
		return "mprotect";
	case 3:
		r = call_result(munmap(at, len));
		if (r != 0)
			fail("munmap", r, 0);
		for (int k = i; k < i + n; k++)
			model[k] = NONE;
		return "munmap";
	case 4: {
		void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			fail("mmap(NULL)", -errno, 0);
			return "mmap(NULL)";
		}
		int want[8];
		for (int k = 0; k < n; k++)
			want[k] = prot;
		check_pages("mmap(NULL) in the books", (unsigned long)p, want, n);
		bool inside = (unsigned long)p >= base && (unsigned long)p < base + ARENA * PAGE;
		if (inside) /* it took a hole of the arena: the model keeps it */
			for (int k = 0; k < n; k++)
				model[((unsigned long)p - base) / PAGE + k] = prot;
		else if (munmap(p, len))
			fail("munmap of mmap(NULL)", -errno, 0);
		return "mmap(NULL)";
	}
	default:
		r = call_result(madvise(at, len, MADV_DONTNEED));
		if (r != (all ? 0 : -ENOMEM))
			fail("madvise", r, all ? 0 : -ENOMEM);
		return "madvise";
	}
}

/*
 * Move the break to a random point within 16 pages of where it began
 * (start); the heap's whole pages must follow it (the break's own page is
 * mapped, the ones after it not).
 */
static void brk_call(unsigned long start)
{
	unsigned long first = (start + PAGE - 1) & ~(PAGE - 1), want = start + rand() % (16 * PAGE);
	long r = syscall(SYS_brk, want);
	if (r != (long)want)
		fail("brk", r, (long)want);
	int model[16];
	for (int k = 0; k < 16; k++)
		model[k] = first + k * PAGE < want ? PROT_READ | PROT_WRITE : NONE;
	check_pages("brk", first, model, 16);
}

static void alone(long rounds)
{
	unsigned long start = syscall(SYS_brk, 0);
	int model[ARENA];
	void *a = mmap(NULL, ARENA * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED) {
		fail("arena", -errno, 0);
		return;
	}
	for (int k = 0; k < ARENA; k++)
		model[k] = PROT_NONE;
	srand(1);
	for (long r = 0; r < rounds; r++) {
		const char *what = arena_call((unsigned long)a, model);
		check_pages(what, (unsigned long)a, model, ARENA);
		if (r % 4 == 0)
			brk_call(start);
	}
	munmap(a, ARENA * PAGE);
	syscall(SYS_brk, start);
}

static atomic_bool stop;

static void on_usr1(int sig)
{
	(void)sig;
}

static void *worker(void *arg)
{
	long rounds = (long)arg;
	for (long r = 0; r < rounds; r++) {
		char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			fail("threads: mmap", -errno, 0);
			continue;
		}
		memset(p, 1, 4 * PAGE);
		long m = call_result(mprotect(p + PAGE, PAGE, PROT_READ));
		long u = call_result(munmap(p + 2 * PAGE, PAGE));
		if (m || u)
			fail("threads: mprotect, munmap", m ? m : u, 0);
		if (r % 8 == 0) {
			const int want[4] = {PROT_READ | PROT_WRITE, PROT_READ, NONE, PROT_READ | PROT_WRITE};
			check_pages("threads: books", (unsigned long)p, want, 4);
		}
		long f = call_result(munmap(p, 4 * PAGE));
		if (f)
			fail("threads: munmap", f, 0);
	}
	return NULL;
}

static void *signaller(void *arg)
{
	pthread_t *w = arg;
	for (unsigned i = 0; !atomic_load(&stop); i++)
		pthread_kill(w[i % WORKERS], SIGUSR1);
	return NULL;
}

static void threads(long rounds)
{
	struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t w[WORKERS], s;
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&w[i], NULL, worker, (void *)rounds);
	pthread_create(&s, NULL, signaller, w);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(w[i], NULL);
	atomic_store(&stop, true);
	pthread_join(s, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long rounds = argc > 2 ? atol(argv[2]) : 1000;
	if (!strcmp(mode, "alone"))
		alone(rounds);
	else if (!strcmp(mode, "threads"))
		threads(rounds);
	else {
		fprintf(stderr, "usage: notify_mm alone|threads [ROUNDS [DIR]]\n");
		return 2;
	}
	printf("notify_race: %s: %ld rounds, %ld bad\n", mode, rounds, atomic_load(&bad));
	return 0;
}
