/*
 * The contents of procfs's files, rendered at open from uos's books.
 *
 * Ids, names, states, parents, groups, credentials, thread counts, the
 * address-space layout and open files come from uos's process table, mm
 * books and fd tables; what only the host kernel knows about a guest
 * thread (CPU times, start time, resident pages, the signal masks the
 * host applies, context switches) is taken from the host's view of that
 * very thread (/proc/HPID/...), never from another process.  Files that
 * describe the machine (cpuinfo, meminfo, uptime, loadavg, stat) are the
 * host's, since the guest runs on the host's CPUs and memory.
 *
 * States: a zombie is Z, a job-stopped task T, a task parked in uos or
 * sleeping in a host call S, any other R.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fdtable.h"
#include "fdkinds.h"
#include "gmem.h"
#include "hostmaps.h"
#include "mm.h"
#include "procfs.h"
#include "vfs_tty.h"

#define PROC_MAX_ARGS (1 << 20) /* cmdline/environ bytes rendered at most */
#define PROC_HOST_MAX (1 << 20) /* bytes of a host file copied at most */
#define STAT_FIELDS 52

/* A host file's contents (malloc'd, NUL-terminated) and its length, or -errno. */
static long host_file(const char *path, char **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, len = 0;

	if (fd < 0)
		return -errno;
	char *buf = malloc(cap);
	while (buf) {
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len + 1 == cap && cap < PROC_HOST_MAX) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		} else if (len + 1 == cap) {
			break;
		}
	}
	close(fd);
	if (!buf)
		return -ENOMEM;
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}

/* A copy of s, or NULL-safe empty string result as -ENOMEM. */
static long dup_text(const char *s, char **out)
{
	*out = strdup(s);
	return *out ? (long)strlen(s) : -ENOMEM;
}

/* The host's state letter of thread p ('?' when unknown). */
static char host_state(const struct task *p)
{
	char path[64], *buf;
	char st = '?';

	snprintf(path, sizeof(path), "/proc/%d/stat", p->hpid);
	if (host_file(path, &buf) < 0)
		return st;
	char *rp = strrchr(buf, ')');
	if (rp && rp[1] == ' ')
		st = rp[2];
	free(buf);
	return st;
}

/* The state letter of thread p of tg (p NULL: the process is a zombie, or uos's init). */
static char task_state(const struct tgroup *tg, const struct task *p)
{
	if (tg->reaper) /* uos's own init, waiting for orphans */
		return 'S';
	if (tg->zombie || !p)
		return 'Z';
	if (p->state == TASK_JOBSTOP || tg->stopped)
		return 'T';
	if (task_parked(p))
		return 'S';
	if (p->stop == TASK_NOTIFIED) /* in a call uos serves (the host says it sleeps) */
		return 'R';
	char h = host_state(p);
	return h == 'S' || h == 'D' ? 'S' : 'R';
}

static const char *state_name(char s)
{
	switch (s) {
	case 'Z':
		return "Z (zombie)";
	case 'T':
		return "T (stopped)";
	case 'S':
		return "S (sleeping)";
	default:
		return "R (running)";
	}
}

/*
 * The host's stat fields of thread p (1-based as proc(5) numbers them;
 * f[1] and f[2] unused) into f, pointing into *buf (caller frees).  The
 * fields missing are "0".
 */
static void host_stat_fields(const struct task *p, char **buf, const char *f[STAT_FIELDS + 1])
{
	char path[64];

	if (p) {
		snprintf(path, sizeof(path), "/proc/%d/stat", p->hpid);
		uos_proc_stat(path, buf, f, STAT_FIELDS + 1);
		return;
	}
	for (int i = 0; i <= STAT_FIELDS; i++)
		f[i] = "0";
	*buf = NULL;
}

static long render_stat(struct task *t, struct tgroup *tg, struct task *p, char **out)
{
	struct mm *mm = p ? tg->mm : NULL;
	const char *f[STAT_FIELDS + 1];
	char *hbuf, num[24][24];
	int ni = 0;
	char *o = NULL;
	size_t olen = 0;

/* Replace field i with the decimal v (into the num pool). */
#define SETF(i, fmt, v)                                                                            \
	do {                                                                                       \
		snprintf(num[ni], sizeof(num[ni]), fmt, v);                                        \
		f[i] = num[ni++];                                                                  \
	} while (0)
	host_stat_fields(p, &hbuf, f);
	SETF(3, "%c", task_state(tg, p));
	SETF(4, "%d", tg->ppid);
	SETF(5, "%d", tg->pgid);
	SETF(6, "%d", tg->sid);
	if (tg->ctty) { /* one of uos's: /dev/pts/N, 136:N in new_encode_dev's form */
		int n = vfs_tty_index(tg->ctty), pgrp = vfs_tty_pgrp(tg->ctty);
		SETF(7, "%d", (n & 0xff) | (136 << 8) | ((n & ~0xff) << 12));
		SETF(8, "%d", pgrp ? pgrp : -1);
	} else { /* the user's terminal, or none (tty_nr 0): no foreground group either */
		SETF(8, "%d", strcmp(f[7], "0") && t->k->fg_pgid ? t->k->fg_pgid : -1);
	}
	SETF(19, "%d", p ? p->nice : 0);
	SETF(20, "%d", tg->nr_threads ? tg->nr_threads : 1); /* a zombie leader counts */
	SETF(23, "%lu", mm ? mm->total : 0UL);
	if (mm) {
		SETF(28, "%lu", mm->start_stack);
		SETF(47, "%lu", mm->start_brk);
		SETF(48, "%lu", mm->brk);
		SETF(49, "%lu", mm->arg_start);
		SETF(50, "%lu", mm->arg_end);
		SETF(51, "%lu", mm->env_start);
		SETF(52, "%lu", mm->env_end);
	}
	if (!p)
		SETF(52, "%d", tg->wstatus);
#undef SETF
	FILE *fp = open_memstream(&o, &olen);
	if (!fp) {
		free(hbuf);
		return -ENOMEM;
	}
	fprintf(fp, "%d (%s)", p ? p->tid : tg->pid, p ? task_comm(p) : tg->comm);
	for (int i = 3; i <= STAT_FIELDS; i++)
		fprintf(fp, " %s", f[i]);
	fputc('\n', fp);
	fclose(fp);
	free(hbuf);
	*out = o;
	return o ? (long)olen : -ENOMEM;
}

/* Copy the host status lines of p that start with one of keys into fp. */
static void host_status_lines(const struct task *p, FILE *fp, const char *const *keys)
{
	char path[64], *buf;

	if (!p)
		return;
	snprintf(path, sizeof(path), "/proc/%d/status", p->hpid);
	if (host_file(path, &buf) < 0)
		return;
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		for (const char *const *k = keys; *k; k++) {
			size_t kl = strlen(*k);
			if (n > kl && !strncmp(line, *k, kl) && line[kl] == ':') {
				fwrite(line, 1, n, fp);
				fputc('\n', fp);
				break;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
}

static const char *const status_mem_keys[] = {"VmHWM", "VmRSS", "RssAnon", "RssFile",
					      "RssShmem", NULL};
static const char *const status_sig_keys[] = {"SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn",
					      "SigCgt", NULL};
static const char *const status_tail_keys[] = {"Cpus_allowed", "Cpus_allowed_list",
					       "Mems_allowed", "Mems_allowed_list",
					       "voluntary_ctxt_switches",
					       "nonvoluntary_ctxt_switches", NULL};

/*
 * The capability sets from the books (task_cap in fs/proc/array.c) and
 * uos's own no_new_privs (the host's is always set, and not the guest's).
 */
static void cap_lines(const struct tgroup *tg, FILE *fp)
{
	const struct creds *c = &tg->cred;

	fprintf(fp, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\n"
		    "CapAmb:\t%016llx\nNoNewPrivs:\t%d\n",
		(unsigned long long)c->cap_inh, (unsigned long long)c->cap_prm,
		(unsigned long long)c->cap_eff, (unsigned long long)c->cap_bnd,
		(unsigned long long)c->cap_amb, tg->no_new_privs);
}

/* A zombie's signal lines: nothing pending or blocked; actions from the books. */
static void books_sig_lines(const struct tgroup *tg, FILE *fp)
{
	unsigned long long ign = 0, cgt = 0;

	for (int i = 0; i < 64; i++) {
		unsigned long h = tg->sig.action[i].handler;
		if (h == (unsigned long)SIG_IGN)
			ign |= 1ULL << i;
		else if (h != (unsigned long)SIG_DFL)
			cgt |= 1ULL << i;
	}
	fprintf(fp, "SigQ:\t0/0\nSigPnd:\t%016x\nShdPnd:\t%016x\nSigBlk:\t%016x\n"
		    "SigIgn:\t%016llx\nSigCgt:\t%016llx\n", 0, 0, 0, ign, cgt);
}

static long render_status(struct task *t, struct tgroup *tg, struct task *p, char **out)
{
	const struct creds *c = &tg->cred;
	char *o = NULL;
	size_t olen = 0;
	FILE *fp = open_memstream(&o, &olen);

	if (!fp)
		return -ENOMEM;
	fprintf(fp, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
		    "PPid:\t%d\nTracerPid:\t0\nUid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\n"
		    "FDSize:\t%d\nGroups:\t",
		p ? task_comm(p) : tg->comm, tg->fs.umask, state_name(task_state(tg, p)), tg->pid,
		p ? p->tid : tg->pid, tg->ppid, c->uid, c->euid, c->suid, c->fsuid, c->gid,
		c->egid, c->sgid, c->fsgid, p && tg->fdt ? tg->fdt->size : 0);
	for (int i = 0; i < c->ngroups; i++)
		fprintf(fp, "%d ", c->groups[i]);
	fprintf(fp, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", tg->pid,
		p ? p->tid : tg->pid, tg->pgid, tg->sid);
	if (p && tg->mm) {
		fprintf(fp, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n", tg->mm->total >> 10,
			tg->mm->total >> 10);
		host_status_lines(p, fp, status_mem_keys);
	}
	fprintf(fp, "Threads:\t%d\n", tg->nr_threads ? tg->nr_threads : 1);
	if (p)
		host_status_lines(p, fp, status_sig_keys);
	else
		books_sig_lines(tg, fp);
	cap_lines(tg, fp);
	host_status_lines(p, fp, status_tail_keys);
	fclose(fp);
	*out = o;
	return o ? (long)olen : -ENOMEM;
}

/* size resident shared text lib data dt, in pages: size from the books, rss from the host. */
static long render_statm(struct tgroup *tg, struct task *p, char **out)
{
	unsigned long size = tg->mm ? tg->mm->total / 4096 : 0, rss = 0, shared = 0;
	char path[64], *buf;

	snprintf(path, sizeof(path), "/proc/%d/statm", p->hpid);
	if (host_file(path, &buf) >= 0) {
		unsigned long hsize;
		if (sscanf(buf, "%lu %lu %lu", &hsize, &rss, &shared) != 3)
			rss = shared = 0;
		free(buf);
	}
	int len = asprintf(out, "%lu %lu %lu 0 0 %lu 0\n", size, rss, shared, size);
	return len < 0 ? -ENOMEM : len;
}

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

static long render_fdinfo(struct tgroup *tg, int fd, char **out)
{
	struct vfs_file *f = tg->fdt ? fdt_get(tg->fdt, fd) : NULL;
	struct stat st;

	if (!f)
		return -ENOENT;
	int flags = f->flags | (fdt_get_cloexec(tg->fdt, fd) > 0 ? O_CLOEXEC : 0);
	if (vfs_fstat(f, &st))
		memset(&st, 0, sizeof(st));
	struct tgroup *ptg;
	char extra[64] = "";
	int pid = vfs_pidfd_target(f, &ptg);
	if (pid >= 0) /* a pidfd: the pid it names, -1 once reaped */
		snprintf(extra, sizeof(extra), "Pid:\t%d\nNSpid:\t%d\n", ptg ? pid : -1,
			 ptg ? pid : -1);
	int len = asprintf(out, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%u\nino:\t%lu\n%s",
			   (long long)(f->seekable ? f->pos : 0), flags,
			   (unsigned)minor(st.st_dev) + 20, (unsigned long)st.st_ino, extra);
	return len < 0 ? -ENOMEM : len;
}

/* The Linux type name and source of a mounted filesystem. */
static void mount_names(const struct vfs_mount *m, const char **type, const char **src)
{
	const char *n = m->fs->name;

	*type = n;
	*src = n;
	if (!strcmp(n, "procfs"))
		*type = *src = "proc";
	else if (!strcmp(n, "devfs"))
		*type = "devtmpfs", *src = "udev";
	else if (!strcmp(n, "hostfs"))
		*src = "host";
}

static long render_mounts(struct task *t, char **out)
{
	struct vfs_ns *ns = t->k->vfs;
	char *o = NULL;
	size_t olen = 0;
	FILE *fp = open_memstream(&o, &olen);

	if (!fp)
		return -ENOMEM;
	for (int i = 0; ns && i < ns->nmounts; i++) {
		const struct vfs_mount *m = &ns->mounts[i];
		const char *type, *src;
		mount_names(m, &type, &src);
		fprintf(fp, "%s %s %s %s,relatime%s 0 0\n", src, m->path, type,
			m->sb && m->sb->readonly ? "ro" : "rw",
			!strcmp(type, "devpts") ? ",mode=600,ptmxmode=000" : ""); /* devpts.c's modes */
		if (!strcmp(m->path, "/dev"))
			fprintf(fp, "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n");
	}
	fclose(fp);
	*out = o;
	return o ? (long)olen : -ENOMEM;
}

long procfs_render(struct task *t, struct tgroup *tg, struct task *p, int kind, int fd,
		   char **out)
{
	struct mm *mm = tg->mm;

	*out = NULL;
	if (kind == P_STAT)
		return render_stat(t, tg, p, out);
	if (kind == P_STATUS)
		return render_status(t, tg, p, out);
	if (kind == P_COMM) { /* a zombie keeps its name */
		int len = asprintf(out, "%s\n", p ? task_comm(p) : tg->comm);
		return len < 0 ? -ENOMEM : len;
	}
	if (!p) /* a zombie: nothing else left but empty files */
		return kind == P_CMDLINE || kind == P_ENVIRON || kind == P_MAPS ? dup_text("", out)
										: -ENOENT;
	switch (kind) {
	case P_MAPS:
		if (!mm)
			return dup_text("", out);
		hostmaps_sync_stack(p); /* the host grows the stack on demand */
		return mm_render_maps(mm, out);
	case P_CMDLINE:
		return render_mem(p, mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, out);
	case P_ENVIRON:
		return render_mem(p, mm ? mm->env_start : 0, mm ? mm->env_end : 0, out);
	case P_STATM:
		return render_statm(tg, p, out);
	case P_FDINFO_FILE:
		return render_fdinfo(tg, fd, out);
	case P_PMOUNTS:
		return render_mounts(t, out);
	default:
		return -ENOENT;
	}
}

static const char filesystems_text[] = "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\n"
				       "nodev\tdevtmpfs\nnodev\tpipefs\nnodev\toverlay\n"
				       "\text2\n";

/* The headers of /proc/net's TCP and UDP tables, as Linux prints them. */
static const char *const inet_headers[] = {
	[P_NET_TCP - P_NET_TCP] = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n",
	[P_NET_TCP6 - P_NET_TCP] = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
	[P_NET_UDP - P_NET_TCP] = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            \n",
	[P_NET_UDP6 - P_NET_TCP] = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n",
};

long procfs_render_global(struct task *t, int kind, char **out)
{
	struct utsname u;
	int len = 0;

	*out = NULL;
	switch (kind) {
	case P_CPUINFO:
		return host_file("/proc/cpuinfo", out);
	case P_MEMINFO:
		return host_file("/proc/meminfo", out);
	case P_UPTIME:
		return host_file("/proc/uptime", out);
	case P_LOADAVG:
		return host_file("/proc/loadavg", out);
	case P_GSTAT:
		return host_file("/proc/stat", out);
	case P_FILESYSTEMS:
		return dup_text(filesystems_text, out);
	case P_SYSK_HOSTNAME:
		len = asprintf(out, "%s\n", t->k->opts.hostname[0] ? t->k->opts.hostname : "uos");
		break;
	case P_SYSK_OSTYPE:
		return dup_text("Linux\n", out);
	case P_SYSK_OSRELEASE:
	case P_VERSION:
		if (uname(&u))
			return -errno;
		if (kind == P_VERSION)
			len = asprintf(out, "Linux version %s (uos) %s\n", u.release, u.version);
		else
			len = asprintf(out, "%s\n", u.release);
		break;
	case P_SYSK_PIDMAX:
		return dup_text("4194304\n", out);
	case P_SYSK_CAPLAST:
		len = asprintf(out, "%d\n", CREDS_CAP_LAST);
		break;
	case P_NET_UNIX:
		return net_proc_unix(&t->k->net, out);
	case P_NET_TCP:
	case P_NET_TCP6:
	case P_NET_UDP:
	case P_NET_UDP6:
		return net_proc_inet(&t->k->net, kind == P_NET_TCP || kind == P_NET_TCP6,
				     kind == P_NET_TCP6 || kind == P_NET_UDP6,
				     inet_headers[kind - P_NET_TCP], out);
	case P_NET_ARP:
		return net_proc_iface(NET_PROC_ARP, out);
	case P_NET_DEV:
		return net_proc_iface(NET_PROC_DEV, out);
	case P_NET_IF_INET6:
		return net_proc_iface(NET_PROC_IF_INET6, out);
	case P_NET_IGMP:
		return net_proc_iface(NET_PROC_IGMP, out);
	case P_NET_IGMP6:
		return net_proc_iface(NET_PROC_IGMP6, out);
	case P_NET_ROUTE:
		return net_proc_iface(NET_PROC_ROUTE, out);
	case P_NET_IPV6_ROUTE:
		return net_proc_iface(NET_PROC_IPV6_ROUTE, out);
	case P_SYSN_SOMAXCONN:
		len = asprintf(out, "%d\n", NET_SOMAXCONN);
		break;
	case P_SYSN_PORTS:
		len = asprintf(out, "%d\t%d\n", NET_PORT_FIRST, NET_PORT_LAST);
		break;
	case P_SYSN_DGRAM_QLEN:
		len = asprintf(out, "%d\n", NET_UNIX_MAX_DGRAM_QLEN);
		break;
	default:
		return -ENOENT;
	}
	return len < 0 ? -ENOMEM : len;
}
