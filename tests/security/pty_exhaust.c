/*
 * pty_exhaust count|memory: exhaust uos's pseudo-terminals (vfs/devpts.c:
 * at most 1024 pairs per uos, their queues charged as pipe pages).
 *
 *   count   /dev/ptmx opened until it fails: ENOSPC at or before 1024 pairs
 *           ("opened N, then ERR").  While every pair is taken: getpid,
 *           /dev/pts listed (N names and ptmx), a slave opened, a child's
 *           open of ptmx fails too; then all closed, and one opens again
 *           as /dev/pts/0.  Again, to the same count (nothing leaked).
 *           Across processes: the parent holds 500, a child gets the rest
 *           and exits (or is SIGKILLed) holding them; the parent gets them
 *           back.  Pairs whose queues are full both ways closed master
 *           first (the hangup), then slave: their numbers are free again.
 *   memory  (run with --memory 64M) pipes filled until a write gives ENOMEM;
 *           then ptmx fails with ENOMEM; a few pipes freed: pairs open
 *           (each filled both ways: slave writes until EAGAIN, master
 *           writes until EAGAIN) until ENOMEM again; every pipe freed:
 *           pairs until ENOSPC or ENOMEM; then everything closed and a
 *           pair and a pipe work again.
 *   idle    nothing (uos's own size, for pty_exhaust.sh's bound).
 *
 * Each line says what happened; "BAD ..." lines are failures, and the last
 * line is "pty_exhaust MODE: done, N bad".  pty_exhaust.sh judges that and
 * the host side (uos's resident memory, its exit).
 */
#include "sec.h"

#include <dirent.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <termios.h>

#define MAX_PAIRS 1024 /* vfs/devpts.c's DEVPTS_MAX */
#define TRY_MAX 5000   /* opens tried: past any bound uos could have */

static int bad;

__attribute__((format(printf, 1, 2))) static void bad_line(const char *fmt, ...)
{
	char buf[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("BAD %s\n", buf);
	bad++;
}

static const char *en(int e)
{
	return strerrorname_np(e) ? strerrorname_np(e) : "E?";
}

static int open_master(void)
{
	return open("/dev/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
}

/* The slave of master m (unlocked first), O_NONBLOCK. */
static int open_slave(int m)
{
	int unlock = 0;

	if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
		return -1;
	return ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
}

/* Open masters into fds[] until an open fails (or max); the count, the errno in *err. */
static int open_until_fail(int *fds, int max, int *err)
{
	int n = 0;

	*err = 0;
	while (n < max) {
		int m = open_master();
		if (m < 0) {
			*err = errno;
			break;
		}
		fds[n++] = m;
	}
	return n;
}

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* Write fd until a write fails; the bytes written, the failure's errno in *err. */
static long fill(int fd, int *err)
{
	static char buf[65536];
	long total = 0, w;

	memset(buf, 'x', sizeof(buf));
	while ((w = write(fd, buf, sizeof(buf))) > 0)
		total += w;
	*err = w < 0 ? errno : 0;
	return total;
}

/* A pair whose queues are full: raw mode (every byte kept), the slave's output and its input. */
static int fill_pair(int m, long *bytes)
{
	struct termios tio;
	int s = open_slave(m), e1, e2;

	if (s < 0)
		return -errno;
	if (tcgetattr(s, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(s, TCSANOW, &tio);
	}
	*bytes += fill(s, &e1);
	*bytes += fill(m, &e2);
	close(s);
	if (e1 != EAGAIN || e2 != EAGAIN)
		return -(e1 != EAGAIN ? e1 : e2);
	return 0;
}

static unsigned ptn(int m)
{
	unsigned n = ~0u;
	ioctl(m, TIOCGPTN, &n);
	return n;
}

/* uos still answers: a thousand getpids, and a pipe round trip (unless the memory is taken). */
static void responsive(const char *when, bool pipe_too)
{
	int p[2];
	char c = 0;
	pid_t me = getpid();
	long long t0 = sec_now_ns();

	for (int i = 0; i < 1000; i++)
		if (getpid() != me) {
			bad_line("%s: getpid changed", when);
			return;
		}
	if (pipe_too) {
		if (pipe(p) < 0 || write(p[1], "k", 1) != 1 || read(p[0], &c, 1) != 1 || c != 'k')
			bad_line("%s: a pipe round trip failed: %s", when, en(errno));
		close(p[0]);
		close(p[1]);
	}
	long long ms = (sec_now_ns() - t0) / 1000000;
	if (ms > 5000)
		bad_line("%s: 1000 getpids and a pipe took %lld ms", when, ms);
	say("%s: uos answers\n", when);
}

/* Names in /dev/pts: the numbers and ptmx. */
static int count_pts(int *has_ptmx)
{
	DIR *d = opendir("/dev/pts");
	struct dirent *e;
	int n = 0;

	*has_ptmx = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, "ptmx"))
			*has_ptmx = 1;
		else if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			n++;
	}
	closedir(d);
	return n;
}

static void raise_nofile(void)
{
	struct rlimit r;

	getrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = r.rlim_max < 8192 ? r.rlim_max : 8192;
	setrlimit(RLIMIT_NOFILE, &r);
	if (r.rlim_cur < 2 * MAX_PAIRS + 64)
		bad_line("RLIMIT_NOFILE %ld: too low to reach the bound", (long)r.rlim_cur);
}

/* One child: open masters until failure, say how many and why, then end as told. */
static void child_takes_rest(int expect, bool sigkill)
{
	int p[2];
	pid_t c;

	if (pipe(p) < 0)
		return;
	c = fork();
	if (c == 0) {
		static int fds[TRY_MAX];
		int err, n = open_until_fail(fds, TRY_MAX, &err);
		int msg[2] = {n, err};
		(void)!write(p[1], msg, sizeof(msg));
		if (sigkill)
			pause(); /* the parent kills it holding them */
		_exit(0);	 /* exit closes them */
	}
	close(p[1]);
	int msg[2] = {-1, 0};
	if (read(p[0], msg, sizeof(msg)) != sizeof(msg))
		bad_line("the child said nothing");
	close(p[0]);
	say("a child, the parent holding %d: opened %d, then %s\n", MAX_PAIRS - expect, msg[0],
	    en(msg[1]));
	if (msg[0] != expect || msg[1] != ENOSPC)
		bad_line("the child opened %d (%s), not %d then ENOSPC", msg[0], en(msg[1]),
			 expect);
	if (sigkill)
		kill(c, SIGKILL);
	int st;
	waitpid(c, &st, 0);
}

static int count_mode(void)
{
	static int fds[TRY_MAX];
	int err, n, n2, has_ptmx;

	raise_nofile();
	n = open_until_fail(fds, TRY_MAX, &err);
	say("opened %d, then %s\n", n, en(err));
	if (n > MAX_PAIRS)
		bad_line("more than %d pairs: %d", MAX_PAIRS, n);
	if (err != ENOSPC && err != ENOMEM)
		bad_line("the open past the bound gave %s, not ENOSPC (or ENOMEM)", en(err));
	if (n < 100)
		bad_line("only %d pairs opened", n);

	/* Everything is taken: uos answers, /dev/pts lists them, a slave opens, others fail too. */
	responsive("all pairs taken", true);
	int listed = count_pts(&has_ptmx);
	say("/dev/pts lists %d pairs%s\n", listed, has_ptmx ? " and ptmx" : ", no ptmx");
	if (listed != n || !has_ptmx)
		bad_line("/dev/pts lists %d pairs (ptmx %d), not %d", listed, has_ptmx, n);
	int s = n ? open_slave(fds[n - 1]) : -1;
	if (s < 0)
		bad_line("the last pair's slave does not open: %s", en(errno));
	else if (write(s, "ok\n", 3) != 3)
		bad_line("the last pair's slave takes no write: %s", en(errno));
	close(s);
	pid_t c = fork();
	if (c == 0)
		_exit(open_master() < 0 && errno == err ? 0 : 1);
	int st = -1;
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		bad_line("a child's open of ptmx while all are taken did not fail the same way");
	else
		say("a child's open fails the same way\n");

	/* All closed: the first number is free again; the bound comes back at the same count. */
	close_all(fds, n);
	int m = open_master();
	if (m < 0 || ptn(m) != 0)
		bad_line("after closing all: open %d (%s), number %u", m, m < 0 ? en(errno) : "ok",
			 m < 0 ? 0 : ptn(m));
	else
		say("after closing all: ptmx opens as /dev/pts/0\n");
	close(m);
	n2 = open_until_fail(fds, TRY_MAX, &err);
	say("again: opened %d, then %s\n", n2, en(err));
	if (n2 != n)
		bad_line("the second round opened %d, the first %d (leaked pairs?)", n2, n);
	close_all(fds, n2);

	/* The bound is uos's, not a process's: a child gets what the parent left, and gives it
	 * back. */
	if (n == MAX_PAIRS) {
		int held = open_until_fail(fds, 500, &err);
		child_takes_rest(MAX_PAIRS - held, false);
		child_takes_rest(MAX_PAIRS - held, true);
		close_all(fds, held);
	}

	/* Pairs full both ways, closed master first (hangup) or slave first: their numbers come
	 * back. */
	long bytes = 0;
	for (int round = 0; round < 2; round++) {
		int k = 0;
		for (; k < 64; k++) {
			fds[k] = open_master();
			if (fds[k] < 0) {
				bad_line("full pairs: open %d: %s", k, en(errno));
				break;
			}
			int s2 = open_slave(fds[k]);
			struct termios tio;
			if (s2 < 0 || tcgetattr(s2, &tio) < 0) {
				bad_line("full pairs: slave %d: %s", k, en(errno));
				close(s2);
				continue;
			}
			cfmakeraw(&tio);
			tcsetattr(s2, TCSANOW, &tio);
			int e1, e2;
			bytes += fill(s2, &e1) + fill(fds[k], &e2);
			if (e1 != EAGAIN || e2 != EAGAIN)
				bad_line("full pairs: filling gave %s / %s", en(e1), en(e2));
			if (round == 0) {
				close(fds[k]);
				char b[16];
				long r = read(s2, b, sizeof(b));
				if (r != 0 || write(s2, "x", 1) != -1 || errno != EIO)
					bad_line(
					    "full pairs: a hung-up slave reads %ld, writes no EIO",
					    r);
				close(s2);
			} else {
				close(s2);
			}
		}
		if (round == 1)
			close_all(fds, k);
	}
	m = open_master();
	if (m < 0 || ptn(m) != 0)
		bad_line("after the full pairs: open %d, number %u", m, m < 0 ? 0 : ptn(m));
	close(m);
	say("full pairs closed either way (%ld bytes queued): their numbers are free\n", bytes);
	responsive("at the end", true);
	return 0;
}

struct pipe_set {
	int (*p)[2];
	int n;
};

/* Pipes filled until a write gives something other than EAGAIN (ENOMEM at the memory bound). */
static int fill_pipes(struct pipe_set *ps, int max)
{
	int err = 0;

	ps->p = calloc((size_t)max, sizeof(*ps->p));
	for (ps->n = 0; ps->n < max; ps->n++) {
		int *q = ps->p[ps->n];
		if (pipe2(q, O_NONBLOCK | O_CLOEXEC) < 0) {
			err = errno;
			break;
		}
		int e;
		fill(q[1], &e);
		if (e != EAGAIN) {
			err = e;
			ps->n++;
			break;
		}
	}
	return err;
}

static void free_pipes(struct pipe_set *ps, int from, int to)
{
	for (int i = from; i < to && i < ps->n; i++) {
		close(ps->p[i][0]);
		close(ps->p[i][1]);
	}
}

/* Pairs opened and filled until something fails: how many; the failure in *err. */
static int filled_pairs(int *fds, int start, int *err, long *bytes)
{
	int n = start;

	*err = 0;
	while (n < TRY_MAX) {
		int m = open_master();
		if (m < 0) {
			*err = errno;
			break;
		}
		fds[n++] = m;
		int r = fill_pair(m, bytes);
		if (r) {
			*err = -r;
			break;
		}
	}
	return n - start;
}

static int memory_mode(void)
{
	static int fds[TRY_MAX];
	struct pipe_set ps;
	long bytes = 0;
	int err, n, n2;

	raise_nofile();
	err = fill_pipes(&ps, 4000);
	say("pipes filled: %d, then %s\n", ps.n, en(err));
	if (err != ENOMEM)
		bad_line("filling pipes under --memory ended with %s, not ENOMEM", en(err));
	int m = open_master();
	say("ptmx with the memory taken: %s\n", m < 0 ? en(errno) : "opened");
	if (m >= 0 || errno != ENOMEM)
		bad_line("ptmx with the memory taken: %s, not ENOMEM",
			 m < 0 ? en(errno) : "opened");
	close(m);
	responsive("memory taken", false);

	free_pipes(&ps, 0, 8);
	n = filled_pairs(fds, 0, &err, &bytes);
	say("8 pipes freed: %s pairs opened and filled, then %s\n", n > 0 ? "some" : "no", en(err));
	if (n < 1 || err != ENOMEM)
		bad_line("8 pipes freed: %d pairs, then %s (not some, then ENOMEM)", n, en(err));

	free_pipes(&ps, 8, ps.n);
	n2 = filled_pairs(fds, n, &err, &bytes);
	say("every pipe freed: pairs opened and filled up to %s, then %s\n",
	    n + n2 == MAX_PAIRS ? "the bound" : "less", en(err));
	if (n + n2 > MAX_PAIRS || (err != ENOSPC && err != ENOMEM))
		bad_line("every pipe freed: %d pairs then %s", n + n2, en(err));
	responsive("pairs full", true);
	usleep(200000); /* hold the peak for sec_run's sampler (0.1 s) */
	close_all(fds, n + n2);

	m = open_master();
	int s = m >= 0 ? open_slave(m) : -1;
	if (m < 0 || s < 0 || write(s, "x\n", 2) != 2)
		bad_line("after closing: a pair does not work: %s", en(errno));
	else
		say("after closing everything: a pair works\n");
	close(s);
	close(m);
	err = fill_pipes(&ps, 4);
	if (ps.n != 4 || err)
		bad_line("after closing: pipes fill %d, %s", ps.n, en(err));
	responsive("at the end", true);
	(void)bytes;
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "count"))
		count_mode();
	else if (!strcmp(mode, "memory"))
		memory_mode();
	else if (!strcmp(mode, "idle"))
		return usleep(500000),
		       0; /* pty_exhaust.sh's measure of uos alone (sampled every 0.1 s) */
	else {
		fprintf(stderr, "usage: pty_exhaust count|memory\n");
		return 2;
	}
	say("pty_exhaust %s: done, %d bad\n", mode, bad);
	return bad ? 1 : 0;
}
