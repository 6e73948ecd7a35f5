/* Unit tests of vfs/pipe.c: the page-slot model on host buffers, no guest. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

#include "suites.h"
#include "vfs.h"

static char buf[1 << 17];

struct two {
	struct kernel k;
	struct vfs_file *rd, *wr;
};

static void open_pipe(struct two *p)
{
	kernel_init(&p->k);
	ck_assert_int_eq(vfs_ns_alloc(&p->k.memcg, &p->k.vfs), 0);
	ck_assert_int_eq(vfs_pipe(p->k.vfs, O_NONBLOCK, &p->rd, &p->wr), 0);
}

static void close_pipe(struct two *p)
{
	vfs_file_put(p->rd);
	vfs_file_put(p->wr);
	vfs_ns_fini(p->k.vfs);
}

static int held(struct two *p)
{
	int n = -1;
	ck_assert_int_eq(vfs_ioctl(p->rd, FIONREAD, &n), 0);
	return n;
}

START_TEST(room_is_slots)
{
	struct two p;
	int n = 0;
	open_pipe(&p);
	while (vfs_write(p.wr, buf, 3000, 0) == 3000)
		n++;
	ck_assert_int_eq(n, 16);
	ck_assert_int_eq(held(&p), 48000);
	ck_assert_int_eq(vfs_write(p.wr, buf, 1200, 0), -EAGAIN); /* does not fit the last slot */
	ck_assert_int_eq(vfs_write(p.wr, buf, 1000, 0), 1000);	  /* merges into it */
	ck_assert_int_eq(vfs_read(p.rd, buf, 2000, 0), 2000);
	ck_assert_int_eq(vfs_write(p.wr, buf, 200, 0), -EAGAIN); /* a half-read slot is not free */
	close_pipe(&p);
}
END_TEST

START_TEST(tail_merges_first)
{
	struct two p;
	open_pipe(&p);
	ck_assert_int_eq(vfs_pipe_setsize(p.wr, 8192, false), 8192);
	ck_assert_int_eq(vfs_write(p.wr, buf, 1000, 0), 1000);
	ck_assert_int_eq(vfs_write(p.wr, buf, 5000, 0), 5000);
	ck_assert_int_eq(held(&p), 6000);
	ck_assert_int_eq(vfs_pipe_setsize(p.wr, 4096, false), -EBUSY);
	ck_assert_int_eq(vfs_pipe_setsize(p.wr, 1 << 21, false), -EPERM);
	ck_assert_int_eq(vfs_pipe_setsize(p.wr, 1 << 21, true), 1 << 21);
	ck_assert_int_eq(vfs_read(p.rd, buf, sizeof(buf), 0), 6000);
	ck_assert_int_eq(vfs_pipe_setsize(p.wr, 0, false), 4096);
	close_pipe(&p);
}
END_TEST

START_TEST(fill_follows_pages)
{
	struct two p;
	open_pipe(&p);
	ck_assert_int_eq(vfs_pipe_setsize(p.wr, 8192, false), 8192);
	ck_assert_int_eq(vfs_pipe_room(p.wr, 4050), 8192 - 4050);
	ck_assert_uint_eq(vfs_pipe_fill(p.wr, buf, 100, 4050), 100); /* two slots */
	ck_assert_int_eq(vfs_pipe_room(p.wr, 0), -EAGAIN);
	ck_assert_int_eq(vfs_write(p.wr, buf, 1, 0), -EAGAIN); /* filled slots do not merge */
	char out[8];
	ck_assert_int_eq(vfs_pipe_peek(p.rd, out, 8), 8);
	vfs_pipe_consume(p.rd, 46);
	ck_assert_int_eq(held(&p), 54);
	ck_assert_int_eq(vfs_pipe_room(p.wr, 0), 4096);
	close_pipe(&p);
}
END_TEST

START_TEST(tee_and_splice_between_pipes)
{
	struct two a, b;
	struct vfs_file *wait = NULL;
	char out[16] = {0};
	open_pipe(&a);
	open_pipe(&b);
	ck_assert_int_eq(vfs_pipe_link(a.rd, b.wr, 10, false, &wait), -EAGAIN);
	ck_assert_ptr_eq(wait, a.rd);
	ck_assert_int_eq(vfs_write(a.wr, "abcdef", 6, 0), 6);
	ck_assert_int_eq(vfs_pipe_link(a.rd, b.wr, 4, false, &wait), 4);
	ck_assert_int_eq(held(&a), 6);
	ck_assert_int_eq(vfs_pipe_link(a.rd, b.wr, 100, true, &wait), 6);
	ck_assert_int_eq(held(&a), 0);
	ck_assert_int_eq(vfs_read(b.rd, out, sizeof(out), 0), 10);
	ck_assert_str_eq(out, "abcdabcdef");
	ck_assert(vfs_pipe_same(a.rd, a.wr) && !vfs_pipe_same(a.rd, b.wr));
	vfs_file_put(b.rd);
	ck_assert_int_eq(vfs_write(a.wr, "x", 1, 0), 1);
	ck_assert_int_eq(vfs_pipe_link(a.rd, b.wr, 1, false, &wait), -EPIPE);
	vfs_file_put(b.wr);
	vfs_file_put(a.wr);
	ck_assert_int_eq(vfs_read(a.rd, out, 1, 0), 1);
	ck_assert_int_eq(vfs_read(a.rd, out, 1, 0), 0); /* EOF */
	vfs_file_put(a.rd);
	vfs_ns_fini(a.k.vfs);
	vfs_ns_fini(b.k.vfs);
}
END_TEST

START_TEST(packets)
{
	struct kernel k;
	struct vfs_file *rd, *wr;
	char out[8];
	kernel_init(&k);
	ck_assert_int_eq(vfs_ns_alloc(&k.memcg, &k.vfs), 0);
	ck_assert_int_eq(vfs_pipe(k.vfs, O_DIRECT, &rd, &wr), 0);
	ck_assert_int_eq(vfs_write(wr, "abc", 3, 0), 3);
	ck_assert_int_eq(vfs_write(wr, "de", 2, 0), 2);
	ck_assert_int_eq(vfs_read(rd, out, 1, 0), 1);
	ck_assert_int_eq(vfs_read(rd, out, 8, 0), 2);
	vfs_file_put(rd);
	vfs_file_put(wr);
	vfs_ns_fini(k.vfs);
}
END_TEST

Suite *pipe_suite(void)
{
	Suite *s = suite_create("pipe");
	TCase *tc = tcase_create("slots");
	tcase_add_test(tc, room_is_slots);
	tcase_add_test(tc, tail_merges_first);
	tcase_add_test(tc, fill_follows_pages);
	tcase_add_test(tc, tee_and_splice_between_pipes);
	tcase_add_test(tc, packets);
	suite_add_tcase(s, tc);
	return s;
}
