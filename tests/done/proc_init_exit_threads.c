/*
 * proc_init_exit_threads: PID 1 exits while other processes live, one of
 * them a process whose leader thread has exited before its other threads.
 * As the init of a pid namespace, its exit ends them all, and the run ends
 * (uos waited forever for the leader, which the host reports only after
 * the threads are reaped).  Run as PID 1: natively in a new pid namespace,
 * under uos as its first process.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_t t;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (fork() == 0) {
		for (int i = 0; i < 2; i++)
			pthread_create(&t, NULL, sleeper, NULL);
		pthread_exit(NULL); /* the leader goes, its threads stay */
	}
	if (fork() == 0) {
		pthread_create(&t, NULL, sleeper, NULL);
		pause();
	}
	usleep(200000);
	printf("pid 1: %d; exits with two processes left\n", getpid() == 1);
	return 0;
}
