/*
 * proc_init_exit_threads: processes whose leader thread exited before
 * their other threads live on, and signals reach them: kill by pid, by
 * process group and kill(-1) end them (under uos a signal went to the
 * exited leader and was lost).  Then PID 1 exits while such a process and
 * another with two threads live: as the init of a pid namespace, its exit
 * ends them all, and the run ends (uos waited forever for the leader, which
 * the host reports only after the threads are reaped).  Run as PID 1:
 * natively in a new pid namespace, under uos as its first process.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* A child in a group of its own whose leader thread exits, leaving n threads. */
static pid_t leaderless(int n)
{
	pid_t c = fork();
	if (c == 0) {
		pthread_t t;
		setpgid(0, 0);
		for (int i = 0; i < n; i++)
			pthread_create(&t, NULL, sleeper, NULL);
		pthread_exit(NULL);
	}
	usleep(100000);
	return c;
}

int main(void)
{
	static const char *const how[] = {"kill(pid, SIGTERM)", "kill(-pgid, SIGKILL)",
					  "kill(-1, SIGKILL)"};
	pthread_t t;
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < 3; i++) {
		pid_t c = leaderless(1), w = 0;
		int st = 0, r = i == 0	 ? kill(c, SIGTERM)
				: i == 1 ? kill(-c, SIGKILL)
					 : kill(-1, SIGKILL);
		for (int n = 0; n < 500 && (w = waitpid(c, &st, WNOHANG)) == 0; n++)
			usleep(10000);
		printf("%s: %d; reaped %d, by signal %d\n", how[i], r, w == c,
		       w == c && WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	}
	leaderless(2);
	if (fork() == 0) {
		pthread_create(&t, NULL, sleeper, NULL);
		pause();
	}
	usleep(200000);
	printf("pid 1: %d; exits with two processes left\n", getpid() == 1);
	return 0;
}
