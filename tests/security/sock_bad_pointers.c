/*
 * sock-bad-pointers: the socket calls with wild pointers (NULL+1, kernel
 * addresses, the first non-canonical one, an unmapped page, a read-only page
 * where the call writes) in each pointer argument, one at a time:
 * sendmsg/recvmsg (the header, msg_iov, iov_base, msg_control, msg_name),
 * sendto/recvfrom (buffer, address, address length), getsockopt/setsockopt
 * (value, length), socketpair (the fd pair), getsockname/getpeername (address,
 * length), on a stream and a datagram pair.  A receive has a message waiting
 * (one byte and a pipe's write end, SCM_RIGHTS); after each wild call, a good
 * receive prints what is still there.  Every line must be what Linux prints
 * (the script compares with a native run): EFAULT where Linux says it, the
 * message kept or lost as Linux keeps or loses it, and the files of a lost
 * message closed: once the program closes its own write end the pipe reads
 * end-of-file, and no fd was added to the table.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char *wname[] = {"null+1", "kernel", "noncanonical", "unmapped", "readonly"};
static void *wild[5];
#define NWILD 5

static int pp[2];	/* the pipe whose write end travels */
static int owned_max;	/* the highest fd the program opened itself */

static void show(const char *what, const char *ptr, long r)
{
	if (r < 0)
		printf("%s %s: %s\n", what, ptr, strerrorname_np(errno));
	else
		printf("%s %s: %ld\n", what, ptr, r);
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

/* Close the files an SCM_RIGHTS control buffer names (none of the program's own). */
static int close_rights(const char *ctl, size_t len)
{
	struct msghdr mh = {.msg_control = (void *)ctl, .msg_controllen = len};
	int n = 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		const int *fd = (const int *)CMSG_DATA(cm);
		for (int i = 0; i < k; i++, n++)
			if (fd[i] > owned_max)
				close(fd[i]);
	}
	return n;
}

/* A message on s's peer queue: one byte and the pipe's write end. */
static void prime(int s)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr a;
	} ctl;
	struct iovec iov = {"m", 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
			    .msg_controllen = sizeof(ctl.b)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cm), &pp[1], sizeof(int));
	if (sendmsg(s, &mh, MSG_DONTWAIT) != 1)
		printf("prime: %s\n", strerrorname_np(errno));
}

/* What a good receive finds on s now: its bytes and files (closed), until empty. */
static void after(int s)
{
	char data[16], ctl[256];
	long r;
	int msgs = 0;
	for (;;) {
		struct iovec iov = {data, sizeof(data)};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl)};
		r = recvmsg(s, &mh, MSG_DONTWAIT);
		if (r < 0)
			break;
		printf("  then: %ld bytes, %d files\n", r, close_rights(ctl, mh.msg_controllen));
		if (++msgs > 4)
			break;
	}
	if (!msgs)
		printf("  then: %s\n", strerrorname_np(errno));
}

/* The files a wild receive installed in the good control buffer ctl (closed), then what is left. */
static void got(int rx, char *ctl, size_t len)
{
	int n = close_rights(ctl, len);
	if (n)
		printf("  the call's control names %d files\n", n);
	memset(ctl, 0, len);
	after(rx);
}

static void recv_cases(int tx, int rx, const char *type)
{
	char what[96], data[16], ctl[256];
	for (int w = 0; w < NWILD; w++) {
		struct iovec iov = {data, sizeof(data)};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl)};
		struct msghdr good = mh;
		memset(ctl, 0, sizeof(ctl));
		socklen_t alen = sizeof(struct sockaddr_un);
		struct sockaddr_un sun;

		if (w != 4) { /* a read-only header can be read: not wild for recvmsg's input */
			prime(tx);
			snprintf(what, sizeof(what), "%s recvmsg header", type);
			show(what, wname[w], recvmsg(rx, wild[w], MSG_DONTWAIT));
			got(rx, ctl, sizeof(ctl));
		}
		if (w != 4) { /* nor a read-only iovec array */
			prime(tx);
			mh = good;
			mh.msg_iov = wild[w];
			snprintf(what, sizeof(what), "%s recvmsg msg_iov", type);
			show(what, wname[w], recvmsg(rx, &mh, MSG_DONTWAIT));
			got(rx, ctl, sizeof(ctl));
		}

		prime(tx);
		mh = good;
		iov.iov_base = wild[w];
		snprintf(what, sizeof(what), "%s recvmsg iov_base", type);
		show(what, wname[w], recvmsg(rx, &mh, MSG_DONTWAIT));
		iov.iov_base = data;
		got(rx, ctl, sizeof(ctl));

		prime(tx);
		mh = good;
		mh.msg_control = wild[w];
		mh.msg_controllen = CMSG_SPACE(sizeof(int));
		snprintf(what, sizeof(what), "%s recvmsg msg_control", type);
		show(what, wname[w], recvmsg(rx, &mh, MSG_DONTWAIT));
		got(rx, ctl, sizeof(ctl));

		prime(tx);
		snprintf(what, sizeof(what), "%s recvfrom buf", type);
		show(what, wname[w], recvfrom(rx, wild[w], 8, MSG_DONTWAIT, NULL, NULL));
		got(rx, ctl, sizeof(ctl));

		prime(tx);
		snprintf(what, sizeof(what), "%s recvfrom addrlen", type);
		show(what, wname[w], recvfrom(rx, data, 8, MSG_DONTWAIT, (void *)&sun,
					      (socklen_t *)wild[w]));
		got(rx, ctl, sizeof(ctl));

		prime(tx);
		snprintf(what, sizeof(what), "%s recvfrom addr", type);
		show(what, wname[w], recvfrom(rx, data, 8, MSG_DONTWAIT, wild[w], &alen));
		got(rx, ctl, sizeof(ctl));
	}
	/* A header the kernel reads but cannot write back: the files were installed already. */
	char *ro = wild[4];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl)};
	mprotect(ro, 4096, PROT_READ | PROT_WRITE);
	memcpy(ro, &mh, sizeof(mh));
	mprotect(ro, 4096, PROT_READ);
	memset(ctl, 0, sizeof(ctl));
	prime(tx);
	snprintf(what, sizeof(what), "%s recvmsg header", type);
	show(what, "readonly", recvmsg(rx, (struct msghdr *)ro, MSG_DONTWAIT));
	printf("  control names %d files\n", close_rights(ctl, sizeof(ctl)));
	after(rx);
}

static void send_cases(int s, const char *type)
{
	char what[96];
	for (int w = 0; w < 4; w++) { /* a read-only page is fine to send from */
		union {
			char b[CMSG_SPACE(sizeof(int))];
			struct cmsghdr a;
		} ctl;
		struct iovec iov = {"s", 1};
		struct msghdr good = {.msg_iov = &iov, .msg_iovlen = 1}, mh;
		struct sockaddr_un sun = {.sun_family = AF_UNIX};

		snprintf(what, sizeof(what), "%s sendmsg header", type);
		show(what, wname[w], sendmsg(s, wild[w], MSG_DONTWAIT));
		mh = good;
		mh.msg_iov = wild[w];
		snprintf(what, sizeof(what), "%s sendmsg msg_iov", type);
		show(what, wname[w], sendmsg(s, &mh, MSG_DONTWAIT));
		mh = good;
		iov.iov_base = wild[w];
		iov.iov_len = 8;
		snprintf(what, sizeof(what), "%s sendmsg iov_base", type);
		show(what, wname[w], sendmsg(s, &mh, MSG_DONTWAIT));
		iov = (struct iovec){"s", 1};
		mh = good;
		mh.msg_control = wild[w];
		mh.msg_controllen = sizeof(ctl.b);
		snprintf(what, sizeof(what), "%s sendmsg msg_control", type);
		show(what, wname[w], sendmsg(s, &mh, MSG_DONTWAIT));
		mh = good;
		mh.msg_name = wild[w];
		mh.msg_namelen = sizeof(sun);
		snprintf(what, sizeof(what), "%s sendmsg msg_name", type);
		show(what, wname[w], sendmsg(s, &mh, MSG_DONTWAIT));
		snprintf(what, sizeof(what), "%s sendto buf", type);
		show(what, wname[w], sendto(s, wild[w], 8, MSG_DONTWAIT, NULL, 0));
		snprintf(what, sizeof(what), "%s sendto addr", type);
		show(what, wname[w], sendto(s, "a", 1, MSG_DONTWAIT, wild[w], sizeof(sun)));
	}
}

static void misc_cases(int s, const char *type)
{
	char what[96];
	for (int w = 0; w < NWILD; w++) {
		int v = 65536;
		socklen_t len = sizeof(v);
		struct sockaddr_un sun;
		socklen_t alen = sizeof(sun);

		snprintf(what, sizeof(what), "%s getsockopt optval", type);
		show(what, wname[w], getsockopt(s, SOL_SOCKET, SO_TYPE, wild[w], &len));
		snprintf(what, sizeof(what), "%s getsockopt optlen", type);
		show(what, wname[w], getsockopt(s, SOL_SOCKET, SO_TYPE, &v, wild[w]));
		if (w != 4) {
			snprintf(what, sizeof(what), "%s setsockopt optval", type);
			show(what, wname[w], setsockopt(s, SOL_SOCKET, SO_SNDBUF, wild[w], sizeof(v)));
		}
		snprintf(what, sizeof(what), "%s getsockname addr", type);
		show(what, wname[w], getsockname(s, wild[w], &alen));
		alen = sizeof(sun);
		snprintf(what, sizeof(what), "%s getsockname addrlen", type);
		show(what, wname[w], getsockname(s, (void *)&sun, wild[w]));
		snprintf(what, sizeof(what), "%s getpeername addr", type);
		show(what, wname[w], getpeername(s, wild[w], &alen));
		alen = sizeof(sun);
		snprintf(what, sizeof(what), "%s getpeername addrlen", type);
		show(what, wname[w], getpeername(s, (void *)&sun, wild[w]));
		snprintf(what, sizeof(what), "%s socketpair sv", type);
		show(what, wname[w], socketpair(AF_UNIX, SOCK_STREAM, 0, wild[w]));
	}
}

int main(void)
{
	int st[2], dg[2], before;
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	wild[0] = (void *)1;
	wild[1] = (void *)0xffffffff81000000UL;
	wild[2] = (void *)0x0000800000000000UL;
	wild[3] = (void *)0x100000000000UL; /* unmapped: msync says so */
	if (msync(wild[3], 4096, MS_ASYNC) == 0 || errno != ENOMEM) {
		printf("setup: %p is mapped\n", wild[3]);
		return 1;
	}
	wild[4] = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pipe2(pp, O_NONBLOCK) || socketpair(AF_UNIX, SOCK_STREAM, 0, st) ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, dg)) {
		perror("setup");
		return 1;
	}
	owned_max = dg[1];
	before = count_fds();
	send_cases(st[0], "stream");
	after(st[1]);
	send_cases(dg[0], "dgram");
	after(dg[1]);
	recv_cases(st[0], st[1], "stream");
	recv_cases(dg[0], dg[1], "dgram");
	misc_cases(st[0], "stream");
	misc_cases(dg[0], "dgram");
	printf("fds added to the table: %d\n", count_fds() - before);
	close(pp[1]);
	long r = read(pp[0], &c, 1);
	printf("the pipe, its write end closed here: %s\n",
	       r == 0 ? "end of file (no copy left in flight)" :
	       r < 0 ? strerrorname_np(errno) : "data");
	printf("sock_bad_pointers: done\n");
	return 0;
}
