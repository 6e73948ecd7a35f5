/* thread: pthread create/join, tids, thread-shared state, tgkill between threads. */
#define AREA "thread"
#include "../harness.h"
#include <pthread.h>
#include <sys/syscall.h>

static void *ret_arg(void *a)
{
	return a;
}

static void *get_tid(void *a)
{
	*(long *)a = syscall(SYS_gettid);
	return NULL;
}

static void *get_pid(void *a)
{
	*(long *)a = getpid();
	return NULL;
}

CASE(create_join_value)
{
	pthread_t t;
	void *r = NULL;
	EXPECT_EQ(pthread_create(&t, NULL, ret_arg, (void *)42), 0);
	EXPECT_EQ(pthread_join(t, &r), 0);
	EXPECT_EQ((long)r, 42);
}

CASE(thread_tid_differs)
{
	pthread_t t;
	long tid = 0;
	OK(pthread_create(&t, NULL, get_tid, &tid) ? -1 : 0);
	pthread_join(t, NULL);
	EXPECT_TRUE(tid > 0);
	EXPECT_NE(tid, syscall(SYS_gettid));
}

CASE(thread_same_pid)
{
	pthread_t t;
	long pid = 0;
	OK(pthread_create(&t, NULL, get_pid, &pid) ? -1 : 0);
	pthread_join(t, NULL);
	EXPECT_EQ(pid, getpid());
}

static void *open_file(void *a)
{
	*(int *)a = open("/etc/passwd", O_RDONLY);
	return NULL;
}

CASE(threads_share_fd_table)
{
	pthread_t t;
	int fd = -1;
	OK(pthread_create(&t, NULL, open_file, &fd) ? -1 : 0);
	pthread_join(t, NULL);
	EXPECT_TRUE(fd >= 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
}

static void *do_chdir(void *a)
{
	chdir("/etc");
	return NULL;
}

CASE(threads_share_cwd)
{
	pthread_t t;
	char b[PATH_MAX];
	OK(pthread_create(&t, NULL, do_chdir, NULL) ? -1 : 0);
	pthread_join(t, NULL);
	EXPECT_STREQ(getcwd(b, sizeof(b)), "/etc");
}

static int counter;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void *bump(void *a)
{
	for (int i = 0; i < 10000; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

CASE(mutex_four_threads)
{
	pthread_t t[4];
	counter = 0;
	for (int i = 0; i < 4; i++)
		OK(pthread_create(&t[i], NULL, bump, NULL) ? -1 : 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	EXPECT_EQ(counter, 40000);
}

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;
static void *signaller(void *a)
{
	pthread_mutex_lock(&mu);
	ready = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

CASE(condvar_wakes)
{
	pthread_t t;
	ready = 0;
	OK(pthread_create(&t, NULL, signaller, NULL) ? -1 : 0);
	pthread_mutex_lock(&mu);
	while (!ready)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	pthread_join(t, NULL);
	EXPECT_EQ(ready, 1);
}

static volatile long handled_tid;
static void on_usr1(int s)
{
	handled_tid = syscall(SYS_gettid);
}
static void *wait_usr1(void *a)
{
	*(long *)a = syscall(SYS_gettid);
	for (int i = 0; i < 2000 && !handled_tid; i++) /* bounded: a lost signal fails, not hangs */
		usleep(1000);
	return NULL;
}

CASE(tgkill_targets_thread)
{
	pthread_t t;
	struct sigaction sa = {.sa_handler = on_usr1}, old;
	volatile long tid = 0;
	handled_tid = 0;
	OK(sigaction(SIGUSR1, &sa, &old));
	OK(pthread_create(&t, NULL, wait_usr1, (void *)&tid) ? -1 : 0);
	for (int i = 0; i < 2000 && !tid; i++)
		usleep(1000);
	syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	pthread_join(t, NULL);
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(handled_tid, tid);
}

static void *exit_value(void *a)
{
	pthread_exit((void *)7);
}

CASE(pthread_exit_value)
{
	pthread_t t;
	void *r;
	OK(pthread_create(&t, NULL, exit_value, NULL) ? -1 : 0);
	pthread_join(t, &r);
	EXPECT_EQ((long)r, 7);
}

CASE(proc_self_task_lists_threads)
{
	struct stat st;
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/task/%ld", (long)syscall(SYS_gettid));
	EXPECT_EQ(stat(p, &st), 0);
}
