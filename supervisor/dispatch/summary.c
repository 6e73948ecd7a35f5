/* --summary: the calls made, those not supported, and the failures by errno (trace.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	free(c);
}
