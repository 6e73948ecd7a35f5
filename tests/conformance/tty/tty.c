/* tty: pseudo-terminals and the terminal ioctls (tcgetattr, winsize, ENOTTY). */
#define AREA "tty"
#include "../harness.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>

/* Open a pty pair: master in *m, slave returned (or -1). */
static int pty(int *m)
{
	*m = posix_openpt(O_RDWR | O_NOCTTY);
	if (*m < 0 || grantpt(*m) < 0 || unlockpt(*m) < 0)
		return -1;
	return open(ptsname(*m), O_RDWR | O_NOCTTY);
}

CASE(openpt_and_slave)
{
	int m, s = OK(pty(&m));
	EXPECT_EQ(isatty(s), 1);
	EXPECT_EQ(isatty(m), 1);
	close(s);
	close(m);
}

CASE(tcgetattr_slave)
{
	struct termios t;
	int m, s = OK(pty(&m));
	EXPECT_EQ(tcgetattr(s, &t), 0);
	EXPECT_TRUE(t.c_lflag & ICANON);
	close(s);
	close(m);
}

CASE(tcsetattr_roundtrip)
{
	struct termios t, g;
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	cfmakeraw(&t);
	EXPECT_EQ(tcsetattr(s, TCSANOW, &t), 0);
	OK(tcgetattr(s, &g));
	EXPECT_EQ(g.c_lflag & ICANON, 0);
	close(s);
	close(m);
}

CASE(winsize_roundtrip)
{
	struct winsize w = {.ws_row = 33, .ws_col = 99}, g = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(ioctl(m, TIOCSWINSZ, &w), 0);
	EXPECT_EQ(ioctl(s, TIOCGWINSZ, &g), 0);
	EXPECT_EQ(g.ws_row, 33);
	EXPECT_EQ(g.ws_col, 99);
	close(s);
	close(m);
}

CASE(master_to_slave_canonical)
{
	char b[16] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "line\n", 5), 5);
	EXPECT_EQ(read(s, b, sizeof(b)), 5);
	EXPECT_STREQ(b, "line\n");
	close(s);
	close(m);
}

CASE(slave_to_master_onlcr)
{
	char b[16] = {0};
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(s, "x\n", 2), 2);
	EXPECT_EQ(read(m, b, sizeof(b)), 3);
	EXPECT_STREQ(b, "x\r\n");
	close(s);
	close(m);
}

CASE(ttyname_of_slave)
{
	int m, s = OK(pty(&m));
	char *n = ttyname(s);
	EXPECT_TRUE(n != NULL);
	EXPECT_STREQ(n, ptsname(m));
	close(s);
	close(m);
}

CASE(tcgetattr_pipe_enotty)
{
	int p[2];
	struct termios t;
	OK(pipe(p));
	EXPECT_ERRNO(tcgetattr(p[0], &t), ENOTTY);
	close(p[0]);
	close(p[1]);
}

CASE(tiocgwinsz_devnull_enotty)
{
	struct winsize w;
	int fd = OK(open("/dev/null", O_RDWR));
	EXPECT_ERRNO(ioctl(fd, TIOCGWINSZ, &w), ENOTTY);
	close(fd);
}

CASE(tcsetattr_bad_action_einval)
{
	struct termios t;
	int m, s = OK(pty(&m));
	OK(tcgetattr(s, &t));
	EXPECT_ERRNO(tcsetattr(s, 99, &t), EINVAL);
	close(s);
	close(m);
}

CASE(fionread_on_slave)
{
	int n = -1, m, s = OK(pty(&m));
	struct pollfd pf = {.fd = s, .events = POLLIN};
	write(m, "ab\n", 3);
	EXPECT_EQ(poll(&pf, 1, 2000), 1); /* the line discipline runs asynchronously */
	EXPECT_EQ(ioctl(s, FIONREAD, &n), 0);
	EXPECT_EQ(n, 3);
	close(s);
	close(m);
}

CASE(dev_tty_without_ctty_enxio)
{
	/* the runner gives tests no controlling terminal */
	int fd = open("/dev/tty", O_RDWR), e = errno;
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(fd, -1);
	EXPECT_EQ(e, ENXIO);
}
