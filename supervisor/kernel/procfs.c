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
 * itself, as on Linux (the VFS's magic nodes, vfs/magic.c).
 * /proc also holds the machine's files (cpuinfo, meminfo, uptime, loadavg,
 * stat, filesystems, version, mounts), the network's (net/unix from net/'s
 * books; net/tcp, tcp6, udp, udp6 from the loopback's) and /proc/sys/kernel's hostname, ostype, osrelease,
 * pid_max and cap_last_cap and /proc/sys/net's somaxconn, ip_local_port_range and
 * max_dgram_qlen, read-only.  A zombie's directory stays
 * until it is reaped, with stat and status (state Z) and empty files.
 * Everything else under /proc is ENOENT.  Files are rendered at open, by
 * procfs_render.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fdkinds.h"
#include "fdtable.h"
#include "gmem.h"
#include "hostmaps.h"
#include "mm.h"
#include "procfs.h"

#define PROC_DEV 0x16

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
	{"task", P_TASK, S_IFDIR | 0555},	{"fdinfo", P_FDINFO, S_IFDIR | 0500},
	{"mounts", P_PMOUNTS, S_IFREG | 0444},	{"statm", P_STATM, S_IFREG | 0444},
	{"net", P_NET, S_IFDIR | 0555},
};

/* The names in /proc besides the pids, and in /proc/sys, /proc/sys/kernel. */
static const struct proc_dir_entry {
	int dir;
	const char *name;
	enum proc_kind kind;
	mode_t mode;
} global_entries[] = {
	{P_ROOT, "self", P_SELF, S_IFLNK | 0777},
	{P_ROOT, "thread-self", P_THREAD_SELF, S_IFLNK | 0777},
	{P_ROOT, "cpuinfo", P_CPUINFO, S_IFREG | 0444},
	{P_ROOT, "meminfo", P_MEMINFO, S_IFREG | 0444},
	{P_ROOT, "uptime", P_UPTIME, S_IFREG | 0444},
	{P_ROOT, "loadavg", P_LOADAVG, S_IFREG | 0444},
	{P_ROOT, "filesystems", P_FILESYSTEMS, S_IFREG | 0444},
	{P_ROOT, "stat", P_GSTAT, S_IFREG | 0444},
	{P_ROOT, "version", P_VERSION, S_IFREG | 0444},
	{P_ROOT, "mounts", P_MOUNTS, S_IFLNK | 0777},
	{P_ROOT, "net", P_NETLINK, S_IFLNK | 0777},
	{P_NET, "arp", P_NET_ARP, S_IFREG | 0444},
	{P_NET, "dev", P_NET_DEV, S_IFREG | 0444},
	{P_NET, "if_inet6", P_NET_IF_INET6, S_IFREG | 0444},
	{P_NET, "igmp", P_NET_IGMP, S_IFREG | 0444},
	{P_NET, "igmp6", P_NET_IGMP6, S_IFREG | 0444},
	{P_NET, "ipv6_route", P_NET_IPV6_ROUTE, S_IFREG | 0444},
	{P_NET, "route", P_NET_ROUTE, S_IFREG | 0444},
	{P_NET, "tcp", P_NET_TCP, S_IFREG | 0444},
	{P_NET, "tcp6", P_NET_TCP6, S_IFREG | 0444},
	{P_NET, "udp", P_NET_UDP, S_IFREG | 0444},
	{P_NET, "udp6", P_NET_UDP6, S_IFREG | 0444},
	{P_NET, "unix", P_NET_UNIX, S_IFREG | 0444},
	{P_ROOT, "sys", P_SYS, S_IFDIR | 0555},
	{P_SYS, "kernel", P_SYSK, S_IFDIR | 0555},
	{P_SYSK, "hostname", P_SYSK_HOSTNAME, S_IFREG | 0444},
	{P_SYSK, "ostype", P_SYSK_OSTYPE, S_IFREG | 0444},
	{P_SYSK, "osrelease", P_SYSK_OSRELEASE, S_IFREG | 0444},
	{P_SYSK, "pid_max", P_SYSK_PIDMAX, S_IFREG | 0444},
	{P_SYSK, "cap_last_cap", P_SYSK_CAPLAST, S_IFREG | 0444},
	{P_SYS, "net", P_SYSN, S_IFDIR | 0555},
	{P_SYSN, "core", P_SYSN_CORE, S_IFDIR | 0555},
	{P_SYSN_CORE, "somaxconn", P_SYSN_SOMAXCONN, S_IFREG | 0444},
	{P_SYSN, "ipv4", P_SYSN_IPV4, S_IFDIR | 0555},
	{P_SYSN_IPV4, "ip_local_port_range", P_SYSN_PORTS, S_IFREG | 0444},
	{P_SYSN, "unix", P_SYSN_UNIX, S_IFDIR | 0555},
	{P_SYSN_UNIX, "max_dgram_qlen", P_SYSN_DGRAM_QLEN, S_IFREG | 0444},
};

/* A directory of global_entries' (below /proc itself). */
static bool global_dir(int kind)
{
	if (kind == P_NET) /* /proc/PID/net: the one network's files */
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(global_entries); i++)
		if ((int)global_entries[i].kind == kind)
			return S_ISDIR(global_entries[i].mode);
	return false;
}

bool procfs_global_kind(int kind)
{
	if (kind == P_ROOT)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(global_entries); i++)
		if ((int)global_entries[i].kind == kind)
			return true;
	return false;
}

static int procfs_root(struct vfs_sb *sb, struct vfs_node *out)
{
	out->fs = &procfs_ops;
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

/* The task a node is about, or NULL when it is gone (or a zombie). */
static struct task *node_task(struct task *t, const struct vfs_node *n)
{
	struct task *p = task_by_tid(t->k, n->tid);

	if (!p || !p->tg || p->tg->pid != n->pid)
		return NULL;
	return p;
}

/*
 * The process a pid node is about (live, or a zombie not yet reaped, or
 * uos's own init: then *p is NULL) into *tg and the thread into *p.  0, or
 * -ENOENT when gone.
 */
static int node_proc(struct task *t, const struct vfs_node *n, struct tgroup **tg,
		     struct task **p)
{
	*p = node_task(t, n);
	if (*p) {
		*tg = (*p)->tg;
		return 0;
	}
	*tg = tg_by_pid(t->k, n->pid);
	if (!*tg || !((*tg)->zombie || (*tg)->reaper) || n->tid != n->pid)
		return -ENOENT;
	return 0;
}

static int node_set(struct vfs_node *out, const struct vfs_node *dir, int kind, mode_t mode)
{
	out->fs = &procfs_ops;
	out->kind = kind;
	out->mode = mode;
	out->pid = dir->pid;
	out->tid = dir->tid;
	return 0;
}

/* A name of /proc, /proc/sys or /proc/sys/kernel (dir is that directory's kind). */
static int lookup_global(int dir, const char *name, struct vfs_node *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(global_entries); i++) {
		const struct proc_dir_entry *e = &global_entries[i];
		if (e->dir == dir && !strcmp(e->name, name))
			return node_set(out, &(struct vfs_node){0}, e->kind, e->mode);
	}
	return -ENOENT;
}

static int lookup_root(struct task *t, const char *name, struct vfs_node *out)
{
	int pid = parse_num(name);
	if (pid < 0)
		return lookup_global(P_ROOT, name, out);
	struct task *p = pid > 0 ? task_by_tid(t->k, pid) : NULL;
	if (!p || !p->tg) {
		struct tgroup *z = pid > 0 ? tg_by_pid(t->k, pid) : NULL;
		if (!z || !(z->zombie || z->reaper)) /* uos's init has no task either */
			return -ENOENT;
		return node_set(out, &(struct vfs_node){.pid = pid, .tid = pid}, P_PID,
				S_IFDIR | 0555);
	}
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
	if (dir->kind == P_FDINFO) {
		node_set(out, dir, P_FDINFO_FILE, S_IFREG | 0444);
		out->fd = fd;
		return 0;
	}
	/* Linux shows the access mode in the link's permissions. */
	int acc = fdt_get(p->tg->fdt, fd)->flags & O_ACCMODE;
	mode_t perm = (acc != O_WRONLY ? 0500 : 0) | (acc != O_RDONLY ? 0300 : 0);
	node_set(out, dir, P_FDLINK, S_IFLNK | perm);
	out->fd = fd;
	return 0;
}

static int procfs_lookup(struct vfs_caller *c, const struct vfs_node *dir, const char *name,
			 struct vfs_node *out)
{
	struct task *t = task_of(c);
	struct tgroup *tg;
	struct task *p;

	switch (dir->kind) {
	case P_ROOT:
		return lookup_root(t, name, out);
	default:
		if (global_dir(dir->kind))
			return lookup_global(dir->kind, name, out);
		break;
	}
	if (node_proc(t, dir, &tg, &p))
		return -ENOENT;
	if (!p) /* a zombie's directory: its files, but no fds or threads */
		return dir->kind == P_PID ? lookup_piddir(t, dir, name, out) : -ENOENT;
	switch (dir->kind) {
	case P_PID:
	case P_TID:
		return lookup_piddir(t, dir, name, out);
	case P_TASK:
		return lookup_task(t, dir, name, out);
	case P_FD:
	case P_FDINFO:
		return lookup_fd(t, dir, name, out);
	default:
		return -ENOTDIR;
	}
}

static unsigned long node_ino(const struct vfs_node *n)
{
	if (n->kind == P_ROOT)
		return 1;
	if (!n->pid)
		return 0xf0000000UL + (unsigned long)n->kind;
	return ((unsigned long)n->tid << 16) ^ ((unsigned long)n->fd << 8) ^ (n->kind + 2);
}

static int procfs_stat(struct vfs_caller *c, const struct vfs_node *n, struct stat *st)
{
	struct task *t = task_of(c);
	bool global = procfs_global_kind(n->kind);
	struct tgroup *tg = NULL;
	struct task *p;
	struct timespec now;

	if (!global && node_proc(t, n, &tg, &p))
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_REALTIME, &now);
	st->st_dev = PROC_DEV;
	st->st_ino = node_ino(n);
	st->st_mode = n->mode;
	st->st_nlink = S_ISDIR(n->mode) ? 2 : 1;
	st->st_blksize = 1024;
	st->st_atim = st->st_mtim = st->st_ctim = now;
	if (tg) {
		st->st_uid = tg->cred.euid;
		st->st_gid = tg->cred.egid;
	}
	return 0;
}

/* A kept path as the reader t sees it from its root, then suffix. */
static int seen(struct task *t, const char *path, const char *suffix, char *buf, size_t size)
{
	char p[PATH_MAX];

	vfs_path_seen(&t->vc, path, p, sizeof(p));
	return snprintf(buf, size, "%s%s", p, suffix);
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
	case P_MOUNTS:
		return snprintf(buf, size, "self/mounts");
	case P_NETLINK:
		return snprintf(buf, size, "self/net");
	case P_EXE:
		return p && p->tg->exe ? seen(t, p->tg->exe, "", buf, size) : -ENOENT;
	case P_CWD:
		return p && p->tg->fs.cwd ? seen(t, p->tg->fs.cwd, "", buf, size) : -ENOENT;
	case P_ROOTLINK:
		return p ? seen(t, vfs_root(&p->vc), "", buf, size) : -ENOENT;
	case P_FDLINK:
		f = p && p->tg->fdt ? fdt_get(p->tg->fdt, n->fd) : NULL;
		return f ? seen(t, f->path, f->removed ? " (deleted)" : "", buf, size) : -ENOENT;
	default:
		return -EINVAL;
	}
}

static long procfs_readlink(struct vfs_caller *c, const struct vfs_node *n, char *buf, size_t size)
{
	struct task *t = task_of(c);
	char text[PATH_MAX + 1];
	int len = link_text(t, n, text, sizeof(text));

	if (len < 0)
		return len;
	if ((size_t)len > size)
		len = (int)size;
	memcpy(buf, text, len);
	return len;
}

static int procfs_magic(struct vfs_caller *c, const struct vfs_node *n, struct vfs_file **out)
{
	struct task *t = task_of(c);
	if (n->kind != P_FDLINK)
		return 0;
	struct task *p = node_task(t, n);
	struct vfs_file *f = p && p->tg->fdt ? fdt_get(p->tg->fdt, n->fd) : NULL;
	if (!f)
		return -ENOENT;
	/* A file with a path is reopened by it; an O_TMPFILE or removed file has none. */
	if (!f->ops->reopen && f->path[0] == '/' && !f->tmpnode && !f->removed)
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
	for (struct tgroup *tg = k->procs; tg; tg = tg->next)
		n++;
	return n;
}

/* The fixed names of the global directory dir, from e[n] on; the new count. */
static int list_globals(int dir, struct vfs_dirent *e, int n)
{
	for (size_t i = 0; i < ARRAY_SIZE(global_entries); i++) {
		const struct proc_dir_entry *g = &global_entries[i];
		if (g->dir != dir)
			continue;
		e[n].ino = node_ino(&(struct vfs_node){.kind = g->kind});
		e[n].type = S_ISDIR(g->mode) ? DT_DIR : S_ISLNK(g->mode) ? DT_LNK : DT_REG;
		strcpy(e[n++].name, g->name);
	}
	return n;
}

/* /proc: the fixed names, then every process, live or zombie, by pid. */
static int list_root(struct task *t, struct vfs_dirent **out)
{
	int n = 2, cap = 2 + (int)ARRAY_SIZE(global_entries) + count_tasks(t->k);
	struct vfs_dirent *e = calloc(cap, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e[0] = (struct vfs_dirent){1, DT_DIR, "."};
	e[1] = (struct vfs_dirent){2, DT_DIR, ".."};
	n = list_globals(P_ROOT, e, n);
	for (struct tgroup *tg = t->k->procs; tg && n < cap; tg = tg->next) {
		if (!tg->zombie && !tg->nr_threads && !tg->reaper)
			continue;
		e[n].ino = (unsigned long)tg->pid << 16 | 2;
		e[n].type = DT_DIR;
		snprintf(e[n++].name, sizeof(e->name), "%d", tg->pid);
	}
	*out = e;
	return n;
}

/* /proc/sys and /proc/sys/kernel. */
static int list_sys(const struct vfs_node *dir, struct vfs_dirent **out)
{
	struct vfs_dirent *e = calloc(ARRAY_SIZE(global_entries) + 2, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e[0] = (struct vfs_dirent){node_ino(dir), DT_DIR, "."};
	e[1] = (struct vfs_dirent){1, DT_DIR, ".."};
	*out = e;
	return list_globals(dir->kind, e, 2);
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
		struct vfs_node child = {.kind = dir->kind == P_FD ? P_FDLINK : P_FDINFO_FILE,
					 .pid = dir->pid, .tid = dir->tid, .fd = fd};
		e[n].ino = node_ino(&child);
		e[n].type = dir->kind == P_FD ? DT_LNK : DT_REG;
		snprintf(e[n++].name, sizeof(e->name), "%d", fd);
	}
	*out = e;
	return n;
}

static int open_dir(struct task *t, const struct vfs_node *n, const char *canon, int flags,
		    struct vfs_file **out)
{
	struct task *p = NULL;
	struct tgroup *tg;
	struct vfs_dirent *ents = NULL;
	struct stat st;
	int cnt;

	if (n->kind == P_ROOT)
		cnt = list_root(t, &ents);
	else if (global_dir(n->kind))
		cnt = list_sys(n, &ents);
	else if (node_proc(t, n, &tg, &p))
		cnt = -ENOENT;
	else if (n->kind == P_PID || n->kind == P_TID)
		cnt = list_piddir(n, &ents);
	else if (!p)
		cnt = -ENOENT;
	else if (n->kind == P_TASK)
		cnt = list_task(t, n, &ents);
	else
		cnt = list_fd(p, n, &ents);
	if (cnt < 0)
		return cnt;
	procfs_stat(&t->vc, n, &st);
	int err = vfs_dirfile(ents, cnt, &st, flags, canon, out);
	if (!err)
		vfs_dirfile_nosync(*out); /* proc's directories have no fsync: EINVAL */
	return err;
}

/* /proc/PID/maps again, at a read: the process's books as they are now. */
static long render_maps_now(struct kernel *k, int pid, char **out)
{
	struct tgroup *tg = tg_by_pid(k, pid);
	struct task *p = tg && !tg->zombie ? tg_task(tg, k) : NULL;
	if (!p || !tg->mm)
		return (*out = strdup("")) ? 0 : -ENOMEM;
	hostmaps_sync_stack(p);
	return mm_render_maps(tg->mm, out);
}

/* The name the comm file of thread tid shows (a zombie's too), or NULL. */
static const char *comm_of(struct kernel *k, int tid)
{
	struct task *p = task_by_tid(k, tid);
	struct tgroup *tg = p ? NULL : tg_by_pid(k, tid);

	return p ? task_comm(p) : tg ? tg->comm : NULL;
}

static long render_comm_now(struct kernel *k, int tid, char **out)
{
	const char *comm = comm_of(k, tid);

	if (!comm)
		return -ESRCH;
	int len = asprintf(out, "%s\n", comm);
	return len < 0 ? -ENOMEM : len;
}

/*
 * comm_write (fs/proc/base.c): the first 15 bytes become the name, as
 * prctl(PR_SET_NAME) sets it (a newline included); only the thread's own
 * process may (EINVAL for others), ESRCH once it is gone.
 */
static long write_comm(struct kernel *k, int tid, int writer, const void *buf, size_t len)
{
	struct task *p = task_by_tid(k, tid);
	char name[16] = "";

	if (!p)
		return -ESRCH;
	if (p->tg->pid != writer)
		return -EINVAL;
	memcpy(name, buf, len < sizeof(name) - 1 ? len : sizeof(name) - 1);
	memcpy(task_comm(p), name, sizeof(name));
	return (long)len;
}

/* proc_reg_write: a file of /proc itself without a write op gives EIO (PID files: EINVAL). */
static long write_eio(struct kernel *k, int id, int writer, const void *buf, size_t len)
{
	return -EIO;
}

/* /proc/PID/comm and .../task/TID/comm: read when read, writable by the process itself. */
static int open_comm(struct task *t, const struct vfs_node *n, char *buf, long len, int flags,
		     const char *canon, const struct stat *st, struct vfs_file **out)
{
	int err = vfs_buffile_live(buf, (size_t)len, flags, canon, st, render_comm_now, t->k,
				   n->tid, out);

	if (!err)
		vfs_buffile_set_write(*out, write_comm, t->tg->pid);
	return err;
}

static int procfs_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		       struct vfs_file **out)
{
	struct task *t = task_of(c);
	struct tgroup *tg;
	struct task *p;
	struct stat st;
	char *buf;
	long len;

	if (S_ISDIR(n->mode))
		return open_dir(t, n, canon, flags, out);
	/* proc_sys_permission: no write to a sysctl without a w bit, root or not (P_SYS* last). */
	if ((flags & O_ACCMODE) != O_RDONLY && n->kind >= P_SYS && !(n->mode & 0222))
		return -EACCES;
	if (procfs_global_kind(n->kind))
		len = procfs_render_global(t, n->kind, &buf);
	else if (node_proc(t, n, &tg, &p))
		return -ENOENT;
	else
		len = procfs_render(t, tg, p, n->kind, n->fd, &buf);
	if (len < 0)
		return (int)len;
	procfs_stat(&t->vc, n, &st);
	if (n->kind == P_COMM)
		return open_comm(t, n, buf, len, flags, canon, &st, out);
	if (procfs_global_kind(n->kind)) {
		int err = vfs_buffile(buf, (size_t)len, flags, canon, &st, out);
		if (!err)
			vfs_buffile_set_write(*out, write_eio, 0);
		return err;
	}
	if (n->kind == P_MAPS) /* shows the mappings when read, as Linux's seq file does */
		return vfs_buffile_live(buf, (size_t)len, flags, canon, &st, render_maps_now, t->k,
					tg->pid, out);
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

const struct vfs_fs_ops procfs_ops = {
	.name = "procfs",
	.root = procfs_root,
	.lookup = procfs_lookup,
	.stat = procfs_stat,
	.readlink = procfs_readlink,
	.magic = procfs_magic,
	.open = procfs_open,
	.statfs = procfs_statfs,
	.readonly = true,
	.fixed_names = true,
};
