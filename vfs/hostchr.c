/*
 * Files on a host fd the guest is entitled to: the supervisor's own stdio
 * (the user's terminal, pipes or redirected files) and the user's /dev/tty.
 *
 * Reads and writes go to the host fd.  When the host fd is a regular file
 * (`uos prog < file`) the file is seekable and shares the host fd's offset,
 * as it would natively; otherwise it is a stream.  Only the terminal
 * ioctls that read are forwarded: a guest changes no setting of the user's
 * terminal (EPERM), which reaches it here only when uos has no console on
 * it (supervisor/kernel/console.c: uos is a background job); TIOCSPGRP is
 * accepted and ignored (host process groups are not the guest's).
 *
 * uos never blocks in a read or write here: a stream that is not ready
 * gives -EAGAIN, and the caller parks the task on the fd (pollfd) unless
 * the guest's file is O_NONBLOCK.  The supervisor's stdio is shared with
 * the user's shell, whose open file descriptions are not uos's to make
 * O_NONBLOCK, so uos reopens the object (/proc/self/fd/N) into a
 * description of its own that is; a socket takes MSG_DONTWAIT per call;
 * what cannot be reopened (a pipe's write end without a reader, a file
 * uos may not open) is polled first, and writes no more than POLLOUT
 * promises room for.  A regular file never waits.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "vfs_impl.h"

/* How a stream's I/O stays out of a wait. */
enum chr_io {
	CHR_NONBLOCK, /* the fd is uos's own O_NONBLOCK description (or a regular file) */
	CHR_SOCKET,   /* recv/send with MSG_DONTWAIT */
	CHR_POLL,     /* a shared description: poll first, write at most PIPE_BUF */
};

struct hostchr_file {
	struct vfs_file base;
	int fd; /* owned */
	enum chr_io io;
};

static int chr_fd(struct vfs_file *f)
{
	return container_of(f, struct hostchr_file, base)->fd;
}

static int hostchr_new(int hostfd, int flags, const char *path, enum chr_io io,
		       struct vfs_file **out);

/* Whether host fd is ready for events right now. */
static bool ready(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};
	return poll(&p, 1, 0) != 0;
}

static long chr_read(struct vfs_file *f, void *buf, size_t len, off_t off)
{
	struct hostchr_file *hf = container_of(f, struct hostchr_file, base);
	ssize_t n;

	if (f->seekable && off != lseek(hf->fd, 0, SEEK_CUR)) {
		n = pread(hf->fd, buf, len, off);
		return n < 0 ? -errno : n;
	}
	if (hf->io == CHR_SOCKET) {
		n = recv(hf->fd, buf, len, MSG_DONTWAIT);
	} else {
		if (!f->seekable && hf->io == CHR_POLL && !ready(hf->fd, POLLIN))
			return -EAGAIN;
		n = read(hf->fd, buf, len);
	}
	return n < 0 ? (errno == EWOULDBLOCK ? -EAGAIN : -errno) : n;
}

static long chr_write(struct vfs_file *f, const void *buf, size_t len, off_t off)
{
	struct hostchr_file *hf = container_of(f, struct hostchr_file, base);
	int fd = hf->fd;
	ssize_t n;

	if (f->seekable && !(f->flags & O_APPEND) && off != lseek(fd, 0, SEEK_CUR)) {
		n = pwrite(fd, buf, len, off);
	} else if (f->seekable || hf->io == CHR_NONBLOCK) {
		n = write(fd, buf, len);
	} else if (hf->io == CHR_SOCKET) {
		n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	} else {
		/* POLLOUT promises PIPE_BUF bytes of room: write no more, so write never blocks. */
		if (!ready(fd, POLLOUT))
			return -EAGAIN;
		n = write(fd, buf, len < PIPE_BUF ? len : PIPE_BUF);
	}
	return n < 0 ? (errno == EWOULDBLOCK ? -EAGAIN : -errno) : n;
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
	case TIOCGWINSZ:
	case TIOCGPGRP:
	case FIONREAD:
		return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCSWINSZ:
		/* The user's terminal, when uos has no console on it: not the guest's to change. */
		return isatty(fd) ? -EPERM : -ENOTTY;
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
	struct hostchr_file *hf = container_of(f, struct hostchr_file, base);
	int fd = fcntl(hf->fd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	return hostchr_new(fd, flags, f->path, hf->io, out);
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

/* The file for host fd (consumed), whose I/O goes as io says (a regular file: seekable). */
static int hostchr_new(int hostfd, int flags, const char *path, enum chr_io io,
		       struct vfs_file **out)
{
	struct hostchr_file *hf = vfs_file_alloc(sizeof(*hf), &hostchr_ops, flags, path);
	struct stat st;

	if (!hf) {
		close(hostfd);
		return -ENOMEM;
	}
	hf->fd = hostfd;
	hf->io = io;
	if (!fstat(hostfd, &st) && S_ISREG(st.st_mode)) {
		hf->base.seekable = true;
		off_t pos = lseek(hostfd, 0, SEEK_CUR);
		hf->base.pos = pos < 0 ? 0 : pos;
	}
	*out = &hf->base;
	return 0;
}

/* How uos keeps out of a wait on host fd, made O_NONBLOCK when it is uos's own. */
static enum chr_io own_io(int hostfd)
{
	struct stat st;
	int fl = fcntl(hostfd, F_GETFL);

	if (fstat(hostfd, &st) == 0 && S_ISSOCK(st.st_mode))
		return CHR_SOCKET;
	if (fl >= 0 && fcntl(hostfd, F_SETFL, fl | O_NONBLOCK) == 0)
		return CHR_NONBLOCK;
	return CHR_POLL;
}

int vfs_hostchr(int hostfd, int flags, const char *path, struct vfs_file **out)
{
	return hostchr_new(hostfd, flags, path, own_io(hostfd), out);
}

/*
 * A description of the stream behind the shared stdio fd that uos alone
 * holds, O_NONBLOCK; or the dup fd itself (consumed either way) with the
 * way its I/O must go.
 */
static int private_stream(int fd, int hflags, enum chr_io *io)
{
	char proc[64];
	struct stat st;

	*io = CHR_POLL;
	if (fstat(fd, &st) < 0 || S_ISREG(st.st_mode))
		return fd;
	if (S_ISSOCK(st.st_mode)) {
		*io = CHR_SOCKET;
		return fd;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	int nfd = open(proc, (hflags & O_ACCMODE) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (nfd < 0)
		return fd;
	close(fd);
	*io = CHR_NONBLOCK;
	return nfd;
}

int vfs_stdio(int hostfd, struct vfs_file **out)
{
	char proc[64], path[PATH_MAX];
	int hflags = fcntl(hostfd, F_GETFL);
	enum chr_io io;

	if (hflags < 0)
		return -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", hostfd);
	ssize_t len = readlink(proc, path, sizeof(path) - 1);
	path[len < 0 ? 0 : len] = '\0';
	int fd = fcntl(hostfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	fd = private_stream(fd, hflags, &io);
	return hostchr_new(fd, hflags & (O_ACCMODE | O_APPEND), path, io, out);
}
