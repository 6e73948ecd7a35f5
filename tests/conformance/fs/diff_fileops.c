/* fs_fileops: memfd_create, fallocate, sendfile, copy_file_range, splice,
 * pipe sizes (F_GETPIPE_SZ/F_SETPIPE_SZ), FIONREAD on files and pipes,
 * fadvise, and the sync family, with their errors; O_SYNC, O_DSYNC and
 * RWF_(D)SYNC writes, msync of a shared mapping.
 *
 * Usage: fs_fileops DIR (a scratch directory from `difftest --scratch`). */
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "guest.h"

static long fsize(int fd)
{
	struct stat st;
	return fstat(fd, &st) ? -1 : (long)st.st_size;
}

static void test_memfd(void)
{
	char buf[32] = "", link[64] = "";
	int m = memfd_create("uos-test", MFD_CLOEXEC);
	SHOW("memfd write", write(m, "hello memfd", 11));
	SHOW("memfd size", fsize(m));
	SHOW("memfd pread", pread(m, buf, sizeof(buf), 6));
	printf("memfd data: %s\n", buf);
	SHOW("memfd cloexec", fcntl(m, F_GETFD));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", m);
	SHOW("memfd readlink", readlink(buf, link, sizeof(link) - 1));
	printf("memfd link: %s\n", link);
	SHOW("memfd ftruncate", ftruncate(m, 8192));
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	EXPECT("memfd mmap", p != MAP_FAILED && !memcmp(p, "hello", 5));
	if (p != MAP_FAILED) {
		memcpy(p + 4096, "shared", 6);
		munmap(p, 8192);
	}
	memset(buf, 0, sizeof(buf));
	SHOW("memfd pread after mmap write", pread(m, buf, 6, 4096));
	printf("memfd data: %s\n", buf);
	SHOW("memfd bad flags", memfd_create("x", 0x1000));
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	SHOW("memfd long name", memfd_create(longname, 0));
	close(m);
}

static void test_fallocate(void)
{
	int f = open("falloc", O_RDWR | O_CREAT | O_TRUNC, 0644);
	SHOW("fallocate 0..8192", fallocate(f, 0, 0, 8192));
	SHOW("size", fsize(f));
	SHOW("fallocate keep size", fallocate(f, FALLOC_FL_KEEP_SIZE, 8192, 8192));
	SHOW("size", fsize(f));
	SHOW("fallocate len 0", fallocate(f, 0, 0, 0));
	SHOW("fallocate negative offset", fallocate(f, 0, -1, 10));
	SHOW("fallocate bad mode", fallocate(f, 0x1000, 0, 10));
	SHOW("fallocate punch without keep", fallocate(f, FALLOC_FL_PUNCH_HOLE, 0, 10));
	close(f);
	f = open("falloc", O_RDONLY);
	SHOW("fallocate O_RDONLY", fallocate(f, 0, 0, 10));
	close(f);
	int p[2];
	if (pipe(p))
		exit(1);
	SHOW("fallocate pipe", fallocate(p[1], 0, 0, 10));
	SHOW("fadvise pipe", posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL) ? -1 : 0);
	close(p[0]);
	close(p[1]);
}

static void test_copies(void)
{
	char buf[64] = "";
	int src = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (write(src, "0123456789abcdefghij", 20) != 20)
		exit(1);
	int dst = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
	off_t off = 5;
	SHOW("sendfile with offset", sendfile(dst, src, &off, 10));
	printf("offset now %lld, src pos %lld\n", (long long)off, (long long)lseek(src, 0, SEEK_CUR));
	lseek(src, 2, SEEK_SET);
	SHOW("sendfile at file pos", sendfile(dst, src, NULL, 3));
	printf("src pos %lld dst pos %lld\n", (long long)lseek(src, 0, SEEK_CUR),
	       (long long)lseek(dst, 0, SEEK_CUR));
	SHOW("pread dst", pread(dst, buf, sizeof(buf) - 1, 0));
	printf("dst: %s\n", buf);
	off_t in = 0, out = 100;
	SHOW("copy_file_range", copy_file_range(src, &in, dst, &out, 20, 0));
	printf("in %lld out %lld size %ld\n", (long long)in, (long long)out, fsize(dst));
	SHOW("copy_file_range at EOF", copy_file_range(src, &in, dst, &out, 20, 0));
	SHOW("copy_file_range flags", copy_file_range(src, NULL, dst, NULL, 1, 1));
	int p[2];
	if (pipe(p))
		exit(1);
	SHOW("copy_file_range to pipe", copy_file_range(src, NULL, p[1], NULL, 1, 0));
	in = 10;
	SHOW("sendfile to pipe", sendfile(p[1], src, &in, 5));
	int n = -1;
	SHOW("FIONREAD pipe", ioctl(p[0], FIONREAD, &n));
	printf("pipe holds %d\n", n);
	off_t o2 = 0;
	SHOW("splice pipe to file", splice(p[0], NULL, dst, &o2, 64, 0));
	memset(buf, 0, sizeof(buf));
	SHOW("pread dst", pread(dst, buf, 5, 0));
	printf("dst: %s\n", buf);
	o2 = 3;
	SHOW("splice file to pipe", splice(src, &o2, p[1], NULL, 4, 0));
	memset(buf, 0, sizeof(buf));
	SHOW("read pipe", read(p[0], buf, sizeof(buf)));
	printf("pipe: %s\n", buf);
	SHOW("splice file to file", splice(src, NULL, dst, NULL, 4, 0));
	SHOW("splice offset on pipe", splice(p[0], &o2, dst, NULL, 4, 0));
	SHOW("splice nonblock empty", splice(p[0], NULL, dst, NULL, 4, SPLICE_F_NONBLOCK));
	SHOW("sendfile from O_WRONLY", sendfile(dst, p[1], NULL, 4));
	lseek(src, 0, SEEK_SET);
	SHOW("FIONREAD file", ioctl(src, FIONREAD, &n));
	printf("file readable %d\n", n);
	close(p[0]);
	close(p[1]);
	close(src);
	close(dst);
}

static void test_pipesz(void)
{
	int p[2];
	if (pipe(p))
		exit(1);
	SHOW("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	SHOW("F_SETPIPE_SZ 1000", fcntl(p[1], F_SETPIPE_SZ, 1000));
	SHOW("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	SHOW("F_SETPIPE_SZ 100000", fcntl(p[1], F_SETPIPE_SZ, 100000));
	char big[8192] = {0};
	SHOW("write 8192", write(p[1], big, sizeof(big)));
	SHOW("F_SETPIPE_SZ 4096 while full", fcntl(p[1], F_SETPIPE_SZ, 4096));
	int f = open("src", O_RDONLY);
	SHOW("F_GETPIPE_SZ on file", fcntl(f, F_GETPIPE_SZ));
	close(f);
	close(p[0]);
	close(p[1]);
}

static void test_sync(void)
{
	int f = open("src", O_RDWR);
	SHOW("fsync", fsync(f));
	SHOW("syncfs", syncfs(f));
	SHOW("sync_file_range", sync_file_range(f, 0, 0, SYNC_FILE_RANGE_WRITE));
	SHOW("sync_file_range bad flags", sync_file_range(f, 0, 0, 8));
	SHOW("sync_file_range negative", sync_file_range(f, -1, 0, 0));
	SHOW("syncfs bad fd", syncfs(99));
	sync();
	printf("sync done\n");
	int p[2];
	if (pipe(p))
		exit(1);
	SHOW("sync_file_range pipe", sync_file_range(p[0], 0, 0, 0));
	SHOW("fsync pipe", fsync(p[1]));
	SHOW("syncfs pipe", syncfs(p[1]));
	close(p[0]);
	close(p[1]);
	close(f);
}

/* Synchronous writes: the counts they answer, and the bytes where they belong. */
static void test_sync_writes(void)
{
	char buf[64] = "";
	int s = open("osync", O_RDWR | O_CREAT | O_TRUNC | O_SYNC, 0644);
	int d = open("odsync", O_RDWR | O_CREAT | O_TRUNC | O_DSYNC, 0644);
	struct iovec v = {"rwf-dsync ", 10};

	SHOW("O_SYNC write", write(s, "synced ", 7));
	SHOW("O_SYNC pwrite", pwrite(s, "SYNCED", 6, 0));
	SHOW("O_DSYNC write", write(d, "dsynced", 7));
	SHOW("O_SYNC flag kept", (fcntl(s, F_GETFL) & O_SYNC) == O_SYNC);
	SHOW("O_DSYNC flag kept", (fcntl(d, F_GETFL) & (O_SYNC | O_DSYNC)) == O_DSYNC);
	SHOW("pwritev2 RWF_DSYNC", pwritev2(d, &v, 1, 7, RWF_DSYNC));
	v = (struct iovec){"rwf-sync", 8};
	SHOW("pwritev2 RWF_SYNC", pwritev2(d, &v, 1, -1, RWF_SYNC));
	SHOW("offset after", lseek(d, 0, SEEK_CUR));
	SHOW("osync pread", pread(s, buf, sizeof(buf) - 1, 0));
	printf("osync: %s\n", buf);
	memset(buf, 0, sizeof(buf));
	SHOW("odsync pread", pread(d, buf, sizeof(buf) - 1, 0));
	printf("odsync: %s\n", buf);
	SHOW("sync_file_range all flags", sync_file_range(d, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE |
						   SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER));
	SHOW("sync_file_range wait after", sync_file_range(d, 0, 4, SYNC_FILE_RANGE_WAIT_AFTER));
	SHOW("fdatasync", fdatasync(d));
	SHOW("ftruncate", ftruncate(s, 8192));
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0);
	EXPECT("mmap", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		memcpy(m + 4096, "mapped", 6);
		SHOW("msync MS_SYNC", msync(m, 8192, MS_SYNC));
		SHOW("msync MS_ASYNC", msync(m + 4096, 4096, MS_ASYNC));
		SHOW("msync both", msync(m, 4096, MS_SYNC | MS_ASYNC));
		munmap(m, 8192);
	}
	memset(buf, 0, sizeof(buf));
	SHOW("mapped pread", pread(s, buf, 6, 4096));
	printf("mapped: %s\n", buf);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("fsync dir", fsync(dir));
	SHOW("syncfs dir", syncfs(dir));
	close(dir);
	close(s);
	close(d);
}

int main(int argc, char **argv)
{
	close_inherited_fds();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || chdir(argv[1]))
		return 1;
	test_memfd();
	test_fallocate();
	test_copies();
	test_pipesz();
	test_sync();
	test_sync_writes();
	return 0;
}
