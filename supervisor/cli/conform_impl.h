/*
 * The conformance runner's own types and the functions its files share
 * (conform.c: options and the order of the work; conform_run.c: finding and
 * running programs; conform_results.c: reading TAP and the known failures;
 * conform_report.c: tables, JSON, JUnit; conform_coverage.c: --coverage;
 * conform_util.c: allocation and buffers).
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#define OUT_MAX (4u << 20) /* keep at most this much of a run's output */
#define NATIVE 0
#define UOS 1

enum cres { CR_NONE, CR_PASS, CR_FAIL, CR_TIMEOUT, CR_SKIP };

extern const char *const cres_name[];

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

#define PROG(c, i) (&((struct prog *)(c)->progs.p)[i])
#define CASE(c, i) (&((struct ccase *)(c)->cases.p)[i])
#define KNOWN(c, i) (&((struct known *)(c)->known.p)[i])

/* realloc, strdup and strndup that end uos conform (status 125) when memory runs out. */
void *cf_realloc(void *p, size_t n);
char *cf_strdup(const char *s);
char *cf_strndup(const char *s, size_t n);
/* Append one zeroed element of size sz to v; returns it. */
void *cf_vec_push(struct vec *v, size_t sz);
/* Append n bytes to b, keeping at most OUT_MAX; b->p stays NUL-terminated. */
void cf_buf_add(struct buf *b, const char *s, size_t n);
/* a - b in milliseconds; CLOCK_MONOTONIC now. */
double cf_ms_between(const struct timespec *a, const struct timespec *b);
struct timespec cf_now(void);
/* Add path if it is an executable file, or walk it if it is a directory. */
int cf_collect(struct conform *c, const char *path, int depth);
/* qsort order of programs: by path. */
int cf_prog_cmp(const void *a, const void *b);
/* In a forked child: stdin /dev/null, stdout out, stderr err, a session of its own; exec argv. */
_Noreturn void cf_child(char **argv, int out, int err);
/* The i-th run of the first pass: each program natively, then under uos. */
struct run *cf_prog_run(struct conform *c, size_t i);
/* Run get(c, 0 .. total-1), c->jobs at a time. */
void cf_run_all(struct conform *c, size_t total, struct run *(*get)(struct conform *c, size_t i));
/* Read program pi's two runs into cases, matched by name. */
void cf_prog_results(struct conform *c, size_t pi);
/* Load --known's list (a case's name, then its reason, per line); 0 or -errno. */
int cf_known_load(struct conform *c);
/* The known failure called name, or NULL. */
struct known *cf_known_find(struct conform *c, const char *name);
/* The table per area, and the totals. */
void cf_print_table(struct conform *c);
/* The failure list and the gate; returns the number of new failures. */
int cf_print_failures(struct conform *c);
/* Cases failing natively, known failures that now pass, and those that named no case. */
void cf_print_notes(struct conform *c);
/* --json and --junit: every case with both runs' results; 0 or -errno. */
int cf_write_json(struct conform *c);
int cf_write_junit(struct conform *c);
/* --coverage: run each case alone under uos and name the FULL rows no case reached. */
void cf_print_coverage(struct conform *c);
