/*
 * misc_calls all|madvise|clone3 MNTDIR VICTIM: calls that would hand a
 * guest host power if uos let the host run them.
 *
 * Each check makes one call with arguments that would succeed on the host
 * (as root, which the guest is on the host today) and prints "name: result
 * ok" or "name: result BAD"; BAD means the call did what the host would do.
 * MNTDIR is a host directory outside the guest's root (a passed-through
 * mount(2) would cover it); VICTIM a host pid (process_vm_*, ptrace).
 *
 * madvise: MADV_HWPOISON and MADV_SOFT_OFFLINE must be refused (EINVAL or
 *   EPERM): on a host with memory-failure support they take physical pages
 *   out of service (and poison page-cache pages other processes share);
 *   MADV_MERGEABLE too: KSM merges the guest's pages with identical pages
 *   of other host processes, a cross-process side channel.
 * clone3: unknown flag bits must be EINVAL (Linux's answer), not ignored;
 *   CLONE_UNTRACED must not make an untraced child.
 * all (the rest): ptrace, process_vm_readv/writev, io_uring_setup,
 *   userfaultfd, perf_event_open, bpf, mount, unshare, setns, memfd_secret,
 *   seccomp and prctl(PR_SET_SECCOMP) (a filter of the guest's own that
 *   could answer calls before uos sees them), prctl(PR_SET_PTRACER),
 *   personality, iopl, ioperm, open_by_handle_at, kexec_load, syscall
 *   numbers past the table; /proc/self/mem writing a read-only page (what
 *   the host's FOLL_FORCE allows); uos's page at STUB_ADDR (stub.h): mmap
 *   MAP_FIXED over it, munmap, mprotect, mremap of it and onto it, a
 *   /proc/self/mem write to its code, each refused with the page intact;
 *   mseal of it exactly as uos seals it at an exec (the filter lets that
 *   one pass: 0, the page intact), other mseal calls ENOSYS (NONE); then an
 *   exec (uos must not use anything the guest put there).
 *
 * The script (misc_calls.sh) checks that no line says BAD, and the host side.
 */
#include "sec.h"
#include "stub.h" /* guestlib/stub.h: STUB_ADDR, the page of uos's in every guest */

#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif

extern char **environ;
static int bad;

/* Report call `what` that returned r (errno in e): ok when it failed (or as refused requires). */
static void verdict(const char *what, long r, int e, bool refused)
{
	const char *en = r < 0 ? (strerrorname_np(e) ?: "E?") : "success";
	say("%s: %s %s\n", what, en, refused ? "ok" : "BAD");
	if (!refused)
		bad++;
}

static void must_fail(const char *what, long r)
{
	verdict(what, r, errno, r < 0);
}

static void check_madvise(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	const struct {
		const char *name;
		int advice;
	} adv[] = {{"madvise(MADV_HWPOISON)", MADV_HWPOISON},
		   {"madvise(MADV_SOFT_OFFLINE)", MADV_SOFT_OFFLINE},
		   {"madvise(MADV_MERGEABLE)", MADV_MERGEABLE}};
	for (size_t i = 0; i < sizeof(adv) / sizeof(adv[0]); i++) {
		long r = madvise(p, 4096, adv[i].advice);
		verdict(adv[i].name, r, errno, r < 0 && (errno == EINVAL || errno == EPERM));
	}
}

/* clone3 with flags; a child made exits at once with code (its getpid is virtual ? 0 : 1). */
/*
 * In a new child: is it uos's, traced and served?  Its pid is uos's (a host
 * pid is >= 300 after boot), and kill, which stops for uos, works: a child
 * no tracer has gets ENOSYS from every call the filter traces, and uos
 * answers a notified call from a task it does not run with ENOSYS too.
 */
static bool served_child(void)
{
	long pid = rsys0(SYS_getpid);
	return pid > 0 && pid < 300 && rsys2(SYS_kill, pid, 0) == 0;
}

static void check_clone3(const char *what, unsigned long long flags, bool must_refuse)
{
	struct clone_args ca = {.flags = flags, .exit_signal = SIGCHLD};
	long r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		_exit(served_child() ? 0 : 1);
	int e = errno, st = 0;
	if (r > 0 && waitpid((pid_t)r, &st, 0) != r)
		st = -1;
	if (must_refuse)
		verdict(what, r, e, r < 0 && e == EINVAL);
	else
		verdict(what, r, e, r < 0 || (WIFEXITED(st) && WEXITSTATUS(st) == 0));
}

/*
 * fork, clone(CLONE_VFORK) (a vfork's event, without sharing this stack)
 * and clone(CLONE_UNTRACED|CLONE_PTRACE): each child is uos's.
 */
static void check_legacy_clone(void)
{
	static const struct {
		const char *what;
		long nr;
		unsigned long flags;
	} forks[] = {
		{"fork(): the child is uos's", SYS_fork, 0},
		{"clone(CLONE_VFORK): the child is uos's", SYS_clone, CLONE_VFORK | SIGCHLD},
		{"clone(CLONE_UNTRACED|CLONE_PTRACE): the child is uos's", SYS_clone,
		 CLONE_UNTRACED | CLONE_PTRACE | SIGCHLD},
	};
	for (size_t i = 0; i < sizeof(forks) / sizeof(forks[0]); i++) {
		long r = rsys2(forks[i].nr, forks[i].flags, 0);
		if (r == 0)
			rsys1(SYS_exit, served_child() ? 0 : 1);
		int st = 0;
		if (r > 0 && waitpid((pid_t)r, &st, 0) != r)
			st = -1;
		verdict(forks[i].what, r, r < 0 ? (int)-r : 0, r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
}

static long sys_seccomp_allow(bool via_prctl)
{
	struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
	struct sock_fprog prog = {1, f};
	if (via_prctl)
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static void check_proc_mem(void)
{
	/* A read-only page of the program's own: only FOLL_FORCE writes it. */
	static const char ro[4096] __attribute__((aligned(4096))) = "read-only";
	int fd = open("/proc/self/mem", O_RDWR);
	long r = -1;
	int e = errno;
	if (fd >= 0) {
		r = pwrite(fd, "X", 1, (off_t)(uintptr_t)ro);
		e = errno;
		close(fd);
	}
	verdict("/proc/self/mem write to a read-only page", r, e, r < 0 && ro[0] == 'r');
}

/* uos's first code bytes at STUB_SYSCALL (guestlib/stub.c): `syscall; ud2; mov %rax,%rbx`. */
static const unsigned char stub_code[] = {0x0f, 0x05, 0x0f, 0x0b, 0x48, 0x89, 0xc3};

/* Does /proc/self/maps list a region at start with permissions perms (" r-xp ")? */
static bool maps_region(unsigned long start, const char *perms)
{
	char line[256];
	bool listed = false;
	FILE *f = fopen("/proc/self/maps", "re");
	while (f && fgets(line, sizeof(line), f))
		if (strtoul(line, NULL, 16) == start && strstr(line, perms))
			listed = true;
	if (f)
		fclose(f);
	return listed;
}

/* uos's page still maps its code, read-only and executable (in /proc/self/maps). */
static bool stub_intact(void)
{
	return maps_region(STUB_ADDR, " r-xp ") &&
	       memcmp((const void *)STUB_SYSCALL, stub_code, sizeof(stub_code)) == 0;
}

/* The loader's page (STUB_BATCH) is PROT_NONE, as /proc/self/maps says. */
static bool loader_none(void)
{
	return maps_region(STUB_BATCH, " ---p ");
}

/*
 * The loader's page, whose calls the filter lets through at an exec: it
 * stays PROT_NONE whatever the guest tries (chain_race jumps into it).
 */
static void check_loader_page(void)
{
	verdict("the loader's page is PROT_NONE", 0, 0, loader_none());
	long r = mprotect((void *)STUB_BATCH, 4096, PROT_READ | PROT_EXEC);
	verdict("mprotect of the loader's page R-X", r, errno, r < 0 && loader_none());
	void *p = mmap((void *)STUB_BATCH, 4096, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	verdict("mmap MAP_FIXED over the loader's page", p == MAP_FAILED ? -1 : 0, errno,
		p == MAP_FAILED && loader_none());
	r = munmap((void *)STUB_BATCH, 4096);
	verdict("munmap of the loader's page", r, errno, r < 0 && loader_none());
	/* The filter lets uos's own mprotect of it pass (STUB_SEAL): sealed, or PROT_NONE already. */
	r = mprotect((void *)STUB_BATCH, 4096, PROT_NONE);
	verdict("mprotect of the loader's page as uos makes it", r, errno,
		(r == 0 || errno == EPERM) && loader_none());
}

/* A call on uos's page: refused, and the page as it was. */
static void stub_refused(const char *what, long r, int e, bool failed)
{
	verdict(what, r, e, failed && stub_intact());
}

static void check_stub_area(const char *self)
{
	/*
	 * The guest must not map over, unmap, mprotect or remap uos's page, nor
	 * write it through /proc/self/mem; whatever it tried, an exec must work.
	 */
	const unsigned long at = STUB_ADDR;
	if (!stub_intact()) {
		verdict("uos's page at STUB_ADDR (stub.h) is there", -1, ENOENT, false);
		return;
	}
	void *p = mmap((void *)at, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	stub_refused("mmap MAP_FIXED over uos's page", p == MAP_FAILED ? -1 : 0, errno,
		     p == MAP_FAILED);
	if (p != MAP_FAILED)
		memset(p, 0xcc, 4096); /* traps: uos must not run or trust them */
	p = mmap((void *)(at - 4096), 3 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	stub_refused("mmap MAP_FIXED across uos's page", p == MAP_FAILED ? -1 : 0, errno,
		     p == MAP_FAILED);
	p = mmap((void *)at, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0);
	stub_refused("mmap MAP_FIXED_NOREPLACE at uos's page", p == MAP_FAILED ? -1 : 0, errno,
		     p == MAP_FAILED);
	p = mmap((void *)at, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stub_refused("mmap with uos's page as the hint lands elsewhere", 0, 0, p != (void *)at);
	if (p != MAP_FAILED && p != (void *)at)
		munmap(p, 4096);
	long r = munmap((void *)at, 4096);
	stub_refused("munmap of uos's page", r, errno, r < 0);
	r = munmap((void *)(at - 0x10000), 0x20000);
	stub_refused("munmap of a range around uos's page", r, errno, r < 0);
	r = mprotect((void *)at, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	stub_refused("mprotect of uos's page RWX", r, errno, r < 0);
	r = mprotect((void *)STUB_OUT, 4096, PROT_READ | PROT_EXEC);
	stub_refused("mprotect of uos's output page R-X", r, errno, r < 0);
	p = mremap((void *)at, 4096, 8192, MREMAP_MAYMOVE);
	stub_refused("mremap of uos's page", p == MAP_FAILED ? -1 : 0, errno, p == MAP_FAILED);
	void *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (q != MAP_FAILED) {
		memset(q, 0xcc, 4096);
		p = mremap(q, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)at);
		stub_refused("mremap MREMAP_FIXED onto uos's page", p == MAP_FAILED ? -1 : 0, errno,
			     p == MAP_FAILED);
		if (p == MAP_FAILED)
			munmap(q, 4096);
	}
	/* The filter lets uos's own seal of its region pass (STUB_SEAL): the guest's changes nothing. */
	r = syscall(STUB_SEAL_NR, at, STUB_SIZE, 0);
	verdict("mseal of uos's page as uos seals it", r, errno,
		(r == 0 || errno == ENOSYS) && stub_intact() && loader_none());
	check_loader_page();
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r = m == MAP_FAILED ? -1 : syscall(STUB_SEAL_NR, m, 4096, 0);
	verdict("mseal of the guest's own page (not in uos yet: ENOSYS)", r, errno,
		r < 0 && errno == ENOSYS);
	r = syscall(STUB_SEAL_NR, at, STUB_PAGE, 0);
	verdict("mseal of part of uos's page (ENOSYS)", r, errno, r < 0 && errno == ENOSYS);
	int fd = open("/proc/self/mem", O_RDWR);
	r = fd < 0 ? -1 : pwrite(fd, "\xcc\xcc", 2, (off_t)STUB_SYSCALL);
	stub_refused("/proc/self/mem write to uos's code", r, errno, r < 0);
	if (fd >= 0)
		close(fd);
	pid_t c = fork();
	if (c == 0) {
		char *argv[] = {(char *)self, "exit", NULL};
		execve(self, argv, environ);
		_exit(3);
	}
	int st = 0;
	waitpid(c, &st, 0);
	verdict("exec after all that", 0, 0, WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void check_all(const char *mntdir, long victim, const char *self)
{
	char buf[16];
	struct iovec l = {buf, sizeof(buf)}, rm = {buf, sizeof(buf)};
	must_fail("ptrace(PTRACE_TRACEME)", ptrace(PTRACE_TRACEME, 0, 0, 0));
	must_fail("ptrace(PTRACE_ATTACH, victim)", ptrace(PTRACE_ATTACH, victim, 0, 0));
	must_fail("process_vm_readv(victim)", process_vm_readv((pid_t)victim, &l, 1, &rm, 1, 0));
	must_fail("process_vm_writev(self)", process_vm_writev(getpid(), &l, 1, &rm, 1, 0));
	struct io_uring_params iop = {0};
	must_fail("io_uring_setup", syscall(SYS_io_uring_setup, 8, &iop));
	must_fail("userfaultfd", syscall(SYS_userfaultfd, 0));
	struct perf_event_attr pa = {.type = PERF_TYPE_SOFTWARE, .size = sizeof(pa),
				     .config = PERF_COUNT_SW_TASK_CLOCK};
	must_fail("perf_event_open", syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0));
	union bpf_attr ba = {.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
			     .max_entries = 1};
	must_fail("bpf(BPF_MAP_CREATE)", syscall(SYS_bpf, BPF_MAP_CREATE, &ba, sizeof(ba)));
	long r = mount("uos-sec", mntdir, "tmpfs", 0, NULL);
	must_fail("mount(tmpfs on a host directory)", r);
	if (r == 0)
		umount(mntdir);
	must_fail("unshare(CLONE_NEWUSER|CLONE_NEWNS)", unshare(CLONE_NEWUSER | CLONE_NEWNS));
	must_fail("setns(0, 0)", setns(0, 0));
	must_fail("memfd_secret", syscall(SYS_memfd_secret, 0));
	must_fail("seccomp(SET_MODE_FILTER)", sys_seccomp_allow(false));
	must_fail("prctl(PR_SET_SECCOMP)", sys_seccomp_allow(true));
	must_fail("prctl(PR_SET_PTRACER, ANY)", prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0));
	int before = personality(0xffffffff);
	r = personality(ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC);
	verdict("personality(ADDR_NO_RANDOMIZE|READ_IMPLIES_EXEC)", r, errno,
		personality(0xffffffff) == before);
	r = syscall(SYS_iopl, 3);
	must_fail("iopl(3)", r);
	if (r == 0)
		syscall(SYS_iopl, 0);
	r = syscall(SYS_ioperm, 0x80, 1, 1);
	must_fail("ioperm(0x80)", r);
	if (r == 0)
		syscall(SYS_ioperm, 0x80, 1, 0);
	struct {
		unsigned int bytes;
		int type;
		unsigned char h[8];
	} fh = {8, 1, {2, 0, 0, 0, 0, 0, 0, 0}}; /* FILEID_INO32_GEN: inode 2, the root */
	must_fail("open_by_handle_at(root inode)",
		  syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY));
	must_fail("kexec_load(none)", syscall(SYS_kexec_load, 0, 0, NULL, 0xdeadbeefUL));
	must_fail("syscall 470", syscall(470));
	must_fail("syscall 1000", syscall(1000));
	must_fail("syscall 0xffffffff", syscall(0xffffffffL));
	check_proc_mem();
	check_stub_area(self);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "exit") == 0)
		return 0;
	if (argc != 4) {
		fprintf(stderr, "usage: misc_calls all|madvise|clone3 MNTDIR VICTIM\n");
		return 2;
	}
	if (strcmp(argv[1], "madvise") == 0) {
		check_madvise();
	} else if (strcmp(argv[1], "clone3") == 0) {
		check_clone3("clone3(an unknown flag bit 1<<40)", 1ULL << 40, true);
		check_clone3("clone3(an unknown flag bit 1<<63)", 1ULL << 63, true);
		check_clone3("clone3(CLONE_UNTRACED): the child stays traced", CLONE_UNTRACED, false);
		check_clone3("clone3(CLONE_PTRACE): the child is uos's", CLONE_PTRACE, false);
		check_clone3("clone3(CLONE_PTRACE|CLONE_UNTRACED): the child is uos's",
			     CLONE_PTRACE | CLONE_UNTRACED, false);
		check_clone3("clone3(): the child is uos's", 0, false);
		check_clone3("clone3(CLONE_VFORK): the child is uos's", CLONE_VFORK, false);
		check_legacy_clone();
	} else {
		check_all(argv[2], atol(argv[3]), argv[0]);
	}
	say("misc_calls %s: %d bad\n", argv[1], bad);
	return bad ? 1 : 0;
}
