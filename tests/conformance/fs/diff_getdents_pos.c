/* fs_getdents_pos: a directory's position through getdents64 on a host
 * directory (/usr/bin, read through uos's host filesystem): after each call
 * lseek(fd, 0, SEEK_CUR) is the last record's d_off; at the end it is what
 * the host says; a seek back to any record's d_off reads on from the next
 * name; lseek(0) rewinds; two opens keep their own positions and a dup
 * shares one. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include "guest.h"

#define DIR_PATH "/usr/bin"
#define MAXN 20000

static char *names[MAXN];
static long long offs[MAXN];
static int count;

/* One getdents64 of up to bufsz bytes: the names it lists into names[] from *at. */
static long read_some(int fd, size_t bufsz, int *at, long long *last)
{
	char buf[65536];
	long n = syscall(SYS_getdents64, fd, buf, bufsz);
	for (long o = 0; o < n;) {
		struct linux_dirent64 *d = (void *)(buf + o);
		if (*at < MAXN) {
			free(names[*at]);
			names[*at] = strdup(d->d_name);
			offs[*at] = d->d_off;
		}
		(*at)++;
		*last = d->d_off;
		o += d->d_reclen;
	}
	return n;
}

/* The names from index from on, read from fd's position with bufsz bytes a call, equal names[from...]? */
static int rest_same(int fd, size_t bufsz, int from)
{
	char buf[65536];
	int i = from;
	long n;
	while ((n = syscall(SYS_getdents64, fd, buf, bufsz)) > 0)
		for (long o = 0; o < n; i++) {
			struct linux_dirent64 *d = (void *)(buf + o);
			if (i >= count || strcmp(d->d_name, names[i]))
				return 0;
			o += d->d_reclen;
		}
	return n == 0 && i == count;
}

int main(void)
{
	close_inherited_fds();
	int fd = open(DIR_PATH, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		printf("open %s: %s\n", DIR_PATH, ename(errno));
		return 1;
	}
	long long last = 0;
	int calls = 0, pos_wrong = 0;
	long n;
	while ((n = read_some(fd, 600, &count, &last)) > 0) {
		calls++;
		if (lseek(fd, 0, SEEK_CUR) != last)
			pos_wrong++;
	}
	printf("listed in calls of 600 bytes: %s\n", n == 0 && count > 100 && count < MAXN ? "ok" : "FAILED");
	EXPECT("after each call the position is the last d_off", calls > 10 && pos_wrong == 0);
	off_t end = lseek(fd, 0, SEEK_CUR);
	printf("at the end the position is the last d_off: %s\n", end == last ? "yes" : "no");
	SHOW("getdents64 at the end", syscall(SYS_getdents64, fd, (char[512]){0}, 512));
	EXPECT("the end stays", lseek(fd, 0, SEEK_CUR) == end);

	int seeks_ok = 1;
	for (int k = 0; k < count - 1; k += count / 7 + 1) {
		if (lseek(fd, offs[k], SEEK_SET) != offs[k] || lseek(fd, 0, SEEK_CUR) != offs[k])
			seeks_ok = 0;
		else if (!rest_same(fd, 1000, k + 1))
			seeks_ok = 0;
	}
	EXPECT("a seek to a record's d_off reads on from the next name", seeks_ok);
	SHOW("lseek 0", lseek(fd, 0, SEEK_SET));
	EXPECT("lseek 0 rewinds", rest_same(fd, 65536, 0));

	int other = open(DIR_PATH, O_RDONLY | O_DIRECTORY);
	lseek(fd, 0, SEEK_SET);
	int a = 0, b = 0;
	long long la = 0, lb = 0;
	read_some(fd, 2000, &a, &la);
	read_some(other, 600, &b, &lb);
	read_some(fd, 2000, &a, &la);
	EXPECT("two opens keep their own positions",
	       lseek(fd, 0, SEEK_CUR) == la && lseek(other, 0, SEEK_CUR) == lb && a > b);
	int dup_fd = dup(other);
	EXPECT("a dup reads on where the other left off", rest_same(dup_fd, 3000, b));
	EXPECT("and they share the end", lseek(other, 0, SEEK_CUR) == lseek(dup_fd, 0, SEEK_CUR));
	return 0;
}
