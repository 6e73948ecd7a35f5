/* wait: execve from a forked child: scripts, errors, argv/envp, what exec keeps and drops
 * (fds without FD_CLOEXEC, pid, cwd, umask, mask, ignored signals), execveat/fexecve, and
 * what fork and vfork copy or share. */
#define AREA "wait"
#include "../harness.h"
#include <sys/mman.h>
#include <sys/syscall.h>

extern char **environ;
static pid_t last_pid;

/* Fork; the child runs pre (if any), then execve(path, argv, envp ?: environ) with stdout
 * on a pipe and stderr on /dev/null.  Up to size-1 bytes of its output go to out.  Returns
 * the wait status, or -1. */
static int run(const char *path, char *const argv[], char *const envp[], void (*pre)(void),
	       char *out, size_t size)
{
	int p[2], st, n = 0;
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	last_pid = pid;
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);
		dup2(p[1], 1);
		dup2(nul, 2);
		close(p[0]);
		if (pre)
			pre();
		execve(path, argv, envp ? envp : environ);
		_exit(127);
	}
	close(p[1]);
	for (ssize_t r; out && (size_t)n + 1 < size && (r = read(p[0], out + n, size - 1 - n)) > 0;)
		n += r;
	if (out)
		out[n] = 0;
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* The errno of execve(path, argv, environ) in a child: 0..199, or 200 when it ran. */
static int exec_errno(const char *path, char *const argv[])
{
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);
		dup2(nul, 1);
		dup2(nul, 2);
		execve(path, argv, environ);
		_exit(errno < 200 ? errno : 199);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) < 200 && WEXITSTATUS(st) != 0 ? WEXITSTATUS(st) : 200;
}

static int put_file(const char *name, const char *text, mode_t mode)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, mode);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	if (n != (ssize_t)strlen(text))
		return -1;
	return chmod(name, mode);
}

CASE(exec_script_shebang)
{
	char out[64];
	scratch();
	OK(put_file("s", "#!/bin/sh\necho ran $1\n", 0755));
	char *argv[] = {"s", "a", NULL};
	int st = run("./s", argv, NULL, NULL, out, sizeof(out));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT_STREQ(out, "ran a\n");
}

CASE(exec_script_shebang_with_arg)
{
	scratch();
	OK(put_file("s", "#!/bin/sh -e\ncase $- in *e*) exit 3;; esac\nexit 4\n", 0755));
	char *argv[] = {"s", NULL};
	int st = run("./s", argv, NULL, NULL, NULL, 0);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 3);
}

CASE(exec_script_sees_its_path_as_arg0)
{
	char out[64];
	scratch();
	OK(put_file("s", "#!/bin/sh\necho \"$0\"\n", 0755));
	char *argv[] = {"whatever", NULL};
	int st = run("./s", argv, NULL, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, "./s\n");
}

CASE(exec_script_missing_interpreter_enoent)
{
	scratch();
	OK(put_file("s", "#!/nonexistent-uosconf/interp\n", 0755));
	char *argv[] = {"s", NULL};
	EXPECT_EQ(exec_errno("./s", argv), ENOENT);
}

CASE(exec_garbage_enoexec)
{
	scratch();
	OK(put_file("g", "this is not a program\n", 0755));
	char *argv[] = {"g", NULL};
	EXPECT_EQ(exec_errno("./g", argv), ENOEXEC);
}

CASE(exec_empty_file_enoexec)
{
	scratch();
	OK(put_file("e", "", 0755));
	char *argv[] = {"e", NULL};
	EXPECT_EQ(exec_errno("./e", argv), ENOEXEC);
}

CASE(exec_truncated_elf_enoexec)
{
	scratch();
	OK(put_file("t", "\177ELF\2\1\1", 0755));
	char *argv[] = {"t", NULL};
	EXPECT_EQ(exec_errno("./t", argv), ENOEXEC);
}

CASE(exec_no_x_bit_eacces)
{
	scratch();
	OK(put_file("s", "#!/bin/sh\nexit 0\n", 0644));
	char *argv[] = {"s", NULL};
	EXPECT_EQ(exec_errno("./s", argv), EACCES);
}

CASE(exec_directory_eacces)
{
	char *argv[] = {"d", NULL};
	EXPECT_EQ(exec_errno("/tmp", argv), EACCES);
}

CASE(exec_enotdir)
{
	char *argv[] = {"x", NULL};
	EXPECT_EQ(exec_errno("/etc/passwd/x", argv), ENOTDIR);
}

CASE(exec_efault_path)
{
	EXPECT_ERRNO(execve((const char *)1, (char *[]){"x", NULL}, environ), EFAULT);
}

CASE(exec_efault_argv)
{
	EXPECT_ERRNO(execve("/bin/true", (char **)1, environ), EFAULT);
}

CASE(exec_arg_too_long_e2big)
{
	size_t n = 200 * 1024; /* over MAX_ARG_STRLEN (32 pages) */
	char *big = malloc(n + 1);
	if (!big)
		FAIL("malloc");
	memset(big, 'a', n);
	big[n] = 0;
	char *argv[] = {"true", big, NULL};
	int e = exec_errno("/bin/true", argv);
	free(big);
	EXPECT_EQ(e, E2BIG);
}

CASE(exec_argv_passed)
{
	char out[64];
	char *argv[] = {"sh", "-c", "printf '%s|' \"$0\" \"$@\"", "zero", "a", "b c", "", NULL};
	int st = run("/bin/sh", argv, NULL, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, "zero|a|b c||");
}

CASE(exec_envp_passed)
{
	char out[64];
	char *argv[] = {"env", NULL};
	char *envp[] = {"A=1", "B=two words", NULL};
	int st = run("/usr/bin/env", argv, envp, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, "A=1\nB=two words\n");
}

/* A page whose next page is PROT_NONE: what execve reads there must end with the page. */
static char *page_before_hole(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE))
		return NULL;
	return m;
}

CASE(exec_vectors_end_with_a_page)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *s = page_before_hole(), *v = page_before_hole(), out[64];
	if (!s || !v)
		FAIL("mmap");
	strcpy(s, "env");
	strcpy(s + 4, "A=1");
	strcpy(s + pg - 6, "Z=end"); /* its NUL is the page's last byte */
	char **ev = (char **)(v + pg - 5 * sizeof(char *)), **av = ev + 3;
	ev[0] = s + 4, ev[1] = s + pg - 6, ev[2] = NULL;
	av[0] = s, av[1] = NULL; /* the NULL is the page's last word */
	int st = run("/usr/bin/env", av, ev, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, "A=1\nZ=end\n");
}

CASE(exec_efault_vector_unended)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *v = page_before_hole();
	if (!v)
		FAIL("mmap");
	char **av = (char **)(v + pg - 2 * sizeof(char *));
	av[0] = "true", av[1] = "x"; /* no NULL before the hole */
	EXPECT_EQ(exec_errno("/bin/true", av), EFAULT);
}

CASE(exec_efault_string_unended)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *s = page_before_hole();
	if (!s)
		FAIL("mmap");
	memcpy(s + pg - 4, "abcd", 4); /* no NUL before the hole */
	char *av[] = {"true", s + pg - 4, NULL};
	EXPECT_EQ(exec_errno("/bin/true", av), EFAULT);
}

CASE(exec_many_args)
{
	enum { N = 5000 };
	static char *av[N + 5], buf[N * 8];
	char out[64], *p = buf;
	av[0] = "sh", av[1] = "-c", av[2] = "echo $# ${4321} ${4999}", av[3] = "zero";
	for (int i = 1; i < N; i++) {
		av[3 + i] = p;
		p += sprintf(p, "a%d", i) + 1;
	}
	int st = run("/bin/sh", av, NULL, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, "4999 a4321 a4999\n");
}

CASE(exec_empty_envp)
{
	char out[64];
	char *argv[] = {"env", NULL};
	char *envp[] = {NULL};
	int st = run("/usr/bin/env", argv, envp, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, "");
}

static int fd5_pipe[2];

static void pre_fd5_cloexec(void)
{
	dup2(fd5_pipe[1], 5);
	fcntl(5, F_SETFD, FD_CLOEXEC);
	if (fd5_pipe[1] != 5)
		close(fd5_pipe[1]);
}

static void pre_fd5_kept(void)
{
	dup2(fd5_pipe[1], 5);
	if (fd5_pipe[1] != 5)
		close(fd5_pipe[1]);
}

static int fd5_run(void (*pre)(void), char *got, size_t size)
{
	if (pipe(fd5_pipe) < 0)
		return -1;
	fcntl(fd5_pipe[0], F_SETFD, FD_CLOEXEC);
	char *argv[] = {"sh", "-c", "echo hi >&5", NULL};
	int st = run("/bin/sh", argv, NULL, pre, NULL, 0);
	close(fd5_pipe[1]);
	ssize_t n = read(fd5_pipe[0], got, size - 1);
	got[n > 0 ? n : 0] = 0;
	close(fd5_pipe[0]);
	return st;
}

CASE(exec_closes_cloexec_fd)
{
	char got[16];
	int st = fd5_run(pre_fd5_cloexec, got, sizeof(got));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) != 0);
	EXPECT_STREQ(got, "");
}

CASE(exec_keeps_fd_without_cloexec)
{
	char got[16];
	int st = fd5_run(pre_fd5_kept, got, sizeof(got));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(got, "hi\n");
}

static int shared_fd;

static void pre_shared_fd(void)
{
	dup2(shared_fd, 5);
}

CASE(exec_keeps_shared_offset)
{
	char buf[16] = {0};
	scratch();
	shared_fd = OK(open("f", O_CREAT | O_RDWR | O_CLOEXEC, 0644));
	OK(write(shared_fd, "abc", 3));
	char *argv[] = {"sh", "-c", "echo X >&5", NULL};
	int st = run("/bin/sh", argv, NULL, pre_shared_fd, NULL, 0);
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(lseek(shared_fd, 0, SEEK_CUR), 5);
	EXPECT_EQ(pread(shared_fd, buf, sizeof(buf) - 1, 0), 5);
	EXPECT_STREQ(buf, "abcX\n");
	close(shared_fd);
}

CASE(exec_keeps_pid_and_ppid)
{
	char out[64], want[64];
	char *argv[] = {"sh", "-c", "echo $$ $PPID", NULL};
	(void)want;
	int st = run("/bin/sh", argv, NULL, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	int pid = 0, ppid = 0;
	EXPECT_EQ(sscanf(out, "%d %d", &pid, &ppid), 2);
	EXPECT_EQ(ppid, getpid());
	EXPECT_EQ(pid, last_pid);
}

static void pre_umask(void)
{
	umask(027);
}

CASE(exec_keeps_umask)
{
	char out[32];
	char *argv[] = {"sh", "-c", "umask", NULL};
	int st = run("/bin/sh", argv, NULL, pre_umask, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, "0027\n");
}

CASE(exec_keeps_cwd)
{
	char out[PATH_MAX + 2], want[PATH_MAX + 2];
	scratch();
	OK(getcwd(want, PATH_MAX) ? 0 : -1);
	strcat(want, "\n");
	char *argv[] = {"sh", "-c", "pwd -P", NULL};
	int st = run("/bin/sh", argv, NULL, NULL, out, sizeof(out));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_STREQ(out, want);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void pre_handle_usr1(void)
{
	signal(SIGUSR1, on_usr1);
}

static void pre_ignore_usr1(void)
{
	signal(SIGUSR1, SIG_IGN);
}

static void pre_block_usr1(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

CASE(exec_resets_handled_signal_to_default)
{
	char *argv[] = {"sh", "-c", "kill -USR1 $$; exit 0", NULL};
	int st = run("/bin/sh", argv, NULL, pre_handle_usr1, NULL, 0);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGUSR1);
}

CASE(exec_keeps_ignored_signal)
{
	char *argv[] = {"sh", "-c", "kill -USR1 $$; exit 0", NULL};
	int st = run("/bin/sh", argv, NULL, pre_ignore_usr1, NULL, 0);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

CASE(exec_keeps_signal_mask)
{
	char *argv[] = {"sh", "-c", "kill -USR1 $$; exit 0", NULL};
	int st = run("/bin/sh", argv, NULL, pre_block_usr1, NULL, 0);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

CASE(execveat_empty_path)
{
	int st;
	int fd = OK(open("/bin/sh", O_PATH | O_CLOEXEC));
	pid_t pid = OK(fork());
	if (pid == 0) {
		char *argv[] = {"sh", "-c", "exit 6", NULL};
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
		_exit(100 + errno);
	}
	close(fd);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 6);
}

CASE(execveat_relative_to_dirfd)
{
	int st;
	int dfd = OK(open("/bin", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	pid_t pid = OK(fork());
	if (pid == 0) {
		char *argv[] = {"sh", "-c", "exit 8", NULL};
		syscall(SYS_execveat, dfd, "sh", argv, environ, 0);
		_exit(100 + errno);
	}
	close(dfd);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 8);
}

CASE(execveat_symlink_nofollow_eloop)
{
	scratch();
	OK(symlink("/bin/true", "t"));
	EXPECT_ERRNO(syscall(SYS_execveat, AT_FDCWD, "t", (char *[]){"t", NULL}, environ,
			     AT_SYMLINK_NOFOLLOW),
		     ELOOP);
	unlink("t");
}

CASE(execveat_bad_flags_einval)
{
	EXPECT_ERRNO(syscall(SYS_execveat, AT_FDCWD, "/bin/true", (char *[]){"t", NULL}, environ,
			     0x40000000),
		     EINVAL);
}

CASE(fexecve_runs)
{
	int st;
	int fd = OK(open("/bin/sh", O_RDONLY | O_CLOEXEC));
	pid_t pid = OK(fork());
	if (pid == 0) {
		char *argv[] = {"sh", "-c", "exit 9", NULL};
		fexecve(fd, argv, environ);
		_exit(100 + errno);
	}
	close(fd);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 9);
}

CASE(execvp_searches_path)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0) {
		char *argv[] = {"sh", "-c", "exit 11", NULL};
		setenv("PATH", "/nonexistent-uosconf:/usr/bin:/bin", 1);
		execvp("sh", argv);
		_exit(100 + errno);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 11);
}

CASE(vfork_then_exec)
{
	int st;
	char *argv[] = {"sh", "-c", "exit 4", NULL};
	pid_t pid = vfork();
	if (pid == 0) {
		execve("/bin/sh", argv, environ);
		_exit(127);
	}
	EXPECT_TRUE(pid > 0);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 4);
}

CASE(vfork_exec_failure_exits)
{
	int st;
	char *argv[] = {"x", NULL};
	pid_t pid = vfork();
	if (pid == 0) {
		execve("/nonexistent-uosconf", argv, environ);
		_exit(errno);
	}
	EXPECT_TRUE(pid > 0);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), ENOENT);
}

CASE(vfork_shares_memory)
{
	int st;
	volatile int v = 1;
	pid_t pid = vfork();
	if (pid == 0) {
		v = 42;
		_exit(0);
	}
	EXPECT_TRUE(pid > 0);
	EXPECT_EQ(v, 42);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
}

CASE(fork_memory_is_copied)
{
	int st;
	volatile int v = 1;
	char *heap = malloc(4096);
	if (!heap)
		FAIL("malloc");
	strcpy(heap, "parent");
	pid_t pid = OK(fork());
	if (pid == 0) {
		v = 2;
		strcpy(heap, "child");
		_exit(v == 2 && !strcmp(heap, "child") ? 0 : 1);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(v, 1);
	EXPECT_STREQ(heap, "parent");
	free(heap);
}

CASE(fork_fd_table_is_copied)
{
	int st;
	int fd = OK(open("/dev/null", O_RDONLY));
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(close(fd) == 0 ? 0 : 1);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
}

CASE(fork_shares_file_offset)
{
	int st;
	int fd = OK(open("/etc/passwd", O_RDONLY));
	pid_t pid = OK(fork());
	if (pid == 0) {
		char b[3];
		_exit(read(fd, b, 3) == 3 ? 0 : 1);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 3);
	close(fd);
}

CASE(fork_child_pending_signals_cleared)
{
	int st;
	sigset_t s, pend;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	OK(raise(SIGUSR2));
	pid_t pid = OK(fork());
	if (pid == 0) {
		sigset_t p, m;
		sigpending(&p);
		sigprocmask(SIG_BLOCK, NULL, &m);
		_exit(!sigismember(&p, SIGUSR2) && sigismember(&m, SIGUSR2) ? 0 : 1);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	OK(sigpending(&pend));
	int had = sigismember(&pend, SIGUSR2);
	struct timespec zero = {0, 0};
	sigtimedwait(&s, NULL, &zero); /* consume it before the harness unblocks */
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(had, 1);
}

CASE(fork_child_inherits_handlers)
{
	int st;
	struct sigaction sa = {.sa_handler = on_usr1}, old;
	OK(sigaction(SIGUSR1, &sa, &old));
	pid_t pid = OK(fork());
	if (pid == 0) {
		struct sigaction q;
		sigaction(SIGUSR1, NULL, &q);
		_exit(q.sa_handler == on_usr1 ? 0 : 1);
	}
	sigaction(SIGUSR1, &old, NULL);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

CASE(raw_pipe_syscall)
{
	int p[2];
	char c = 0;
	OK(syscall(SYS_pipe, p));
	EXPECT_EQ(write(p[1], "z", 1), 1);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'z');
	EXPECT_ERRNO(syscall(SYS_pipe, (int *)1), EFAULT);
	close(p[0]);
	close(p[1]);
}
