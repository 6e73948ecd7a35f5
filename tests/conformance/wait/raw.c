/* wait: the fork and vfork syscalls themselves (libc's fork() uses clone). */
#define AREA "wait"
#include "../harness.h"
#include <sys/syscall.h>

CASE(raw_fork_status)
{
	int st;
	pid_t pid = OK((pid_t)syscall(SYS_fork));
	if (pid == 0)
		_exit(9);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 9);
}

CASE(vfork_child_runs_first)
{
	int st;
	volatile int ran = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		ran = 1;
		_exit(0);
	}
	EXPECT_TRUE(pid > 0);
	EXPECT_EQ(ran, 1); /* the parent was suspended until the child exited */
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
}
