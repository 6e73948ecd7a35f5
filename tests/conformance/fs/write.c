/* fs: writing the tree in a scratch directory (under uos: the writable overlay): timestamps
 * (utime, utimes, futimesat, utimensat, futimens), ownership (fchownat, chown), creating
 * many entries, rename and link side effects, truncate, sparse and large files, appends
 * from two descriptors. */
#define AREA "fs"
#include "../harness.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <utime.h>

static int put(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static long long mtime_of(const char *name)
{
	struct stat st;
	if (lstat(name, &st) < 0)
		return -1;
	return st.st_mtim.tv_sec;
}

static long long atime_of(const char *name)
{
	struct stat st;
	if (lstat(name, &st) < 0)
		return -1;
	return st.st_atim.tv_sec;
}

CASE(raw_utime_sets_times)
{
	scratch();
	OK(put("f", "x"));
	struct utimbuf ub = {.actime = 1000000, .modtime = 2000000};
	OK(syscall(SYS_utime, "f", &ub));
	EXPECT_EQ(atime_of("f"), 1000000);
	EXPECT_EQ(mtime_of("f"), 2000000);
}

CASE(raw_utime_null_is_now)
{
	scratch();
	OK(put("f", "x"));
	struct utimbuf ub = {.actime = 1000, .modtime = 1000};
	OK(syscall(SYS_utime, "f", &ub));
	OK(syscall(SYS_utime, "f", NULL));
	EXPECT_TRUE(mtime_of("f") >= time(NULL) - 60);
}

CASE(raw_utime_enoent)
{
	struct utimbuf ub = {0};
	EXPECT_ERRNO(syscall(SYS_utime, "/nonexistent-uosconf", &ub), ENOENT);
}

CASE(raw_utimes_sets_microseconds)
{
	struct stat st;
	scratch();
	OK(put("f", "x"));
	struct timeval tv[2] = {{3000000, 5}, {4000000, 7}};
	OK(syscall(SYS_utimes, "f", tv));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_atim.tv_sec, 3000000);
	EXPECT_EQ(st.st_atim.tv_nsec, 5000);
	EXPECT_EQ(st.st_mtim.tv_sec, 4000000);
	EXPECT_EQ(st.st_mtim.tv_nsec, 7000);
}

CASE(raw_utimes_bad_usec_einval)
{
	scratch();
	OK(put("f", "x"));
	struct timeval tv[2] = {{0, 1000000}, {0, 0}};
	EXPECT_ERRNO(syscall(SYS_utimes, "f", tv), EINVAL);
}

CASE(raw_futimesat_dirfd)
{
	scratch();
	OK(mkdir("d", 0755));
	OK(put("d/f", "x"));
	int dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	struct timeval tv[2] = {{5000000, 0}, {6000000, 0}};
	int r = syscall(SYS_futimesat, dfd, "f", tv);
	close(dfd);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(mtime_of("d/f"), 6000000);
}

CASE(utimensat_omit_and_now)
{
	scratch();
	OK(put("f", "x"));
	struct timespec set[2] = {{1000, 0}, {2000, 0}};
	OK(utimensat(AT_FDCWD, "f", set, 0));
	struct timespec ts[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
	OK(utimensat(AT_FDCWD, "f", ts, 0));
	EXPECT_EQ(atime_of("f"), 1000);
	EXPECT_TRUE(mtime_of("f") >= time(NULL) - 60);
}

CASE(utimensat_nofollow_changes_link)
{
	scratch();
	OK(put("f", "x"));
	OK(symlink("f", "l"));
	struct timespec ts[2] = {{7000, 0}, {8000, 0}};
	OK(utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
	EXPECT_EQ(mtime_of("l"), 8000);
	EXPECT_NE(mtime_of("f"), 8000);
}

CASE(futimens_on_fd)
{
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	struct timespec ts[2] = {{9000, 0}, {10000, 0}};
	int r = futimens(fd, ts);
	close(fd);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(mtime_of("f"), 10000);
}

CASE(write_updates_mtime)
{
	scratch();
	OK(put("f", "x"));
	struct timespec ts[2] = {{1000, 0}, {1000, 0}};
	OK(utimensat(AT_FDCWD, "f", ts, 0));
	int fd = OK(open("f", O_WRONLY | O_APPEND));
	OK(write(fd, "y", 1));
	close(fd);
	EXPECT_TRUE(mtime_of("f") > 1000);
}

CASE(creating_entry_updates_dir_mtime)
{
	scratch();
	OK(mkdir("d", 0755));
	struct timespec ts[2] = {{1000, 0}, {1000, 0}};
	OK(utimensat(AT_FDCWD, "d", ts, 0));
	OK(put("d/new", ""));
	EXPECT_TRUE(mtime_of("d") > 1000);
}

CASE(unlink_updates_dir_mtime)
{
	scratch();
	OK(mkdir("d", 0755));
	OK(put("d/f", ""));
	struct timespec ts[2] = {{1000, 0}, {1000, 0}};
	OK(utimensat(AT_FDCWD, "d", ts, 0));
	OK(unlink("d/f"));
	EXPECT_TRUE(mtime_of("d") > 1000);
}

CASE(raw_fchownat_sets_owner)
{
	struct stat st;
	scratch();
	OK(put("f", "x"));
	OK(syscall(SYS_fchownat, AT_FDCWD, "f", 1234, 5678, 0));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_uid, 1234);
	EXPECT_EQ(st.st_gid, 5678);
}

CASE(fchownat_nofollow_changes_link)
{
	struct stat l, f;
	scratch();
	OK(put("f", "x"));
	OK(symlink("f", "l"));
	OK(fchownat(AT_FDCWD, "l", 4321, 4321, AT_SYMLINK_NOFOLLOW));
	OK(lstat("l", &l));
	OK(stat("f", &f));
	EXPECT_EQ(l.st_uid, 4321);
	EXPECT_EQ(f.st_uid, 0);
}

CASE(fchownat_empty_path)
{
	struct stat st;
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	int r = fchownat(fd, "", 77, 88, AT_EMPTY_PATH);
	close(fd);
	EXPECT_EQ(r, 0);
	OK(stat("f", &st));
	EXPECT_EQ(st.st_uid, 77);
	EXPECT_EQ(st.st_gid, 88);
}

CASE(fchownat_bad_flags_einval)
{
	scratch();
	OK(put("f", "x"));
	EXPECT_ERRNO(fchownat(AT_FDCWD, "f", 0, 0, 0x1), EINVAL);
}

CASE(chown_minus_one_keeps)
{
	struct stat st;
	scratch();
	OK(put("f", "x"));
	OK(chown("f", 11, 22));
	OK(chown("f", -1, 33));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_uid, 11);
	EXPECT_EQ(st.st_gid, 33);
}

CASE(chown_clears_setuid)
{
	struct stat st;
	scratch();
	OK(put("f", "x"));
	OK(chmod("f", 04755));
	OK(chown("f", 1, 1));
	OK(stat("f", &st));
	EXPECT_EQ(st.st_mode & 07777, 0755);
}

CASE(many_files_all_listed)
{
	char name[32];
	scratch();
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "file-with-a-longish-name-%03d", i);
		OK(put(name, ""));
	}
	DIR *d = opendir(".");
	if (!d)
		FAIL("opendir: %s", h_ename(errno));
	int n = 0;
	for (struct dirent *de; (de = readdir(d));)
		n++;
	closedir(d);
	EXPECT_EQ(n, 302);
}

CASE(rename_across_dirs_keeps_inode)
{
	struct stat a, b;
	scratch();
	OK(mkdir("d1", 0755));
	OK(mkdir("d2", 0755));
	OK(put("d1/f", "data"));
	OK(stat("d1/f", &a));
	OK(rename("d1/f", "d2/g"));
	OK(stat("d2/g", &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_ERRNO(access("d1/f", F_OK), ENOENT);
}

CASE(rename_dir_moves_dotdot)
{
	struct stat d2, up;
	scratch();
	OK(mkdir("d1", 0755));
	OK(mkdir("d2", 0755));
	OK(mkdir("d1/sub", 0755));
	OK(rename("d1/sub", "d2/sub"));
	OK(stat("d2", &d2));
	OK(stat("d2/sub/..", &up));
	EXPECT_EQ(d2.st_ino, up.st_ino);
	EXPECT_EQ(d2.st_nlink, 3);
}

CASE(rename_dir_over_empty_dir)
{
	scratch();
	OK(mkdir("a", 0755));
	OK(put("a/f", ""));
	OK(mkdir("b", 0755));
	OK(rename("a", "b"));
	EXPECT_EQ(access("b/f", F_OK), 0);
	EXPECT_ERRNO(access("a", F_OK), ENOENT);
}

CASE(rename_file_over_dir_eisdir)
{
	scratch();
	OK(put("f", ""));
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(rename("f", "d"), EISDIR);
}

CASE(rename_hard_links_same_inode_noop)
{
	scratch();
	OK(put("a", ""));
	OK(link("a", "b"));
	OK(rename("a", "b"));
	EXPECT_EQ(access("a", F_OK), 0);
	EXPECT_EQ(access("b", F_OK), 0);
}

CASE(rename_file_trailing_slash_enotdir)
{
	scratch();
	OK(put("f", ""));
	EXPECT_ERRNO(rename("f/", "g"), ENOTDIR);
}

CASE(link_survives_unlink_of_original)
{
	char buf[8] = {0};
	struct stat st;
	scratch();
	OK(put("a", "keep"));
	OK(link("a", "b"));
	OK(stat("b", &st));
	EXPECT_EQ(st.st_nlink, 2);
	OK(unlink("a"));
	OK(stat("b", &st));
	EXPECT_EQ(st.st_nlink, 1);
	int fd = OK(open("b", O_RDONLY));
	EXPECT_EQ(read(fd, buf, sizeof(buf) - 1), 4);
	close(fd);
	EXPECT_STREQ(buf, "keep");
}

CASE(write_through_link_seen_by_other_name)
{
	char buf[8] = {0};
	scratch();
	OK(put("a", ""));
	OK(link("a", "b"));
	OK(put("b", "new"));
	int fd = OK(open("a", O_RDONLY));
	EXPECT_EQ(read(fd, buf, sizeof(buf) - 1), 3);
	close(fd);
	EXPECT_STREQ(buf, "new");
}

CASE(unlinked_open_file_nlink_zero)
{
	struct stat st;
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(unlink("f"));
	OK(write(fd, "abc", 3));
	OK(fstat(fd, &st));
	close(fd);
	EXPECT_EQ(st.st_nlink, 0);
	EXPECT_EQ(st.st_size, 3);
}

CASE(truncate_extends_with_zeros)
{
	char buf[8];
	scratch();
	OK(put("f", "ab"));
	OK(truncate("f", 6));
	int fd = OK(open("f", O_RDONLY));
	EXPECT_EQ(read(fd, buf, sizeof(buf)), 6);
	close(fd);
	EXPECT_MEMEQ(buf, "ab\0\0\0\0", 6);
}

CASE(truncate_enoent_and_einval)
{
	scratch();
	EXPECT_ERRNO(truncate("missing", 0), ENOENT);
	OK(put("f", ""));
	EXPECT_ERRNO(truncate("f", -1), EINVAL);
}

CASE(sparse_file_reads_zeros)
{
	struct stat st;
	char c = 1;
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(lseek(fd, 1 << 20, SEEK_SET));
	OK(write(fd, "z", 1));
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, (1 << 20) + 1);
	EXPECT_EQ(pread(fd, &c, 1, 4096), 1);
	EXPECT_EQ(c, 0);
	close(fd);
}

CASE(large_file_round_trip)
{
	const size_t size = 3 << 20;
	struct stat st;
	char *w = malloc(size), *r = malloc(size);
	if (!w || !r)
		FAIL("malloc");
	for (size_t i = 0; i < size; i++)
		w[i] = (char)(i * 7 + i / 4096);
	scratch();
	int fd = OK(open("big", O_CREAT | O_RDWR, 0644));
	EXPECT_EQ(write(fd, w, size), size);
	OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, size);
	EXPECT_EQ(pread(fd, r, size, 0), size);
	close(fd);
	int same = !memcmp(w, r, size);
	free(w);
	free(r);
	EXPECT_TRUE(same);
}

CASE(append_from_two_descriptors)
{
	char buf[16] = {0};
	scratch();
	int a = OK(open("f", O_CREAT | O_WRONLY | O_APPEND, 0644));
	int b = OK(open("f", O_WRONLY | O_APPEND));
	OK(write(a, "11", 2));
	OK(write(b, "22", 2));
	OK(write(a, "33", 2));
	close(a);
	close(b);
	int fd = OK(open("f", O_RDONLY));
	EXPECT_EQ(read(fd, buf, sizeof(buf) - 1), 6);
	close(fd);
	EXPECT_STREQ(buf, "112233");
}

CASE(openat_follows_renamed_dirfd)
{
	scratch();
	OK(mkdir("d", 0755));
	int dfd = OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(rename("d", "e"));
	int fd = openat(dfd, "f", O_CREAT | O_WRONLY, 0644);
	close(dfd);
	EXPECT_TRUE(fd >= 0);
	close(fd);
	EXPECT_EQ(access("e/f", F_OK), 0);
}

CASE(unlinkat_dir_without_flag_eisdir)
{
	scratch();
	OK(mkdir("d", 0755));
	EXPECT_ERRNO(unlinkat(AT_FDCWD, "d", 0), EISDIR);
	EXPECT_ERRNO(unlinkat(AT_FDCWD, "d", 0x1), EINVAL);
}

CASE(mknod_regular_file)
{
	struct stat st;
	scratch();
	OK(mknod("f", S_IFREG | 0600, 0));
	OK(stat("f", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_mode & 0777, 0600);
	EXPECT_EQ(st.st_size, 0);
}

CASE(fsync_directory_fd)
{
	scratch();
	int fd = OK(open(".", O_RDONLY | O_DIRECTORY));
	int r = fsync(fd);
	close(fd);
	EXPECT_EQ(r, 0);
}

CASE(nested_dirs_remove_bottom_up)
{
	scratch();
	OK(mkdir("a", 0755));
	OK(mkdir("a/b", 0755));
	OK(mkdir("a/b/c", 0755));
	EXPECT_ERRNO(rmdir("a"), ENOTEMPTY);
	OK(rmdir("a/b/c"));
	OK(rmdir("a/b"));
	OK(rmdir("a"));
	EXPECT_ERRNO(access("a", F_OK), ENOENT);
}
