/* pipe_splice: tee, splice and vmsplice where a pipe is involved, against
 * Linux: the errnos (EINVAL for flags, no pipe or the same pipe, EBADF for
 * the wrong end, ESPIPE for an offset on a pipe), tee leaving the source
 * intact, splice between pipes and between a file and a pipe (offsets
 * written back), vmsplice in and out of a pipe, the slot accounting (a
 * vmsplice across a page boundary takes two slots), SPLICE_F_NONBLOCK and
 * the files' O_NONBLOCK, EPIPE, and 0 at EOF. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include "guest.h"

static int held(int fd)
{
	int n = -1;
	ioctl(fd, FIONREAD, &n);
	return n;
}

static void show_read(int fd, size_t n)
{
	char b[256] = {0};
	long r = read(fd, b, n < sizeof(b) ? n : sizeof(b) - 1);
	printf("read %ld \"%s\"\n", r, r > 0 ? b : "");
}

int main(void)
{
	int a[2], b[2], c[2], fd;
	char *page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	close_inherited_fds();
	signal(SIGPIPE, SIG_IGN);
	pipe(a);
	pipe(b);
	fd = memfd_create("f", 0);
	write(fd, "0123456789abcdefghij", 20);

	/* errnos */
	SHOW("tee len 0, bad fds", tee(99, 98, 0, 0));
	SHOW("tee bad flags", tee(a[0], b[1], 1, 0x100));
	SHOW("tee bad fd", tee(99, b[1], 1, 0));
	SHOW("tee write end as input", tee(a[1], b[1], 1, 0));
	SHOW("tee read end as output", tee(a[0], b[0], 1, 0));
	SHOW("tee same pipe", tee(a[0], a[1], 1, 0));
	SHOW("tee file input", tee(fd, b[1], 1, 0));
	SHOW("splice len 0, bad fds", splice(99, NULL, 98, NULL, 0, 0));
	SHOW("splice bad flags", splice(a[0], NULL, b[1], NULL, 1, 0x100));
	SHOW("splice same pipe", splice(a[0], NULL, a[1], NULL, 1, 0));
	loff_t off = 0;
	SHOW("splice offset on the pipe", splice(a[0], &off, fd, NULL, 1, 0));
	SHOW("splice offset on the out pipe", splice(fd, NULL, b[1], &off, 1, 0));
	SHOW("splice file to file", splice(fd, NULL, fd, NULL, 1, 0));
	SHOW("splice write end as input", splice(a[1], NULL, b[1], NULL, 1, 0));
	struct iovec iv = {page, 10};
	SHOW("vmsplice bad flags", vmsplice(a[1], &iv, 1, 0x100));
	SHOW("vmsplice bad fd", vmsplice(99, &iv, 1, 0));
	SHOW("vmsplice no pipe", vmsplice(fd, &iv, 1, 0));
	SHOW("vmsplice 0 segments", vmsplice(a[1], &iv, 0, 0));
	SHOW("vmsplice 1025 segments", vmsplice(a[1], &iv, 1025, 0));
	SHOW("vmsplice bad iovec", vmsplice(a[1], (struct iovec *)8, 1, 0));

	/* would-block cases */
	SHOW("tee empty, SPLICE_F_NONBLOCK", tee(a[0], b[1], 10, SPLICE_F_NONBLOCK));
	SHOW("splice empty, SPLICE_F_NONBLOCK", splice(a[0], NULL, b[1], NULL, 10, SPLICE_F_NONBLOCK));
	fcntl(a[0], F_SETFL, O_NONBLOCK);
	SHOW("tee empty, O_NONBLOCK input", tee(a[0], b[1], 10, 0));
	SHOW("splice to file, empty O_NONBLOCK pipe", splice(a[0], NULL, fd, NULL, 10, 0));
	SHOW("vmsplice out, SPLICE_F_NONBLOCK", vmsplice(a[0], &iv, 1, SPLICE_F_NONBLOCK));
	fcntl(a[0], F_SETFL, 0);

	/* tee keeps the source */
	write(a[1], "tee-data", 8);
	SHOW("tee 5", tee(a[0], b[1], 5, 0));
	printf("held: a %d, b %d\n", held(a[0]), held(b[0]));
	show_read(b[0], 100);
	SHOW("tee 100 (all there is)", tee(a[0], b[1], 100, 0));
	show_read(b[0], 100);
	/* splice pipe to pipe moves */
	SHOW("splice pipe to pipe 3", splice(a[0], NULL, b[1], NULL, 3, 0));
	printf("held: a %d, b %d\n", held(a[0]), held(b[0]));
	SHOW("splice the rest", splice(a[0], NULL, b[1], NULL, 100, 0));
	show_read(b[0], 100);

	/* file <-> pipe, offsets */
	off = 4;
	SHOW("splice file@4 to pipe", splice(fd, &off, a[1], NULL, 6, 0));
	printf("off now %ld, file pos %ld\n", (long)off, (long)lseek(fd, 0, SEEK_CUR));
	lseek(fd, 10, SEEK_SET);
	SHOW("splice file (pos 10) to pipe", splice(fd, NULL, a[1], NULL, 4, 0));
	printf("file pos %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	show_read(a[0], 100);
	off = 40;
	SHOW("splice file at EOF", splice(fd, &off, a[1], NULL, 4, 0));
	write(a[1], "XYZ", 3);
	off = 2;
	SHOW("splice pipe to file@2", splice(a[0], NULL, fd, &off, 100, 0));
	char f[32] = {0};
	pread(fd, f, 20, 0);
	printf("file now %s, off %ld\n", f, (long)off);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", a[0]);
	int again = open(proc, O_RDONLY); /* the same pipe, a new open file */
	printf("reopened read end: %s\n", again >= 0 ? "ok" : ename(errno));
	write(a[1], "via proc", 8);
	show_read(again, 100);
	close(again);

	/* vmsplice into a pipe: copies; slots follow the pages */
	memcpy(page, "vmsplice!", 10);
	SHOW("vmsplice in", vmsplice(a[1], &iv, 1, 0));
	show_read(a[0], 100); /* uos copies: a change to page before this read would not show */
	pipe(c);
	fcntl(c[1], F_SETPIPE_SZ, 8192);
	memset(page, 'p', 3 * 4096);
	struct iovec straddle = {page + 4050, 100};
	SHOW("vmsplice across a page boundary", vmsplice(c[1], &straddle, 1, 0));
	fcntl(c[1], F_SETFL, O_NONBLOCK);
	SHOW("then a 4096 write (no slot left)", write(c[1], page, 4096));
	SHOW("vmsplice full, SPLICE_F_NONBLOCK", vmsplice(c[1], &iv, 1, SPLICE_F_NONBLOCK));
	SHOW("read it", read(c[0], page + 8192, 4096));
	struct iovec big[2] = {{page + 100, 5000}, {page, 3000}};
	SHOW("vmsplice 2 segments into 2 slots", vmsplice(c[1], big, 2, 0));
	close(c[0]);
	SHOW("vmsplice, no reader", vmsplice(c[1], &iv, 1, 0));
	close(c[1]);

	/* vmsplice out of a pipe */
	write(a[1], "0123456789", 10);
	char o1[4] = {0}, o2[16] = {0};
	struct iovec outv[2] = {{o1, 3}, {o2, 15}};
	SHOW("vmsplice out", vmsplice(a[0], outv, 2, 0));
	printf("got %s|%s\n", o1, o2);

	/* sendfile: into a pipe as splice; out of a pipe not at all */
	off = 0;
	SHOW("sendfile file to pipe", sendfile(a[1], fd, &off, 7));
	show_read(a[0], 100);
	SHOW("sendfile from a pipe", sendfile(fd, a[0], NULL, 7));

	/* EOF and EPIPE */
	close(a[1]);
	SHOW("tee from pipe without writers", tee(a[0], b[1], 10, 0));
	SHOW("splice from pipe without writers", splice(a[0], NULL, b[1], NULL, 10, 0));
	SHOW("vmsplice out, no writers", vmsplice(a[0], outv, 2, 0));
	write(b[1], "z", 1);
	pipe(c);
	close(c[0]);
	SHOW("splice to pipe without readers", splice(b[0], NULL, c[1], NULL, 10, 0));
	SHOW("tee to pipe without readers", tee(b[0], c[1], 10, 0));
	off = 0;
	SHOW("splice file to pipe without readers", splice(fd, &off, c[1], NULL, 10, 0));
	return 0;
}
