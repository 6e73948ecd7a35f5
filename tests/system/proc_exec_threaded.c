/*
 * proc_exec_threaded: execve from a process with several threads.  Linux
 * kills the other threads, and the new program runs as the process, with
 * the process's pid, whether the main thread or another one called execve;
 * the parent's wait sees one exit.  Pids print as flags.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

static char *self;

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int threads(void)
{
	char line[128];
	int n = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "Threads: %d", &n);
	if (f)
		fclose(f);
	return n;
}

static void *execer(void *arg)
{
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", getpid());
	execl(self, self, "after", pid, (char *)arg, (char *)NULL);
	printf("execl: %s\n", ename(errno));
	exit(1);
}

/* A child with three sleeping threads; `who` ("main" or "thread") calls execve. */
static void run(const char *who)
{
	pid_t p = fork();
	if (p == 0) {
		pthread_t th;
		for (int i = 0; i < 3; i++)
			pthread_create(&th, NULL, sleeper, NULL);
		printf("%s: threads before %d\n", who, threads());
		fflush(stdout);
		if (who[0] == 'm')
			execer((void *)who);
		pthread_create(&th, NULL, execer, (void *)who);
		pthread_join(th, NULL);
		_exit(1);
	}
	int st;
	pid_t w = waitpid(p, &st, 0);
	printf("%s: wait same pid %d exited %d status %d\n", who, w == p, WIFEXITED(st),
	       WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 4) { /* after the exec */
		printf("%s: after exec: threads %d same pid %d tid is pid %d\n", argv[3], threads(),
		       atoi(argv[2]) == getpid(), gettid() == getpid());
		return 7;
	}
	self = argv[0];
	run("main");
	run("thread");
	return 0;
}
