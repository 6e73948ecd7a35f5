/* pipe_fifo: FIFOs made with mkfifo/mknod in a scratch directory.  Every
 * opener of one node shares one pipe; O_RDONLY waits for a writer and
 * O_WRONLY for a reader (a partner that opened and closed meanwhile also
 * ends the wait); O_RDONLY|O_NONBLOCK opens at once; O_WRONLY|O_NONBLOCK
 * without a reader is ENXIO; O_RDWR never waits; data goes when the last
 * opener closes; POLLHUP only after a writer came and went; a signal ends
 * a waiting open with EINTR, or restarts it under SA_RESTART.
 *
 * Usage: pipe_fifo DIR (a scratch directory from `difftest --scratch`). */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "guest.h"

static char path[4096], path2[4096];

static short events(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	poll(&p, 1, 0);
	return p.revents;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Open path O_WRONLY|O_NONBLOCK until a reader is there. */
static int open_writer_when_read(void)
{
	int fd;
	while ((fd = open(path, O_WRONLY | O_NONBLOCK)) < 0 && errno == ENXIO)
		usleep(2000);
	return fd;
}

/* Read what is there, then say how the read after it ended. */
static void drain(int fd, const char *what)
{
	char b[64] = {0};
	long n = read(fd, b, sizeof(b) - 1);
	printf("%s: read %ld \"%s\"", what, n, n > 0 ? b : "");
	n = read(fd, b, sizeof(b));
	printf(", then %ld\n", n);
}

static void parked_reader_tests(void)
{
	pid_t c;
	int fd, st;

	/* A writer opens after the reader waits, writes and closes. */
	fflush(stdout);
	if ((c = fork()) == 0) {
		usleep(100000);
		fd = open(path, O_WRONLY);
		write(fd, "child", 5);
		_exit(fd < 0);
	}
	fd = open(path, O_RDONLY);
	printf("blocking reader open: %s\n", fd >= 0 ? "ok" : ename(errno));
	waitpid(c, &st, 0);
	drain(fd, "reader");
	close(fd);

	/* A writer that comes and goes while the reader waits still ends the wait. */
	fflush(stdout);
	if ((c = fork()) == 0) {
		fd = open_writer_when_read();
		write(fd, "q", 1);
		close(fd);
		_exit(fd < 0);
	}
	fd = open(path, O_RDONLY);
	printf("reader after a brief writer: %s\n", fd >= 0 ? "ok" : ename(errno));
	waitpid(c, &st, 0);
	drain(fd, "reader");
	close(fd);

	/* A blocking writer waits for a reader. */
	fflush(stdout);
	if ((c = fork()) == 0) {
		usleep(100000);
		fd = open(path, O_RDONLY);
		char b = 0;
		read(fd, &b, 1);
		_exit(b);
	}
	fd = open(path, O_WRONLY);
	printf("blocking writer open: %s\n", fd >= 0 ? "ok" : ename(errno));
	write(fd, "Z", 1);
	waitpid(c, &st, 0);
	printf("child read %c\n", WEXITSTATUS(st));
	close(fd);
}

static void signal_tests(void)
{
	struct sigaction sa = {0};
	pid_t c, me = getpid();
	int fd, st;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	fflush(stdout);
	if ((c = fork()) == 0) {
		usleep(150000);
		kill(me, SIGUSR1);
		_exit(0);
	}
	SHOW("reader open, signal", open(path, O_RDONLY));
	waitpid(c, &st, 0);
	SHOW("then writer O_NONBLOCK (no reader left)", open(path, O_WRONLY | O_NONBLOCK));

	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	fflush(stdout);
	if ((c = fork()) == 0) {
		usleep(150000);
		kill(me, SIGUSR1);
		usleep(100000);
		fd = open_writer_when_read();
		write(fd, "r", 1);
		close(fd);
		_exit(0);
	}
	fd = open(path, O_RDONLY);
	printf("reader open, SA_RESTART signal: %s\n", fd >= 0 ? "ok" : ename(errno));
	waitpid(c, &st, 0);
	drain(fd, "restarted reader");
	close(fd);

	/* An open a signal ended, and nothing touches that FIFO after it (uos kept its pipe). */
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	fflush(stdout);
	if ((c = fork()) == 0) {
		usleep(150000);
		kill(me, SIGUSR1);
		_exit(0);
	}
	SHOW("reader open of the other node, signal", open(path2, O_RDONLY));
	waitpid(c, &st, 0);
}

int main(int argc, char **argv)
{
	struct stat st, fst;
	int r, w, rw;

	if (argc < 2)
		return 2;
	close_inherited_fds();
	signal(SIGPIPE, SIG_IGN);
	snprintf(path, sizeof(path), "%s/fifo", argv[1]);
	snprintf(path2, sizeof(path2), "%s/node", argv[1]);
	SHOW("mkfifo", mkfifo(path, 0644));
	SHOW("mknod S_IFIFO", mknod(path2, S_IFIFO | 0600, 0));
	SHOW("mkfifo again", mkfifo(path, 0644));
	stat(path, &st);
	printf("is fifo %d, mode %o, size %ld\n", S_ISFIFO(st.st_mode), st.st_mode & 07777,
	       (long)st.st_size);

	SHOW("writer O_NONBLOCK, no reader", open(path, O_WRONLY | O_NONBLOCK));
	SHOW("reader O_NONBLOCK", r = open(path, O_RDONLY | O_NONBLOCK));
	printf("reader events, no writer yet: %#x\n", events(r));
	SHOW("read, no writer", read(r, path2 + 3000, 10));
	SHOW("writer O_NONBLOCK", w = open(path, O_WRONLY | O_NONBLOCK));
	fstat(w, &fst);
	printf("fstat: fifo %d, same inode %d, mode %o\n", S_ISFIFO(fst.st_mode),
	       fst.st_ino == st.st_ino && fst.st_dev == st.st_dev, fst.st_mode & 07777);
	SHOW("getfl", fcntl(w, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	SHOW("getpipe_sz", fcntl(w, F_GETPIPE_SZ));
	SHOW("write", write(w, "hello", 5));
	printf("reader events: %#x\n", events(r));
	SHOW("second reader", rw = open(path, O_RDONLY | O_NONBLOCK));
	char b[16] = {0};
	SHOW("read by the second reader", read(rw, b, 3));
	printf("got %s\n", b);
	close(rw);
	close(w);
	printf("reader events, writer gone: %#x\n", events(r));
	drain(r, "first reader");
	SHOW("read-only open of the other node", rw = open(path2, O_RDONLY | O_NONBLOCK));
	SHOW("writer of the other node", w = open(path2, O_WRONLY | O_NONBLOCK));
	SHOW("write there", write(w, "other", 5));
	SHOW("nothing here", read(r, b, 5));
	close(w);
	close(rw);
	close(r);

	SHOW("O_RDWR", rw = open(path, O_RDWR));
	SHOW("write to self", write(rw, "loop", 4));
	memset(b, 0, sizeof(b));
	SHOW("read from self", read(rw, b, 16));
	printf("got %s\n", b);
	SHOW("write again", write(rw, "left", 4));
	close(rw);
	SHOW("reader O_NONBLOCK after all closed", r = open(path, O_RDONLY | O_NONBLOCK));
	SHOW("data went with the last opener", read(r, b, 16));
	close(r);

	parked_reader_tests();
	signal_tests();
	SHOW("unlink", unlink(path));
	SHOW("unlink other", unlink(path2));
	return 0;
}
