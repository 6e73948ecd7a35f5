/*
 * contain_check: uos's containment (supervisor/kernel/contain.c) applied exactly as
 * uos applies it to the first guest (fork, PTRACE_TRACEME, SIGSTOP, then
 * contain_enter and a seccomp filter), and checked from both sides.
 *
 * Inside the contained child: the ids, no_new_privs, every capability set
 * empty (capget, prctl and /proc/self/status, read through an fd opened
 * before), RLIMIT_CORE 0; no host path opens, executes or is made; no TCP
 * bind or connect to a listener of the parent's; no abstract unix socket or
 * signal reaches the parent; and what uos needs keeps working: mmap of a
 * memfd and of a root-only host file received by SCM_RIGHTS, execveat of a
 * memfd with AT_EMPTY_PATH (inherited and received).  From the parent (root,
 * or uos's uid): reads and writes of the child's memory with
 * process_vm_readv/writev, /proc/PID/mem and PTRACE_PEEKDATA/POKEDATA, and
 * the exec stop after the child execs (its PTRACE_TRACEME came before the
 * uid change).
 *
 *	contain_check [--as-user UID]
 *
 * --as-user (root only; 77 otherwise) first becomes UID without
 * capabilities: uos run by an ordinary user.  Prints "ok - ..." or "not ok
 * - ..." per check and exits 0 iff all passed.  The program must be static:
 * a contained process cannot open an ELF interpreter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "contain.h"

#define DATA_MEMFD "memfd-data: the pages of a VFS file"
#define DATA_HOST "host-file: opened by the parent, mode 0600"
#define PROBE "contain-probe: the parent reads this"

static volatile char probe[64] = PROBE;
static int nfail;
static volatile sig_atomic_t got_usr1;

static void check(bool ok, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dprintf(1, "%s - %s\n", ok ? "ok" : "not ok", msg);
	nfail += !ok;
}

/* The call failed with errno want. */
static void check_errno(long r, int want, const char *what)
{
	int e = errno;
	check(r < 0 && e == want, "%s fails with %s (got %ld, %s)", what, strerrorname_np(want), r,
	      r < 0 ? strerrorname_np(e) : "no error");
}

/* What both sides share: made by the parent before the fork. */
struct world {
	struct contain c;
	int sv[2];	/* [0] parent, [1] child: probe address, SCM_RIGHTS */
	int exe_memfd;	/* a copy of this program, inherited by the child */
	int exe_file;	/* this program's file, opened by the parent */
	int data_memfd; /* DATA_MEMFD */
	int host_file;	/* DATA_HOST, a root-only (0600) file in /tmp */
	char host_path[64];
	int tcp; /* a TCP listener on 127.0.0.1 */
	struct sockaddr_in tcp_addr;
	int unix_abs; /* an abstract unix listener */
	struct sockaddr_un unix_addr;
};

/* ---- the exec'd program (--exec-probe UID GID ABI FAILS) ---- */

static bool caps_empty(bool bounding)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	for (int i = 0; i < 2; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable)
			return false;
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) != 0 ||
		    (bounding && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 0))
			return false;
	return true;
}

static int exec_probe(char **argv)
{
	uid_t uid = (uid_t)strtoul(argv[2], NULL, 10);
	gid_t gid = (gid_t)strtoul(argv[3], NULL, 10);
	int abi = atoi(argv[4]);

	nfail = atoi(argv[5]);
	check(getuid() == uid && geteuid() == uid && getgid() == gid,
	      "after execveat of a memfd: uid %u gid %u", getuid(), getgid());
	check(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "after exec: no_new_privs");
	check(caps_empty(false), "after exec: no capabilities");
	if (abi)
		check_errno(open("/etc/passwd", O_RDONLY), EACCES, "after exec: open /etc/passwd");
	return nfail ? 1 : 0;
}

/* ---- the contained child ---- */

/* Receive n fds sent with SCM_RIGHTS. */
static int recv_fds(int sock, int *fds, int n)
{
	char byte, cbuf[CMSG_SPACE(8 * sizeof(int))];
	struct iovec iov = {&byte, 1};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = cbuf,
			   .msg_controllen = CMSG_SPACE((size_t)n * sizeof(int))};

	if (recvmsg(sock, &m, 0) != 1)
		return -1;
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(n * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(cm), (size_t)n * sizeof(int));
	return 0;
}

/* A seccomp filter that allows everything: installing one must work once contained. */
static long allow_all_filter(void)
{
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {1, &insn};

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

static void check_ids(const struct contain *c)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	getresuid(&r, &e, &s);
	getresgid(&rg, &eg, &sg);
	check(r == c->uid && e == c->uid && s == c->uid, "uids are %u (got %u %u %u)", c->uid, r, e,
	      s);
	check(rg == c->gid && eg == c->gid && sg == c->gid, "gids are %u (got %u %u %u)", c->gid,
	      rg, eg, sg);
	if (c->set_ids)
		check(getgroups(0, NULL) == 0, "no supplementary groups");
	if (c->set_ids)
		check(c->uid >= 0x70000000u && c->uid < 0x70400000u,
		      "the default uid is in 0x70000000 + pid");
}

/* The line "key:\tvalue" of /proc/self/status, read through fd. */
static bool status_line(int fd, const char *key, char *out, size_t n)
{
	char buf[4096], pat[64];
	ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);

	if (len <= 0)
		return false;
	buf[len] = 0;
	snprintf(pat, sizeof(pat), "\n%s:\t", key);
	char *p = strstr(buf, pat);
	if (!p)
		return false;
	p += strlen(pat);
	size_t i = 0;
	while (p[i] && p[i] != '\n' && i + 1 < n) {
		out[i] = p[i];
		i++;
	}
	out[i] = 0;
	return true;
}

static void check_status(int fd, const struct contain *c)
{
	static const char *const zero[] = {"CapInh", "CapPrm", "CapEff", "CapAmb"};
	char v[128];

	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		check(status_line(fd, zero[i], v, sizeof(v)) && !strcmp(v, "0000000000000000"),
		      "/proc/self/status %s: %s", zero[i], v);
	if (c->drop_bset)
		check(status_line(fd, "CapBnd", v, sizeof(v)) && !strcmp(v, "0000000000000000"),
		      "/proc/self/status CapBnd: %s", v);
	check(status_line(fd, "NoNewPrivs", v, sizeof(v)) && !strcmp(v, "1"),
	      "/proc/self/status NoNewPrivs: %s", v);
	check(status_line(fd, "Seccomp", v, sizeof(v)) && !strcmp(v, "2"),
	      "/proc/self/status Seccomp: %s", v);
}

/* Read a byte of the parent (ptrace access mode ATTACH: no attach, so no stop if it works). */
static long read_parent(void)
{
	char byte;
	struct iovec local = {&byte, 1}, remote = {(void *)probe, 1};

	return process_vm_readv(getppid(), &local, 1, &remote, 1, 0);
}

static void check_privileges(const struct contain *c, int status_fd)
{
	struct rlimit rl;

	check_ids(c);
	check(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "PR_GET_NO_NEW_PRIVS is 1");
	check(caps_empty(c->drop_bset),
	      "capget: effective, permitted, inheritable empty; "
	      "ambient empty; bounding %s",
	      c->drop_bset ? "empty" : "kept (no CAP_SETPCAP)");
	check_status(status_fd, c);
	check(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == 0,
	      "RLIMIT_CORE is 0");
	check_errno(setresuid(0, 0, 0), EPERM, "setresuid(0)");
	check_errno(read_parent(), EPERM, "process_vm_readv of the parent");
}

static void check_files(const struct contain *c)
{
	char path[64], *argv[] = {"true", NULL};

	if (!c->landlock_abi) {
		check(true, "# no Landlock: host path checks skipped");
		return;
	}
	snprintf(path, sizeof(path), "/tmp/uos-contain-new-%d", getpid());
	check_errno(open("/etc/passwd", O_RDONLY), EACCES, "open /etc/passwd");
	check_errno(open("/", O_RDONLY | O_DIRECTORY), EACCES, "open / (a directory)");
	check_errno(open("/proc/self/status", O_RDONLY), EACCES, "open /proc/self/status");
	check_errno(creat(path, 0600), EACCES, "creat in /tmp");
	check_errno(mkdir(path, 0700), EACCES, "mkdir in /tmp");
	check_errno(symlink("/etc/passwd", path), EACCES, "symlink in /tmp");
	check_errno(mknod(path, S_IFIFO | 0600, 0), EACCES, "mkfifo in /tmp");
	check_errno(execve("/bin/true", argv, argv + 1), EACCES, "execve /bin/true");
	unlink(path);
}

static void check_network(const struct world *w)
{
	struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int u = socket(AF_UNIX, SOCK_STREAM, 0);

	if (w->c.landlock_abi >= 4) {
		check_errno(connect(s, (const struct sockaddr *)&w->tcp_addr, sizeof(w->tcp_addr)),
			    EACCES, "TCP connect to the parent's listener on 127.0.0.1");
		check_errno(bind(s, (const struct sockaddr *)&any, sizeof(any)), EACCES,
			    "TCP bind to 127.0.0.1:0");
	}
	if (w->c.landlock_abi >= 6) {
		check_errno(
		    connect(u, (const struct sockaddr *)&w->unix_addr, sizeof(w->unix_addr)), EPERM,
		    "connect to the parent's abstract unix socket");
		check_errno(kill(getppid(), SIGUSR1), EPERM, "kill(parent, SIGUSR1)");
	} else if (w->c.set_ids) {
		check_errno(kill(getppid(), SIGUSR1), EPERM, "kill(parent, SIGUSR1)");
	}
	close(s);
	close(u);
}

/* Map fd's first page with prot and compare its start with want. */
static void check_map(int fd, int prot, const char *want, const char *what)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE, fd, 0);

	check(p != MAP_FAILED && !memcmp(p, want, strlen(want)), "mmap of %s (%s)", what,
	      p == MAP_FAILED ? strerror(errno) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* fds: the memfd, the host file, this program's file, the exe memfd (SCM_RIGHTS). */
static void check_received(const int fds[4])
{
	char buf[64] = {0};

	check_map(fds[0], PROT_READ | PROT_EXEC, DATA_MEMFD,
		  "a received memfd, PROT_READ|PROT_EXEC");
	check_map(fds[1], PROT_READ, DATA_HOST, "a received root-only host file");
	check(pread(fds[1], buf, strlen(DATA_HOST), 0) == (ssize_t)strlen(DATA_HOST) &&
		  !strcmp(buf, DATA_HOST),
	      "pread of the received host file");
	check_map(fds[2], PROT_READ | PROT_EXEC, "\177ELF",
		  "a received program file, PROT_READ|PROT_EXEC");
}

/* execveat(fd, "", AT_EMPTY_PATH) of the exe memfd: the exec'd probe exits 0. */
static char **probe_argv(const struct contain *c, char buf[4][16], int fails)
{
	static char *argv[7];

	snprintf(buf[0], 16, "%u", c->uid);
	snprintf(buf[1], 16, "%u", c->gid);
	snprintf(buf[2], 16, "%d", c->landlock_abi);
	snprintf(buf[3], 16, "%d", fails);
	argv[0] = "contain_check";
	argv[1] = "--exec-probe";
	for (int i = 0; i < 4; i++)
		argv[2 + i] = buf[i];
	argv[6] = NULL;
	return argv;
}

static void check_exec_inherited(const struct world *w)
{
	char buf[4][16];
	char **argv = probe_argv(&w->c, buf, 0);
	int st;
	pid_t p = fork();

	if (p == 0) {
		syscall(SYS_execveat, w->exe_memfd, "", argv, argv + 6, AT_EMPTY_PATH);
		dprintf(1, "not ok - execveat of the inherited memfd: %s\n", strerror(errno));
		_exit(1);
	}
	check(p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a forked child execveat's the inherited memfd (AT_EMPTY_PATH)");
}

/* Send the probe's address, stop for the parent to read it. */
static void offer_probe(int sock)
{
	unsigned long addr = (unsigned long)probe;

	if (write(sock, &addr, sizeof(addr)) != sizeof(addr))
		check(false, "send the probe address");
	raise(SIGSTOP);
}

static _Noreturn void child(struct world *w)
{
	const char *what;
	char buf[4][16];
	int fds[4];

	close(w->sv[0]);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
		_exit(126);
	int status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	int r = contain_enter(&w->c, &what);
	if (r < 0) {
		dprintf(1, "not ok - contain_enter: %s: %s\n", what, strerror(-r));
		_exit(126);
	}
	check(allow_all_filter() == 0, "a seccomp filter installs after contain_enter");
	check_privileges(&w->c, status_fd);
	check_files(&w->c);
	check_network(w);
	check(recv_fds(w->sv[1], fds, 4) == 0, "receive 4 fds by SCM_RIGHTS");
	check_received(fds);
	check_exec_inherited(w);
	offer_probe(w->sv[1]);
	check(!memcmp((const char *)probe, "XYZ", 3), "the parent's three writes arrived");
	char **argv = probe_argv(&w->c, buf, nfail);
	syscall(SYS_execveat, fds[3], "", argv, argv + 6, AT_EMPTY_PATH);
	dprintf(1, "not ok - execveat of a received memfd: %s\n", strerror(errno));
	_exit(1);
}

/* ---- the parent ---- */

static int memfd_with(const char *name, const void *data, size_t len)
{
	int fd = memfd_create(name, 0);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return -1;
	return fd;
}

static int memfd_copy(const char *name, int src)
{
	struct stat st;
	int fd = memfd_create(name, 0);
	off_t off = 0;

	if (fd < 0 || fstat(src, &st) < 0)
		return -1;
	while (off < st.st_size)
		if (sendfile(fd, src, &off, (size_t)(st.st_size - off)) <= 0)
			return -1;
	return fd;
}

static int host_file(char *path, size_t n)
{
	snprintf(path, n, "/tmp/uos-contain-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || fchmod(fd, 0600) < 0 || write(fd, DATA_HOST, strlen(DATA_HOST)) < 0)
		return -1;
	return fd;
}

static int listeners(struct world *w)
{
	socklen_t len = sizeof(w->tcp_addr);

	w->tcp_addr =
	    (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	w->tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (w->tcp < 0 || bind(w->tcp, (struct sockaddr *)&w->tcp_addr, len) < 0 ||
	    listen(w->tcp, 4) < 0 || getsockname(w->tcp, (struct sockaddr *)&w->tcp_addr, &len))
		return -1;
	w->unix_addr = (struct sockaddr_un){.sun_family = AF_UNIX};
	snprintf(w->unix_addr.sun_path + 1, sizeof(w->unix_addr.sun_path) - 1, "uos-contain-%d",
		 getpid());
	w->unix_abs = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (w->unix_abs < 0 ||
	    bind(w->unix_abs, (struct sockaddr *)&w->unix_addr, sizeof(w->unix_addr)) < 0 ||
	    listen(w->unix_abs, 4) < 0)
		return -1;
	return 0;
}

static int make_world(struct world *w)
{
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	w->exe_file = self;
	w->exe_memfd = memfd_copy("contain-exe", self);
	w->data_memfd = memfd_with("contain-data", DATA_MEMFD, sizeof(DATA_MEMFD));
	w->host_file = host_file(w->host_path, sizeof(w->host_path));
	if (self < 0 || w->exe_memfd < 0 || w->data_memfd < 0 || w->host_file < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, w->sv) < 0)
		return -1;
	return listeners(w);
}

static int send_fds(int sock, const int *fds, int n)
{
	char byte = 'F', cbuf[CMSG_SPACE(8 * sizeof(int))];
	struct iovec iov = {&byte, 1};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = cbuf,
			   .msg_controllen = CMSG_SPACE((size_t)n * sizeof(int))};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, (size_t)n * sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

/* The child stopped to be probed: read its memory the three ways uos does. */
static void probe_child(const struct world *w, pid_t pid)
{
	unsigned long addr = 0;
	char buf[sizeof(PROBE)] = {0}, path[64];
	struct iovec local = {buf, sizeof(PROBE) - 1}, remote;

	if (read(w->sv[0], &addr, sizeof(addr)) != sizeof(addr))
		addr = 0;
	remote = (struct iovec){(void *)addr, sizeof(PROBE) - 1};
	check(process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)sizeof(PROBE) - 1 &&
		  !strcmp(buf, PROBE),
	      "parent: process_vm_readv of the contained child");
	memset(buf, 0, sizeof(buf));
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	check(fd >= 0 && pread(fd, buf, sizeof(PROBE) - 1, (off_t)addr) == sizeof(PROBE) - 1 &&
		  !strcmp(buf, PROBE),
	      "parent: read of /proc/PID/mem of the contained child");
	if (fd >= 0)
		close(fd);
	errno = 0;
	long word = ptrace(PTRACE_PEEKDATA, pid, addr, 0);
	check(errno == 0 && !memcmp(&word, PROBE, sizeof(word)),
	      "parent: PTRACE_PEEKDATA of the contained child");
	/* Writes, the three ways too: the child finds "XYZ" at the start (probe_written). */
	struct iovec x = {"X", 1}, at = {(void *)addr, 1};
	check(process_vm_writev(pid, &x, 1, &at, 1, 0) == 1, "parent: process_vm_writev");
	fd = open(path, O_RDWR | O_CLOEXEC);
	check(fd >= 0 && pwrite(fd, "Y", 1, (off_t)addr + 1) == 1,
	      "parent: write of /proc/PID/mem");
	if (fd >= 0)
		close(fd);
	word = ptrace(PTRACE_PEEKDATA, pid, addr, 0);
	((char *)&word)[2] = 'Z';
	check(ptrace(PTRACE_POKEDATA, pid, addr, word) == 0, "parent: PTRACE_POKEDATA");
}

/* The exec event stop: the child is still traced; its new registers and code read. */
static void probe_exec(pid_t pid)
{
	struct user_regs_struct regs;
	char path[64];
	unsigned char code[4];
	long word;

	errno = 0;
	check(ptrace(PTRACE_GETREGS, pid, 0, &regs) == 0,
	      "parent: the exec stop of the contained child, registers read");
	word = ptrace(PTRACE_PEEKTEXT, pid, regs.rip, 0);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	check(errno == 0 && fd >= 0 && pread(fd, code, 4, (off_t)regs.rip) == 4 &&
		  !memcmp(code, &word, 4),
	      "parent: the exec'd image's code read at rip");
	if (fd >= 0)
		close(fd);
}

/* Serve the child's stops until it exits; returns its wait status. */
static int trace_child(const struct world *w, pid_t pid)
{
	const int fds[4] = {w->data_memfd, w->host_file, w->exe_file, w->exe_memfd};
	int st, stops = 0;

	while (waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st)) {
		int sig = WSTOPSIG(st);
		if (sig == SIGTRAP && st >> 16 == PTRACE_EVENT_EXEC) {
			probe_exec(pid);
			sig = 0;
		} else if (sig == SIGSTOP && stops++ == 0) {
			ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
			check(send_fds(w->sv[0], fds, 4) == 0, "parent: send 4 fds by SCM_RIGHTS");
			sig = 0;
		} else if (sig == SIGSTOP) {
			probe_child(w, pid);
			sig = 0;
		}
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
	return st;
}

static void on_usr1(int sig)
{
	got_usr1 = 1;
}

/* Become uid (and gid) without capabilities: uos run by an ordinary user. */
static int become_user(const char *arg)
{
	uid_t uid = (uid_t)strtoul(arg, NULL, 10);

	if (geteuid() != 0) {
		printf("# --as-user needs root: skipped\n");
		return 77;
	}
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		return 1;
	/* Make the dumpable flag the user's, as for a process uid started from its own exec. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct world w;
	const char *why;
	char line[512];
	int r;

	if (argc == 6 && !strcmp(argv[1], "--exec-probe"))
		return exec_probe(argv);
	if (argc == 3 && !strcmp(argv[1], "--as-user") && (r = become_user(argv[2])))
		return r;
	if (make_world(&w) < 0) {
		perror("contain_check: setup");
		return 1;
	}
	if ((r = contain_prepare(&w.c, &(struct contain_opts){.on = true}, &why)) < 0) {
		printf("not ok - contain_prepare: %s: %s\n", why, strerror(-r));
		return 1;
	}
	contain_describe(&w.c, line, sizeof(line));
	printf("# containment: %s\n", line);
	fflush(stdout);
	signal(SIGUSR1, on_usr1);
	pid_t pid = fork();
	if (pid == 0)
		child(&w);
	close(w.sv[1]);
	contain_release(&w.c);
	int st = trace_child(&w, pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the contained child's checks passed (status %#x)", st);
	check(!got_usr1, "parent: no SIGUSR1 arrived from the child");
	check(accept(w.tcp, NULL, NULL) < 0 && errno == EAGAIN,
	      "parent: no TCP connection was accepted");
	check(accept(w.unix_abs, NULL, NULL) < 0 && errno == EAGAIN,
	      "parent: no abstract unix connection was accepted");
	unlink(w.host_path);
	printf("# %s\n", nfail ? "FAILED" : "all passed");
	return nfail ? 1 : 0;
}
