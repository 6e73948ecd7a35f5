/* The base layer's functions: uos speaks of itself, and the clock (base.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base.h"

/* stderr is a terminal in raw mode (console.c): a line ends with "\r\n". */
static bool stderr_raw;

void uos_stderr_raw(bool raw)
{
	stderr_raw = raw;
}

void uos_vwarn(const char *fmt, va_list ap)
{
	fputs("uos: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(stderr_raw ? "\r\n" : "\n", stderr);
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
