/*
 * setid: what an execve gives a program by its file — the set-user-ID and
 * set-group-ID bits, file capabilities (security.capability), AT_SECURE —
 * and what no_new_privs keeps out.  Each case copies this program into its
 * scratch directory (owned by root), marks the copy, and runs it as uid
 * 1000 from a child; the copy, seeing SETID_PROBE in its environment, prints
 * its ids, sets and getauxval(AT_SECURE).  Sets are compared with the
 * bounding set the probe reads, since a host may lack some capabilities.
 */
#define AREA "cap"
#include "../harness.h"
#include <linux/capability.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#define B(c) (UINT64_C(1) << (c))
#define USER 1000

struct probe {
	unsigned int r, e, s, rg, eg, sg;
	unsigned long long eff, prm, inh, bnd, amb;
	int secure;
};

static int caps(uint64_t *e, uint64_t *p, uint64_t *i)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0}};
	int r = syscall(SYS_capget, &h, d);
	*e = (uint64_t)d[1].effective << 32 | d[0].effective;
	*p = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	*i = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	return r;
}

static int set_caps(uint64_t e, uint64_t p, uint64_t i)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{(uint32_t)e, (uint32_t)p, (uint32_t)i},
					      {(uint32_t)(e >> 32), (uint32_t)(p >> 32),
					       (uint32_t)(i >> 32)}};
	return syscall(SYS_capset, &h, d);
}

/* The probe: one line of what the marked copy started with. */
__attribute__((constructor)) static void probe(void)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	uint64_t ce, cp, ci, bnd = 0, amb = 0;
	if (!getenv("SETID_PROBE"))
		return;
	getresuid(&r, &e, &s);
	getresgid(&rg, &eg, &sg);
	caps(&ce, &cp, &ci);
	for (int c = 0; c <= CAP_LAST_CAP; c++) {
		bnd |= prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 ? B(c) : 0;
		amb |= prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1 ? B(c) : 0;
	}
	printf("%u %u %u %u %u %u %llx %llx %llx %llx %llx %lu\n", r, e, s, rg, eg, sg,
	       (unsigned long long)ce, (unsigned long long)cp, (unsigned long long)ci,
	       (unsigned long long)bnd, (unsigned long long)amb, getauxval(AT_SECURE));
	fflush(stdout);
	_exit(0);
}

/* Copy this program to "prog", root's, with mode m. */
static int make_prog(mode_t m)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY), out = open("prog", O_CREAT | O_WRONLY, 0700);
	ssize_t n;
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	if (n < 0 || fchown(out, 0, 0) || fchmod(out, m))
		return -1;
	return close(out);
}

/* cap_net_raw in fP (and fE), fI as given, as setcap writes it: revision 2, or 3 with rootid. */
static int set_fcaps(const char *path, uint64_t prm, uint64_t inh, bool eff, int rev, uint32_t rootid)
{
	uint32_t v[6] = {(rev == 3 ? VFS_CAP_REVISION_3 : VFS_CAP_REVISION_2) |
			 (eff ? VFS_CAP_FLAGS_EFFECTIVE : 0),
			 (uint32_t)prm, (uint32_t)inh, (uint32_t)(prm >> 32), (uint32_t)(inh >> 32),
			 rootid};
	return setxattr(path, "security.capability", v, rev == 3 ? 24 : 20, 0);
}

/* What the child does before it runs the copy (as root); 0 or -1 with errno. */
typedef int (*setup_fn)(void);

static int to_user(void)
{
	return setresgid(USER, USER, USER) || setresuid(USER, USER, USER) ? -1 : 0;
}

static int to_user_nnp(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ? -1 : to_user();
}

/*
 * Run ./prog as set up by fn in a child and read the probe's line.  0, or
 * the exec's errno (the child reports it), or -1 if nothing came back.
 */
static int run_prog(setup_fn fn, struct probe *o)
{
	int fd[2], st;
	char line[512] = "";
	if (pipe(fd))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"prog", NULL}, *envp[] = {"SETID_PROBE=1", NULL};
		dup2(fd[1], 1);
		if (fn())
			_exit(200);
		execve("./prog", argv, envp);
		_exit(errno);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], line, sizeof(line) - 1);
	close(fd[0]);
	waitpid(pid, &st, 0);
	if (n <= 0)
		return WIFEXITED(st) && WEXITSTATUS(st) && WEXITSTATUS(st) < 200 ? WEXITSTATUS(st)
										  : -1;
	return sscanf(line, "%u %u %u %u %u %u %llx %llx %llx %llx %llx %d", &o->r, &o->e, &o->s,
		      &o->rg, &o->eg, &o->sg, &o->eff, &o->prm, &o->inh, &o->bnd, &o->amb,
		      &o->secure) == 12 ? 0 : -1;
}

/* ---- set-user-ID and set-group-ID bits */

CASE(setid_plain_exec_not_secure)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.e, USER);
	EXPECT_EQ(o.prm, 0);
	EXPECT_EQ(o.secure, 0);
}

CASE(setid_setuid_root_exec)
{
	struct probe o;
	scratch();
	OK(make_prog(04755));
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.r, USER);
	EXPECT_EQ(o.e, 0);
	EXPECT_EQ(o.s, 0); /* the saved uid follows the effective one */
	EXPECT_EQ(o.eg, USER);
	EXPECT_EQ(o.eff, o.bnd); /* euid 0: root's sets */
	EXPECT_EQ(o.prm, o.bnd);
	EXPECT_EQ(o.secure, 1);
}

CASE(setid_setuid_other_user)
{
	struct probe o;
	scratch();
	OK(make_prog(04755));
	OK(chown("prog", 2000, 0));
	OK(chmod("prog", 04755)); /* chown cleared the bit */
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.e, 2000);
	EXPECT_EQ(o.s, 2000);
	EXPECT_EQ(o.prm, 0);
	EXPECT_EQ(o.secure, 1);
}

CASE(setid_setgid_exec)
{
	struct probe o;
	scratch();
	OK(make_prog(02755));
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.e, USER);
	EXPECT_EQ(o.rg, USER);
	EXPECT_EQ(o.eg, 0);
	EXPECT_EQ(o.sg, 0);
	EXPECT_EQ(o.prm, 0);
	EXPECT_EQ(o.secure, 1);
}

CASE(setid_setgid_without_group_exec)
{
	struct probe o;
	scratch();
	OK(make_prog(02745)); /* no group x: a mandatory-locking mark, not set-group-ID */
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.eg, USER);
	EXPECT_EQ(o.secure, 0);
}

CASE(setid_nnp_blocks_setuid)
{
	struct probe o;
	scratch();
	OK(make_prog(04755));
	OK(run_prog(to_user_nnp, &o));
	EXPECT_EQ(o.e, USER);
	EXPECT_EQ(o.s, USER);
	EXPECT_EQ(o.prm, 0);
	EXPECT_EQ(o.secure, 0);
}

CASE(setid_nnp_blocks_setgid)
{
	struct probe o;
	scratch();
	OK(make_prog(02755));
	OK(run_prog(to_user_nnp, &o));
	EXPECT_EQ(o.eg, USER);
	EXPECT_EQ(o.sg, USER);
	EXPECT_EQ(o.secure, 0);
}

CASE(setid_follows_dev_shm_nosuid)
{
	struct probe o;
	struct statvfs sv;
	char dir[64];
	OK(statvfs("/dev/shm", &sv));
	bool nosuid = sv.f_flag & ST_NOSUID; /* usually; not on every host */
	snprintf(dir, sizeof(dir), "/dev/shm/uos-setid-%d", (int)getpid());
	OK(mkdir(dir, 0755));
	OK(chdir(dir));
	int r = make_prog(04755) ? -1 : set_fcaps("prog", B(CAP_NET_RAW), 0, true, 2, 0);
	if (r == 0)
		r = run_prog(to_user, &o);
	unlink("prog");
	OK(chdir("/"));
	rmdir(dir);
	OK(r);
	EXPECT_EQ(o.e, nosuid ? USER : 0); /* nosuid: neither the bit */
	/* nor the file capabilities, which alone count for a set-user-ID-root file */
	EXPECT_EQ(o.prm, nosuid ? 0 : B(CAP_NET_RAW));
	EXPECT_EQ(o.secure, !nosuid);
}

static int get_nnp(void)
{
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
}

CASE(setid_nnp_clear_then_sticky)
{
	pid_t pid;
	int st;
	EXPECT_EQ(get_nnp(), 0); /* a container's first process has it clear */
	pid = fork();
	if (pid == 0)
		_exit(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || get_nnp() != 1 ? 1 : 0);
	OK(waitpid(pid, &st, 0));
	EXPECT_EQ(st, 0);
	EXPECT_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
}

/* ---- file capabilities */

CASE(fcap_permitted_effective)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", B(CAP_NET_RAW), 0, true, 2, 0));
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.e, USER);
	EXPECT_EQ(o.prm, B(CAP_NET_RAW));
	EXPECT_EQ(o.eff, B(CAP_NET_RAW));
	EXPECT_EQ(o.secure, 1);
}

CASE(fcap_permitted_not_effective)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", B(CAP_NET_RAW) | B(CAP_KILL), 0, false, 2, 0));
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.prm, B(CAP_NET_RAW) | B(CAP_KILL));
	EXPECT_EQ(o.eff, 0);
	EXPECT_EQ(o.secure, 1);
}

/* As root keeping its sets, become uid 1000 with CAP_NET_RAW inheritable. */
static int to_user_inheritable(void)
{
	uint64_t raw = B(CAP_NET_RAW);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || to_user())
		return -1;
	return set_caps(0, raw, raw);
}

/* The same, with CAP_KILL permitted, inheritable and ambient instead. */
static int to_user_inheritable_ambient(void)
{
	uint64_t kill = B(CAP_KILL);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || to_user() || set_caps(0, kill, kill))
		return -1;
	return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0);
}

CASE(fcap_inheritable)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", 0, B(CAP_NET_RAW), true, 2, 0));
	OK(run_prog(to_user_inheritable, &o));
	EXPECT_EQ(o.prm, B(CAP_NET_RAW)); /* pI & fI */
	EXPECT_EQ(o.eff, B(CAP_NET_RAW));
	EXPECT_EQ(o.inh, B(CAP_NET_RAW));
}

CASE(fcap_inheritable_needs_fi)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", 0, B(CAP_KILL), false, 2, 0));
	OK(run_prog(to_user_inheritable, &o));
	EXPECT_EQ(o.prm, 0);
	EXPECT_EQ(o.inh, B(CAP_NET_RAW));
}

CASE(fcap_nnp_no_gain)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", B(CAP_NET_RAW), 0, true, 2, 0));
	OK(run_prog(to_user_nnp, &o));
	EXPECT_EQ(o.prm, 0);
	EXPECT_EQ(o.eff, 0);
}

CASE(fcap_v3_rootid_zero)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", B(CAP_NET_RAW), 0, true, 3, 0));
	EXPECT_EQ(getxattr("prog", "security.capability", NULL, 0), 20); /* read back as revision 2 */
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.prm, B(CAP_NET_RAW));
}

CASE(fcap_v3_foreign_rootid_ignored)
{
	struct probe o;
	uint32_t v[6];
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", B(CAP_NET_RAW), 0, true, 3, 1000));
	EXPECT_EQ(getxattr("prog", "security.capability", v, sizeof(v)), 24);
	EXPECT_EQ(v[5], 1000);
	OK(run_prog(to_user, &o));
	EXPECT_EQ(o.prm, 0);
	EXPECT_EQ(o.eff, 0);
	EXPECT_EQ(o.secure, 0);
}

static int drop_net_raw(void)
{
	return prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0) ? -1 : to_user();
}

CASE(fcap_bounding_cut_eperm)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", B(CAP_NET_RAW), 0, true, 2, 0));
	EXPECT_EQ(run_prog(drop_net_raw, &o), EPERM); /* fE set, fP not all granted */
}

CASE(fcap_ambient_cleared)
{
	struct probe o;
	scratch();
	OK(make_prog(0755));
	OK(set_fcaps("prog", B(CAP_KILL), 0, false, 2, 0));
	OK(run_prog(to_user_inheritable_ambient, &o));
	EXPECT_EQ(o.amb, 0); /* file capabilities clear the ambient set */
	EXPECT_EQ(o.prm, B(CAP_KILL));
}

CASE(fcap_setxattr_needs_setfcap)
{
	uint32_t v[5] = {VFS_CAP_REVISION_2, 1, 0, 0, 0};
	pid_t pid;
	int st;
	scratch();
	OK(make_prog(0755));
	OK(chown("prog", USER, USER));
	EXPECT_ERRNO(setxattr("prog", "security.capability", v, 19, 0), EINVAL);
	EXPECT_ERRNO(setxattr("prog", "security.capability", v, 24, 0), EINVAL);
	pid = fork();
	if (pid == 0)
		_exit(to_user() ? 2 : setxattr("prog", "security.capability", v, 20, 0) == 0 ? 3
		      : errno == EPERM ? 0 : 4);
	OK(waitpid(pid, &st, 0));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_ERRNO(getxattr("prog", "security.capability", v, sizeof(v)), ENODATA);
}

CASE(fcap_security_other_needs_sys_admin)
{
	pid_t pid;
	int st;
	scratch();
	OK(make_prog(0755));
	OK(chown("prog", USER, USER));
	pid = fork();
	if (pid == 0)
		_exit(to_user() ? 2 : setxattr("prog", "security.uos", "x", 1, 0) == 0 ? 3
		      : errno == EPERM ? 0 : 4);
	OK(waitpid(pid, &st, 0));
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

/* ---- what a write, truncate or chown takes away (file_remove_privs) */

/* A root file "f" of mode m (bits kept: fchmod after the umask). */
static int make_file(mode_t m)
{
	int fd = open("f", O_CREAT | O_WRONLY, 0600);
	if (fd < 0 || fchmod(fd, m))
		return -1;
	return close(fd);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) ? (mode_t)-1 : st.st_mode & 07777;
}

/* As uid 1000, write a byte to "f" (trunc: ftruncate instead); 0 or an errno. */
static int user_write(bool trunc)
{
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = to_user() ? -1 : open("f", O_WRONLY);
		if (fd < 0)
			_exit(errno);
		_exit((trunc ? ftruncate(fd, 1) : write(fd, "x", 1) != 1) ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

CASE(killpriv_user_write_clears_setid)
{
	scratch();
	OK(make_file(06777));
	EXPECT_EQ(user_write(false), 0);
	EXPECT_EQ(mode_of("f"), 0777);
	OK(chmod("f", 02767)); /* set-group-ID without group x: gone unless of the group */
	EXPECT_EQ(user_write(false), 0);
	EXPECT_EQ(mode_of("f"), 0767);
	OK(chmod("f", 02767));
	OK(chown("f", 0, USER));
	OK(chmod("f", 02767)); /* chown cleared it */
	EXPECT_EQ(user_write(false), 0);
	EXPECT_EQ(mode_of("f"), 02767); /* the writer's group: a locking mark, kept */
}

CASE(killpriv_user_truncate_clears_setuid)
{
	scratch();
	OK(make_file(04777));
	EXPECT_EQ(user_write(true), 0);
	EXPECT_EQ(mode_of("f"), 0777);
}

CASE(killpriv_root_write_keeps_setid)
{
	int fd;
	scratch();
	OK(make_file(06755));
	fd = OK(open("f", O_WRONLY));
	EXPECT_EQ(write(fd, "x", 1), 1); /* CAP_FSETID */
	close(fd);
	EXPECT_EQ(mode_of("f"), 06755);
}

CASE(killpriv_write_removes_fcaps)
{
	int fd;
	scratch();
	OK(make_file(0755));
	OK(set_fcaps("f", B(CAP_NET_RAW), 0, true, 2, 0));
	fd = OK(open("f", O_WRONLY));
	EXPECT_EQ(write(fd, "x", 1), 1); /* even root's write */
	close(fd);
	EXPECT_ERRNO(getxattr("f", "security.capability", NULL, 0), ENODATA);
}

CASE(killpriv_chown_truncate_remove_fcaps_chmod_keeps)
{
	scratch();
	OK(make_file(0755));
	OK(set_fcaps("f", B(CAP_NET_RAW), 0, true, 2, 0));
	OK(chmod("f", 0750));
	EXPECT_EQ(getxattr("f", "security.capability", NULL, 0), 20);
	OK(chown("f", 0, 0)); /* even to the same owner */
	EXPECT_ERRNO(getxattr("f", "security.capability", NULL, 0), ENODATA);
	OK(set_fcaps("f", B(CAP_NET_RAW), 0, true, 2, 0));
	OK(truncate("f", 0));
	EXPECT_ERRNO(getxattr("f", "security.capability", NULL, 0), ENODATA);
}
