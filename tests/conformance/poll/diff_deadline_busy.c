/*
 * ev_deadline_busy: a short sleep whose deadline passes while uos serves
 * another process's calls still ends.  The parent sleeps 1 ms (poll with no
 * fds) and then wakes its child through a pipe; the child makes a burst of
 * calls and waits on the pipe again, so that the parent's deadline often
 * passes during the burst and the child is parked (nothing else to come)
 * when uos next looks.  A sleep that uos forgets hangs this program.
 */
#include <poll.h>
#include <sys/wait.h>
#include "guest.h"

#define ROUNDS 1500
#define BURST 40

int main(void)
{
	int p[2], st;
	char c = 'x';
	if (pipe(p) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		while (read(p[0], &c, 1) == 1)
			for (int i = 0; i < BURST; i++)
				getppid();
		_exit(0);
	}
	close(p[0]);
	int slept = 0;
	for (int i = 0; i < ROUNDS; i++) {
		slept += poll(NULL, 0, 1) == 0;
		if (write(p[1], &c, 1) != 1)
			return 1;
	}
	close(p[1]);
	waitpid(pid, &st, 0);
	printf("slept %d of %d, child %s\n", slept, ROUNDS,
	       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "exited 0" : "failed");
	return 0;
}
