/*
 * --summary: the calls made, those not supported, the failures by errno
 * (trace.h), and where the cost went: the stops uos waited for and the host
 * calls uos made, in all and per guest call (the counts of hostcall.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "hostcall.h"
#include "syscall.h"
#include "trace.h"

struct count {
	int nr;
	unsigned long calls, errors;
};

static int by_calls(const void *x, const void *y)
{
	const struct count *a = x, *b = y;

	if (a->calls != b->calls)
		return a->calls < b->calls ? 1 : -1;
	return a->nr - b->nr;
}

static const char *name_of(int nr, char *buf, size_t n)
{
	const struct sys_entry *e = sys_lookup(nr);

	if (e)
		return e->name;
	snprintf(buf, n, "syscall_%d", nr);
	return buf;
}

/* The syscalls that were called, most called first; returns how many. */
static size_t collect(const struct kernel *k, struct count *c)
{
	size_t n = 0;

	for (int nr = 0; nr < SYS_NR_MAX; nr++)
		if (k->stats.calls[nr])
			c[n++] = (struct count){nr, k->stats.calls[nr], k->stats.errors[nr]};
	qsort(c, n, sizeof(*c), by_calls);
	return n;
}

static void summary_counts(FILE *out, const struct count *c, size_t n)
{
	unsigned long calls = 0, errors = 0;
	char buf[32];

	fprintf(out, "%10s %10s  %s\n", "calls", "errors", "syscall");
	fprintf(out, "---------- ----------  ----------------\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%10lu %10lu  %s\n", c[i].calls, c[i].errors,
			name_of(c[i].nr, buf, sizeof(buf)));
		calls += c[i].calls;
		errors += c[i].errors;
	}
	fprintf(out, "---------- ----------  ----------------\n");
	fprintf(out, "%10lu %10lu  total\n", calls, errors);
}

static void summary_unsupported(FILE *out, const struct count *c, size_t n)
{
	char buf[32];
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		const struct sys_entry *e = sys_lookup(c[i].nr);

		if (e && e->level != SYS_NONE && e->level != SYS_PARTIAL)
			continue;
		if (!any)
			fprintf(out, "\nunsupported or partial syscalls that were called:\n");
		any = true;
		fprintf(out, "%10lu  %-20s %-8s %s\n", c[i].calls,
			name_of(c[i].nr, buf, sizeof(buf)), e ? sys_level_name(e->level) : "NONE",
			e ? e->note : "no such syscall");
	}
}

static void summary_failed(FILE *out, const struct kstats *s)
{
	char buf[32];
	bool any = false;

	for (size_t i = 0; i < ARRAY_SIZE(s->fails) && s->fails[i].n; i++) {
		const struct kfail *f = &s->fails[i];
		const char *name = trace_errno_name(f->err);
		if (!any)
			fprintf(out, "\nfailed calls:\n");
		any = true;
		fprintf(out, "%10lu  %s: %s (%s)\n", f->n, name_of(f->nr, buf, sizeof(buf)),
			name ? name : "?", strerror(f->err));
	}
}

/* The guest calls counted, and how many of them were HOST rows'. */
static unsigned long guest_calls(const struct kstats *s, unsigned long *host_rows)
{
	unsigned long n = s->bad_nr;

	*host_rows = 0;
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		n += s->calls[nr];
		if (e && e->level == SYS_HOST)
			*host_rows += s->calls[nr];
	}
	return n;
}

static double per(unsigned long n, unsigned long calls)
{
	return calls ? (double)n / calls : 0.0;
}

/* What uos's waits returned: the stops by kind, then deaths and empty waits. */
static void summary_stops(FILE *out, const struct hostcalls *h, unsigned long calls)
{
	unsigned long stops = 0;

	for (int w = 0; w < HOSTCALL_WAIT_DEATH; w++)
		stops += h->waits[w];
	fprintf(out, "stops uos waited for: %lu, %.2f per guest call (", stops, per(stops, calls));
	for (int w = 0; w < HOSTCALL_WAIT_DEATH; w++)
		fprintf(out, "%s%lu %s", w ? ", " : "", h->waits[w], hostcall_wait_name(w));
	fprintf(out, "); its waits also returned %lu %s and %lu %s\n",
		h->waits[HOSTCALL_WAIT_DEATH], hostcall_wait_name(HOSTCALL_WAIT_DEATH),
		h->waits[HOSTCALL_WAIT_NONE], hostcall_wait_name(HOSTCALL_WAIT_NONE));
}

static void summary_ptrace(FILE *out, const struct hostcalls *h, unsigned long calls)
{
	for (int i = 0; i < HOSTCALL_PTRACE_MAX; i++)
		if (h->ptrace[i])
			fprintf(out, "%10lu %10.2f    %s\n", h->ptrace[i], per(h->ptrace[i], calls),
				hostcall_ptrace_name(i) ? hostcall_ptrace_name(i) : "PTRACE_?");
}

/* The host calls uos made, most made first; ptrace's broken down by request. */
static void summary_host(FILE *out, const struct hostcalls *h, unsigned long calls)
{
	struct count c[HOSTCALL_NR_MAX];
	unsigned long total = 0;
	size_t n = 0;
	char buf[32];

	for (int nr = 0; nr < HOSTCALL_NR_MAX; nr++)
		if (h->by_nr[nr]) {
			c[n++] = (struct count){nr, h->by_nr[nr], 0};
			total += h->by_nr[nr];
		}
	qsort(c, n, sizeof(*c), by_calls);
	fprintf(out, "host calls uos made: %lu, %.2f per guest call\n", total, per(total, calls));
	fprintf(out, "%10s %10s  %s\n", "calls", "per call", "host call");
	fprintf(out, "---------- ----------  ----------------\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%10lu %10.2f  %s\n", c[i].calls, per(c[i].calls, calls),
			name_of(c[i].nr, buf, sizeof(buf)));
		if (c[i].nr == SYS_ptrace)
			summary_ptrace(out, h, calls);
	}
}

/*
 * Where the cost went.  Under --summary the HOST rows stop too (seccomp.h),
 * so the line says how many of the guest calls stopped for that reason only.
 */
static void summary_cost(FILE *out, const struct kstats *s)
{
	const struct hostcalls *h = hostcall_counts();
	unsigned long host_rows, calls = guest_calls(s, &host_rows);

	fprintf(out,
		"\nwhere the cost went: %lu guest calls (%lu of them in HOST rows, "
		"which stop only because of --summary)\n",
		calls, host_rows);
	if (s->foretold)
		fprintf(out,
			"memory calls the books foretold: %lu (they too stop at exit only because of "
			"--summary); checked %lu, wrong %lu\n",
			s->foretold, s->foretold_checked, s->foretold_wrong);
	summary_stops(out, h, calls);
	summary_host(out, h, calls);
}

void trace_summary(struct kernel *k, FILE *out)
{
	struct count *c = malloc(SYS_NR_MAX * sizeof(*c));
	char line[512];

	if (!c)
		return;
	size_t n = collect(k, c);
	contain_describe(&k->contain, line, sizeof(line));
	fprintf(out, "uos: syscall summary\n");
	fprintf(out, "containment: %s\n\n", line);
	summary_counts(out, c, n);
	summary_unsupported(out, c, n);
	summary_failed(out, &k->stats);
	if (k->stats.bad_nr)
		fprintf(out, "\n%10lu  calls with a number outside the table\n", k->stats.bad_nr);
	summary_cost(out, &k->stats);
	free(c);
}
