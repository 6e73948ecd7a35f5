/*
 * xattr: extended attributes by path, l* and f* forms on scratch files:
 * values, sizes, flags, namespaces, the errnos of Linux's checks in its
 * order, and who may read or write what.  Lists are compared sorted (the
 * order is each filesystem's own).
 */
#define AREA "xattr"
#include "../harness.h"
#include <sys/xattr.h>

static void mkfile(const char *path, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
	if (fd >= 0) {
		fchmod(fd, mode);
		close(fd);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list buf[len] sorted and joined with commas into out. */
static void sorted_list(char *buf, ssize_t len, char *out, size_t size)
{
	char *names[64];
	int n = 0;

	for (ssize_t i = 0; i < len && n < 64; i += (ssize_t)strlen(buf + i) + 1)
		names[n++] = buf + i;
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		strncat(out, names[i], size - strlen(out) - 2);
		strcat(out, ",");
	}
}

/* Run call as euid 1000 (no capabilities), then root again; its result and errno. */
#define AS_USER(r, e, call)                                                                        \
	do {                                                                                       \
		OK(seteuid(1000));                                                                 \
		errno = 0;                                                                         \
		r = (long)(call);                                                                  \
		e = errno;                                                                         \
		OK(seteuid(0));                                                                    \
	} while (0)

CASE(set_get_roundtrip)
{
	char buf[32];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "hello", 5, 0));
	EXPECT_EQ(getxattr("f", "user.k", buf, sizeof(buf)), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
}

CASE(get_size_query)
{
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "hello", 5, 0));
	EXPECT_EQ(getxattr("f", "user.k", NULL, 0), 5);
}

CASE(get_small_buffer_erange)
{
	char buf[4];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "hello", 5, 0));
	EXPECT_ERRNO(getxattr("f", "user.k", buf, sizeof(buf)), ERANGE);
}

CASE(get_missing_enodata)
{
	char buf[4];
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(getxattr("f", "user.none", buf, sizeof(buf)), ENODATA);
}

CASE(get_big_size_clamped)
{
	static char buf[100000];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "v", 1, 0));
	EXPECT_EQ(getxattr("f", "user.k", buf, sizeof(buf)), 1);
}

CASE(set_empty_value)
{
	char buf[4];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.e", "", 0, 0));
	EXPECT_EQ(getxattr("f", "user.e", buf, sizeof(buf)), 0);
	EXPECT_EQ(getxattr("f", "user.e", NULL, 0), 0);
}

CASE(set_replaces_value)
{
	char buf[32];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "long value", 10, 0));
	OK(setxattr("f", "user.k", "ab", 2, 0));
	EXPECT_EQ(getxattr("f", "user.k", buf, sizeof(buf)), 2);
	EXPECT_MEMEQ(buf, "ab", 2);
}

CASE(create_existing_eexist)
{
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "a", 1, XATTR_CREATE));
	EXPECT_ERRNO(setxattr("f", "user.k", "b", 1, XATTR_CREATE), EEXIST);
}

CASE(replace_missing_enodata)
{
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(setxattr("f", "user.k", "b", 1, XATTR_REPLACE), ENODATA);
	OK(setxattr("f", "user.k", "a", 1, 0));
	OK(setxattr("f", "user.k", "b", 1, XATTR_REPLACE));
}

CASE(bad_flags_einval)
{
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(setxattr("f", "user.k", "a", 1, 4), EINVAL);
	/* flags come before the path */
	EXPECT_ERRNO(setxattr("nope", "user.k", "a", 1, 4), EINVAL);
}

CASE(empty_name_erange)
{
	char buf[4];
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(setxattr("f", "", "a", 1, 0), ERANGE);
	EXPECT_ERRNO(getxattr("f", "", buf, sizeof(buf)), ERANGE);
	EXPECT_ERRNO(removexattr("f", ""), ERANGE);
}

CASE(long_name_erange_before_path)
{
	char name[300];
	scratch();
	memset(name, 'n', sizeof(name) - 1);
	memcpy(name, "user.", 5);
	name[256] = '\0';
	EXPECT_ERRNO(setxattr("nope", name, "a", 1, 0), ERANGE);
	EXPECT_ERRNO(getxattr("nope", name, NULL, 0), ERANGE);
}

CASE(name_255_ok)
{
	char name[256];
	scratch();
	mkfile("f", 0644);
	memset(name, 'n', 255);
	memcpy(name, "user.", 5);
	name[255] = '\0';
	OK(setxattr("f", name, "a", 1, 0));
	EXPECT_EQ(getxattr("f", name, NULL, 0), 1);
}

CASE(value_too_big_e2big)
{
	static char big[65537];
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(setxattr("f", "user.k", big, sizeof(big), 0), E2BIG);
	EXPECT_ERRNO(setxattr("nope", "user.k", big, sizeof(big), 0), E2BIG);
}

CASE(unknown_namespace_eopnotsupp)
{
	char buf[4];
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(setxattr("f", "foo.k", "a", 1, 0), EOPNOTSUPP);
	EXPECT_ERRNO(getxattr("f", "foo.k", buf, sizeof(buf)), EOPNOTSUPP);
	EXPECT_ERRNO(setxattr("f", "user", "a", 1, 0), EOPNOTSUPP);
}

CASE(missing_path_enoent)
{
	EXPECT_ERRNO(setxattr("/tmp/uos-no-such-file", "user.k", "a", 1, 0), ENOENT);
	EXPECT_ERRNO(getxattr("/tmp/uos-no-such-file", "user.k", NULL, 0), ENOENT);
	EXPECT_ERRNO(listxattr("/tmp/uos-no-such-file", NULL, 0), ENOENT);
	EXPECT_ERRNO(removexattr("/tmp/uos-no-such-file", "user.k"), ENOENT);
}

CASE(list_names_sorted)
{
	char buf[256], s[256];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.b", "1", 1, 0));
	OK(setxattr("f", "user.a", "2", 1, 0));
	OK(setxattr("f", "user.c", "3", 1, 0));
	ssize_t n = OK(listxattr("f", buf, sizeof(buf)));
	sorted_list(buf, n, s, sizeof(s));
	EXPECT_STREQ(s, "user.a,user.b,user.c,");
}

CASE(list_size_query)
{
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.ab", "1", 1, 0));
	OK(setxattr("f", "user.c", "2", 1, 0));
	EXPECT_EQ(listxattr("f", NULL, 0), 15);
}

CASE(list_small_buffer_erange)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.ab", "1", 1, 0));
	OK(setxattr("f", "user.c", "2", 1, 0));
	EXPECT_ERRNO(listxattr("f", buf, sizeof(buf)), ERANGE);
}

CASE(list_empty)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	EXPECT_EQ(listxattr("f", buf, sizeof(buf)), 0);
	EXPECT_EQ(listxattr("f", NULL, 0), 0);
}

CASE(remove_then_gone)
{
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "a", 1, 0));
	OK(removexattr("f", "user.k"));
	EXPECT_ERRNO(getxattr("f", "user.k", NULL, 0), ENODATA);
	EXPECT_ERRNO(removexattr("f", "user.k"), ENODATA);
	EXPECT_EQ(listxattr("f", NULL, 0), 0);
}

CASE(directory_keeps_user)
{
	char buf[8];
	scratch();
	OK(mkdir("d", 0755));
	OK(setxattr("d", "user.k", "dv", 2, 0));
	EXPECT_EQ(getxattr("d", "user.k", buf, sizeof(buf)), 2);
}

CASE(symlink_follows)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	OK(symlink("f", "l"));
	OK(setxattr("l", "user.k", "tv", 2, 0));
	EXPECT_EQ(getxattr("f", "user.k", buf, sizeof(buf)), 2);
	EXPECT_EQ(getxattr("l", "user.k", buf, sizeof(buf)), 2);
}

CASE(lset_user_on_symlink_eperm)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	OK(symlink("f", "l"));
	EXPECT_ERRNO(lsetxattr("l", "user.k", "a", 1, 0), EPERM);
	EXPECT_ERRNO(lgetxattr("l", "user.k", buf, sizeof(buf)), ENODATA);
	EXPECT_ERRNO(lremovexattr("l", "user.k"), EPERM);
}

CASE(llist_symlink_empty)
{
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "a", 1, 0));
	OK(symlink("f", "l"));
	EXPECT_EQ(llistxattr("l", NULL, 0), 0);
	EXPECT_EQ(listxattr("l", NULL, 0), 7);
}

CASE(lset_trusted_on_symlink)
{
	char buf[8];
	scratch();
	OK(symlink("target", "l"));
	OK(lsetxattr("l", "trusted.k", "sv", 2, 0));
	EXPECT_EQ(lgetxattr("l", "trusted.k", buf, sizeof(buf)), 2);
}

CASE(fifo_user_eperm)
{
	scratch();
	OK(mkfifo("p", 0644));
	EXPECT_ERRNO(setxattr("p", "user.k", "a", 1, 0), EPERM);
	EXPECT_ERRNO(getxattr("p", "user.k", NULL, 0), ENODATA);
}

CASE(fd_forms)
{
	char buf[8];
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(fsetxattr(fd, "user.k", "fv", 2, 0));
	EXPECT_EQ(fgetxattr(fd, "user.k", buf, sizeof(buf)), 2);
	EXPECT_EQ(getxattr("f", "user.k", buf, sizeof(buf)), 2);
	EXPECT_EQ(flistxattr(fd, NULL, 0), 7);
	OK(fremovexattr(fd, "user.k"));
	EXPECT_ERRNO(fgetxattr(fd, "user.k", buf, sizeof(buf)), ENODATA);
	close(fd);
}

CASE(fd_readonly_open_may_set)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	int fd = OK(open("f", O_RDONLY));
	OK(fsetxattr(fd, "user.k", "rv", 2, 0));
	EXPECT_EQ(getxattr("f", "user.k", buf, sizeof(buf)), 2);
	close(fd);
}

CASE(fd_opath_ebadf)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	int fd = OK(open("f", O_PATH));
	EXPECT_ERRNO(fgetxattr(fd, "user.k", buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(fsetxattr(fd, "user.k", "a", 1, 0), EBADF);
	EXPECT_ERRNO(flistxattr(fd, buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(fremovexattr(fd, "user.k"), EBADF);
	close(fd);
}

CASE(fd_bad_ebadf)
{
	char buf[8];
	EXPECT_ERRNO(fgetxattr(999, "user.k", buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(fsetxattr(999, "user.k", "a", 1, 0), EBADF);
	EXPECT_ERRNO(fgetxattr(-1, "user.k", buf, sizeof(buf)), EBADF);
}

CASE(fd_name_checked_before_fd)
{
	EXPECT_ERRNO(fsetxattr(999, "", "a", 1, 0), ERANGE);
	EXPECT_ERRNO(fsetxattr(999, "user.k", "a", 1, 8), EINVAL);
}

CASE(unlinked_open_file_keeps)
{
	char buf[8];
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(unlink("f"));
	OK(fsetxattr(fd, "user.k", "uv", 2, 0));
	EXPECT_EQ(fgetxattr(fd, "user.k", buf, sizeof(buf)), 2);
	close(fd);
}

CASE(hard_link_shares)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	OK(link("f", "g"));
	OK(setxattr("f", "user.k", "hv", 2, 0));
	EXPECT_EQ(getxattr("g", "user.k", buf, sizeof(buf)), 2);
}

CASE(rename_keeps)
{
	char buf[8];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "user.k", "rv", 2, 0));
	OK(rename("f", "g"));
	EXPECT_EQ(getxattr("g", "user.k", buf, sizeof(buf)), 2);
}

CASE(set_changes_ctime)
{
	struct stat a, b;
	struct timespec pause = {0, 20 * 1000 * 1000};
	scratch();
	mkfile("f", 0644);
	OK(stat("f", &a));
	nanosleep(&pause, NULL);
	OK(setxattr("f", "user.k", "a", 1, 0));
	OK(stat("f", &b));
	EXPECT_TRUE(b.st_ctim.tv_sec != a.st_ctim.tv_sec || b.st_ctim.tv_nsec != a.st_ctim.tv_nsec);
	EXPECT_TRUE(b.st_mtim.tv_sec == a.st_mtim.tv_sec && b.st_mtim.tv_nsec == a.st_mtim.tv_nsec);
}

CASE(trusted_and_security_as_root)
{
	char buf[8], s[256];
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "trusted.t", "tv", 2, 0));
	OK(setxattr("f", "security.s", "sv", 2, 0));
	OK(setxattr("f", "user.u", "uv", 2, 0));
	EXPECT_EQ(getxattr("f", "trusted.t", buf, sizeof(buf)), 2);
	EXPECT_EQ(getxattr("f", "security.s", buf, sizeof(buf)), 2);
	char list[256];
	ssize_t n = OK(listxattr("f", list, sizeof(list)));
	sorted_list(list, n, s, sizeof(s));
	EXPECT_STREQ(s, "security.s,trusted.t,user.u,");
}

CASE(trusted_hidden_from_user)
{
	char list[256], s[256];
	long r;
	int e;
	scratch();
	mkfile("f", 0644);
	OK(setxattr("f", "trusted.t", "tv", 2, 0));
	OK(setxattr("f", "user.u", "uv", 2, 0));
	AS_USER(r, e, listxattr("f", list, sizeof(list)));
	EXPECT_EQ(r, 7);
	sorted_list(list, r, s, sizeof(s));
	EXPECT_STREQ(s, "user.u,");
	AS_USER(r, e, getxattr("f", "trusted.t", list, sizeof(list)));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, ENODATA);
}

CASE(trusted_set_by_user_eperm)
{
	long r;
	int e;
	scratch();
	mkfile("f", 0666);
	AS_USER(r, e, setxattr("f", "trusted.t", "a", 1, 0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

CASE(user_write_needs_write_permission)
{
	long r;
	int e;
	scratch();
	mkfile("f", 0644);
	AS_USER(r, e, setxattr("f", "user.k", "a", 1, 0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EACCES);
	mkfile("g", 0666);
	AS_USER(r, e, setxattr("g", "user.k", "a", 1, 0));
	EXPECT_EQ(r, 0);
}

CASE(user_read_needs_read_permission)
{
	char buf[8];
	long r;
	int e;
	scratch();
	mkfile("f", 0600);
	OK(setxattr("f", "user.k", "a", 1, 0));
	AS_USER(r, e, getxattr("f", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EACCES);
	AS_USER(r, e, listxattr("f", buf, sizeof(buf)));
	EXPECT_EQ(r, 7);
}

CASE(owner_writes_own_0600_file)
{
	long r;
	int e;
	scratch();
	OK(chmod(".", 0777));
	mkfile("g", 0600);
	OK(chown("g", 1000, 1000));
	AS_USER(r, e, setxattr("g", "user.k", "a", 1, 0));
	EXPECT_EQ(r, 0);
	EXPECT_EQ(e, 0);
}

CASE(sticky_dir_user_nonowner_eperm)
{
	long r;
	int e;
	scratch();
	OK(mkdir("d", 0777));
	OK(chmod("d", 01777));
	AS_USER(r, e, setxattr("d", "user.k", "a", 1, 0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
	OK(setxattr("d", "user.k", "a", 1, 0));
}

CASE(bad_value_pointer_efault)
{
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(setxattr("f", "user.k", (void *)8, 4, 0), EFAULT);
	OK(setxattr("f", "user.k", "abcd", 4, 0));
	EXPECT_ERRNO(getxattr("f", "user.k", (void *)8, 16), EFAULT);
	EXPECT_ERRNO(listxattr("f", (void *)8, 16), EFAULT);
}

CASE(bad_name_pointer_efault)
{
	scratch();
	mkfile("f", 0644);
	EXPECT_ERRNO(setxattr("f", (char *)8, "a", 1, 0), EFAULT);
	EXPECT_ERRNO(getxattr("f", (char *)8, NULL, 0), EFAULT);
	EXPECT_ERRNO(removexattr("f", (char *)8), EFAULT);
}

CASE(binary_values)
{
	unsigned char v[256], out[256];
	scratch();
	mkfile("f", 0644);
	for (int i = 0; i < 256; i++)
		v[i] = (unsigned char)i;
	OK(setxattr("f", "user.bin", v, sizeof(v), 0));
	EXPECT_EQ(getxattr("f", "user.bin", out, sizeof(out)), 256);
	EXPECT_MEMEQ(out, v, sizeof(v));
}
