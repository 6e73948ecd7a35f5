/* fs_proc_comm: writing /proc/PID/comm and /proc/PID/task/TID/comm names
 * the process as prctl(PR_SET_NAME) does (15 bytes at most, a newline kept),
 * reading back shows it; another process may open it (mode 0644, root) but
 * its write is EINVAL, and ESRCH once the process is gone; shells' O_TRUNC
 * opens work; a procfs file without a write op opens for writing and its
 * writes are EINVAL (EIO for files of /proc itself); a sysctl without a w
 * bit does not open for writing (EACCES), root or not. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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

int main(void)
{
	close_inherited_fds();
	test_self();
	test_other();
	test_no_write_op();
	return 0;
}
