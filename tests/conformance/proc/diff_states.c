/* proc_states: /proc/PID/stat and status for other processes, rendered
 * from the process books: a child blocked in read (S), a job-stopped child
 * (T) and a zombie (Z, until reaped: then ENOENT), with the parent pid,
 * the process group, thread counts, /proc/PID/task, fdinfo, the machine
 * files (uptime, stat's btime, meminfo, loadavg, cpuinfo, filesystems,
 * mounts) and /proc/sys/kernel.  Pids are printed relative to ours. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "guest.h"

static int slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return (int)n;
}

/* The state letter and ppid of pid from /proc/PID/stat. */
static void show_stat(const char *what, pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	int r = slurp(path, buf, sizeof(buf));
	if (r < 0) {
		printf("%s stat: %s\n", what, ename(-r));
		return;
	}
	char *rp = strrchr(buf, ')');
	char st;
	int ppid, pgrp, nthr;
	long dummy;
	if (!rp || sscanf(rp + 2, "%c %d %d %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %d",
			   &st, &ppid, &pgrp, &dummy, &dummy, &dummy, &dummy, &dummy, &dummy, &dummy,
			   &dummy, &dummy, &dummy, &dummy, &dummy, &dummy, &dummy, &nthr) != 18) {
		printf("%s stat: unparsable\n", what);
		return;
	}
	int fields = 1;
	for (char *s = buf; *s; s++)
		fields += *s == ' ';
	printf("%s stat: state %c ppid-is-me %d pgrp-is-mine %d threads %d fields %d comm-ok %d\n",
	       what, st, ppid == getpid(), pgrp == getpgrp(), nthr, fields,
	       !strncmp(strchr(buf, '('), "(proc_states", 12));
}

static void show_status(const char *what, pid_t pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (slurp(path, buf, sizeof(buf)) < 0) {
		printf("%s status: %s\n", what, ename(errno));
		return;
	}
	char *s = strstr(buf, "State:");
	char *e = s ? strchr(s, '\n') : NULL;
	printf("%s status: %.*s", what, s && e ? (int)(e - s + 1) : 0, s ? s : "");
	const char *keys[] = {"Name:", "Tgid:", "Pid:", "PPid:", "Uid:", "Threads:", "SigBlk:",
			      "SigIgn:", "SigCgt:", "VmSize:", "VmRSS:"};
	printf("%s has:", what);
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		printf(" %s%d", keys[i], strstr(buf, keys[i]) != NULL);
	printf("\n");
}

static void show_file(const char *path, const char *needle)
{
	char buf[16384];
	int r = slurp(path, buf, sizeof(buf));
	if (r < 0)
		printf("%s: %s\n", path, ename(-r));
	else
		printf("%s: nonempty %d has '%s' %d\n", strrchr(path, '/'), r > 0, needle,
		       strstr(buf, needle) != NULL);
}

int main(void)
{
	close_inherited_fds();
	setvbuf(stdout, NULL, _IOLBF, 0);
	int p[2];
	if (pipe(p))
		return 1;
	pid_t reader = fork();
	if (reader == 0) {
		char c;
		close(p[1]);
		(void)!read(p[0], &c, 1);
		_exit(0);
	}
	pid_t stopped = fork();
	if (stopped == 0) {
		for (;;)
			pause();
	}
	pid_t zombie = fork();
	if (zombie == 0)
		_exit(7);
	close(p[0]);
	kill(stopped, SIGSTOP);
	int st;
	waitpid(stopped, &st, WUNTRACED);
	siginfo_t si;
	waitid(P_PID, zombie, &si, WEXITED | WNOWAIT);
	usleep(200000); /* the reader reaches its read */

	show_stat("self", getpid());
	show_stat("reader", reader);
	show_stat("stopped", stopped);
	show_stat("zombie", zombie);
	show_status("reader", reader);
	show_status("stopped", stopped);
	show_status("zombie", zombie);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", reader, reader);
	show_file(path, "proc_states");
	snprintf(path, sizeof(path), "/proc/%d/cmdline", zombie);
	show_file(path, "x");
	waitpid(zombie, &st, 0);
	printf("zombie reaped, status %d\n", WEXITSTATUS(st));
	show_stat("reaped zombie", zombie);
	kill(stopped, SIGKILL);
	waitpid(stopped, &st, 0);
	close(p[1]);
	waitpid(reader, &st, 0);

	int fd = open("/proc/self/stat", O_RDONLY);
	char buf[16];
	(void)!read(fd, buf, 5);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	show_file(path, "pos:\t5\n");
	close(fd);
	show_file("/proc/uptime", ".");
	show_file("/proc/stat", "btime ");
	show_file("/proc/meminfo", "MemTotal:");
	show_file("/proc/loadavg", ".");
	show_file("/proc/cpuinfo", "processor");
	show_file("/proc/filesystems", "proc");
	show_file("/proc/mounts", " /proc proc ");
	show_file("/proc/self/mounts", " /proc proc ");
	show_file("/proc/sys/kernel/ostype", "Linux\n");
	show_file("/proc/sys/kernel/pid_max", "\n");
	show_file("/proc/self/statm", " ");
	return 0;
}
