/*
 * Containment (see contain.h): the host-level layers that hold a guest
 * process if the syscall filter or a handler has a hole.
 *
 * The first guest's host process takes them in spawn.c's child(), after
 * PTRACE_TRACEME (so uos stays its tracer) and before the seccomp filter
 * (which would otherwise trap these calls); later guest processes are
 * forked from it with CLONE_PARENT and inherit them all:
 *  - RLIMIT_CORE 0: the host never writes a guest's core file.
 *  - no_new_privs: no exec raises privileges (set-user-ID bits, file
 *    capabilities), and Landlock and seccomp apply without privilege.
 *  - No capabilities: the effective, permitted, inheritable and ambient
 *    sets empty; where uos holds CAP_SETPCAP, the bounding set empty and
 *    the securebits locked so that uid 0 would mean nothing either.
 *  - When uos is root, a host uid and gid that no other host process uses
 *    and no supplementary groups: host permission checks stop what the
 *    capabilities no longer bypass, the guests cannot signal or trace host
 *    processes, and per-uid host limits (RLIMIT_NPROC, pending signals)
 *    count this sandbox alone.  Not root: guests keep uos's uid.
 *  - Landlock: a ruleset that handles every access right the running
 *    kernel's ABI knows and holds no rule, so no host path may be opened,
 *    executed or made, no TCP port bound or connected (ABI 4), and no
 *    abstract unix socket or process outside the guests reached (ABI 6).
 *    Landlock checks paths when they are opened: a file that uos opened and
 *    hands to a guest as an fd stays usable, and files on the kernel's
 *    internal mounts (memfds) are never checked.
 * uos itself is never contained.
 */
#include "contain.h"

#include <errno.h>
#include <sys/wait.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <linux/securebits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"

/*
 * The default host uid (and gid) of the guests when uos is root: this base
 * plus uos's pid.  systemd's allocation of ids (UIDS-GIDS.md) leaves
 * 0x70000000-0x7fffffff to nobody: above the container ranges, below the
 * ids that programs taking uid_t as signed get wrong, away from its
 * "foreign" range at 0x7ffe0000.  Pids stay below 2^22 (PID_MAX_LIMIT), so
 * base + pid stays there, and two uos running at once have different pids.
 * Guests die with uos (PTRACE_O_EXITKILL), so the id is free again by the
 * time the pid is reused.  Two uos in different pid namespaces of one user
 * namespace may share a pid: --host-user picks ids there.
 */
#define CONTAIN_UID_BASE 0x70000000u

/* Rights of Landlock ABIs newer than the system header (uapi linux/landlock.h). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* The newest ABI this file knows; 7 added only audit flags, no right to handle. */
#define LANDLOCK_ABI_KNOWN 7

/* struct landlock_ruleset_attr of ABI 6; a kernel that knows less accepts zeros past its end. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* Every right of Landlock ABI abi (Documentation/userspace-api/landlock.rst). */
static struct ruleset_attr landlock_rights(int abi)
{
	struct ruleset_attr a = {.handled_access_fs = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1};

	if (abi >= 2)
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 4)
		a.handled_access_net =
		    LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (abi >= 5)
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (abi >= 6)
		a.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
	return a;
}

/* The ABI version of the running kernel's Landlock, or 0 (none, or disabled at boot). */
static int landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return v > 0 ? (int)v : 0;
}

/* An empty ruleset denying every right the kernel knows (up to LANDLOCK_ABI_KNOWN). */
static int prepare_landlock(struct contain *c, const char **why)
{
	int abi = landlock_abi();

	if (!abi)
		return 0;
	if (abi > LANDLOCK_ABI_KNOWN)
		abi = LANDLOCK_ABI_KNOWN;
	struct ruleset_attr a = landlock_rights(abi);
	int fd = (int)syscall(SYS_landlock_create_ruleset, &a, sizeof(a), 0);
	if (fd < 0) {
		*why = "cannot create the Landlock ruleset";
		return -errno;
	}
	c->landlock_abi = abi;
	c->ruleset_fd = fd;
	return 0;
}

/* Whether capability cap is in uos's effective set. */
static bool capable(int cap)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap);
}

/* The guests' host ids: --host-user, or uos's own when not root, else a uid of their own. */
static int pick_ids(struct contain *c, const struct contain_opts *o, const char **why)
{
	c->uid = getuid();
	c->gid = getgid();
	if (geteuid() != 0) {
		*why = "--host-user needs uos to run as root";
		return o->host_user ? -EPERM : 0;
	}
	if (!capable(CAP_SETUID) || !capable(CAP_SETGID)) {
		*why = "uos runs as root without CAP_SETUID and CAP_SETGID: "
		       "it cannot give the guests an unprivileged uid";
		return -EPERM;
	}
	c->set_ids = true;
	c->uid = o->host_user ? o->uid : CONTAIN_UID_BASE + (uid_t)getpid();
	c->gid = o->host_user ? o->gid : CONTAIN_UID_BASE + (gid_t)getpid();
	return 0;
}

int contain_prepare(struct contain *c, const struct contain_opts *o, const char **why)
{
	*c = (struct contain){.on = o->on, .uid = getuid(), .gid = getgid(), .ruleset_fd = -1};
	*why = NULL;
	if (!o->on)
		return 0;
	int r = pick_ids(c, o, why);
	if (r < 0)
		return r;
	c->drop_bset = capable(CAP_SETPCAP);
	return prepare_landlock(c, why);
}

/*
 * contain_enter's calls are raw (uos_raw_syscall): the child that makes them
 * shares uos's memory (spawn.c), where glibc's wrappers would set uos's
 * errno, count them as uos's host calls, and (set*id) act on every thread
 * glibc thinks the process has.  Each acts on the calling thread alone.
 */
/* A call of contain_enter returned r: if it failed (-errno), name it and return r. */
static int failed(long r, const char *call, const char **what)
{
	if (r >= 0)
		return 0;
	*what = call;
	return (int)r;
}

static long prctl_raw(int op, unsigned long a2)
{
	return UOS_RAW(SYS_prctl, op, a2, 0, 0, 0);
}

/*
 * With CAP_SETPCAP: lock the securebits (uid 0 grants no capabilities, a
 * setuid clears them, none may become ambient) and empty the bounding set,
 * which PR_CAPBSET_READ ends with EINVAL past the last capability.
 */
static int drop_bounding_set(const char **what)
{
	const unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
				   SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
				   SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	long cur = prctl_raw(PR_GET_SECUREBITS, 0);
	int r = failed(cur, "prctl(PR_GET_SECUREBITS)", what);

	if (r == 0)
		r = failed(prctl_raw(PR_SET_SECUREBITS, (unsigned long)cur | bits),
			   "prctl(PR_SET_SECUREBITS)", what);

	for (int cap = 0; r == 0 && prctl_raw(PR_CAPBSET_READ, cap) >= 0; cap++)
		r = failed(prctl_raw(PR_CAPBSET_DROP, cap), "prctl(PR_CAPBSET_DROP)", what);
	return r;
}

/* Groups first: setgroups and setresgid need CAP_SETGID, which setresuid takes away. */
static int set_ids(const struct contain *c, const char **what)
{
	int r = failed(UOS_RAW(SYS_setgroups, 0, NULL, 0, 0, 0), "setgroups", what);

	if (r == 0)
		r = failed(UOS_RAW(SYS_setresgid, c->gid, c->gid, c->gid, 0, 0), "setresgid", what);
	if (r == 0)
		r = failed(UOS_RAW(SYS_setresuid, c->uid, c->uid, c->uid, 0, 0), "setresuid", what);
	return r;
}

/* Empty the ambient set, then every other set (setresuid leaves the inheritable set). */
static int clear_caps(const char **what)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {{0}};
	int r = failed(UOS_RAW(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0),
		       "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", what);

	if (r == 0)
		r = failed(UOS_RAW(SYS_capset, &h, d, 0, 0, 0), "capset", what);
	return r;
}

int contain_enter(const struct contain *c, const char **what)
{
	const struct rlimit no_core = {0, 0};
	int r = failed(UOS_RAW(SYS_prlimit64, 0, RLIMIT_CORE, &no_core, NULL, 0),
		       "setrlimit(RLIMIT_CORE)", what);

	if (r == 0)
		r = failed(prctl_raw(PR_SET_NO_NEW_PRIVS, 1), "prctl(PR_SET_NO_NEW_PRIVS)", what);
	if (r < 0 || !c->on)
		return r;
	if (c->drop_bset)
		r = drop_bounding_set(what);
	if (r == 0 && c->set_ids)
		r = set_ids(c, what);
	if (r == 0)
		r = clear_caps(what);
	if (r == 0 && c->ruleset_fd >= 0)
		r = failed(UOS_RAW(SYS_landlock_restrict_self, c->ruleset_fd, 0, 0, 0, 0),
			   "landlock_restrict_self", what);
	return r;
}

/* What the Landlock ABI abi denies, in words (sockets and signals: those outside the guests). */
static const char *landlock_words(int abi)
{
	if (abi >= 6)
		return "host files, TCP bind/connect, abstract unix sockets, signals";
	if (abi >= 4)
		return "host files, TCP bind/connect";
	return "host files";
}

void contain_describe(const struct contain *c, char *buf, size_t n)
{
	char ll[160] = "no Landlock (the kernel has none)";

	if (!c->on) {
		snprintf(buf, n,
			 "off: host uid %u gid %u and capabilities as uos's, no_new_privs, "
			 "no Landlock, RLIMIT_CORE 0",
			 (unsigned)c->uid, (unsigned)c->gid);
		return;
	}
	if (c->landlock_abi)
		snprintf(ll, sizeof(ll), "Landlock ABI %d denying %s", c->landlock_abi,
			 landlock_words(c->landlock_abi));
	snprintf(buf, n,
		 "host uid %u gid %u%s, capabilities none (bounding set %s), "
		 "no_new_privs, %s, RLIMIT_CORE 0",
		 (unsigned)c->uid, (unsigned)c->gid,
		 c->set_ids ? " with no groups" : " (uos's own: not root)",
		 c->drop_bset ? "empty" : "kept: no CAP_SETPCAP", ll);
}

void contain_release(struct contain *c)
{
	if (c->ruleset_fd >= 0)
		close(c->ruleset_fd);
	c->ruleset_fd = -1;
}

int contain_prlimit(const struct contain *c, pid_t pid, int res, const struct rlimit *new)
{
	int st;
	if (!c->set_ids)
		return prlimit(pid, res, new, NULL) < 0 ? -errno : 0;
	pid_t h = fork();
	if (h < 0)
		return -errno;
	if (h == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(c->gid, c->gid, c->gid) < 0 ||
		    setresuid(c->uid, c->uid, c->uid) < 0)
			_exit(EPERM);
		_exit(prlimit(pid, res, new, NULL) < 0 ? errno : 0);
	}
	while (waitpid(h, &st, 0) < 0)
		if (errno != EINTR)
			return -ECHILD;
	return WIFEXITED(st) ? -WEXITSTATUS(st) : -EIO;
}
