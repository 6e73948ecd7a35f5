/* tty: devpts and the pty pair: posix_openpt/grantpt/unlockpt/ptsname, the pty lock, TIOCGPTN,
 * TIOCGPTPEER, the device numbers of /dev/ptmx and /dev/pts/N, what each side sees when the
 * other closes (EIO, EOF, the poll bits), packet mode (TIOCPKT), FIONREAD and TIOCOUTQ. */
#define AREA "tty"
#include "../harness.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>

#define POLLMASK (POLLIN | POLLOUT | POLLHUP | POLLERR)

/* Open a pty pair: master in *m, slave returned (or -1). */
static int pty(int *m)
{
	*m = posix_openpt(O_RDWR | O_NOCTTY);
	if (*m < 0 || grantpt(*m) < 0 || unlockpt(*m) < 0)
		return -1;
	return open(ptsname(*m), O_RDWR | O_NOCTTY);
}

/* The poll bits of fd for POLLIN|POLLOUT within ms, masked to POLLMASK. */
static int revents(int fd, int ms)
{
	struct pollfd pf = {.fd = fd, .events = POLLIN | POLLOUT};
	if (poll(&pf, 1, ms) < 0)
		return -1;
	return pf.revents & POLLMASK;
}

/* Wait up to 2 s for fd to be readable. */
static int readable(int fd)
{
	struct pollfd pf = {.fd = fd, .events = POLLIN};
	return poll(&pf, 1, 2000) == 1 && (pf.revents & POLLIN);
}

CASE(openpt_grant_unlock_ptsname)
{
	int m = OK(posix_openpt(O_RDWR | O_NOCTTY));
	EXPECT_EQ(grantpt(m), 0);
	EXPECT_EQ(unlockpt(m), 0);
	char *n = ptsname(m);
	EXPECT_TRUE(n != NULL);
	EXPECT_EQ(strncmp(n, "/dev/pts/", 9), 0);
	close(m);
}

CASE(slave_open_before_unlock_eio)
{
	int m = OK(posix_openpt(O_RDWR | O_NOCTTY));
	OK(grantpt(m));
	EXPECT_ERRNO(open(ptsname(m), O_RDWR | O_NOCTTY), EIO);
	OK(unlockpt(m));
	int s = OK(open(ptsname(m), O_RDWR | O_NOCTTY));
	close(s);
	close(m);
}

CASE(tiocgptn_matches_ptsname)
{
	unsigned n = ~0u;
	char want[32];
	int m, s = OK(pty(&m));
	EXPECT_EQ(ioctl(m, TIOCGPTN, &n), 0);
	snprintf(want, sizeof(want), "/dev/pts/%u", n);
	EXPECT_STREQ(ptsname(m), want);
	close(s);
	close(m);
}

CASE(tiocsptlck_lock_and_unlock)
{
	int lk = -1, zero = 0, one = 1;
	int m = OK(posix_openpt(O_RDWR | O_NOCTTY));
	EXPECT_EQ(ioctl(m, TIOCGPTLCK, &lk), 0);
	EXPECT_EQ(lk, 1); /* a new pty is locked */
	EXPECT_EQ(ioctl(m, TIOCSPTLCK, &zero), 0);
	EXPECT_EQ(ioctl(m, TIOCGPTLCK, &lk), 0);
	EXPECT_EQ(lk, 0);
	EXPECT_EQ(ioctl(m, TIOCSPTLCK, &one), 0);
	EXPECT_EQ(ioctl(m, TIOCGPTLCK, &lk), 0);
	EXPECT_EQ(lk, 1);
	EXPECT_ERRNO(open(ptsname(m), O_RDWR | O_NOCTTY), EIO);
	EXPECT_EQ(ioctl(m, TIOCSPTLCK, &zero), 0);
	int s = OK(open(ptsname(m), O_RDWR | O_NOCTTY));
	close(s);
	close(m);
}

CASE(ptmx_ioctls_on_slave_enotty)
{
	unsigned n;
	int zero = 0, m, s = OK(pty(&m));
	EXPECT_ERRNO(ioctl(s, TIOCGPTN, &n), ENOTTY);
	EXPECT_ERRNO(ioctl(s, TIOCSPTLCK, &zero), ENOTTY);
	EXPECT_ERRNO(ioctl(s, TIOCGPTPEER, O_RDWR | O_NOCTTY), EIO); /* not ENOTTY */
	EXPECT_ERRNO(ioctl(s, TIOCPKT, &zero), ENOTTY);
	EXPECT_TRUE(ptsname(s) == NULL);
	close(s);
	close(m);
}

CASE(tiocgptpeer_opens_slave)
{
	struct stat a, b;
	int m, s = OK(pty(&m));
	int p = OK(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	EXPECT_EQ(isatty(p), 1);
	EXPECT_STREQ(ttyname(p), ptsname(m));
	OK(fstat(p, &a));
	OK(fstat(s, &b));
	EXPECT_EQ(a.st_rdev, b.st_rdev);
	EXPECT_EQ(write(m, "pe\n", 3), 3);
	char buf[8] = {0};
	EXPECT_EQ(read(p, buf, sizeof(buf)), 3);
	EXPECT_STREQ(buf, "pe\n");
	close(p);
	close(s);
	close(m);
}

CASE(tiocgptpeer_before_unlock_eio)
{
	int m = OK(posix_openpt(O_RDWR | O_NOCTTY));
	OK(grantpt(m));
	EXPECT_ERRNO(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY), EIO);
	close(m);
}

CASE(slave_node_major_136)
{
	struct stat st;
	unsigned n;
	int m, s = OK(pty(&m));
	OK(ioctl(m, TIOCGPTN, &n));
	EXPECT_EQ(stat(ptsname(m), &st), 0);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 136);
	EXPECT_EQ(minor(st.st_rdev), n);
	OK(fstat(s, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 136);
	EXPECT_EQ(minor(st.st_rdev), n);
	close(s);
	close(m);
}

CASE(master_fstat_5_2)
{
	struct stat st;
	int m = OK(posix_openpt(O_RDWR | O_NOCTTY));
	EXPECT_EQ(fstat(m, &st), 0);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 5);
	EXPECT_EQ(minor(st.st_rdev), 2);
	close(m);
}

CASE(dev_ptmx_is_chr_5_2)
{
	struct stat st;
	EXPECT_EQ(stat("/dev/ptmx", &st), 0);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 5);
	EXPECT_EQ(minor(st.st_rdev), 2);
}

CASE(devpts_own_ptmx_node)
{
	/* devpts has its own ptmx (its mode follows the ptmxmode= mount option, so not checked) */
	struct stat st;
	EXPECT_EQ(stat("/dev/pts/ptmx", &st), 0);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 5);
	EXPECT_EQ(minor(st.st_rdev), 2);
}

CASE(ttyname_of_slave_is_ptsname)
{
	int m, s = OK(pty(&m));
	EXPECT_STREQ(ttyname(s), ptsname(m));
	char buf[64];
	EXPECT_EQ(ttyname_r(s, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, ptsname(m));
	close(s);
	close(m);
}

CASE(two_pairs_distinct_index)
{
	unsigned a, b;
	char n1[64], n2[64];
	int m1, s1 = OK(pty(&m1));
	int m2, s2 = OK(pty(&m2));
	OK(ioctl(m1, TIOCGPTN, &a));
	OK(ioctl(m2, TIOCGPTN, &b));
	EXPECT_NE(a, b);
	EXPECT_EQ(ptsname_r(m1, n1, sizeof(n1)), 0);
	EXPECT_EQ(ptsname_r(m2, n2, sizeof(n2)), 0);
	EXPECT_TRUE(strcmp(n1, n2) != 0);
	close(s1);
	close(m1);
	close(s2);
	close(m2);
}

CASE(isatty_master_and_slave)
{
	int m, s = OK(pty(&m));
	EXPECT_EQ(isatty(m), 1);
	EXPECT_EQ(isatty(s), 1);
	close(s);
	close(m);
}

CASE(isatty_pipe_enotty)
{
	int p[2];
	OK(pipe(p));
	errno = 0;
	int r = isatty(p[0]), e = errno;
	EXPECT_EQ(r, 0);
	EXPECT_EQ(e, ENOTTY);
	close(p[0]);
	close(p[1]);
}

CASE(initial_poll_writable)
{
	int m, s = OK(pty(&m));
	EXPECT_EQ(revents(m, 0), POLLOUT);
	EXPECT_EQ(revents(s, 0), POLLOUT);
	close(s);
	close(m);
}

CASE(master_nonblock_read_eagain)
{
	char c;
	int m, s = OK(pty(&m));
	OK(fcntl(m, F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(read(m, &c, 1), EAGAIN);
	close(s);
	close(m);
}

CASE(slave_closed_master_read_eio)
{
	char b[16];
	int m, s = OK(pty(&m));
	close(s);
	EXPECT_ERRNO(read(m, b, sizeof(b)), EIO);
	close(m);
}

CASE(slave_closed_master_poll_hup)
{
	char b[16];
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(s, "hi", 2), 2);
	close(s);
	EXPECT_TRUE(readable(m));
	/* output still to read: readable as well as hung up */
	EXPECT_EQ(revents(m, 0), POLLIN | POLLOUT | POLLHUP);
	EXPECT_EQ(read(m, b, sizeof(b)), 2);
	EXPECT_EQ(revents(m, 0), POLLOUT | POLLHUP);
	EXPECT_ERRNO(read(m, b, sizeof(b)), EIO);
	close(m);
}

CASE(slave_closed_master_write_succeeds)
{
	int m, s = OK(pty(&m));
	close(s);
	EXPECT_EQ(write(m, "x", 1), 1);
	close(m);
}

CASE(slave_reopen_after_close)
{
	char b[8] = {0};
	int m, s = OK(pty(&m));
	close(s);
	s = OK(open(ptsname(m), O_RDWR | O_NOCTTY));
	EXPECT_EQ(write(s, "r", 1), 1);
	EXPECT_EQ(read(m, b, sizeof(b)), 1);
	EXPECT_STREQ(b, "r");
	close(s);
	close(m);
}

CASE(master_closed_slave_write_eio)
{
	int m, s = OK(pty(&m));
	close(m);
	EXPECT_ERRNO(write(s, "x", 1), EIO);
	close(s);
}

CASE(master_closed_slave_read_eof)
{
	char b[16];
	int m, s = OK(pty(&m));
	close(m);
	EXPECT_EQ(read(s, b, sizeof(b)), 0);
	EXPECT_EQ(read(s, b, sizeof(b)), 0);
	close(s);
}

CASE(master_closed_slave_poll)
{
	int m, s = OK(pty(&m));
	close(m);
	EXPECT_EQ(revents(s, 0), POLLIN | POLLOUT | POLLHUP | POLLERR);
	close(s);
}

CASE(master_closed_pending_input_lost)
{
	char b[16];
	int m, s = OK(pty(&m));
	EXPECT_EQ(write(m, "ab\n", 3), 3);
	EXPECT_TRUE(readable(s));
	close(m);
	EXPECT_EQ(read(s, b, sizeof(b)), 0); /* the hangup discards it */
	close(s);
}

CASE(master_closed_slave_node_gone)
{
	/* the slave still holds the index, so no other pty can take the name meanwhile */
	struct stat st;
	char name[64];
	int m, s = OK(pty(&m));
	OK(ptsname_r(m, name, sizeof(name)));
	close(m);
	int fd = open(name, O_RDWR | O_NOCTTY), e = errno;
	if (fd >= 0)
		close(fd);
	int r = stat(name, &st), e2 = errno;
	close(s);
	EXPECT_EQ(fd, -1);
	EXPECT_EQ(e, ENOENT);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e2, ENOENT);
}

CASE(pkt_mode_get_and_set)
{
	int v = -1, one = 1, zero = 0, m, s = OK(pty(&m));
	EXPECT_EQ(ioctl(m, TIOCGPKT, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(ioctl(m, TIOCPKT, &one), 0);
	EXPECT_EQ(ioctl(m, TIOCGPKT, &v), 0);
	EXPECT_EQ(v, 1);
	EXPECT_EQ(ioctl(m, TIOCPKT, &zero), 0);
	EXPECT_EQ(ioctl(m, TIOCGPKT, &v), 0);
	EXPECT_EQ(v, 0);
	close(s);
	close(m);
}

CASE(pkt_data_byte_first)
{
	char b[16] = {1};
	int one = 1, m, s = OK(pty(&m));
	OK(ioctl(m, TIOCPKT, &one));
	EXPECT_EQ(write(s, "q", 1), 1);
	EXPECT_EQ(read(m, b, sizeof(b)), 2);
	EXPECT_EQ(b[0], TIOCPKT_DATA);
	EXPECT_EQ(b[1], 'q');
	close(s);
	close(m);
}

CASE(pkt_slave_tciflush_flushread)
{
	char b[16] = {0};
	int one = 1, m, s = OK(pty(&m));
	OK(ioctl(m, TIOCPKT, &one));
	EXPECT_EQ(tcflush(s, TCIFLUSH), 0);
	struct pollfd pf = {.fd = m, .events = POLLIN | POLLPRI};
	EXPECT_EQ(poll(&pf, 1, 2000), 1);
	EXPECT_EQ(pf.revents, POLLIN | POLLPRI);
	EXPECT_EQ(read(m, b, sizeof(b)), 1);
	EXPECT_EQ(b[0], TIOCPKT_FLUSHREAD);
	close(s);
	close(m);
}

CASE(pkt_slave_tcoflush_flushwrite)
{
	char b[16] = {0};
	int one = 1, m, s = OK(pty(&m));
	OK(ioctl(m, TIOCPKT, &one));
	EXPECT_EQ(tcflush(s, TCOFLUSH), 0);
	EXPECT_EQ(read(m, b, sizeof(b)), 1);
	EXPECT_EQ(b[0], TIOCPKT_FLUSHWRITE);
	EXPECT_EQ(tcflush(s, TCIOFLUSH), 0);
	EXPECT_EQ(read(m, b, sizeof(b)), 1);
	EXPECT_EQ(b[0], TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE);
	close(s);
	close(m);
}

CASE(fionread_master_after_slave_write)
{
	int n = -1, m, s = OK(pty(&m));
	EXPECT_EQ(write(s, "abc", 3), 3);
	EXPECT_TRUE(readable(m)); /* the line discipline runs asynchronously */
	EXPECT_EQ(ioctl(m, FIONREAD, &n), 0);
	EXPECT_EQ(n, 3);
	close(s);
	close(m);
}

CASE(tiocoutq_slave_zero)
{
	/* a pty's output goes straight to the master's input: nothing waits in an output queue */
	int n = -1, m, s = OK(pty(&m));
	EXPECT_EQ(ioctl(s, TIOCOUTQ, &n), 0);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(write(s, "abc", 3), 3);
	EXPECT_EQ(ioctl(s, TIOCOUTQ, &n), 0);
	EXPECT_EQ(n, 0);
	close(s);
	close(m);
}
