/*
 * The fd table: lowest-free allocation, dup2 over an open fd, close-on-exec,
 * close_range, EMFILE at the limit, and sharing on clone.  Files are dummies
 * that count their releases; no guest, no VFS.
 */
#include <errno.h>
#include <stdlib.h>

#include "fdtable.h"
#include "suites.h"
#include "vfs.h"

struct dummy {
	struct vfs_file base;
	int *released;
};

static void dummy_release(struct vfs_file *f)
{
	(*container_of(f, struct dummy, base)->released)++;
}

static const struct vfs_file_ops dummy_ops = {.release = dummy_release};

static struct vfs_file *dummy(int *released)
{
	struct dummy *d = calloc(1, sizeof(*d));
	ck_assert_ptr_nonnull(d);
	d->base.refs = 1;
	d->base.ops = &dummy_ops;
	d->released = released;
	return &d->base;
}

START_TEST(lowest_free)
{
	int rel = 0;
	struct fdtable *fdt = fdt_alloc();

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 0, 1024, false), i);
	ck_assert_int_eq(fdt_close(fdt, 1), 0);
	ck_assert_int_eq(rel, 1);
	ck_assert_int_eq(fdt_close(fdt, 1), -EBADF);
	ck_assert_ptr_null(fdt_get(fdt, 1));
	ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 0, 1024, false), 1);
	ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 10, 1024, false), 10);
	ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 0, 1024, false), 3);
	/* Growing past the first allocation keeps the slots. */
	ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 500, 1024, false), 500);
	ck_assert_ptr_nonnull(fdt_get(fdt, 10));
	ck_assert_ptr_null(fdt_get(fdt, -1));
	ck_assert_ptr_null(fdt_get(fdt, 1 << 30));
	fdt_put(fdt);
	ck_assert_int_eq(rel, 7);
}
END_TEST

START_TEST(dup2_over_open)
{
	int rel_a = 0, rel_b = 0;
	struct fdtable *fdt = fdt_alloc();
	struct vfs_file *a = dummy(&rel_a), *b = dummy(&rel_b);

	ck_assert_int_eq(fdt_install(fdt, a, 0, 1024, false), 0);
	ck_assert_int_eq(fdt_install(fdt, b, 0, 1024, true), 1);
	vfs_file_get(a);
	ck_assert_int_eq(fdt_install_at(fdt, 1, a, false), 1);
	ck_assert_int_eq(rel_b, 1);
	ck_assert_ptr_eq(fdt_get(fdt, 1), a);
	ck_assert_int_eq(fdt_get_cloexec(fdt, 1), 0);
	ck_assert_int_eq(a->refs, 2);
	ck_assert_int_eq(fdt_install_at(fdt, -1, a, false), -EBADF);
	fdt_put(fdt);
	ck_assert_int_eq(rel_a, 1);
}
END_TEST

START_TEST(cloexec)
{
	int rel = 0;
	struct fdtable *fdt = fdt_alloc();

	ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 0, 1024, true), 0);
	ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 0, 1024, false), 1);
	ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 0, 1024, false), 2);
	ck_assert_int_eq(fdt_get_cloexec(fdt, 0), 1);
	ck_assert_int_eq(fdt_set_cloexec(fdt, 2, true), 0);
	ck_assert_int_eq(fdt_set_cloexec(fdt, 7, true), -EBADF);
	ck_assert_int_eq(fdt_get_cloexec(fdt, 7), -EBADF);
	fdt_close_on_exec(fdt);
	ck_assert_int_eq(rel, 2);
	ck_assert_ptr_null(fdt_get(fdt, 0));
	ck_assert_ptr_nonnull(fdt_get(fdt, 1));
	ck_assert_ptr_null(fdt_get(fdt, 2));
	fdt_put(fdt);
}
END_TEST

START_TEST(close_range)
{
	int rel = 0;
	struct fdtable *fdt = fdt_alloc();

	for (int i = 0; i < 8; i++)
		fdt_install(fdt, dummy(&rel), 0, 1024, false);
	fdt_close_range(fdt, 2, 4, true);
	ck_assert_int_eq(rel, 0);
	ck_assert_int_eq(fdt_get_cloexec(fdt, 3), 1);
	ck_assert_int_eq(fdt_get_cloexec(fdt, 5), 0);
	fdt_close_range(fdt, 5, ~0u, false);
	ck_assert_int_eq(rel, 3);
	ck_assert_ptr_null(fdt_get(fdt, 7));
	ck_assert_ptr_nonnull(fdt_get(fdt, 4));
	fdt_close_range(fdt, 100, 200, false);
	fdt_close_range(fdt, 0, 0, false);
	ck_assert_int_eq(rel, 4);
	fdt_put(fdt);
	ck_assert_int_eq(rel, 8);
}
END_TEST

START_TEST(emfile)
{
	int rel = 0;
	struct fdtable *fdt = fdt_alloc();

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(fdt_install(fdt, dummy(&rel), 0, 3, false), i);
	struct vfs_file *f = dummy(&rel);
	ck_assert_int_eq(fdt_install(fdt, f, 0, 3, false), -EMFILE);
	ck_assert_int_eq(fdt_install(fdt, f, 5, 3, false), -EMFILE);
	vfs_file_put(f);
	ck_assert_int_eq(rel, 1);
	fdt_put(fdt);
}
END_TEST

START_TEST(clone_shares_files)
{
	int rel = 0;
	struct fdtable *fdt = fdt_alloc();

	fdt_install(fdt, dummy(&rel), 0, 1024, true);
	struct fdtable *c = fdt_clone(fdt);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_eq(fdt_get(c, 0), fdt_get(fdt, 0));
	ck_assert_int_eq(fdt_get_cloexec(c, 0), 1);
	fdt_close(fdt, 0);
	ck_assert_int_eq(rel, 0);
	fdt_put(c);
	ck_assert_int_eq(rel, 1);
	fdt_put(fdt);
}
END_TEST

Suite *fdtable_suite(void)
{
	Suite *s = suite_create("fdtable");
	TCase *tc = tcase_create("fdtable");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, lowest_free);
	tcase_add_test(tc, dup2_over_open);
	tcase_add_test(tc, cloexec);
	tcase_add_test(tc, close_range);
	tcase_add_test(tc, emfile);
	tcase_add_test(tc, clone_shares_files);
	suite_add_tcase(s, tc);
	return s;
}
