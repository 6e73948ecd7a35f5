/* proc_nonblock_pipe: O_NONBLOCK pipes: EAGAIN on empty read and full write,
 * partial writes above PIPE_BUF, all-or-nothing at PIPE_BUF, EOF, FIONREAD,
 * F_GETPIPE_SZ, and O_NONBLOCK set later with fcntl. */
#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include "../conformance/guest.h"

int main(void)
{
	int p[2], n;
	static char big[1 << 17];
	SHOW("pipe2", pipe2(p, O_NONBLOCK));
	SHOW("getpipe_sz", fcntl(p[0], F_GETPIPE_SZ));
	SHOW("read empty", read(p[0], big, 10));
	SHOW("write big", write(p[1], big, sizeof(big)));
	SHOW("write full", write(p[1], big, 1));
	ioctl(p[0], FIONREAD, &n);
	printf("fionread %d\n", n);
	SHOW("read 100", read(p[0], big, 100));
	SHOW("write 200 (PIPE_BUF atomic, no room)", write(p[1], big, 200));
	SHOW("write 100", write(p[1], big, 100));
	SHOW("read 5000", read(p[0], big, 5000));
	SHOW("write PIPE_BUF", write(p[1], big, PIPE_BUF));
	SHOW("write PIPE_BUF+1 partial", write(p[1], big, PIPE_BUF + 1000));
	close(p[1]);
	long total = 0, r;
	while ((r = read(p[0], big, sizeof(big))) > 0)
		total += r;
	printf("drained %ld, last %ld\n", total, r);
	close(p[0]);
	pipe(p);
	SHOW("getfl", fcntl(p[0], F_GETFL) & O_NONBLOCK);
	SHOW("setfl", fcntl(p[0], F_SETFL, O_NONBLOCK));
	SHOW("read now", read(p[0], big, 1));
	return 0;
}
