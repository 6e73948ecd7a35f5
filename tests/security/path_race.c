/*
 * path_race MARKER CANARY UP COUNT: walk out of --root DIR and --mount
 * SRC:/mnt:rw with paths, symlinks and renames, racing.
 *
 * The guest's / is a host directory DIR (read-only, under an overlay) and
 * /mnt is the host directory SRC, writable.  UP is the relative path from SRC
 * to the host directory that holds MARKER and CANARY (e.g. "../.."): what a
 * host-side resolution of ".." from SRC would reach.
 *
 * Attack: a racer thread swaps the symlink /mnt/a between "d", "/", UP,
 * "/proc/self/root", "/proc/self/cwd/.." and "../../../../.." (each made
 * as /mnt/tmp, then renamed over /mnt/a), and renames the directory /mnt/d
 * to /mnt/d2 and back, while the main thread, COUNT times, goes through
 * every path it can think of to the host's MARKER (create) and CANARY
 * (read, truncate, hard link, rename): ".." walks from the mount root and
 * from a directory being renamed away, the swapped symlink, /proc/self/root,
 * /proc/self/cwd, O_PATH fds, fchdir into a directory that moves, openat2
 * with RESOLVE_BENEATH / RESOLVE_IN_ROOT / RESOLVE_NO_MAGICLINKS, linkat
 * and renameat through the symlink, and readlink of the swapped link.
 *
 * Escape: MARKER or anything else appears outside SRC on the host, CANARY
 * changes or is read (its secret appears in the output: the program prints
 * the first bytes of every file it opens for reading that starts with
 * "SECRET"), or a host file outside SRC is linked or moved into it (the
 * script (path_race.sh) checks for CANARY's inode in SRC).
 */
#include "sec.h"

#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/stat.h>

static const char *marker_name, *canary_name, *up;
static volatile int stop;
static long secrets;

static void *racer(void *arg)
{
	char far[PATH_MAX];
	(void)arg;
	snprintf(far, sizeof(far), "%s", up);
	const char *targets[] = {"d", "/", far, "/proc/self/root", "/proc/self/cwd/..",
				 "../../../../..", "d/e/../.."};
	for (unsigned i = 0; !stop; i++) {
		unlink("/mnt/tmp");
		if (symlink(targets[i % (sizeof(targets) / sizeof(targets[0]))], "/mnt/tmp") == 0)
			rename("/mnt/tmp", "/mnt/a");
		if (i % 3 == 0) {
			rename("/mnt/d", "/mnt/d2");
			rename("/mnt/d2", "/mnt/d");
		}
	}
	return NULL;
}

/* Read a file the walk reached; report it when it holds a secret. */
static void peek(const char *how, int fd)
{
	char buf[64] = {0};
	if (fd < 0)
		return;
	if (read(fd, buf, sizeof(buf) - 1) > 0 && strncmp(buf, "SECRET", 6) == 0) {
		if (secrets++ < 5)
			say("ESCAPE: %s read '%.40s'\n", how, buf);
	}
	close(fd);
}

static void attempt(const char *name, bool create)
{
	char p[PATH_MAX];
	int flags = create ? O_CREAT | O_WRONLY | O_TRUNC : O_RDONLY;
	const char *fmts[] = {"/mnt/%s/%s",	    "/mnt/../%s/%s",	    "/mnt/a/%s/%s",
			      "/mnt/a/../%s/%s",    "/mnt/d/../../%s/%s",   "/mnt/d/e/../../../%s/%s",
			      "/proc/self/root/mnt/a/%s/%s", "/proc/self/cwd/../../%s/%s",
			      "/mnt/a/a/%s/%s"};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		snprintf(p, sizeof(p), fmts[i], up, name);
		int fd = open(p, flags, 0644);
		if (create) {
			if (fd >= 0)
				close(fd);
		} else {
			peek(p, fd);
		}
	}
	/* The same from the mount root's fd, an O_PATH fd, and with openat2. */
	int root = open("/mnt", O_RDONLY | O_DIRECTORY);
	int opath = open("/mnt/d/e", O_PATH);
	snprintf(p, sizeof(p), "%s/%s", up, name);
	if (create) {
		close(openat(root, p, flags, 0644));
		close(openat(opath, p, flags, 0644));
	} else {
		peek("openat(/mnt)", openat(root, p, flags));
		peek("openat(O_PATH /mnt/d/e)", openat(opath, p, flags));
	}
	const unsigned long long res[] = {RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS,
					  RESOLVE_NO_SYMLINKS, RESOLVE_NO_XDEV, 0};
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		struct open_how how = {.flags = (unsigned)flags, .mode = create ? 0644 : 0,
				       .resolve = res[i]};
		int fd = (int)syscall(SYS_openat2, root, p, &how, sizeof(how));
		if (create) {
			if (fd >= 0)
				close(fd);
		} else {
			peek("openat2", fd);
		}
		char via[PATH_MAX + 8];
		snprintf(via, sizeof(via), "a/%s", p);
		fd = (int)syscall(SYS_openat2, root, via, &how, sizeof(how));
		if (create) {
			if (fd >= 0)
				close(fd);
		} else {
			peek("openat2 via a", fd);
		}
	}
	/* fchdir into the directory being renamed away, and walk up from there. */
	if (fchdir(opath) == 0) {
		snprintf(p, sizeof(p), "../../%s/%s", up, name);
		if (create)
			close(open(p, flags, 0644));
		else
			peek("cwd /mnt/d/e", open(p, flags));
	}
	chdir("/");
	close(opath);
	close(root);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: path_race MARKER CANARY UP COUNT\n");
		return 2;
	}
	marker_name = strrchr(argv[1], '/') + 1;
	canary_name = strrchr(argv[2], '/') + 1;
	up = argv[3];
	long count = atol(argv[4]);
	char p[PATH_MAX];
	mkdir("/mnt/d", 0755);
	mkdir("/mnt/d/e", 0755);
	symlink("d", "/mnt/a");
	/* The host paths themselves, as the guest sees them: only its overlay. */
	close(open(argv[1], O_CREAT | O_WRONLY, 0644));
	peek(argv[2], open(argv[2], O_RDONLY));
	pthread_t th;
	if (pthread_create(&th, NULL, racer, NULL))
		return 2;
	for (long i = 0; i < count; i++) {
		attempt(marker_name, true);
		attempt(canary_name, false);
		snprintf(p, sizeof(p), "/mnt/a/%s/%s", up, canary_name);
		if (linkat(AT_FDCWD, p, AT_FDCWD, "/mnt/stolen", AT_SYMLINK_FOLLOW) == 0)
			peek("linkat", open("/mnt/stolen", O_RDONLY));
		if (rename(p, "/mnt/moved") == 0)
			peek("rename", open("/mnt/moved", O_RDONLY));
		close(open(p, O_WRONLY | O_TRUNC));
		char buf[PATH_MAX];
		readlink("/mnt/a", buf, sizeof(buf));
	}
	stop = 1;
	pthread_join(th, NULL);
	say("path_race: %ld rounds, %ld secrets read\n", count, secrets);
	return secrets ? 1 : 0;
}
