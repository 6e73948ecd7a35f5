/*
 * The calls tests/system/trace_strace.sh compares between `strace -f` and
 * `uos --trace`: file I/O, stat, a directory listing, pipes, I/O vectors, poll, epoll, madvise,
 * getcwd, a socketpair, an AF_UNIX and an AF_INET connect, fork and wait, a sleep, signals and
 * uname.  Its paths and results are the same natively and under uos (the directory is argv[1]).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

static void list(const char *dir)
{
	DIR *d = opendir(dir);

	while (d && readdir(d))
		;
	if (d)
		closedir(d);
}

static void files(const char *dir)
{
	char path[256], buf[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	write(fd, "hello\tworld\n\001\002\0003", 16);
	fchmod(fd, 0640);
	fstat(fd, &st);
	close(fd);
	fd = open(path, O_RDONLY);
	read(fd, buf, sizeof(buf));
	read(fd, buf, sizeof(buf));
	lseek(fd, 0, SEEK_SET);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_GETFD);
	dup2(fd, 10);
	dup3(fd, 11, O_CLOEXEC);
	close(10);
	close(11);
	close(fd);
	stat(path, &st);
	lstat(path, &st);
	access(path, R_OK | W_OK);
	access("/nonexistent-trace", F_OK);
	list(dir);
	unlink(path);
}

/* epoll on fd, and a page given back with madvise */
static void ready(int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
	int ep = epoll_create1(EPOLL_CLOEXEC);
	char *m;

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	epoll_wait(ep, &ev, 1, 100);
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(ep);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(m, 4096, MADV_DONTNEED);
	munmap(m, 4096);
}

static void fds(void)
{
	int p[2], sv[2];
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(9)};
	int s;
	char a[4], b[8];
	struct iovec w[2] = {{(char *)"hello", 5}, {(char *)"\n", 1}};
	struct iovec r[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
	struct pollfd pf[2];

	pipe2(p, O_CLOEXEC);
	write(p[1], "x", 1);
	writev(p[1], w, 2);
	pf[0] = (struct pollfd){.fd = p[0], .events = POLLIN};
	pf[1] = (struct pollfd){.fd = p[1], .events = POLLIN | POLLOUT};
	poll(pf, 2, 100);
	ready(p[0]);
	readv(p[0], r, 2);
	poll(pf, 1, 0);
	close(p[0]);
	close(p[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[0]);
	close(sv[1]);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(un.sun_path, "/nonexistent-trace.sock");
	connect(s, (struct sockaddr *)&un, sizeof(un));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	connect(s, (struct sockaddr *)&in, sizeof(in));
	close(s);
}

static void procs(void)
{
	struct timespec ts = {0, 1000000};
	struct sigaction sa = {.sa_handler = on_usr1};
	sigset_t set;
	struct rlimit rl;
	struct utsname u;
	int status;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	getrlimit(RLIMIT_NOFILE, &rl);
	nanosleep(&ts, NULL);
	uname(&u);
	pid = fork();
	if (pid == 0)
		_exit(3);
	waitpid(pid, &status, 0);
}

int main(int argc, char **argv)
{
	char cwd[4096];

	if (argc < 2 || !getcwd(cwd, sizeof(cwd)))
		return 2;
	files(argv[1]);
	fds();
	procs();
	write(1, "done\n", 5);
	return 0;
}
