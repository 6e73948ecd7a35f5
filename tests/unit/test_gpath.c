/*
 * Guest paths (supervisor/kernel/gpath.c) read through the fake's guest
 * memory: Linux's getname() answers (EFAULT for a bad address, including a
 * string that runs off its mapping; ENAMETOOLONG when no NUL comes within
 * PATH_MAX bytes) and the *at calls' directory (AT_FDCWD, absolute paths
 * ignoring dirfd, EBADF).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "fake_guest.h"
#include "fdtable.h"
#include "gpath.h"
#include "kernel_suites.h"
#include "task.h"
#include "vfs.h"

#define BASE 0x10000UL

static char mem[2 * PATH_MAX];

START_TEST(paths_copied_in)
{
	struct fake_env e;
	fake_env_init(&e);
	char buf[PATH_MAX];
	fake_guest_map(e.init->tg, BASE, mem, sizeof(mem));
	strcpy(mem, "/etc/passwd");
	ck_assert_int_eq(gpath_get(e.init, buf, BASE), 0);
	ck_assert_str_eq(buf, "/etc/passwd");
	ck_assert_int_eq(gpath_get(e.init, buf, BASE + 5), 0); /* from the middle */
	ck_assert_str_eq(buf, "passwd");
	ck_assert_int_eq(gpath_get(e.init, buf, 0), -EFAULT);
	ck_assert_int_eq(gpath_get(e.init, buf, BASE - 1), -EFAULT);
	/* a string that runs off the end of its mapping */
	memset(mem, 'a', sizeof(mem));
	ck_assert_int_eq(gpath_get(e.init, buf, BASE + sizeof(mem) - 10), -EFAULT);
	/* PATH_MAX - 1 bytes and the NUL fit; PATH_MAX bytes do not */
	mem[PATH_MAX - 1] = '\0';
	ck_assert_int_eq(gpath_get(e.init, buf, BASE), 0);
	ck_assert_uint_eq(strlen(buf), PATH_MAX - 1);
	mem[PATH_MAX - 1] = 'a';
	mem[PATH_MAX] = '\0';
	ck_assert_int_eq(gpath_get(e.init, buf, BASE), -ENAMETOOLONG);
	ck_assert_uint_eq(strlen(buf), PATH_MAX - 1); /* cut, still a string */
	fake_env_fini(&e);
}
END_TEST

START_TEST(memory_is_per_process)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *c = fake_env_fork(&e, e.init, 0);
	char buf[PATH_MAX];
	fake_guest_map(e.init->tg, BASE, mem, sizeof(mem));
	strcpy(mem, "/x");
	ck_assert_int_eq(gpath_get(c, buf, BASE), -EFAULT);
	ck_assert_int_eq(gpath_get(e.init, buf, BASE), 0);
	fake_env_fini(&e);
}
END_TEST

START_TEST(at_dir)
{
	struct fake_env e;
	fake_env_init(&e);
	struct vfs_file *d, *dir;
	ck_assert_int_eq(vfs_open(&e.init->vc, NULL, "/", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	int fd = fdt_install(e.init->tg->fdt, d, 10, 1024, false);
	ck_assert_int_ge(fd, 10);
	ck_assert_int_eq(gpath_at_dir(e.init, AT_FDCWD, "rel", &dir), 0);
	ck_assert_ptr_null(dir); /* the cwd */
	ck_assert_int_eq(gpath_at_dir(e.init, 999, "/abs", &dir), 0);
	ck_assert_ptr_null(dir); /* an absolute path ignores dirfd, even a bad one */
	ck_assert_int_eq(gpath_at_dir(e.init, 999, "rel", &dir), -EBADF);
	ck_assert_int_eq(gpath_at_dir(e.init, -1, "rel", &dir), -EBADF);
	ck_assert_int_eq(gpath_at_dir(e.init, fd, "rel", &dir), 0);
	ck_assert_ptr_eq(dir, d);
	fake_env_fini(&e);
}
END_TEST

Suite *gpath_suite(void)
{
	Suite *s = suite_create("gpath");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, paths_copied_in);
	tcase_add_test(tc, memory_is_per_process);
	tcase_add_test(tc, at_dir);
	suite_add_tcase(s, tc);
	return s;
}
