/* futex_pi_mutex: make and take a PTHREAD_PRIO_INHERIT mutex, printing what glibc says. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
int main(void){
	pthread_mutexattr_t a; pthread_mutex_t m;
	pthread_mutexattr_init(&a);
	int r = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	printf("setprotocol PI = %s\n", r ? strerror(r) : "0");
	r = pthread_mutex_init(&m, &a);
	printf("init = %s\n", r ? strerror(r) : "0");
	if (!r) { r = pthread_mutex_lock(&m); printf("lock = %s\n", r ? strerror(r) : "0"); pthread_mutex_unlock(&m);} 
	return 0; }
