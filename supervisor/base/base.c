/* The base layer's two functions: uos speaks of itself (base.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base.h"

void uos_vwarn(const char *fmt, va_list ap)
{
	fputs("uos: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
