/* tty: the line discipline (n_tty) on a pty pair opened with O_NOCTTY: canonical lines and
 * their editing characters, input and output mapping, echo in its variants, non-canonical
 * VMIN/VTIME reads, flushing, IXON flow control, the default termios and its round trip
 * (TCGETS2 too), tcdrain/tcflow/tcsendbreak, TIOCSTI, and a large write under a slow reader. */
#define AREA "tty"
#include "../harness.h"
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <termios.h>

#ifndef BOTHER
#define BOTHER 0010000
#endif

/* The kernel's struct termios2 (<asm/termbits.h> clashes with <termios.h>). */
struct termios2 {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[19];
	speed_t c_ispeed, c_ospeed;
};

/* Open a pty pair: master in *m, slave returned (or -1). */
static int pty(int *m)
{
	*m = posix_openpt(O_RDWR | O_NOCTTY);
	if (*m < 0 || grantpt(*m) < 0 || unlockpt(*m) < 0)
		return -1;
	return open(ptsname(*m), O_RDWR | O_NOCTTY);
}

/* Set lflag bits on and off on fd (0 or -1). */
static int lflags(int fd, tcflag_t on, tcflag_t off)
{
	struct termios t;
	if (tcgetattr(fd, &t) < 0)
		return -1;
	t.c_lflag = (t.c_lflag | on) & ~off;
	return tcsetattr(fd, TCSANOW, &t);
}

static int iflags(int fd, tcflag_t on, tcflag_t off)
{
	struct termios t;
	if (tcgetattr(fd, &t) < 0)
		return -1;
	t.c_iflag = (t.c_iflag | on) & ~off;
	return tcsetattr(fd, TCSANOW, &t);
}

static int oflags(int fd, tcflag_t on, tcflag_t off)
{
	struct termios t;
	if (tcgetattr(fd, &t) < 0)
		return -1;
	t.c_oflag = (t.c_oflag | on) & ~off;
	return tcsetattr(fd, TCSANOW, &t);
}

/* Non-canonical, no echo, with VMIN and VTIME. */
static int noncanon(int fd, int vmin, int vtime)
{
	struct termios t;
	if (tcgetattr(fd, &t) < 0)
		return -1;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	return tcsetattr(fd, TCSANOW, &t);
}

/* Read from fd until n bytes came or none for 2 s; the count, NUL-terminated in b[n]. */
static ssize_t readn(int fd, char *b, size_t n)
{
	size_t got = 0;
	struct pollfd pf = {.fd = fd, .events = POLLIN};
	while (got < n && poll(&pf, 1, 2000) == 1) {
		ssize_t r = read(fd, b + got, n - got);
		if (r <= 0)
			break;
		got += r;
	}
	b[got] = 0;
	return got;
}

/* Nothing becomes readable on fd within 200 ms. */
static int quiet(int fd)
{
	struct pollfd pf = {.fd = fd, .events = POLLIN};
	return poll(&pf, 1, 200) == 0;
}

/* Wait up to 2 s for fd to be readable. */
static int readable(int fd)
{
	struct pollfd pf = {.fd = fd, .events = POLLIN};
	return poll(&pf, 1, 2000) == 1 && (pf.revents & POLLIN);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Write (fd, s) from a thread after ms milliseconds. */
struct later {
	int fd, ms;
	const char *s;
	pthread_t th;
};

static void *later_fn(void *p)
{
	struct later *l = p;
	usleep(l->ms * 1000);
	write(l->fd, l->s, strlen(l->s));
	return NULL;
}

static int write_later(struct later *l, int fd, const char *s, int ms)
{
	*l = (struct later){.fd = fd, .ms = ms, .s = s};
	return pthread_create(&l->th, NULL, later_fn, l) ? -1 : 0;
}

/* ---- canonical input ---- */

CASE(canon_one_line_per_read)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\ncd\n", 6), 6);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "ab\n");
	memset(b, 0, sizeof(b));
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "cd\n");
	close(s);
	close(m);
}

CASE(canon_short_buffer_rest_next_read)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "hello\n", 6), 6);
	EXPECT_EQ(read(s, b, 2), 2);
	EXPECT_STREQ(b, "he");
	memset(b, 0, sizeof(b));
	EXPECT_EQ(read(s, b, sizeof(b)), 4);
	EXPECT_STREQ(b, "llo\n");
	close(s);
	close(m);
}

CASE(canon_read_blocks_until_line)
{
	struct later l;
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "par", 3), 3);
	OK(write_later(&l, m, "tial\n", 100));
	double t0 = now();
	ssize_t n = read(s, b, sizeof(b));
	double dt = now() - t0;
	pthread_join(l.th, NULL);
	EXPECT_EQ(n, 8);
	EXPECT_STREQ(b, "partial\n");
	EXPECT_TRUE(dt >= 0.05);
	close(s);
	close(m);
}

CASE(canon_nonblock_partial_line_eagain)
{
	char b[64];
	int m, s = OK(pty(&m));
	OK(fcntl(s, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(write(m, "ab", 2), 2);
	EXPECT_TRUE(quiet(s)); /* no line yet: not readable */
	EXPECT_ERRNO(read(s, b, sizeof(b)), EAGAIN);
	close(s);
	close(m);
}

CASE(verase_removes_char)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "abc\177\177d\n", 7), 7);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "ad\n");
	close(s);
	close(m);
}

CASE(verase_at_line_start_nothing)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "a\n\x7fz\n", 5), 5);
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	EXPECT_EQ(read(s, b, sizeof(b)), 2); /* the erase cannot reach into the line before */
	EXPECT_STREQ(b, "z\n");
	close(s);
	close(m);
}

CASE(verase_iutf8_whole_char)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(iflags(s, IUTF8, 0));
	EXPECT_EQ(write(m, "a\xc3\xa9\x7f\n", 5), 5);
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	EXPECT_STREQ(b, "a\n");
	close(s);
	close(m);
}

CASE(vkill_kills_line)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "abc\x15xy\n", 7), 7);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "xy\n");
	close(s);
	close(m);
}

CASE(vwerase_erases_word)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "foo bar  \027baz\n", 14), 14);
	EXPECT_EQ(read(s, b, sizeof(b)), 8);
	EXPECT_STREQ(b, "foo baz\n");
	close(s);
	close(m);
}

CASE(vwerase_without_iexten_is_data)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(lflags(s, 0, IEXTEN));
	EXPECT_EQ(write(m, "a b\x17\n", 5), 5);
	EXPECT_EQ(read(s, b, sizeof(b)), 5);
	EXPECT_STREQ(b, "a b\x17\n");
	close(s);
	close(m);
}

CASE(veof_at_line_start_reads_zero)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "\004x\n", 3), 3);
	EXPECT_EQ(read(s, b, sizeof(b)), 0);
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	EXPECT_STREQ(b, "x\n");
	close(s);
	close(m);
}

CASE(veof_mid_line_delivers_partial)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\004cd\n", 6), 6);
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	EXPECT_STREQ(b, "ab");
	memset(b, 0, sizeof(b));
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "cd\n");
	close(s);
	close(m);
}

CASE(veol_ends_line)
{
	struct termios t;
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	t.c_cc[VEOL] = ';';
	OK(tcsetattr(s, TCSANOW, &t));
	EXPECT_EQ(write(m, "ab;cd\n", 6), 6);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "ab;");
	memset(b, 0, sizeof(b));
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "cd\n");
	close(s);
	close(m);
}

CASE(veol2_ends_line)
{
	struct termios t;
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	t.c_cc[VEOL2] = '%';
	OK(tcsetattr(s, TCSANOW, &t));
	EXPECT_EQ(write(m, "ab%cd\n", 6), 6);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "ab%");
	close(s);
	close(m);
}

CASE(vlnext_quotes_next_char)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "a\x16\x7f\x16\x15\n", 6), 6);
	EXPECT_EQ(read(s, b, sizeof(b)), 4);
	EXPECT_STREQ(b, "a\x7f\x15\n");
	close(s);
	close(m);
}

CASE(vdisable_zero_disables_char)
{
	struct termios t;
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	t.c_cc[VERASE] = _POSIX_VDISABLE;
	OK(tcsetattr(s, TCSANOW, &t));
	EXPECT_EQ(write(m, "a\x7f\n", 3), 3);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "a\x7f\n");
	close(s);
	close(m);
}

/* ---- input mapping ---- */

CASE(icrnl_maps_cr_to_nl)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\r", 3), 3);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "ab\n");
	close(s);
	close(m);
}

CASE(igncr_drops_cr)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(iflags(s, IGNCR, 0));
	EXPECT_EQ(write(m, "a\rb\n", 4), 4);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "ab\n");
	close(s);
	close(m);
}

CASE(inlcr_maps_nl_to_cr)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(noncanon(s, 1, 0));
	OK(iflags(s, INLCR, ICRNL));
	EXPECT_EQ(write(m, "a\nb", 3), 3);
	EXPECT_EQ(readn(s, b, 3), 3);
	EXPECT_STREQ(b, "a\rb");
	close(s);
	close(m);
}

CASE(icrnl_off_cr_is_data)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(iflags(s, 0, ICRNL));
	EXPECT_EQ(write(m, "a\rb\n", 4), 4);
	EXPECT_EQ(read(s, b, sizeof(b)), 4);
	EXPECT_STREQ(b, "a\rb\n");
	close(s);
	close(m);
}

CASE(istrip_clears_bit_7)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(iflags(s, ISTRIP, 0));
	EXPECT_EQ(write(m, "\xe1\xe2\n", 3), 3);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "ab\n");
	close(s);
	close(m);
}

/* ---- echo ---- */

CASE(echo_returns_input_onlcr)
{
	char b[64];
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "hi\n", 3), 3);
	EXPECT_EQ(readn(m, b, 4), 4);
	EXPECT_STREQ(b, "hi\r\n");
	EXPECT_EQ(read(s, b, sizeof(b)), 3); /* the slave still gets the line */
	close(s);
	close(m);
}

CASE(echoctl_caret_notation)
{
	char b[64];
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "\x01\n", 2), 2);
	EXPECT_EQ(readn(m, b, 4), 4);
	EXPECT_STREQ(b, "^A\r\n");
	close(s);
	close(m);
}

CASE(echoctl_off_raw_control)
{
	char b[64];
	int m, s = OK(pty(&m));
	OK(lflags(s, 0, ECHOCTL));
	EXPECT_EQ(write(m, "\x01\n", 2), 2);
	EXPECT_EQ(readn(m, b, 3), 3);
	EXPECT_STREQ(b, "\x01\r\n");
	close(s);
	close(m);
}

CASE(echoe_erase_backspace_space)
{
	char b[64];
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\x7f", 3), 3);
	EXPECT_EQ(readn(m, b, 5), 5);
	EXPECT_STREQ(b, "ab\b \b");
	close(s);
	close(m);
}

CASE(echoe_off_erase_echoes_char)
{
	char b[64];
	int m, s = OK(pty(&m));
	OK(lflags(s, 0, ECHOE));
	EXPECT_EQ(write(m, "ab\x7f", 3), 3);
	EXPECT_EQ(readn(m, b, 4), 4);
	EXPECT_STREQ(b, "ab^?");
	close(s);
	close(m);
}

CASE(echoke_kill_erases_line)
{
	char b[64];
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\x15", 3), 3);
	EXPECT_EQ(readn(m, b, 8), 8);
	EXPECT_STREQ(b, "ab\b \b\b \b");
	close(s);
	close(m);
}

CASE(echok_without_echoke_newline)
{
	char b[64];
	int m, s = OK(pty(&m));
	OK(lflags(s, 0, ECHOKE));
	EXPECT_EQ(write(m, "ab\x15", 3), 3);
	EXPECT_EQ(readn(m, b, 6), 6);
	EXPECT_STREQ(b, "ab^U\r\n");
	close(s);
	close(m);
}

CASE(echonl_without_echo)
{
	char b[64];
	int m, s = OK(pty(&m));
	OK(lflags(s, ECHONL, ECHO));
	EXPECT_EQ(write(m, "ab\n", 3), 3);
	EXPECT_EQ(readn(m, b, 2), 2);
	EXPECT_STREQ(b, "\r\n");
	EXPECT_TRUE(quiet(m));
	close(s);
	close(m);
}

CASE(echo_off_nothing_back)
{
	char b[64];
	int m, s = OK(pty(&m));
	OK(lflags(s, 0, ECHO));
	EXPECT_EQ(write(m, "secret\n", 7), 7);
	EXPECT_EQ(read(s, b, sizeof(b)), 7);
	EXPECT_TRUE(quiet(m));
	close(s);
	close(m);
}

CASE(echo_noncanon)
{
	char b[64];
	int m, s = OK(pty(&m));
	OK(noncanon(s, 1, 0));
	OK(lflags(s, ECHO, 0));
	EXPECT_EQ(write(m, "xy", 2), 2);
	EXPECT_EQ(readn(m, b, 2), 2);
	EXPECT_STREQ(b, "xy");
	close(s);
	close(m);
}

/* ---- non-canonical reads ---- */

CASE(vmin0_vtime0_empty_returns_zero)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(noncanon(s, 0, 0));
	double t0 = now();
	EXPECT_EQ(read(s, b, sizeof(b)), 0);
	EXPECT_TRUE(now() - t0 < 1.0);
	close(s);
	close(m);
}

CASE(vmin0_vtime0_returns_available)
{
	char b[8] = {0};
	int m, s = OK(pty(&m));
	OK(noncanon(s, 0, 0));
	EXPECT_EQ(write(m, "xyz", 3), 3);
	EXPECT_TRUE(readable(s));
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "xyz");
	close(s);
	close(m);
}

CASE(vmin3_gets_three)
{
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(noncanon(s, 3, 0));
	EXPECT_EQ(write(m, "abc", 3), 3);
	EXPECT_EQ(read(s, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "abc");
	close(s);
	close(m);
}

CASE(vmin3_blocks_for_third_byte)
{
	struct later l;
	char b[64] = {0};
	int m, s = OK(pty(&m));
	OK(noncanon(s, 3, 0));
	EXPECT_EQ(write(m, "ab", 2), 2);
	OK(write_later(&l, m, "c", 100));
	double t0 = now();
	ssize_t n = read(s, b, sizeof(b));
	double dt = now() - t0;
	pthread_join(l.th, NULL);
	EXPECT_EQ(n, 3);
	EXPECT_STREQ(b, "abc");
	EXPECT_TRUE(dt >= 0.05);
	close(s);
	close(m);
}

CASE(vmin0_vtime2_times_out)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(noncanon(s, 0, 2));
	double t0 = now();
	EXPECT_EQ(read(s, b, sizeof(b)), 0);
	double dt = now() - t0;
	EXPECT_TRUE(dt >= 0.1 && dt < 2.0);
	close(s);
	close(m);
}

CASE(vmin0_vtime2_returns_data)
{
	char b[8] = {0};
	int m, s = OK(pty(&m));
	OK(noncanon(s, 0, 2));
	EXPECT_EQ(write(m, "hi", 2), 2);
	EXPECT_TRUE(readable(s));
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	EXPECT_STREQ(b, "hi");
	close(s);
	close(m);
}

CASE(vmin5_vtime2_interbyte_timeout)
{
	char b[8] = {0};
	int m, s = OK(pty(&m));
	OK(noncanon(s, 5, 2));
	EXPECT_EQ(write(m, "ab", 2), 2);
	double t0 = now();
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	double dt = now() - t0;
	EXPECT_STREQ(b, "ab");
	EXPECT_TRUE(dt < 2.0);
	close(s);
	close(m);
}

CASE(noncanon_poll_waits_for_vmin)
{
	int n = -1, m, s = OK(pty(&m));
	OK(noncanon(s, 5, 0));
	EXPECT_EQ(write(m, "abc", 3), 3);
	EXPECT_TRUE(quiet(s)); /* POLLIN only with VMIN bytes */
	EXPECT_EQ(write(m, "de", 2), 2);
	EXPECT_TRUE(readable(s));
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 5);
	close(s);
	close(m);
}

CASE(fionread_noncanon)
{
	int n = -1, m, s = OK(pty(&m));
	OK(noncanon(s, 1, 0));
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(write(m, "abcde", 5), 5);
	EXPECT_TRUE(readable(s));
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 5);
	char b[2];
	EXPECT_EQ(read(s, b, 2), 2);
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 3);
	close(s);
	close(m);
}

CASE(fionread_canon_partial_line_zero)
{
	int n = -1, m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\ncd", 5), 5);
	EXPECT_TRUE(readable(s));
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 3); /* only complete lines count */
	close(s);
	close(m);
}

CASE(switch_to_noncanon_partial_line_readable)
{
	char b[8] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\x04", 3), 3);
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	EXPECT_EQ(write(m, "xy", 2), 2);
	EXPECT_TRUE(quiet(s));
	OK(noncanon(s, 1, 0));
	EXPECT_EQ(readn(s, b, 2), 2);
	EXPECT_STREQ(b, "xy");
	close(s);
	close(m);
}

/* ---- output processing ---- */

CASE(ocrnl_maps_cr)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(oflags(s, OCRNL, ONLCR));
	EXPECT_EQ(write(s, "a\rb", 3), 3);
	EXPECT_EQ(readn(m, b, 3), 3);
	EXPECT_STREQ(b, "a\nb");
	close(s);
	close(m);
}

CASE(opost_off_raw_output)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(oflags(s, 0, OPOST));
	EXPECT_EQ(write(s, "a\nb\r", 4), 4);
	EXPECT_EQ(readn(m, b, 4), 4);
	EXPECT_STREQ(b, "a\nb\r");
	close(s);
	close(m);
}

CASE(olcuc_upper_case)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(oflags(s, OLCUC, ONLCR));
	EXPECT_EQ(write(s, "aZ1", 3), 3);
	EXPECT_EQ(readn(m, b, 3), 3);
	EXPECT_STREQ(b, "AZ1");
	close(s);
	close(m);
}

/* ---- flushing ---- */

CASE(tcsetattr_flush_discards_input)
{
	struct termios t;
	char b[16] = {0};
	int n = -1, m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "old\n", 4), 4);
	EXPECT_TRUE(readable(s));
	OK(tcgetattr(s, &t));
	EXPECT_EQ(tcsetattr(s, TCSAFLUSH, &t), 0);
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(write(m, "new\n", 4), 4);
	EXPECT_EQ(read(s, b, sizeof(b)), 4);
	EXPECT_STREQ(b, "new\n");
	close(s);
	close(m);
}

CASE(tcflush_tciflush_discards_input)
{
	char b[16] = {0};
	int n = -1, m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "old\npart", 8), 8);
	EXPECT_TRUE(readable(s));
	EXPECT_EQ(tcflush(s, TCIFLUSH), 0);
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(write(m, "new\n", 4), 4);
	EXPECT_EQ(read(s, b, sizeof(b)), 4);
	EXPECT_STREQ(b, "new\n");
	close(s);
	close(m);
}

CASE(tcflush_bad_queue_einval)
{
	int m, s = OK(pty(&m));
	EXPECT_ERRNO(tcflush(s, 7), EINVAL);
	close(s);
	close(m);
}

/* ---- flow control ---- */

CASE(ixon_stop_nonblock_write_eagain)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(noncanon(s, 1, 0));
	EXPECT_EQ(write(m, "\023a", 2), 2);
	EXPECT_EQ(readn(s, b, 1), 1); /* the ^S is taken, not read */
	EXPECT_STREQ(b, "a");
	OK(fcntl(s, F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(write(s, "x", 1), EAGAIN);
	EXPECT_TRUE(quiet(m));
	EXPECT_EQ(write(m, "\021b", 2), 2);
	EXPECT_EQ(readn(s, b, 1), 1);
	EXPECT_STREQ(b, "b");
	EXPECT_EQ(write(s, "y", 1), 1);
	EXPECT_EQ(readn(m, b, 1), 1);
	EXPECT_STREQ(b, "y");
	close(s);
	close(m);
}

struct blocked_write {
	int fd;
	ssize_t r;
};

static void *blocked_write_fn(void *p)
{
	struct blocked_write *w = p;
	w->r = write(w->fd, "late", 4);
	return NULL;
}

CASE(ixon_start_resumes_blocked_write)
{
	struct blocked_write w;
	pthread_t th;
	char b[8];
	int m, s = OK(pty(&m));
	OK(noncanon(s, 1, 0));
	EXPECT_EQ(write(m, "\023a", 2), 2);
	EXPECT_EQ(readn(s, b, 1), 1);
	w = (struct blocked_write){.fd = s, .r = -2};
	if (pthread_create(&th, NULL, blocked_write_fn, &w))
		FAIL("pthread_create");
	int q = quiet(m);
	write(m, "\x11", 1);
	ssize_t n = readn(m, b, 4);
	pthread_join(th, NULL);
	EXPECT_TRUE(q);
	EXPECT_EQ(n, 4);
	EXPECT_STREQ(b, "late");
	EXPECT_EQ(w.r, 4);
	close(s);
	close(m);
}

CASE(ixon_off_stop_char_is_data)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(noncanon(s, 1, 0));
	OK(iflags(s, 0, IXON));
	EXPECT_EQ(write(m, "\x13", 1), 1);
	EXPECT_EQ(readn(s, b, 1), 1);
	EXPECT_EQ(b[0], 0x13);
	EXPECT_EQ(write(s, "z", 1), 1);
	EXPECT_EQ(readn(m, b, 1), 1);
	EXPECT_STREQ(b, "z");
	close(s);
	close(m);
}

CASE(tcflow_tcooff_tcoon)
{
	char b[8];
	int m, s = OK(pty(&m));
	OK(fcntl(s, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(tcflow(s, TCOOFF), 0);
	EXPECT_ERRNO(write(s, "x", 1), EAGAIN);
	EXPECT_TRUE(quiet(m));
	EXPECT_EQ(tcflow(s, TCOON), 0);
	EXPECT_EQ(write(s, "y", 1), 1);
	EXPECT_EQ(readn(m, b, 1), 1);
	EXPECT_STREQ(b, "y");
	close(s);
	close(m);
}

CASE(tcdrain_and_tcsendbreak)
{
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(s, "x", 1), 1);
	EXPECT_EQ(tcdrain(s), 0);
	EXPECT_EQ(tcsendbreak(s, 0), 0);
	close(s);
	close(m);
}

/* ---- termios ---- */

CASE(default_termios_slave)
{
	struct termios t;
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	EXPECT_EQ(t.c_iflag, ICRNL | IXON);
	EXPECT_EQ(t.c_oflag, OPOST | ONLCR);
	EXPECT_EQ(t.c_cflag, B38400 | CS8 | CREAD);
	EXPECT_EQ(t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
	EXPECT_EQ(cfgetospeed(&t), B38400);
	EXPECT_EQ(cfgetispeed(&t), B38400);
	EXPECT_EQ(t.c_cc[VINTR], 003);
	EXPECT_EQ(t.c_cc[VQUIT], 034);
	EXPECT_EQ(t.c_cc[VERASE], 0177);
	EXPECT_EQ(t.c_cc[VKILL], 025);
	EXPECT_EQ(t.c_cc[VEOF], 004);
	EXPECT_EQ(t.c_cc[VTIME], 0);
	EXPECT_EQ(t.c_cc[VMIN], 1);
	EXPECT_EQ(t.c_cc[VSTART], 021);
	EXPECT_EQ(t.c_cc[VSTOP], 023);
	EXPECT_EQ(t.c_cc[VSUSP], 032);
	EXPECT_EQ(t.c_cc[VEOL], 0);
	EXPECT_EQ(t.c_cc[VREPRINT], 022);
	EXPECT_EQ(t.c_cc[VDISCARD], 017);
	EXPECT_EQ(t.c_cc[VWERASE], 027);
	EXPECT_EQ(t.c_cc[VLNEXT], 026);
	EXPECT_EQ(t.c_cc[VEOL2], 0);
	close(s);
	close(m);
}

CASE(termios_via_master_is_slaves)
{
	/* TCGETS and TCSETS on the master act on the slave's termios */
	struct termios t, g;
	int m, s = OK(pty(&m));
	OK(tcgetattr(m, &t));
	OK(tcgetattr(s, &g));
	EXPECT_EQ(t.c_iflag, g.c_iflag);
	EXPECT_EQ(t.c_lflag, g.c_lflag);
	t.c_lflag &= ~ECHO;
	EXPECT_EQ(tcsetattr(m, TCSANOW, &t), 0);
	OK(tcgetattr(s, &g));
	EXPECT_EQ(g.c_lflag & ECHO, 0);
	close(s);
	close(m);
}

CASE(cflag_forced_cs8_cread)
{
	/* a pty keeps CS8 | CREAD and no parity whatever is asked (raw TCSETS2: glibc's
	 * tcsetattr may report EINVAL when it reads back what it did not ask for) */
	struct termios2 t;
	int m, s = OK(pty(&m));
	OK(ioctl(s, TCGETS2, &t));
	t.c_cflag = (t.c_cflag & ~(CSIZE | CREAD)) | CS7 | PARENB;
	EXPECT_EQ(ioctl(s, TCSETS2, &t), 0);
	OK(ioctl(s, TCGETS2, &t));
	EXPECT_EQ(t.c_cflag & (CSIZE | CREAD | PARENB), CS8 | CREAD);
	close(s);
	close(m);
}

CASE(termios_cc_roundtrip)
{
	static const int idx[] = {VINTR,    VQUIT,    VERASE,  VKILL,  VEOF,  VTIME,
				  VMIN,	    VSWTC,    VSTART,  VSTOP,  VSUSP, VEOL,
				  VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2};
	struct termios t, g;
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		t.c_cc[idx[i]] = 0x41 + i;
	EXPECT_EQ(tcsetattr(s, TCSANOW, &t), 0);
	OK(tcgetattr(s, &g));
	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
		if (g.c_cc[idx[i]] != 0x41 + i)
			FAIL("c_cc[%d] = %#x, expected %#zx", idx[i], g.c_cc[idx[i]], 0x41 + i);
	close(s);
	close(m);
}

CASE(termios_flags_roundtrip)
{
	struct termios t, g;
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	t.c_iflag = IGNBRK | INLCR | IXANY | IMAXBEL | IUTF8;
	t.c_oflag = OPOST | OCRNL | ONOCR;
	t.c_lflag = ISIG | ECHO | ECHONL | NOFLSH | TOSTOP;
	cfsetspeed(&t, B9600);
	EXPECT_EQ(tcsetattr(s, TCSADRAIN, &t), 0);
	OK(tcgetattr(s, &g));
	EXPECT_EQ(g.c_iflag, t.c_iflag);
	EXPECT_EQ(g.c_oflag, t.c_oflag);
	EXPECT_EQ(g.c_lflag, t.c_lflag);
	EXPECT_EQ(cfgetospeed(&g), B9600);
	EXPECT_EQ(cfgetispeed(&g), B9600);
	close(s);
	close(m);
}

CASE(tcgets2_tcsets2_custom_speed)
{
	struct termios2 t, g;
	struct termios old;
	int m, s = OK(pty(&m));
	EXPECT_EQ(ioctl(s, TCGETS2, &t), 0);
	OK(tcgetattr(s, &old));
	EXPECT_EQ(t.c_lflag, old.c_lflag);
	EXPECT_EQ(t.c_ospeed, 38400);
	EXPECT_EQ(t.c_ispeed, 38400);
	t.c_cflag = (t.c_cflag & ~CBAUD) | BOTHER;
	t.c_ispeed = t.c_ospeed = 12345;
	EXPECT_EQ(ioctl(s, TCSETS2, &t), 0);
	EXPECT_EQ(ioctl(s, TCGETS2, &g), 0);
	EXPECT_EQ(g.c_cflag & CBAUD, BOTHER);
	EXPECT_EQ(g.c_ospeed, 12345);
	EXPECT_EQ(g.c_ispeed, 12345);
	close(s);
	close(m);
}

/* ---- TIOCSTI, large output ---- */

CASE(tiocsti_as_root_injects_input)
{
	/* refused without CAP_SYS_ADMIN (and dev.tty.legacy_tiocsti=0); the suite runs as root */
	char b[8] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(ioctl(s, TIOCSTI, "o"), 0);
	EXPECT_EQ(ioctl(s, TIOCSTI, "\n"), 0);
	EXPECT_EQ(read(s, b, sizeof(b)), 2);
	EXPECT_STREQ(b, "o\n");
	close(s);
	close(m);
}

struct drain {
	int fd;
	size_t want, got;
};

static void *drain_fn(void *p)
{
	struct drain *d = p;
	char b[4096];
	struct pollfd pf = {.fd = d->fd, .events = POLLIN};
	while (d->got < d->want && poll(&pf, 1, 5000) == 1) {
		usleep(100); /* a slow reader: let the writer fill the buffer */
		ssize_t r = read(d->fd, b, sizeof(b));
		if (r <= 0)
			break;
		d->got += r;
	}
	return NULL;
}

CASE(large_write_with_slow_reader)
{
	static char big[100 * 1024];
	struct drain d;
	pthread_t th;
	int m, s = OK(pty(&m));
	OK(oflags(s, 0, OPOST));
	memset(big, 'x', sizeof(big));
	d = (struct drain){.fd = m, .want = sizeof(big)};
	if (pthread_create(&th, NULL, drain_fn, &d))
		FAIL("pthread_create");
	ssize_t n = write(s, big, sizeof(big));
	pthread_join(th, NULL);
	EXPECT_EQ(n, sizeof(big));
	EXPECT_EQ(d.got, sizeof(big));
	close(s);
	close(m);
}

CASE(large_write_to_slave_input)
{
	/* master to slave in raw mode: the slave reads all of it */
	static char big[64 * 1024];
	struct drain d;
	pthread_t th;
	int m, s = OK(pty(&m));
	OK(noncanon(s, 1, 0));
	OK(iflags(s, 0, ICRNL | IXON));
	memset(big, 'y', sizeof(big));
	d = (struct drain){.fd = s, .want = sizeof(big)};
	if (pthread_create(&th, NULL, drain_fn, &d))
		FAIL("pthread_create");
	ssize_t n = write(m, big, sizeof(big));
	pthread_join(th, NULL);
	EXPECT_EQ(n, sizeof(big));
	EXPECT_EQ(d.got, sizeof(big));
	close(s);
	close(m);
}
