/* tty: controlling terminals and job control on a pty: acquiring one (open by a session leader,
 * TIOCSCTTY) and giving it up (TIOCNOTTY), /dev/tty, tcsetpgrp's rules, the ISIG characters'
 * signals to the foreground group, SIGTTOU/SIGTTIN for background groups, the hangup when the
 * master closes, TIOCGSID/TIOCGPGRP, SIGWINCH.  Each case forks a child that makes its own
 * session (the test process itself never takes a controlling terminal); every child has an
 * alarm and the parent waits for it a bounded time, so nothing hangs. */
#define AREA "tty"
#include "../harness.h"
#include <poll.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>

#define NO_SUCH_PID 0x3ffffff0

/* Open a pty master; the slave's path in path[64]. */
static int master(char *path)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, path, 64)) {
		if (m >= 0)
			close(m);
		return -1;
	}
	return m;
}

/* ---- in the child ---- */

static int k_up = -1, k_down = -1; /* to and from the parent */
static volatile sig_atomic_t got[65];

static void on_sig(int sig)
{
	got[sig]++;
}

/* Handle sig with on_sig (no SA_RESTART: an interrupted call fails with EINTR). */
static void handle(int sig)
{
	struct sigaction sa = {.sa_handler = on_sig};
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* Wait (unblocked) until sig has been caught. */
static void await_sig(int sig)
{
	sigset_t none;
	sigemptyset(&none);
	while (!got[sig])
		sigsuspend(&none);
}

static int pending(int sig)
{
	sigset_t s;
	sigpending(&s);
	return sigismember(&s, sig);
}

/* Report a failure to the parent ("!" and the detail) and exit. */
__attribute__((format(printf, 1, 2), noreturn)) static void k_fail(const char *fmt, ...)
{
	char b[400];
	va_list ap;
	va_start(ap, fmt);
	b[0] = '!';
	vsnprintf(b + 1, sizeof(b) - 1, fmt, ap);
	va_end(ap);
	write(k_up, b, strlen(b));
	_exit(1);
}

#define CK(cond)                                                                                   \
	do {                                                                                       \
		if (!(cond))                                                                       \
			k_fail("%s (errno %s, line %d)", #cond, h_ename(errno), __LINE__);         \
	} while (0)

#define CKEQ(a, b)                                                                                 \
	do {                                                                                       \
		errno = 0;                                                                         \
		long long a_ = (long long)(a);                                                     \
		int e_ = errno;                                                                    \
		long long b_ = (long long)(b);                                                     \
		if (a_ != b_)                                                                      \
			k_fail("%s: got %lld (errno %s), expected %lld (line %d)", #a, a_,         \
			       h_ename(e_), b_, __LINE__);                                         \
	} while (0)

#define CKERR(call, e)                                                                             \
	do {                                                                                       \
		errno = 0;                                                                         \
		long long r_ = (long long)(call);                                                  \
		int e_ = errno;                                                                    \
		if (r_ != -1 || e_ != (e))                                                         \
			k_fail("%s: got %lld %s, expected -1 %s (line %d)", #call, r_,             \
			       r_ == -1 ? h_ename(e_) : "", h_ename(e), __LINE__);                 \
	} while (0)

static void k_ready(void)
{
	write(k_up, "r", 1);
}

/* Wait for the parent's go-ahead. */
static void k_await(void)
{
	char c;
	CK(read(k_down, &c, 1) == 1);
}

/* Become a new session's leader with path as controlling terminal; the fd. */
static int k_ctty(const char *path)
{
	CK(setsid() > 0);
	int fd = open(path, O_RDWR);
	CK(fd >= 0);
	return fd;
}

/* Fork a grandchild that runs fn(fd) in its own process group (or in ours, if !own) and
 * exits 0 unless a check fails; its wait status (a stopped one is killed after). */
static int k_sub(void (*fn)(int), int fd, int own)
{
	int st;
	pid_t pid = fork();
	CK(pid >= 0);
	if (pid == 0) {
		alarm(10);
		if (own)
			setpgid(0, 0);
		fn(fd);
		_exit(0);
	}
	if (own)
		setpgid(pid, pid);
	CKEQ(waitpid(pid, &st, WUNTRACED), pid);
	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return st;
}

/* The grandchild passed. */
#define CK_SUB_OK(st) CK(WIFEXITED(st) && WEXITSTATUS(st) == 0)

/* A grandchild in its own process group that waits until *release is closed; its pid. */
static pid_t k_held(int *release)
{
	int p[2], q[2];
	char c;
	CK(pipe(p) == 0 && pipe(q) == 0);
	pid_t pid = fork();
	CK(pid >= 0);
	if (pid == 0) {
		alarm(10);
		setpgid(0, 0);
		close(p[1]);
		close(q[0]);
		close(q[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	setpgid(pid, pid);
	close(p[0]);
	close(q[1]);
	read(q[0], &c, 1); /* EOF once the grandchild runs (and so is in its group) */
	close(q[0]);
	*release = p[1];
	return pid;
}

/* ---- in the parent ---- */

struct kid {
	pid_t pid;
	int up, down;
	char msg[400];
};

/* Fork a child that runs fn(arg), with an alarm and only its pipes open; it exits 0 unless
 * a check fails. */
static int kid_start(struct kid *k, void (*fn)(void *), void *arg)
{
	int up[2], down[2];
	if (pipe(up) < 0)
		return -1;
	if (pipe(down) < 0) {
		close(up[0]);
		close(up[1]);
		return -1;
	}
	k->msg[0] = 0;
	k->pid = fork();
	if (k->pid == 0) {
		alarm(10);
		for (int fd = 3; fd < 64; fd++)
			if (fd != up[1] && fd != down[0])
				close(fd);
		k_up = up[1];
		k_down = down[0];
		fn(arg);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	k->up = up[0];
	k->down = down[1];
	if (k->pid < 0) {
		close(k->up);
		close(k->down);
		return -1;
	}
	return 0;
}

/* Append what the child wrote (without blocking: grandchildren may hold the pipe). */
static void kid_collect(struct kid *k)
{
	size_t n = strlen(k->msg);
	ssize_t r;
	fcntl(k->up, F_SETFL, O_NONBLOCK);
	while (n < sizeof(k->msg) - 1 && (r = read(k->up, k->msg + n, sizeof(k->msg) - 1 - n)) > 0)
		n += r;
	k->msg[n] = 0;
}

/* Wait up to 10 s for the child's next ready; 0 if it failed or went away instead. */
static int kid_sync(struct kid *k)
{
	struct pollfd pf = {.fd = k->up, .events = POLLIN};
	char c = 0;
	if (poll(&pf, 1, 10000) != 1) {
		snprintf(k->msg, sizeof(k->msg), "timed out");
		return 0;
	}
	if (read(k->up, &c, 1) == 1 && c == 'r')
		return 1;
	kid_collect(k);
	return 0;
}

static void kid_go(struct kid *k)
{
	write(k->down, "g", 1);
}

/* Reap the child (SIGKILL after 10 s); 0 if it passed, else -1 with k->msg. */
static int kid_end(struct kid *k)
{
	int st = 0;
	pid_t r = 0;
	for (int i = 0; i < 1000 && (r = waitpid(k->pid, &st, WNOHANG)) == 0; i++)
		poll(NULL, 0, 10);
	if (r == 0) {
		kill(k->pid, SIGKILL);
		waitpid(k->pid, &st, 0);
	}
	kid_collect(k);
	if (k->msg[0] == '!')
		memmove(k->msg, k->msg + 1, strlen(k->msg));
	close(k->up);
	close(k->down);
	if (r == k->pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 && !k->msg[0])
		return 0;
	size_t n = strlen(k->msg);
	if (!n && WIFSIGNALED(st))
		snprintf(k->msg, sizeof(k->msg), "killed by signal %d", WTERMSIG(st));
	else if (!n)
		snprintf(k->msg, sizeof(k->msg), "status %#x%s", st, r == 0 ? " (timed out)" : "");
	return -1;
}

#define KID_START(k, fn, arg)                                                                      \
	do {                                                                                       \
		if (kid_start((k), (fn), (arg)) < 0)                                               \
			FAIL("fork: %s", h_ename(errno));                                          \
	} while (0)

#define KID_SYNC(k)                                                                                \
	do {                                                                                       \
		if (!kid_sync(k)) {                                                                \
			kid_end(k);                                                                \
			FAIL("child: %s", (k)->msg);                                               \
		}                                                                                  \
	} while (0)

#define KID_END(k)                                                                                 \
	do {                                                                                       \
		if (kid_end(k))                                                                    \
			FAIL("child: %s", (k)->msg);                                               \
	} while (0)

/* Run fn(path) in a child with a fresh pty's slave path; the case fails if the child does. */
#define IN_CHILD(fn)                                                                               \
	do {                                                                                       \
		char path_[64];                                                                    \
		struct kid k_;                                                                     \
		int m_ = OK(master(path_));                                                        \
		KID_START(&k_, fn, path_);                                                         \
		int r_ = kid_end(&k_);                                                             \
		close(m_);                                                                         \
		if (r_)                                                                            \
			FAIL("child: %s", k_.msg);                                                 \
	} while (0)

/* ---- acquiring and dropping the controlling terminal ---- */

static void k_open_acquires(void *path)
{
	struct stat st;
	pid_t sid = 0;
	int fd = k_ctty(path);
	int t = open("/dev/tty", O_RDWR);
	CK(t >= 0);
	CK(fstat(t, &st) == 0);
	CK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 && minor(st.st_rdev) == 0);
	CKEQ(tcgetpgrp(fd), getpgrp());
	CKEQ(tcgetpgrp(t), getpgrp());
	CKEQ(tcgetsid(fd), getsid(0));
	CKEQ(ioctl(fd, TIOCGSID, &sid), 0);
	CKEQ(sid, getpid());
	CKEQ(write(t, "via tty", 7), 7);
	k_ready();
	k_await();
}

CASE(ctty_acquired_on_open_by_leader)
{
	char path[64], b[16];
	struct kid k;
	int m = OK(master(path));
	KID_START(&k, k_open_acquires, path);
	KID_SYNC(&k);
	struct pollfd pf = {.fd = m, .events = POLLIN};
	int n = poll(&pf, 1, 2000) == 1 ? read(m, b, 7) : -1;
	kid_go(&k);
	KID_END(&k);
	close(m);
	EXPECT_EQ(n, 7);
	EXPECT_MEMEQ(b, "via tty", 7); /* /dev/tty is the pty */
}

static void k_noctty_not_acquired(void *path)
{
	CK(setsid() > 0);
	int fd = open(path, O_RDWR | O_NOCTTY);
	CK(fd >= 0);
	CKERR(open("/dev/tty", O_RDWR), ENXIO);
	CKERR(tcgetpgrp(fd), ENOTTY);
	CKERR(tcgetsid(fd), ENOTTY);
}

CASE(ctty_not_acquired_with_noctty)
{
	IN_CHILD(k_noctty_not_acquired);
}

static const char *sub_path;

static void g_open_not_leader(int fd)
{
	(void)fd;
	int s = open(sub_path, O_RDWR);
	CK(s >= 0);
	CKERR(open("/dev/tty", O_RDWR), ENXIO);
}

static void k_non_leader_not_acquired(void *path)
{
	CK(setsid() > 0);
	sub_path = path;
	int st = k_sub(g_open_not_leader, -1, 0);
	CK_SUB_OK(st);
}

CASE(ctty_not_acquired_by_non_leader)
{
	IN_CHILD(k_non_leader_not_acquired);
}

static void g_dev_tty_inherited(int fd)
{
	int t = open("/dev/tty", O_RDWR);
	CK(t >= 0);
	CKEQ(tcgetsid(fd), getsid(0));
}

static void k_inherited(void *path)
{
	int fd = k_ctty(path);
	int st = k_sub(g_dev_tty_inherited, fd, 0);
	CK_SUB_OK(st);
}

CASE(ctty_inherited_across_fork)
{
	IN_CHILD(k_inherited);
}

static void k_tiocsctty(void *path)
{
	CK(setsid() > 0);
	int fd = open(path, O_RDWR | O_NOCTTY);
	CK(fd >= 0);
	CKEQ(ioctl(fd, TIOCSCTTY, 0), 0);
	int t = open("/dev/tty", O_RDWR);
	CK(t >= 0);
	CKEQ(tcgetpgrp(fd), getpgrp());
	CKEQ(tcgetsid(fd), getsid(0));
	CKEQ(ioctl(fd, TIOCSCTTY, 0), 0); /* already ours: nothing to do */
}

CASE(tiocsctty_makes_ctty)
{
	IN_CHILD(k_tiocsctty);
}

static void g_tiocsctty_not_leader(int fd)
{
	(void)fd;
	int s = open(sub_path, O_RDWR | O_NOCTTY);
	CK(s >= 0);
	CKERR(ioctl(s, TIOCSCTTY, 0), EPERM);
}

static void k_tiocsctty_not_leader(void *path)
{
	CK(setsid() > 0);
	sub_path = path;
	int st = k_sub(g_tiocsctty_not_leader, -1, 0);
	CK_SUB_OK(st);
}

CASE(tiocsctty_non_leader_eperm)
{
	IN_CHILD(k_tiocsctty_not_leader);
}

static void k_hold_ctty(void *path)
{
	int fd = k_ctty(path);
	(void)fd;
	k_ready();
	k_await();
	/* after a steal (if any) this session has no controlling terminal any more */
	char c;
	if (read(k_down, &c, 1) == 1 && c == 's')
		CKERR(open("/dev/tty", O_RDWR), ENXIO);
}

static void k_tiocsctty_taken(void *path)
{
	CK(setsid() > 0);
	int fd = open(path, O_RDWR | O_NOCTTY);
	CK(fd >= 0);
	CKERR(ioctl(fd, TIOCSCTTY, 0), EPERM);
}

CASE(tiocsctty_other_sessions_ctty_eperm)
{
	char path[64];
	struct kid a, b;
	int m = OK(master(path));
	KID_START(&a, k_hold_ctty, path);
	KID_SYNC(&a);
	KID_START(&b, k_tiocsctty_taken, path);
	int rb = kid_end(&b);
	kid_go(&a);
	close(a.down);
	a.down = -1;
	KID_END(&a);
	close(m);
	if (rb)
		FAIL("second child: %s", b.msg);
}

static void k_tiocsctty_steal(void *path)
{
	CK(setsid() > 0);
	int fd = open(path, O_RDWR | O_NOCTTY);
	CK(fd >= 0);
	CKEQ(ioctl(fd, TIOCSCTTY, 1), 0); /* root (CAP_SYS_ADMIN) may steal it with arg 1 */
	CKEQ(tcgetsid(fd), getsid(0));
	CKEQ(tcgetpgrp(fd), getpgrp());
}

CASE(tiocsctty_steal_as_root)
{
	char path[64];
	struct kid a, b;
	int m = OK(master(path));
	KID_START(&a, k_hold_ctty, path);
	KID_SYNC(&a);
	KID_START(&b, k_tiocsctty_steal, path);
	int rb = kid_end(&b);
	kid_go(&a);
	write(a.down, "s", 1);
	KID_END(&a);
	close(m);
	if (rb)
		FAIL("second child: %s", b.msg);
}

static void k_tiocsctty_second(void *paths)
{
	char(*p)[64] = paths;
	int fd = k_ctty(p[0]);
	int other = open(p[1], O_RDWR | O_NOCTTY);
	CK(other >= 0);
	CKERR(ioctl(other, TIOCSCTTY, 0), EPERM);
	CKEQ(tcgetsid(fd), getsid(0));
}

CASE(tiocsctty_second_tty_eperm)
{
	char paths[2][64];
	struct kid k;
	int m1 = OK(master(paths[0]));
	int m2 = OK(master(paths[1]));
	KID_START(&k, k_tiocsctty_second, paths);
	int r = kid_end(&k);
	close(m1);
	close(m2);
	if (r)
		FAIL("child: %s", k.msg);
}

static void k_tiocnotty(void *path)
{
	handle(SIGHUP);
	handle(SIGCONT);
	int fd = k_ctty(path);
	CKEQ(ioctl(fd, TIOCNOTTY), 0);
	/* the leader giving it up hangs up its foreground group: itself */
	CKEQ(got[SIGHUP], 1);
	CKEQ(got[SIGCONT], 1);
	CKERR(open("/dev/tty", O_RDWR), ENXIO);
	CKERR(tcgetpgrp(fd), ENOTTY);
	CKEQ(write(fd, "x", 1), 1); /* still an open tty, just not ours */
}

CASE(tiocnotty_by_leader)
{
	IN_CHILD(k_tiocnotty);
}

static void k_tiocnotty_not_ctty(void *path)
{
	CK(setsid() > 0);
	int fd = open(path, O_RDWR | O_NOCTTY);
	CK(fd >= 0);
	CKERR(ioctl(fd, TIOCNOTTY), ENOTTY);
}

CASE(tiocnotty_not_ctty_enotty)
{
	IN_CHILD(k_tiocnotty_not_ctty);
}

/* ---- tcsetpgrp ---- */

static void k_tcsetpgrp_own(void *path)
{
	int rel, fd = k_ctty(path);
	pid_t g = k_held(&rel);
	CKEQ(tcsetpgrp(fd, g), 0);
	CKEQ(tcgetpgrp(fd), g);
	block(SIGTTOU); /* now in the background: blocked, SIGTTOU does not stop us */
	CKEQ(tcsetpgrp(fd, getpgrp()), 0);
	CKEQ(tcgetpgrp(fd), getpgrp());
	close(rel);
	CKEQ(waitpid(g, NULL, 0), g);
}

CASE(tcsetpgrp_group_of_session)
{
	IN_CHILD(k_tcsetpgrp_own);
}

static void k_tcsetpgrp_bad(void *path)
{
	int fd = k_ctty(path);
	CKERR(tcsetpgrp(fd, NO_SUCH_PID), ESRCH);
	CKERR(tcsetpgrp(fd, -2), EINVAL);
	CKERR(tcsetpgrp(fd, getpgid(getppid())), EPERM); /* the test's group: another session */
	CKEQ(tcgetpgrp(fd), getpgrp());
}

CASE(tcsetpgrp_bad_groups)
{
	IN_CHILD(k_tcsetpgrp_bad);
}

static void k_tcsetpgrp_not_ctty(void *paths)
{
	char(*p)[64] = paths;
	int fd = k_ctty(p[0]);
	int other = open(p[1], O_RDWR | O_NOCTTY);
	CK(other >= 0);
	CKERR(tcsetpgrp(other, getpgrp()), ENOTTY);
	CKERR(tcgetpgrp(other), ENOTTY);
	CKEQ(tcgetpgrp(fd), getpgrp());
}

CASE(tcsetpgrp_not_ctty_enotty)
{
	char paths[2][64];
	struct kid k;
	int m1 = OK(master(paths[0]));
	int m2 = OK(master(paths[1]));
	KID_START(&k, k_tcsetpgrp_not_ctty, paths);
	int r = kid_end(&k);
	close(m1);
	close(m2);
	if (r)
		FAIL("child: %s", k.msg);
}

/* ---- ISIG ---- */

static int isig_sig;

static void k_isig(void *path)
{
	block(isig_sig);
	handle(isig_sig);
	k_ctty(path);
	k_ready();
	await_sig(isig_sig);
	CKEQ(got[isig_sig], 1);
}

/* The child, foreground in its session, gets sig when the master writes c. */
static void isig_case(int sig, char c)
{
	char path[64];
	struct kid k;
	int m = OK(master(path));
	isig_sig = sig;
	KID_START(&k, k_isig, path);
	KID_SYNC(&k);
	ssize_t n = write(m, &c, 1);
	KID_END(&k);
	close(m);
	EXPECT_EQ(n, 1);
}

CASE(isig_vintr_sigint)
{
	isig_case(SIGINT, 0x03);
}

CASE(isig_vquit_sigquit)
{
	isig_case(SIGQUIT, 0x1c);
}

CASE(isig_vsusp_sigtstp)
{
	isig_case(SIGTSTP, 0x1a);
}

static void k_isig_off(void *path)
{
	struct termios t;
	char b[8] = {0};
	handle(SIGINT);
	int fd = k_ctty(path);
	CK(tcgetattr(fd, &t) == 0);
	t.c_lflag &= ~ISIG;
	CK(tcsetattr(fd, TCSANOW, &t) == 0);
	k_ready();
	CKEQ(read(fd, b, sizeof(b)), 2);
	CK(b[0] == 0x03 && b[1] == '\n');
	CKEQ(got[SIGINT], 0);
}

CASE(isig_off_vintr_is_data)
{
	char path[64];
	struct kid k;
	int m = OK(master(path));
	KID_START(&k, k_isig_off, path);
	KID_SYNC(&k);
	ssize_t n = write(m, "\x03\n", 2);
	KID_END(&k);
	close(m);
	EXPECT_EQ(n, 2);
}

static void k_isig_flush(void *path)
{
	char b[16] = {0};
	block(SIGINT);
	handle(SIGINT);
	int fd = k_ctty(path);
	if (isig_sig) {
		struct termios t;
		CK(tcgetattr(fd, &t) == 0);
		t.c_lflag |= NOFLSH;
		CK(tcsetattr(fd, TCSANOW, &t) == 0);
	}
	k_ready();
	await_sig(SIGINT);
	k_ready();
	if (isig_sig) {
		CKEQ(read(fd, b, sizeof(b)), 5);
		CK(!strcmp(b, "abcd\n"));
	} else {
		CKEQ(read(fd, b, sizeof(b)), 2);
		CK(!strcmp(b, "d\n"));
	}
}

/* "abc", ^C, then "d\n": the child reads "d\n", or with NOFLSH "abcd\n". */
static void flush_case(int noflsh)
{
	char path[64];
	struct kid k;
	int m = OK(master(path));
	isig_sig = noflsh;
	KID_START(&k, k_isig_flush, path);
	KID_SYNC(&k);
	ssize_t n = write(m, "abc\x03", 4);
	KID_SYNC(&k);
	n += write(m, "d\n", 2);
	KID_END(&k);
	close(m);
	EXPECT_EQ(n, 6);
}

CASE(isig_vintr_flushes_input)
{
	flush_case(0);
}

CASE(noflsh_vintr_keeps_input)
{
	flush_case(1);
}

static void g_fg_sigint(int fd)
{
	(void)fd;
	block(SIGINT);
	handle(SIGINT);
	k_ready(); /* straight to the parent: in the foreground, waiting */
	await_sig(SIGINT);
}

static void k_vintr_foreground_only(void *path)
{
	handle(SIGINT);
	int fd = k_ctty(path);
	int sync[2];
	CK(pipe(sync) == 0);
	pid_t pid = fork();
	CK(pid >= 0);
	if (pid == 0) {
		char c;
		alarm(10);
		setpgid(0, 0);
		close(sync[1]);
		read(sync[0], &c, 1); /* wait until it is the foreground group */
		g_fg_sigint(fd);
		_exit(0);
	}
	setpgid(pid, pid);
	close(sync[0]);
	CKEQ(tcsetpgrp(fd, pid), 0);
	close(sync[1]);
	int st;
	CKEQ(waitpid(pid, &st, 0), pid);
	CK_SUB_OK(st);
	CKEQ(got[SIGINT], 0);
}

CASE(vintr_goes_to_foreground_group_only)
{
	char path[64];
	struct kid k;
	int m = OK(master(path));
	KID_START(&k, k_vintr_foreground_only, path);
	KID_SYNC(&k);
	ssize_t n = write(m, "\x03", 1);
	KID_END(&k);
	close(m);
	EXPECT_EQ(n, 1);
}

/* ---- background groups: SIGTTOU and SIGTTIN ---- */

static void set_tostop(int fd, int on)
{
	struct termios t;
	CK(tcgetattr(fd, &t) == 0);
	t.c_lflag = on ? t.c_lflag | TOSTOP : t.c_lflag & ~TOSTOP;
	CK(tcsetattr(fd, TCSANOW, &t) == 0);
}

static void g_write_caught(int fd)
{
	handle(SIGTTOU);
	CKERR(write(fd, "x", 1), EINTR);
	CKEQ(got[SIGTTOU], 1);
}

static void g_write_ok(int fd)
{
	CKEQ(write(fd, "x", 1), 1);
}

static void g_write_ignored(int fd)
{
	signal(SIGTTOU, SIG_IGN);
	CKEQ(write(fd, "x", 1), 1);
}

static void g_write_default(int fd)
{
	write(fd, "x", 1);
}

static void k_tostop_caught(void *path)
{
	int fd = k_ctty(path);
	set_tostop(fd, 1);
	int st = k_sub(g_write_caught, fd, 1);
	CK_SUB_OK(st);
}

CASE(tostop_background_write_sigttou)
{
	IN_CHILD(k_tostop_caught);
}

static void k_tostop_clear(void *path)
{
	int fd = k_ctty(path);
	set_tostop(fd, 0);
	int st = k_sub(g_write_ok, fd, 1);
	CK_SUB_OK(st);
}

CASE(tostop_clear_background_write_ok)
{
	IN_CHILD(k_tostop_clear);
}

static void k_tostop_ignored(void *path)
{
	int fd = k_ctty(path);
	set_tostop(fd, 1);
	int st = k_sub(g_write_ignored, fd, 1);
	CK_SUB_OK(st);
}

CASE(tostop_background_write_sigttou_ignored)
{
	IN_CHILD(k_tostop_ignored);
}

static void k_tostop_stops(void *path)
{
	int fd = k_ctty(path);
	set_tostop(fd, 1);
	int st = k_sub(g_write_default, fd, 1);
	CK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
}

CASE(tostop_background_write_stops)
{
	IN_CHILD(k_tostop_stops);
}

static void g_read_caught(int fd)
{
	char b[8];
	handle(SIGTTIN);
	CKERR(read(fd, b, sizeof(b)), EINTR);
	CKEQ(got[SIGTTIN], 1);
}

static void g_read_ignored(int fd)
{
	char b[8];
	signal(SIGTTIN, SIG_IGN);
	CKERR(read(fd, b, sizeof(b)), EIO);
}

static void g_read_blocked(int fd)
{
	char b[8];
	block(SIGTTIN);
	CKERR(read(fd, b, sizeof(b)), EIO);
	CK(!pending(SIGTTIN));
}

static void g_read_default(int fd)
{
	char b[8];
	read(fd, b, sizeof(b));
}

static void k_bg_read(void *fn)
{
	int fd = k_ctty(sub_path);
	int st = k_sub((void (*)(int))fn, fd, 1);
	if (fn == (void *)g_read_default)
		CK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	else
		CK_SUB_OK(st);
}

/* Run k_bg_read(g) in a child on a fresh pty. */
static void bg_read_case(void (*g)(int))
{
	char path[64];
	struct kid k;
	int m = OK(master(path));
	sub_path = path;
	KID_START(&k, k_bg_read, (void *)g);
	int r = kid_end(&k);
	close(m);
	if (r)
		FAIL("child: %s", k.msg);
}

CASE(background_read_sigttin)
{
	bg_read_case(g_read_caught);
}

CASE(background_read_sigttin_ignored_eio)
{
	bg_read_case(g_read_ignored);
}

CASE(background_read_sigttin_blocked_eio)
{
	bg_read_case(g_read_blocked);
}

CASE(background_read_stops)
{
	bg_read_case(g_read_default);
}

static void g_tcsetpgrp_caught(int fd)
{
	handle(SIGTTOU);
	CKERR(tcsetpgrp(fd, getpgrp()), EINTR);
	CKEQ(got[SIGTTOU], 1);
	CKEQ(tcgetpgrp(fd), getpgid(getppid()));
}

static void g_tcsetpgrp_blocked(int fd)
{
	block(SIGTTOU);
	CKEQ(tcsetpgrp(fd, getpgrp()), 0);
	CKEQ(tcgetpgrp(fd), getpgrp());
	CK(!pending(SIGTTOU));
}

static void g_tcsetattr_caught(int fd)
{
	struct termios t;
	CKEQ(tcgetattr(fd, &t), 0); /* reading the settings is allowed */
	handle(SIGTTOU);
	CKERR(tcsetattr(fd, TCSANOW, &t), EINTR);
	CKEQ(got[SIGTTOU], 1);
}

static void k_bg_other(void *fn)
{
	int fd = k_ctty(sub_path);
	int st = k_sub((void (*)(int))fn, fd, 1);
	CK_SUB_OK(st);
}

static void bg_other_case(void (*g)(int))
{
	char path[64];
	struct kid k;
	int m = OK(master(path));
	sub_path = path;
	KID_START(&k, k_bg_other, (void *)g);
	int r = kid_end(&k);
	close(m);
	if (r)
		FAIL("child: %s", k.msg);
}

CASE(background_tcsetpgrp_sigttou)
{
	bg_other_case(g_tcsetpgrp_caught);
}

CASE(background_tcsetpgrp_sigttou_blocked_ok)
{
	bg_other_case(g_tcsetpgrp_blocked);
}

CASE(background_tcsetattr_sigttou)
{
	bg_other_case(g_tcsetattr_caught);
}

/* ---- hangup ---- */

static void k_hangup(void *path)
{
	char b[8];
	block(SIGHUP);
	handle(SIGHUP);
	handle(SIGCONT);
	int fd = k_ctty(path);
	k_ready();
	await_sig(SIGHUP);
	CKEQ(got[SIGCONT], 1);
	CKEQ(read(fd, b, sizeof(b)), 0);
	CKERR(write(fd, "x", 1), EIO);
	CKERR(tcgetpgrp(fd), EIO);
	CKERR(open("/dev/tty", O_RDWR), ENXIO);
}

CASE(hangup_on_master_close)
{
	char path[64];
	struct kid k;
	int m = OK(master(path));
	KID_START(&k, k_hangup, path);
	KID_SYNC(&k);
	close(m);
	KID_END(&k);
}

/* ---- TIOCGSID, TIOCGPGRP ---- */

static void k_hold(void *path)
{
	k_ctty(path);
	k_ready();
	k_await();
}

CASE(tiocgsid_tiocgpgrp_via_master)
{
	char path[64];
	struct kid k;
	pid_t sid = 0, pg = 0, x;
	int m = OK(master(path));
	int s = OK(open(path, O_RDWR | O_NOCTTY));
	KID_START(&k, k_hold, path);
	KID_SYNC(&k);
	int r1 = ioctl(m, TIOCGSID, &sid);
	int r2 = ioctl(m, TIOCGPGRP, &pg);
	int r3 = ioctl(s, TIOCGSID, &x), e3 = errno; /* not our controlling tty */
	int r4 = ioctl(s, TIOCGPGRP, &x), e4 = errno;
	kid_go(&k);
	KID_END(&k);
	close(s);
	close(m);
	EXPECT_EQ(r1, 0);
	EXPECT_EQ(r2, 0);
	EXPECT_EQ(sid, k.pid);
	EXPECT_EQ(pg, k.pid);
	EXPECT_EQ(r3, -1);
	EXPECT_EQ(e3, ENOTTY);
	EXPECT_EQ(r4, -1);
	EXPECT_EQ(e4, ENOTTY);
}

CASE(tiocgpgrp_master_without_session)
{
	pid_t pg = -1, sid;
	char path[64];
	int m = OK(master(path));
	EXPECT_EQ(ioctl(m, TIOCGPGRP, &pg), 0);
	EXPECT_EQ(pg, 0);
	EXPECT_ERRNO(ioctl(m, TIOCGSID, &sid), ENOTTY);
	close(m);
}

/* ---- SIGWINCH ---- */

static void k_winch(void *path)
{
	struct winsize w;
	block(SIGWINCH);
	handle(SIGWINCH);
	int fd = k_ctty(path);
	k_ready();
	k_await(); /* the parent set the size it already had */
	CK(!pending(SIGWINCH));
	k_ready();
	k_await(); /* now a new size */
	CK(pending(SIGWINCH));
	await_sig(SIGWINCH);
	CKEQ(ioctl(fd, TIOCGWINSZ, &w), 0);
	CK(w.ws_row == 40 && w.ws_col == 100);
}

CASE(tiocswinsz_sigwinch_on_change_only)
{
	char path[64];
	struct kid k;
	struct winsize w;
	int m = OK(master(path));
	KID_START(&k, k_winch, path);
	KID_SYNC(&k);
	int r1 = ioctl(m, TIOCGWINSZ, &w);
	int r2 = ioctl(m, TIOCSWINSZ, &w);
	kid_go(&k);
	KID_SYNC(&k);
	w.ws_row = 40;
	w.ws_col = 100;
	int r3 = ioctl(m, TIOCSWINSZ, &w);
	kid_go(&k);
	KID_END(&k);
	close(m);
	EXPECT_EQ(r1, 0);
	EXPECT_EQ(r2, 0);
	EXPECT_EQ(r3, 0);
}
