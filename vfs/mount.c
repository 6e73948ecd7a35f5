/*
 * The mount table of the guest's file world (struct vfs_ns, k->vfs) and the
 * instances it holds (struct vfs_sb).  Mounts are matched on canonical paths
 * by the walk (namei.c), which crosses them itself.  The table owns each
 * mounted sb; nodes and open files borrow them, which is safe because
 * nothing is unmounted before the namespace itself goes (vfs_ns_fini).
 *
 * The default world (vfs_ns_init_config): an overlay whose lower layer is
 * the host's / (or --root DIR), read-only, and whose upper layer is an
 * in-memory tmpfs, so a guest writes where it likes and the host stays
 * untouched; then the user's --mount and --tmpfs mounts; procfs at /proc,
 * devfs at /dev.  ext2 images (imgfs) take part too: --root IMAGE mounts
 * the image itself, writable, as / (with a tmpfs on /tmp); --overlay IMAGE
 * makes the upper layer an image, so the changes persist; a --mount whose
 * source is a regular file mounts it as an image.  Every image is synced
 * and unmounted by vfs_ns_fini.  Host directories are held as O_PATH fds from init on, so
 * a rename of the host path later does not move what the guest sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vfs_imgfs.h"
#include "vfs_impl.h"

#define ANON_DEV_FIRST 0x30 /* anonymous minors below this look like the host's own */

struct vfs_sb *vfs_sb_alloc(const struct vfs_fs_ops *fs, void *priv, bool readonly)
{
	struct vfs_sb *sb = calloc(1, sizeof(*sb));

	if (!sb)
		return NULL;
	sb->fs = fs;
	sb->priv = priv;
	sb->readonly = readonly;
	return sb;
}

void vfs_sb_free(struct vfs_sb *sb)
{
	if (!sb)
		return;
	if (sb->fs->kill_sb)
		sb->fs->kill_sb(sb);
	free(sb);
}

dev_t vfs_anon_dev(struct vfs_ns *ns)
{
	return makedev(0, ANON_DEV_FIRST + ns->next_dev++);
}

bool vfs_node_readonly(const struct vfs_node *n)
{
	return n->fs->readonly || (n->sb && n->sb->readonly);
}

int vfs_mount_add(struct vfs_ns *ns, const char *path, struct vfs_sb *sb)
{
	char *p;

	if (!sb)
		return -ENOMEM;
	if (ns->nmounts == VFS_MAX_MOUNTS) {
		vfs_sb_free(sb);
		return -ENOSPC;
	}
	p = strdup(path);
	if (!p) {
		vfs_sb_free(sb);
		return -ENOMEM;
	}
	/* A second mount on the same point hides the first, as on Linux. */
	for (int i = 0; i < ns->nmounts; i++)
		if (!strcmp(ns->mounts[i].path, path))
			ns->mounts[i].path[0] = '\0';
	ns->mounts[ns->nmounts++] = (struct vfs_mount){.path = p, .fs = sb->fs, .sb = sb};
	return 0;
}

struct vfs_mount *vfs_mount_find(struct vfs_ns *ns, const char *path)
{
	for (int i = ns->nmounts - 1; i >= 0; i--)
		if (!strcmp(ns->mounts[i].path, path))
			return &ns->mounts[i];
	return NULL;
}

const struct vfs_fs_ops *vfs_mount_at(struct vfs_ns *ns, const char *path)
{
	struct vfs_mount *m = vfs_mount_find(ns, path);

	return m ? m->fs : NULL;
}

int vfs_ns_alloc(struct memcg *cg, struct vfs_ns **out)
{
	struct vfs_ns *ns = calloc(1, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	ns->hostroot = -1;
	ns->cg = cg;
	*out = ns;
	return 0;
}

/* procfs (the kernel's; NULL: none) at /proc and devfs at /dev: uos's own, whatever the root is. */
/*
 * Make the directory path (canonical) and its missing parents in what ns
 * mounts so far, as root, so that the mount point shows in its parent's
 * listing and can be reached (a container runtime makes them so too).
 */
static int make_mount_point(struct vfs_ns *ns, char *path, const char **why)
{
	struct fs_ctx fs = {.cwd = "/", .umask = 022};
	struct creds root = {.cap_prm = CREDS_CAP_FULL, .cap_eff = CREDS_CAP_FULL};
	struct vfs_caller c = {.cred = &root, .fs = &fs, .ns = ns};
	struct stat st;
	int err = 0;

	for (char *s = path + 1; !err; s++) {
		if (*s && *s != '/')
			continue;
		char end = *s;
		*s = '\0';
		err = vfs_stat(&c, NULL, path, 0, &st);
		if (err == -ENOENT)
			err = vfs_mkdir(&c, NULL, path, 0755);
		else if (!err && !S_ISDIR(st.st_mode))
			err = -ENOTDIR;
		*s = end;
		if (!end)
			break;
	}
	if (err)
		*why = err == -ENOTDIR ? "the mount point or a parent is not a directory"
				       : "cannot make the mount point";
	return err;
}

/* The same for a mount of uos's own (/proc, /dev, /tmp), where failing is no error. */
static void own_mount_point(struct vfs_ns *ns, const char *path)
{
	char p[16];
	const char *why;

	snprintf(p, sizeof(p), "%s", path);
	make_mount_point(ns, p, &why);
}

static int mount_pseudo(struct vfs_ns *ns, const struct vfs_fs_ops *procfs)
{
	int err = 0;

	if (procfs) {
		own_mount_point(ns, "/proc");
		err = vfs_mount_add(ns, "/proc", vfs_sb_alloc(procfs, NULL, true));
	}
	if (!err) {
		own_mount_point(ns, "/dev");
		err = vfs_mount_add(ns, "/dev", vfs_sb_alloc(&vfs_devfs_ops, NULL, true));
	}
	if (!err) {
		struct vfs_sb *pts;
		err = vfs_devpts_sb(ns, &pts);
		if (!err)
			err = vfs_mount_add(ns, "/dev/pts", pts);
	}
	return err;
}

int vfs_ns_init_root(struct memcg *cg, const char *hostdir, const struct vfs_fs_ops *procfs,
		     struct vfs_ns **out)
{
	struct vfs_ns *ns;
	struct vfs_sb *sb;
	int err = vfs_ns_alloc(cg, &ns);

	if (err)
		return err;
	err = vfs_hostfs_sb(hostdir, true, &sb);
	if (!err)
		err = vfs_mount_add(ns, "/", sb);
	if (!err)
		err = mount_pseudo(ns, procfs);
	if (err)
		vfs_ns_fini(ns);
	else
		*out = ns;
	return err;
}

/*
 * Mount the ext2 image at host path image as a new sb.  A refused image
 * (missing, corrupt, unsupported) is reported on stderr with imgfs's
 * reason, and *why says which image option it was (NULL for an image
 * another process holds: the reason says which, and is all there is to say).
 */
static int image_sb(struct vfs_ns *ns, const char *image, bool readonly, struct vfs_sb **out,
		    const char *what, const char **why)
{
	char msg[512] = "";
	int err = vfs_imgfs_sb(ns, image, readonly, out, msg, sizeof(msg));

	if (err) {
		uos_warn("%s: %s: %s", what, image, msg[0] ? msg : strerror(-err));
		*why = err == -EBUSY ? NULL : "cannot mount the image";
	}
	return err;
}

/*
 * The read-only layer the root shows: --root IMAGE (read-only, when an
 * overlay goes over it), --root DIR, or the host's /.
 */
static int root_lower(struct vfs_ns *ns, const struct vfs_config *cfg, bool readonly,
		      struct vfs_sb **out, const char **why)
{
	if (cfg->root_image)
		return image_sb(ns, cfg->root_image, readonly, out, "--root", why);
	*why = "cannot open the root directory";
	return vfs_hostfs_sb(cfg->root_dir ? cfg->root_dir : "/", true, out);
}

/* The writable upper layer: --overlay IMAGE (persistent) or an in-memory tmpfs. */
static int root_upper(struct vfs_ns *ns, const struct vfs_config *cfg, struct vfs_sb **out,
		      const char **why)
{
	if (cfg->overlay_image)
		return image_sb(ns, cfg->overlay_image, false, out, "--overlay", why);
	*why = "cannot make the overlay's upper layer";
	return vfs_tmpfs_sb(ns, out);
}

/*
 * The root.  --root IMAGE alone: the image itself, writable (its changes
 * persist, as a container user expects), or read-only under an in-memory
 * overlay with root_image_ro.  Otherwise an overlay of the lower layer
 * (host /, --root DIR, or a --root IMAGE when --overlay is given) under
 * the upper one (tmpfs, or the --overlay image), unless no_overlay.
 */
static int mount_root(struct vfs_ns *ns, const struct vfs_config *cfg, const char **why)
{
	struct vfs_sb *lower, *upper, *root;
	bool image_alone = cfg->root_image && !cfg->root_image_ro && !cfg->overlay_image;
	int err;

	err = root_lower(ns, cfg, !image_alone, &lower, why);
	if (err)
		return err;
	if (image_alone || (cfg->no_overlay && !cfg->overlay_image))
		return vfs_mount_add(ns, "/", lower);
	err = root_upper(ns, cfg, &upper, why);
	if (err) {
		vfs_sb_free(lower);
		return err;
	}
	*why = "cannot make the overlay";
	err = vfs_overlay_sb(ns, lower, upper, &root);
	return err ? err : vfs_mount_add(ns, "/", root);
}

/* When the root is an image, /tmp is a tmpfs (the user's own mounts come after). */
static int mount_tmp(struct vfs_ns *ns, const struct vfs_config *cfg, const char **why)
{
	struct vfs_sb *sb;
	int err;

	if (!cfg->root_image)
		return 0;
	*why = "cannot make tmpfs";
	err = vfs_tmpfs_sb(ns, &sb);
	if (!err)
		own_mount_point(ns, "/tmp");
	return err ? err : vfs_mount_add(ns, "/tmp", sb);
}

/* A --mount source that is a regular file (or block device) is an ext2 image. */
static bool src_is_image(const char *src)
{
	struct stat st;

	return stat(src, &st) == 0 && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode));
}

static int mount_one(struct vfs_ns *ns, const struct vfs_mount_cfg *m, const char **why)
{
	struct vfs_sb *sb;
	int err;

	if (m->dst[0] != '/') {
		*why = "a mount point must be an absolute path";
		return -EINVAL;
	}
	*why = m->kind == VFS_CFG_HOST ? "cannot open the host directory" : "cannot make tmpfs";
	if (m->kind == VFS_CFG_HOST && src_is_image(m->src))
		err = image_sb(ns, m->src, !m->rw, &sb, "--mount", why);
	else if (m->kind == VFS_CFG_HOST)
		err = vfs_hostfs_sb(m->src, !m->rw, &sb);
	else
		err = vfs_tmpfs_sb(ns, &sb);
	if (err)
		return err;
	char canon[PATH_MAX];
	size_t n = strlen(m->dst);
	if (n >= PATH_MAX)
		n = PATH_MAX - 1;
	memcpy(canon, m->dst, n);
	canon[n] = '\0';
	while (n > 1 && canon[n - 1] == '/')
		canon[--n] = '\0';
	if (n > 1 && (err = make_mount_point(ns, canon, why))) {
		vfs_sb_free(sb);
		return err;
	}
	*why = "too many mounts";
	return vfs_mount_add(ns, canon, sb);
}

/*
 * One image file used twice with a writer among them would be two
 * independent writers of one filesystem: refused (-EBUSY).
 */
static int images_distinct(const struct vfs_config *cfg, const char **why)
{
	struct { const char *path; bool rw; } img[VFS_CFG_MAX_MOUNTS + 2];
	struct stat a, b;
	int n = 0;

	if (cfg->root_image)
		img[n++] = (typeof(img[0])){cfg->root_image,
					    !cfg->root_image_ro && !cfg->overlay_image};
	if (cfg->overlay_image)
		img[n++] = (typeof(img[0])){cfg->overlay_image, true};
	for (int i = 0; i < cfg->nmounts; i++)
		if (cfg->mounts[i].kind == VFS_CFG_HOST && src_is_image(cfg->mounts[i].src))
			img[n++] = (typeof(img[0])){cfg->mounts[i].src, cfg->mounts[i].rw};
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if ((img[i].rw || img[j].rw) && !stat(img[i].path, &a) &&
			    !stat(img[j].path, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
				*why = "an image is mounted twice, once writable";
				return -EBUSY;
			}
	return 0;
}

int vfs_ns_init_config(struct memcg *cg, const struct vfs_config *cfg, struct vfs_ns **out,
		       const char **why)
{
	struct vfs_ns *ns;
	int err = images_distinct(cfg, why);

	if (err)
		return err;
	err = vfs_ns_alloc(cg, &ns);
	*why = "out of memory";
	if (err)
		return err;
	err = mount_root(ns, cfg, why);
	if (!err)
		err = mount_tmp(ns, cfg, why);
	for (int i = 0; !err && i < cfg->nmounts; i++)
		err = mount_one(ns, &cfg->mounts[i], why);
	if (!err)
		err = mount_pseudo(ns, cfg->procfs);
	if (err)
		vfs_ns_fini(ns);
	else
		*out = ns;
	return err;
}

int vfs_config_parse_mount(char *spec, struct vfs_mount_cfg *m, const char **why)
{
	char *dst = strchr(spec, ':');

	memset(m, 0, sizeof(*m));
	*why = "expected SRC:DST[:ro|rw]";
	if (!dst || dst == spec)
		return -EINVAL;
	*dst++ = '\0';
	char *mode = strchr(dst, ':');
	if (mode) {
		*mode++ = '\0';
		*why = "the mode after DST must be ro or rw";
		if (strcmp(mode, "ro") && strcmp(mode, "rw"))
			return -EINVAL;
		m->rw = !strcmp(mode, "rw");
	}
	*why = "DST must be an absolute path";
	if (dst[0] != '/')
		return -EINVAL;
	m->kind = VFS_CFG_HOST;
	m->src = spec;
	m->dst = dst;
	return 0;
}

void vfs_ns_fini(struct vfs_ns *ns)
{
	if (!ns)
		return;
	vfs_fifos_fini(ns);
	for (int i = ns->nmounts - 1; i >= 0; i--) {
		free(ns->mounts[i].path);
		vfs_sb_free(ns->mounts[i].sb);
	}
	vfs_sb_free(ns->memfd_sb);
	vfs_locks_free(ns);
	if (ns->hostroot >= 0)
		close(ns->hostroot);
	free(ns);
}
