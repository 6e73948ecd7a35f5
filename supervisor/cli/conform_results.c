/* `uos conform`: reading TAP output and the known-failures list (conform_impl.h). */

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

/* ---- reading results ---- */

static bool run_passed(const struct run *r)
{
	return !r->spawn_failed && !r->timed_out && WIFEXITED(r->status) &&
	       WEXITSTATUS(r->status) == 0;
}

/* "exit 3", "killed by SIGSEGV", "timeout after 30 s", "could not start". */
static void describe_end(const struct conform *c, const struct run *r, char *s, size_t n)
{
	if (r->spawn_failed)
		snprintf(s, n, "could not start");
	else if (r->timed_out)
		snprintf(s, n, "timeout after %d s", c->timeout);
	else if (WIFSIGNALED(r->status))
		snprintf(s, n, "killed by SIG%s", sigabbrev_np(WTERMSIG(r->status)) ?: "?");
	else
		snprintf(s, n, "exit %d", WEXITSTATUS(r->status));
}

/* Parse one TAP result line; *name points into line (cut there). */
static bool tap_parse(char *line, enum cres *res, char **name)
{
	char *p, *hash;
	bool ok;

	if (!strncmp(line, "ok", 2) && (line[2] == ' ' || !line[2]))
		ok = true, p = line + 2;
	else if (!strncmp(line, "not ok", 6) && (line[6] == ' ' || !line[6]))
		ok = false, p = line + 6;
	else
		return false;
	p += strspn(p, " ");
	p += strspn(p, "0123456789");
	p += strspn(p, " ");
	if (p[0] == '-' && (p[1] == ' ' || !p[1]))
		p += 1 + !!p[1];
	hash = strstr(p, " #");
	*res = ok ? CR_PASS : CR_FAIL;
	if (hash) {
		char *d = hash + 2 + strspn(hash + 2, " ");
		if (!strncasecmp(d, "skip", 4) || !strncasecmp(d, "todo", 4))
			*res = CR_SKIP;
		*hash = 0;
	}
	*name = p;
	return true;
}

/* The case of prog pi called name, created if missing. */
static struct ccase *case_get(struct conform *c, size_t pi, const char *name)
{
	struct prog *p = PROG(c, pi);

	for (size_t i = p->first_case; i < c->cases.n; i++)
		if (!strcmp(CASE(c, i)->name, name))
			return CASE(c, i);
	struct ccase *k = cf_vec_push(&c->cases, sizeof(*k));
	const char *slash = strchr(name, '/');
	k->name = cf_strdup(name);
	k->area = slash ? cf_strndup(name, (size_t)(slash - name)) : cf_strdup(p->area);
	k->prog = pi;
	p->ncases++;
	return k;
}

/* Record one TAP line of run `which` of prog pi; false if it is none. */
static bool tap_line(struct conform *c, size_t pi, int which, const char *line, int *anon)
{
	char *copy = cf_strdup(line), *name, full[512];
	enum cres res;
	struct prog *p = PROG(c, pi);

	if (!tap_parse(copy, &res, &name)) {
		free(copy);
		return false;
	}
	if (!*name)
		snprintf(full, sizeof(full), "%s/%s#%d", p->area, p->base, ++*anon);
	else if (!strchr(name, '/'))
		snprintf(full, sizeof(full), "%s/%s", p->area, name);
	else
		snprintf(full, sizeof(full), "%s", name);
	struct ccase *k = case_get(c, pi, full);
	if (k->res[which] == CR_NONE) {
		k->res[which] = res;
		k->line[which] = cf_strdup(line);
	}
	free(copy);
	return true;
}

/* Record every TAP line of one run; returns how many there were. */
static int tap_scan(struct conform *c, size_t pi, int which)
{
	struct buf *b = &PROG(c, pi)->run[which].out;
	int anon = 0, n = 0;

	for (char *s = b->p, *e; s && *s; s = e ? e + 1 : NULL) {
		e = strchr(s, '\n');
		char *line = cf_strndup(s, e ? (size_t)(e - s) : strlen(s));
		n += tap_line(c, pi, which, line, &anon);
		free(line);
	}
	return n;
}

/* The last non-empty line of s, for details. */
static const char *last_line(const struct buf *b, char *out, size_t n)
{
	size_t end = b->len;

	while (end && (b->p[end - 1] == '\n' || b->p[end - 1] == ' '))
		end--;
	size_t start = end;
	while (start && b->p[start - 1] != '\n')
		start--;
	snprintf(out, n, "%.*s", (int)(end - start), b->len ? b->p + start : "");
	return out;
}

/* The first line where the two runs' stdout differ, as a detail. */
static char *first_diff(const struct prog *p)
{
	const char *a = p->run[NATIVE].out.p ?: "", *b = p->run[UOS].out.p ?: "";
	char d[600];

	while (*a && *a == *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la))
			break;
		a += la + !!ea;
		b += lb + !!eb;
	}
	snprintf(d, sizeof(d), "native: \"%.*s\" uos: \"%.*s\"", (int)strcspn(a, "\n"), a,
		 (int)strcspn(b, "\n"), b);
	return cf_strdup(d);
}

/* A case missing from run `which`: timeout, or fail with how the run ended. */
static void fill_missing(struct conform *c, struct prog *p, struct ccase *k, int which)
{
	struct run *r = &p->run[which];
	char end[64], err[256], d[400];

	if (k->res[which] != CR_NONE)
		return;
	k->res[which] = r->timed_out ? CR_TIMEOUT : CR_FAIL;
	if (which != UOS || k->detail)
		return;
	describe_end(c, r, end, sizeof(end));
	snprintf(d, sizeof(d), "missing from uos output (%s); stderr: %s", end,
		 last_line(&r->err, err, sizeof(err)));
	k->detail = cf_strdup(d);
}

/* Result for a program with no TAP, or for its exit status. */
static void whole_program_case(struct conform *c, size_t pi, const char *suffix)
{
	struct prog *p = PROG(c, pi);
	char name[512], end[64], d[200];

	snprintf(name, sizeof(name), "%s/%s%s", p->area, p->base, suffix);
	struct ccase *k = case_get(c, pi, name);
	for (int w = 0; w < 2; w++) {
		struct run *r = &p->run[w];
		k->res[w] = run_passed(r) ? CR_PASS : r->timed_out ? CR_TIMEOUT : CR_FAIL;
	}
	if (k->res[UOS] == CR_PASS)
		return;
	if (*suffix) {
		describe_end(c, &p->run[UOS], end, sizeof(end));
		snprintf(d, sizeof(d), "uos: %s, every case passed", end);
		k->detail = cf_strdup(d);
	} else {
		k->detail = first_diff(p);
	}
}

/* Does the run's exit status agree with its cases (exit 0 iff none failed)? */
static bool exit_consistent(struct conform *c, struct prog *p, int which)
{
	bool failed = false;

	for (size_t i = p->first_case; i < p->first_case + p->ncases; i++)
		failed |= CASE(c, i)->res[which] == CR_FAIL || CASE(c, i)->res[which] == CR_TIMEOUT;
	return run_passed(&p->run[which]) == !failed;
}

void cf_prog_results(struct conform *c, size_t pi)
{
	struct prog *p = PROG(c, pi);
	int n;

	p->first_case = c->cases.n;
	n = tap_scan(c, pi, NATIVE) + tap_scan(c, pi, UOS);
	if (!n) {
		whole_program_case(c, pi, "");
		return;
	}
	for (size_t i = p->first_case; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		fill_missing(c, p, k, NATIVE);
		fill_missing(c, p, k, UOS);
		if (k->res[UOS] == CR_FAIL && !k->detail && k->line[UOS])
			k->detail = cf_strdup(k->line[UOS]);
	}
	if (!exit_consistent(c, p, NATIVE) || !exit_consistent(c, p, UOS))
		whole_program_case(c, pi, ":exit");
}

/* ---- known failures ---- */

int cf_known_load(struct conform *c)
{
	FILE *f = fopen(c->known_file, "re");
	char line[1024];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " \t");
		size_t n = strcspn(s, " \t\r\n");
		if (!n || *s == '#')
			continue;
		struct known *kn = cf_vec_push(&c->known, sizeof(*kn));
		kn->name = cf_strndup(s, n);
		s += n;
		s += strspn(s, " \t");
		kn->reason = cf_strndup(s, strcspn(s, "\r\n"));
	}
	fclose(f);
	return 0;
}

struct known *cf_known_find(struct conform *c, const char *name)
{
	for (size_t i = 0; i < c->known.n; i++)
		if (!strcmp(KNOWN(c, i)->name, name))
			return KNOWN(c, i);
	return NULL;
}
