/* fs_rwf: preadv2/pwritev2's flags: RWF_APPEND writes at the end whatever
 * the offset (and moves the file offset only for offset -1), RWF_NOAPPEND
 * undoes O_APPEND for one write, both together are EINVAL; RWF_NOWAIT makes
 * a pipe's read or write fail with EAGAIN instead of waiting; an unknown
 * flag is EOPNOTSUPP.  Also pwrite on an O_APPEND file appends.
 *
 * Usage: fs_rwf DIR (a scratch directory from `difftest --scratch`). */
#include "guest.h"
#include <fcntl.h>
#include <sys/uio.h>

#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20
#endif

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	close_inherited_fds();
	char p[256];
	snprintf(p, sizeof(p), "%s/f", argv[1]);
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "0123456789", 10);
	lseek(fd, 2, SEEK_SET);
	struct iovec v = {"AB", 2};
	SHOW("pwritev2 APPEND at 0", pwritev2(fd, &v, 1, 0, RWF_APPEND));
	SHOW("pos", lseek(fd, 0, SEEK_CUR));
	SHOW("pwritev2 APPEND at -1", pwritev2(fd, &v, 1, -1, RWF_APPEND));
	SHOW("pos", lseek(fd, 0, SEEK_CUR));
	SHOW("size", lseek(fd, 0, SEEK_END));
	char b[32] = "";
	struct iovec r = {b, 31};
	SHOW("preadv2 APPEND", preadv2(fd, &r, 1, 0, RWF_APPEND));
	printf("data %s\n", b);
	int ap = open(p, O_RDWR | O_APPEND);
	SHOW("pwritev2 NOAPPEND at 1", pwritev2(ap, &v, 1, 1, RWF_NOAPPEND));
	SHOW("pwritev2 at 1 (O_APPEND)", pwritev2(ap, &v, 1, 1, 0));
	memset(b, 0, sizeof b);
	pread(fd, b, 31, 0);
	printf("data %s\n", b);
	SHOW("APPEND|NOAPPEND", pwritev2(ap, &v, 1, 1, RWF_APPEND | RWF_NOAPPEND));
	int ro = open(p, O_RDONLY);
	SHOW("pwritev2 APPEND on ro", pwritev2(ro, &v, 1, -1, RWF_APPEND));
	int pp[2];
	pipe(pp);
	SHOW("preadv2 NOWAIT empty pipe", preadv2(pp[0], &r, 1, -1, RWF_NOWAIT));
	SHOW("pwritev2 NOWAIT pipe", pwritev2(pp[1], &v, 1, -1, RWF_NOWAIT));
	SHOW("bad flag", pwritev2(fd, &v, 1, 0, 0x1000));
	return 0;
}
