/* perm: set*id calls as root, called directly, each returning to root. */
#define AREA "perm"
#include "../harness.h"
#include <sys/fsuid.h>
#include <sys/syscall.h>

CASE(setuid_root_to_root)
{
	EXPECT_EQ(syscall(SYS_setuid, 0), 0);
	EXPECT_EQ(getuid(), 0);
}

CASE(setgid_root_to_root)
{
	EXPECT_EQ(syscall(SYS_setgid, 0), 0);
	EXPECT_EQ(getgid(), 0);
}

CASE(setreuid_effective_only)
{
	EXPECT_EQ(syscall(SYS_setreuid, -1, 1000), 0);
	uid_t e = geteuid();
	EXPECT_EQ(syscall(SYS_setreuid, -1, 0), 0);
	EXPECT_EQ(e, 1000);
}

CASE(setregid_effective_only)
{
	EXPECT_EQ(syscall(SYS_setregid, -1, 1000), 0);
	gid_t e = getegid();
	EXPECT_EQ(syscall(SYS_setregid, -1, 0), 0);
	EXPECT_EQ(e, 1000);
}

CASE(setregid_noop)
{
	EXPECT_EQ(syscall(SYS_setregid, -1, -1), 0);
}

CASE(setfsgid_returns_previous)
{
	int prev = setfsgid(1000);
	int back = setfsgid(0);
	EXPECT_EQ(prev, 0);
	EXPECT_EQ(back, 1000);
}

CASE(setresgid_saved)
{
	gid_t r, e, s;
	OK(setresgid(-1, 1000, -1));
	getresgid(&r, &e, &s);
	OK(setresgid(-1, 0, -1));
	EXPECT_EQ(e, 1000);
	EXPECT_EQ(s, 0);
}
