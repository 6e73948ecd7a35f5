/*
 * sock-net-host: a guest under --net=host (run as uid 1000) reaches for
 * what host networking must never give it: a host AF_UNIX socket file
 * (stream and datagram, mounted into its root), netlink, raw and packet
 * sockets, the device binding, the mark and the other options that need
 * privileges, a privileged port; passes wild pointers to every socket
 * call on host sockets; and opens host sockets until refused, from two
 * processes.  Each line says what the call gave; the script judges them
 * and counts uos's own fds before and after.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TRY 6000

static const char *wname[] = {"null+1", "kernel", "noncanonical", "unmapped", "readonly"};
static void *wild[5];

static void show(const char *what, const char *how, long r)
{
	if (r < 0)
		printf("%s %s: %s\n", what, how, strerrorname_np(errno));
	else
		printf("%s %s: ok\n", what, how);
	fflush(stdout);
}

static void host_unix(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX, .sun_path = "/hostsock/s.sock"};
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	show("unix", "stream-connect", connect(s, (struct sockaddr *)&sun, sizeof(sun)));
	close(s);
	strcpy(sun.sun_path, "/hostsock/d.sock");
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("unix", "dgram-sendto", sendto(s, "x", 1, 0, (struct sockaddr *)&sun, sizeof(sun)));
	close(s);
}

static void families(void)
{
	int s = socket(AF_NETLINK, SOCK_RAW, 0);
	show("family", "netlink", s);
	if (s >= 0)
		close(s);
	show("family", "raw-icmp", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	show("family", "raw6", socket(AF_INET6, SOCK_RAW, IPPROTO_RAW));
	show("family", "packet", socket(AF_PACKET, SOCK_RAW, 0));
	show("family", "sock-packet", socket(AF_INET, SOCK_PACKET, 0));
}

static void options(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1, seven = 7;
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = {.len = 1, .filter = &insn};
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(80),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	show("opt", "SO_BINDTODEVICE", setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	show("opt", "SO_MARK", setsockopt(s, SOL_SOCKET, SO_MARK, &one, sizeof(one)));
	show("opt", "SO_RCVBUFFORCE", setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &one, sizeof(one)));
	show("opt", "SO_PRIORITY-7", setsockopt(s, SOL_SOCKET, SO_PRIORITY, &seven, sizeof(seven)));
	show("opt", "IP_TRANSPARENT", setsockopt(s, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one)));
	show("opt", "SO_ATTACH_FILTER",
	     setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)));
	show("opt", "TCP_CONGESTION", setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "reno", 4));
	show("opt", "TCP_NODELAY", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	show("bind", "port-80", bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	close(s);
}

/* A listener on 127.0.0.1 (non-blocking) and a client connected to it. */
static int pair(int *cl)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	*cl = -1;

	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) || listen(l, 16) ||
	    getsockname(l, (struct sockaddr *)&sin, &len))
		return -1;
	*cl = socket(AF_INET, SOCK_STREAM, 0);
	connect(*cl, (struct sockaddr *)&sin, sizeof(sin));
	return l;
}

static void bad_pointers(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int u = socket(AF_INET, SOCK_DGRAM, 0), v, cl;
	char buf[16];

	bind(u, (struct sockaddr *)&sin, sizeof(sin));
	getsockname(u, (struct sockaddr *)&sin, &len);
	for (int w = 0; w < 5; w++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		show("badptr bind", wname[w], bind(s, wild[w], sizeof(sin)));
		show("badptr connect", wname[w], connect(s, wild[w], sizeof(sin)));
		close(s);
		show("badptr sendto-buf", wname[w], sendto(u, wild[w], 8, 0, (void *)&sin, sizeof(sin)));
		show("badptr sendto-addr", wname[w], sendto(u, "a", 1, 0, wild[w], sizeof(sin)));
		sendto(u, "b", 1, 0, (struct sockaddr *)&sin, sizeof(sin));
		show("badptr recvfrom-buf", wname[w], recvfrom(u, wild[w], 8, MSG_DONTWAIT, NULL, NULL));
		sendto(u, "c", 1, 0, (struct sockaddr *)&sin, sizeof(sin));
		len = sizeof(sin);
		show("badptr recvfrom-addr", wname[w],
		     recvfrom(u, buf, 8, MSG_DONTWAIT, wild[w], &len));
		len = sizeof(v);
		show("badptr getsockopt-val", wname[w], getsockopt(u, SOL_SOCKET, SO_RCVBUF, wild[w], &len));
		show("badptr getsockopt-len", wname[w], getsockopt(u, SOL_SOCKET, SO_RCVBUF, &v, wild[w]));
		if (w != 4) /* a read-only value is a good one to read */
			show("badptr setsockopt", wname[w],
			     setsockopt(u, SOL_SOCKET, SO_RCVBUF, wild[w], sizeof(v)));
		len = sizeof(sin);
		show("badptr getsockname-addr", wname[w], getsockname(u, wild[w], &len));
		show("badptr getsockname-len", wname[w], getsockname(u, (void *)buf, wild[w]));
		int l = pair(&cl);
		len = sizeof(sin);
		show("badptr accept-addr", wname[w], accept(l, wild[w], &len));
		close(cl);
		close(l);
	}
	close(u);
}

/* Open host sockets until refused; the count and the error. */
static int exhaust(int *fds, const char *who)
{
	int n = 0;
	while (n < MAX_TRY && (fds[n] = socket(AF_INET, SOCK_STREAM, 0)) >= 0)
		n++;
	printf("exhaust %s: %d then %s\n", who, n, n < MAX_TRY ? strerrorname_np(errno) : "none");
	fflush(stdout);
	return n;
}

static void many(void)
{
	static int fds[MAX_TRY];
	int half[2], n;
	pid_t pid;

	if (pipe(half))
		return;
	pid = fork();
	if (pid == 0) { /* the child takes its share, says so, and exits without closing */
		for (int i = 0; i < 2000; i++)
			if (socket(AF_INET, SOCK_DGRAM, 0) < 0)
				break;
		write(half[1], "x", 1);
		pause();
		_exit(0);
	}
	read(half[0], &n, 1);
	n = exhaust(fds, "parent");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	n = socket(AF_INET, SOCK_STREAM, 0);
	show("after", "close", n);
	close(n);
}

int main(void)
{
	wild[0] = (void *)1;
	wild[1] = (void *)0xffffffff81000000UL;
	wild[2] = (void *)0x0000800000000000UL;
	wild[3] = (void *)0x100000000000UL;
	wild[4] = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("baseline\n");
	fflush(stdout);
	sleep(2);
	host_unix();
	families();
	options();
	bad_pointers();
	many();
	printf("idle\n");
	fflush(stdout);
	sleep(2);
	printf("sock_net_host: done\n");
	return 0;
}
