/*
 * notify_race MODE [ROUNDS [DIR]]: attacks on the calls uos answers through its
 * seccomp listener (supervisor/transport/notify.c) rather than at a ptrace
 * stop: the id getters, the stat family, access, readlink, getcwd, lseek,
 * getdents64.  Each mode prints one line "notify_race: MODE: ROUNDS rounds,
 * N bad"; N must be 0 (natively too: the script compares).
 *
 * signals   A sibling thread tgkills the main thread with SIGUSR1, whose
 *           handler has no SA_RESTART, as fast as it can, while the main
 *           thread makes notified calls.  None of them may fail with EINTR
 *           (on Linux they never do: they do not wait); a signal that ends
 *           one before uos received it must make it run again.
 * pointers  A sibling flips the path uos reads (between two files) and the
 *           buffer it writes (between a mapped page and PROT_NONE) while
 *           the main thread stats and readlinks: every result must be one
 *           of the two files' or EFAULT, and uos must not fall over.  The
 *           files are made in DIR (default /tmp), the working directory.
 * dying     Each round a child process runs threads that make notified
 *           calls in a loop and is ended by one of them calling execve
 *           (odd rounds) or exit_group (even rounds) while the others are in
 *           such calls: every child must end as it should.
 * listener  The guest looks for a seccomp listener of its own: every fd
 *           0..1100 with SECCOMP_IOCTL_NOTIF_RECV and ID_VALID must fail,
 *           and a filter with a listener of its own must be refused
 *           (otherwise it could let its calls run on the host).  Natively
 *           the last is allowed, so the script checks this mode only under
 *           uos.
 */
#include "sec.h"

#include <dirent.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>

static volatile int stop;
static volatile long sigs;
static pid_t main_tid;

static void on_usr1(int sig)
{
	(void)sig;
	sigs++;
}

static void *signaller(void *arg)
{
	(void)arg;
	while (!stop)
		syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
	return NULL;
}

/* One round of every notified call, counting the ones that failed with EINTR. */
static int calls_once(void)
{
	struct stat st;
	char buf[256];
	int bad = 0, fd = open("/", O_RDONLY | O_DIRECTORY);

	errno = 0;
	bad += getppid() < 0 || getpid() < 0 || syscall(SYS_gettid) < 0 || getuid() == (uid_t)-1;
	bad += stat("/", &st) < 0 || lstat("/", &st) < 0 || fstatat(AT_FDCWD, "/", &st, 0) < 0;
	bad += fstat(fd, &st) < 0 || access("/", R_OK) < 0;
	bad += getcwd(buf, sizeof(buf)) == NULL || lseek(fd, 0, SEEK_SET) < 0;
	bad += syscall(SYS_getdents64, fd, buf, sizeof(buf)) < 0;
	bad += readlink("/proc/self/exe", buf, sizeof(buf)) < 0;
	if (errno && errno != EINTR)
		say("notify_race: a call failed with %s\n", strerror(errno));
	close(fd);
	return bad;
}

static int mode_signals(int rounds)
{
	struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART */
	pthread_t th;
	int bad = 0;

	sigaction(SIGUSR1, &sa, NULL);
	main_tid = (pid_t)syscall(SYS_gettid);
	pthread_create(&th, NULL, signaller, NULL);
	for (int i = 0; i < rounds; i++)
		bad += calls_once();
	stop = 1;
	pthread_join(th, NULL);
	if (sigs == 0)
		bad++; /* no signal came: the test tested nothing */
	return bad;
}

static char *path_buf;	 /* flipped between two paths */
static char *out_page;	 /* flipped between readable and PROT_NONE */

static void *flipper(void *arg)
{
	(void)arg;
	for (unsigned i = 0; !stop; i++) {
		strcpy(path_buf, i & 1 ? "a" : "bb/../b");
		mprotect(out_page, 4096, i & 2 ? PROT_NONE : PROT_READ | PROT_WRITE);
	}
	return NULL;
}

/* Copy n bytes from out_page, which the flipper may have made unreadable meanwhile. */
static void peek(int pfd[2], void *dst, size_t n)
{
	while (write(pfd[1], out_page, n) != (ssize_t)n)
		;
	(void)!read(pfd[0], dst, n);
}

static int mode_pointers(int rounds)
{
	struct stat a, b, got;
	char link[64];
	pthread_t th;
	int bad = 0, pfd[2];

	close(open("a", O_CREAT | O_WRONLY, 0600));
	mkdir("bb", 0700);
	close(open("b", O_CREAT | O_WRONLY, 0600));
	symlink("/tmp/a", "l");
	if (stat("a", &a) < 0 || stat("b", &b) < 0 || pipe(pfd) < 0)
		return 1;
	path_buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(path_buf, "a");
	pthread_create(&th, NULL, flipper, NULL);
	for (int i = 0; i < rounds; i++) {
		long r = syscall(SYS_newfstatat, AT_FDCWD, path_buf, out_page, 0);
		if (r == 0)
			peek(pfd, &got, sizeof(got));
		if (r == 0 && got.st_ino != a.st_ino && got.st_ino != b.st_ino)
			bad++;
		if (r < 0 && errno != EFAULT && errno != ENOENT)
			bad++;
		r = syscall(SYS_readlink, "l", out_page, sizeof(link));
		if (r == 6)
			peek(pfd, link, 6);
		if ((r >= 0 && (r != 6 || memcmp(link, "/tmp/a", 6))) || (r < 0 && errno != EFAULT))
			bad++;
	}
	stop = 1;
	pthread_join(th, NULL);
	return bad;
}

static void *spin_calls(void *arg)
{
	(void)arg;
	for (;;)
		calls_once();
	return NULL;
}

/* A child whose threads spin in notified calls until one of them ends it all. */
static _Noreturn void dying_child(int round, const char *self)
{
	pthread_t th;
	for (int i = 0; i < 3; i++)
		pthread_create(&th, NULL, spin_calls, NULL);
	for (int i = 0; i < round % 7; i++)
		calls_once();
	if (round % 2) {
		char *argv[] = {(char *)self, "exit", NULL};
		execv(self, argv);
		_exit(3);
	}
	syscall(SYS_exit_group, 0);
	_exit(4);
}

static int mode_dying(int rounds, const char *self)
{
	int bad = 0;
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		int st;
		if (pid == 0)
			dying_child(i, self);
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	return bad;
}

static int mode_listener(void)
{
	struct sock_filter f = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	struct sock_fprog prog = {.len = 1, .filter = &f};
	struct seccomp_notif req;
	unsigned long long id = 0;
	int bad = 0;

	for (int fd = 0; fd <= 1100; fd++) {
		memset(&req, 0, sizeof(req));
		bad += ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0;
		bad += ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (r >= 0)
		say("notify_race: the guest has a listener of its own: fd %ld\n", r);
	bad += r >= 0;
	bad += prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
	return bad;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int rounds = argc > 2 ? atoi(argv[2]) : 1000, bad;

	if (!strcmp(mode, "exit"))
		return 0; /* dying's exec */
	if (!strcmp(mode, "signals"))
		bad = mode_signals(rounds);
	else if (!strcmp(mode, "pointers"))
		bad = chdir(argc > 3 ? argv[3] : "/tmp") < 0 ? 1 : mode_pointers(rounds);
	else if (!strcmp(mode, "dying"))
		bad = mode_dying(rounds, argv[0]);
	else if (!strcmp(mode, "listener"))
		bad = mode_listener(), rounds = 1;
	else {
		say("usage: notify_race signals|pointers|dying|listener [ROUNDS]\n");
		return 2;
	}
	say("notify_race: %s: %d rounds, %d bad\n", mode, rounds, bad);
	return 0;
}
