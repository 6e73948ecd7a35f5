/* xattr_strings: how the xattr calls read their name and path from memory
 * (uos reads both in one host call when it can).  Strings that end exactly
 * at a page's end, cross into a readable page or into an unmapped one,
 * names of 255 and 256 bytes, a path of PATH_MAX bytes, bad pointers in
 * both (the name's error comes first), then a thread that keeps rewriting
 * the path while the other asks: every answer must be one of the two
 * files', or ENOENT for a path read half rewritten.
 *
 * Usage: xattr_strings DIR, where DIR holds the tree `difftest
 * --scratch-tree` makes (file, dir/inner, link -> file). */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/xattr.h>
#include "guest.h"

#define PAGE 4096

static char *page; /* two readable pages, then an unmapped one */
static char value[64];

/* s copied to end exactly at offset end of page (without its NUL when nul is false). */
static char *place(const char *s, size_t end, int nul)
{
	size_t len = strlen(s) + (nul ? 1 : 0);
	char *p = page + end - len;
	memcpy(p, s, len);
	return p;
}

static void edges(void)
{
	char *end = page + 2 * PAGE;
	SHOW("name ends at a page end", getxattr("dir/inner", place("user.k", PAGE, 1), value, sizeof(value)));
	SHOW("path ends at a page end", getxattr(place("dir/inner", PAGE, 1), "user.k", value, sizeof(value)));
	SHOW("name crosses into the next page", getxattr("file", place("user.k", PAGE + 3, 1), value, sizeof(value)));
	SHOW("path crosses into the next page", getxattr(place("file", PAGE + 2, 1), "user.k", value, sizeof(value)));
	SHOW("both cross", getxattr(place("file", PAGE + 2, 1), place("user.k", PAGE + 40, 1), value, sizeof(value)));
	SHOW("name runs into no page", getxattr("file", place("user.k", 2 * PAGE, 0), value, sizeof(value)));
	SHOW("path runs into no page", getxattr(place("file", 2 * PAGE, 0), "user.k", value, sizeof(value)));
	SHOW("both run into no page", lgetxattr(place("file", 2 * PAGE, 0), end - 1, value, sizeof(value)));
	SHOW("empty name, bad path", getxattr((char *)8, "", value, sizeof(value)));
	SHOW("bad name, bad path", getxattr((char *)8, (char *)16, value, sizeof(value)));
	SHOW("bad name, good path", getxattr("file", (char *)16, value, sizeof(value)));
	SHOW("NULL path", getxattr(NULL, "user.k", value, sizeof(value)));
	SHOW("listxattr path crosses", listxattr(place("dir/inner", PAGE + 4, 1), value, sizeof(value)));
	SHOW("listxattr path runs into no page", listxattr(place("dir", 2 * PAGE, 0), value, sizeof(value)));
	SHOW("removexattr both cross", removexattr(place("dir/inner", PAGE + 5, 1), place("user.none", PAGE + 90, 1)));
	SHOW("setxattr name crosses", setxattr(place("file", PAGE + 2, 1), place("user.j", PAGE + 3, 1), "v", 1, 0));

	char name[300] = "user.";
	memset(name + 5, 'n', 250);
	name[255] = 0;
	SHOW("name of 255 bytes", getxattr("file", name, value, sizeof(value)));
	name[255] = 'n';
	name[256] = 0;
	SHOW("name of 256 bytes", getxattr("file", name, value, sizeof(value)));
	SHOW("name of 256 bytes, bad path", getxattr((char *)8, name, value, sizeof(value)));
	SHOW("name of 256 bytes at a page end", getxattr("file", place(name, 2 * PAGE, 1), value, sizeof(value)));

	char *path = malloc(PATH_MAX + 8);
	memset(path, 'a', PATH_MAX + 7);
	path[PATH_MAX + 7] = 0;
	SHOW("path of more than PATH_MAX", getxattr(path, "user.k", value, sizeof(value)));
	free(path);
}

static _Atomic int stop;
static char *racy; /* rewritten all the time: "file" or "dir/inner" */

static void *flipper(void *arg)
{
	for (unsigned i = 0; !atomic_load(&stop); i++)
		memcpy(racy, i & 1 ? "dir/inner" : "file\0inner", 10);
	return arg;
}

static void race(void)
{
	pthread_t th;
	int bad = 0;
	racy = place("dir/inner", PAGE + 5, 1);
	pthread_create(&th, NULL, flipper, NULL);
	for (int i = 0; i < 20000; i++) {
		long r = getxattr(racy, "user.k", value, sizeof(value));
		/* a torn path names no file: ENOENT */
		bad += !(r == 3 && !memcmp(value, "one", 3)) &&
		       !(r < 0 && (errno == ENODATA || errno == ENOENT));
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	printf("race: 20000 calls, %d answers no path it could read gives\n", bad);
}

int main(int argc, char **argv)
{
	close_inherited_fds();
	if (argc < 2 || chdir(argv[1])) {
		printf("usage: xattr_strings SCRATCHDIR\n");
		return 2;
	}
	page = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + 2 * PAGE, PAGE);
	SHOW("setxattr file user.k", setxattr("file", "user.k", "one", 3, 0));
	edges();
	race();
	return 0;
}
