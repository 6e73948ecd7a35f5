/*
 * procfs: the guest's /proc, rendered from uos's own books, never from the
 * host's /proc (which would show host pids and the supervisor).
 *
 * /proc lists self, thread-self and the virtual pids.  /proc/PID (and
 * /proc/PID/task/TID) hold maps (the mm books), exe, cwd and root
 * (symlinks), cmdline and environ (read from the guest's memory between the
 * mm's bounds), comm, stat, status, and fd/ (one symlink per open fd, to the
 * file's canonical path).  An fd link whose file has no walkable path (a
 * pipe, a terminal) is a magic link: following it leads to the open file
 * itself, as on Linux, and this file also owns that "magic" node kind.
 * Everything else under /proc is ENOENT.  Files are rendered at open.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fdtable.h"
#include "gmem.h"
#include "hostmaps.h"
#include "mm.h"
#include "vfs_impl.h"

enum proc_kind {
	P_ROOT,
	P_SELF,
	P_THREAD_SELF,
	P_PID,	/* /proc/PID */
	P_TID,	/* /proc/PID/task/TID */
	P_TASK, /* /proc/PID/task */
	P_FD,	/* /proc/PID/fd */
	P_FDLINK,
	P_EXE,
	P_CWD,
	P_ROOTLINK,
	P_MAPS,
	P_CMDLINE,
	P_ENVIRON,
	P_STATUS,
	P_STAT,
	P_COMM,
};

#define PROC_DEV 0x16
#define PROC_MAX_ARGS (1 << 20) /* cmdline/environ bytes rendered at most */

/* The names inside a PID or TID directory. */
static const struct proc_entry {
	const char *name;
	enum proc_kind kind;
	mode_t mode;
} pid_entries[] = {
	{"cmdline", P_CMDLINE, S_IFREG | 0444}, {"comm", P_COMM, S_IFREG | 0644},
	{"cwd", P_CWD, S_IFLNK | 0777},		{"environ", P_ENVIRON, S_IFREG | 0400},
	{"exe", P_EXE, S_IFLNK | 0777},		{"fd", P_FD, S_IFDIR | 0500},
	{"maps", P_MAPS, S_IFREG | 0444},	{"root", P_ROOTLINK, S_IFLNK | 0777},
	{"stat", P_STAT, S_IFREG | 0444},	{"status", P_STATUS, S_IFREG | 0444},
	{"task", P_TASK, S_IFDIR | 0555},
};

static int procfs_root(struct vfs_sb *sb, struct vfs_node *out)
{
	out->fs = &vfs_procfs_ops;
	out->kind = P_ROOT;
	out->mode = S_IFDIR | 0555;
	return 0;
}

/* A decimal number with no sign, leading zero or overflow; -1 otherwise. */
static int parse_num(const char *s)
{
	long v = 0;

	if (!*s || (s[0] == '0' && s[1]) || strlen(s) > 9)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return (int)v;
}

/* The task a node is about, or NULL when it is gone. */
static struct task *node_task(struct task *t, const struct vfs_node *n)
{
	struct task *p = task_by_tid(t->k, n->tid);

	if (!p || !p->tg || p->tg->pid != n->pid)
		return NULL;
	return p;
}

static int node_set(struct vfs_node *out, const struct vfs_node *dir, int kind, mode_t mode)
{
	out->fs = &vfs_procfs_ops;
	out->kind = kind;
	out->mode = mode;
	out->pid = dir->pid;
	out->tid = dir->tid;
	return 0;
}

static int lookup_root(struct task *t, const char *name, struct vfs_node *out)
{
	if (!strcmp(name, "self"))
		return node_set(out, &(struct vfs_node){0}, P_SELF, S_IFLNK | 0777);
	if (!strcmp(name, "thread-self"))
		return node_set(out, &(struct vfs_node){0}, P_THREAD_SELF, S_IFLNK | 0777);
	int pid = parse_num(name);
	struct task *p = pid > 0 ? task_by_tid(t->k, pid) : NULL;
	if (!p || !p->tg)
		return -ENOENT;
	/* /proc/TID of a thread shows the thread, as on Linux. */
	return node_set(out, &(struct vfs_node){.pid = p->tg->pid, .tid = pid}, P_PID,
			S_IFDIR | 0555);
}

static int lookup_piddir(struct task *t, const struct vfs_node *dir, const char *name,
			 struct vfs_node *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(pid_entries); i++) {
		const struct proc_entry *e = &pid_entries[i];
		if (strcmp(e->name, name) || (e->kind == P_TASK && dir->kind == P_TID))
			continue;
		return node_set(out, dir, e->kind, e->mode);
	}
	return -ENOENT;
}

static int lookup_task(struct task *t, const struct vfs_node *dir, const char *name,
		       struct vfs_node *out)
{
	int tid = parse_num(name);
	struct task *p = tid > 0 ? task_by_tid(t->k, tid) : NULL;

	if (!p || !p->tg || p->tg->pid != dir->pid)
		return -ENOENT;
	node_set(out, dir, P_TID, S_IFDIR | 0555);
	out->tid = tid;
	return 0;
}

static int lookup_fd(struct task *t, const struct vfs_node *dir, const char *name,
		     struct vfs_node *out)
{
	struct task *p = node_task(t, dir);
	int fd = parse_num(name);

	if (!p || fd < 0 || !p->tg->fdt || !fdt_get(p->tg->fdt, fd))
		return -ENOENT;
	/* Linux shows the access mode in the link's permissions. */
	int acc = fdt_get(p->tg->fdt, fd)->flags & O_ACCMODE;
	mode_t perm = (acc != O_WRONLY ? 0500 : 0) | (acc != O_RDONLY ? 0300 : 0);
	node_set(out, dir, P_FDLINK, S_IFLNK | perm);
	out->fd = fd;
	return 0;
}

static int procfs_lookup(struct task *t, const struct vfs_node *dir, const char *name,
			 struct vfs_node *out)
{
	if (dir->kind != P_ROOT && !node_task(t, dir))
		return -ENOENT;
	switch (dir->kind) {
	case P_ROOT:
		return lookup_root(t, name, out);
	case P_PID:
	case P_TID:
		return lookup_piddir(t, dir, name, out);
	case P_TASK:
		return lookup_task(t, dir, name, out);
	case P_FD:
		return lookup_fd(t, dir, name, out);
	default:
		return -ENOTDIR;
	}
}

static unsigned long node_ino(const struct vfs_node *n)
{
	if (n->kind == P_ROOT)
		return 1;
	return ((unsigned long)n->tid << 16) ^ ((unsigned long)n->fd << 8) ^ (n->kind + 2);
}

static int procfs_stat(struct task *t, const struct vfs_node *n, struct stat *st)
{
	struct task *p = n->kind == P_ROOT || n->kind == P_SELF || n->kind == P_THREAD_SELF
				 ? NULL
				 : node_task(t, n);
	struct timespec now;

	if (!p && n->kind != P_ROOT && n->kind != P_SELF && n->kind != P_THREAD_SELF)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_REALTIME, &now);
	st->st_dev = PROC_DEV;
	st->st_ino = node_ino(n);
	st->st_mode = n->mode;
	st->st_nlink = S_ISDIR(n->mode) ? 2 : 1;
	st->st_blksize = 1024;
	st->st_atim = st->st_mtim = st->st_ctim = now;
	if (p) {
		st->st_uid = p->tg->cred.euid;
		st->st_gid = p->tg->cred.egid;
	}
	return 0;
}

/* The text of a symlink node, into buf[size]. */
static int link_text(struct task *t, const struct vfs_node *n, char *buf, size_t size)
{
	struct task *p = node_task(t, n);
	struct vfs_file *f;

	switch (n->kind) {
	case P_SELF:
		return snprintf(buf, size, "%d", t->tg->pid);
	case P_THREAD_SELF:
		return snprintf(buf, size, "%d/task/%d", t->tg->pid, t->tid);
	case P_EXE:
		return p && p->tg->exe ? snprintf(buf, size, "%s", p->tg->exe) : -ENOENT;
	case P_CWD:
		return p && p->tg->fs.cwd ? snprintf(buf, size, "%s", p->tg->fs.cwd) : -ENOENT;
	case P_ROOTLINK:
		return p ? snprintf(buf, size, "/") : -ENOENT;
	case P_FDLINK:
		f = p && p->tg->fdt ? fdt_get(p->tg->fdt, n->fd) : NULL;
		return f ? snprintf(buf, size, "%s", f->path) : -ENOENT;
	default:
		return -EINVAL;
	}
}

static long procfs_readlink(struct task *t, const struct vfs_node *n, char *buf, size_t size)
{
	char text[PATH_MAX + 1];
	int len = link_text(t, n, text, sizeof(text));

	if (len < 0)
		return len;
	if ((size_t)len > size)
		len = (int)size;
	memcpy(buf, text, len);
	return len;
}

static int procfs_magic(struct task *t, const struct vfs_node *n, struct vfs_file **out)
{
	if (n->kind != P_FDLINK)
		return 0;
	struct task *p = node_task(t, n);
	struct vfs_file *f = p && p->tg->fdt ? fdt_get(p->tg->fdt, n->fd) : NULL;
	if (!f)
		return -ENOENT;
	if (!f->ops->reopen && f->path[0] == '/')
		return 0;
	vfs_file_get(f);
	*out = f;
	return 1;
}

/* Directory listings. */

static int count_tasks(struct kernel *k)
{
	int n = 0;

	for (struct task *p = k->tasks; p; p = p->next)
		n++;
	return n;
}

static int list_root(struct task *t, struct vfs_dirent **out)
{
	int n = 4, cap = 4 + count_tasks(t->k);
	struct vfs_dirent *e = calloc(cap, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e[0] = (struct vfs_dirent){1, DT_DIR, "."};
	e[1] = (struct vfs_dirent){2, DT_DIR, ".."};
	e[2] = (struct vfs_dirent){3, DT_LNK, "self"};
	e[3] = (struct vfs_dirent){4, DT_LNK, "thread-self"};
	for (struct task *p = t->k->tasks; p && n < cap; p = p->next) {
		if (!p->tg || p->tid != p->tg->pid)
			continue;
		e[n].ino = (unsigned long)p->tid << 16 | 2;
		e[n].type = DT_DIR;
		snprintf(e[n++].name, sizeof(e->name), "%d", p->tid);
	}
	*out = e;
	return n;
}

static int list_piddir(const struct vfs_node *dir, struct vfs_dirent **out)
{
	struct vfs_dirent *e = calloc(ARRAY_SIZE(pid_entries) + 2, sizeof(*e));
	int n = 2;

	if (!e)
		return -ENOMEM;
	e[0] = (struct vfs_dirent){node_ino(dir), DT_DIR, "."};
	e[1] = (struct vfs_dirent){1, DT_DIR, ".."};
	for (size_t i = 0; i < ARRAY_SIZE(pid_entries); i++) {
		const struct proc_entry *pe = &pid_entries[i];
		if (pe->kind == P_TASK && dir->kind == P_TID)
			continue;
		struct vfs_node child = {.kind = pe->kind, .pid = dir->pid, .tid = dir->tid};
		e[n].ino = node_ino(&child);
		e[n].type = S_ISDIR(pe->mode) ? DT_DIR : S_ISLNK(pe->mode) ? DT_LNK : DT_REG;
		strcpy(e[n++].name, pe->name);
	}
	*out = e;
	return n;
}

static int list_task(struct task *t, const struct vfs_node *dir, struct vfs_dirent **out)
{
	int n = 2, cap = 2 + count_tasks(t->k);
	struct vfs_dirent *e = calloc(cap, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e[0] = (struct vfs_dirent){node_ino(dir), DT_DIR, "."};
	e[1] = (struct vfs_dirent){node_ino(dir) ^ 1, DT_DIR, ".."};
	for (struct task *p = t->k->tasks; p && n < cap; p = p->next) {
		if (!p->tg || p->tg->pid != dir->pid)
			continue;
		e[n].ino = (unsigned long)p->tid << 16 | 3;
		e[n].type = DT_DIR;
		snprintf(e[n++].name, sizeof(e->name), "%d", p->tid);
	}
	*out = e;
	return n;
}

static int list_fd(struct task *p, const struct vfs_node *dir, struct vfs_dirent **out)
{
	struct fdtable *fdt = p->tg->fdt;
	int size = fdt ? fdt->size : 0, n = 2;
	struct vfs_dirent *e = calloc(size + 2, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e[0] = (struct vfs_dirent){node_ino(dir), DT_DIR, "."};
	e[1] = (struct vfs_dirent){node_ino(dir) ^ 1, DT_DIR, ".."};
	for (int fd = 0; fd < size; fd++) {
		if (!fdt->slot[fd].file)
			continue;
		struct vfs_node child = {.kind = P_FDLINK, .tid = dir->tid, .fd = fd};
		e[n].ino = node_ino(&child);
		e[n].type = DT_LNK;
		snprintf(e[n++].name, sizeof(e->name), "%d", fd);
	}
	*out = e;
	return n;
}

static int open_dir(struct task *t, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out)
{
	struct task *p = node_task(t, n);
	struct vfs_dirent *ents = NULL;
	struct stat st;
	int cnt;

	if (n->kind == P_ROOT)
		cnt = list_root(t, &ents);
	else if (!p)
		cnt = -ENOENT;
	else if (n->kind == P_TASK)
		cnt = list_task(t, n, &ents);
	else if (n->kind == P_FD)
		cnt = list_fd(p, n, &ents);
	else
		cnt = list_piddir(n, &ents);
	if (cnt < 0)
		return cnt;
	procfs_stat(t, n, &st);
	return vfs_dirfile(ents, cnt, &st, flags, canon, out);
}

/* Rendering of the files. */

static long render_mem(struct task *p, unsigned long start, unsigned long end, char **out)
{
	size_t len = end > start ? end - start : 0;

	if (len > PROC_MAX_ARGS)
		len = PROC_MAX_ARGS;
	*out = malloc(len + 1);
	if (!*out)
		return -ENOMEM;
	if (len && gmem_read(p, *out, start, len))
		len = 0;
	return (long)len;
}

static long render_status(struct task *p, char **out)
{
	struct tgroup *tg = p->tg;
	const struct creds *c = &tg->cred;

	int len = asprintf(out,
			   "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
			   "PPid:\t%d\nTracerPid:\t0\nUid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\n"
			   "FDSize:\t%d\nGroups:\t\nThreads:\t%d\nSigBlk:\t%016llx\n",
			   tg->comm, tg->fs.umask, "R (running)", tg->pid, p->tid, tg->ppid,
			   c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid,
			   tg->fdt ? tg->fdt->size : 0, tg->nr_threads,
			   (unsigned long long)p->sigmask);
	return len < 0 ? -ENOMEM : len;
}

static long render_stat(struct task *p, char **out)
{
	struct tgroup *tg = p->tg;
	struct mm *mm = tg->mm;
	unsigned long z = 0;

	int len = asprintf(out,
			   "%d (%s) R %d %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 %d 0 0 %lu 0 "
			   "18446744073709551615 0 0 %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 "
			   "%lu %lu %lu %lu %lu %lu 0\n",
			   p->tid, tg->comm, tg->ppid, tg->pgid, tg->sid, tg->nr_threads,
			   mm ? mm->total : z, mm ? mm->start_stack : z, mm ? mm->start_brk : z,
			   mm ? mm->brk : z, mm ? mm->arg_start : z, mm ? mm->arg_end : z,
			   mm ? mm->env_start : z, mm ? mm->env_end : z);
	return len < 0 ? -ENOMEM : len;
}

static long render(struct task *p, int kind, char **out)
{
	struct mm *mm = p->tg->mm;

	*out = NULL;
	switch (kind) {
	case P_MAPS:
		if (!mm)
			return (*out = strdup("")) ? 0 : -ENOMEM;
		hostmaps_sync_stack(p); /* the host grows the stack on demand */
		return mm_render_maps(mm, out);
	case P_CMDLINE:
		return render_mem(p, mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, out);
	case P_ENVIRON:
		return render_mem(p, mm ? mm->env_start : 0, mm ? mm->env_end : 0, out);
	case P_STATUS:
		return render_status(p, out);
	case P_STAT:
		return render_stat(p, out);
	case P_COMM: {
		int len = asprintf(out, "%s\n", p->tg->comm);
		return len < 0 ? -ENOMEM : len;
	}
	default:
		return -ENOENT;
	}
}

static int procfs_open(struct task *t, const struct vfs_node *n, const char *canon, int flags,
		       struct vfs_file **out)
{
	struct stat st;
	char *buf;

	if (S_ISDIR(n->mode))
		return open_dir(t, n, canon, flags, out);
	struct task *p = node_task(t, n);
	if (!p)
		return -ENOENT;
	long len = render(p, n->kind, &buf);
	if (len < 0)
		return (int)len;
	procfs_stat(t, n, &st);
	return vfs_buffile(buf, (size_t)len, flags, canon, &st, out);
}

static int procfs_statfs(const struct vfs_node *n, struct statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = 0x9fa0; /* PROC_SUPER_MAGIC */
	sf->f_bsize = 4096;
	sf->f_frsize = 4096;
	sf->f_namelen = NAME_MAX;
	sf->f_flags = ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC;
	return 0;
}

const struct vfs_fs_ops vfs_procfs_ops = {
	.name = "procfs",
	.root = procfs_root,
	.lookup = procfs_lookup,
	.stat = procfs_stat,
	.readlink = procfs_readlink,
	.magic = procfs_magic,
	.open = procfs_open,
	.statfs = procfs_statfs,
	.readonly = true,
};

/* Magic nodes: where a followed /proc/PID/fd/N leads when the file has no path. */

static int magic_lookup(struct task *t, const struct vfs_node *dir, const char *name,
			struct vfs_node *out)
{
	return -ENOTDIR;
}

static int magic_stat(struct task *t, const struct vfs_node *n, struct stat *st)
{
	return vfs_fstat(n->file, st);
}

static int magic_open(struct task *t, const struct vfs_node *n, const char *canon, int flags,
		      struct vfs_file **out)
{
	struct vfs_file *f = n->file;

	if (f->ops->reopen)
		return f->ops->reopen(f, flags & ~(O_CREAT | O_EXCL | O_TRUNC), out);
	vfs_file_get(f);
	*out = f;
	return 0;
}

static void magic_release(struct vfs_node *n)
{
	vfs_file_put(n->file);
}

const struct vfs_fs_ops vfs_magic_ops = {
	.name = "magic",
	.lookup = magic_lookup,
	.stat = magic_stat,
	.open = magic_open,
	.release = magic_release,
};
