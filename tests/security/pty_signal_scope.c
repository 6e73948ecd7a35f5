/*
 * pty_signal_scope S V: a guest's terminal signals reach guests only.
 *
 * S and V are host processes outside uos, each the leader of a host process
 * group of its own (pty_signal_scope.sh: `setsid sleep 1000`, and
 * host_watch.py, which logs every signal it gets).  Their numbers mean
 * nothing inside: a guest's pids and groups are uos's (a fresh pid
 * namespace, natively).  A session leader L with a pseudo-terminal as its
 * controlling terminal and a second group B (a child G) in its session
 * tries every way a terminal sends signals with those numbers:
 *   kill and killpg of S and V; tcsetpgrp (TIOCSPGRP on the slave and on
 *   the master) to S, V, -S, 0, a group of another session; setpgid of G
 *   into S's group; then, with the foreground group B, the ISIG characters
 *   (^C, ^\, ^Z), TIOCSIG and TIOCSWINSZ, which must reach B (and only B);
 *   with B gone (the foreground group left empty), the same again, and
 *   TIOCNOTTY, TIOCSCTTY and the master's close (SIGHUP to the session).
 *   TIOCSIG with other signals than SIGINT, SIGQUIT, SIGTSTP: Linux's
 *   pty_signal refuses them (EINVAL); uos sends them (its lines start
 *   "TIOCSIG SIGUSR2" and "TIOCSIG SIGKILL", left out of the comparison).
 * Each line says what a call answered (errno names, and which of L, G saw
 * which signal); pty_signal_scope.sh compares them with the same program
 * run natively in a fresh pid namespace (`unshare --pid --fork`), and
 * checks from the host that S is alive and V got no signal.
 */
#include "sec.h"

#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <termios.h>

static pid_t host_s, host_v;
static volatile sig_atomic_t got[65];
static int report_fd = -1; /* G's handler writes the signals it gets here */

static void on_sig(int sig)
{
	unsigned char c = (unsigned char)sig;
	got[sig]++;
	if (report_fd >= 0)
		(void)!write(report_fd, &c, 1);
}

static void handle(int sig)
{
	struct sigaction sa = {.sa_handler = on_sig, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static const char *en(int e)
{
	return strerrorname_np(e) ? strerrorname_np(e) : "E?";
}

static void said(const char *what, long r)
{
	say("%s: %s\n", what, r < 0 ? en(errno) : "0");
}

/* Wait (at most 5 s) until L has caught sig n times. */
static bool await_own(int sig, int n)
{
	long long end = sec_now_ns() + 5000000000LL;
	while (got[sig] < n && sec_now_ns() < end)
		usleep(1000);
	return got[sig] >= n;
}

/* The signals G reported within ms milliseconds, as names. */
static void g_saw(int rfd, const char *what, int ms)
{
	char names[256] = "";
	unsigned char c;
	struct pollfd p = {rfd, POLLIN, 0};
	size_t n = 0;

	while (poll(&p, 1, ms) == 1 && read(rfd, &c, 1) == 1) {
		n += (size_t)snprintf(names + n, sizeof(names) - n, " %s", sigabbrev_np(c) ?: "?");
		ms = 50; /* anything else that came with it */
		if (n >= sizeof(names) - 16)
			break;
	}
	say("%s: G saw%s\n", what, n ? names : " nothing");
}

static void fg_is(int fd, pid_t a, pid_t b, const char *when)
{
	pid_t fg = tcgetpgrp(fd);
	say("%s: the foreground group is %s\n", when,
	    fg == a   ? "A"
	    : fg == b ? "B"
	    : fg < 0  ? en(errno)
		      : "another");
}

static int leader(int m, int s_unused)
{
	int rp[2], gp[2];
	char path[64];
	(void)s_unused;

	setsid();
	if (ptsname_r(m, path, sizeof(path)) || unlockpt(m)) {
		say("BAD no slave: %s\n", en(errno));
		return 1;
	}
	int s = open(path, O_RDWR); /* a leader without a terminal opens one: it is its own now */
	said("the leader opens the slave", s);
	pid_t a = getpgrp(), main_pgrp = getpgid(getppid());
	struct termios t;
	tcgetattr(s, &t);
	t.c_lflag |= ISIG;
	tcsetattr(s, TCSANOW, &t);
	fg_is(s, a, -1, "after the open");

	/* G: the second group of the session, catching what the terminal sends */
	if (pipe(rp) < 0 || pipe(gp) < 0)
		return 1;
	pid_t g = fork();
	if (g == 0) {
		report_fd = rp[1];
		for (int sig = 1; sig < 32; sig++)
			if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
				handle(sig);
		setpgid(0, 0);
		close(gp[1]);
		char c;
		(void)!write(rp[1], "r", 1);			 /* ready (no signal's number) */
		while (read(gp[0], &c, 1) < 0 && errno == EINTR) /* until L closes its end */
			;
		_exit(0);
	}
	setpgid(g, g);
	close(rp[1]);
	close(gp[0]);
	char c;
	if (read(rp[0], &c, 1) != 1 || c != 'r')
		return 1;
	pid_t b = g;
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD && sig != SIGTTOU &&
		    sig != SIGTTIN)
			handle(sig);
	signal(SIGTTOU, SIG_IGN); /* L sets the foreground group from the background too */
	signal(SIGTTIN, SIG_IGN);

	/* The host's numbers, as pids and groups */
	said("kill(S, 0)", kill(host_s, 0));
	said("kill(S, SIGTERM)", kill(host_s, SIGTERM));
	said("killpg(S, SIGINT)", killpg(host_s, SIGINT));
	said("kill(V, SIGUSR1)", kill(host_v, SIGUSR1));
	said("killpg(V, SIGHUP)", killpg(host_v, SIGHUP));
	said("setpgid(G, S)", setpgid(g, host_s));
	said("setpgid(G, V)", setpgid(g, host_v));
	said("tcsetpgrp(slave, S)", tcsetpgrp(s, host_s));
	said("tcsetpgrp(slave, V)", tcsetpgrp(s, host_v));
	said("tcsetpgrp(slave, -S)", tcsetpgrp(s, -host_s));
	said("tcsetpgrp(slave, 0)", tcsetpgrp(s, 0));
	said("tcsetpgrp(slave, another session's group)", tcsetpgrp(s, main_pgrp));
	int v = host_s;
	said("TIOCSPGRP(master, S)", ioctl(m, TIOCSPGRP, &v));
	v = host_v;
	said("TIOCSPGRP(master, V)", ioctl(m, TIOCSPGRP, &v));
	fg_is(s, a, b, "after the refusals");

	/* The foreground group B: the terminal's signals reach G, and only G */
	said("tcsetpgrp(slave, B)", tcsetpgrp(s, b));
	fg_is(s, a, b, "now");
	(void)!write(m, "\003", 1);
	g_saw(rp[0], "^C", 5000);
	(void)!write(m, "\034", 1);
	g_saw(rp[0], "^\\", 5000);
	(void)!write(m, "\032", 1);
	g_saw(rp[0], "^Z", 5000);
	said("TIOCSIG SIGQUIT", ioctl(m, TIOCSIG, SIGQUIT));
	g_saw(rp[0], "TIOCSIG", 5000);
	/* Linux's pty_signal takes SIGINT, SIGQUIT and SIGTSTP only (EINVAL else) */
	long r = ioctl(m, TIOCSIG, SIGUSR2);
	say("TIOCSIG SIGUSR2: %s, then ", r < 0 ? en(errno) : "0");
	g_saw(rp[0], "TIOCSIG SIGUSR2", 300);
	struct winsize ws = {33, 99, 0, 0};
	said("TIOCSWINSZ", ioctl(m, TIOCSWINSZ, &ws));
	g_saw(rp[0], "TIOCSWINSZ", 5000);
	said("TIOCSIG 0", ioctl(m, TIOCSIG, 0));
	said("TIOCSIG 65", ioctl(m, TIOCSIG, 65));
	said("TIOCSIG -S", ioctl(m, TIOCSIG, -host_s));
	say("the leader saw SIGINT %d, SIGQUIT %d, SIGWINCH %d\n", got[SIGINT], got[SIGQUIT],
	    got[SIGWINCH]);

	/* B gone: the foreground group is empty, and nothing it names may be signalled */
	close(gp[1]);
	int st;
	waitpid(g, &st, 0);
	say("G ended: %s\n", WIFEXITED(st) && !WEXITSTATUS(st) ? "by itself" : "otherwise");
	(void)!write(m, "\003\034\032", 3);
	said("TIOCSIG SIGINT to the empty group", ioctl(m, TIOCSIG, SIGINT));
	said("TIOCSIG SIGKILL to the empty group", ioctl(m, TIOCSIG, SIGKILL));
	ws.ws_row++;
	said("TIOCSWINSZ to the empty group", ioctl(m, TIOCSWINSZ, &ws));
	said("tcsetpgrp(slave, S) with B gone", tcsetpgrp(s, host_s));
	said("tcsetpgrp(slave, A)", tcsetpgrp(s, a));
	said("tcsetpgrp(slave, B) with B gone", tcsetpgrp(s, b));
	(void)!write(m, "\003", 1);
	say("^C to A: %s\n",
	    await_own(SIGINT, 1) ? "the leader caught it" : "the leader got nothing");

	/* Giving the terminal up and taking it back; the master's close: SIGHUP to the leader */
	said("TIOCNOTTY by the leader", ioctl(s, TIOCNOTTY));
	say("TIOCNOTTY by the leader of the foreground group: %s\n",
	    await_own(SIGHUP, 1) ? "SIGHUP to it" : "no SIGHUP");
	said("TIOCSCTTY again", ioctl(s, TIOCSCTTY, 0));
	said("tcsetpgrp(slave, S) again", tcsetpgrp(s, host_s));
	int hup = got[SIGHUP];
	close(m);
	say("the master's close: %s\n",
	    await_own(SIGHUP, hup + 1) ? "SIGHUP to the leader" : "no SIGHUP");
	said("tcsetpgrp(hung-up slave, S)", tcsetpgrp(s, host_s));
	said("kill(S, 0) at the end", kill(host_s, 0));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pty_signal_scope S V\n");
		return 2;
	}
	host_s = (pid_t)atoi(argv[1]);
	host_v = (pid_t)atoi(argv[2]);
	setvbuf(stdout, NULL, _IONBF, 0);
	/* a session of our own (natively in a new pid namespace the program is not a leader) */
	setsid();
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0) {
		say("BAD posix_openpt: %s\n", en(errno));
		return 1;
	}
	pid_t l = fork();
	if (l == 0)
		_exit(leader(m, -1));
	close(m);
	int st;
	waitpid(l, &st, 0);
	say("the leader ended: %s %d\n", WIFEXITED(st) ? "status" : "signal",
	    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	said("kill(S, 0) from the main", kill(host_s, 0));
	say("pty_signal_scope: done\n");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
