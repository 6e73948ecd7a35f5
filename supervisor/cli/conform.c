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

#include "conform_impl.h"

static const char usage[] =
	"usage: uos conform [--jobs N] [--timeout S] [--json FILE] [--junit FILE]\n"
	"                   [--coverage] [--known FILE] PATH...\n"
	"Run each test program under PATH (a file, or a directory searched\n"
	"recursively for executables) natively and under uos, compare their TAP\n"
	"results, and print a table per area.  Exit 0 when every case that passes\n"
	"natively also passes under uos or is listed in the --known file.\n";

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
		cf_child(argv, p[1], p[1]);
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
		int r = cf_collect(c, argv[i], 0);
		if (r < 0) {
			fprintf(stderr, "uos conform: %s: %s\n", argv[i], strerror(-r));
			return r;
		}
	}
	qsort(c->progs.p, c->progs.n, sizeof(struct prog), cf_prog_cmp);
	for (size_t i = 0; i < c->progs.n; i++) {
		char path[128];
		struct prog *p = PROG(c, i);
		snprintf(path, sizeof(path), "%s/stats-%zu.json", c->tmpdir, i);
		p->run[UOS].stats = cf_strdup(path);
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
		cf_print_coverage(c);
	if (c->json && (r = cf_write_json(c)) < 0) {
		fprintf(stderr, "uos conform: %s: %s\n", c->json, strerror(-r));
		return r;
	}
	if (c->junit && (r = cf_write_junit(c)) < 0) {
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
	if (c->known_file && cf_known_load(c) < 0) {
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
	cf_run_all(c, 2 * c->progs.n, cf_prog_run);
	for (size_t i = 0; i < c->progs.n; i++)
		cf_prog_results(c, i);
	cf_print_table(c);
	fresh = cf_print_failures(c);
	cf_print_notes(c);
	int r = outputs(c);
	cleanup(c);
	if (fresh)
		printf("\nFAIL: %d case(s) pass natively but not under uos and are not known failures\n",
		       fresh);
	return fresh || r < 0 ? 1 : 0;
}
