/*
 * The base layer: what every layer of uos may use, and nothing else.
 *
 * It depends on nothing in uos.  It holds the helpers (container_of,
 * ARRAY_SIZE), the two ways uos speaks of itself (uos_warn, UOS_BUG_ON) and
 * the internal result codes that travel up from the VFS and the kernel
 * objects to the dispatcher.
 */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Stop the sandbox on a broken internal invariant (never on guest input). */
#define UOS_BUG_ON(cond)                                                                           \
	do {                                                                                       \
		if (cond)                                                                          \
			uos_bug(__FILE__, __LINE__, #cond);                                        \
	} while (0)
_Noreturn void uos_bug(const char *file, int line, const char *what);

/*
 * Internal result codes, above Linux's errno range (1..4095), the way Linux
 * keeps ERESTARTSYS.  The dispatcher makes sure none reaches a guest.
 */
#define UOS_EBLOCK 10000    /* task parked on a wait channel; handler runs again on wake */
#define UOS_ENORESULT 10001 /* exit, execve, sigreturn: leave rax alone */
#define UOS_EHOST 10002     /* let the host kernel run the call (see task->host_exit) */

/*
 * A system call made directly, not through libc: -errno on failure, errno
 * untouched, and not counted among uos's host calls (hostcall.h).  For code
 * that runs in another process sharing uos's memory (spawn.c's child).
 */
long uos_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5);
#define UOS_RAW(nr, a1, a2, a3, a4, a5)                                                            \
	uos_raw_syscall(nr, (long)(a1), (long)(a2), (long)(a3), (long)(a4), (long)(a5))

/*
 * The whole of a host /proc file, NUL-terminated (malloc'd), or NULL
 * (errno).  one_piece: the kernel makes the file in one piece (single_open:
 * status, stat), so a read that does not fill the buffer had it all and no
 * read is spent to see its end.
 */
char *uos_proc_read(const char *path, bool one_piece);
/*
 * The fields of a host stat file (/proc/PID/stat, /proc/PID/task/TID/stat)
 * at path, numbered as proc(5) does: f[i] for 3 <= i < n points into *buf
 * (malloc'd: the caller frees it), "0" where the file has none, as are
 * f[0..2] (the name, which may hold anything, is skipped).  Returns the
 * number of the last field read (2: none), or -1 when the file cannot be
 * read (*buf NULL).
 */
int uos_proc_stat(const char *path, char **buf, const char **f, int n);

/*
 * Close fd, a host fd whose release may sleep in the host kernel (an
 * inotify instance's does): the release is left to the host's workers
 * after uos exits, so that uos's exit does not wait for it (close_late.c).
 */
void uos_close_late(int fd);

/* n random bytes of the host's for uos's own use (exec's layout, AT_RANDOM); false if none came. */
bool uos_random(void *buf, size_t n);

/* CLOCK_MONOTONIC now, in nanoseconds (deadlines of parked waits). */
long long uos_now_ns(void);

/* Print "uos: " and the message to stderr, like warnx(3). */
void uos_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void uos_vwarn(const char *fmt, va_list ap);
/* Whether stderr is a terminal uos put in raw mode: uos_warn's lines end with "\r\n" then. */
void uos_stderr_raw(bool raw);
