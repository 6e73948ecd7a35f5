/*
 * sock-msghdr-race: the main thread calls sendmsg and recvmsg with
 * SCM_RIGHTS (MSG_DONTWAIT) on a stream, a datagram and a seqpacket pair,
 * ROUNDS times, while a second thread keeps rewriting what those calls read:
 * both headers' msg_iovlen, msg_controllen and msg_control (now and then
 * NULL+1: sendmsg says EFAULT, recvmsg gives the data without the files), and
 * in the send's control buffer cmsg_len and the fd numbers (the pipe's, the
 * sockets' own, stdin, -1, 9999).  Every call must give a byte count within what it offered, or
 * one of Linux's errnos for it; every file received is one the program sent
 * (a pipe end or one of its sockets) and is closed; at the end, the queues
 * drained, /proc/self/fd lists exactly what it listed before: no fd was
 * installed that a control buffer did not name.  Prints
 * "sock_msghdr_race: 0 bad" when all held.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROUNDS 20000
#define NIOV 1100	/* more than UIO_MAXIOV: EMSGSIZE past 1024 */
#define CTL 4096

static char data[NIOV][8];
static struct iovec siov[NIOV], riov[NIOV];
static _Alignas(struct cmsghdr) char sctl[CTL], rctl[CTL];
static struct msghdr smh, rmh;
static atomic_int stop;
static int sv[3][2], pp[2];
static int vals[8];
static long bad;
#define say(...) (bad++ < 20 ? printf(__VA_ARGS__) : 0)
static unsigned long errs_send[160], errs_recv[160], oks_send, oks_recv, files_back;

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void *flipper(void *arg)
{
	unsigned s = 12345;
	static const size_t iovlens[] = {0, 1, 2, 3, 1024, 1025, NIOV};
	static const size_t ctllens[] = {0, 1, 15, 16, 17, 20, 24, CMSG_SPACE(8), CMSG_SPACE(16),
					 CTL, 20481};
	static const size_t cmlens[] = {0, 1, 15, 16, CMSG_LEN(4), CMSG_LEN(8), CMSG_LEN(16),
					CMSG_LEN(16) + 3, CMSG_LEN(253 * 4), CMSG_LEN(254 * 4), CTL,
					~(size_t)0};
	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		unsigned r = rnd(&s);
		struct cmsghdr *cm = (struct cmsghdr *)sctl;
		int *fd = (int *)CMSG_DATA(cm);
		bool good = (r >> 12) & 1; /* half the time a value that works, to keep files moving */
		switch (r % 8) {
		case 0:
			*(volatile size_t *)&smh.msg_iovlen = good ? 2 : iovlens[(r >> 4) % 7];
			break;
		case 1:
			*(volatile size_t *)&rmh.msg_iovlen = good ? 2 : iovlens[(r >> 4) % 7];
			break;
		case 2:
			*(volatile size_t *)&smh.msg_controllen =
				good ? CMSG_SPACE(8 * sizeof(int)) : ctllens[(r >> 4) % 11];
			break;
		case 3:
			*(volatile size_t *)&rmh.msg_controllen = good ? CTL : ctllens[(r >> 4) % 11];
			break;
		case 4:
			*(volatile size_t *)&cm->cmsg_len =
				good ? CMSG_LEN(8 * sizeof(int)) : cmlens[(r >> 4) % 12];
			break;
		case 5:
			((volatile int *)fd)[(r >> 4) % 8] = good ? pp[(r >> 5) & 1] : vals[(r >> 8) % 8];
			break;
		case 6: /* a control buffer the kernel cannot read */
			*(void *volatile *)&smh.msg_control = good ? (void *)sctl : (void *)1;
			break;
		case 7: /* one it cannot write: the data still comes, the files do not */
			*(void *volatile *)&rmh.msg_control = good ? (void *)rctl : (void *)1;
			break;
		}
		for (volatile int spin = 0; spin < (int)(r % 64); spin++)
			;
	}
	return NULL;
}

static bool ours(int fd, const struct stat *got)
{
	struct stat st;
	int mine[] = {pp[0], pp[1], sv[0][0], sv[0][1], sv[1][0], sv[1][1], sv[2][0], sv[2][1], 0};
	for (unsigned i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		if (fstat(mine[i], &st) == 0 && st.st_ino == got->st_ino && st.st_dev == got->st_dev)
			return true;
	(void)fd;
	return false;
}

/* Close the files a received control buffer of len bytes names; each must be one we sent. */
static void take(const char *ctl, size_t len)
{
	struct msghdr mh = {.msg_control = (void *)ctl, .msg_controllen = len};
	if (len > CTL) {
		say("recvmsg: msg_controllen %zu out\n", len);
		return;
	}
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm && cm->cmsg_len; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len < CMSG_LEN(0)) {
			say("recvmsg: a control message %d/%d of %zu bytes\n", cm->cmsg_level,
			    cm->cmsg_type, (size_t)cm->cmsg_len);
			continue;
		}
		int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		const int *fd = (const int *)CMSG_DATA(cm);
		for (int i = 0; i < k; i++) {
			struct stat st;
			if (fd[i] <= sv[2][1] || fstat(fd[i], &st) < 0 || !ours(fd[i], &st)) {
				say("recvmsg: fd %d is not a file we sent\n", fd[i]);
				continue;
			}
			files_back++;
			close(fd[i]);
		}
	}
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3;
}

static void tally(unsigned long *errs, long r, int e, size_t most, const char *what)
{
	if (r >= 0 && (size_t)r <= most)
		return;
	if (r >= 0) {
		say("%s: %ld bytes, more than the %zu offered\n", what, r, most);
		return;
	}
	errs[e < 160 ? e : 0]++;
}

/* Errnos Linux gives these calls here. */
static bool linux_errno(int e, bool send)
{
	if (send)
		return e == EAGAIN || e == EINVAL || e == EBADF || e == EMSGSIZE || e == ENOBUFS ||
		       e == ETOOMANYREFS || e == EPIPE || e == EFAULT;
	return e == EAGAIN || e == EMSGSIZE || e == EINVAL;
}

/* Receive everything left on s, with room for all files. */
static void drain(int s)
{
	static _Alignas(struct cmsghdr) char ctl[CMSG_SPACE(253 * sizeof(int))];
	char buf[65536];
	for (int i = 0; i < 100000; i++) {
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl)};
		long r = recvmsg(s, &mh, MSG_DONTWAIT);
		if (r < 0 && errno != EINTR)
			break;
		if (r >= 0)
			take(ctl, mh.msg_controllen);
		if (r == 0 && !mh.msg_controllen)
			break;
	}
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : ROUNDS;
	int types[3] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET}, before;
	pthread_t th;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(pp) < 0)
		return 1;
	for (int i = 0; i < 3; i++)
		if (socketpair(AF_UNIX, types[i], 0, sv[i]) < 0) {
			perror("socketpair");
			return 1;
		}
	before = count_fds();
	int v[8] = {pp[0], pp[1], sv[0][0], sv[1][1], 0, -1, 9999, sv[2][0]};
	memcpy(vals, v, sizeof(v));
	for (int i = 0; i < NIOV; i++) {
		memset(data[i], 'a' + i % 26, sizeof(data[i]));
		siov[i] = (struct iovec){data[i], 1 + i % 8};
	}
	static char rbuf[NIOV][8];
	for (int i = 0; i < NIOV; i++)
		riov[i] = (struct iovec){rbuf[i], 8};
	struct cmsghdr *cm = (struct cmsghdr *)sctl;
	cm->cmsg_len = CMSG_LEN(8 * sizeof(int));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cm), vals, sizeof(vals));
	smh = (struct msghdr){.msg_iov = siov, .msg_iovlen = 2, .msg_control = sctl,
			      .msg_controllen = CMSG_SPACE(8 * sizeof(int))};
	rmh = (struct msghdr){.msg_iov = riov, .msg_iovlen = 2, .msg_control = rctl,
			      .msg_controllen = CTL};
	if (pthread_create(&th, NULL, flipper, NULL))
		return 1;
	for (long i = 0; i < rounds; i++) {
		int k = (int)(i % 3);
		long r = sendmsg(sv[k][0], &smh, MSG_DONTWAIT | MSG_NOSIGNAL);
		int e = errno;
		if (r >= 0)
			oks_send++;
		else if (!linux_errno(e, true)) {
			say("sendmsg: %s\n", strerrorname_np(e));
		}
		tally(errs_send, r, e, NIOV * 8, "sendmsg");
		memset(rctl, 0, sizeof(rctl));
		r = recvmsg(sv[k][1], &rmh, MSG_DONTWAIT);
		e = errno;
		if (r >= 0) {
			oks_recv++;
			/*
			 * msg_controllen may be rewritten already: the control
			 * buffer itself (zeroed before) says what came.
			 */
			take(rctl, CTL);
		} else if (!linux_errno(e, false)) {
			say("recvmsg: %s\n", strerrorname_np(e));
		}
		tally(errs_recv, r, e, NIOV * 8, "recvmsg");
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	for (int k = 0; k < 3; k++)
		drain(sv[k][1]);
	int after = count_fds();
	if (after != before) {
		say("fds: %d before, %d after\n", before, after);
	}
	fprintf(stderr, "sock_msghdr_race: %lu sends and %lu receives took, %lu files back;"
			" errnos send EAGAIN %lu EINVAL %lu EBADF %lu EMSGSIZE %lu ENOBUFS %lu,"
			" recv EAGAIN %lu EMSGSIZE %lu\n",
		oks_send, oks_recv, files_back, errs_send[EAGAIN], errs_send[EINVAL],
		errs_send[EBADF], errs_send[EMSGSIZE], errs_send[ENOBUFS], errs_recv[EAGAIN],
		errs_recv[EMSGSIZE]);
	printf("sock_msghdr_race: %ld bad\n", bad);
	return 0;
}
