/*
 * proc: the argument allow-lists of calls the host runs for the caller
 * (arch_prctl codes, mlock2 flags): allowed values work, the
 * others fail as Linux fails them.
 */
#define AREA "proc"
#include "../harness.h"
#include <asm/prctl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define ARCH_ENABLE_TAGGED_ADDR 0x4002

static long aprctl(long code, unsigned long arg)
{
	return syscall(SYS_arch_prctl, code, arg);
}

CASE(arch_prctl_own_state)
{
	unsigned long fs = 0, gs = 1, mask = 0;
	EXPECT_EQ(aprctl(ARCH_GET_FS, (uintptr_t)&fs), 0);
	EXPECT_TRUE(fs != 0); /* the thread pointer libc set */
	EXPECT_EQ(aprctl(ARCH_GET_GS, (uintptr_t)&gs), 0);
	EXPECT_EQ(aprctl(ARCH_SET_FS, fs), 0);
	EXPECT_EQ(aprctl(ARCH_GET_CPUID, 0), 1);
	EXPECT_EQ(aprctl(ARCH_GET_XCOMP_SUPP, (uintptr_t)&mask), 0);
	EXPECT_TRUE(mask & 3); /* x87 and SSE state at least */
	EXPECT_ERRNO(aprctl(ARCH_GET_FS, 8), EFAULT);
	EXPECT_EQ(aprctl(ARCH_GET_FS | (1L << 32), (uintptr_t)&gs), 0); /* the code is an int */
	EXPECT_EQ(gs, fs);
}

CASE(arch_prctl_refused_codes)
{
	EXPECT_ERRNO(aprctl(ARCH_MAP_VDSO_64, 0x200000000000UL), EEXIST); /* the vDSO is mapped */
	EXPECT_ERRNO(aprctl(0x9999, 0), EINVAL);
	EXPECT_ERRNO(aprctl(0, 0), EINVAL);
	/* EINVAL without linear address masking in the kernel, ENODEV without it in the CPU. */
	EXPECT_TRUE(aprctl(ARCH_ENABLE_TAGGED_ADDR, 6) < 0);
}

CASE(mlock2_flags)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(syscall(SYS_mlock2, p, 4096, MLOCK_ONFAULT), 0);
	EXPECT_EQ(munlock(p, 4096), 0);
	EXPECT_ERRNO(syscall(SYS_mlock2, p, 4096, 2), EINVAL);
	EXPECT_ERRNO(syscall(SYS_mlock2, p, 4096, MLOCK_ONFAULT | 0x80000000u), EINVAL);
	munmap(p, 4096);
}

