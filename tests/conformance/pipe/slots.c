/* pipe: Linux's page-slot model (room in slots, tail merges, F_SETPIPE_SZ rounding and EBUSY),
 * O_DIRECT packets, FIFOs opened through their nodes (shared per node, ENXIO, O_RDWR, data
 * dropped with the last opener, /proc/self/fd reopening of a pipe), tee, splice between pipes
 * and vmsplice. */
#define AREA "pipe"
#include "../harness.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

static char big[65536];

CASE(slots_room_counts_slots_not_bytes)
{
	int p[2];
	OK(pipe2(p, O_NONBLOCK));
	int n = 0;
	while (write(p[1], big, 3000) == 3000)
		n++;
	EXPECT_EQ(n, 16); /* one 3000-byte slot each: 48000 bytes fill 64 KiB */
	EXPECT_ERRNO(write(p[1], big, 1200), EAGAIN); /* 3000 + 1200 does not fit a slot */
	EXPECT_EQ(write(p[1], big, 1000), 1000);	/* 3000 + 1000 does */
	close(p[0]);
	close(p[1]);
}

CASE(slots_tail_merges_into_last_slot)
{
	int p[2], held = 0;
	OK(pipe2(p, O_NONBLOCK));
	OK(fcntl(p[1], F_SETPIPE_SZ, 8192));
	EXPECT_EQ(write(p[1], big, 1000), 1000);
	EXPECT_EQ(write(p[1], big, 5000), 5000); /* 904 merge, 4096 in the second slot */
	EXPECT_ERRNO(write(p[1], big, 1), EAGAIN);
	OK(ioctl(p[0], FIONREAD, &held));
	EXPECT_EQ(held, 6000);
	close(p[0]);
	close(p[1]);
}

CASE(slots_setpipe_sz_rounds_and_busy)
{
	int p[2];
	OK(pipe2(p, O_NONBLOCK));
	EXPECT_EQ(fcntl(p[0], F_SETPIPE_SZ, 0), 4096);
	EXPECT_EQ(fcntl(p[0], F_SETPIPE_SZ, 5000), 8192);
	EXPECT_EQ(write(p[1], big, 10), 10);
	EXPECT_EQ(write(p[1], big, 4096), 4096);
	EXPECT_ERRNO(fcntl(p[0], F_SETPIPE_SZ, 4096), EBUSY);
	EXPECT_EQ(fcntl(p[0], F_GETPIPE_SZ), 8192);
	close(p[0]);
	close(p[1]);
}

CASE(slots_pollout_while_a_slot_is_free)
{
	int p[2];
	struct pollfd pf;
	OK(pipe2(p, O_NONBLOCK));
	OK(fcntl(p[1], F_SETPIPE_SZ, 4096));
	EXPECT_EQ(write(p[1], big, 1), 1);
	pf = (struct pollfd){p[1], POLLOUT, 0};
	EXPECT_EQ(poll(&pf, 1, 0), 0); /* one byte in the only slot: no POLLOUT */
	EXPECT_EQ(write(p[1], big, 100), 100); /* but a write may still merge */
	close(p[0]);
	close(p[1]);
}

CASE(packet_mode_reads_one_packet)
{
	int p[2];
	char b[16] = {0};
	OK(pipe2(p, O_DIRECT));
	EXPECT_EQ(write(p[1], "abc", 3), 3);
	EXPECT_EQ(write(p[1], "defg", 4), 4);
	EXPECT_EQ(read(p[0], b, 2), 2); /* the rest of the packet is dropped */
	EXPECT_EQ(read(p[0], b, 16), 4);
	EXPECT_MEMEQ(b, "defg", 4);
	close(p[0]);
	close(p[1]);
}

CASE(fifo_nonblock_reader_then_writer)
{
	char b[8] = {0};
	scratch();
	OK(mkfifo("f", 0600));
	int r = OK(open("f", O_RDONLY | O_NONBLOCK));
	EXPECT_EQ(read(r, b, 8), 0); /* no writer: EOF */
	int w = OK(open("f", O_WRONLY | O_NONBLOCK));
	EXPECT_EQ(write(w, "hi", 2), 2);
	EXPECT_EQ(read(r, b, 8), 2);
	EXPECT_ERRNO(read(r, b, 8), EAGAIN);
	close(w);
	close(r);
}

CASE(fifo_data_goes_with_last_opener)
{
	char b[8];
	scratch();
	OK(mkfifo("f", 0600));
	int rw = OK(open("f", O_RDWR));
	EXPECT_EQ(write(rw, "left", 4), 4);
	close(rw);
	int r = OK(open("f", O_RDONLY | O_NONBLOCK));
	EXPECT_EQ(read(r, b, 8), 0);
	close(r);
}

CASE(fifo_nodes_are_separate)
{
	char b[8];
	scratch();
	OK(mkfifo("a", 0600));
	OK(mknod("b", S_IFIFO | 0600, 0));
	int ra = OK(open("a", O_RDONLY | O_NONBLOCK));
	int wb = OK(open("b", O_RDWR));
	EXPECT_EQ(write(wb, "x", 1), 1);
	EXPECT_EQ(read(ra, b, 8), 0);
	struct stat st, fst;
	OK(stat("b", &st));
	OK(fstat(wb, &fst));
	EXPECT_TRUE(S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino);
	close(ra);
	close(wb);
}

CASE(proc_fd_reopen_of_pipe_is_same_pipe)
{
	int p[2];
	char path[64], b[8] = {0};
	OK(pipe(p));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	int r = OK(open(path, O_RDONLY));
	EXPECT_EQ(write(p[1], "pq", 2), 2);
	EXPECT_EQ(read(r, b, 8), 2);
	EXPECT_STREQ(b, "pq");
	close(r);
	close(p[0]);
	close(p[1]);
}

CASE(tee_duplicates_without_consuming)
{
	int a[2], b[2], n = 0;
	char buf[8] = {0};
	OK(pipe(a));
	OK(pipe(b));
	EXPECT_EQ(write(a[1], "tee", 3), 3);
	EXPECT_EQ(tee(a[0], b[1], 10, 0), 3);
	OK(ioctl(a[0], FIONREAD, &n));
	EXPECT_EQ(n, 3);
	EXPECT_EQ(read(b[0], buf, 8), 3);
	EXPECT_STREQ(buf, "tee");
	EXPECT_ERRNO(tee(a[0], a[1], 1, 0), EINVAL);
	EXPECT_ERRNO(tee(b[0], a[1], 1, SPLICE_F_NONBLOCK), EAGAIN);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

CASE(splice_pipe_to_pipe_moves)
{
	int a[2], b[2], n = -1;
	char buf[8] = {0};
	OK(pipe(a));
	OK(pipe(b));
	EXPECT_EQ(write(a[1], "move", 4), 4);
	EXPECT_EQ(splice(a[0], NULL, b[1], NULL, 3, 0), 3);
	OK(ioctl(a[0], FIONREAD, &n));
	EXPECT_EQ(n, 1);
	EXPECT_EQ(read(b[0], buf, 8), 3);
	EXPECT_STREQ(buf, "mov");
	loff_t off = 0;
	EXPECT_ERRNO(splice(a[0], &off, b[1], NULL, 1, 0), ESPIPE);
	close(a[1]);
	EXPECT_EQ(splice(a[0], NULL, b[1], NULL, 8, 0), 1);
	EXPECT_EQ(splice(a[0], NULL, b[1], NULL, 8, 0), 0);
	close(a[0]);
	close(b[0]);
	close(b[1]);
}

CASE(vmsplice_in_and_out)
{
	int p[2];
	char in[] = "vmsplice", out[16] = {0};
	struct iovec iv = {in, 8}, ov = {out, sizeof(out)};
	OK(pipe(p));
	EXPECT_EQ(vmsplice(p[1], &iv, 1, 0), 8);
	EXPECT_EQ(vmsplice(p[0], &ov, 1, 0), 8);
	EXPECT_STREQ(out, "vmsplice");
	EXPECT_ERRNO(vmsplice(p[0], &ov, 1, SPLICE_F_NONBLOCK), EAGAIN);
	EXPECT_ERRNO(vmsplice(p[1], &iv, 1, 0x100), EINVAL);
	close(p[0]);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	long r = vmsplice(p[1], &iv, 1, 0);
	int e = errno;
	signal(SIGPIPE, old);
	EXPECT_TRUE(r == -1 && e == EPIPE);
	close(p[1]);
}

/* vmsplice imports its iovecs as readv does (import_iovec). */
CASE(vmsplice_iovec_checks)
{
	int p[2];
	char in[] = "abcd", out[8] = {0};
	struct iovec iv[2] = {{in, 2}, {in + 2, 2}}, ov = {out, sizeof(out)};
	OK(pipe(p));
	EXPECT_ERRNO(vmsplice(p[1], iv, 1025, 0), EINVAL);
	EXPECT_ERRNO(vmsplice(p[1], (struct iovec *)8, 1, 0), EFAULT);
	struct iovec neg = {in, (size_t)-1};
	EXPECT_ERRNO(vmsplice(p[1], &neg, 1, 0), EINVAL);
	struct iovec high = {(void *)0xffff880000000000UL, 4};
	EXPECT_ERRNO(vmsplice(p[1], &high, 1, 0), EFAULT);
	EXPECT_EQ(vmsplice(p[1], iv, 0, 0), 0);
	EXPECT_EQ(vmsplice(p[1], iv, 2, 0), 4);
	EXPECT_EQ(vmsplice(p[0], &ov, 1, 0), 4); /* two slots, one call */
	EXPECT_STREQ(out, "abcd");
	close(p[0]);
	close(p[1]);
}
