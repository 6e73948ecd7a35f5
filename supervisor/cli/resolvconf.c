/*
 * The host's resolver configuration into the guest's root (--net=host,
 * --root): read on the host by uos, written into the guest's overlay
 * through the VFS as root (owner root, mode 0644), replacing what the
 * image had (a symlink too: it is removed first).  Without --root the
 * guest's / is the host's, and these files are already the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "resolvconf.h"
#include "vfs.h"

#define RESOLV_MAX 65536 /* larger host files are not the resolver's business */

static int copy_one(struct vfs_caller *c, const char *path)
{
	static char buf[RESOLV_MAX];
	struct vfs_file *f;
	FILE *in = fopen(path, "re");
	size_t n;
	int err;

	if (!in)
		return -errno;
	n = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	vfs_unlink(c, NULL, path); /* the image's own, even a symlink */
	err = vfs_open(c, NULL, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);
	if (err)
		return err;
	long w = vfs_write(f, buf, n, 0);
	vfs_file_put(f);
	return w < 0 ? (int)w : 0;
}

void resolvconf_copy(struct task *t)
{
	static const char *const files[] = {"/etc/resolv.conf", "/etc/hosts"};
	struct creds root = {.cap_eff = CREDS_CAP_FULL};
	struct vfs_caller c = t->vc;

	c.cred = &root;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int err = copy_one(&c, files[i]);
		if (err && err != -ENOENT)
			uos_warn("--net=host: cannot copy the host's %s into the guest's root: %s",
				 files[i], strerror(-err));
	}
}
