/*
 * Two threads increment a shared counter without a lock, with a syscall between
 * the read and the write: the result depends on how the threads interleave.
 * Used by serial.sh: under --sched=serial:SEED the result is a function of SEED.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
static volatile long counter;
static void *work(void *arg)
{
	for (int i = 0; i < 200; i++) {
		long v = counter;
		syscall(SYS_getppid);
		counter = v + 1;
	}
	return arg;
}
int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, work, NULL);
	pthread_create(&b, NULL, work, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("%ld\n", counter);
	return 0;
}
