/*
 * Ids, credentials, limits, names and the other single-process calls: what
 * each returns and which errno each error case gives.  Run as root (uid 0
 * with CAP_SETUID/CAP_SETGID), natively and under uos; the output is the same.
 * Nothing printed depends on the pid, the hostname or the host's limits.
 * The credential changes come last: they cannot be undone.
 */
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "guest.h"

#define BAD ((void *)8) /* an address that is never mapped */

static void ids(void)
{
	unsigned int r, e, s;
	printf("uid %d euid %d gid %d egid %d\n", getuid(), geteuid(), getgid(), getegid());
	syscall(SYS_getresuid, &r, &e, &s);
	printf("getresuid %u %u %u\n", r, e, s);
	syscall(SYS_getresgid, &r, &e, &s);
	printf("getresgid %u %u %u\n", r, e, s);
	SHOW("getresuid bad pointer", syscall(SYS_getresuid, &r, BAD, &s));
	EXPECT("gettid == getpid", syscall(SYS_gettid) == getpid());
	EXPECT("set_tid_address == gettid", syscall(SYS_set_tid_address, NULL) == getpid());
	EXPECT("getpgid(0) == getpgrp", getpgid(0) == getpgrp());
	EXPECT("getpgid(self) == getpgrp", getpgid(getpid()) == getpgrp());
	EXPECT("getsid(0) == getsid(self)", getsid(0) == getsid(getpid()));
	SHOW("getpgid missing", getpgid(999999));
	SHOW("getsid missing", getsid(999999));
}

static void umask_uname(void)
{
	struct utsname u;
	umask(027);
	printf("umask round trip %03o\n", umask(0777 | 01000));
	printf("umask masked %03o\n", umask(022));
	SHOW("uname", uname(&u));
	printf("sysname %s machine %s\n", u.sysname, u.machine);
	SHOW("uname bad pointer", syscall(SYS_uname, BAD));
}

static void limits(void)
{
	struct rlimit orig, rl, bad = {10, 5}, huge = {5, 1UL << 40};
	SHOW("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &orig));
	rl = orig;
	rl.rlim_cur = 64;
	SHOW("setrlimit NOFILE cur 64", setrlimit(RLIMIT_NOFILE, &rl));
	SHOW("prlimit read back", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl));
	printf("cur %lu same max %d\n", (unsigned long)rl.rlim_cur, rl.rlim_max == orig.rlim_max);
	SHOW("prlimit restore", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &orig, &rl));
	printf("old cur %lu\n", (unsigned long)rl.rlim_cur);
	SHOW("setrlimit cur > max", setrlimit(RLIMIT_NOFILE, &bad));
	SHOW("setrlimit NOFILE > nr_open", setrlimit(RLIMIT_NOFILE, &huge));
	SHOW("getrlimit bad resource", syscall(SYS_getrlimit, 99, &rl));
	SHOW("setrlimit bad resource", syscall(SYS_setrlimit, 99, &orig));
	SHOW("setrlimit bad pointer", syscall(SYS_setrlimit, 99, BAD));
	SHOW("getrlimit bad pointer", syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD));
	SHOW("prlimit missing pid", syscall(SYS_prlimit64, 999999, RLIMIT_NOFILE, NULL, &rl));
	SHOW("prlimit bad resource", syscall(SYS_prlimit64, 0, 99, NULL, &rl));
	SHOW("prlimit bad new", syscall(SYS_prlimit64, 999999, 99, BAD, NULL));
	SHOW("prlimit bad old", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BAD));
	SHOW("prlimit self pid", syscall(SYS_prlimit64, getpid(), RLIMIT_CORE, NULL, &rl));
}

static void randomness(void)
{
	char buf[64];
	SHOW("getrandom 16", getrandom(buf, 16, 0));
	SHOW("getrandom 0", getrandom(buf, 0, 0));
	SHOW("getrandom nonblock", getrandom(buf, sizeof(buf), GRND_NONBLOCK));
	SHOW("getrandom bad flags", syscall(SYS_getrandom, buf, 16, 0x100));
	SHOW("getrandom random|insecure",
	     syscall(SYS_getrandom, buf, 16, GRND_RANDOM | GRND_INSECURE));
	SHOW("getrandom bad pointer", syscall(SYS_getrandom, BAD, 16, 0));
}

static void system_info(void)
{
	struct sysinfo si;
	struct tms tms;
	struct rusage ru;
	uint64_t mask[4];
	SHOW("sysinfo", sysinfo(&si));
	EXPECT("sysinfo procs and mem_unit", si.procs >= 1 && si.mem_unit >= 1);
	SHOW("sysinfo bad pointer", syscall(SYS_sysinfo, BAD));
	EXPECT("times > 0", times(&tms) > 0);
	SHOW("times NULL ok", syscall(SYS_times, NULL) > 0);
	SHOW("getrusage self", getrusage(RUSAGE_SELF, &ru));
	SHOW("getrusage children", getrusage(RUSAGE_CHILDREN, &ru));
	SHOW("getrusage thread", getrusage(RUSAGE_THREAD, &ru));
	SHOW("getrusage bad who", getrusage(5, &ru));
	SHOW("getrusage bad pointer", syscall(SYS_getrusage, RUSAGE_SELF, BAD));
	SHOW("sched_getaffinity 8", syscall(SYS_sched_getaffinity, 0, 8, mask));
	SHOW("sched_getaffinity 12", syscall(SYS_sched_getaffinity, 0, 12, mask));
	SHOW("sched_getaffinity missing", syscall(SYS_sched_getaffinity, 999999, 8, mask));
	SHOW("sched_getaffinity missing, size 12",
	     syscall(SYS_sched_getaffinity, 999999, 12, mask));
}

static void prctls(void)
{
	char name[32] = "";
	int sig = -1;
	SHOW("PR_SET_NAME long", prctl(PR_SET_NAME, "proc_ids_a_long_name"));
	SHOW("PR_GET_NAME", prctl(PR_GET_NAME, name));
	printf("name '%s'\n", name);
	SHOW("PR_SET_NAME bad pointer", prctl(PR_SET_NAME, BAD));
	SHOW("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
	SHOW("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0));
	SHOW("PR_GET_DUMPABLE after", prctl(PR_GET_DUMPABLE));
	SHOW("PR_SET_DUMPABLE 2", prctl(PR_SET_DUMPABLE, 2));
	SHOW("PR_SET_DUMPABLE 1", prctl(PR_SET_DUMPABLE, 1));
	SHOW("PR_SET_PDEATHSIG 65", prctl(PR_SET_PDEATHSIG, 65));
	SHOW("PR_SET_PDEATHSIG SIGUSR1", prctl(PR_SET_PDEATHSIG, SIGUSR1));
	SHOW("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig));
	printf("pdeathsig %d\n", sig);
	SHOW("PR_GET_PDEATHSIG bad pointer", prctl(PR_GET_PDEATHSIG, BAD));
	SHOW("PR_SET_NO_NEW_PRIVS 2", prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
	SHOW("PR_SET_NO_NEW_PRIVS 1", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	SHOW("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	SHOW("prctl unknown", prctl(9999, 0, 0, 0, 0));
}

static void waits_and_kills(void)
{
	SHOW("wait4 no children", syscall(SYS_wait4, -1, NULL, WNOHANG, NULL));
	SHOW("wait4 bad options", syscall(SYS_wait4, -1, NULL, 0x1000, NULL));
	SHOW("wait4 INT_MIN", syscall(SYS_wait4, INT_MIN, NULL, 0, NULL));
	SHOW("kill self 0", kill(getpid(), 0));
	SHOW("kill group 0", kill(0, 0));
	SHOW("kill self 65", kill(getpid(), 65));
	SHOW("kill missing", kill(999999, 0));
	SHOW("kill missing 65", kill(999999, 65));
	SHOW("kill missing group", kill(-999999, 0));
	SHOW("tkill 0", syscall(SYS_tkill, 0, 0));
	SHOW("tkill missing", syscall(SYS_tkill, 999999, 0));
	SHOW("tkill self 0", syscall(SYS_tkill, getpid(), 0));
	SHOW("tgkill self 0", syscall(SYS_tgkill, getpid(), getpid(), 0));
	SHOW("tgkill wrong group", syscall(SYS_tgkill, 999999, getpid(), 0));
	SHOW("tgkill tgid 0", syscall(SYS_tgkill, 0, getpid(), 0));
}

static void signal_books(void)
{
	uint64_t set = 0, old = 0;
	struct {
		unsigned long handler, flags, restorer;
		uint64_t mask;
	} act = {0};
	SHOW("rt_sigaction size 4", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &act, 4));
	SHOW("rt_sigaction SIGKILL set", syscall(SYS_rt_sigaction, SIGKILL, &act, NULL, 8));
	SHOW("rt_sigaction SIGKILL query", syscall(SYS_rt_sigaction, SIGKILL, NULL, &act, 8));
	SHOW("rt_sigaction 0", syscall(SYS_rt_sigaction, 0, NULL, &act, 8));
	SHOW("rt_sigaction 65", syscall(SYS_rt_sigaction, 65, NULL, &act, 8));
	SHOW("rt_sigaction bad act, sig 65", syscall(SYS_rt_sigaction, 65, BAD, NULL, 8));
	act.handler = (unsigned long)SIG_IGN;
	SHOW("rt_sigaction SIGUSR2 ignore", syscall(SYS_rt_sigaction, SIGUSR2, &act, NULL, 8));
	SHOW("rt_sigaction SIGUSR2 query", syscall(SYS_rt_sigaction, SIGUSR2, NULL, &act, 8));
	printf("SIGUSR2 ignored %d\n", act.handler == (unsigned long)SIG_IGN);
	SHOW("rt_sigprocmask bad how", syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8));
	SHOW("rt_sigprocmask bad how no set", syscall(SYS_rt_sigprocmask, 99, NULL, &old, 8));
	SHOW("rt_sigprocmask size 4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
	set = (1ULL << (SIGUSR1 - 1)) | (1ULL << (SIGKILL - 1));
	SHOW("rt_sigprocmask block", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8));
	SHOW("rt_sigprocmask read", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &old, 8));
	printf("mask %#llx\n", (unsigned long long)old);
	SHOW("rt_sigprocmask bad set", syscall(SYS_rt_sigprocmask, SIG_SETMASK, BAD, NULL, 8));
	SHOW("rt_sigpending size 4", syscall(SYS_rt_sigpending, &set, 4));
	SHOW("rt_sigpending size 16", syscall(SYS_rt_sigpending, &set, 16));
}

static void groups(void)
{
	gid_t list[8] = {30, 10, 20};
	SHOW("setgroups 3", setgroups(3, list));
	SHOW("getgroups 0", getgroups(0, NULL));
	SHOW("getgroups 1", getgroups(1, list));
	SHOW("getgroups 8", getgroups(8, list));
	printf("groups %u %u %u\n", list[0], list[1], list[2]);
	SHOW("getgroups -1", syscall(SYS_getgroups, -1, list));
	SHOW("setgroups -1", syscall(SYS_setgroups, -1, list));
	SHOW("setgroups bad pointer", syscall(SYS_setgroups, 2, BAD));
	SHOW("setgroups 0", setgroups(0, NULL));
	SHOW("getgroups after", getgroups(0, NULL));
}

static void print_res(void)
{
	unsigned int r, e, s, gr, ge, gs;
	syscall(SYS_getresuid, &r, &e, &s);
	syscall(SYS_getresgid, &gr, &ge, &gs);
	printf("  now uid %u %u %u gid %u %u %u\n", r, e, s, gr, ge, gs);
}

/* Raw syscalls: glibc's setuid family also acts on other threads. */
static void credentials(void)
{
	SHOW("setresuid -1 -1 -1", syscall(SYS_setresuid, -1, -1, -1));
	SHOW("setfsuid -1 (old)", syscall(SYS_setfsuid, -1));
	SHOW("setuid -1", syscall(SYS_setuid, -1));
	SHOW("setresgid 100 100 0", syscall(SYS_setresgid, 100, 100, 0));
	SHOW("setregid -1 200", syscall(SYS_setregid, -1, 200));
	print_res();
	SHOW("setgid 300 as root", syscall(SYS_setgid, 300));
	print_res();
	SHOW("setresuid 1000 1000 0", syscall(SYS_setresuid, 1000, 1000, 0));
	print_res();
	SHOW("PR_GET_DUMPABLE after setuid", prctl(PR_GET_DUMPABLE));
	SHOW("setuid 2000 unprivileged", syscall(SYS_setuid, 2000));
	SHOW("setgid 0 unprivileged", syscall(SYS_setgid, 0));
	SHOW("setgroups unprivileged", setgroups(0, NULL));
	SHOW("setfsuid 5 (old)", syscall(SYS_setfsuid, 5));
	SHOW("setfsuid 1000 (old)", syscall(SYS_setfsuid, 1000));
	SHOW("setuid 0 from saved", syscall(SYS_setuid, 0));
	print_res();
	SHOW("setreuid -1 1000", syscall(SYS_setreuid, -1, 1000));
	print_res();
	SHOW("setreuid 1000 0", syscall(SYS_setreuid, 1000, 0));
	print_res();
	SHOW("setreuid 0 -1", syscall(SYS_setreuid, 0, -1));
	print_res();
	SHOW("setresuid 7 7 7", syscall(SYS_setresuid, 7, 7, 7));
	print_res();
	SHOW("setresuid 0 -1 -1 unprivileged", syscall(SYS_setresuid, 0, -1, -1));
	SHOW("setreuid 8 -1 unprivileged", syscall(SYS_setreuid, 8, -1));
	SHOW("setresgid 1 1 1 unprivileged", syscall(SYS_setresgid, 1, 1, 1));
	SHOW("setresgid 300 100 200 unprivileged", syscall(SYS_setresgid, 300, 100, 200));
	print_res();
	SHOW("setfsgid 1 (old)", syscall(SYS_setfsgid, 1));
	SHOW("setfsgid 200 (old)", syscall(SYS_setfsgid, 200));
	SHOW("setfsgid -1 (old)", syscall(SYS_setfsgid, -1));
	SHOW("kill self 0 as uid 7", kill(getpid(), 0));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ids();
	umask_uname();
	limits();
	randomness();
	system_info();
	prctls();
	waits_and_kills();
	signal_books();
	groups();
	credentials();
	return 0;
}
