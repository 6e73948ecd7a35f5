/*
 * inject_dying ROUNDS: kill a task in the middle of the calls uos injects
 * into it.
 *
 * Attack: each round forks a child whose threads make the calls for which
 * uos injects system calls (mmap of a file: openat, mmap, close; a signalfd
 * read with a signal pending: rt_sigtimedwait; brk), while the child's main
 * thread, after a random 0..4 ms, ends the process (exit_group, or an execve
 * that kills the other threads).  The host kills the threads wherever they
 * are, also between two calls uos injects.
 *
 * Escape (here: a denial of service): uos acts on a dead task as if it were
 * stopped (an internal error aborts it, and every guest dies with it), or
 * loses track of it.  The program prints one line per round that did not
 * end as expected and a summary; the script (inject_dying.sh) checks that
 * uos ran every round and exits with the guest's status, without an
 * internal error.
 */
#include "sec.h"

#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

extern char **environ;

/* SIGUSR1 is blocked in every thread: raise it, read it back through a signalfd (uos injects). */
static void *sigreader(void *arg)
{
	sigset_t set;
	struct signalfd_siginfo si;
	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	int fd = signalfd(-1, &set, SFD_NONBLOCK);
	for (;;) {
		syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
		if (read(fd, &si, sizeof(si)) < 0 && errno != EAGAIN)
			return NULL;
	}
	return NULL;
}

static void *brker(void *arg)
{
	(void)arg;
	char *base = sbrk(0);
	for (;;) {
		brk(base + 65536);
		brk(base);
	}
	return NULL;
}

static _Noreturn void child(const char *self, int round, uint64_t *seed)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	void *(*fn[])(void *) = {sec_mapper, sec_mapper, sigreader, brker};
	for (size_t i = 0; i < sizeof(fn) / sizeof(fn[0]); i++) {
		pthread_t th;
		if (pthread_create(&th, NULL, fn[i], NULL))
			_exit(3);
	}
	sec_spin_ns((long long)(sec_rand(seed) % 4000000));
	if (round % 2) {
		char *argv[] = {(char *)self, "exit", NULL};
		execve(self, argv, environ);
		_exit(4);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "exit") == 0)
		return 0;
	if (argc != 2) {
		fprintf(stderr, "usage: inject_dying ROUNDS\n");
		return 2;
	}
	long rounds = atol(argv[1]), bad = 0;
	uint64_t seed = (uint64_t)sec_now_ns() | 1;
	for (long r = 0; r < rounds; r++) {
		sec_rand(&seed);
		pid_t c = fork();
		if (c < 0) {
			perror("inject_dying: fork");
			return 2;
		}
		if (c == 0)
			child(argv[0], (int)r, &seed);
		int st;
		if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (bad++ < 5)
				say("round %ld: the child ended with status %#x\n", r, st);
		}
	}
	say("inject_dying: %ld rounds, %ld bad\n", rounds, bad);
	return bad ? 1 : 0;
}
