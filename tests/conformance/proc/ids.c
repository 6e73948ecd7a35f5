/* proc: ids, uname, hostname, rlimits, getrandom, sysinfo, prctl, affinity. */
#define AREA "proc"
#include "../harness.h"
#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>

CASE(getpid_positive_stable)
{
	pid_t p = getpid();
	EXPECT_TRUE(p > 0);
	EXPECT_EQ(getpid(), p);
}

CASE(gettid_equals_pid_main_thread)
{
	EXPECT_EQ(syscall(SYS_gettid), getpid());
}

CASE(getppid_not_self)
{
	EXPECT_NE(getppid(), getpid());
}

CASE(getppid_not_init)
{
	/* run as the child of a test runner, never as PID 1's orphan */
	EXPECT_NE(getppid(), 1);
	EXPECT_NE(getppid(), 0);
}

CASE(getpgid_self)
{
	EXPECT_EQ(getpgid(0), getpgrp());
	EXPECT_EQ(getpgid(getpid()), getpgrp());
}

CASE(getpgid_esrch)
{
	EXPECT_ERRNO(getpgid(4000000), ESRCH);
}

CASE(getsid_self)
{
	EXPECT_TRUE(getsid(0) > 0);
	EXPECT_EQ(getsid(0), getsid(getpid()));
}

CASE(getsid_esrch)
{
	EXPECT_ERRNO(getsid(4000000), ESRCH);
}

CASE(uname_sysname_machine)
{
	struct utsname u;
	EXPECT_EQ(uname(&u), 0);
	EXPECT_STREQ(u.sysname, "Linux");
	EXPECT_STREQ(u.machine, "x86_64");
	EXPECT_TRUE(u.release[0] >= '0' && u.release[0] <= '9');
}

CASE(uname_efault)
{
	EXPECT_ERRNO(syscall(SYS_uname, (void *)16), EFAULT);
}

CASE(gethostname_matches_uname)
{
	struct utsname u;
	char h[65];
	OK(uname(&u));
	EXPECT_EQ(gethostname(h, sizeof(h)), 0);
	EXPECT_STREQ(h, u.nodename);
}

CASE(sethostname_too_long_einval)
{
	char h[100];
	memset(h, 'a', sizeof(h));
	EXPECT_ERRNO(sethostname(h, sizeof(h)), EINVAL);
}

CASE(getrlimit_nofile)
{
	struct rlimit r;
	EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
	EXPECT_TRUE(r.rlim_cur > 0 && r.rlim_cur <= r.rlim_max);
}

CASE(getrlimit_bad_resource_einval)
{
	struct rlimit r;
	EXPECT_ERRNO(syscall(SYS_getrlimit, 999, &r), EINVAL);
}

CASE(setrlimit_lower_soft)
{
	struct rlimit old, r;
	OK(getrlimit(RLIMIT_CORE, &old));
	r = old;
	r.rlim_cur = 0;
	EXPECT_EQ(setrlimit(RLIMIT_CORE, &r), 0);
	getrlimit(RLIMIT_CORE, &r);
	setrlimit(RLIMIT_CORE, &old);
	EXPECT_EQ(r.rlim_cur, 0);
}

CASE(setrlimit_soft_above_hard_einval)
{
	struct rlimit r = {.rlim_cur = 200, .rlim_max = 100};
	EXPECT_ERRNO(setrlimit(RLIMIT_CORE, &r), EINVAL);
}

CASE(prlimit_self_get)
{
	struct rlimit a, b;
	EXPECT_EQ(prlimit(0, RLIMIT_STACK, NULL, &a), 0);
	OK(getrlimit(RLIMIT_STACK, &b));
	EXPECT_EQ(a.rlim_cur, b.rlim_cur);
	EXPECT_EQ(a.rlim_max, b.rlim_max);
}

CASE(prlimit_set_returns_old)
{
	struct rlimit old, n, got;
	OK(getrlimit(RLIMIT_NOFILE, &old));
	n = old;
	n.rlim_cur = 100;
	EXPECT_EQ(prlimit(getpid(), RLIMIT_NOFILE, &n, &got), 0);
	setrlimit(RLIMIT_NOFILE, &old);
	EXPECT_EQ(got.rlim_cur, old.rlim_cur);
}

CASE(prlimit_esrch)
{
	struct rlimit r;
	EXPECT_ERRNO(prlimit(4000000, RLIMIT_NOFILE, NULL, &r), ESRCH);
}

CASE(getrandom_fills)
{
	unsigned char a[32] = {0}, b[32] = {0};
	EXPECT_EQ(getrandom(a, sizeof(a), 0), 32);
	EXPECT_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK), 32);
	EXPECT_TRUE(memcmp(a, b, 32) != 0);
}

CASE(getrandom_bad_flags_einval)
{
	char a[4];
	EXPECT_ERRNO(getrandom(a, sizeof(a), 0x100), EINVAL);
}

CASE(getrandom_efault)
{
	EXPECT_ERRNO(getrandom((void *)16, 8, 0), EFAULT);
}

CASE(sysinfo_sane)
{
	struct sysinfo si;
	EXPECT_EQ(sysinfo(&si), 0);
	EXPECT_TRUE(si.totalram > 0);
	EXPECT_TRUE(si.procs > 0);
}

CASE(times_returns_ticks)
{
	struct tms t;
	EXPECT_TRUE(times(&t) != (clock_t)-1);
}

CASE(getrusage_self)
{
	struct rusage ru;
	EXPECT_EQ(getrusage(RUSAGE_SELF, &ru), 0);
	EXPECT_TRUE(ru.ru_maxrss > 0);
}

CASE(getrusage_bad_who_einval)
{
	struct rusage ru;
	EXPECT_ERRNO(getrusage(42, &ru), EINVAL);
}

CASE(prctl_name_roundtrip)
{
	char old[16], got[16];
	OK(prctl(PR_GET_NAME, old));
	OK(prctl(PR_SET_NAME, "uosconf-name"));
	OK(prctl(PR_GET_NAME, got));
	prctl(PR_SET_NAME, old);
	EXPECT_STREQ(got, "uosconf-name");
}

CASE(prctl_bad_option_einval)
{
	EXPECT_ERRNO(prctl(9999, 0, 0, 0, 0), EINVAL);
}

CASE(prctl_dumpable)
{
	EXPECT_EQ(prctl(PR_GET_DUMPABLE), 1);
}

CASE(sched_getaffinity_has_cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	EXPECT_EQ(sched_getaffinity(0, sizeof(s), &s), 0);
	EXPECT_TRUE(CPU_COUNT(&s) >= 1);
}

CASE(sched_getaffinity_small_einval)
{
	char s[1];
	EXPECT_ERRNO(syscall(SYS_sched_getaffinity, 0, 1, s), EINVAL);
}

CASE(set_tid_address_returns_tid)
{
	int x;
	EXPECT_EQ(syscall(SYS_set_tid_address, &x), syscall(SYS_gettid));
}

CASE(proc_self_status_pid)
{
	char b[4096], want[64];
	int fd = OK(open("/proc/self/status", O_RDONLY));
	ssize_t n = OK(read(fd, b, sizeof(b) - 1));
	close(fd);
	b[n] = 0;
	snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
	EXPECT_TRUE(strstr(b, want) != NULL);
}

CASE(proc_self_is_pid)
{
	char b[64], want[32];
	ssize_t n = OK(readlink("/proc/self", b, sizeof(b) - 1));
	b[n] = 0;
	snprintf(want, sizeof(want), "%d", getpid());
	EXPECT_STREQ(b, want);
}

CASE(kill_self_signal_zero)
{
	EXPECT_EQ(kill(getpid(), 0), 0);
}

CASE(kill_esrch)
{
	EXPECT_ERRNO(kill(4000000, 0), ESRCH);
}

CASE(kill_bad_signal_einval)
{
	EXPECT_ERRNO(kill(getpid(), 999), EINVAL);
}
