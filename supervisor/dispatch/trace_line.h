/*
 * Inside --trace: the line a call is printed into, the flag tables, and the
 * printer of one argument kind (trace.c for words and flags,
 * trace_decode.c for the structures, arrays and whole-call forms that
 * strace prints).  Not for use outside dispatch/.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "syscall.h"

#define LINE_CAP 8192
#define STR_SHOWN                                                                                  \
	32 /* bytes of a string or buffer, and elements of an array, shown (strace -s 32) */

struct line {
	size_t len;
	char buf[LINE_CAP];
};

void lputf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct flag {
	unsigned long value;
	const char *name;
};

/* The one name whose value is v, or v in decimal. */
void put_enum(struct line *l, const struct flag *tab, size_t n, long v);
/* v as NAME|NAME|0xrest; zero prints as "0". */
void put_flags(struct line *l, const struct flag *tab, size_t n, unsigned long v);
/* len bytes quoted as strace does; more: "..." follows.  hex: every byte as \xNN. */
void put_quoted(struct line *l, const char *s, size_t len, bool more, bool hex);
/* A signal's name with prefix ("SIG", or "" inside sets): HUP, RTMIN, RT_1. */
void put_signame(struct line *l, int sig, const char *prefix);
/* The 64-signal set at guest address v, "[INT TERM]" or "~[KILL]"; a failed read prints v. */
void put_sigset_at(struct line *l, struct task *t, unsigned long v);
/* A string at guest address v, at most shown bytes of it; a failed read prints v. */
void put_gstring(struct line *l, struct task *t, unsigned long v, size_t shown);
/* O_* flags with their access mode ("O_RDONLY|O_CLOEXEC"), or without ("O_CLOEXEC", 0: "0"). */
void put_open_flags(struct line *l, unsigned long v, bool accmode);

/* One argument: the call, its index, and the result the guest sees. */
struct argctx {
	struct task *t;
	const struct sysargs *a;
	int i;
	long ret;
};

typedef void (*put_fn)(struct line *l, const struct argctx *c, unsigned long v);

/* v as a pointer: NULL or 0x... (put_ptr: the printer of PTR arguments). */
void put_addr(struct line *l, unsigned long v);
void put_ptr(struct line *l, const struct argctx *c, unsigned long v);

/* ioctl's third argument, by the request before it (trace_ioctl.c). */
void put_ioctlarg(struct line *l, const struct argctx *c, unsigned long v);

/* I/O vectors, poll's and epoll's arrays, returned strings (trace_io.c). */
void put_iovec(struct line *l, const struct argctx *c, unsigned long v);
void put_oiovec(struct line *l, const struct argctx *c, unsigned long v);
void put_pollfds(struct line *l, const struct argctx *c, unsigned long v);
void put_ocstr(struct line *l, const struct argctx *c, unsigned long v);
void put_epollop(struct line *l, const struct argctx *c, unsigned long v);
void put_epollevent(struct line *l, const struct argctx *c, unsigned long v);
void put_oepollevents(struct line *l, const struct argctx *c, unsigned long v);
void put_epollflags(struct line *l, const struct argctx *c, unsigned long v);
/* poll's " = N ([{fd=3, revents=POLLIN}])" or " = 0 (Timeout)". */
bool decode_poll_result(struct line *l, const struct argctx *c, long ret);

/* The printer of a kind trace_decode.c prints, or NULL. */
put_fn decode_printer(enum arg_kind k);
/* Whether argument c->i of kinds kk is left out, as strace leaves it out (a mode without O_CREAT).
 */
bool decode_hidden(const struct arg_list *kk, const struct argctx *c);
/* Print " = result" as strace decorates it ("= 0x1 (flags FD_CLOEXEC)") and return true, or false.
 */
bool decode_result(struct line *l, struct task *t, const struct arg_list *kk,
		   const struct sysargs *a, long ret);
