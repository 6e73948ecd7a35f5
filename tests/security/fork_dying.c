/*
 * fork_dying ROUNDS: kill threads in the middle of fork.
 *
 * Attack: each round forks a child process whose four threads fork (and
 * reap) in a loop while its main thread, after a random 0..3 ms, ends the
 * process (an execve, which kills the other threads, or every fourth round
 * exit_group).  A thread killed after the host created its child but
 * before uos saw the fork event leaves a host process uos was never told
 * of.
 *
 * Escape (denial of service): host processes that uos does not count (so
 * --pids does not bound them) pile up, stopped, until uos exits; once 32
 * such births are pending uos drops the next one and waits forever for a
 * stop that never comes (wedged: no task is served, SIGTERM is ignored).
 * The guest itself never has more than 6 processes at once.
 * The script (fork_dying.sh) runs uos with --pids, counts uos's host
 * children while it runs, and checks that uos exits in time with the
 * guest's status.
 */
#include "sec.h"

#include <pthread.h>
#include <sys/wait.h>

extern char **environ;

static _Noreturn void child(const char *self, long round, uint64_t *seed)
{
	for (int i = 0; i < 4; i++) {
		pthread_t th;
		pthread_create(&th, NULL, sec_forker, NULL); /* --pids may refuse some: go on */
	}
	sec_spin_ns((long long)(sec_rand(seed) % 3000000));
	if (round % 4) {
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
		fprintf(stderr, "usage: fork_dying ROUNDS\n");
		return 2;
	}
	long rounds = atol(argv[1]), bad = 0;
	uint64_t seed = (uint64_t)sec_now_ns() | 1;
	for (long r = 0; r < rounds; r++) {
		sec_rand(&seed);
		pid_t c = fork();
		if (c < 0) {
			if (bad++ < 5)
				say("round %ld: fork: %s\n", r, strerrorname_np(errno));
			continue;
		}
		if (c == 0)
			child(argv[0], r, &seed);
		int st;
		if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (bad++ < 5)
				say("round %ld: the child ended with status %#x\n", r, st);
		}
	}
	/*
	 * Every process the rounds made is gone or reparented to this PID 1:
	 * all must be reapable.  A task uos made from a fork event read after
	 * its parent was killed at it (the message then is the exit code) had
	 * no host process and was never reaped.
	 */
	long long end = sec_now_ns() + 10000000000LL;
	while (waitpid(-1, NULL, WNOHANG) >= 0 || errno != ECHILD) {
		if (sec_now_ns() > end) {
			say("fork_dying: a process outlived its death\n");
			bad++;
			break;
		}
		usleep(1000);
	}
	say("fork_dying: %ld rounds, %ld bad\n", rounds, bad);
	return bad ? 1 : 0;
}
