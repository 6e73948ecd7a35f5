/*
 * xattr: POSIX ACLs through system.posix_acl_access and _default: the
 * blob's checks, who may set one, the mode they set, chmod's mask, the
 * permission checks that read them, and what new files inherit.
 */
#define AREA "xattr"
#include "../harness.h"
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/xattr.h>

#define A_ACCESS "system.posix_acl_access"
#define A_DEFAULT "system.posix_acl_default"
#define U_OBJ 0x01
#define U 0x02
#define G_OBJ 0x04
#define G 0x08
#define MASK 0x10
#define OTHER 0x20
#define NOID 0xffffffffu

struct ent {
	uint16_t tag, perm;
	uint32_t id;
};

/* A version 2 blob of the n entries into buf: its size. */
static size_t blob(void *buf, const struct ent *e, int n)
{
	uint32_t v = 2;
	memcpy(buf, &v, 4);
	memcpy((char *)buf + 4, e, (size_t)n * sizeof(*e));
	return 4 + (size_t)n * sizeof(*e);
}

static void mkfile(const char *path, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY, mode);
	if (fd >= 0) {
		fchmod(fd, mode);
		close(fd);
	}
}

static const struct ent named[] = {{U_OBJ, 6, NOID}, {U, 4, 1000}, {G_OBJ, 0, NOID},
				   {MASK, 4, NOID}, {OTHER, 0, NOID}};

CASE(acl_roundtrip_sets_mode)
{
	char b[128], out[128];
	struct stat st;
	scratch();
	mkfile("f", 0600);
	size_t n = blob(b, named, 5);
	OK(setxattr("f", A_ACCESS, b, n, 0));
	EXPECT_EQ(getxattr("f", A_ACCESS, out, sizeof(out)), (long)n);
	EXPECT_MEMEQ(out, b, n);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 0777, 0640);
}

CASE(acl_ids_of_base_entries_normalized)
{
	char b[128], out[128];
	struct ent e[] = {{U_OBJ, 6, 7}, {U, 4, 1000}, {G_OBJ, 0, 7}, {MASK, 4, 7}, {OTHER, 0, 7}};
	scratch();
	mkfile("f", 0600);
	OK(setxattr("f", A_ACCESS, b, blob(b, e, 5), 0));
	EXPECT_EQ(getxattr("f", A_ACCESS, out, sizeof(out)), 44);
	blob(b, named, 5);
	EXPECT_MEMEQ(out, b, 44);
}

CASE(acl_equivalent_not_kept)
{
	char b[64];
	struct ent e[] = {{U_OBJ, 7, NOID}, {G_OBJ, 5, NOID}, {OTHER, 1, NOID}};
	struct stat st;
	scratch();
	mkfile("f", 0600);
	OK(setxattr("f", A_ACCESS, b, blob(b, e, 3), 0));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 0777, 0751);
	EXPECT_ERRNO(getxattr("f", A_ACCESS, b, sizeof(b)), ENODATA);
}

CASE(acl_blob_checks)
{
	char b[128];
	struct ent nomask[] = {{U_OBJ, 6, NOID}, {U, 4, 1000}, {G_OBJ, 0, NOID}, {OTHER, 0, NOID}};
	struct ent order[] = {{G_OBJ, 0, NOID}, {U_OBJ, 6, NOID}, {OTHER, 0, NOID}};
	struct ent perm[] = {{U_OBJ, 8, NOID}, {G_OBJ, 0, NOID}, {OTHER, 0, NOID}};
	struct ent dup[] = {{U_OBJ, 6, NOID}, {U, 4, 5}, {U, 4, 5}, {G_OBJ, 0, NOID},
			    {MASK, 4, NOID}, {OTHER, 0, NOID}};
	struct ent noid[] = {{U_OBJ, 6, NOID}, {U, 4, NOID}, {G_OBJ, 0, NOID}, {MASK, 4, NOID},
			     {OTHER, 0, NOID}};
	scratch();
	mkfile("f", 0600);
	size_t n = blob(b, named, 5);
	uint32_t v1 = 1;
	EXPECT_ERRNO(setxattr("f", A_ACCESS, b, n - 1, 0), EINVAL);
	EXPECT_ERRNO(setxattr("f", A_ACCESS, b, 2, 0), EINVAL);
	EXPECT_ERRNO(setxattr("f", A_ACCESS, b, blob(b, nomask, 4), 0), EINVAL);
	EXPECT_ERRNO(setxattr("f", A_ACCESS, b, blob(b, order, 3), 0), EINVAL);
	EXPECT_ERRNO(setxattr("f", A_ACCESS, b, blob(b, perm, 3), 0), EINVAL);
	EXPECT_ERRNO(setxattr("f", A_ACCESS, b, blob(b, noid, 5), 0), EINVAL);
	/* the kernel leaves the order of ids (and duplicates) to libacl */
	OK(setxattr("f", A_ACCESS, b, blob(b, dup, 6), 0));
	n = blob(b, named, 5);
	memcpy(b, &v1, 4);
	EXPECT_ERRNO(setxattr("f", A_ACCESS, b, n, 0), EOPNOTSUPP);
}

CASE(acl_default_only_on_directories)
{
	char b[128];
	scratch();
	mkfile("f", 0600);
	EXPECT_ERRNO(setxattr("f", A_DEFAULT, b, blob(b, named, 5), 0), EACCES);
	OK(mkdir("d", 0755));
	OK(setxattr("d", A_DEFAULT, b, blob(b, named, 5), 0));
	EXPECT_EQ(getxattr("d", A_DEFAULT, NULL, 0), 44);
}

CASE(acl_owner_only)
{
	char b[128];
	scratch();
	mkfile("f", 0666);
	size_t n = blob(b, named, 5);
	OK(seteuid(1000));
	errno = 0;
	int r = setxattr("f", A_ACCESS, b, n, 0), e = errno;
	OK(seteuid(0));
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPERM);
}

CASE(acl_on_symlink_eopnotsupp)
{
	char b[128];
	scratch();
	OK(symlink("x", "l"));
	EXPECT_ERRNO(lsetxattr("l", A_ACCESS, b, blob(b, named, 5), 0), EOPNOTSUPP);
}

CASE(acl_chmod_sets_mask)
{
	char b[128];
	struct ent got[8];
	scratch();
	mkfile("f", 0600);
	OK(setxattr("f", A_ACCESS, b, blob(b, named, 5), 0));
	OK(chmod("f", 0674));
	EXPECT_EQ(getxattr("f", A_ACCESS, b, sizeof(b)), 44);
	memcpy(got, b + 4, 40);
	EXPECT_EQ(got[0].perm, 6);
	EXPECT_EQ(got[1].perm, 4);
	EXPECT_EQ(got[3].perm, 7);
	EXPECT_EQ(got[4].perm, 4);
}

CASE(acl_listed_and_removed)
{
	char b[128], list[256];
	struct stat st;
	scratch();
	mkfile("f", 0600);
	OK(setxattr("f", A_ACCESS, b, blob(b, named, 5), 0));
	ssize_t n = OK(listxattr("f", list, sizeof(list)));
	EXPECT_TRUE(memmem(list, (size_t)n, A_ACCESS, sizeof(A_ACCESS)) != NULL);
	OK(removexattr("f", A_ACCESS));
	EXPECT_ERRNO(getxattr("f", A_ACCESS, b, sizeof(b)), ENODATA);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 0777, 0640);
}

CASE(acl_named_user_enforced)
{
	char b[128];
	scratch();
	OK(chmod(".", 0755));
	mkfile("f", 0600);
	OK(setxattr("f", A_ACCESS, b, blob(b, named, 5), 0));
	OK(seteuid(1000));
	int r = open("f", O_RDONLY), w = open("f", O_WRONLY), e = errno;
	OK(seteuid(0));
	EXPECT_TRUE(r >= 0);
	EXPECT_EQ(w, -1);
	EXPECT_EQ(e, EACCES);
	close(r);
}

CASE(acl_default_inherited_without_umask)
{
	char b[128];
	struct ent d[] = {{U_OBJ, 7, NOID}, {U, 7, 1000}, {G_OBJ, 7, NOID}, {MASK, 7, NOID},
			  {OTHER, 0, NOID}};
	struct stat st;
	scratch();
	OK(mkdir("d", 0755));
	OK(setxattr("d", A_DEFAULT, b, blob(b, d, 5), 0));
	umask(077);
	close(OK(open("d/f", O_CREAT | O_WRONLY, 0666)));
	OK(mkdir("d/s", 0777));
	OK(stat("d/f", &st));
	EXPECT_EQ(st.st_mode & 0777, 0660);
	EXPECT_EQ(getxattr("d/f", A_ACCESS, NULL, 0), 44);
	EXPECT_ERRNO(getxattr("d/f", A_DEFAULT, NULL, 0), ENODATA);
	OK(stat("d/s", &st));
	EXPECT_EQ(st.st_mode & 0777, 0770);
	EXPECT_EQ(getxattr("d/s", A_DEFAULT, NULL, 0), 44);
}

CASE(umask_without_default_acl)
{
	struct stat st;
	scratch();
	umask(027);
	int fd = OK(open("f", O_CREAT | O_WRONLY, 0666));
	close(fd);
	OK(mkdir("d", 0777));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 0777, 0640);
	OK(stat("d", &st));
	EXPECT_EQ(st.st_mode & 0777, 0750);
}

/*
 * A socket's inode: unix_bind_bsd() takes the umask off itself before
 * vfs_mknod, whose posix_acl_create then applies the default ACL too, so
 * both count (unlike mknod(2), where the default ACL replaces the umask).
 */
CASE(acl_default_and_umask_on_bound_socket)
{
	char b[128];
	struct ent d[] = {{U_OBJ, 7, NOID}, {U, 7, 1000}, {G_OBJ, 5, NOID}, {MASK, 7, NOID},
			  {OTHER, 0, NOID}};
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct stat st;
	int s;
	scratch();
	OK(mkdir("d", 0755));
	OK(setxattr("d", A_DEFAULT, b, blob(b, d, 5), 0));
	umask(0);
	s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	strcpy(a.sun_path, "d/s0");
	OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	OK(stat("d/s0", &st));
	EXPECT_EQ(st.st_mode & 0777, 0770); /* the default ACL's group class: its mask */
	EXPECT_EQ(getxattr("d/s0", A_ACCESS, NULL, 0), 44);
	umask(022);
	s = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	strcpy(a.sun_path, "d/s1");
	OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	OK(stat("d/s1", &st));
	EXPECT_EQ(st.st_mode & 0777, 0750); /* the umask took w from the mask first */
	OK(mknod("d/n", S_IFIFO | 0777, 0));
	OK(stat("d/n", &st));
	EXPECT_EQ(st.st_mode & 0777, 0770); /* mknod: the default ACL instead of the umask */
}
