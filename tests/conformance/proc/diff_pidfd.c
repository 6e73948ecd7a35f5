/*
 * pidfds: pidfd_open, poll on a pidfd, pidfd_send_signal (with and without
 * a siginfo, to a live process, a zombie and a reaped one), waitid(P_PIDFD)
 * (blocking, O_NONBLOCK, WNOWAIT), pidfd_getfd, CLONE_PIDFD through clone
 * and clone3, and PIDFD_THREAD pidfds of one thread.  No pids are printed;
 * a child's pid is compared.
 */
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "guest.h"

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#define PIDFD_SIGNAL_THREAD 1
#define PIDFD_SIGNAL_PROCESS_GROUP 4

static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send(int fd, int sig, siginfo_t *si, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, si, flags);
}

static int waitid_fd(int fd, siginfo_t *si, int options)
{
	return (int)syscall(SYS_waitid, P_PIDFD, fd, si, options, NULL);
}

/* The revents of fd, waiting up to ms. */
static int poll_fd(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	int r = poll(&p, 1, ms);
	return r < 0 ? -errno : p.revents;
}

static volatile sig_atomic_t got, got_code, got_pid, got_value;

/*
 * Block SIGUSR1 (its old mask in old): a child checks its flag and then
 * waits with the signal unblocked atomically (sigsuspend, ppoll), or a
 * signal that lands between the check and the wait is lost, and the child
 * waits for ever (seen under CPU load).
 */
static void block_usr1(sigset_t *old)
{
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, old);
}

/*
 * A child that waits for a byte on rd (or dies of a signal, or takes
 * SIGUSR1) and exits with code; it has started when this returns.
 */
static pid_t child_waiting(int rd, int wr, int code)
{
	int ready[2];
	char b;
	pipe(ready);
	pid_t c = fork();
	if (c == 0) {
		sigset_t old;
		close(wr);
		close(ready[0]);
		block_usr1(&old);
		write(ready[1], "r", 1);
		while (!got) {
			struct pollfd p = {.fd = rd, .events = POLLIN};
			if (ppoll(&p, 1, NULL, &old) == 1 && read(rd, &b, 1) == 1)
				_exit(code);
		}
		_exit(got_code == SI_TKILL && got_pid == getppid() ? 50 : 99);
	}
	close(ready[1]);
	read(ready[0], &b, 1);
	close(ready[0]);
	usleep(20000); /* into its read */
	return c;
}

/*
 * The revents of fd once they include want, polling every millisecond for
 * up to 5 s: an exited thread's pidfd polls POLLIN from its exit and
 * POLLIN|POLLHUP only once the kernel has released it, a moment later.
 */
static int poll_until(int fd, int want)
{
	int r = poll_fd(fd, 0);
	for (int i = 0; i < 5000 && r >= 0 && (r & want) != want; i++) {
		usleep(1000);
		r = poll_fd(fd, 0);
	}
	return r;
}

/* The "Pid:" line of fd's /proc/self/fdinfo entry, or -2 when there is none. */
static int fdinfo_pid(int fd)
{
	char path[64], line[128];
	int pid = -2;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "re");
	if (!f)
		return -3;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "Pid: %d", &pid);
	fclose(f);
	return pid;
}

static void basics(void)
{
	int fd = pidfd_open(getpid(), 0);
	char b[8];
	EXPECT("pidfd_open self", fd >= 0);
	printf("cloexec %d flags 0%o\n", fcntl(fd, F_GETFD), fcntl(fd, F_GETFL));
	SHOW("read pidfd", read(fd, b, sizeof(b)));
	SHOW("write pidfd", write(fd, b, sizeof(b)));
	SHOW("lseek pidfd", lseek(fd, 0, SEEK_SET));
	printf("poll self 0x%x\n", poll_fd(fd, 0));
	SHOW("pidfd_open 0", pidfd_open(0, 0));
	SHOW("pidfd_open -1", pidfd_open(-1, 0));
	SHOW("pidfd_open missing", pidfd_open(99999999, 0));
	SHOW("pidfd_open bad flags", pidfd_open(getpid(), 1));
	int nb = pidfd_open(getpid(), PIDFD_NONBLOCK);
	printf("nonblock flags 0%o\n", fcntl(nb, F_GETFL));
	SHOW("waitid pidfd of self", waitid_fd(fd, &(siginfo_t){0}, WEXITED | WNOHANG));
	SHOW("waitid pidfd -1", waitid_fd(-1, &(siginfo_t){0}, WEXITED | WNOHANG));
	SHOW("waitid stdin", waitid_fd(0, &(siginfo_t){0}, WEXITED | WNOHANG));
	SHOW("send to stdin", pidfd_send(0, 0, NULL, 0));
	SHOW("send bad fd", pidfd_send(77, 0, NULL, 0));
	SHOW("send two flags", pidfd_send(fd, 0, NULL, 3));
	SHOW("send flag 8", pidfd_send(fd, 0, NULL, 8));
	SHOW("send sig 65", pidfd_send(fd, 65, NULL, 0));
	SHOW("send efault", pidfd_send(fd, 0, (siginfo_t *)8, 0));
	SHOW("send sig 0 self", pidfd_send(fd, 0, NULL, 0));
	close(fd);
	close(nb);
}

static void *thread_main(void *arg)
{
	*(long *)arg = pidfd_open((pid_t)syscall(SYS_gettid), 0) < 0 ? errno : 0;
	return NULL;
}

static void thread_pidfd(void)
{
	pthread_t th;
	long err = -1;
	pthread_create(&th, NULL, thread_main, &err);
	pthread_join(th, NULL);
	printf("pidfd_open of a non-leader thread: %s\n", err ? ename((int)err) : "0");
}

#define PIDFD_THREAD O_EXCL

static pthread_barrier_t barrier;
static volatile pid_t thread_tid;
static volatile sig_atomic_t in_thread;

static void *thread_waits(void *arg)
{
	thread_tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	return arg;
}

static void on_usr1_where(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	got_code = si->si_code;
	in_thread = syscall(SYS_gettid) == thread_tid;
}

static const char *code_name(int code)
{
	return code == SI_TKILL ? "SI_TKILL" : code == SI_USER ? "SI_USER" : "other";
}

/*
 * PIDFD_THREAD: a pidfd of one thread signals that thread; once the thread
 * exits (and is reaped at once) it polls POLLIN|POLLHUP and acts like a
 * reaped process's; the leader's thread pidfd acts like the process's.
 */
static void thread_pidfds(void)
{
	struct sigaction sa = {.sa_sigaction = on_usr1_where, .sa_flags = SA_SIGINFO}, old;
	sigaction(SIGUSR1, &sa, &old);
	pthread_t th;
	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&th, NULL, thread_waits, NULL);
	pthread_barrier_wait(&barrier);
	int fd = pidfd_open(thread_tid, PIDFD_THREAD);
	printf("thread pidfd: %s, flags O_EXCL %d\n", fd >= 0 ? "ok" : ename(errno),
	       !!(fcntl(fd, F_GETFL) & O_EXCL));
	printf("fdinfo Pid is the tid: %d\n", fdinfo_pid(fd) == thread_tid);
	printf("poll live thread 0x%x\n", poll_fd(fd, 0));
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* only the thread can take it */
	got = 0;
	SHOW("send to the thread", pidfd_send(fd, SIGUSR1, NULL, 0));
	pthread_barrier_wait(&barrier);
	pthread_join(th, NULL);
	printf("handled in the thread %d, %s\n", in_thread, code_name(got_code));
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	printf("poll exited thread 0x%x\n", poll_until(fd, POLLIN | POLLHUP));
	printf("fdinfo Pid of the exited thread %d\n", fdinfo_pid(fd));
	SHOW("send to the exited thread", pidfd_send(fd, SIGUSR1, NULL, 0));
	SHOW("send to its group", pidfd_send(fd, 0, NULL, 2));
	SHOW("getfd of the exited thread", syscall(SYS_pidfd_getfd, fd, 0, 0));
	close(fd);

	int self = pidfd_open(getpid(), PIDFD_THREAD);
	printf("poll own leader 0x%x\n", poll_fd(self, 0));
	got = 0;
	thread_tid = 0;
	SHOW("send to own leader", pidfd_send(self, SIGUSR1, NULL, 0));
	printf("got %d, %s\n", got == SIGUSR1, code_name(got_code));
	close(self);

	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(3);
	}
	int cfd = pidfd_open(c, PIDFD_THREAD);
	kill(c, SIGKILL);
	printf("poll killed child 0x%x\n", poll_fd(cfd, 2000));
	siginfo_t si = {0};
	SHOW("waitid thread pidfd of a child", waitid_fd(cfd, &si, WEXITED));
	printf("waited: code %d status %d pid ok %d\n", si.si_code, si.si_status, si.si_pid == c);
	printf("poll reaped 0x%x\n", poll_fd(cfd, 0));
	close(cfd);
	SHOW("thread pidfd of nothing", pidfd_open(99999999, PIDFD_THREAD));
	sigaction(SIGUSR1, &old, NULL);
	got = got_code = 0; /* the children of later tests wait for their own signal */
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_value = si->si_value.sival_int;
}

/* Signals through a pidfd, as seen by a child's handler (reported through its exit code). */
static void signals(void)
{
	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
		sigaction(SIGUSR1, &sa, NULL);
		sigset_t old;
		block_usr1(&old);
		close(p[0]);
		write(p[1], "r", 1);
		while (!got)
			sigsuspend(&old);
		int code = got_code == SI_USER ? 1 : got_code == SI_QUEUE ? 2 : 3;
		int from_parent = got_pid == getppid();
		_exit(code * 10 + from_parent + (got_value == 7 ? 4 : 0));
	}
	char b;
	close(p[1]);
	read(p[0], &b, 1);
	close(p[0]);
	int fd = pidfd_open(c, 0);
	printf("poll live 0x%x\n", poll_fd(fd, 0));
	printf("fdinfo Pid is the child %d\n", fdinfo_pid(fd) == c);
	SHOW("send SIGUSR1", pidfd_send(fd, SIGUSR1, NULL, 0));
	siginfo_t si = {0};
	SHOW("waitid pidfd", waitid_fd(fd, &si, WEXITED));
	printf("child code %d status %d pid ok %d\n", si.si_code, si.si_status, si.si_pid == c);
	printf("poll reaped 0x%x\n", poll_fd(fd, 0));
	printf("fdinfo Pid after reap %d\n", fdinfo_pid(fd));
	SHOW("send after reap", pidfd_send(fd, SIGUSR1, NULL, 0));
	SHOW("waitid after reap", waitid_fd(fd, &si, WEXITED));
	SHOW("pidfd_open after reap", pidfd_open(c, 0));
	close(fd);
}

/* A siginfo of the caller's own: SI_QUEUE is allowed to another process, SI_USER is not. */
static void signals_info(void)
{
	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
		sigaction(SIGUSR1, &sa, NULL);
		sigset_t old;
		block_usr1(&old);
		close(p[0]);
		write(p[1], "r", 1);
		while (!got)
			sigsuspend(&old);
		int code = got_code == SI_USER ? 1 : got_code == SI_QUEUE ? 2 : 3;
		_exit(code * 10 + (got_pid == getppid()) + (got_value == 7 ? 4 : 0));
	}
	char b;
	close(p[1]);
	read(p[0], &b, 1);
	close(p[0]);
	int fd = pidfd_open(c, PIDFD_NONBLOCK);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_USER;
	SHOW("send info SI_USER", pidfd_send(fd, SIGUSR1, &si, 0));
	si.si_signo = SIGUSR2;
	si.si_code = SI_QUEUE;
	SHOW("send info signo mismatch", pidfd_send(fd, SIGUSR1, &si, 0));
	si.si_signo = SIGUSR1;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = 7;
	siginfo_t w;
	memset(&w, 0xff, sizeof(w));
	SHOW("waitid nonblock live", waitid_fd(fd, &w, WEXITED));
	printf("waitid nonblock si_pid %d si_signo %d\n", w.si_pid, w.si_signo);
	SHOW("waitid nonblock WNOHANG", waitid_fd(fd, &w, WEXITED | WNOHANG));
	SHOW("send info SI_QUEUE", pidfd_send(fd, SIGUSR1, &si, 0));
	printf("poll until exit 0x%x\n", poll_fd(fd, 5000));
	SHOW("send to zombie", pidfd_send(fd, SIGUSR1, NULL, 0));
	SHOW("getfd of zombie", syscall(SYS_pidfd_getfd, fd, 1, 0));
	memset(&w, 0, sizeof(w));
	SHOW("waitid WNOWAIT", waitid_fd(fd, &w, WEXITED | WNOWAIT));
	printf("child status %d\n", w.si_status);
	SHOW("waitid", waitid_fd(fd, &w, WEXITED));
	printf("child status %d\n", w.si_status);
	close(fd);
}

/* A pidfd wakes a poll that waits for the process to end; SIGKILL through it. */
static void poll_wakes(void)
{
	int p[2];
	pipe(p);
	pid_t c = child_waiting(p[0], p[1], 5);
	int fd = pidfd_open(c, 0);
	close(p[0]);
	SHOW("send SIGKILL", pidfd_send(fd, SIGKILL, NULL, 0));
	printf("poll wakes 0x%x\n", poll_fd(fd, 5000));
	int st;
	SHOW("waitpid", waitpid(c, &st, 0) == c);
	printf("killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	close(p[1]);
	close(fd);

	/* A thread-directed signal carries SI_TKILL; it ends the child's wait (EINTR). */
	struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO}, old;
	sigaction(SIGUSR1, &sa, &old);
	pipe(p);
	c = child_waiting(p[0], p[1], 6);
	sigaction(SIGUSR1, &old, NULL);
	fd = pidfd_open(c, 0);
	close(p[0]);
	SHOW("send PIDFD_SIGNAL_THREAD", pidfd_send(fd, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
	siginfo_t si = {0};
	SHOW("waitid", waitid_fd(fd, &si, WEXITED));
	printf("code %d status %d\n", si.si_code, si.si_status);
	close(p[1]);
	close(fd);
}

/* epoll on a pidfd: ready once the child exits, woken by the death. */
static void epoll_wakes(void)
{
	int p[2];
	struct epoll_event ev = {.events = EPOLLIN}, out;
	pipe(p);
	pid_t c = child_waiting(p[0], p[1], 8);
	int fd = pidfd_open(c, 0);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	SHOW("epoll_ctl add pidfd", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	SHOW("epoll_wait live", epoll_wait(ep, &out, 1, 0));
	write(p[1], "x", 1);
	SHOW("epoll_wait exit", epoll_wait(ep, &out, 1, 5000));
	printf("events 0x%x\n", out.events);
	SHOW("waitpid", waitpid(c, NULL, 0) == c);
	SHOW("epoll_wait reaped", epoll_wait(ep, &out, 1, 0));
	printf("events 0x%x\n", out.events);
	close(ep);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void getfd(void)
{
	int p[2];
	struct stat a, b;
	pipe(p);
	pid_t c = child_waiting(p[0], p[1], 0);
	int fd = pidfd_open(c, 0);
	int nfd = (int)syscall(SYS_pidfd_getfd, fd, p[0], 0);
	EXPECT("pidfd_getfd", nfd >= 0);
	printf("getfd cloexec %d\n", fcntl(nfd, F_GETFD));
	fstat(nfd, &a);
	fstat(p[0], &b);
	EXPECT("getfd gives the same pipe", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	SHOW("getfd bad target", syscall(SYS_pidfd_getfd, fd, 77, 0));
	SHOW("getfd flags", syscall(SYS_pidfd_getfd, fd, p[0], 1));
	SHOW("write", write(p[1], "x", 1));
	siginfo_t si = {0};
	SHOW("waitid", waitid_fd(fd, &si, WEXITED));
	printf("status %d\n", si.si_status);
	close(nfd);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void clone_pidfd(void)
{
	int pfd = -1;
	long r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pfd, 0, 0);
	if (r == 0)
		_exit(4);
	printf("clone: child %d pidfd %d cloexec %d\n", r > 0, pfd >= 0, fcntl(pfd, F_GETFD));
	siginfo_t si = {0};
	SHOW("waitid", waitid_fd(pfd, &si, WEXITED));
	printf("status %d pid ok %d\n", si.si_status, si.si_pid == r);
	close(pfd);
	SHOW("clone PIDFD|PARENT_SETTID",
	     syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &pfd, 0, 0));
	SHOW("clone PIDFD efault", syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, (int *)8, 0, 0));

	struct clone_args ca;
	int p3 = -1;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_PIDFD;
	ca.exit_signal = SIGCHLD;
	ca.pidfd = (uintptr_t)&p3;
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		_exit(6);
	printf("clone3: child %d pidfd %d\n", r > 0, p3 >= 0);
	SHOW("waitid", waitid_fd(p3, &si, WEXITED));
	printf("status %d\n", si.si_status);
	close(p3);
}

static volatile int thread_go;

static int raw_thread(void *arg)
{
	(void)arg;
	while (!thread_go)
		;
	syscall(SYS_exit, 0);
	return 0;
}

/* CLONE_PIDFD with CLONE_THREAD (Linux 6.9): a thread pidfd of the new thread. */
static void clone_thread_pidfd(void)
{
	static char stack[65536];
	int pfd = -1;
	int tid = clone(raw_thread, stack + sizeof(stack),
			CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
				CLONE_SYSVSEM | CLONE_PIDFD,
			NULL, &pfd);
	printf("clone thread: %s, pidfd %d, PIDFD_THREAD %d\n", tid > 0 ? "ok" : ename(errno),
	       pfd >= 0, pfd >= 0 && (fcntl(pfd, F_GETFL) & O_EXCL) != 0);
	printf("poll live thread 0x%x\n", poll_fd(pfd, 0));
	thread_go = 1;
	printf("poll after its exit 0x%x\n", poll_fd(pfd, 2000));
	close(pfd);
}

int main(void)
{
	close_inherited_fds();
	setvbuf(stdout, NULL, _IONBF, 0);
	basics();
	thread_pidfd();
	thread_pidfds();
	signals();
	signals_info();
	poll_wakes();
	epoll_wakes();
	getfd();
	clone_pidfd();
	clone_thread_pidfd();
	return 0;
}
