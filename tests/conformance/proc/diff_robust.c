/*
 * proc_robust: robust mutexes whose owner dies (pthread_mutexattr_setrobust):
 * a thread that exits holding one, a waiter already blocked when the owner
 * thread exits, and a process-shared one whose owner process exits or is
 * killed.  The next locker must get EOWNERDEAD, make it consistent, and the
 * mutex must work again.
 *
 * uos stops a task at its exit (where it hands the dying owner's words to
 * the host) only while another thread or process may see its memory: the
 * first cases run in a process that has none yet, so that each must turn
 * that stop on in time (a clone of a thread; a file mapped shared after a
 * fork; anonymous shared memory mapped, without a stop, before a fork).  A
 * lock waits at most 5 s: a missed owner's death prints ETIMEDOUT.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include "guest.h"

static pthread_mutex_t *m;
static pthread_mutex_t hold_go = PTHREAD_MUTEX_INITIALIZER;

static void init_robust(pthread_mutex_t *mu, int pshared)
{
	pthread_mutexattr_t at;
	pthread_mutexattr_init(&at);
	pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&at, pshared);
	pthread_mutex_init(mu, &at);
	pthread_mutexattr_destroy(&at);
}

/* Lock m as the next owner would, and report. */
static void take(const char *what)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	int r = pthread_mutex_timedlock(m, &ts);
	printf("%s: lock = %s\n", what, r ? ename(r) : "0");
	if (r == EOWNERDEAD)
		printf("%s: consistent = %d\n", what, pthread_mutex_consistent(m));
	printf("%s: unlock = %d\n", what, pthread_mutex_unlock(m));
	printf("%s: relock = %d\n", what, pthread_mutex_lock(m));
	pthread_mutex_unlock(m);
}

static atomic_int holding;

static void *hold_and_exit(void *arg)
{
	pthread_mutex_lock(m);
	atomic_store(&holding, 1);
	if (arg) /* wait until the main thread is about to block on m */
		pthread_mutex_lock(&hold_go), usleep(50000);
	return NULL;
}

static void thread_dies(void)
{
	pthread_t th;
	init_robust(m, PTHREAD_PROCESS_PRIVATE);
	pthread_create(&th, NULL, hold_and_exit, NULL);
	pthread_join(th, NULL);
	take("thread exited");
}

static void waiter_woken(void)
{
	pthread_t th;
	init_robust(m, PTHREAD_PROCESS_PRIVATE);
	pthread_mutex_lock(&hold_go);
	atomic_store(&holding, 0);
	pthread_create(&th, NULL, hold_and_exit, (void *)1);
	while (!atomic_load(&holding)) /* the owner holds m (a sleep was not enough under load) */
		usleep(1000);
	pthread_mutex_unlock(&hold_go);
	take("blocked waiter"); /* blocks until the owner exits */
	pthread_join(th, NULL);
}

static void process_dies(int how)
{
	init_robust(m, PTHREAD_PROCESS_SHARED);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(m);
		if (how == SIGKILL)
			pause();
		_exit(0);
	}
	if (how == SIGKILL) {
		for (int i = 0; i < 400 && pthread_mutex_trylock(m) == 0; i++)
			pthread_mutex_unlock(m), usleep(5000);
		kill(pid, SIGKILL);
	}
	waitpid(pid, NULL, 0);
	take(how == SIGKILL ? "process killed" : "process exited");
}

/*
 * In a new process (one thread, private memory only), a child maps a file
 * shared, locks a mutex there and exits; the process maps the file after
 * its death and locks.
 */
static void file_shared(void)
{
	char path[] = "/tmp/uos-robust-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		return;
	unlink(path);
	pid_t x = fork();
	if (x == 0) {
		pid_t y = fork();
		if (y == 0) {
			m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			init_robust(m, PTHREAD_PROCESS_SHARED);
			pthread_mutex_lock(m);
			_exit(0);
		}
		waitpid(y, NULL, 0);
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		take("file shared after fork");
		_exit(0);
	}
	waitpid(x, NULL, 0);
	close(fd);
}

int main(void)
{
	static pthread_mutex_t private_mutex;

	setvbuf(stdout, NULL, _IONBF, 0);
	m = &private_mutex;
	thread_dies(); /* first: no memory shared yet */
	file_shared();
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	process_dies(0);
	process_dies(SIGKILL);
	thread_dies();
	waiter_woken();
	return 0;
}
