/* perm: umask, chmod, chown, credentials, and the access checks they drive. */
#define AREA "perm"
#include "../harness.h"
#include <grp.h>
#include <sys/fsuid.h>

CASE(umask_returns_previous)
{
	mode_t old = umask(022);
	EXPECT_EQ(umask(077), 022);
	EXPECT_EQ(umask(old), 077);
}

CASE(umask_masks_high_bits)
{
	umask(0777777);
	EXPECT_EQ(umask(022), 0777);
}

CASE(ids_root)
{
	EXPECT_EQ(getuid(), 0);
	EXPECT_EQ(geteuid(), 0);
	EXPECT_EQ(getgid(), 0);
	EXPECT_EQ(getegid(), 0);
}

CASE(getresuid_all_root)
{
	uid_t r = 1, e = 1, s = 1;
	EXPECT_EQ(getresuid(&r, &e, &s), 0);
	EXPECT_EQ(r + e + s, 0);
}

CASE(getresgid_all_root)
{
	gid_t r = 1, e = 1, s = 1;
	EXPECT_EQ(getresgid(&r, &e, &s), 0);
	EXPECT_EQ(r + e + s, 0);
}

CASE(seteuid_and_back)
{
	OK(seteuid(1000));
	uid_t e = geteuid(), r = getuid();
	OK(seteuid(0));
	EXPECT_EQ(e, 1000);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(geteuid(), 0);
}

CASE(setresuid_saved_keeps_root)
{
	uid_t r, e, s;
	OK(setresuid(-1, 1000, -1));
	getresuid(&r, &e, &s);
	OK(setresuid(-1, 0, -1));
	EXPECT_EQ(r, 0);
	EXPECT_EQ(e, 1000);
	EXPECT_EQ(s, 0);
}

CASE(setegid_and_back)
{
	OK(setegid(1000));
	gid_t e = getegid();
	OK(setegid(0));
	EXPECT_EQ(e, 1000);
}

CASE(nonroot_cannot_seteuid_other)
{
	OK(setresuid(-1, 1000, -1));
	int r = seteuid(2000), e = errno;
	OK(setresuid(-1, 0, -1));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

CASE(setfsuid_returns_previous)
{
	int prev = setfsuid(1000);
	int back = setfsuid(0);
	EXPECT_EQ(prev, 0);
	EXPECT_EQ(back, 1000);
}

CASE(getgroups_count)
{
	gid_t g[256];
	int n = OK(getgroups(256, g));
	EXPECT_EQ(getgroups(0, NULL), n);
}

CASE(setgroups_roundtrip)
{
	gid_t old[256], g[2] = {10, 20}, got[4];
	int n = OK(getgroups(256, old));
	OK(setgroups(2, g));
	int m = getgroups(4, got);
	setgroups(n, old);
	EXPECT_EQ(m, 2);
	EXPECT_EQ(got[0], 10);
	EXPECT_EQ(got[1], 20);
}

CASE(getgroups_too_small_einval)
{
	gid_t old[256], g[2] = {10, 20}, got[1];
	int n = OK(getgroups(256, old));
	OK(setgroups(2, g));
	int m = getgroups(1, got), e = errno;
	setgroups(n, old);
	EXPECT_EQ(m, -1);
	EXPECT_EQ(e, EINVAL);
}

CASE(chmod_sets_mode)
{
	struct stat st;
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	EXPECT_EQ(chmod("f", 0600), 0);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 07777, 0600);
}

CASE(fchmod_sets_mode)
{
	struct stat st;
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(fchmod(fd, 04755), 0);
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_mode & 07777, 04755);
	close(fd);
}

CASE(fchmodat_dirfd)
{
	struct stat st;
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	int d = OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(fchmodat(d, "f", 0400, 0), 0);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 0777, 0400);
	close(d);
}

CASE(chmod_enoent)
{
	EXPECT_ERRNO(chmod("/nonexistent-uosconf", 0644), ENOENT);
}

CASE(chmod_nonowner_eperm)
{
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	OK(seteuid(1000));
	int r = chmod("f", 0600), e = errno;
	OK(seteuid(0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

/* The mode's group bits apply to a supplementary group as to the fsgid (in_group_p). */
CASE(supplementary_group_grants_group_bits)
{
	gid_t old[64], g[1] = {4321};
	int n = OK(getgroups(64, old));
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0)));
	OK(chown("f", 0, 4321));
	OK(chmod("f", 0060));
	OK(setgroups(1, g));
	OK(setegid(50));
	OK(seteuid(1000));
	int fd = open("f", O_RDWR), e = errno;
	int x = access("f", X_OK);
	OK(seteuid(0));
	OK(setegid(0));
	setgroups(n, old);
	if (fd < 0)
		FAIL("open O_RDWR: %s", h_ename(e));
	close(fd);
	EXPECT_EQ(x, -1);
}

CASE(chown_changes_owner)
{
	struct stat st;
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	EXPECT_EQ(chown("f", 1000, 2000), 0);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_uid, 1000);
	EXPECT_EQ(st.st_gid, 2000);
}

CASE(chown_minus_one_keeps)
{
	struct stat st;
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	OK(chown("f", 1000, 2000));
	EXPECT_EQ(chown("f", -1, 3000), 0);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_uid, 1000);
	EXPECT_EQ(st.st_gid, 3000);
}

CASE(chown_clears_setuid)
{
	struct stat st;
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	OK(chmod("f", 04755));
	OK(chown("f", 1000, -1));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 07777, 0755);
}

CASE(lchown_symlink_itself)
{
	struct stat st;
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0644)));
	OK(symlink("f", "l"));
	EXPECT_EQ(lchown("l", 1000, 1000), 0);
	OK(lstat("l", &st));
	EXPECT_EQ(st.st_uid, 1000);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_uid, 0);
}

CASE(fchown_fd)
{
	struct stat st;
	scratch();
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(fchown(fd, 5, 6), 0);
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_uid, 5);
	EXPECT_EQ(st.st_gid, 6);
	close(fd);
}

CASE(nonroot_open_0600_eacces)
{
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0600)));
	OK(seteuid(1000));
	int r = open("f", O_RDONLY), e = errno;
	OK(seteuid(0));
	if (r >= 0)
		close(r);
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EACCES);
}

CASE(nonroot_create_in_0755_root_dir_eacces)
{
	scratch();
	OK(chmod(".", 0755));
	OK(seteuid(1000));
	int r = open("g", O_CREAT | O_WRONLY, 0644), e = errno;
	OK(seteuid(0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EACCES);
}

CASE(root_reads_mode_000)
{
	scratch();
	close(OK(open("f", O_CREAT | O_WRONLY, 0000)));
	int fd = OK(open("f", O_RDWR));
	close(fd);
}

CASE(nonroot_search_denied_eacces)
{
	scratch();
	OK(mkdir("d", 0700));
	close(OK(open("d/f", O_CREAT | O_WRONLY, 0644)));
	OK(seteuid(1000));
	struct stat st;
	int r = stat("d/f", &st), e = errno;
	OK(seteuid(0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EACCES);
}

CASE(sticky_dir_blocks_other_unlink)
{
	scratch();
	OK(mkdir("t", 01777));
	OK(chmod("t", 01777));
	close(OK(open("t/f", O_CREAT | O_WRONLY, 0666)));
	OK(seteuid(1000));
	int r = unlink("t/f"), e = errno;
	OK(seteuid(0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

CASE(setgid_dir_inherits_group)
{
	struct stat st;
	scratch();
	OK(mkdir("g", 0755));
	OK(chown("g", 0, 1234));
	OK(chmod("g", 02755));
	close(OK(open("g/f", O_CREAT | O_WRONLY, 0644)));
	OK(stat("g/f", &st));
	EXPECT_EQ(st.st_gid, 1234);
}
