/* efault_wild_pointers: system calls given pointers that name no memory
 * (1, -1, 0x1000, NULL, the kernel half) fail with EFAULT and nothing
 * else happens; the program, and uos, carry on. Raw syscall() is used so
 * that libc does not touch the pointers first. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "guest.h"

static const struct {
	const char *name;
	unsigned long addr;
} wild[] = {
	{ "NULL", 0 },
	{ "1", 1 },
	{ "0x1000", 0x1000 },
	{ "-1", (unsigned long)-1 },
	{ "kernel half", 0xffff880000000000UL },
	{ "non-canonical", 0x0000800000000000UL },
};

#define NWILD (sizeof(wild) / sizeof(wild[0]))

static void one(const char *call, const char *ptr, long r)
{
	char what[128];

	snprintf(what, sizeof(what), "%s(%s)", call, ptr);
	show_result(what, r, errno);
}

int main(void)
{
	struct stat st;
	int fd, dfd;

	close_inherited_fds();
	fd = open("/etc/passwd", O_RDONLY);
	dfd = open("/etc", O_RDONLY);
	for (size_t i = 0; i < NWILD; i++) {
		void *p = (void *)wild[i].addr;
		const char *n = wild[i].name;

		errno = 0;
		one("read buf", n, syscall(SYS_read, fd, p, 16));
		one("write buf", n, syscall(SYS_write, 1, p, 16));
		one("open path", n, syscall(SYS_open, p, O_RDONLY));
		one("openat path", n, syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
		one("stat path", n, syscall(SYS_stat, p, &st));
		one("stat buf", n, syscall(SYS_stat, "/etc/passwd", p));
		one("fstat buf", n, syscall(SYS_fstat, fd, p));
		one("readlink path", n, syscall(SYS_readlink, p, (char[8]){ 0 }, 8));
		one("readlink buf", n, syscall(SYS_readlink, "/bin", p, 8));
		one("getdents64 buf", n, syscall(SYS_getdents64, dfd, p, 4096));
		one("pread64 buf", n, syscall(SYS_pread64, fd, p, 16, 0));
		one("writev iov", n, syscall(SYS_writev, 1, p, 1));
		one("uname buf", n, syscall(SYS_uname, p));
		one("clock_gettime ts", n, syscall(SYS_clock_gettime, 0, p));
		one("rt_sigaction act", n, syscall(SYS_rt_sigaction, 10, p, NULL, 8));
	}
	SHOW("read after all that", read(fd, (char[4]){ 0 }, 4));
	printf("still running\n");
	return 0;
}
