/*
 * hostfs_link_swap DIR ROUNDS: a symlink swapped under walks through it.
 *
 * hostfs keeps the target of a symlink in a watched host directory
 * (vfs/hostfs_links.c) and drops it on the directory's inotify event.  Here
 * the guest itself swaps DIR/l between DIR/t1 and DIR/t2, ROUNDS times, by
 * a rename over it (a new link made aside), by unlink and symlink, and by
 * a directory put in its place and taken away, while a second thread walks
 * through l as fast as it can.  After each change returns, readlink and a
 * read of l/f must give the new target at once (a kept target that outlived
 * its change would give the old one); the walker must only ever see one of
 * the two files, or no link for an instant.  Prints one line of counts that
 * does not depend on timing, the same natively and under uos.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;
static atomic_int done;
static atomic_long walks, walk_bad;

static void path(char *buf, const char *name)
{
	snprintf(buf, 4096, "%s/%s", dir, name);
}

/* The byte of file `name` (under DIR), or the negative errno. */
static int first_byte(const char *name)
{
	char p[4096], c;
	path(p, name);
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return -errno;
	int n = (int)read(fd, &c, 1);
	close(fd);
	return n == 1 ? c : -EIO;
}

static void *walker(void *arg)
{
	(void)arg;
	while (!atomic_load(&done)) {
		int b = first_byte("l/f");
		atomic_fetch_add(&walks, 1);
		if (b != '1' && b != '2' && b != -ENOENT && b != -ENOTDIR)
			atomic_fetch_add(&walk_bad, 1);
	}
	return NULL;
}

static int make_file(const char *d, char digit)
{
	char p[4096];
	path(p, d);
	if (mkdir(p, 0755) && errno != EEXIST)
		return -1;
	strcat(p, "/f");
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fputc(digit, f);
	return fclose(f);
}

/* Point l at target by way `how`: 0 rename over, 1 unlink and symlink, 2 through a directory. */
static int swap(int how, const char *target)
{
	char l[4096], aside[4096];
	path(l, "l");
	path(aside, "l.new");
	switch (how) {
	case 0:
		return symlink(target, aside) || rename(aside, l);
	case 1:
		return unlink(l) || symlink(target, l);
	default:
		return unlink(l) || mkdir(l, 0755) || rmdir(l) || symlink(target, l);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hostfs_link_swap DIR ROUNDS\n");
		return 2;
	}
	dir = argv[1];
	long rounds = atol(argv[2]), stale = 0, failed = 0;
	char l[4096], got[64];
	path(l, "l");
	unlink(l);
	if (make_file("t1", '1') || make_file("t2", '2') || symlink("t1", l)) {
		perror("hostfs_link_swap: setup");
		return 1;
	}
	for (int i = 0; i < 8; i++) /* enough lookups of DIR that hostfs watches it */
		first_byte("l/f");
	pthread_t th;
	pthread_create(&th, NULL, walker, NULL);
	for (long i = 0; i < rounds; i++) {
		const char *target = i % 2 ? "t1" : "t2";
		if (swap((int)(i % 3), target)) {
			failed++;
			continue;
		}
		ssize_t n = readlink(l, got, sizeof(got) - 1);
		got[n > 0 ? n : 0] = 0;
		if (strcmp(got, target) || first_byte("l/f") != target[1])
			stale++;
	}
	atomic_store(&done, 1);
	pthread_join(th, NULL);
	printf("hostfs_link_swap: %ld rounds, %ld stale, %ld failed changes, walker %s, %s\n", rounds,
	       stale, failed, atomic_load(&walk_bad) ? "saw other files" : "saw only t1, t2 or nothing",
	       atomic_load(&walks) > rounds / 10 ? "walked" : "barely walked");
	return stale || failed || atomic_load(&walk_bad);
}
