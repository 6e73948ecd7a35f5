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

/*
 * One argument: the call, its index, and the result the guest sees.  in[j]:
 * argument j as printed at the call's entry (trace_enter), or NULL.
 */
struct argctx {
	struct task *t;
	const struct sysargs *a;
	int i;
	long ret;
	const char *const *in;
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
/* poll's " = N ([{fd=3, revents=POLLIN}])" or " = 0 (Timeout)"; left: ppoll's ", left {...}". */
bool decode_poll_result(struct line *l, const struct argctx *c, long ret, bool left);

/* The printer of a kind trace_decode.c prints, or NULL. */
put_fn decode_printer(enum arg_kind k);
/*
 * The printer at a call's entry of a kind whose memory the call overwrites
 * (select's sets, a value-result length), or NULL.  *final: what it prints is
 * the argument as shown; else the kind's printer reads it at the exit
 * (c->in[c->i]: the length as it was).
 */
put_fn decode_entry_printer(enum arg_kind k, bool *final);
/* c->in[j] as a number, or false when argument j was not read at the entry. */
bool entry_value(const struct argctx *c, int j, long *v);

/* Sockets (trace_sock.c) and select (trace_select.c). */
void put_sockaddr_len(struct line *l, const struct argctx *c, unsigned long v, long len);
void put_socklenp(struct line *l, const struct argctx *c, unsigned long v);
void enter_socklenp(struct line *l, const struct argctx *c, unsigned long v);
void put_osockaddr(struct line *l, const struct argctx *c, unsigned long v);
void put_msgflags(struct line *l, const struct argctx *c, unsigned long v);
void put_msghdr(struct line *l, const struct argctx *c, unsigned long v);
void put_mmsghdrs(struct line *l, const struct argctx *c, unsigned long v);
void put_ommsghdrs(struct line *l, const struct argctx *c, unsigned long v);
void enter_ommsghdrs(struct line *l, const struct argctx *c, unsigned long v);
/* recvmmsg's " = 0 (Timeout)" or " = N (left {...})"; false: nothing to add. */
bool decode_recvmmsg_result(struct line *l, const struct argctx *c, long ret);
void put_omsghdr(struct line *l, const struct argctx *c, unsigned long v);
void enter_omsghdr(struct line *l, const struct argctx *c, unsigned long v);
void put_socklevel(struct line *l, const struct argctx *c, unsigned long v);
void put_sockopt(struct line *l, const struct argctx *c, unsigned long v);
void put_sockoptval(struct line *l, const struct argctx *c, unsigned long v);
void put_osockoptval(struct line *l, const struct argctx *c, unsigned long v);
void put_shuthow(struct line *l, const struct argctx *c, unsigned long v);
void put_fdset(struct line *l, const struct argctx *c, unsigned long v);
void put_timeval(struct line *l, const struct argctx *c, unsigned long v);
void put_pselsig(struct line *l, const struct argctx *c, unsigned long v);
/* select's and pselect6's " = N (in [3], out [4], left {...})" or " = 0 (Timeout)". */
void decode_select_result(struct line *l, const struct argctx *c, long ret);
/* n iovecs at v; data: bytes shown in all (a result), or -1: each whole (trace_io.c). */
void put_iov_n(struct line *l, const struct argctx *c, unsigned long v, long n, long data);
/* The timespec at guest address v ({tv_sec=1, tv_nsec=0}), NULL, or v when unreadable. */
void put_timespec_at(struct line *l, struct task *t, unsigned long v);
/* Whether argument c->i of kinds kk is left out, as strace leaves it out (a mode without O_CREAT).
 */
bool decode_hidden(const struct arg_list *kk, const struct argctx *c);
/* Print " = result" as strace decorates it ("= 0x1 (flags FD_CLOEXEC)") and return true, or false.
 */
bool decode_result(struct line *l, struct task *t, const struct arg_list *kk,
		   const struct sysargs *a, long ret);
