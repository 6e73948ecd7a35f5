/* fs_proc_comm: writing /proc/PID/comm and /proc/PID/task/TID/comm names
 * the process as prctl(PR_SET_NAME) does (15 bytes at most, a newline kept),
 * reading back shows it; another process may open it (mode 0644, root) but
 * its write is EINVAL, and ESRCH once the process is gone; shells' O_TRUNC
 * opens work; a procfs file without a write op opens for writing and its
 * writes are EINVAL (EIO for files of /proc itself); a sysctl without a w
 * bit does not open for writing (EACCES), root or not.  Names are per
 * thread: a new thread starts with its creator's, PR_SET_NAME and
 * pthread_setname_np rename one thread, /proc/PID/comm and stat show the
 * leader's. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "guest.h"

static void show_comm(const char *what, const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		show_result(what, n, errno);
		return;
	}
	buf[n] = 0;
	printf("%s: [%s] (%ld bytes)\n", what, buf, n);
}

static void show_prctl(const char *what)
{
	char name[17] = "";
	prctl(PR_GET_NAME, name);
	printf("%s: [%s]\n", what, name);
}

static void test_self(void)
{
	int fd = open("/proc/self/comm", O_WRONLY);
	SHOW("open comm wronly", fd >= 0);
	SHOW("write name", write(fd, "renamed\n", 8));
	show_prctl("prctl after write");
	show_comm("comm after write", "/proc/self/comm");
	SHOW("write long", write(fd, "abcdefghijklmnopqrstuvwxyz", 26));
	show_prctl("prctl after long");
	show_comm("comm after long", "/proc/self/comm");
	close(fd);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", gettid());
	fd = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0666);
	SHOW("open task comm like a shell", fd >= 0);
	SHOW("write task comm", write(fd, "thread-name", 11));
	close(fd);
	show_prctl("prctl after task write");
	show_comm("task comm", path);
	fd = open("/proc/self/comm", O_RDWR);
	SHOW("open comm rdwr", fd >= 0);
	SHOW("write back", write(fd, "guest", 5));
	close(fd);
	show_comm("comm", "/proc/self/comm");
	prctl(PR_SET_NAME, "by-prctl");
	show_comm("comm after prctl", "/proc/self/comm");
}

static void test_other(void)
{
	int go[2], done[2];
	char c = 0, path[64];
	if (pipe(go) || pipe(done))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		int fd = open("/proc/self/comm", O_WRONLY);
		_exit(write(fd, "child-named", 11) == 11 && write(done[1], "x", 1) == 1 ? 0 : 1);
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	int fd = open(path, O_WRONLY);
	SHOW("open other's comm", fd >= 0);
	SHOW("write other's comm", write(fd, "stolen", 6));
	SHOW("start child", write(go[1], "x", 1));
	SHOW("child done", read(done[0], &c, 1));
	show_comm("child's comm", path);
	int st;
	waitpid(pid, &st, 0);
	printf("child status %d\n", WEXITSTATUS(st));
	SHOW("write reaped child's comm", write(fd, "late", 4));
	close(fd);
}

static void test_no_write_op(void)
{
	int fd = open("/proc/self/status", O_WRONLY);
	SHOW("open status wronly", fd >= 0);
	SHOW("write status", write(fd, "x", 1));
	close(fd);
	fd = open("/proc/uptime", O_WRONLY);
	SHOW("open uptime wronly", fd >= 0);
	SHOW("write uptime", write(fd, "x", 1));
	close(fd);
	SHOW("open sysctl ostype wronly", open("/proc/sys/kernel/ostype", O_WRONLY));
}

static pthread_barrier_t barrier;

static void *named_thread(void *arg)
{
	char name[16], path[64];
	prctl(PR_GET_NAME, name);
	printf("thread starts as: %s\n", name);
	prctl(PR_SET_NAME, "worker-1");
	snprintf(path, sizeof(path), "/proc/self/task/%ld/comm", (long)syscall(SYS_gettid));
	show_comm("thread's own comm file", path);
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	return arg;
}

static void test_threads(void)
{
	pthread_t th;
	char name[16];
	pthread_barrier_init(&barrier, NULL, 2);
	prctl(PR_SET_NAME, "leader");
	pthread_create(&th, NULL, named_thread, NULL);
	pthread_barrier_wait(&barrier);
	show_comm("process comm beside a renamed thread", "/proc/self/comm");
	prctl(PR_GET_NAME, name);
	printf("leader's PR_GET_NAME: %s\n", name);
	pthread_setname_np(th, "renamed");
	pthread_getname_np(th, name, sizeof(name));
	printf("pthread_getname_np: %s\n", name);
	FILE *f = fopen("/proc/self/stat", "r");
	char stat[256] = "";
	if (f) {
		fgets(stat, sizeof(stat), f);
		fclose(f);
	}
	char *open = strchr(stat, '('), *close = strrchr(stat, ')');
	printf("stat name: %.*s\n", open && close ? (int)(close - open - 1) : 0, open ? open + 1 : "");
	pthread_barrier_wait(&barrier);
	pthread_join(th, NULL);
}

int main(void)
{
	close_inherited_fds();
	test_self();
	test_other();
	test_no_write_op();
	test_threads();
	return 0;
}
