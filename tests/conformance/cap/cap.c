/*
 * cap: capability sets (capget, capset, prctl's options), their moves at
 * setuid and execve, and the checks they guard.  Each case runs in a child
 * (the sets only ever shrink), which first takes CAP_SYS_RESOURCE out of
 * every set (a host may lack it, so both runs start alike) and sets
 * no_new_privs (it decides what an exec of root may regain; setid.c has
 * the execs without it).  A case that execs runs this program again as a
 * probe (CAP_PROBE in the environment) that prints its sets and ids.
 * Every case starts in a scratch directory of its own.
 */
#define AREA "cap"
#include "../harness.h"
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define B(c) (UINT64_C(1) << (c))
#define ALL ((B(CAP_LAST_CAP + 1) - 1) & ~B(CAP_SYS_RESOURCE))
#define FS_SET                                                                                   \
	(B(CAP_CHOWN) | B(CAP_MKNOD) | B(CAP_DAC_OVERRIDE) | B(CAP_DAC_READ_SEARCH) |            \
	 B(CAP_FOWNER) | B(CAP_FSETID) | B(CAP_LINUX_IMMUTABLE) | B(CAP_MAC_OVERRIDE))

struct sets {
	uint64_t e, p, i;
};

static int capget_v(uint32_t version, pid_t pid, struct sets *s)
{
	struct __user_cap_header_struct h = {version, pid};
	struct __user_cap_data_struct d[2] = {{0}};
	int r = syscall(SYS_capget, &h, d);
	if (r == 0)
		*s = (struct sets){(uint64_t)d[1].effective << 32 | d[0].effective,
				   (uint64_t)d[1].permitted << 32 | d[0].permitted,
				   (uint64_t)d[1].inheritable << 32 | d[0].inheritable};
	return r;
}

static int get(struct sets *s)
{
	return capget_v(_LINUX_CAPABILITY_VERSION_3, 0, s);
}

static int set(uint64_t e, uint64_t p, uint64_t i)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{(uint32_t)e, (uint32_t)p, (uint32_t)i},
					      {(uint32_t)(e >> 32), (uint32_t)(p >> 32),
					       (uint32_t)(i >> 32)}};
	return syscall(SYS_capset, &h, d);
}

/* Take cap out of the effective set only. */
static int drop_eff(int cap)
{
	struct sets s;
	return get(&s) ? -1 : set(s.e & ~B(cap), s.p, s.i);
}

/* Take cap out of the effective and permitted sets. */
static int drop(int cap)
{
	struct sets s;
	return get(&s) ? -1 : set(s.e & ~B(cap), s.p & ~B(cap), s.i);
}

static int amb(int op, unsigned long cap)
{
	return prctl(PR_CAP_AMBIENT, op, cap, 0, 0);
}

/* The probe: one line of what an exec'd program starts with. */
__attribute__((constructor)) static void probe(void)
{
	struct sets s;
	uid_t r, e, sv;
	if (!getenv("CAP_PROBE"))
		return;
	get(&s);
	getresuid(&r, &e, &sv);
	uint64_t bnd = 0, am = 0;
	for (int c = 0; c <= CAP_LAST_CAP; c++) {
		bnd |= prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 ? B(c) : 0;
		am |= amb(PR_CAP_AMBIENT_IS_SET, c) == 1 ? B(c) : 0;
	}
	printf("%llx %llx %llx %llx %llx %d %u %u %u\n", (unsigned long long)s.e,
	       (unsigned long long)s.p, (unsigned long long)s.i, (unsigned long long)bnd,
	       (unsigned long long)am, prctl(PR_GET_SECUREBITS), r, e, sv);
	fflush(stdout);
	_exit(0);
}

struct probe {
	unsigned long long e, p, i, bnd, amb;
	int bits;
	unsigned int r, eu, s;
};

/* Exec the probe (in a child: the exec replaces the caller) and read its line. */
static int run_probe(struct probe *o)
{
	int fd[2];
	char line[256] = "";
	if (pipe(fd))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"probe", NULL}, *envp[] = {"CAP_PROBE=1", NULL};
		dup2(fd[1], 1);
		execve("/proc/self/exe", argv, envp);
		_exit(127);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], line, sizeof(line) - 1);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	if (n <= 0)
		return -1;
	return sscanf(line, "%llx %llx %llx %llx %llx %d %u %u %u", &o->e, &o->p, &o->i, &o->bnd,
		      &o->amb, &o->bits, &o->r, &o->eu, &o->s) == 9 ? 0 : -1;
}

/* The same start both ways: no CAP_SYS_RESOURCE anywhere, no_new_privs. */
static int normalize(void)
{
	struct sets s;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || get(&s))
		return -1;
	prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0);
	return set(s.e & ALL, s.p & ALL, s.i);
}

/* Run fn in a child; its failure detail comes back through a pipe. */
static void in_child(void (*fn)(void))
{
	int fd[2];
	char detail[sizeof(h_st.detail)] = "";
	int st = 0;
	scratch(); /* here: the harness removes the parent's */
	if (pipe(fd))
		FAIL("pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		if (normalize())
			snprintf(h_st.detail, sizeof(h_st.detail), "normalize: %s", strerror(errno));
		else
			fn();
		if (h_st.failed || h_st.detail[0])
			write(fd[1], h_st.detail, strlen(h_st.detail));
		_exit(h_st.failed || h_st.detail[0]);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], detail, sizeof(detail) - 1);
	close(fd[0]);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("child: %s", n > 0 ? detail : "died");
}

#define CCASE(name)                                                                                \
	static void c_##name(void);                                                                \
	CASE(name)                                                                                 \
	{                                                                                          \
		in_child(c_##name);                                                                \
	}                                                                                          \
	static void c_##name(void)

/* A file of uid 1000 with mode m, made as root. */
static void others_file(const char *path, mode_t m)
{
	close(open(path, O_CREAT | O_WRONLY, 0600));
	chown(path, 1000, 1000);
	chmod(path, m);
}

/* ---- capget and capset */

CCASE(capget_root_full)
{
	struct sets s;
	OK(get(&s));
	EXPECT_EQ(s.e, ALL);
	EXPECT_EQ(s.p, ALL);
	EXPECT_EQ(s.i, 0);
}

CCASE(capget_v1_low_word)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_1, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0x5a, sizeof(d));
	OK(syscall(SYS_capget, &h, d));
	EXPECT_EQ(d[0].effective, (uint32_t)ALL);
	EXPECT_EQ(d[1].effective, 0x5a5a5a5a); /* one word only */
}

CCASE(capget_v2_two_words)
{
	struct sets s;
	OK(capget_v(_LINUX_CAPABILITY_VERSION_2, 0, &s));
	EXPECT_EQ(s.p, ALL);
}

CCASE(capget_bad_version)
{
	struct __user_cap_header_struct h = {0x12345678, 0};
	struct __user_cap_data_struct d[2];
	EXPECT_ERRNO(syscall(SYS_capget, &h, d), EINVAL);
	EXPECT_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
}

CCASE(capget_probe_null_data)
{
	struct __user_cap_header_struct h = {0, 0};
	EXPECT_EQ(syscall(SYS_capget, &h, NULL), 0); /* libcap's version probe */
	EXPECT_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
	h.pid = -5;
	EXPECT_EQ(syscall(SYS_capget, &h, NULL), 0); /* no pid check without data */
}

CCASE(capget_efault)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	EXPECT_ERRNO(syscall(SYS_capget, (void *)8, (void *)8), EFAULT);
	EXPECT_ERRNO(syscall(SYS_capget, &h, (void *)8), EFAULT);
}

CCASE(capget_negative_pid)
{
	struct sets s;
	EXPECT_ERRNO(capget_v(_LINUX_CAPABILITY_VERSION_3, -1, &s), EINVAL);
}

CCASE(capget_own_pid)
{
	struct sets s;
	OK(drop(CAP_CHOWN));
	OK(capget_v(_LINUX_CAPABILITY_VERSION_3, getpid(), &s));
	EXPECT_EQ(s.p, ALL & ~B(CAP_CHOWN));
}

CCASE(capget_gone_pid_esrch)
{
	struct sets s;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	EXPECT_ERRNO(capget_v(_LINUX_CAPABILITY_VERSION_3, pid, &s), ESRCH);
}

CCASE(capget_zombie)
{
	struct sets s;
	siginfo_t si;
	pid_t pid = fork();
	if (pid == 0) {
		setresuid(1000, 1000, 1000);
		_exit(0);
	}
	OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	int r = capget_v(_LINUX_CAPABILITY_VERSION_3, pid, &s);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(r, 0); /* a zombie's credentials stay until it is reaped */
	EXPECT_EQ(s.p, 0);
}

CCASE(capget_other_process)
{
	int fd[2];
	char c;
	struct sets s;
	OK(pipe(fd));
	pid_t pid = fork();
	if (pid == 0) {
		setresuid(1000, 1000, 1000);
		write(fd[1], "x", 1);
		pause();
		_exit(0);
	}
	read(fd[0], &c, 1);
	int r = capget_v(_LINUX_CAPABILITY_VERSION_3, pid, &s);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(s.e, 0);
	EXPECT_EQ(s.p, 0);
}

CCASE(capset_other_pid_eperm)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, getppid()};
	struct __user_cap_data_struct d[2] = {{0}};
	EXPECT_ERRNO(syscall(SYS_capset, &h, d), EPERM);
	h.pid = getpid();
	EXPECT_EQ(syscall(SYS_capset, &h, d), 0); /* its own pid is pid 0 */
}

CCASE(capset_bad_version_and_efault)
{
	struct __user_cap_header_struct h = {1, 0};
	struct __user_cap_data_struct d[2] = {{0}};
	EXPECT_ERRNO(syscall(SYS_capset, &h, d), EINVAL);
	EXPECT_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
	EXPECT_ERRNO(syscall(SYS_capset, &h, (void *)8), EFAULT);
	EXPECT_ERRNO(syscall(SYS_capset, (void *)8, d), EFAULT);
}

CCASE(capset_permitted_only_shrinks)
{
	OK(drop(CAP_CHOWN));
	EXPECT_ERRNO(set(ALL, ALL, 0), EPERM);
	EXPECT_EQ(set(ALL & ~B(CAP_CHOWN), ALL & ~B(CAP_CHOWN), 0), 0);
}

CCASE(capset_effective_within_permitted)
{
	EXPECT_ERRNO(set(ALL, ALL & ~B(CAP_KILL), 0), EPERM);
	EXPECT_EQ(set(B(CAP_KILL), ALL, 0), 0);
	struct sets s;
	OK(get(&s));
	EXPECT_EQ(s.e, B(CAP_KILL));
}

CCASE(capset_inheritable_needs_setpcap)
{
	OK(drop(CAP_NET_RAW));
	/* with CAP_SETPCAP: any bit of the bounding set */
	EXPECT_EQ(set(ALL & ~B(CAP_NET_RAW), ALL & ~B(CAP_NET_RAW), B(CAP_NET_RAW)), 0);
	OK(set(ALL & ~B(CAP_NET_RAW), ALL & ~B(CAP_NET_RAW), 0));
	OK(drop_eff(CAP_SETPCAP));
	uint64_t e = ALL & ~B(CAP_NET_RAW) & ~B(CAP_SETPCAP);
	EXPECT_ERRNO(set(e, ALL & ~B(CAP_NET_RAW), B(CAP_NET_RAW)), EPERM);
	EXPECT_EQ(set(e, ALL & ~B(CAP_NET_RAW), B(CAP_KILL)), 0); /* a permitted one */
}

CCASE(capset_inheritable_within_bounding)
{
	OK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
	EXPECT_ERRNO(set(ALL, ALL, B(CAP_NET_RAW)), EPERM);
	EXPECT_EQ(set(ALL, ALL, B(CAP_KILL)), 0);
}

CCASE(capset_v1_clears_upper_word)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_1, 0};
	struct __user_cap_data_struct d = {(uint32_t)ALL, (uint32_t)ALL, 0};
	struct sets s;
	OK(syscall(SYS_capset, &h, &d));
	OK(get(&s));
	EXPECT_EQ(s.p, ALL & 0xffffffffu);
	EXPECT_EQ(s.e, ALL & 0xffffffffu);
}

CCASE(capset_high_bits_ignored)
{
	OK(set(~UINT64_C(0) & ALL, ALL, 0));
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{(uint32_t)ALL, (uint32_t)ALL, 0},
					      {0xffffffffu, (uint32_t)(ALL >> 32), 0}};
	EXPECT_EQ(syscall(SYS_capset, &h, d), 0); /* bits past the last are masked off */
}

/* ---- the checks the sets guard */

CCASE(chown_needs_cap_chown)
{
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	OK(drop_eff(CAP_CHOWN));
	EXPECT_ERRNO(chown("f", 1000, -1), EPERM);
	EXPECT_EQ(chown("f", 0, -1), 0); /* no change is allowed */
	struct sets s;
	OK(get(&s));
	OK(set(s.e | B(CAP_CHOWN), s.p, s.i));
	EXPECT_EQ(chown("f", 1000, -1), 0);
}

CCASE(dac_override_write_others_file)
{
	others_file("f", 0600);
	OK(drop_eff(CAP_DAC_OVERRIDE));
	EXPECT_ERRNO(open("f", O_WRONLY), EACCES);
	int fd = OK(open("f", O_RDONLY)); /* CAP_DAC_READ_SEARCH reads */
	close(fd);
	OK(drop_eff(CAP_DAC_READ_SEARCH));
	EXPECT_ERRNO(open("f", O_RDONLY), EACCES);
}

CCASE(dac_read_search_dir)
{
	OK(mkdir("d", 0700));
	close(OK(open("d/f", O_CREAT | O_WRONLY, 0644)));
	OK(chown("d", 1000, 1000));
	struct stat st;
	OK(drop_eff(CAP_DAC_OVERRIDE));
	EXPECT_EQ(stat("d/f", &st), 0); /* search by CAP_DAC_READ_SEARCH */
	EXPECT_ERRNO(open("d/g", O_CREAT | O_WRONLY, 0644), EACCES); /* not write */
	OK(drop_eff(CAP_DAC_READ_SEARCH));
	EXPECT_ERRNO(stat("d/f", &st), EACCES);
}

CCASE(dac_override_exec_needs_an_x_bit)
{
	others_file("f", 0600);
	EXPECT_ERRNO(access("f", X_OK), EACCES);
	EXPECT_EQ(access("f", R_OK | W_OK), 0);
	others_file("g", 0010);
	EXPECT_EQ(access("g", X_OK), 0);
	OK(drop_eff(CAP_DAC_OVERRIDE));
	EXPECT_EQ(access("f", W_OK), 0); /* access(2) uses the permitted set of real uid 0 */
	EXPECT_ERRNO(faccessat(AT_FDCWD, "f", W_OK, AT_EACCESS), EACCES);
}

CCASE(access_real_uid_not_root)
{
	others_file("f", 0600);
	OK(chown("f", 0, 0));
	OK(setresuid(1000, 0, 0));
	EXPECT_ERRNO(access("f", R_OK), EACCES); /* as uid 1000, without capabilities */
	EXPECT_EQ(faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS), 0);
}

CCASE(fowner_chmod_and_utimes)
{
	others_file("f", 0644);
	OK(drop_eff(CAP_FOWNER));
	EXPECT_ERRNO(chmod("f", 0600), EPERM);
	struct timespec ts[2] = {{1, 0}, {1, 0}};
	EXPECT_ERRNO(utimensat(AT_FDCWD, "f", ts, 0), EPERM);
	EXPECT_EQ(utimensat(AT_FDCWD, "f", NULL, 0), 0); /* now: write access is enough */
}

CCASE(fsetid_chmod_setgid)
{
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	OK(chown("f", 0, 1000));
	struct stat st;
	OK(chmod("f", 02755));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 07777, 02755);
	OK(drop_eff(CAP_FSETID));
	OK(chmod("f", 02750));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 07777, 0750); /* not in group 1000: the bit is dropped */
}

CCASE(sticky_unlink_needs_fowner)
{
	OK(mkdir("d", 01777));
	OK(chown("d", 1000, 1000));
	others_file("d/f", 0644);
	OK(drop_eff(CAP_FOWNER));
	EXPECT_ERRNO(unlink("d/f"), EPERM);
}

CCASE(setuid_needs_cap_setuid)
{
	OK(drop_eff(CAP_SETUID));
	EXPECT_ERRNO(setuid(1000), EPERM);
	EXPECT_ERRNO(setresuid(-1, 1000, -1), EPERM);
	EXPECT_EQ(setfsuid(1000), 0);
	EXPECT_EQ(setfsuid(-1), 0); /* unchanged */
	EXPECT_EQ(setgid(1000), 0); /* CAP_SETGID still */
}

CCASE(setgid_needs_cap_setgid)
{
	gid_t g = 1000;
	OK(drop_eff(CAP_SETGID));
	EXPECT_ERRNO(setgid(1000), EPERM);
	EXPECT_ERRNO(setgroups(1, &g), EPERM);
	EXPECT_EQ(setuid(0), 0);
}

CCASE(kill_needs_cap_kill)
{
	int ready[2];
	OK(pipe(ready));
	pid_t pid = fork();
	if (pid == 0) {
		setresuid(2000, 2000, 2000);
		write(ready[1], "u", 1); /* only now is it another user's */
		pause();
		_exit(0);
	}
	char b;
	close(ready[1]);
	read(ready[0], &b, 1);
	close(ready[0]);
	OK(drop_eff(CAP_KILL));
	int r = kill(pid, 0), e = errno;
	struct sets s;
	get(&s);
	set(s.e | B(CAP_KILL), s.p, s.i);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

CCASE(sethostname_needs_sys_admin)
{
	OK(drop_eff(CAP_SYS_ADMIN));
	EXPECT_ERRNO(sethostname("x", 1), EPERM);
}

CCASE(chroot_needs_sys_chroot)
{
	OK(drop_eff(CAP_SYS_CHROOT));
	EXPECT_ERRNO(chroot("/"), EPERM);
}

CCASE(nice_needs_sys_nice)
{
	OK(drop_eff(CAP_SYS_NICE));
	int cur = getpriority(PRIO_PROCESS, 0);
	EXPECT_ERRNO(setpriority(PRIO_PROCESS, 0, cur - 1), EACCES);
	EXPECT_EQ(setpriority(PRIO_PROCESS, 0, cur + 1), 0);
}

CCASE(rlimit_raise_needs_sys_resource)
{
	struct rlimit rl;
	OK(getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_max = rl.rlim_cur;
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_max++;
	EXPECT_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EPERM);
}

CCASE(bind_low_port_needs_net_bind_service)
{
	int fd = OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(81)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	OK(drop_eff(CAP_NET_BIND_SERVICE));
	EXPECT_ERRNO(bind(fd, (struct sockaddr *)&a, sizeof(a)), EACCES);
	close(fd);
}

/* ---- setuid and setfsuid move the sets */

CCASE(setuid_leaves_root_clears)
{
	struct sets s;
	OK(setuid(1000));
	OK(get(&s));
	EXPECT_EQ(s.e, 0);
	EXPECT_EQ(s.p, 0);
	EXPECT_EQ(prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0), 1); /* bounding stays */
	EXPECT_ERRNO(setuid(0), EPERM);
}

CCASE(seteuid_clears_effective_only)
{
	struct sets s;
	OK(seteuid(1000));
	OK(get(&s));
	EXPECT_EQ(s.e, 0);
	EXPECT_EQ(s.p, ALL);
	OK(seteuid(0));
	OK(get(&s));
	EXPECT_EQ(s.e, ALL); /* back to root: effective = permitted */
}

CCASE(keepcaps_keeps_permitted)
{
	struct sets s;
	EXPECT_EQ(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 0);
	OK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	EXPECT_EQ(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 1);
	EXPECT_EQ(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), SECBIT_KEEP_CAPS);
	OK(setresuid(1000, 1000, 1000));
	OK(get(&s));
	EXPECT_EQ(s.e, 0);
	EXPECT_EQ(s.p, ALL);
	OK(set(B(CAP_SETUID), ALL, 0)); /* and may use them */
	EXPECT_EQ(setresuid(0, 0, 0), 0);
}

CCASE(keepcaps_einval)
{
	EXPECT_ERRNO(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0), EINVAL);
}

CCASE(setfsuid_moves_fs_set)
{
	struct sets s;
	setfsuid(1000);
	OK(get(&s));
	EXPECT_EQ(s.e, ALL & ~FS_SET);
	EXPECT_EQ(s.p, ALL);
	setfsuid(0);
	OK(get(&s));
	EXPECT_EQ(s.e, ALL);
}

CCASE(no_setuid_fixup_keeps_sets)
{
	struct sets s;
	OK(prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP, 0, 0, 0));
	OK(setresuid(1000, 1000, 1000));
	OK(get(&s));
	EXPECT_EQ(s.e, ALL);
	EXPECT_EQ(s.p, ALL);
}

/* ---- prctl: bounding set, securebits, ambient */

CCASE(capbset_read)
{
	EXPECT_EQ(prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0), 1);
	EXPECT_EQ(prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0), 0);
	EXPECT_ERRNO(prctl(PR_CAPBSET_READ, CAP_LAST_CAP + 1, 0, 0, 0), EINVAL);
}

CCASE(capbset_drop)
{
	OK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
	EXPECT_EQ(prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0), 0);
	struct sets s;
	OK(get(&s));
	EXPECT_EQ(s.p, ALL); /* the bounding set limits execs only */
	EXPECT_ERRNO(prctl(PR_CAPBSET_DROP, 99, 0, 0, 0), EINVAL);
	OK(drop_eff(CAP_SETPCAP));
	EXPECT_ERRNO(prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), EPERM);
	EXPECT_ERRNO(prctl(PR_CAPBSET_DROP, 99, 0, 0, 0), EPERM); /* the capability first */
}

CCASE(securebits_locks)
{
	EXPECT_EQ(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), 0);
	OK(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0));
	EXPECT_ERRNO(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0), EPERM);
	EXPECT_ERRNO(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0), EPERM); /* unlock */
	EXPECT_ERRNO(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0), EPERM);
	EXPECT_EQ(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED |
					       SECBIT_NOROOT, 0, 0, 0), 0);
	EXPECT_ERRNO(prctl(PR_SET_SECUREBITS, 1 << 12, 0, 0, 0), EPERM); /* unknown bit */
}

CCASE(securebits_need_setpcap)
{
	OK(drop_eff(CAP_SETPCAP));
	EXPECT_ERRNO(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0), EPERM);
	EXPECT_EQ(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), 0); /* keepcaps needs none */
}

CCASE(ambient_raise_rules)
{
	EXPECT_ERRNO(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW), EPERM); /* not inheritable */
	OK(set(ALL, ALL, B(CAP_NET_RAW)));
	EXPECT_EQ(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW), 0);
	EXPECT_EQ(amb(PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW), 1);
	EXPECT_EQ(amb(PR_CAP_AMBIENT_LOWER, CAP_NET_RAW), 0);
	EXPECT_EQ(amb(PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW), 0);
	OK(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
	EXPECT_EQ(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), 0);
	EXPECT_EQ(amb(PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW), 0);
}

CCASE(ambient_einval)
{
	EXPECT_ERRNO(amb(PR_CAP_AMBIENT_IS_SET, CAP_LAST_CAP + 1), EINVAL);
	EXPECT_ERRNO(amb(9, CAP_CHOWN), EINVAL);
	EXPECT_ERRNO(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0), EINVAL);
	EXPECT_ERRNO(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 1, 0), EINVAL);
}

CCASE(ambient_follows_inheritable)
{
	OK(set(ALL, ALL, B(CAP_NET_RAW) | B(CAP_KILL)));
	OK(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
	OK(amb(PR_CAP_AMBIENT_RAISE, CAP_KILL));
	OK(set(ALL, ALL, B(CAP_KILL)));
	EXPECT_EQ(amb(PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW), 0); /* no longer inheritable */
	EXPECT_EQ(amb(PR_CAP_AMBIENT_IS_SET, CAP_KILL), 1);
}

CCASE(ambient_no_raise_securebit)
{
	OK(set(ALL, ALL, B(CAP_NET_RAW)));
	OK(prctl(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE, 0, 0, 0));
	EXPECT_ERRNO(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW), EPERM);
}

CCASE(ambient_cleared_leaving_root)
{
	OK(set(ALL, ALL, B(CAP_NET_RAW)));
	OK(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
	OK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	OK(setresuid(1000, 1000, 1000));
	EXPECT_EQ(amb(PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW), 0);
}

/* ---- execve */

CCASE(exec_root_regains_effective)
{
	struct probe o;
	OK(set(B(CAP_KILL), ALL, 0));
	OK(run_probe(&o));
	EXPECT_EQ(o.e, ALL);
	EXPECT_EQ(o.p, ALL);
	EXPECT_EQ(o.bnd, ALL);
}

CCASE(exec_root_no_gain_under_nnp)
{
	struct probe o;
	OK(drop(CAP_KILL));
	OK(run_probe(&o));
	EXPECT_EQ(o.p, ALL & ~B(CAP_KILL)); /* no_new_privs: never more than before */
}

CCASE(exec_bounding_drop)
{
	struct probe o;
	OK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
	OK(run_probe(&o));
	EXPECT_EQ(o.bnd, ALL & ~B(CAP_NET_RAW));
	EXPECT_EQ(o.p, ALL & ~B(CAP_NET_RAW));
	EXPECT_EQ(o.e, ALL & ~B(CAP_NET_RAW));
}

CCASE(exec_nonroot_loses_permitted)
{
	struct probe o;
	OK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	OK(setresuid(1000, 1000, 1000));
	OK(run_probe(&o));
	EXPECT_EQ(o.p, 0);
	EXPECT_EQ(o.e, 0);
	EXPECT_EQ(o.bits, 0); /* SECBIT_KEEP_CAPS ends at exec */
}

CCASE(exec_ambient_kept)
{
	struct probe o;
	OK(set(ALL, ALL, B(CAP_NET_RAW)));
	OK(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
	OK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	OK(setresuid(1000, 1000, 1000));
	OK(set(0, ALL, B(CAP_NET_RAW))); /* setuid cleared the ambient set: again */
	OK(amb(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
	OK(run_probe(&o));
	EXPECT_EQ(o.p, B(CAP_NET_RAW));
	EXPECT_EQ(o.e, B(CAP_NET_RAW));
	EXPECT_EQ(o.i, B(CAP_NET_RAW));
	EXPECT_EQ(o.amb, B(CAP_NET_RAW));
}

CCASE(exec_real_root_not_effective)
{
	struct probe o;
	OK(setresuid(0, 1000, 1000));
	OK(run_probe(&o));
	EXPECT_EQ(o.p, ALL);
	EXPECT_EQ(o.e, 0); /* only the real uid is 0 */
	EXPECT_EQ(o.s, 1000);
}

CCASE(exec_saved_uid_follows_effective)
{
	struct probe o;
	OK(setresuid(0, 1000, 0));
	OK(run_probe(&o));
	EXPECT_EQ(o.r, 0);
	EXPECT_EQ(o.eu, 1000);
	EXPECT_EQ(o.s, 1000);
}

CCASE(exec_noroot_securebit)
{
	struct probe o;
	OK(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0));
	OK(run_probe(&o));
	EXPECT_EQ(o.p, 0);
	EXPECT_EQ(o.e, 0);
	EXPECT_EQ(o.bits, SECBIT_NOROOT);
}

/* ---- /proc/PID/status */

static unsigned long long status_field(const char *key)
{
	char line[256];
	unsigned long long v = ~0ULL;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			sscanf(line + strlen(key) + 1, "%llx", &v);
	fclose(f);
	return v;
}

CASE(cap_last_cap)
{
	char buf[16] = "";
	int fd = OK(open("/proc/sys/kernel/cap_last_cap", O_RDONLY));
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	EXPECT_EQ(atoi(buf), CAP_LAST_CAP);
	EXPECT_EQ(prctl(PR_CAPBSET_READ, atoi(buf) + 1, 0, 0, 0), -1); /* libcap's probe */
}

CCASE(status_lines)
{
	OK(set(ALL & ~B(CAP_CHOWN), ALL, B(CAP_KILL)));
	OK(amb(PR_CAP_AMBIENT_RAISE, CAP_KILL));
	OK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
	EXPECT_EQ(status_field("CapInh"), B(CAP_KILL));
	EXPECT_EQ(status_field("CapPrm"), ALL);
	EXPECT_EQ(status_field("CapEff"), ALL & ~B(CAP_CHOWN));
	EXPECT_EQ(status_field("CapBnd"), ALL & ~B(CAP_NET_RAW));
	EXPECT_EQ(status_field("CapAmb"), B(CAP_KILL));
	EXPECT_EQ(status_field("NoNewPrivs"), 1);
}
