/* proc: clone3's argument checks (kernel/fork.c: copy_clone_args_from_user, clone3_args_valid). */
#define AREA "proc"
#include "../harness.h"
#include <linux/sched.h>
#include <stdint.h>
#include <sys/syscall.h>

/* clone_args with room past its end, for sizes larger than the struct. */
union args {
	struct clone_args ca;
	unsigned char bytes[4200];
};

/*
 * clone3(u, size): a child that exists by mistake exits at once (99) and is
 * reaped; the result is the call's (-1 and errno, or the child's pid).
 */
static long try_clone3(void *u, size_t size)
{
	long r = syscall(SYS_clone3, u, size);
	if (r == 0)
		_exit(99);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r;
}

static void fresh(union args *u, uint64_t flags, uint64_t exit_signal)
{
	memset(u, 0, sizeof(*u));
	u->ca.flags = flags;
	u->ca.exit_signal = exit_signal;
}

CASE(clone3_plain_child)
{
	union args u;
	int st;
	fresh(&u, 0, SIGCHLD);
	long r = syscall(SYS_clone3, &u, sizeof(u.ca));
	if (r == 0)
		_exit(3);
	EXPECT_TRUE(r > 0);
	EXPECT_EQ(waitpid((pid_t)r, &st, 0), r);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3);
}

CASE(clone3_size_bounds)
{
	union args u;
	fresh(&u, 0, SIGCHLD);
	EXPECT_ERRNO(try_clone3(&u, 4097), E2BIG);
	EXPECT_ERRNO(try_clone3(&u, CLONE_ARGS_SIZE_VER0 - 1), EINVAL);
	EXPECT_ERRNO(try_clone3(&u, 0), EINVAL);
	EXPECT_ERRNO(try_clone3(NULL, sizeof(u.ca)), EFAULT);
}

CASE(clone3_bytes_past_the_struct)
{
	union args u;
	int st;
	fresh(&u, 0, SIGCHLD);
	u.bytes[sizeof(u.ca) + 20] = 1;
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca) + 64), E2BIG);
	EXPECT_ERRNO(try_clone3(&u, 4096), E2BIG);
	u.bytes[sizeof(u.ca) + 20] = 0;
	long r = syscall(SYS_clone3, &u, 4096); /* zeros past the end are fine */
	if (r == 0)
		_exit(4);
	EXPECT_TRUE(r > 0);
	EXPECT_EQ(waitpid((pid_t)r, &st, 0), r);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 4);
}

CASE(clone3_unknown_flags)
{
	union args u;
	static const uint64_t bad[] = {1ULL << 34, 1ULL << 40, 1ULL << 63, 0xf00000000ULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fresh(&u, bad[i], SIGCHLD);
		EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
	}
}

CASE(clone3_reused_legacy_bits)
{
	union args u;
	fresh(&u, SIGCHLD, 0); /* the exit signal in the flags, as legacy clone takes it */
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
	fresh(&u, CLONE_DETACHED, SIGCHLD);
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
}

CASE(clone3_exit_signal)
{
	union args u;
	fresh(&u, 0, 65);
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
	fresh(&u, 0, (1ULL << 32) | SIGCHLD);
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
	fresh(&u, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, SIGCHLD);
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
	fresh(&u, CLONE_PARENT, SIGCHLD);
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
}

CASE(clone3_clear_sighand_with_sighand)
{
	union args u;
	fresh(&u, CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_VM, SIGCHLD);
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
}

CASE(clone3_stack)
{
	union args u;
	fresh(&u, 0, SIGCHLD);
	u.ca.stack = 0x10000;
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL); /* a stack without a size */
	fresh(&u, 0, SIGCHLD);
	u.ca.stack_size = 0x10000;
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL); /* a size without a stack */
	fresh(&u, 0, SIGCHLD);
	u.ca.stack = 0x7ffffffff000ULL - 0x1000;
	u.ca.stack_size = 0x2000;
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL); /* past the user address space */
	u.ca.stack = ~0ULL - 0xfff;
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
}

CASE(clone3_set_tid_size)
{
	union args u;
	pid_t tid = 1;
	fresh(&u, 0, SIGCHLD);
	u.ca.set_tid_size = 1; /* without set_tid */
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
	u.ca.set_tid = (uintptr_t)&tid;
	u.ca.set_tid_size = 33; /* more levels than pid namespaces nest */
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
	u.ca.set_tid_size = 0; /* set_tid without a size */
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
}

CASE(clone3_into_cgroup_needs_ver2)
{
	union args u;
	fresh(&u, CLONE_INTO_CGROUP, SIGCHLD);
	EXPECT_ERRNO(try_clone3(&u, CLONE_ARGS_SIZE_VER1), EINVAL);
	u.ca.cgroup = 1ULL << 31;
	EXPECT_ERRNO(try_clone3(&u, sizeof(u.ca)), EINVAL);
}
