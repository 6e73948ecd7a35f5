/*
 * `uos conform`: the conformance runner.  It owns finding test programs,
 * running each one twice (natively, as a forked child of this process, and
 * under uos, the same binary found through /proc/self/exe), reading their
 * TAP output, matching the two runs case by case, and reporting: a table per
 * area, the cases that pass natively but fail under uos, JSON and JUnit
 * files, the syscall coverage from uos's own --stats dumps, and the exit
 * status gate against a known-failures list.
 *
 * It is a plain command, not part of the kernel: its state lives in one
 * struct conform on conform_main's stack.  Processes are managed with
 * fork/execve/waitpid/poll only, no threads; each run is the leader of its
 * own process group so a timeout kills the whole tree.  A program with no
 * TAP output is one case named after its file (pass = exit 0).
 */
#include "conform.h"

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

#define OUT_MAX (4u << 20) /* keep at most this much of a run's output */
#define NATIVE 0
#define UOS 1

enum cres { CR_NONE, CR_PASS, CR_FAIL, CR_TIMEOUT, CR_SKIP };

static const char *const cres_name[] = {"none", "pass", "fail", "timeout", "skip"};

struct buf {
	char *p;
	size_t len, cap;
};

struct prog;

/* One execution of a program, natively or under uos. */
struct run {
	struct prog *prog;
	int which; /* NATIVE or UOS */
	pid_t pid;
	int fd[2]; /* stdout and stderr pipes, -1 once closed */
	struct buf out, err;
	int status; /* from waitpid */
	bool timed_out, spawn_failed;
	struct timespec deadline;
	char *stats; /* uos runs: the --stats file */
	const char *arg; /* coverage probes: the one case to run, else NULL */
};

struct prog {
	char *path, *area, *base;
	struct run run[2];
	size_t first_case, ncases; /* its slice of conform.cases */
};

struct ccase {
	char *name, *area;
	enum cres res[2];
	char *line[2]; /* each run's TAP line for the case, or NULL */
	char *detail;  /* why uos differs, when it does */
	size_t prog;
	struct run *probe; /* --coverage: this case alone under uos, or NULL */
};

struct known {
	char *name, *reason;
	bool seen;
};

struct vec {
	void *p;
	size_t n, cap;
};

struct conform {
	int jobs, timeout;
	const char *json, *junit, *known_file;
	bool coverage;
	char uos[PATH_MAX];
	bool uos_init; /* uos --help lists --init */
	char tmpdir[64];
	struct vec progs, cases, known; /* struct prog, ccase, known */
	struct ccase **probe_list;      /* --coverage: the cases with a probe run */
};

static const char usage[] =
	"usage: uos conform [--jobs N] [--timeout S] [--json FILE] [--junit FILE]\n"
	"                   [--coverage] [--known FILE] PATH...\n"
	"Run each test program under PATH (a file, or a directory searched\n"
	"recursively for executables) natively and under uos, compare their TAP\n"
	"results, and print a table per area.  Exit 0 when every case that passes\n"
	"natively also passes under uos or is listed in the --known file.\n";

/* ---- small helpers ---- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("uos conform: out of memory\n", stderr);
		exit(125);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

/* Append one zeroed element of size sz to v; returns it. */
static void *vec_push(struct vec *v, size_t sz)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->p = xrealloc(v->p, v->cap * sz);
	}
	void *e = (char *)v->p + v->n++ * sz;
	memset(e, 0, sz);
	return e;
}

#define PROG(c, i) (&((struct prog *)(c)->progs.p)[i])
#define CASE(c, i) (&((struct ccase *)(c)->cases.p)[i])
#define KNOWN(c, i) (&((struct known *)(c)->known.p)[i])

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > OUT_MAX)
		n = OUT_MAX - b->len;
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static double ts_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) * 1e3 + (a->tv_nsec - b->tv_nsec) / 1e6;
}

static struct timespec now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

/* ---- finding programs ---- */

static void add_prog(struct conform *c, const char *path)
{
	struct prog *p = vec_push(&c->progs, sizeof(*p));
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	p->path = xstrdup(path);
	p->base = xstrdup(slash ? slash + 1 : path);
	if (slash) {
		*slash = 0;
		slash = strrchr(dir, '/');
		p->area = xstrdup(slash ? slash + 1 : dir);
	} else {
		p->area = xstrdup(".");
	}
	free(dir);
}

static bool is_exe(const struct stat *st)
{
	return S_ISREG(st->st_mode) && (st->st_mode & 0111);
}

/* Add path if it is an executable file, or walk it if it is a directory. */
static int collect(struct conform *c, const char *path, int depth)
{
	struct stat st;
	if (stat(path, &st) < 0 || depth > 32)
		return -errno;
	if (is_exe(&st)) {
		add_prog(c, path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return depth ? 0 : -ENOEXEC;
	DIR *d = opendir(path);
	if (!d)
		return -errno;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) < (int)sizeof(sub))
			collect(c, sub, depth + 1);
	}
	closedir(d);
	return 0;
}

static int prog_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prog *)a)->path, ((const struct prog *)b)->path);
}

/* ---- running ---- */

/* The argv of r: the program itself, or uos [--init] --stats=F -- program. */
static void run_argv(struct conform *c, struct run *r, char **argv, char *statsopt, size_t n)
{
	int i = 0;

	if (r->which == UOS) {
		argv[i++] = c->uos;
		if (c->uos_init)
			argv[i++] = "--init";
		snprintf(statsopt, n, "--stats=%s", r->stats);
		argv[i++] = statsopt;
		argv[i++] = "--";
	}
	argv[i++] = r->prog->path;
	if (r->arg)
		argv[i++] = (char *)r->arg;
	argv[i] = NULL;
}

static _Noreturn void child(char **argv, int out, int err)
{
	int null = open("/dev/null", O_RDONLY);

	setsid(); /* own session and process group: no controlling tty, one kill ends all */
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	execv(argv[0], argv);
	fprintf(stderr, "uos conform: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Start r; on failure it is marked finished with spawn_failed. */
static void run_start(struct conform *c, struct run *r)
{
	char *argv[8], statsopt[PATH_MAX + 16];
	int out[2], err[2];

	run_argv(c, r, argv, statsopt, sizeof(statsopt));
	r->fd[0] = r->fd[1] = -1;
	if (pipe2(out, O_CLOEXEC) < 0)
		goto fail;
	if (pipe2(err, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	r->pid = fork();
	if (r->pid == 0)
		child(argv, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	r->fd[0] = out[0];
	r->fd[1] = err[0];
	if (r->pid < 0)
		goto fail;
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	r->deadline = now();
	r->deadline.tv_sec += c->timeout;
	return;
fail:
	for (int i = 0; i < 2; i++)
		if (r->fd[i] >= 0)
			close(r->fd[i]);
	r->fd[0] = r->fd[1] = -1;
	r->pid = -1;
	r->spawn_failed = true;
}

/* Read what is available on r's pipe i; close it at EOF. */
static void run_read(struct run *r, int i)
{
	char tmp[65536];
	ssize_t n;

	while ((n = read(r->fd[i], tmp, sizeof(tmp))) > 0)
		buf_add(i ? &r->err : &r->out, tmp, (size_t)n);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(r->fd[i]);
		r->fd[i] = -1;
	}
}

/* Wait up to 100 ms for output from the active runs and read it. */
static void poll_active(struct run **act, int nact)
{
	struct pollfd pfd[2 * nact + 1];
	struct run *who[2 * nact + 1];
	int which[2 * nact + 1], n = 0;

	for (int i = 0; i < nact; i++)
		for (int j = 0; j < 2; j++)
			if (act[i]->fd[j] >= 0) {
				pfd[n] = (struct pollfd){.fd = act[i]->fd[j], .events = POLLIN};
				who[n] = act[i];
				which[n++] = j;
			}
	if (poll(pfd, n, 100) <= 0)
		return;
	for (int i = 0; i < n; i++)
		if (pfd[i].revents)
			run_read(who[i], which[i]);
}

/* Has r finished?  Kills it at its deadline; reaps and drains it at exit. */
static bool run_reap(struct run *r)
{
	struct timespec t = now();

	if (!r->timed_out && ts_diff_ms(&t, &r->deadline) > 0) {
		kill(-r->pid, SIGKILL);
		r->timed_out = true;
	}
	if (waitpid(r->pid, &r->status, WNOHANG) != r->pid)
		return false;
	for (int i = 0; i < 2; i++) {
		if (r->fd[i] < 0)
			continue;
		run_read(r, i); /* data written before exit; leftovers may hold the pipe */
		if (r->fd[i] >= 0)
			close(r->fd[i]);
		r->fd[i] = -1;
	}
	kill(-r->pid, SIGKILL); /* descendants left behind */
	return true;
}

/* The i-th run of the first pass: each program natively, then under uos. */
static struct run *prog_run(struct conform *c, size_t i)
{
	return &PROG(c, i / 2)->run[i % 2];
}

/* Run get(c, 0 .. total-1), c->jobs at a time. */
static void run_all(struct conform *c, size_t total,
		    struct run *(*get)(struct conform *c, size_t i))
{
	size_t next = 0;
	struct run *act[c->jobs];
	int nact = 0;

	while (next < total || nact) {
		while (nact < c->jobs && next < total) {
			struct run *r = get(c, next++);
			run_start(c, r);
			if (!r->spawn_failed)
				act[nact++] = r;
		}
		poll_active(act, nact);
		for (int i = 0; i < nact; i++)
			if (run_reap(act[i]))
				act[i--] = act[--nact];
	}
}

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
	struct ccase *k = vec_push(&c->cases, sizeof(*k));
	const char *slash = strchr(name, '/');
	k->name = xstrdup(name);
	k->area = slash ? xstrndup(name, (size_t)(slash - name)) : xstrdup(p->area);
	k->prog = pi;
	p->ncases++;
	return k;
}

/* Record one TAP line of run `which` of prog pi; false if it is none. */
static bool tap_line(struct conform *c, size_t pi, int which, const char *line, int *anon)
{
	char *copy = xstrdup(line), *name, full[512];
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
		k->line[which] = xstrdup(line);
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
		char *line = xstrndup(s, e ? (size_t)(e - s) : strlen(s));
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
	return xstrdup(d);
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
	k->detail = xstrdup(d);
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
		k->detail = xstrdup(d);
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

static void prog_results(struct conform *c, size_t pi)
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
			k->detail = xstrdup(k->line[UOS]);
	}
	if (!exit_consistent(c, p, NATIVE) || !exit_consistent(c, p, UOS))
		whole_program_case(c, pi, ":exit");
}

/* ---- known failures ---- */

static int known_load(struct conform *c)
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
		struct known *kn = vec_push(&c->known, sizeof(*kn));
		kn->name = xstrndup(s, n);
		s += n;
		s += strspn(s, " \t");
		kn->reason = xstrndup(s, strcspn(s, "\r\n"));
	}
	fclose(f);
	return 0;
}

static struct known *known_find(struct conform *c, const char *name)
{
	for (size_t i = 0; i < c->known.n; i++)
		if (!strcmp(KNOWN(c, i)->name, name))
			return KNOWN(c, i);
	return NULL;
}

/* ---- reports ---- */

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

static void print_table(struct conform *c)
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
static int print_failures(struct conform *c)
{
	int fresh = 0, known = 0;

	for (size_t i = 0; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		struct known *kn = known_find(c, k->name);
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

static void print_notes(struct conform *c)
{
	for (size_t i = 0; i < c->cases.n; i++) {
		struct ccase *k = CASE(c, i);
		if (k->res[NATIVE] == CR_FAIL || k->res[NATIVE] == CR_TIMEOUT)
			printf("fails natively (a wrong test?): %s: %s\n", k->name,
			       k->line[NATIVE] ? k->line[NATIVE] : cres_name[k->res[NATIVE]]);
		struct known *kn = known_find(c, k->name);
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

static int write_json(struct conform *c)
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

static int write_junit(struct conform *c)
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

/* ---- coverage ---- */

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
		k->probe = xrealloc(NULL, sizeof(*k->probe));
		*k->probe = (struct run){.prog = p, .which = UOS, .arg = slash ? slash + 1 : k->name};
		snprintf(path, sizeof(path), "%s/case-%zu.json", c->tmpdir, i);
		k->probe->stats = xstrdup(path);
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
	struct ccase **with = xrealloc(NULL, (n + 1) * sizeof(*with));
	size_t j = 0;
	for (size_t i = 0; i < c->cases.n; i++)
		if (CASE(c, i)->probe)
			with[j++] = CASE(c, i);
	c->probe_list = with;
	run_all(c, n, probe_at);
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

static void print_coverage(struct conform *c)
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

/* ---- setup ---- */

/* Does `uos --help` list --init?  Then tests run as a child of uos's init. */
static bool uos_has_init(const char *uos)
{
	int p[2];
	char buf[8192];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return false;
	pid = fork();
	if (pid == 0) {
		char *argv[] = {(char *)uos, "--help", NULL};
		child(argv, p[1], p[1]);
	}
	close(p[1]);
	while (pid > 0 && len < sizeof(buf) - 1 && (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	buf[len] = 0;
	return strstr(buf, "--init") != NULL;
}

static int parse_args(struct conform *c, int argc, char **argv)
{
	enum { O_JOBS = 256, O_TIMEOUT, O_JSON, O_JUNIT, O_COVERAGE, O_KNOWN, O_HELP };
	static const struct option longopts[] = {
		{"jobs", required_argument, NULL, O_JOBS},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"json", required_argument, NULL, O_JSON},
		{"junit", required_argument, NULL, O_JUNIT},
		{"coverage", no_argument, NULL, O_COVERAGE},
		{"known", required_argument, NULL, O_KNOWN},
		{"help", no_argument, NULL, O_HELP},
		{0},
	};
	int o;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+j:", longopts, NULL)) != -1) {
		switch (o) {
		case 'j':
		case O_JOBS:
			c->jobs = atoi(optarg);
			break;
		case O_TIMEOUT:
			c->timeout = atoi(optarg);
			break;
		case O_JSON:
			c->json = optarg;
			break;
		case O_JUNIT:
			c->junit = optarg;
			break;
		case O_COVERAGE:
			c->coverage = true;
			break;
		case O_KNOWN:
			c->known_file = optarg;
			break;
		case O_HELP:
			fputs(usage, stdout);
			exit(0);
		default:
			fprintf(stderr, "uos conform: bad option '%s'\n%s", argv[optind - 1], usage);
			return -EINVAL;
		}
	}
	if (c->jobs < 1 || c->timeout < 1 || optind >= argc) {
		fprintf(stderr, "uos conform: %s\n%s",
			optind >= argc ? "missing PATH" : "--jobs and --timeout must be >= 1", usage);
		return -EINVAL;
	}
	return optind;
}

static int setup(struct conform *c, int argc, char **argv, int first)
{
	ssize_t n = readlink("/proc/self/exe", c->uos, sizeof(c->uos) - 1);

	if (n < 0)
		return -errno;
	c->uos[n] = 0;
	c->uos_init = uos_has_init(c->uos);
	strcpy(c->tmpdir, "/tmp/uos-conform.XXXXXX");
	if (!mkdtemp(c->tmpdir))
		return -errno;
	for (int i = first; i < argc; i++) {
		int r = collect(c, argv[i], 0);
		if (r < 0) {
			fprintf(stderr, "uos conform: %s: %s\n", argv[i], strerror(-r));
			return r;
		}
	}
	qsort(c->progs.p, c->progs.n, sizeof(struct prog), prog_cmp);
	for (size_t i = 0; i < c->progs.n; i++) {
		char path[128];
		struct prog *p = PROG(c, i);
		snprintf(path, sizeof(path), "%s/stats-%zu.json", c->tmpdir, i);
		p->run[UOS].stats = xstrdup(path);
		for (int w = 0; w < 2; w++) {
			p->run[w].prog = p;
			p->run[w].which = w;
		}
	}
	return 0;
}

static void cleanup(struct conform *c)
{
	for (size_t i = 0; i < c->progs.n; i++)
		unlink(PROG(c, i)->run[UOS].stats);
	rmdir(c->tmpdir);
}

/* Write the optional outputs; returns 0 or -errno of the first failure. */
static int outputs(struct conform *c)
{
	int r;

	if (c->coverage)
		print_coverage(c);
	if (c->json && (r = write_json(c)) < 0) {
		fprintf(stderr, "uos conform: %s: %s\n", c->json, strerror(-r));
		return r;
	}
	if (c->junit && (r = write_junit(c)) < 0) {
		fprintf(stderr, "uos conform: %s: %s\n", c->junit, strerror(-r));
		return r;
	}
	return 0;
}

int conform_main(int argc, char **argv)
{
	struct conform conf = {.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), .timeout = 30};
	struct conform *c = &conf;
	int first = parse_args(c, argc, argv), fresh;

	if (first < 0)
		return 2;
	if (c->known_file && known_load(c) < 0) {
		fprintf(stderr, "uos conform: %s: %s\n", c->known_file, strerror(errno));
		return 2;
	}
	if (setup(c, argc, argv, first) < 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	printf("uos conform: %zu programs, %d at a time, timeout %d s; under uos %s\n",
	       c->progs.n, c->jobs, c->timeout,
	       c->uos_init ? "with --init" : "as PID 1 (uos has no --init yet)");
	fflush(stdout);
	run_all(c, 2 * c->progs.n, prog_run);
	for (size_t i = 0; i < c->progs.n; i++)
		prog_results(c, i);
	print_table(c);
	fresh = print_failures(c);
	print_notes(c);
	int r = outputs(c);
	cleanup(c);
	if (fresh)
		printf("\nFAIL: %d case(s) pass natively but not under uos and are not known failures\n",
		       fresh);
	return fresh || r < 0 ? 1 : 0;
}
