/*
 * --trace's decoding of select and pselect6 as strace 6 prints them: the fd
 * sets and the timeout as passed (read at the call's entry: the call
 * overwrites them), and at the exit the sets that are ready and the time
 * left: " = 2 (in [3], out [4], left {tv_sec=0, tv_usec=0})".
 */
#include <stdint.h>
#include <stdlib.h>

#include "gmem.h"
#include "trace_line.h"

#define NFDS_MAX (1024 * 1024) /* strace reads no more of a set */

/* Bytes of a set of nfds descriptors, in whole words as the kernel reads them. */
static size_t set_bytes(long nfds)
{
	return (((size_t)nfds + 7) / 8 + 7) & ~(size_t)7;
}

/* select's first argument, as strace bounds it. */
static long nfds_of(const struct argctx *c)
{
	int n = (int)c->a->a[0];

	return n < 0 ? 0 : n > NFDS_MAX ? NFDS_MAX : n;
}

/* The set at v read into a new buffer, or NULL. */
static unsigned char *read_set(const struct argctx *c, unsigned long v, long nfds)
{
	size_t n = set_bytes(nfds);
	unsigned char *set = v && n ? malloc(n) : NULL;

	if (set && gmem_read(c->t, set, v, n) < 0) {
		free(set);
		return NULL;
	}
	return set;
}

static bool is_set(const unsigned char *set, long fd)
{
	return set[fd / 8] & (1u << (fd % 8));
}

void put_fdset(struct line *l, const struct argctx *c, unsigned long v)
{
	long nfds = nfds_of(c);
	unsigned char *set = read_set(c, v, nfds);
	const char *sep = "";

	if (!set) {
		put_addr(l, v);
		return;
	}
	lputf(l, "[");
	for (long fd = 0; fd < nfds; fd++) {
		if (is_set(set, fd)) {
			lputf(l, "%s%ld", sep, fd);
			sep = " ";
		}
	}
	lputf(l, "]");
	free(set);
}

static void put_timeval_at(struct line *l, struct task *t, unsigned long v)
{
	long long tv[2];

	if (!v || gmem_read(t, tv, v, sizeof(tv)) < 0)
		put_addr(l, v);
	else
		lputf(l, "{tv_sec=%lld, tv_usec=%lld}", tv[0], tv[1]);
}

void put_timeval(struct line *l, const struct argctx *c, unsigned long v)
{
	put_timeval_at(l, c->t, v);
}

/* pselect6's {const sigset_t *ss; size_t ss_len}. */
void put_pselsig(struct line *l, const struct argctx *c, unsigned long v)
{
	uint64_t d[2];

	if (!v || gmem_read(c->t, d, v, sizeof(d)) < 0) {
		put_addr(l, v);
		return;
	}
	lputf(l, "{sigmask=");
	if (d[1] == 8)
		put_sigset_at(l, c->t, d[0]);
	else
		put_addr(l, d[0]);
	lputf(l, ", sigsetsize=%llu}", (unsigned long long)d[1]);
}

void decode_select_result(struct line *l, const struct argctx *c, long ret)
{
	static const char *const names[] = {"in", "out", "except"};
	long nfds = nfds_of(c), ready = ret;
	const char *sep = "";

	if (ret == 0) {
		lputf(l, " = 0 (Timeout)");
		return;
	}
	lputf(l, " = %ld (", ret);
	for (int i = 0; i < 3 && ready > 0; i++) {
		unsigned char *set = read_set(c, c->a->a[i + 1], nfds);
		bool first = true;

		if (!set)
			continue;
		for (long fd = 0; fd < nfds && ready > 0; fd++) {
			if (!is_set(set, fd))
				continue;
			if (first)
				lputf(l, "%s%s [%ld", sep, names[i], fd);
			else
				lputf(l, " %ld", fd);
			first = false;
			sep = ", ";
			ready--;
		}
		if (*sep) /* strace closes after every set read once one was shown */
			lputf(l, "]");
		free(set);
	}
	if (c->a->a[4]) {
		lputf(l, "%sleft ", sep);
		if (c->a->nr == 23) /* select: a timeval */
			put_timeval_at(l, c->t, c->a->a[4]);
		else
			put_timespec_at(l, c->t, c->a->a[4]);
	}
	lputf(l, ")");
}
