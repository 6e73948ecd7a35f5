/* fs_locks: advisory locks between processes in a scratch directory.
 * flock (shared, exclusive, LOCK_NB, a blocking wait that ends when the
 * holder unlocks), fcntl record locks (F_SETLK conflicts, F_GETLK reports
 * the holder, ranges split on partial unlock, F_SETLKW waits, EBADF for a
 * lock type the open mode forbids) and OFD locks (l_pid -1).
 *
 * Usage: fs_locks DIR (a scratch directory from `difftest --scratch`). */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include "guest.h"

static int fd;

static void sync_read(int p)
{
	char c;
	if (read(p, &c, 1) != 1)
		_exit(9);
}

static void sync_write(int p)
{
	if (write(p, "x", 1) != 1)
		_exit(9);
}

static int lk(int cmd, short type, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	return fcntl(fd, cmd, &fl);
}

/* In a child: what F_GETLK says about [start, start+len) for a write lock. */
static void getlk(const char *what, off_t start, off_t len, int cmd)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	if (fcntl(fd, cmd, &fl)) {
		printf("%s: %s\n", what, ename(errno));
		return;
	}
	printf("%s: type %s start %lld len %lld pid %s\n", what,
	       fl.l_type == F_UNLCK ? "UNLCK" : fl.l_type == F_RDLCK ? "RDLCK" : "WRLCK",
	       (long long)fl.l_start, (long long)fl.l_len,
	       fl.l_pid == getppid() ? "parent" : fl.l_pid == -1 ? "-1" : "other");
}

static void test_flock(void)
{
	int p[2], q[2];
	SHOW("flock bad op", flock(fd, LOCK_SH | LOCK_EX));
	SHOW("flock ex", flock(fd, LOCK_EX));
	SHOW("flock ex again (same fd)", flock(fd, LOCK_EX | LOCK_NB));
	if (pipe(p) || pipe(q))
		exit(1);
	pid_t c = fork();
	if (c == 0) {
		int f2 = open("lockfile", O_RDWR);
		SHOW("child flock ex nb", flock(f2, LOCK_EX | LOCK_NB));
		SHOW("child flock sh nb", flock(f2, LOCK_SH | LOCK_NB));
		SHOW("child flock inherited fd (same description)", flock(fd, LOCK_EX | LOCK_NB));
		fflush(stdout);
		sync_write(q[1]);
		SHOW("child flock ex (waits)", flock(f2, LOCK_EX));
		fflush(stdout);
		sync_write(q[1]);
		sync_read(p[0]);
		_exit(0);
	}
	sync_read(q[0]);
	usleep(100000);
	printf("parent unlocks\n");
	fflush(stdout);
	/* Print after the woken child has: which of the two runs first is not defined. */
	int unlocked = flock(fd, LOCK_UN);
	sync_read(q[0]);
	SHOW("flock un", unlocked);
	SHOW("parent flock ex nb while child holds", flock(fd, LOCK_EX | LOCK_NB));
	fflush(stdout);
	sync_write(p[1]);
	waitpid(c, NULL, 0);
	SHOW("parent flock ex nb after child exit", flock(fd, LOCK_EX | LOCK_NB));
	SHOW("flock un", flock(fd, LOCK_UN));
	close(p[0]), close(p[1]), close(q[0]), close(q[1]);
}

static void test_posix(void)
{
	int p[2], q[2];
	SHOW("setlk wr 0-99", lk(F_SETLK, F_WRLCK, 0, 100));
	SHOW("setlk rd 200-", lk(F_SETLK, F_RDLCK, 200, 0));
	SHOW("unlock 40-59 (split)", lk(F_SETLK, F_UNLCK, 40, 20));
	SHOW("setlk bad type", lk(F_SETLK, 7, 0, 1));
	SHOW("setlk negative start", lk(F_SETLK, F_WRLCK, -5, 1));
	if (pipe(p) || pipe(q))
		exit(1);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		getlk("getlk 0-9", 0, 10, F_GETLK);
		getlk("getlk 40-59", 40, 20, F_GETLK);
		getlk("getlk 50-69", 50, 20, F_GETLK);
		getlk("getlk 300-", 300, 0, F_GETLK);
		struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 300};
		SHOW("child getlk rd 300 (shared ok)", fcntl(fd, F_GETLK, &fl) ? -1 : fl.l_type);
		SHOW("child setlk wr 10", lk(F_SETLK, F_WRLCK, 10, 1));
		SHOW("child setlk wr 45", lk(F_SETLK, F_WRLCK, 45, 1));
		fflush(stdout);
		sync_write(q[1]);
		SHOW("child setlkw wr 10 (waits)", lk(F_SETLKW, F_WRLCK, 10, 1));
		fflush(stdout);
		sync_write(q[1]);
		sync_read(p[0]);
		_exit(0);
	}
	sync_read(q[0]);
	usleep(100000);
	printf("parent unlocks all\n");
	fflush(stdout);
	/* Print after the woken child has: which of the two runs first is not defined. */
	int unlocked = lk(F_SETLK, F_UNLCK, 0, 0);
	sync_read(q[0]);
	SHOW("unlock all", unlocked);
	SHOW("parent setlk wr 10 while child holds", lk(F_SETLK, F_WRLCK, 10, 1));
	sync_write(p[1]);
	waitpid(c, NULL, 0);
	SHOW("parent setlk wr 10 after child exit", lk(F_SETLK, F_WRLCK, 10, 1));
	SHOW("unlock all", lk(F_SETLK, F_UNLCK, 0, 0));
	int ro = open("lockfile", O_RDONLY);
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	SHOW("setlk wr on O_RDONLY", fcntl(ro, F_SETLK, &fl));
	close(ro);
	close(p[0]), close(p[1]), close(q[0]), close(q[1]);
}

static void test_ofd(void)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	SHOW("ofd setlk", fcntl(fd, F_OFD_SETLK, &fl));
	fl.l_pid = 1;
	SHOW("ofd setlk with l_pid", fcntl(fd, F_OFD_SETLK, &fl));
	int f2 = open("lockfile", O_RDWR);
	fl.l_pid = 0;
	SHOW("ofd setlk other description", fcntl(f2, F_OFD_SETLK, &fl));
	struct flock g = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1};
	if (fcntl(f2, F_OFD_GETLK, &g) == 0)
		printf("ofd getlk: type %d start %lld len %lld pid %d\n", g.l_type,
		       (long long)g.l_start, (long long)g.l_len, g.l_pid);
	SHOW("posix setlk vs ofd", lk(F_SETLK, F_WRLCK, 0, 1));
	close(f2);
	fl.l_type = F_UNLCK;
	SHOW("ofd unlock", fcntl(fd, F_OFD_SETLK, &fl));
}

int main(int argc, char **argv)
{
	close_inherited_fds();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || chdir(argv[1]))
		return 1;
	fd = open("lockfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "0123456789", 10) != 10)
		return 1;
	test_flock();
	test_posix();
	test_ofd();
	return 0;
}
