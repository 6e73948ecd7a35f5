/*
 * The --stats=FILE dump and its reader.  The dispatcher (syscall.c) keeps the
 * counts in k->stats; this file only writes them out at exit, and reads them
 * back for `uos conform --coverage`.  The format is a small JSON object with
 * one "name": count pair per line, so that the reader can stay a line
 * scanner: {"calls": {...}, "errors": {...}}.  Only syscalls that stopped in
 * uos are counted; HOST rows run without a stop unless --trace or --summary.
 */
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall.h"

static void write_counts(FILE *f, const char *key, const unsigned long *n)
{
	const char *sep = "";

	fprintf(f, "\"%s\": {", key);
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (!e || !n[nr])
			continue;
		fprintf(f, "%s\n  \"%s\": %lu", sep, e->name, n[nr]);
		sep = ",";
	}
	fputs("\n}", f);
}

int stats_write_json(const struct kernel *k, const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fputs("{", f);
	write_counts(f, "calls", k->stats.calls);
	fputs(",\n", f);
	write_counts(f, "errors", k->stats.errors);
	fputs("}\n", f);
	return fclose(f) ? -errno : 0;
}

/* The number of the syscall called name, or -1. */
static int nr_of(const char *name)
{
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (e && !strcmp(e->name, name))
			return nr;
	}
	return -1;
}

int stats_read_json(const char *path, unsigned long *calls)
{
	FILE *f = fopen(path, "re");
	char line[256], name[64];
	unsigned long n;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "\"errors\""))
			break;
		if (sscanf(line, " \"%63[a-z0-9_]\": %lu", name, &n) == 2) {
			int nr = nr_of(name);

			if (nr >= 0)
				calls[nr] += n;
		}
	}
	fclose(f);
	return 0;
}
