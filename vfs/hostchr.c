/*
 * Files on a host fd the guest is entitled to: the supervisor's own stdio
 * (the user's terminal, pipes or redirected files) and the user's /dev/tty.
 *
 * Reads and writes go to the host fd.  When the host fd is a regular file
 * (`uos prog < file`) the file is seekable and shares the host fd's offset,
 * as it would natively; otherwise it is a stream.  Only the terminal
 * ioctls a program needs to find and drive its terminal are forwarded;
 * TIOCSPGRP is accepted and ignored (host process groups are not the
 * guest's).  O_NONBLOCK is the guest's flag on the file, never set on the
 * shared host fd: a non-blocking read polls first.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "vfs_impl.h"

struct hostchr_file {
	struct vfs_file base;
	int fd; /* owned */
};

static int chr_fd(struct vfs_file *f)
{
	return container_of(f, struct hostchr_file, base)->fd;
}

/* Whether host fd is ready for events right now. */
static bool ready(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};
	return poll(&p, 1, 0) != 0;
}

static long chr_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	int fd = chr_fd(f);
	ssize_t n;

	if (f->seekable && off != lseek(fd, 0, SEEK_CUR)) {
		n = pread(fd, buf, len, off);
		return n < 0 ? -errno : n;
	}
	/* The supervisor never blocks: not ready is -EAGAIN, and the caller parks the task. */
	if (!f->seekable && !ready(fd, POLLIN))
		return -EAGAIN;
	n = read(fd, buf, len);
	return n < 0 ? -errno : n;
}

static long chr_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	int fd = chr_fd(f);
	ssize_t n;

	if (f->seekable && !(f->flags & O_APPEND) && off != lseek(fd, 0, SEEK_CUR)) {
		n = pwrite(fd, buf, len, off);
	} else if (f->seekable) {
		n = write(fd, buf, len);
	} else {
		/* POLLOUT promises PIPE_BUF bytes of room: write no more, so write never blocks. */
		if (!ready(fd, POLLOUT))
			return -EAGAIN;
		n = write(fd, buf, len < PIPE_BUF ? len : PIPE_BUF);
	}
	return n < 0 ? -errno : n;
}

static int chr_stat(struct vfs_file *f, struct stat *st)
{
	return fstat(chr_fd(f), st) ? -errno : 0;
}

static long chr_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	int fd = chr_fd(f);

	switch (cmd) {
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
	case TIOCGPGRP:
	case FIONREAD:
		return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
	case TIOCSPGRP:
		return isatty(fd) ? 0 : -ENOTTY;
	default:
		return -ENOTTY;
	}
}

/*
 * A redirected regular file shares its offset with the supervisor's fd and
 * with whoever else holds it (the user's shell): the host's offset is the
 * truth, as it would be natively.
 */
static off_t chr_llseek(struct vfs_file *f, off_t off, int whence)
{
	off_t r = lseek(chr_fd(f), off, whence);

	if (r < 0)
		return -errno;
	f->pos = r;
	return r;
}

static void chr_release(struct vfs_file *f)
{
	close(chr_fd(f));
}

static int chr_reopen(struct vfs_file *f, int flags, struct vfs_file **out)
{
	int fd = fcntl(chr_fd(f), F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	return vfs_hostchr(fd, flags, f->path, out);
}

static const struct vfs_file_ops hostchr_ops = {
	.read = chr_read,
	.write = chr_write,
	.stat = chr_stat,
	.ioctl = chr_ioctl,
	.release = chr_release,
	.reopen = chr_reopen,
	.llseek = chr_llseek,
	.pollfd = chr_fd,
};

int vfs_hostchr(int hostfd, int flags, const char *path, struct vfs_file **out)
{
	struct hostchr_file *hf = vfs_file_alloc(sizeof(*hf), &hostchr_ops, flags, path);
	struct stat st;

	if (!hf) {
		close(hostfd);
		return -ENOMEM;
	}
	hf->fd = hostfd;
	if (!fstat(hostfd, &st) && S_ISREG(st.st_mode)) {
		hf->base.seekable = true;
		off_t pos = lseek(hostfd, 0, SEEK_CUR);
		hf->base.pos = pos < 0 ? 0 : pos;
	}
	*out = &hf->base;
	return 0;
}

int vfs_stdio(struct kernel *k, int hostfd, struct vfs_file **out)
{
	char proc[64], path[PATH_MAX];
	int hflags = fcntl(hostfd, F_GETFL);

	if (hflags < 0)
		return -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", hostfd);
	ssize_t len = readlink(proc, path, sizeof(path) - 1);
	path[len < 0 ? 0 : len] = '\0';
	int fd = fcntl(hostfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	return vfs_hostchr(fd, hflags & (O_ACCMODE | O_APPEND), path, out);
}
