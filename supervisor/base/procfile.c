/*
 * A host /proc file read whole without stdio (base.h): an open, its reads
 * and a close, where fopen and fgets add an fstat and a read per KiB.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

/* Read fd to its end into *buf (grown as needed); false on an error. */
static bool read_all(int fd, char **buf, size_t *cap, size_t *n, bool one_piece)
{
	for (;;) {
		if (*cap - *n < 2) {
			char *more = realloc(*buf, *cap * 2);
			if (!more)
				return false;
			*buf = more;
			*cap *= 2;
		}
		size_t room = *cap - *n - 1;
		ssize_t r = read(fd, *buf + *n, room);
		if (r < 0)
			return false;
		*n += (size_t)r;
		if (r == 0 || (one_piece && (size_t)r < room))
			return true; /* the end, or all of a file made in one piece */
	}
}

char *uos_proc_read(const char *path, bool one_piece)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int fd = buf ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	bool ok = fd >= 0 && read_all(fd, &buf, &cap, &n, one_piece);

	if (fd >= 0)
		close(fd);
	if (!ok) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int uos_proc_stat(const char *path, char **buf, const char **f, int n)
{
	for (int i = 0; i < n; i++)
		f[i] = "0";
	*buf = uos_proc_read(path, true);
	if (!*buf)
		return -1;
	char *s = strrchr(*buf, ')'), *save = NULL;
	int last = 2;
	for (int i = 3; s && i < n; i++) {
		char *tok = strtok_r(i == 3 ? s + 1 : NULL, " \n", &save);
		if (!tok)
			break;
		f[last = i] = tok;
	}
	return last;
}
