/*
 * futex_ops: the futex operations serial mode keeps in uos's own queues,
 * where the host's would find no waiter: FUTEX_CMP_REQUEUE and REQUEUE
 * (musl's condition variables), FUTEX_WAKE_OP, and a shared word in
 * MAP_SHARED memory waited on by a child process (a process-shared
 * semaphore).  Prints what it sees; the same natively and under uos.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static _Atomic uint32_t f1, f2, f3, f4, started;

static long futex(_Atomic uint32_t *w, int op, uint32_t val, unsigned long val2,
		  _Atomic uint32_t *w2, uint32_t val3)
{
	return syscall(SYS_futex, w, op, val, val2, w2, val3);
}

/* Wait on *w while it holds 0 (a spurious or early return waits again). */
static void *waiter(void *arg)
{
	_Atomic uint32_t *w = arg;
	atomic_fetch_add(&started, 1);
	while (atomic_load(w) == 0)
		futex(w, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
	return NULL;
}

/* Until n waiters have started, and a little longer so that they are in FUTEX_WAIT. */
static void wait_started(uint32_t n)
{
	while (atomic_load(&started) < n)
		sched_yield();
	struct timespec ts = {0, 50000000};
	nanosleep(&ts, NULL);
}

static void requeue(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, waiter, &f1);
	pthread_create(&b, NULL, waiter, &f1);
	wait_started(2);
	long r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, 2, &f2, 1);
	printf("cmp_requeue with a stale value: %s\n", r < 0 ? "EAGAIN" : "went through");
	r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, 2, &f2, 0);
	printf("cmp_requeue moved %ld\n", r);
	/* f1 changes, but the waiters now wait on f2: only waking f2 lets them go. */
	atomic_store(&f1, 1);
	atomic_store(&f2, 1);
	r = futex(&f2, FUTEX_WAKE_PRIVATE, 2, 0, NULL, 0);
	futex(&f1, FUTEX_WAKE_PRIVATE, 2, 0, NULL, 0); /* natively, one too late for the requeue */
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("requeued waiters woken on the second word: %ld\n", r);
}

static void wake_op(void)
{
	started = 0;
	pthread_t a;
	pthread_create(&a, NULL, waiter, &f3);
	wait_started(1);
	/* f3 = 1 (it was 0, so the compare "== 0" holds): wake one on f3; none wait on f4. */
	uint32_t op = FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0);
	long r = futex(&f4, FUTEX_WAKE_OP_PRIVATE, 1, 1, &f3, op);
	pthread_join(a, NULL);
	printf("wake_op woke %ld, f3 now %u\n", r, (unsigned)f3);
}

static void shared_word(void)
{
	_Atomic uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				   -1, 0);
	pid_t c = fork();
	if (c == 0) {
		atomic_store(&w[1], 1);
		while (atomic_load(w) == 0)
			futex(w, FUTEX_WAIT, 0, 0, NULL, 0);
		_exit(7);
	}
	while (atomic_load(&w[1]) == 0)
		sched_yield();
	struct timespec ts = {0, 50000000};
	nanosleep(&ts, NULL);
	atomic_store(w, 1);
	futex(w, FUTEX_WAKE, 1, 0, NULL, 0);
	int st;
	waitpid(c, &st, 0);
	printf("child waiting on a shared word: exit %d\n", WEXITSTATUS(st));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	requeue();
	wake_op();
	shared_word();
	return 0;
}
