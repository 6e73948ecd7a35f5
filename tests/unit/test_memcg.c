/*
 * Unit tests of supervisor/base/memcg.c and of what charges it: tmpfs data and
 * inodes (ENOSPC as shmem, sparse files free, mapped files charged whole),
 * pipe pages (ENOMEM past the limit, given back when read), counted
 * resources.  No guest: files are made on a tmpfs sb directly.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/statfs.h>

#include "suites.h"
#include "vfs.h"
#include "vfs_impl.h"

#define MIB (1UL << 20)

static char buf[4 << 20];

/* A kernel whose guests may hold `held` bytes and write `tmpfs` bytes of tmpfs data. */
static void small_kernel(struct kernel *k, unsigned long held, unsigned long tmpfs)
{
	kernel_init(k);
	memcg_configure(&k->memcg, held, tmpfs);
	ck_assert_int_eq(vfs_ns_alloc(&k->memcg, &k->vfs), 0); /* pipes' and tmpfs's namespace */
}

/* ftruncate without a task: the file's own setattr. */
static int truncate_to(struct vfs_file *f, off_t size)
{
	struct vfs_attr a = {.valid = VFS_ATTR_SIZE, .size = size};
	return f->ops->setattr(f, &a);
}

static struct vfs_file *tmp_file(struct kernel *k, struct vfs_sb **sb)
{
	struct vfs_file *f;
	ck_assert_int_eq(vfs_tmpfs_sb(k->vfs, sb), 0);
	ck_assert_int_eq(vfs_tmpfs_anon(*sb, 0600, 0, "/t", O_RDWR, &f), 0);
	return f;
}

START_TEST(charge_limits)
{
	struct kernel k;
	small_kernel(&k, 8 * MIB, 4 * MIB);
	ck_assert_int_eq(memcg_charge(&k.memcg, MEMCG_TMPFS, 4 * MIB), 0);
	ck_assert_int_eq(memcg_charge(&k.memcg, MEMCG_TMPFS, 4096), -ENOSPC);
	ck_assert_int_eq(memcg_charge(&k.memcg, MEMCG_PIPE, 4 * MIB), 0);
	ck_assert_int_eq(memcg_charge(&k.memcg, MEMCG_PIPE, 4096), -ENOMEM);
	ck_assert_uint_eq(memcg_room(&k.memcg, MEMCG_PIPE), 0);
	memcg_uncharge(&k.memcg, MEMCG_TMPFS, 4 * MIB);
	ck_assert_uint_eq(memcg_room(&k.memcg, MEMCG_TMPFS), 4 * MIB);
	ck_assert(memcg_over_mapped(&k.memcg, 4 * MIB + 1));
	ck_assert(!memcg_over_mapped(&k.memcg, 4 * MIB));
	memcg_uncharge(&k.memcg, MEMCG_PIPE, 4 * MIB);
	ck_assert_int_eq(memcg_charge(NULL, MEMCG_PIPE, ~0UL), 0); /* no kernel: no bound */
	vfs_ns_fini(k.vfs);
}
END_TEST

START_TEST(counted)
{
	struct kernel k;
	kernel_init(&k);
	k.memcg.max[MEMCG_LOCKS] = 2;
	ck_assert_int_eq(memcg_take(&k.memcg, MEMCG_LOCKS), 0);
	ck_assert_int_eq(memcg_take(&k.memcg, MEMCG_LOCKS), 0);
	ck_assert_int_eq(memcg_take(&k.memcg, MEMCG_LOCKS), -ENOLCK);
	ck_assert(memcg_full(&k.memcg, MEMCG_LOCKS));
	memcg_give(&k.memcg, MEMCG_LOCKS, 2);
	ck_assert_int_eq(memcg_take_n(&k.memcg, MEMCG_FDSLOTS, k.memcg.max[MEMCG_FDSLOTS] + 1), -ENFILE);
	ck_assert_int_eq(memcg_count(&k.memcg, MEMCG_FDSLOTS), 0);
}
END_TEST

START_TEST(tmpfs_sparse_and_enospc)
{
	struct kernel k;
	struct vfs_sb *sb;
	small_kernel(&k, 0, 4 * MIB);
	struct vfs_file *f = tmp_file(&k, &sb);
	ck_assert_int_eq(vfs_fallocate(f, 0, 0, 1L << 40), -ENOSPC);
	ck_assert_int_eq(truncate_to(f, 1L << 40), 0); /* sparse: free */
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 0);
	/* 3 MiB fit; the next write is cut at the budget, then ENOSPC */
	ck_assert_int_eq(vfs_write(f, buf, 3 * MIB, 0), 3 * MIB);
	ck_assert_int_eq(vfs_write(f, buf, 2 * MIB, 3 * MIB), MIB);
	ck_assert_int_eq(vfs_write(f, buf, 1, 4 * MIB), -ENOSPC);
	ck_assert_int_eq(vfs_write(f, buf, 4096, 0), 4096); /* over backed pages: free */
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 4 * MIB);
	ck_assert_int_eq(vfs_fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, MIB), 0);
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 3 * MIB);
	ck_assert_int_eq(vfs_fallocate(f, FALLOC_FL_KEEP_SIZE, 8 * MIB, 2 * MIB), -ENOSPC);
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 3 * MIB); /* all or nothing */
	vfs_file_put(f);
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 0);
	vfs_sb_free(sb);
	ck_assert_int_eq(memcg_count(&k.memcg, MEMCG_INODES), 0);
	vfs_ns_fini(k.vfs);
}
END_TEST

START_TEST(tmpfs_mapped_charged_whole)
{
	struct kernel k;
	struct vfs_sb *sb;
	small_kernel(&k, 0, 4 * MIB);
	struct vfs_file *f = tmp_file(&k, &sb);
	ck_assert_int_eq(truncate_to(f, 8 * MIB), 0);
	ck_assert_int_eq(vfs_hostfd(f), -ENOMEM); /* 8 MiB of holes a fault could fill */
	ck_assert_int_eq(truncate_to(f, 2 * MIB), 0);
	ck_assert_int_ge(vfs_hostfd(f), 0);
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 2 * MIB);
	ck_assert_int_eq(truncate_to(f, 8 * MIB), -ENOSPC);
	ck_assert_int_eq(truncate_to(f, 4 * MIB), 0);
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 4 * MIB);
	vfs_file_put(f);
	vfs_sb_free(sb);
	ck_assert_uint_eq(k.memcg.held[MEMCG_TMPFS], 0);
	vfs_ns_fini(k.vfs);
}
END_TEST

START_TEST(tmpfs_statfs)
{
	struct kernel k;
	struct vfs_sb *sb;
	struct statfs sf;
	small_kernel(&k, 0, 4 * MIB);
	struct vfs_file *f = tmp_file(&k, &sb);
	ck_assert_int_eq(vfs_write(f, buf, 5000, 0), 5000);
	ck_assert_int_eq(vfs_fstatfs(NULL, f, &sf), 0);
	ck_assert_int_eq(sf.f_type, 0x01021994);
	ck_assert_int_eq(sf.f_blocks, 1024);
	ck_assert_int_eq(sf.f_bfree, 1022);
	ck_assert_int_eq(sf.f_files - sf.f_ffree, 2); /* the root and the file */
	vfs_file_put(f);
	vfs_sb_free(sb);
	vfs_ns_fini(k.vfs);
}
END_TEST

START_TEST(pipe_pages)
{
	struct kernel k;
	struct vfs_file *rd, *wr;
	small_kernel(&k, 64 << 10, 0);
	ck_assert_int_eq(vfs_pipe(k.vfs, O_NONBLOCK, &rd, &wr), 0);
	ck_assert_int_eq(vfs_pipe_setsize(wr, 1 << 20, true), 1 << 20);
	ck_assert_int_eq(vfs_write(wr, buf, 1 << 20, 0), 64 << 10);
	ck_assert_int_eq(vfs_write(wr, buf, 1, 0), -ENOMEM);
	ck_assert_int_eq(vfs_read(rd, buf, 1 << 20, 0), 64 << 10);
	ck_assert_uint_eq(k.memcg.held[MEMCG_PIPE], 4096); /* one spare page stays */
	ck_assert_int_eq(vfs_write(wr, buf, 8192, 0), 8192);
	vfs_file_put(rd);
	vfs_file_put(wr);
	ck_assert_uint_eq(k.memcg.held[MEMCG_PIPE], 0);
	ck_assert_int_eq(memcg_count(&k.memcg, MEMCG_PIPE_SLOTS), 0);
	vfs_ns_fini(k.vfs);
}
END_TEST

Suite *memcg_suite(void)
{
	Suite *s = suite_create("memcg");
	TCase *tc = tcase_create("charge");
	tcase_add_test(tc, charge_limits);
	tcase_add_test(tc, counted);
	tcase_add_test(tc, tmpfs_sparse_and_enospc);
	tcase_add_test(tc, tmpfs_mapped_charged_whole);
	tcase_add_test(tc, tmpfs_statfs);
	tcase_add_test(tc, pipe_pages);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
