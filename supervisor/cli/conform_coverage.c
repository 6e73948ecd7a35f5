/* `uos conform`: --coverage, each FULL row exercised (conform_impl.h). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"
#include "syscall.h"

#include "conform_impl.h"

/* The i-th coverage probe (c->probe_list holds the cases that have one). */
static struct run *probe_at(struct conform *c, size_t i)
{
	return c->probe_list[i]->probe;
}

/*
 * Give each TAP case of a program that ran under uos a probe: the program again under
 * uos with the case's own name (after "area/") as its only argument, the way the
 * suite's harness selects cases, with its own --stats file.
 */
static void probes_make(struct conform *c)
{
	for (size_t i = 0; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		struct prog *p = PROG(c, k->prog);
		const char *slash = strrchr(k->name, '/');
		char path[128];
		if (!k->line[UOS] || p->run[UOS].spawn_failed)
			continue;
		k->probe = cf_realloc(NULL, sizeof(*k->probe));
		*k->probe = (struct run){.prog = p, .which = UOS, .arg = slash ? slash + 1 : k->name};
		snprintf(path, sizeof(path), "%s/case-%zu.json", c->tmpdir, i);
		k->probe->stats = cf_strdup(path);
	}
}

/* Did the probe run k's case and nothing else (one TAP result line naming it)? */
static bool probe_ran_only(const struct ccase *k)
{
	const struct buf *b = &k->probe->out;
	size_t results = 0, named = 0;

	for (const char *l = b->p; l && l < b->p + b->len;) {
		const char *e = memchr(l, '\n', b->p + b->len - l);
		size_t n = e ? (size_t)(e - l) : (size_t)(b->p + b->len - l);
		if ((n > 3 && !strncmp(l, "ok ", 3)) || (n > 7 && !strncmp(l, "not ok ", 7))) {
			results++;
			named += memmem(l, n, k->name, strlen(k->name)) != NULL;
		}
		l += n + 1;
	}
	return results == 1 && named == 1;
}

/*
 * Cases per syscall.  A case whose probe ran it alone is credited with the calls of that
 * run; any other case (a program that ignores its arguments, or without TAP) with the
 * calls of its whole program.  Returns how many cases were counted on their own.
 */
static size_t coverage_count(struct conform *c, unsigned long *cases)
{
	size_t alone = 0;

	for (size_t i = 0; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		unsigned long calls[SYS_NR_MAX] = {0};
		const char *stats = PROG(c, k->prog)->run[UOS].stats;
		if (k->probe && probe_ran_only(k)) {
			stats = k->probe->stats;
			alone++;
		}
		if (stats_read_json(stats, calls) < 0)
			continue;
		for (int nr = 0; nr < SYS_NR_MAX; nr++)
			cases[nr] += calls[nr] != 0;
	}
	return alone;
}

static void probes_run(struct conform *c)
{
	size_t n = 0;

	probes_make(c);
	for (size_t i = 0; i < c->cases.n; i++)
		n += CASE(c, i)->probe != NULL;
	printf("\ncoverage: running %zu cases one at a time under uos\n", n);
	fflush(stdout);
	struct ccase **with = cf_realloc(NULL, (n + 1) * sizeof(*with));
	size_t j = 0;
	for (size_t i = 0; i < c->cases.n; i++)
		if (CASE(c, i)->probe)
			with[j++] = CASE(c, i);
	c->probe_list = with;
	cf_run_all(c, n, probe_at);
}

static void probes_free(struct conform *c)
{
	for (size_t i = 0; i < c->cases.n; i++) {
		struct run *r = CASE(c, i)->probe;
		if (!r)
			continue;
		unlink(r->stats);
		free(r->stats);
		free(r->out.p);
		free(r->err.p);
		free(r);
	}
	free(c->probe_list);
}

void cf_print_coverage(struct conform *c)
{
	unsigned long cases[SYS_NR_MAX] = {0};
	int missing = 0;

	probes_run(c);
	size_t alone = coverage_count(c, cases);
	probes_free(c);
	printf("\nsyscall coverage (uos's own counts of the calls each case made: %zu of %zu\n"
	       "cases ran alone; any other case is credited with its whole program's calls;\n"
	       "HOST rows run without a stop, so they show '-'):\n",
	       alone, c->cases.n);
	printf("%4s %-24s %-8s %s\n", "nr", "name", "level", "cases");
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);
		if (!e)
			continue;
		if (e->level == SYS_HOST)
			printf("%4d %-24s %-8s %s\n", nr, e->name, "HOST", "-");
		else
			printf("%4d %-24s %-8s %lu\n", nr, e->name, sys_level_name(e->level),
			       cases[nr]);
	}
	printf("\nFULL rows no case exercised:");
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);
		if (e && e->level == SYS_FULL && !cases[nr]) {
			printf(" %s", e->name);
			missing++;
		}
	}
	printf("%s\n", missing ? "" : " none");
}
