/* The base layer's functions: uos speaks of itself, and the clock (base.h). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base.h"

/* stderr is a terminal in raw mode (console.c): a line ends with "\r\n". */
static bool stderr_raw;

void uos_stderr_raw(bool raw)
{
	stderr_raw = raw;
}

/*
 * uos's lines never wait for a reader: stderr's terminal or pipe, full and
 * unread (a stalled emulator, a guest's flood), would wedge uos.  At the
 * first line a stream is reopened into a description of uos's own,
 * O_NONBLOCK, as hostchr.c does for the guests; a line that does not fit
 * is dropped.  A regular file is written as it is (it never waits).
 */
static int line_fd(void)
{
	static int fd = -1;
	struct stat st;

	if (fd >= 0)
		return fd;
	fd = STDERR_FILENO;
	if (fstat(STDERR_FILENO, &st) == 0 && !S_ISREG(st.st_mode)) {
		int own = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (own >= 0)
			fd = own;
	}
	return fd;
}

void uos_vwarn(const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "uos: ");

	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (n > (int)sizeof(line) - 3)
		n = (int)sizeof(line) - 3;
	n += snprintf(line + n, sizeof(line) - (size_t)n, "%s", stderr_raw ? "\r\n" : "\n");
	fflush(stderr); /* what uos printed before comes first */
	if (write(line_fd(), line, (size_t)n) < 0)
		return; /* nobody reads: the line is lost, uos goes on */
}

void uos_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uos_vwarn(fmt, ap);
	va_end(ap);
}

_Noreturn void uos_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "uos: internal error at %s:%d: %s\n", file, line, what);
	abort();
}

long long uos_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
