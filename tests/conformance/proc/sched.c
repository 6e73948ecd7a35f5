/* proc: scheduling knobs: nice values through getpriority/setpriority and the static
 * priority ranges of each policy. */
#define AREA "proc"
#include "../harness.h"
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>

CASE(getpriority_self_in_range)
{
	errno = 0;
	int n = getpriority(PRIO_PROCESS, 0);
	EXPECT_EQ(errno, 0);
	EXPECT_TRUE(n >= -20 && n <= 19);
}

static int child_nice(void)
{
	if (setpriority(PRIO_PROCESS, 0, 7) != 0)
		return 1;
	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) != 7 || errno)
		return 2;
	/* the raw call returns 20 - nice */
	if (syscall(SYS_getpriority, PRIO_PROCESS, 0) != 13)
		return 3;
	return 0;
}

CASE(setpriority_then_getpriority)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0)
		_exit(child_nice());
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

CASE(setpriority_clamps_to_19)
{
	int st;
	pid_t pid = OK(fork());
	if (pid == 0) {
		if (setpriority(PRIO_PROCESS, 0, 100) != 0)
			_exit(1);
		_exit(getpriority(PRIO_PROCESS, 0) == 19 ? 0 : 2);
	}
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

CASE(priority_of_child_by_pid)
{
	int st, p[2];
	char c;
	OK(pipe(p));
	pid_t pid = OK(fork());
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	int r = setpriority(PRIO_PROCESS, pid, 5);
	errno = 0;
	int n = getpriority(PRIO_PROCESS, pid);
	close(p[1]);
	waitpid(pid, &st, 0);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(n, 5);
}

CASE(getpriority_bad_which_einval)
{
	EXPECT_ERRNO(getpriority(99, 0), EINVAL);
	EXPECT_ERRNO(setpriority(99, 0, 0), EINVAL);
}

CASE(getpriority_no_such_process_esrch)
{
	EXPECT_ERRNO(getpriority(PRIO_PROCESS, 0x3ffffff0), ESRCH);
	EXPECT_ERRNO(setpriority(PRIO_PROCESS, 0x3ffffff0, 0), ESRCH);
}

CASE(sched_priority_ranges)
{
	EXPECT_EQ(sched_get_priority_max(SCHED_FIFO), 99);
	EXPECT_EQ(sched_get_priority_min(SCHED_FIFO), 1);
	EXPECT_EQ(sched_get_priority_max(SCHED_RR), 99);
	EXPECT_EQ(sched_get_priority_min(SCHED_RR), 1);
	EXPECT_EQ(sched_get_priority_max(SCHED_OTHER), 0);
	EXPECT_EQ(sched_get_priority_min(SCHED_OTHER), 0);
	EXPECT_EQ(sched_get_priority_max(SCHED_BATCH), 0);
	EXPECT_EQ(sched_get_priority_min(SCHED_IDLE), 0);
}

CASE(sched_priority_bad_policy_einval)
{
	EXPECT_ERRNO(sched_get_priority_max(99), EINVAL);
	EXPECT_ERRNO(sched_get_priority_min(-1), EINVAL);
}
