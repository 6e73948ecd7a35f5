/* pipe_slots: Linux's pipe buffer model, page slots rather than bytes.
 * A write appends its tail (len % 4096) to the last slot when it fits whole,
 * then fills new slots; room is free slots, so small writes after a partial
 * drain may get EAGAIN; F_SETPIPE_SZ rounds to a power of two of pages,
 * EBUSY below the slots in use, EPERM above pipe-max-size unprivileged;
 * POLLOUT while a slot is free; POLLHUP once the writer is gone; O_DIRECT
 * packets; a null write needs no reader. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "guest.h"

static char buf[1 << 20];

static int held(int fd)
{
	int n = -1;
	ioctl(fd, FIONREAD, &n);
	return n;
}

static short events(int fd, short ev)
{
	struct pollfd p = {fd, ev, 0};
	poll(&p, 1, 0);
	return p.revents;
}

/* Write n-byte chunks until EAGAIN: how many went in. */
static int fill(int fd, size_t n)
{
	int k = 0;
	while (write(fd, buf, n) == (ssize_t)n)
		k++;
	return k;
}

int main(void)
{
	int p[2];

	close_inherited_fds();
	signal(SIGPIPE, SIG_IGN);
	memset(buf, 'x', sizeof(buf));

	pipe2(p, O_NONBLOCK);
	int k = fill(p[1], 100);
	printf("100-byte writes into 64K: %d (held %d)\n", k, held(p[0]));
	close(p[0]);
	close(p[1]);

	pipe2(p, O_NONBLOCK);
	k = fill(p[1], 3000);
	printf("3000-byte writes: %d (held %d)\n", k, held(p[0]));
	SHOW("write 1000 more", write(p[1], buf, 1000));
	SHOW("read 2500", read(p[0], buf, 2500));
	SHOW("write 100 after partial drain", write(p[1], buf, 100));
	SHOW("read 500 (slot empties)", read(p[0], buf, 500));
	printf("pollout %d\n", !!(events(p[1], POLLOUT) & POLLOUT));
	SHOW("write 5000 (one slot free)", write(p[1], buf, 5000));
	SHOW("write 4096", write(p[1], buf, 4096));
	close(p[0]);
	close(p[1]);

	pipe2(p, O_NONBLOCK);
	SHOW("write 1000", write(p[1], buf, 1000));
	SHOW("write 5000 (904 merge, 4096 new)", write(p[1], buf, 5000));
	printf("held %d\n", held(p[0]));
	SHOW("write 3100 (tail does not fit)", write(p[1], buf, 3100));
	SHOW("setsz 8192 with 3 slots", fcntl(p[1], F_SETPIPE_SZ, 8192));
	SHOW("setsz 12288 -> 16384", fcntl(p[1], F_SETPIPE_SZ, 12288));
	SHOW("getsz", fcntl(p[0], F_GETPIPE_SZ));
	SHOW("write 100000 (partial)", write(p[1], buf, 100000));
	printf("held %d\n", held(p[0]));
	SHOW("read 100000", read(p[0], buf, 100000));
	SHOW("setsz 0", fcntl(p[0], F_SETPIPE_SZ, 0));
	SHOW("write 4097", write(p[1], buf, 4097));
	SHOW("write 1", write(p[1], buf, 1));
	SHOW("setsz 2^31+1", fcntl(p[0], F_SETPIPE_SZ, (1U << 31) + 1));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(3);
		SHOW("nobody: setsz 4M", fcntl(p[0], F_SETPIPE_SZ, 4 << 20));
		SHOW("nobody: setsz 1M", fcntl(p[0], F_SETPIPE_SZ, 1 << 20));
		SHOW("nobody: shrink to 64K", fcntl(p[0], F_SETPIPE_SZ, 65536));
		SHOW("nobody: setsz 4M again", fcntl(p[0], F_SETPIPE_SZ, 4 << 20));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	close(p[0]);
	printf("write end, no reader: %#x\n", events(p[1], POLLOUT));
	SHOW("null write, no reader", write(p[1], buf, 0));
	SHOW("write, no reader", write(p[1], buf, 1));
	close(p[1]);

	pipe(p);
	printf("read end, writer open: %#x\n", events(p[0], POLLIN));
	write(p[1], "ab", 2);
	close(p[1]);
	printf("read end, data, writer gone: %#x\n", events(p[0], POLLIN));
	close(p[0]);

	SHOW("pipe2 O_DIRECT", pipe2(p, O_DIRECT | O_NONBLOCK));
	printf("getfl direct %d\n", !!(fcntl(p[1], F_GETFL) & O_DIRECT));
	SHOW("packet 10", write(p[1], "0123456789", 10));
	SHOW("packet 5", write(p[1], "abcde", 5));
	SHOW("packet 5000", write(p[1], buf, 5000));
	printf("held %d\n", held(p[0]));
	char small[8] = {0};
	SHOW("read 3 of packet 1", read(p[0], small, 3));
	printf("got %.3s\n", small);
	SHOW("read 100: packet 2", read(p[0], small, sizeof(small)));
	SHOW("read 8000: 4096 of packet 3", read(p[0], buf, 8000));
	SHOW("read 8000: the rest", read(p[0], buf, 8000));
	printf("direct: %d 1-byte packets fit\n", fill(p[1], 1));
	close(p[0]);
	close(p[1]);
	return 0;
}
