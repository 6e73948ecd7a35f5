/*
 * Helpers shared by the guest test programs. A guest program prints what it
 * observes in a form that is identical natively and under uos (no pids, no
 * addresses, no host-specific values) and exits 0; tests/difftest compares the
 * two runs. Everything here is static: each program is one translation unit.
 */
#ifndef UOS_GUEST_H
#define UOS_GUEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The symbolic name of an errno value ("ENOENT"), as the output must not
 * depend on the locale's message text. */
static inline const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

/* Print "what = R" for a success, "what = -1 ENAME" for a failure. */
static inline void show_result(const char *what, long r, int err)
{
	if (r < 0)
		printf("%s = %ld %s\n", what, r, ename(err));
	else
		printf("%s = %ld\n", what, r);
}

/* SHOW("open missing", open("/nonexistent", O_RDONLY)); */
#define SHOW(what, call)                                                      \
	do {                                                                  \
		errno = 0;                                                    \
		long r_ = (long)(call);                                       \
		show_result((what), r_, errno);                               \
	} while (0)

/* Print "what: ok" or "what: FAILED" for a yes/no observation. */
#define EXPECT(what, cond) printf("%s: %s\n", (what), (cond) ? "ok" : "FAILED")

/* A record of getdents64(2), which glibc does not declare. */
struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Close whatever the test harness leaked to us so that fd numbers printed
 * later do not depend on how the program was started. */
static inline void close_inherited_fds(void)
{
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
}

#endif
