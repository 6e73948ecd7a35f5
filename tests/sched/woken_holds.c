/*
 * woken_holds: in serial mode a thread woken from a futex wait that uos kept
 * holds the CPU, as after any other call, until its next call: nothing else
 * runs meanwhile.  The woken thread reads a counter that the other thread
 * bumps between its getppid calls, spins without a call, and reads it again.
 * Five rounds; prints "held" when the counter stood still in each, "ran
 * beside" when the other thread ran meanwhile in one (a spin that took over
 * 50 ms may have lost its time slice, a preemption: that round does not
 * count).
 */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static atomic_int word, done;
static atomic_long counter;

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *bumper(void *arg)
{
	while (!atomic_load(&done)) {
		if (atomic_load(&word) == 0) {
			atomic_store(&word, 1);
			syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		}
		syscall(SYS_getppid);
		atomic_fetch_add(&counter, 1);
	}
	return arg;
}

/* One round: 1 held, 0 ran beside, -1 try again. */
static int round_once(void)
{
	atomic_store(&word, 0);
	if (syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) != 0)
		return -1; /* the bumper was quicker: no wait to be woken from */
	long before = atomic_load(&counter);
	for (volatile long i = 0; i < 3000000; i++)
		;
	long after = atomic_load(&counter);
	return before == after ? 1 : 0;
}

int main(void)
{
	pthread_t th;
	int held = 0, beside = 0;
	pthread_create(&th, NULL, bumper, NULL);
	for (int tries = 0; tries < 200 && held + beside < 5; tries++) {
		long start = now_ms();
		int r = round_once();
		if (r == 0 && now_ms() - start > 50)
			r = -1;
		held += r == 1;
		beside += r == 0;
	}
	atomic_store(&done, 1);
	pthread_join(th, NULL);
	puts(beside ? "ran beside" : held ? "held" : "no round finished");
	return 0;
}
