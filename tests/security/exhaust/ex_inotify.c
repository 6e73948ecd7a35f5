/*
 * inotify: MODE instances: inotify_init1 until EMFILE (max_user_instances);
 * MODE watches DIR: 513 files in DIR watched by one instance after another
 * until inotify_add_watch fails with ENOSPC (max_user_watches).  Then everything is closed and a new
 * instance with a watch works.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

#include "exhaust.h"

#define FILES 513

static int instances(void)
{
	long n = 0;
	int fd;
	while (n < 100000 && (fd = inotify_init1(0)) >= 0)
		n++;
	printf("inotify_init1 until: %s\n", n < 100000 ? ename(errno) : "none");
	printf("within 128: %s\n", n <= 128 ? "yes" : "no");
	for (int i = 3; i < 3 + n; i++)
		close(i);
	return 0;
}

/*
 * 513 files, watched by one instance after another: the watches of all
 * instances together reach max_user_watches (ENOSPC) before the instances
 * reach max_user_instances.
 */
static int watches(const char *dir)
{
	char path[4096];
	int ins[128], nin = 0, err = 0;
	long n = 0;
	for (int i = 0; i < FILES; i++) {
		snprintf(path, sizeof(path), "%s/w%d", dir, i);
		close(open(path, O_WRONLY | O_CREAT, 0600));
	}
	while (!err && nin < 128) {
		int in = inotify_init1(0);
		if (in < 0) {
			err = errno;
			break;
		}
		ins[nin++] = in;
		for (int i = 0; i < FILES && !err; i++, n++) {
			snprintf(path, sizeof(path), "%s/w%d", dir, i);
			if (inotify_add_watch(in, path, IN_MODIFY) < 0)
				err = errno;
		}
	}
	printf("inotify_add_watch until: %s\n", err ? ename(err) : "none");
	printf("within 65536 plus one: %s\n", n <= 65537 ? "yes" : "no");
	for (int i = 0; i < nin; i++)
		close(ins[i]);
	for (int i = 0; i < FILES; i++) {
		snprintf(path, sizeof(path), "%s/w%d", dir, i);
		unlink(path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int r = argc > 1 && !strcmp(argv[1], "instances") ? instances()
		: argc > 2 && !strcmp(argv[1], "watches") ? watches(argv[2])
							    : 2;
	int in = inotify_init1(0);
	said("inotify after", in < 0 ? -1 : inotify_add_watch(in, "/", IN_ATTRIB));
	return r;
}
