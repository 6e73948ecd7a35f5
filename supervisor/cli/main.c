/*
 * The command line: options, the first guest, and uos's exit status.
 * Misuse gets one line on stderr and a shell-like status: 2 for bad usage,
 * 127 when the program is not found, 126 when it cannot be executed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"
#include "console.h"
#include "mkfs.h"
#include "exec.h"
#include "fdkinds.h"
#include "guest.h"
#include "kernel.h"
#include "loop.h"
#include "repath.h"
#include "resolvconf.h"
#include "scheduler.h"
#include "sigsend.h"
#include "stats.h"
#include "stub.h"
#include "syscall.h"
#include "task.h"
#include "trace.h"
#include "trap.h"
#include "vfs.h"

extern char **environ;

static const char usage[] =
	"usage: uos [options] [--] PROGRAM [ARGS...]\n"
	"Run PROGRAM under uos: every system call it makes is trapped and answered\n"
	"by uos's own kernel.  The host's / is seen under a private in-memory\n"
	"overlay: the guest may write anywhere, the host is never changed.\n"
	"\n"
	"  --trace[=FILE]      print one line per system call (to stderr or FILE)\n"
	"  --summary           print call counts, unsupported calls and uos's stops and host calls at exit\n"
	"                      (every call then stops, as with --no-notify, so that each is counted)\n"
	"  --warn-unsupported  say so on stderr the first time each unsupported call is\n"
	"                      made (by default it only fails, with Linux's errno)\n"
	"  --user UID[:GID]    the guest's uid and gid inside (default 0:0); as in a\n"
	"                      container, no no_new_privs: set-user-ID programs and\n"
	"                      file capabilities raise the guest's ids inside uos only\n"
	"  --host-user UID[:GID]  the host uid and gid that guest processes run as when\n"
	"                      uos is root (default: 0x70000000 + uos's pid, no other\n"
	"                      process's); they hold no capabilities and are Landlocked\n"
	"  --hostname NAME     the guest's hostname (default uos)\n"
	"  --init              (the default) uos's own init is PID 1 and reaps orphans;\n"
	"                      PROGRAM is PID 2, and the signals it gets act as they do\n"
	"                      natively (kill -9 $$ ends it: uos exits 137)\n"
	"  --pid1              container semantics: PROGRAM is PID 1 of its pid space,\n"
	"                      with a namespace init's signal rules (a signal without a\n"
	"                      handler sent by a guest is ignored) and orphans to reap\n"
	"  --pids N            at most N guest tasks, zombies included (default: one per\n"
	"                      512 KiB of RAM, 512 to 32768); fork and clone beyond: EAGAIN\n"
	"  --memory SIZE       at most SIZE bytes (K, M, G) of guest memory: mappings, tmpfs\n"
	"                      data and pipe buffers together; beyond: ENOMEM (tmpfs: ENOSPC)\n"
	"  --tmpfs-size SIZE   at most SIZE bytes of data in the guest's in-memory files\n"
	"                      (overlay upper layer, /tmp, --tmpfs, memfds) together;\n"
	"                      beyond: ENOSPC (default: half of RAM, within --memory)\n"
	"  --sched=host        guest tasks run in parallel on the host's CPUs (default)\n"
	"  --sched=serial[:SEED]  one task at a time, the next picked by a generator seeded\n"
	"                      with SEED (default 1): the same seed replays the same order\n"
	"                      of syscalls, to find concurrency bugs\n"
	"  --root DIR          the guest's / is DIR (read-only, under the in-memory overlay)\n"
	"  --root IMAGE[:ro]   the guest's / is the ext2 image IMAGE, writable: the guest's\n"
	"                      changes persist in it (with :ro, or with --overlay, it is\n"
	"                      read-only under the overlay); /tmp is then an empty tmpfs\n"
	"  --overlay IMAGE     keep the overlay's upper layer (the guest's changes) in the\n"
	"                      ext2 image IMAGE, created (1 GiB, sparse) when missing\n"
	"  --mount SRC:DST[:ro|rw]  mount host directory SRC at DST (read-only unless rw);\n"
	"                      a regular file SRC is mounted as an ext2 image\n"
	"  --tmpfs DST         mount an empty in-memory tmpfs at DST\n"
	"  --net=none          TCP and UDP reach only uos's own loopback (default)\n"
	"  --net=host          TCP and UDP sockets are host sockets uos makes and\n"
	"                      serves; AF_UNIX stays uos's own\n"
	"  --publish [HOSTADDR:]HOSTPORT:GUESTPORT[/udp]  (repeatable, --net=none)\n"
	"                      listen on the host (HOSTADDR default 0.0.0.0, [v6] in\n"
	"                      brackets) and join each connection to the guest's\n"
	"                      listener on its loopback port GUESTPORT, as docker run\n"
	"                      -p (/udp: datagrams to its UDP socket, replies back)\n"
	"  --stop-timeout SECONDS  SIGTERM to uos goes to PROGRAM; guests still alive SECONDS\n"
	"                      later (default 2, fractions allowed) are killed, images synced,\n"
	"                      and uos exits with 137 (128+SIGKILL); 0, or a second SIGTERM,\n"
	"                      kills them at once\n"
	"  --no-notify         every call the filter does not let pass is a ptrace stop;\n"
	"                      by default the calls that need no register and no call\n"
	"                      made in the guest (the id getters, stat, open, read, write,\n"
	"                      close, fcntl, ioctl, pipes, sockets, wait4, the path calls,\n"
	"                      anonymous mmap, munmap, mprotect, rt_sigaction, exit) go to\n"
	"                      a seccomp listener instead, with no stop (faster but for\n"
	"                      fork and exec, whose stops cost more: docs/ARCHITECTURE.md)\n"
	"  --notify            the listener (the default)\n"
	"  --syscalls          print the syscall support table and exit\n"
	"  --help              print this help and exit\n"
	"\n"
	"Subcommands (each has --help):\n"
	"  uos mkfs IMAGE SIZE [--from DIR|TAR|-] [--block-size N] [--force]\n"
	"                      make an ext2 image, e.g. for --root (see uos mkfs --help)\n"
	"  uos fsck IMAGE      check an image (e2fsck -fn)\n"
	"  uos conform PATH... run test programs natively and under uos, compare\n"
	"\n"
	"Images: a writable image is used by one uos at a time (another is refused with\n"
	"the holder's pid; read-only uses share it); sync, fsync and O_SYNC writes reach\n"
	"the image file and the host's disk before they return, and changes older than\n"
	"30 s are written back every 5 s.\n"
	"\n"
	"Examples:\n"
	"  uos python3 -c 'import os; print(os.getpid())'    prints 2\n"
	"  uos --summary sh -c 'echo x > /tmp/f'             the host's /tmp is untouched\n"
	"  uos mkfs root.img 64M --from rootfs/ && uos --root root.img /bin/sh\n";

static _Noreturn __attribute__((format(printf, 2, 3))) void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	uos_vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

/* UID[:GID] of option opt (GID defaults to UID). */
static void parse_ids(const char *opt, const char *s, uid_t *uidp, gid_t *gidp)
{
	char *end;
	unsigned long uid = strtoul(s, &end, 10), gid = uid;
	if (end == s || (*end && *end != ':'))
		die(2, "%s: expected UID[:GID], got '%s'", opt, s);
	if (*end == ':') {
		const char *g = end + 1;
		gid = strtoul(g, &end, 10);
		if (end == g || *end)
			die(2, "%s: expected UID[:GID], got '%s'", opt, s);
	}
	if (uid > 0xfffffffe || gid > 0xfffffffe)
		die(2, "%s: id out of range in '%s'", opt, s);
	*uidp = (uid_t)uid;
	*gidp = (gid_t)gid;
}

/* --host-user: containment on, with ids that are not root's. */
static void parse_host_user(struct kernel *k, const char *s)
{
	struct contain_opts *o = &k->opts.contain;

	parse_ids("--host-user", s, &o->uid, &o->gid);
	if (o->uid == 0 || o->gid == 0)
		die(2, "--host-user: 0 is root; expected an unprivileged uid and gid, got '%s'", s);
	o->host_user = true;
	o->on = true;
}

static int parse_count(const char *opt, const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end == s || *end || n < 1 || n > 1 << 22)
		die(2, "%s: expected a count from 1 to 4194304", opt);
	return (int)n;
}

/* --root IMAGE[:ro]: an existing regular file (the image's own checks come at mount). */
static bool parse_root_image(struct vfs_config *cfg, char *arg)
{
	struct stat st;
	size_t n = strlen(arg);

	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		cfg->root_image = arg;
		return true;
	}
	if (n > 3 && !strcmp(arg + n - 3, ":ro")) {
		arg[n - 3] = '\0';
		if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
			cfg->root_image = arg;
			cfg->root_image_ro = true;
			return true;
		}
		arg[n - 3] = ':';
	}
	return false;
}

/* --overlay IMAGE: an ext2 image; a missing one is made (sparse) first. */
static void parse_overlay(struct vfs_config *cfg, char *arg)
{
	struct stat st;

	if (stat(arg, &st) < 0 && errno == ENOENT && mkfs_format(arg, 1ULL << 30))
		die(2, "--overlay: cannot create the image '%s'", arg);
	if (stat(arg, &st) < 0 || !S_ISREG(st.st_mode))
		die(2, "--overlay: not an ext2 image file: '%s'", arg);
	cfg->overlay_image = arg;
}

/* --root DIR|IMAGE (kind 0), --mount SRC:DST[:ro|rw] (1), --tmpfs DST (2), --overlay (3). */
static void parse_fs_option(struct vfs_config *cfg, int kind, char *arg)
{
	struct stat st;

	if (kind == 3) {
		parse_overlay(cfg, arg);
		return;
	}
	if (kind == 0 && parse_root_image(cfg, arg))
		return;
	if (kind == 0) {
		if (stat(arg, &st) || !S_ISDIR(st.st_mode))
			die(2, "--root: not a directory or an image file: '%s'", arg);
		cfg->root_dir = arg;
		return;
	}
	if (cfg->nmounts == VFS_CFG_MAX_MOUNTS)
		die(2, "too many mounts at '%s'", arg);
	struct vfs_mount_cfg *m = &cfg->mounts[cfg->nmounts++];
	if (kind == 2) {
		if (arg[0] != '/')
			die(2, "--tmpfs: expected an absolute path, got '%s'", arg);
		*m = (struct vfs_mount_cfg){.kind = VFS_CFG_TMPFS, .dst = arg};
		return;
	}
	char *given = strdupa(arg);
	const char *why;
	if (vfs_config_parse_mount(arg, m, &why))
		die(2, "--mount %s: %s", given, why);
	if (stat(m->src, &st) || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
		die(2, "--mount: not a directory or an image file: '%s'", m->src);
}

static void parse_sched(struct kernel *k, const char *s)
{
	char *end;
	if (!strcmp(s, "host"))
		return;
	if (strncmp(s, "serial", 6) || (s[6] && s[6] != ':'))
		die(2, "--sched: expected host or serial[:SEED], got '%s'", s);
	unsigned long long seed = 1;
	if (s[6] == ':') {
		seed = strtoull(s + 7, &end, 10);
		if (end == s + 7 || *end)
			die(2, "--sched: the seed must be a number, got '%s'", s);
	}
	sched_serial_init(k, seed);
}

/* A size with an optional K, M or G suffix (powers of 1024). */
static unsigned long parse_size(const char *opt, const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);
	int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	if (end == s || (shift && end[1]) || (!shift && *end) || !n || n > (1ULL << 46) >> shift)
		die(2, "%s: expected a size such as 512M or 4G", opt);
	return (unsigned long)(n << shift);
}

/* --syscalls: the containment guests would get, as a comment line, then the table. */
static void print_syscalls(struct kernel *k)
{
	char line[512];
	const char *why;
	int r = contain_prepare(&k->contain, &k->opts.contain, &why);

	if (r < 0)
		snprintf(line, sizeof(line), "cannot be applied: %s: %s", why, strerror(-r));
	else
		contain_describe(&k->contain, line, sizeof(line));
	contain_release(&k->contain);
	printf("# containment: %s\n", line);
	sys_print_table(stdout);
}

/* --net=none|host: whose network the guest's INET sockets are on. */
static void parse_net(struct kernel *k, const char *s)
{
	if (strcmp(s, "none") && strcmp(s, "host"))
		die(2, "--net: expected none or host, got '%s'", s);
	k->net.host = !strcmp(s, "host");
}

/* --publish SPEC: listen on the host now, so that a port taken fails at once. */
static void publish(struct kernel *k, const char *spec)
{
	struct net_publish p;
	char addr[INET6_ADDRSTRLEN] = "?";
	int err = net_publish_parse(spec, &p);

	if (err == -ERANGE)
		die(2, "--publish: a port out of 1..65535 in '%s'", spec);
	if (err)
		die(2, "--publish: expected [HOSTADDR:]HOSTPORT:GUESTPORT[/udp], got '%s'", spec);
	err = net_publish_open(&k->net, &p);
	if (err) {
		const void *ip = p.host.ss_family == AF_INET
					 ? (const void *)&((struct sockaddr_in *)&p.host)->sin_addr
					 : (const void *)&((struct sockaddr_in6 *)&p.host)->sin6_addr;
		inet_ntop(p.host.ss_family, ip, addr, sizeof(addr));
		die(2, "--publish: cannot listen on %s port %u: %s", addr,
		    ntohs(((struct sockaddr_in *)&p.host)->sin_port), strerror(-err));
	}
}

/* --stop-timeout SECONDS: a non-negative number of seconds, fractions allowed, a day at most. */
static long long parse_seconds(const char *opt, const char *s)
{
	char *end;
	double sec = strtod(s, &end);
	if (end == s || *end || !(sec >= 0 && sec <= 86400))
		die(2, "%s: expected a number of seconds from 0 to 86400", opt);
	return (long long)(sec * 1e9);
}

static void parse_options(struct kernel *k, int argc, char **argv)
{
	enum { O_TRACE = 256, O_SUMMARY, O_USER, O_HOSTNAME, O_SYSCALLS, O_HELP, O_STATS, O_INIT, O_PID1,
	       O_PIDS, O_MEMORY, O_TMPFS_SIZE, O_SCHED, O_ROOT, O_MOUNT, O_TMPFS, O_OVERLAY,
	       O_WARN_UNSUP, O_HOST_USER, O_CONTAIN, O_NO_CONTAIN, O_STOP_TIMEOUT, O_NET, O_PUBLISH,
	       O_NOTIFY, O_NO_NOTIFY };
	static const struct option longopts[] = {
		{"trace", optional_argument, NULL, O_TRACE},
		{"summary", no_argument, NULL, O_SUMMARY},
		{"warn-unsupported", no_argument, NULL, O_WARN_UNSUP},
		{"user", required_argument, NULL, O_USER},
		{"hostname", required_argument, NULL, O_HOSTNAME},
		{"syscalls", no_argument, NULL, O_SYSCALLS},
		{"help", no_argument, NULL, O_HELP},
		{"stats", required_argument, NULL, O_STATS}, /* hidden: for conform */
		{"init", no_argument, NULL, O_INIT},
		{"pid1", no_argument, NULL, O_PID1},
		{"pids", required_argument, NULL, O_PIDS},
		{"memory", required_argument, NULL, O_MEMORY},
		{"tmpfs-size", required_argument, NULL, O_TMPFS_SIZE},
		{"sched", required_argument, NULL, O_SCHED},
		{"root", required_argument, NULL, O_ROOT},
		{"mount", required_argument, NULL, O_MOUNT},
		{"tmpfs", required_argument, NULL, O_TMPFS},
		{"overlay", required_argument, NULL, O_OVERLAY},
		{"host-user", required_argument, NULL, O_HOST_USER},
		{"contain", no_argument, NULL, O_CONTAIN},	  /* hidden: see CONTAIN_DEFAULT */
		{"no-contain", no_argument, NULL, O_NO_CONTAIN}, /* hidden: see CONTAIN_DEFAULT */
		{"stop-timeout", required_argument, NULL, O_STOP_TIMEOUT},
		{"net", required_argument, NULL, O_NET},
		{"publish", required_argument, NULL, O_PUBLISH},
		{"notify", no_argument, NULL, O_NOTIFY}, /* the default */
		{"no-notify", no_argument, NULL, O_NO_NOTIFY},
		{0},
	};
	bool syscalls = false, no_contain = false, published = false;
	int c;
	opterr = 0;
	k->opts.init = true;	/* native statuses unless --pid1 */
	k->opts.notify = true; /* unless --no-notify */
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case O_TRACE:
			k->opts.trace = optarg ? fopen(optarg, "we") : stderr;
			if (!k->opts.trace)
				die(2, "--trace: cannot open '%s'", optarg);
			break;
		case O_SUMMARY:
			k->opts.summary = true;
			break;
		case O_WARN_UNSUP:
			k->opts.warn_unsupported = true;
			break;
		case O_USER:
			parse_ids("--user", optarg, &k->opts.uid, &k->opts.gid);
			k->opts.user_given = true;
			break;
		case O_HOST_USER:
			parse_host_user(k, optarg);
			break;
		case O_CONTAIN:
			k->opts.contain.on = true;
			break;
		case O_NO_CONTAIN:
			no_contain = true;
			break;
		case O_NOTIFY:
		case O_NO_NOTIFY:
			k->opts.notify = c == O_NOTIFY;
			break;
		case O_HOSTNAME:
			if (strlen(optarg) > 64)
				die(2, "--hostname: longer than 64 bytes: '%s'", optarg);
			strcpy(k->opts.hostname, optarg);
			break;
		case O_SYSCALLS:
			syscalls = true;
			break;
		case O_HELP:
			fputs(usage, stdout);
			exit(0);
		case O_STATS:
			k->opts.stats_file = optarg;
			break;
		case O_INIT:
			k->opts.init = true;
			break;
		case O_PID1:
			k->opts.init = false;
			break;
		case O_PIDS:
			k->opts.max_tasks = parse_count("--pids", optarg);
			break;
		case O_MEMORY:
			k->opts.max_memory = parse_size("--memory", optarg);
			break;
		case O_TMPFS_SIZE:
			k->opts.tmpfs_size = parse_size("--tmpfs-size", optarg);
			break;
		case O_SCHED:
			parse_sched(k, optarg);
			break;
		case O_NET:
			parse_net(k, optarg);
			break;
		case O_PUBLISH:
			publish(k, optarg);
			published = true;
			break;
		case O_STOP_TIMEOUT:
			k->opts.stop_timeout_ns = parse_seconds("--stop-timeout", optarg);
			break;
		case O_ROOT:
		case O_MOUNT:
		case O_TMPFS:
		case O_OVERLAY:
			parse_fs_option(k->opts.vfscfg, c - O_ROOT, optarg);
			break;
		default:
			die(2, "unknown option '%s' (try uos --help)", argv[optind - 1]);
		}
	}
	if (published && k->net.host)
		die(2, "--publish is for --net=none: under --net=host the guest listens on the host");
	if (no_contain && k->opts.contain.host_user)
		die(2, "--host-user and --no-contain exclude each other");
	if (no_contain)
		k->opts.contain.on = false;
	if (k->opts.contain.host_user && geteuid() != 0)
		die(2, "--host-user: uos is not root, so the guests keep its uid %u", getuid());
	if (syscalls) {
		print_syscalls(k);
		exit(0);
	}
	if (optind >= argc)
		die(2, "missing PROGRAM (try uos --help)");
	if (!k->opts.max_tasks)
		k->opts.max_tasks = memcg_default_tasks();
	memcg_configure(&k->memcg, k->opts.max_memory, k->opts.tmpfs_size);
}

/*
 * --user: HOME, USER and LOGNAME of the uid's line in the guest's own
 * /etc/passwd (its root may be an image), as login and docker set them;
 * left as they are when it lists no such uid.
 */
static void user_env(struct task *t, uid_t uid)
{
	struct vfs_file *f;
	char buf[65536], *save, *line;
	if (vfs_open(&t->vc, NULL, "/etc/passwd", O_RDONLY, 0, &f) < 0)
		return;
	long n = vfs_read(f, buf, sizeof(buf) - 1, 0);
	vfs_file_put(f);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *field[7] = {line}, *p = line;
		int i = 1;
		while (i < 7 && (p = strchr(p, ':'))) {
			*p++ = '\0';
			field[i++] = p;
		}
		if (i < 7 || strtoul(field[2], &p, 10) != uid || *p || !field[2][0])
			continue;
		setenv("HOME", field[5][0] ? field[5] : "/", 1);
		setenv("USER", field[0], 1);
		setenv("LOGNAME", field[0], 1);
		return;
	}
}

/*
 * --net=host with --root DIR or IMAGE:ro, under the in-memory overlay: the
 * guest's root is not the host's, and its changes are not kept, so the
 * host's resolver files may be put there.
 */
static bool in_memory_root(const struct kernel *k)
{
	const struct vfs_config *cfg = k->opts.vfscfg;

	if (!k->net.host || cfg->no_overlay || cfg->overlay_image)
		return false;
	return cfg->root_dir || (cfg->root_image && cfg->root_image_ro);
}

/* Start the guest and serve it; returns uos's exit status. */
static int run(struct kernel *k, char **argv)
{
	const char *prog = argv[0], *why;
	struct task *t = task_create_init(k, 0);
	if (!t) {
		uos_warn("out of memory");
		return 125;
	}
	if (k->opts.user_given)
		user_env(t, k->opts.uid);
	if (in_memory_root(k))
		resolvconf_copy(t);
	int r = exec_prepare(t, prog, argv, environ, true, &t->plan, &why);
	if (r < 0) {
		uos_warn("%s: %s%s%s", prog, why ? why : strerror(-r), why ? ": " : "",
			 why ? strerror(-r) : "");
		return r == -ENOENT ? 127 : 126;
	}
	r = contain_prepare(&k->contain, &k->opts.contain, &why);
	if (r < 0) {
		uos_warn("%s: %s", why, strerror(-r));
		return 125;
	}
	r = loop_init(k);
	if (r == 0)
		r = trap_spawn(k, t, exec_stack_size(t->plan));
	contain_release(&k->contain); /* the first guest holds its domain */
	if (r < 0) {
		uos_warn("cannot start the guest: %s", strerror(-r));
		return 125;
	}
	int status = loop_run(k);
	console_close(k); /* the user's terminal as it was, before anything more is said */
	if (k->opts.summary)
		trace_summary(k, stderr);
	if (k->opts.stats_file && (r = stats_write_json(k, k->opts.stats_file)) < 0)
		uos_warn("--stats: %s: %s", k->opts.stats_file, strerror(-r));
	return status;
}

int main(int argc, char **argv)
{
	struct kernel kernel, *k = &kernel;
	if (argc > 1 && !strcmp(argv[1], "conform"))
		return conform_main(argc - 1, argv + 1);
	if (argc > 1 && (!strcmp(argv[1], "mkfs") || !strcmp(argv[1], "fsck")))
		return mkfs_main(argc - 1, argv + 1);
	struct vfs_config vfscfg = {0};
	const char *why;
	kernel_init(k);
	k->opts.vfscfg = &vfscfg;
	parse_options(k, argc, argv);
	sig_note_start(k); /* before uos changes any */
	signal(SIGPIPE, SIG_IGN); /* a closed stdout is the guest's EPIPE */
	vfscfg.procfs = &procfs_ops;
	int r = vfs_ns_init_config(&k->memcg, &vfscfg, &k->vfs, &why);
	if (r < 0 && !why)
		exit(125); /* an image in use: the one line naming its holder is said */
	if (r < 0) {
		uos_warn("%s: %s", why, strerror(-r));
		die(125, "cannot set up the file system");
	}
	repath_init(k);
	k->stub_fd = stub_create();
	if (k->stub_fd < 0)
		die(125, "cannot create the exec stub: %s", strerror(-k->stub_fd));
	if ((r = guest_chan_init(k)) < 0)
		die(125, "cannot create the guests' file channel: %s", strerror(-r));
	int status = run(k, argv + optind);
	kernel_fini(k);
	return status;
}
