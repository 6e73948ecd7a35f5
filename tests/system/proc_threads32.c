/* proc_threads32: 32 pthreads pass a token around a ring 200 times with
 * mutexes and condition variables (futex wait/wake handoffs), then a
 * barrier; every thread sees every round. */
#include <pthread.h>
#include "../conformance/guest.h"

#define N 32
#define ROUNDS 200

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t bar;
static int turn, passes[N];

static void *run(void *arg)
{
	int me = (int)(long)arg;
	for (int r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&mu);
		while (turn % N != me)
			pthread_cond_wait(&cv, &mu);
		passes[me]++;
		turn++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	pthread_barrier_wait(&bar);
	return NULL;
}

int main(void)
{
	pthread_t th[N];
	pthread_barrier_init(&bar, NULL, N);
	for (long i = 0; i < N; i++)
		pthread_create(&th[i], NULL, run, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	int ok = 1;
	for (int i = 0; i < N; i++)
		ok &= passes[i] == ROUNDS;
	printf("turns %d, every thread %d rounds: %d\n", turn, ROUNDS, ok);
	return 0;
}
