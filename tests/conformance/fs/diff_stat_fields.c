/* fs_stat_fields: stat, fstat, lstat, fstatat and statx report the same
 * fields for the same file, follow (or not) symlinks as asked, and fail with
 * the kernel's errnos. Only stable fields are printed. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "guest.h"

static void print_stat(const char *what, const struct stat *st)
{
	printf("%s: mode=%o nlink=%lu uid=%u gid=%u size=%lld mtime=%lld.%09ld\n",
	       what, st->st_mode, (unsigned long)st->st_nlink, st->st_uid, st->st_gid,
	       (long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_mode == b->st_mode && a->st_size == b->st_size;
}

static void check_statx(const char *path, const struct stat *st)
{
	struct statx sx;

	SHOW("statx", statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &sx));
	EXPECT("statx mode/size/ino/nlink match stat",
	       sx.stx_mode == st->st_mode && (long long)sx.stx_size == st->st_size &&
	       sx.stx_ino == st->st_ino && sx.stx_nlink == st->st_nlink);
	EXPECT("statx mtime matches stat", sx.stx_mtime.tv_sec == st->st_mtim.tv_sec &&
	       sx.stx_mtime.tv_nsec == (unsigned)st->st_mtim.tv_nsec);
}

int main(void)
{
	struct stat st, st2;
	int fd;

	close_inherited_fds();
	SHOW("stat /etc/passwd", stat("/etc/passwd", &st));
	print_stat("/etc/passwd", &st);
	fd = open("/etc/passwd", O_RDONLY);
	SHOW("fstat", fstat(fd, &st2));
	EXPECT("fstat matches stat", same_file(&st, &st2));
	SHOW("fstatat AT_EMPTY_PATH", fstatat(fd, "", &st2, AT_EMPTY_PATH));
	EXPECT("fstatat AT_EMPTY_PATH matches", same_file(&st, &st2));
	SHOW("fstatat empty path without flag", fstatat(fd, "", &st2, 0));
	SHOW("fstatat relative to file fd", fstatat(fd, "x", &st2, 0));
	close(fd);
	check_statx("/etc/passwd", &st);

	fd = open("/etc", O_RDONLY | O_DIRECTORY);
	SHOW("fstatat dirfd passwd", fstatat(fd, "passwd", &st2, 0));
	EXPECT("fstatat via dirfd matches", same_file(&st, &st2));
	close(fd);

	SHOW("stat /", stat("/", &st));
	printf("/: mode=%o uid=%u gid=%u\n", st.st_mode, st.st_uid, st.st_gid);
	SHOW("stat /etc", stat("/etc", &st));
	printf("/etc is dir: %d\n", S_ISDIR(st.st_mode));
	SHOW("lstat /bin", lstat("/bin", &st));
	printf("/bin lstat: islnk=%d isdir=%d\n", S_ISLNK(st.st_mode), S_ISDIR(st.st_mode));
	SHOW("stat /bin", stat("/bin", &st));
	printf("/bin stat: islnk=%d isdir=%d\n", S_ISLNK(st.st_mode), S_ISDIR(st.st_mode));
	SHOW("fstatat /bin NOFOLLOW", fstatat(AT_FDCWD, "/bin", &st, AT_SYMLINK_NOFOLLOW));
	printf("/bin nofollow: islnk=%d\n", S_ISLNK(st.st_mode));
	SHOW("fstatat bad flags", fstatat(AT_FDCWD, "/etc", &st, 0x40000000));

	SHOW("stat /dev/null", stat("/dev/null", &st));
	printf("/dev/null: chr=%d rdev=%u:%u\n", S_ISCHR(st.st_mode),
	       major(st.st_rdev), minor(st.st_rdev));

	SHOW("stat missing", stat("/etc/no-such-file-uos", &st));
	SHOW("stat through file", stat("/etc/passwd/x", &st));
	SHOW("stat empty", stat("", &st));
	SHOW("fstat bad fd", fstat(4242, &st));
	return 0;
}
