/*
 * pty_wedge term|ignore: threads blocked on full pseudo-terminals must not
 * wedge uos.
 *
 * Threads of the guest block in uos's terminals: one writes to a slave whose
 * master nobody reads (the output queue fills, then the write waits), one
 * writes to a master in raw mode whose slave nobody reads (the input queue
 * fills), one reads a slave nobody writes to, one reads with VMIN 0 and
 * VTIME 255 (a 25.5 s timer).  Meanwhile the main thread does everything
 * else: a getpid loop (it must progress: "getpid progresses in 1 s"), pipe
 * round trips, fork and wait, opens of new pairs.  Then the blocked ones are
 * released: the VTIME reader by a byte, the slave's writer by its master's
 * close (EIO), the slave's reader by its master's close (end-of-file; Linux
 * says EIO to a reader that was waiting, 0 to later ones), the master's
 * writer by a signal (as on Linux, the slave's close does not end its wait).
 * Then the threads block again and the
 * program says "READY" and keeps calling getpid; pty_wedge.sh sends SIGTERM
 * to uos, which must end within its stop timeout: at once (the guest dies
 * of SIGTERM, 143) or, with `ignore` (SIGTERM ignored), after --stop-timeout
 * with 137.
 */
#include "sec.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <termios.h>

static int bad;

static const char *en(int e)
{
	return strerrorname_np(e) ? strerrorname_np(e) : "E?";
}

struct blocker {
	pthread_t th;
	const char *what;
	int fd;		   /* a blocking description */
	bool write_it;	   /* write until it blocks, else one read */
	_Atomic bool stop; /* a writer returns after its next (interrupted) write */
	_Atomic int state; /* 0 running, 1 in the call that blocks (or about to be), 2 returned */
	long result;
	int err;
};

static void on_usr1(int sig)
{
	(void)sig;
}

static void *blocker_run(void *arg)
{
	struct blocker *b = arg;
	static char buf[65536];

	memset(buf, 'w', sizeof(buf));
	for (;;) {
		atomic_store(&b->state, 1);
		long r =
		    b->write_it ? write(b->fd, buf, sizeof(buf)) : read(b->fd, buf, sizeof(buf));
		if (r <= 0 || !b->write_it || atomic_load(&b->stop)) {
			b->result = r;
			b->err = r < 0 ? errno : 0;
			atomic_store(&b->state, 2);
			return NULL;
		}
	}
}

static void start(struct blocker *b, const char *what, int fd, bool write_it)
{
	*b = (struct blocker){.what = what, .fd = fd, .write_it = write_it};
	pthread_create(&b->th, NULL, blocker_run, b);
}

/*
 * Wait (at most 20 s) until b returned; say how.  want -2: any count or EINTR (a write
 * interrupted by a signal); -3: 0 or EIO (a reader of a slave whose master closed).
 */
static void released(struct blocker *b, const char *how, long want, int want_err, bool signal_it)
{
	long long end = sec_now_ns() + 20000000000LL;
	while (atomic_load(&b->state) != 2 && sec_now_ns() < end) {
		if (signal_it) /* again and again: one that came before the call blocked is lost */
			pthread_kill(b->th, SIGUSR1);
		usleep(1000);
	}
	if (atomic_load(&b->state) != 2) {
		say("BAD %s: still blocked 20 s after %s\n", b->what, how);
		bad++;
		return;
	}
	pthread_join(b->th, NULL);
	say("%s, after %s: %s\n", b->what, how,
	    b->result > 0    ? "a count"
	    : b->result == 0 ? "0"
			     : en(b->err));
	bool good = want == -2	 ? b->result > 0 || b->err == EINTR
		    : want == -3 ? b->result == 0 || b->err == EIO
				 : b->result == want && b->err == want_err;
	if (!good) {
		say("BAD %s: %ld %s, not %ld %s\n", b->what, b->result, en(b->err), want,
		    want_err ? en(want_err) : "");
		bad++;
	}
}

/* A pair: master and slave, blocking descriptions, the slave raw (bytes in, bytes out). */
static int pair(int *m, int *s, int vmin, int vtime)
{
	struct termios t;
	int unlock = 0;

	*m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	if (*m < 0 || ioctl(*m, TIOCSPTLCK, &unlock) < 0)
		return -1;
	*s = ioctl(*m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (*s < 0 || tcgetattr(*s, &t) < 0)
		return -1;
	cfmakeraw(&t);
	t.c_cc[VMIN] = (cc_t)vmin;
	t.c_cc[VTIME] = (cc_t)vtime;
	return tcsetattr(*s, TCSANOW, &t);
}

/*
 * The queue behind fd (FIONREAD of the other end) reaches at least n within 10 s and stays
 * still for 30 ms: its writer waits.  (Linux counts what the reading side's line discipline
 * holds: 4095 of a full input queue; uos the whole queue.)
 */
static bool queued(int fd, int n)
{
	long long end = sec_now_ns() + 10000000000LL;
	int q = 0, last = -1, still = 0;
	while (sec_now_ns() < end) {
		if (ioctl(fd, FIONREAD, &q) == 0 && q >= n) {
			still = q == last ? still + 1 : 0;
			last = q;
			if (still >= 3)
				return true;
		}
		usleep(10000);
	}
	say("BAD FIONREAD %d, not %d: the writer never filled the queue\n", q, n);
	bad++;
	return false;
}

/* The rest of uos still answers: getpids for a second, a pipe, a fork, a new pair. */
static void others_served(const char *when)
{
	long long end = sec_now_ns() + 1000000000LL;
	long n = 0;
	int p[2], st, m, s;
	char c;

	while (sec_now_ns() < end)
		for (int i = 0; i < 100; i++, n++)
			getpid();
	say("%s: getpid %s in 1 s\n", when, n >= 200 ? "progresses" : "stalls");
	if (n < 200) {
		say("BAD %s: only %ld getpids in 1 s\n", when, n);
		bad++;
	}
	if (pipe(p) || write(p[1], "x", 1) != 1 || read(p[0], &c, 1) != 1) {
		say("BAD %s: a pipe round trip: %s\n", when, en(errno));
		bad++;
	}
	close(p[0]);
	close(p[1]);
	pid_t k = fork();
	if (k == 0)
		_exit(7);
	if (k < 0 || waitpid(k, &st, 0) != k || !WIFEXITED(st) || WEXITSTATUS(st) != 7) {
		say("BAD %s: fork and wait\n", when);
		bad++;
	}
	if (pair(&m, &s, 1, 0) || write(m, "ok", 2) != 2 || read(s, &c, 1) != 1) {
		say("BAD %s: a new pair: %s\n", when, en(errno));
		bad++;
	}
	close(m);
	close(s);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	struct blocker out, in, rd, vt;
	int m1, s1, m2, s2, m3, s3, m4, s4;

	if (strcmp(mode, "term") && strcmp(mode, "ignore")) {
		fprintf(stderr, "usage: pty_wedge term|ignore\n");
		return 2;
	}
	if (!strcmp(mode, "ignore"))
		signal(SIGTERM, SIG_IGN);
	struct sigaction sa = {.sa_handler =
				   on_usr1}; /* no SA_RESTART: a blocked write gives EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	if (pair(&m1, &s1, 1, 0) || pair(&m2, &s2, 1, 0) || pair(&m3, &s3, 1, 0) ||
	    pair(&m4, &s4, 0, 255)) {
		say("BAD no pairs: %s\n", en(errno));
		return 1;
	}

	/* Round 1: blocked, the rest served, then released by the other end's close */
	start(&out, "the slave's writer", s1, true);
	start(&in, "the master's writer", m2, true);
	start(&rd, "the slave's reader", s3, false);
	start(&vt, "the VTIME reader", s4, false);
	queued(m1, 4095); /* the output queue is full, its writer waits */
	queued(s2, 4095); /* the input queue is full */
	others_served("four threads blocked");
	(void)!write(m4, "v", 1);
	released(&vt, "a byte", 1, 0, false);
	close(m1);
	released(&out, "its master's close", -1, EIO, false);
	close(m3);
	/* Linux: EIO for a reader blocked when the master closes (TTY_OTHER_CLOSED), 0 after */
	released(&rd, "its master's close", -3, 0, false);
	close(s2); /* the master's writer still waits (as on Linux): a signal ends its write */
	atomic_store(&in.stop, true);
	released(&in, "its slave's close and a signal", -2, 0, true);
	close(s1);
	close(m2);
	close(s3);
	close(m4);
	close(s4);

	/* Round 2: blocked again for the SIGTERM to uos */
	if (pair(&m1, &s1, 1, 0) || pair(&m2, &s2, 1, 0) || pair(&m3, &s3, 1, 0)) {
		say("BAD no pairs again: %s\n", en(errno));
		return 1;
	}
	start(&out, "the slave's writer", s1, true);
	start(&in, "the master's writer", m2, true);
	start(&rd, "the slave's reader", s3, false);
	queued(m1, 4095);
	queued(s2, 4095);
	others_served("blocked again");
	say("pty_wedge %s: %d bad; READY\n", mode, bad);
	for (;;)
		getpid(); /* until SIGTERM (or, ignored, uos's kill) */
}
