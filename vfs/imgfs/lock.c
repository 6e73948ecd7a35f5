/*
 * Who may use an image file: one writer, or any number of readers, across
 * every process on the host.  The lock is a flock(2) lock, which belongs
 * to the open file description the image is used through and goes with
 * its last close, whatever the process does with other fds of the same
 * file (a POSIX lock would be dropped by any close).  Not an OFD lock:
 * Linux shows no pid for those (F_OFD_GETLK and /proc/locks give -1),
 * while /proc/locks names the process that took a flock.  Every user of an
 * image takes it the same way (uos at mount, uos mkfs and uos fsck), since
 * flock and fcntl locks do not see each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "imgfs_impl.h"

/* The pid in a /proc/locks line of a flock on dev:ino, or -1. */
static long flock_pid(const char *line, dev_t dev, ino_t ino)
{
	char kind[16];
	unsigned maj, min;
	unsigned long long i;
	long pid;

	/* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" ("->" lines are waiters) */
	if (sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%llu", kind, &pid, &maj, &min, &i) != 5)
		return -1;
	if (strcmp(kind, "FLOCK") || maj != major(dev) || min != minor(dev) || i != ino)
		return -1;
	return pid > 0 ? pid : -1;
}

/* The pid of a process holding a flock on dev:ino (from /proc/locks), or -1. */
static long holder_of(dev_t dev, ino_t ino)
{
	char line[256];
	long found = -1;
	FILE *fp = fopen("/proc/locks", "re");

	if (!fp)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), fp))
		found = flock_pid(line, dev, ino);
	fclose(fp);
	return found;
}

/* The name of process pid (its comm), or "?" when it cannot be read. */
static void comm_of(long pid, char *buf, size_t len)
{
	char path[64];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	fp = fopen(path, "re");
	if (!fp || !fgets(buf, (int)len, fp))
		snprintf(buf, len, "?");
	buf[strcspn(buf, "\n")] = 0;
	if (fp)
		fclose(fp);
}

int imgfs_lock(int fd, bool writable, char *why, size_t whylen)
{
	struct stat st;
	char comm[32];
	long pid;

	if (flock(fd, (writable ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return 0; /* a host filesystem without locks: nothing to keep the others out */
	pid = fstat(fd, &st) ? -1 : holder_of(st.st_dev, st.st_ino);
	if (pid < 0) {
		snprintf(why, whylen, "in use by another process (it holds a lock on the image)");
		return -EBUSY;
	}
	comm_of(pid, comm, sizeof(comm));
	snprintf(why, whylen, "in use by process %ld (%s)", pid, comm);
	return -EBUSY;
}
