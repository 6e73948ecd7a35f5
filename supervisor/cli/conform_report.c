/* `uos conform`: the table, the failures, JSON and JUnit (conform_impl.h). */

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

static bool regressed(const struct ccase *k)
{
	return k->res[NATIVE] == CR_PASS && k->res[UOS] != CR_PASS && k->res[UOS] != CR_SKIP;
}

static int area_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct areas, sorted; returns how many. */
static size_t areas(struct conform *c, char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < c->cases.n; i++) {
		size_t j = 0;
		while (j < n && strcmp(out[j], CASE(c, i)->area))
			j++;
		if (j == n)
			out[n++] = CASE(c, i)->area;
	}
	qsort(out, n, sizeof(*out), area_cmp);
	return n;
}

static void print_row(const char *area, const unsigned long *v)
{
	printf("%-10s %7lu %8lu %8lu %8lu\n", area, v[0], v[1], v[2], v[3]);
}

void cf_print_table(struct conform *c)
{
	char *ar[c->cases.n + 1];
	size_t na = areas(c, ar);
	unsigned long tot[4] = {0};

	printf("%-10s %7s %8s %8s %8s\n", "area", "cases", "native", "uos", "timeout");
	for (size_t a = 0; a < na; a++) {
		unsigned long v[4] = {0};
		for (size_t i = 0; i < c->cases.n; i++) {
			struct ccase *k = CASE(c, i);
			if (strcmp(k->area, ar[a]))
				continue;
			v[0]++;
			v[1] += k->res[NATIVE] == CR_PASS;
			v[2] += k->res[UOS] == CR_PASS;
			v[3] += k->res[UOS] == CR_TIMEOUT;
		}
		print_row(ar[a], v);
		for (int j = 0; j < 4; j++)
			tot[j] += v[j];
	}
	print_row("total", tot);
}

/* The failure list and the gate; returns the number of new failures. */
int cf_print_failures(struct conform *c)
{
	int fresh = 0, known = 0;

	for (size_t i = 0; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		struct known *kn = cf_known_find(c, k->name);
		if (kn)
			kn->seen = true;
		if (!regressed(k))
			continue;
		if (!fresh && !known)
			printf("\npassing natively, not under uos:\n");
		printf("  %-44s %-7s %s %s\n", k->name, cres_name[k->res[UOS]],
		       kn ? "[known]" : "[NEW]  ", k->detail ? k->detail : "");
		fresh += !kn;
		known += !!kn;
		kn = NULL;
	}
	return fresh;
}

void cf_print_notes(struct conform *c)
{
	for (size_t i = 0; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		if (k->res[NATIVE] == CR_FAIL || k->res[NATIVE] == CR_TIMEOUT)
			printf("fails natively (a wrong test?): %s: %s\n", k->name,
			       k->line[NATIVE] ? k->line[NATIVE] : cres_name[k->res[NATIVE]]);
		struct known *kn = cf_known_find(c, k->name);
		if (kn && k->res[UOS] == CR_PASS)
			printf("now passes: remove from known failures: %s\n", k->name);
	}
	for (size_t i = 0; i < c->known.n; i++)
		if (!KNOWN(c, i)->seen)
			printf("note: known failure %s names no case that ran\n", KNOWN(c, i)->name);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

int cf_write_json(struct conform *c)
{
	FILE *f = fopen(c->json, "we");

	if (!f)
		return -errno;
	fputs("{\"cases\": [", f);
	for (size_t i = 0; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
		json_str(f, k->name);
		fputs(", \"area\": ", f);
		json_str(f, k->area);
		fprintf(f, ", \"native\": \"%s\", \"uos\": \"%s\", \"detail\": ",
			cres_name[k->res[NATIVE]], cres_name[k->res[UOS]]);
		json_str(f, k->res[UOS] == CR_PASS ? "" : k->detail);
		fputs("}", f);
	}
	fputs("\n]}\n", f);
	return fclose(f) ? -errno : 0;
}

static void xml_str(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '<')
			fputs("&lt;", f);
		else if (ch == '>')
			fputs("&gt;", f);
		else if (ch == '&')
			fputs("&amp;", f);
		else if (ch == '"')
			fputs("&quot;", f);
		else if (ch >= 0x20 || ch == '\t')
			fputc(ch, f);
	}
}

/* One testcase element: the uos result; native failures are skipped. */
static void junit_case(FILE *f, const struct ccase *k)
{
	fputs("  <testcase classname=\"", f);
	xml_str(f, k->area);
	fputs("\" name=\"", f);
	xml_str(f, k->name);
	fputs("\">", f);
	if (k->res[NATIVE] != CR_PASS || k->res[UOS] == CR_SKIP) {
		fprintf(f, "<skipped message=\"native: %s, uos: %s\"/>", cres_name[k->res[NATIVE]],
			cres_name[k->res[UOS]]);
	} else if (k->res[UOS] != CR_PASS) {
		fprintf(f, "<failure type=\"%s\" message=\"", cres_name[k->res[UOS]]);
		xml_str(f, k->detail);
		fputs("\"/>", f);
	}
	fputs("</testcase>\n", f);
}

int cf_write_junit(struct conform *c)
{
	FILE *f = fopen(c->junit, "we");
	unsigned long fails = 0;

	if (!f)
		return -errno;
	for (size_t i = 0; i < c->cases.n; i++)
		fails += regressed(CASE(c, i));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<testsuites><testsuite name=\"uos-conform\" tests=\"%zu\" failures=\"%lu\">\n",
		c->cases.n, fails);
	for (size_t i = 0; i < c->cases.n; i++)
		junit_case(f, CASE(c, i));
	fputs("</testsuite></testsuites>\n", f);
	return fclose(f) ? -errno : 0;
}
