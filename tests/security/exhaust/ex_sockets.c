/*
 * Socket exhaustion (net/unix.c, net/netlink.c).  MODE:
 *   buffers N SIZE MIB   up to N stream socketpairs, SO_SNDBUF raised to the
 *            most, each filled with MSG_DONTWAIT sends of SIZE bytes until
 *            a send fails: EAGAIN is "this pair is full"; another errno
 *            (uos: ENOBUFS, the guests' socket memory is past --memory)
 *            stops the attack.  Prints that errno and whether the bytes
 *            queued stayed within MIB; then everything is read back and
 *            closed, and a new pair takes data again.  SIZE 1 makes a
 *            message per byte: what each costs beyond its bytes must be
 *            charged too.
 *   cycles   up to 20000 times: a socketpair, one end sent over the other
 *            (SCM_RIGHTS) so that it waits in its own receive queue, both
 *            closed: a cycle in flight.  Linux and uos collect them (no
 *            failure; uncollected, uos would say ETOOMANYREFS past
 *            MEMCG_INFLIGHT, 16384 files).  Then a plain send still works.
 *   chain [ring]  16000 socketpairs, each one's end sent into the next
 *            one's queue and closed, so that only flight holds the chain;
 *            with ring the first takes the last (a cycle for the
 *            collector); then the last fd is closed.  Freeing the chain
 *            must not recurse once per link in uos (its stack), and a
 *            plain send works after.
 *   fds      one pair; a pipe's two ends sent SCM_MAX_FD (253) at a time,
 *            never received, until a send fails (EAGAIN, ETOOMANYREFS or
 *            ENOBUFS: bounded); then every message is received with its
 *            files (the pipe's), and the fd table is as before.
 *   netlink N MIB  N NETLINK_ROUTE sockets, SO_RCVBUF raised to the most,
 *            each sent batches of link requests (thousands a datagram) and
 *            never read until its answers would fill twice its SO_RCVBUF:
 *            the answers past it (uos: or past the guests' socket memory)
 *            are dropped and a receive says ENOBUFS once.  A socket that
 *            cannot be made (uos: ENOBUFS, the socket memory is full) ends
 *            the attack.  Prints that errno, whether every socket made
 *            said ENOBUFS and the bytes read back stayed within MIB; then
 *            a new socket's request is answered.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exhaust.h"

#define SCM_MAX 253

static char buf[65536];
static char nlbuf[32 * 6000];

/* Send fd's files (nfds of them, from fds) with one byte, or none. */
static long send_fds(int s, const int *fds, int nfds, int flags)
{
	union {
		char b[CMSG_SPACE(SCM_MAX * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {buf, 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (nfds) {
		mh.msg_control = ctl.b;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	return sendmsg(s, &mh, flags);
}

/* The fds open now (/proc/self/fd), without the directory's own. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and d's fd */
}

static int chain(bool ring)
{
	int prev = -1, first = -1, i, err = 0;
	for (i = 0; i < 16000 && !err; i++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
			err = errno;
			break;
		}
		if (prev >= 0 && send_fds(sv[0], &prev, 1, MSG_DONTWAIT) < 0)
			err = errno;
		if (prev >= 0)
			close(prev);
		else if (ring)
			first = sv[0];
		if (sv[0] != first)
			close(sv[0]);
		prev = sv[1];
	}
	if (ring && send_fds(first, &prev, 1, MSG_DONTWAIT) < 0)
		err = errno;
	close(first);
	close(prev);
	printf("chain%s: %s\n", ring ? " (ring)" : "", err ? ename(err) : "built and closed");
	fprintf(stderr, "ex_sockets: %d links\n", i);
	int sv[2];
	said("after: socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	said("after: a plain send", send(sv[0], "x", 1, MSG_DONTWAIT));
	return 0;
}

static int buffers(long n, long size, long mib)
{
	struct rlimit r = {(rlim_t)(2 * n + 64), (rlim_t)(2 * n + 64)};
	int (*p)[2] = calloc((size_t)n, sizeof(*p)), first = 0, big = 1 << 30;
	long total = 0, made = 0, sends = 0;
	said("setrlimit NOFILE", setrlimit(RLIMIT_NOFILE, &r));
	for (; made < n && !first; made++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p[made]) < 0) {
			printf("socketpair: %s\n", ename(errno));
			break;
		}
		setsockopt(p[made][0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
		long k;
		while ((k = send(p[made][0], buf, (size_t)size, MSG_DONTWAIT)) > 0) {
			total += k;
			sends++;
		}
		if (errno != EAGAIN)
			first = errno;
	}
	usleep(100000); /* hold the peak long enough for hostcheck's sampler */
	printf("first send failure other than full: %s\n", first ? ename(first) : "none");
	printf("bytes queued within %ld MiB: %s\n", mib, total <= (mib << 20) ? "yes" : "no");
	fprintf(stderr, "ex_sockets: %ld pairs, %ld sends, %ld bytes queued\n", made, sends, total);
	long back = 0, k;
	for (long i = 0; i < made; i++) {
		while ((k = recv(p[i][1], buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			back += k;
		close(p[i][0]);
		close(p[i][1]);
	}
	printf("every byte read back: %s\n", back == total ? "yes" : "no");
	int q[2];
	total = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, q) < 0) {
		printf("after: socketpair %s\n", ename(errno));
		return 0;
	}
	while ((k = send(q[0], buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		total += k;
	printf("after: a new pair takes %s, then %s\n", total >= 65536 ? ">= 64 KiB" : "less",
	       ename(errno));
	return 0;
}

static int cycles(void)
{
	long i;
	int err = 0;
	for (i = 0; i < 20000; i++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
			printf("socketpair: %s\n", ename(errno));
			return 0;
		}
		long r = send_fds(sv[0], &sv[1], 1, MSG_DONTWAIT);
		if (r < 0)
			err = errno;
		close(sv[0]);
		close(sv[1]);
		if (err)
			break;
	}
	if (err)
		printf("sendmsg failed: %s after %s cycles\n", ename(err),
		       i >= 10000 ? ">= 10000" : "< 10000");
	else
		printf("sendmsg failed: never in 20000 cycles\n");
	fprintf(stderr, "ex_sockets: %ld cycles\n", i);
	int sv[2];
	said("after: socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	said("after: a plain send", send(sv[0], "x", 1, MSG_DONTWAIT));
	return 0;
}

static int fds(void)
{
	int sv[2], pp[2], many[SCM_MAX], before = count_fds();
	long sent = 0, got = 0, files = 0, foreign = 0;
	struct stat pst, st;
	union {
		char b[CMSG_SPACE(SCM_MAX * sizeof(int))];
		struct cmsghdr align;
	} ctl;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(pp) < 0) {
		printf("setup: %s\n", ename(errno));
		return 0;
	}
	for (int i = 0; i < SCM_MAX; i++)
		many[i] = pp[i & 1];
	fstat(pp[0], &pst);
	while (sent < 1000000 && send_fds(sv[0], many, SCM_MAX, MSG_DONTWAIT) == 1)
		sent++;
	int e = errno;
	printf("sends stopped by EAGAIN, ETOOMANYREFS or ENOBUFS: %s\n",
	       e == EAGAIN || e == ETOOMANYREFS || e == ENOBUFS ? "yes" : ename(e));
	printf("messages sent: %s\n", sent > 0 && sent < 1000000 ? "some (bounded)" : "none or unbounded");
	fprintf(stderr, "ex_sockets: %ld messages of %d files, then %s\n", sent, SCM_MAX, ename(e));
	for (;;) {
		struct iovec iov = {buf, 1};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
				    .msg_controllen = sizeof(ctl.b)};
		if (recvmsg(sv[1], &mh, MSG_DONTWAIT) <= 0)
			break;
		got++;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
				continue;
			int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			int *fd = (int *)CMSG_DATA(cm);
			for (int j = 0; j < k; j++) {
				files++;
				if (fstat(fd[j], &st) < 0 || st.st_ino != pst.st_ino)
					foreign++;
				close(fd[j]);
			}
		}
	}
	printf("recvmsg: %s messages back, errno %s\n", got == sent ? "all" : "not all",
	       ename(errno));
	printf("files back: %s, all the pipe's: %s\n", files == sent * SCM_MAX ? "all" : "not all",
	       foreign ? "no" : "yes");
	close(sv[0]);
	close(sv[1]);
	close(pp[0]);
	close(pp[1]);
	printf("fd table as before: %s\n", count_fds() == before ? "yes" : "no");
	return 0;
}

#define NL_BATCH 6000 /* 32-byte requests in one datagram, within SO_SNDBUF */

/* A datagram of NL_BATCH RTM_GETLINK requests for lo (index 1). */
static size_t nl_batch(void)
{
	for (int i = 0; i < NL_BATCH; i++) {
		struct nlmsghdr h = {.nlmsg_len = 32, .nlmsg_type = RTM_GETLINK,
				     .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = (unsigned)i};
		struct ifinfomsg ifi = {.ifi_index = 1};
		memcpy(nlbuf + 32 * i, &h, sizeof(h));
		memcpy(nlbuf + 32 * i + sizeof(h), &ifi, sizeof(ifi));
	}
	return 32 * NL_BATCH;
}

/* Read everything queued on fd: the bytes, and whether ENOBUFS was said. */
static long nl_drain(int fd, int *overrun)
{
	long back = 0, k;
	for (;;) {
		k = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (k < 0 && errno == ENOBUFS) {
			*overrun = 1;
			continue;
		}
		if (k <= 0)
			return back;
		back += k;
	}
}

static int netlink(long n, long mib)
{
	int *fds = calloc((size_t)n, sizeof(int)), big = 1 << 30, every = 1, first = 0;
	size_t len = nl_batch();
	long made = 0, back = 0, batches = 0;
	for (; made < n; made++) {
		int rcv = 0;
		socklen_t sl = sizeof(rcv);
		fds[made] = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
		if (fds[made] < 0) {
			first = errno;
			break;
		}
		setsockopt(fds[made], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
		getsockopt(fds[made], SOL_SOCKET, SO_RCVBUF, &rcv, &sl);
		for (long asked = 0; asked * 1024 < 2L * rcv; asked += NL_BATCH, batches++)
			if (send(fds[made], nlbuf, len, 0) != (ssize_t)len)
				printf("send: %s\n", ename(errno));
	}
	usleep(100000); /* hold the peak long enough for hostcheck's sampler */
	for (long i = 0; i < made; i++) {
		int overrun = 0;
		back += nl_drain(fds[i], &overrun);
		every &= overrun;
		close(fds[i]);
	}
	printf("first socket failure: %s\n", first ? ename(first) : "none");
	printf("every socket said ENOBUFS: %s\n", every && made > 0 ? "yes" : "no");
	printf("answers queued within %ld MiB: %s\n", mib, back <= (mib << 20) ? "yes" : "no");
	fprintf(stderr, "ex_sockets: %ld sockets, %ld batches, %ld bytes read back\n", made, batches,
		back);
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), overrun = 0;
	send(fd, nlbuf, 32, 0);
	printf("after: a request is answered: %s\n", nl_drain(fd, &overrun) > 0 ? "yes" : "no");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	memset(buf, 'x', sizeof(buf));
	if (argc > 4 && !strcmp(argv[1], "buffers"))
		return buffers(atol(argv[2]), atol(argv[3]), atol(argv[4]));
	if (argc > 1 && !strcmp(argv[1], "cycles"))
		return cycles();
	if (argc > 1 && !strcmp(argv[1], "fds"))
		return fds();
	if (argc > 1 && !strcmp(argv[1], "chain"))
		return chain(argc > 2);
	if (argc > 3 && !strcmp(argv[1], "netlink"))
		return netlink(atol(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: ex_sockets buffers N SIZE MIB | cycles | chain [ring] | fds | netlink N MIB\n");
	return 2;
}
