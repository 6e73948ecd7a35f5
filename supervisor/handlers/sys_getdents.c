/* getdents and getdents64: a directory's entries as Linux's records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include "fdtable.h"
#include "gmem.h"
#include "handlers.h"
#include "vfs.h"

#define DENTS_MAX (64 * 1024) /* bytes of getdents64 records per call */

/*
 * The old getdents(2) record: d_ino, d_off, d_reclen, the name, then d_type
 * in the record's last byte.  Its length, ALIGN(18 + namelen + 2, 8), is
 * getdents64's ALIGN(19 + namelen + 1, 8): records convert in place.
 */
static void dirents_to_old(char *buf, long n)
{
	for (long off = 0; off < n;) {
		struct linux_dirent64_hdr {
			uint64_t ino, off;
			unsigned short reclen;
			unsigned char type;
		} __attribute__((packed)) *d = (void *)(buf + off);
		unsigned char type = d->type;
		unsigned short reclen = d->reclen;
		char *name = buf + off + 19;
		memmove(name - 1, name, strlen(name) + 1);
		buf[off + reclen - 1] = (char)type;
		off += reclen;
	}
}

static long do_getdents(struct task *t, const struct sysargs *a, bool old)
{
	size_t len = a->a[2] < DENTS_MAX ? a->a[2] : DENTS_MAX;
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], true, &f);

	if (err)
		return err;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	off_t pos = f->pos;
	long n = vfs_getdents(f, buf, len);
	if (n >= 0)
		vfs_notify_file(&t->vc, f, IN_ACCESS);
	if (n > 0 && old)
		dirents_to_old(buf, n);
	if (n > 0 && gmem_write(t, a->a[1], buf, (size_t)n)) {
		f->pos = pos; /* as Linux: a failed copy leaves the position */
		n = -EFAULT;
	}
	free(buf);
	return n;
}

long sys_getdents64(struct task *t, const struct sysargs *a)
{
	return do_getdents(t, a, false);
}

long sys_getdents(struct task *t, const struct sysargs *a)
{
	return do_getdents(t, a, true);
}
