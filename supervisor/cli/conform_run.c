/* `uos conform`: finding the programs and running each natively and under uos (conform_impl.h). */

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

/* ---- finding programs ---- */

static void add_prog(struct conform *c, const char *path)
{
	struct prog *p = cf_vec_push(&c->progs, sizeof(*p));
	char *dir = cf_strdup(path), *slash = strrchr(dir, '/');

	p->path = cf_strdup(path);
	p->base = cf_strdup(slash ? slash + 1 : path);
	if (slash) {
		*slash = 0;
		slash = strrchr(dir, '/');
		p->area = cf_strdup(slash ? slash + 1 : dir);
	} else {
		p->area = cf_strdup(".");
	}
	free(dir);
}

static bool is_exe(const struct stat *st)
{
	return S_ISREG(st->st_mode) && (st->st_mode & 0111);
}

/* Add path if it is an executable file, or walk it if it is a directory. */
int cf_collect(struct conform *c, const char *path, int depth)
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
			cf_collect(c, sub, depth + 1);
	}
	closedir(d);
	return 0;
}

int cf_prog_cmp(const void *a, const void *b)
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

_Noreturn void cf_child(char **argv, int out, int err)
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
		cf_child(argv, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	r->fd[0] = out[0];
	r->fd[1] = err[0];
	if (r->pid < 0)
		goto fail;
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	r->deadline = cf_now();
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
		cf_buf_add(i ? &r->err : &r->out, tmp, (size_t)n);
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
	struct timespec t = cf_now();

	if (!r->timed_out && cf_ms_between(&t, &r->deadline) > 0) {
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
struct run *cf_prog_run(struct conform *c, size_t i)
{
	return &PROG(c, i / 2)->run[i % 2];
}

/* Run get(c, 0 .. total-1), c->jobs at a time. */
void cf_run_all(struct conform *c, size_t total, struct run *(*get)(struct conform *c, size_t i))
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
