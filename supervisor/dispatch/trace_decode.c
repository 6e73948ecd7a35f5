/*
 * --trace's decoders of the kinds strace prints as structures, arrays, named
 * constants that depend on another argument, or whole-call forms (see
 * trace_line.h).  Each follows strace 6's default (abbreviated) output, so
 * that tests/system/trace_strace.sh can compare the two line by line.
 * Guest memory is read with gmem_*: a failed read prints the address, as
 * strace does; data a call returns ("O" kinds) is shown only when the call
 * succeeded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "gmem.h"
#include "trace_line.h"

#define SYS_FUTEX 202
#define ARGV_MAX 4096 /* elements read from an argv or envp array */

/* clang-format off */
static const struct flag accmodes[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};

static const struct flag archcodes[] = {
	{0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"},
	{0x1004, "ARCH_GET_GS"}, {0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"},
};

static const struct flag rlimits[] = {
	{0, "RLIMIT_CPU"},	 {1, "RLIMIT_FSIZE"},	  {2, "RLIMIT_DATA"},	 {3, "RLIMIT_STACK"},
	{4, "RLIMIT_CORE"},	 {5, "RLIMIT_RSS"},	  {6, "RLIMIT_NPROC"},	 {7, "RLIMIT_NOFILE"},
	{8, "RLIMIT_MEMLOCK"},	 {9, "RLIMIT_AS"},	  {10, "RLIMIT_LOCKS"},	 {11, "RLIMIT_SIGPENDING"},
	{12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"},	  {14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"},
};

/* strace's order of sa_flags */
static const struct flag saflags[] = {
	{0x04000000, "SA_RESTORER"}, {0x08000000, "SA_ONSTACK"},   {0x10000000, "SA_RESTART"},
	{0x40000000, "SA_NODEFER"},  {0x80000000UL, "SA_RESETHAND"}, {4, "SA_SIGINFO"},
	{1, "SA_NOCLDSTOP"},	     {2, "SA_NOCLDWAIT"},
};

static const struct flag sighows[] = {{0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}};

static const struct flag cloneflags[] = {
	{0x100, "CLONE_VM"},		{0x200, "CLONE_FS"},		  {0x400, "CLONE_FILES"},
	{0x800, "CLONE_SIGHAND"},	{0x1000, "CLONE_PIDFD"},	  {0x2000, "CLONE_PTRACE"},
	{0x4000, "CLONE_VFORK"},	{0x8000, "CLONE_PARENT"},	  {0x10000, "CLONE_THREAD"},
	{0x20000, "CLONE_NEWNS"},	{0x40000, "CLONE_SYSVSEM"},	  {0x80000, "CLONE_SETTLS"},
	{0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"},
	{0x800000, "CLONE_UNTRACED"},	{0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"},
	{0x4000000, "CLONE_NEWUTS"},	{0x8000000, "CLONE_NEWIPC"},	  {0x10000000, "CLONE_NEWUSER"},
	{0x20000000, "CLONE_NEWPID"},	{0x40000000, "CLONE_NEWNET"},	  {0x80000000UL, "CLONE_IO"},
};

static const struct flag woptions[] = {
	{1, "WNOHANG"}, {2, "WUNTRACED"}, {4, "WEXITED"}, {8, "WCONTINUED"}, {0x1000000, "WNOWAIT"},
	{0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"}, {0x80000000UL, "__WCLONE"},
};

static const struct flag ioctlreqs[] = {
	{0x5401, "TCGETS"},	{0x5402, "TCSETS"},	{0x5403, "TCSETSW"},	{0x5404, "TCSETSF"},
	{0x540b, "TCFLSH"},	{0x540e, "TIOCSCTTY"},	{0x540f, "TIOCGPGRP"},	{0x5410, "TIOCSPGRP"},
	{0x5413, "TIOCGWINSZ"},	{0x5414, "TIOCSWINSZ"}, {0x541b, "FIONREAD"},	{0x5421, "FIONBIO"},
	{0x5422, "TIOCNOTTY"},	{0x5429, "TIOCGSID"},	{0x5450, "FIONCLEX"},	{0x5451, "FIOCLEX"},
	{0x5452, "FIOASYNC"},	{0x80045430, "TIOCGPTN"}, {0x40045431, "TIOCSPTLCK"},
};

static const struct flag families[] = {
	{0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {10, "AF_INET6"}, {16, "AF_NETLINK"},
	{17, "AF_PACKET"},
};

static const struct flag socktypes[] = {
	{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"},
	{5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"},
};

static const struct flag sockflags[] = {{02000000, "SOCK_CLOEXEC"}, {04000, "SOCK_NONBLOCK"}};

static const struct flag ipprotos[] = {
	{0, "IPPROTO_IP"}, {1, "IPPROTO_ICMP"}, {6, "IPPROTO_TCP"}, {17, "IPPROTO_UDP"},
	{41, "IPPROTO_IPV6"}, {58, "IPPROTO_ICMPV6"}, {132, "IPPROTO_SCTP"}, {255, "IPPROTO_RAW"},
};

static const struct flag grndflags[] = {{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}};

static const struct flag futexcmds[] = {
	{0, "FUTEX_WAIT"}, {1, "FUTEX_WAKE"}, {2, "FUTEX_FD"}, {3, "FUTEX_REQUEUE"},
	{4, "FUTEX_CMP_REQUEUE"}, {5, "FUTEX_WAKE_OP"}, {6, "FUTEX_LOCK_PI"}, {7, "FUTEX_UNLOCK_PI"},
	{8, "FUTEX_TRYLOCK_PI"}, {9, "FUTEX_WAIT_BITSET"}, {10, "FUTEX_WAKE_BITSET"},
	{11, "FUTEX_WAIT_REQUEUE_PI"}, {12, "FUTEX_CMP_REQUEUE_PI"}, {13, "FUTEX_LOCK_PI2"},
};
/* How many arguments strace shows for each futex command (index: the command). */
static const int futex_nargs[] = {4, 3, 3, 5, 6, 6, 4, 2, 2, 6, 6, 5, 6, 4};

static const struct flag fadvices[] = {
	{0, "POSIX_FADV_NORMAL"}, {1, "POSIX_FADV_RANDOM"}, {2, "POSIX_FADV_SEQUENTIAL"},
	{3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"},
};

static const struct flag madvices[] = {
	{0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
	{4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {10, "MADV_DONTFORK"},
	{11, "MADV_DOFORK"}, {12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"},
	{14, "MADV_HUGEPAGE"}, {15, "MADV_NOHUGEPAGE"}, {16, "MADV_DONTDUMP"}, {17, "MADV_DODUMP"},
	{18, "MADV_WIPEONFORK"}, {19, "MADV_KEEPONFORK"}, {20, "MADV_COLD"}, {21, "MADV_PAGEOUT"},
	{22, "MADV_POPULATE_READ"}, {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"},
	{25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"}, {101, "MADV_SOFT_OFFLINE"},
};

static const struct flag statxmask[] = {
	{0x7ff, "STATX_BASIC_STATS"}, {0x1, "STATX_TYPE"},	{0x2, "STATX_MODE"},
	{0x4, "STATX_NLINK"},	      {0x8, "STATX_UID"},	{0x10, "STATX_GID"},
	{0x20, "STATX_ATIME"},	      {0x40, "STATX_MTIME"},	{0x80, "STATX_CTIME"},
	{0x100, "STATX_INO"},	      {0x200, "STATX_SIZE"},	{0x400, "STATX_BLOCKS"},
	{0x800, "STATX_BTIME"},	      {0x1000, "STATX_MNT_ID"}, {0x2000, "STATX_DIOALIGN"},
};

static const struct flag statxattrs[] = {
	{0x4, "STATX_ATTR_COMPRESSED"}, {0x10, "STATX_ATTR_IMMUTABLE"}, {0x20, "STATX_ATTR_APPEND"},
	{0x40, "STATX_ATTR_NODUMP"},	{0x800, "STATX_ATTR_ENCRYPTED"}, {0x1000, "STATX_ATTR_AUTOMOUNT"},
	{0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"}, {0x200000, "STATX_ATTR_DAX"},
};

static const struct flag statxsync[] = {
	{0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"},
	{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"},
};

static const struct flag filetypes[] = {
	{S_IFREG, "S_IFREG"}, {S_IFDIR, "S_IFDIR"}, {S_IFCHR, "S_IFCHR"}, {S_IFBLK, "S_IFBLK"},
	{S_IFIFO, "S_IFIFO"}, {S_IFLNK, "S_IFLNK"}, {S_IFSOCK, "S_IFSOCK"},
};
/* clang-format on */

/* Read a struct of the guest's; on failure print the address and return false. */
static bool read_or_addr(struct line *l, const struct argctx *c, void *dst, unsigned long v,
			 size_t n)
{
	if (v && gmem_read(c->t, dst, v, n) == 0)
		return true;
	put_ptr(l, c, v);
	return false;
}

/* Whether an "O" kind is shown: the call succeeded and the pointer is not NULL. */
static bool out_shown(struct line *l, const struct argctx *c, unsigned long v)
{
	if (c->ret >= 0 && v)
		return true;
	put_ptr(l, c, v);
	return false;
}

static void put_accmode(struct line *l, const struct argctx *c, unsigned long v)
{
	if ((unsigned int)v == 0)
		lputf(l, "F_OK");
	else
		put_flags(l, accmodes, ARRAY_SIZE(accmodes), (unsigned int)v);
}

/* S_IFREG|S_ISUID|0755 */
static void put_filemode(struct line *l, unsigned int mode)
{
	for (size_t i = 0; i < ARRAY_SIZE(filetypes); i++)
		if ((mode & S_IFMT) == filetypes[i].value)
			lputf(l, "%s|", filetypes[i].name);
	if (mode & S_ISUID)
		lputf(l, "S_ISUID|");
	if (mode & S_ISGID)
		lputf(l, "S_ISGID|");
	if (mode & S_ISVTX)
		lputf(l, "S_ISVTX|");
	lputf(l, "%#03o", mode & 0777);
}

static void put_ostat(struct line *l, const struct argctx *c, unsigned long v)
{
	struct stat st;

	if (!out_shown(l, c, v) || !read_or_addr(l, c, &st, v, sizeof(st)))
		return;
	lputf(l, "{st_mode=");
	put_filemode(l, st.st_mode);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		lputf(l, ", st_rdev=makedev(%#x, %#x), ...}", major(st.st_rdev), minor(st.st_rdev));
	else
		lputf(l, ", st_size=%lld, ...}", (long long)st.st_size);
}

static void put_ostatx(struct line *l, const struct argctx *c, unsigned long v)
{
	struct statx sx;

	if (!out_shown(l, c, v) || !read_or_addr(l, c, &sx, v, sizeof(sx)))
		return;
	lputf(l, "{stx_mask=");
	put_flags(l, statxmask, ARRAY_SIZE(statxmask), sx.stx_mask);
	lputf(l, ", stx_attributes=");
	put_flags(l, statxattrs, ARRAY_SIZE(statxattrs), sx.stx_attributes);
	lputf(l, ", stx_mode=");
	put_filemode(l, sx.stx_mode);
	lputf(l, ", stx_size=%llu, ...}", (unsigned long long)sx.stx_size);
}

/* The sync type comes first and is named even when it is 0 (AT_STATX_SYNC_AS_STAT). */
static void put_statxflags(struct line *l, const struct argctx *c, unsigned long v)
{
	v &= 0xffffffffUL;
	if (!(v & 0x6000)) {
		lputf(l, "AT_STATX_SYNC_AS_STAT");
		if (v)
			lputf(l, "|");
	}
	if (v)
		put_flags(l, statxsync, ARRAY_SIZE(statxsync), v);
}

static void put_statxmask(struct line *l, const struct argctx *c, unsigned long v)
{
	put_flags(l, statxmask, ARRAY_SIZE(statxmask), v & 0xffffffffUL);
}

/* ---- execve (printed at its entry: trace_enter) ---- */

/* Count a NULL-ended pointer array in the guest (at most ARGV_MAX). */
static unsigned long count_array(const struct argctx *c, unsigned long v)
{
	unsigned long n = 0, p = 1;

	while (n < ARGV_MAX && gmem_read(c->t, &p, v + 8 * n, sizeof(p)) == 0 && p)
		n++;
	return n;
}

/* ["a", "b"]: at most STR_SHOWN strings of at most STR_SHOWN bytes. */
static void put_argv(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned long n;

	if (!v || gmem_read(c->t, &n, v, sizeof(n)) < 0) {
		put_ptr(l, c, v);
		return;
	}
	n = count_array(c, v);
	lputf(l, "[");
	for (unsigned long i = 0; i < n && i < STR_SHOWN; i++) {
		unsigned long p = 0;

		gmem_read(c->t, &p, v + 8 * i, sizeof(p));
		lputf(l, i ? ", " : "");
		put_gstring(l, c->t, p, STR_SHOWN);
	}
	lputf(l, n > STR_SHOWN ? ", ...]" : "]");
}

/* strace's default: the address and the number of variables. */
static void put_envp(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned long n;

	put_ptr(l, c, v);
	if (v && gmem_read(c->t, &n, v, sizeof(n)) == 0) {
		n = count_array(c, v);
		lputf(l, " /* %lu var%s */", n, n == 1 ? "" : "s");
	}
}

/* ---- resources, signals, processes ---- */

static void put_archcode(struct line *l, const struct argctx *c, unsigned long v)
{
	for (size_t i = 0; i < ARRAY_SIZE(archcodes); i++)
		if (archcodes[i].value == (unsigned int)v) {
			lputf(l, "%s", archcodes[i].name);
			return;
		}
	lputf(l, "%#x", (unsigned int)v);
}

static void put_rlimres(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, rlimits, ARRAY_SIZE(rlimits), (int)v);
}

static void put_rlim_value(struct line *l, uint64_t v)
{
	if (v == UINT64_MAX)
		lputf(l, "RLIM64_INFINITY");
	else if (v && v % 1024 == 0)
		lputf(l, "%llu*1024", (unsigned long long)(v / 1024));
	else
		lputf(l, "%llu", (unsigned long long)v);
}

static void put_rlimit(struct line *l, const struct argctx *c, unsigned long v)
{
	uint64_t r[2];

	if (!read_or_addr(l, c, r, v, sizeof(r)))
		return;
	lputf(l, "{rlim_cur=");
	put_rlim_value(l, r[0]);
	lputf(l, ", rlim_max=");
	put_rlim_value(l, r[1]);
	lputf(l, "}");
}

static void put_orlimit(struct line *l, const struct argctx *c, unsigned long v)
{
	if (out_shown(l, c, v))
		put_rlimit(l, c, v);
}

/* The kernel's struct sigaction: handler, flags, restorer, mask. */
static void put_sigaction(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned long sa[3];

	if (!read_or_addr(l, c, sa, v, sizeof(sa)))
		return;
	if (sa[0] <= 1)
		lputf(l, "{sa_handler=%s, sa_mask=", sa[0] ? "SIG_IGN" : "SIG_DFL");
	else
		lputf(l, "{sa_handler=%#lx, sa_mask=", sa[0]);
	put_sigset_at(l, c->t, v + 3 * sizeof(unsigned long));
	lputf(l, ", sa_flags=");
	put_flags(l, saflags, ARRAY_SIZE(saflags), sa[1] & 0xffffffffUL);
	if (sa[1] & 0x04000000)
		lputf(l, ", sa_restorer=%#lx", sa[2]);
	lputf(l, "}");
}

static void put_osigaction(struct line *l, const struct argctx *c, unsigned long v)
{
	if (out_shown(l, c, v))
		put_sigaction(l, c, v);
}

static void put_sighow(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, sighows, ARRAY_SIZE(sighows), (int)v);
}

static void put_osigset(struct line *l, const struct argctx *c, unsigned long v)
{
	if (out_shown(l, c, v))
		put_sigset_at(l, c->t, v);
}

/* x86-64 clone(flags, stack, parent_tid, child_tid, tls), in strace's order and words. */
static void put_cloneflags(struct line *l, const struct argctx *c, unsigned long v)
{
	const unsigned long *a = c->a->a;

	lputf(l, "child_stack=");
	put_ptr(l, c, a[1]);
	lputf(l, ", flags=");
	if (v & ~0xffUL)
		put_flags(l, cloneflags, ARRAY_SIZE(cloneflags), v & ~0xffUL);
	if ((v & 0xff) && (v & ~0xffUL))
		lputf(l, "|");
	if ((v & 0xff) || !(v & ~0xffUL))
		put_signame(l, (int)(v & 0xff), "SIG");
	if (v & 0x100000) {
		lputf(l, ", parent_tid=");
		put_ptr(l, c, a[2]);
	}
	if (v & 0x1200000) {
		lputf(l, ", child_tidptr=");
		put_ptr(l, c, a[3]);
	}
	if (v & 0x80000)
		lputf(l, ", tls=%#lx", a[4]);
}

static void put_owstatus(struct line *l, const struct argctx *c, unsigned long v)
{
	int s;

	if (c->ret <= 0 || !v) {
		put_ptr(l, c, v);
		return;
	}
	if (!read_or_addr(l, c, &s, v, sizeof(s)))
		return;
	if (WIFEXITED(s))
		lputf(l, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(s));
	else if (WIFSIGNALED(s)) {
		lputf(l, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		put_signame(l, WTERMSIG(s), "SIG");
		lputf(l, WCOREDUMP(s) ? " && WCOREDUMP(s)}]" : "}]");
	} else if (WIFSTOPPED(s)) {
		lputf(l, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		put_signame(l, WSTOPSIG(s), "SIG");
		lputf(l, "}]");
	} else if (WIFCONTINUED(s))
		lputf(l, "[{WIFCONTINUED(s)}]");
	else
		lputf(l, "[%#x]", (unsigned int)s);
}

static void put_woptions(struct line *l, const struct argctx *c, unsigned long v)
{
	put_flags(l, woptions, ARRAY_SIZE(woptions), v & 0xffffffffUL);
}

/*
 * rt_sigreturn's frame: the stack pointer at the call points at the
 * struct ucontext (the return address above it was popped), whose
 * uc_sigmask is at byte 296 (flags, link, stack_t, sigcontext).
 */
static void put_sigframe(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, "{mask=");
	put_sigset_at(l, c->t, (unsigned long)c->t->regs.rsp + 296);
	lputf(l, "}");
}

/* ---- files ---- */

/* Both dirent layouts keep d_reclen at byte 16. */
static void put_odirents(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned long n = 0, off = 0;

	put_ptr(l, c, v);
	if (c->ret < 0)
		return;
	while (off + 18 <= (unsigned long)c->ret) {
		unsigned short reclen = 0;

		if (gmem_read(c->t, &reclen, v + off + 16, sizeof(reclen)) < 0 || !reclen)
			break;
		off += reclen;
		n++;
	}
	lputf(l, " /* %lu entries */", n);
}

static void put_ioctlreq(struct line *l, const struct argctx *c, unsigned long v)
{
	for (size_t i = 0; i < ARRAY_SIZE(ioctlreqs); i++)
		if (ioctlreqs[i].value == (unsigned int)v) {
			lputf(l, "%s", ioctlreqs[i].name);
			return;
		}
	lputf(l, "%#x", (unsigned int)v);
}

/* The commands whose third argument strace leaves out; those that take flags or a number. */
static bool fcntl_noarg(int cmd)
{
	return cmd == 1 || cmd == 3 || cmd == 9 || cmd == 11 || cmd == 1025 || cmd == 1032 ||
	       cmd == 1034;
}

static void put_fcntlarg(struct line *l, const struct argctx *c, unsigned long v)
{
	int cmd = c->i ? (int)c->a->a[c->i - 1] : -1;

	if (cmd == 2) /* F_SETFD */
		lputf(l, (v & 1) ? "FD_CLOEXEC" : "0");
	else if (cmd == 4) /* F_SETFL */
		put_open_flags(l, v, true);
	else if (cmd == 0 || cmd == 1030 || cmd == 8 || cmd == 10 || cmd == 1031)
		lputf(l, "%d", (int)v);
	else
		put_ptr(l, c, v);
}

static void put_fdflags(struct line *l, const struct argctx *c, unsigned long v)
{
	put_open_flags(l, v, false);
}

static void put_opipefds(struct line *l, const struct argctx *c, unsigned long v)
{
	int fd[2];

	if (out_shown(l, c, v) && read_or_addr(l, c, fd, v, sizeof(fd)))
		lputf(l, "[%d, %d]", fd[0], fd[1]);
}

/* ---- sockets ---- */

static void put_family(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, families, ARRAY_SIZE(families), (int)v);
}

/* A type with its flags; without a known type (accept4), the flags alone. */
static void put_socktype(struct line *l, const struct argctx *c, unsigned long v)
{
	v &= 0xffffffffUL;
	for (size_t i = 0; i < ARRAY_SIZE(socktypes); i++) {
		if (socktypes[i].value == (v & 0xf)) {
			lputf(l, "%s", socktypes[i].name);
			v &= ~0xfUL;
			if (!v)
				return;
			lputf(l, "|");
			break;
		}
	}
	put_flags(l, sockflags, ARRAY_SIZE(sockflags), v);
}

static void put_sockflags(struct line *l, const struct argctx *c, unsigned long v)
{
	put_flags(l, sockflags, ARRAY_SIZE(sockflags), v & 0xffffffffUL);
}

static void put_sockproto(struct line *l, const struct argctx *c, unsigned long v)
{
	int family = c->i ? (int)c->a->a[0] : 0;

	if (family == 2 || family == 10)
		put_enum(l, ipprotos, ARRAY_SIZE(ipprotos), (int)v);
	else
		lputf(l, "%d", (int)v);
}

static void put_sockaddr_un(struct line *l, const unsigned char *b, size_t len)
{
	size_t n = len > 2 ? len - 2 : 0;

	if (!n)
		return;
	lputf(l, ", sun_path=");
	if (b[2] == '\0') {
		lputf(l, "@");
		put_quoted(l, (const char *)b + 3, n - 1, false, false);
	} else {
		put_quoted(l, (const char *)b + 2, strnlen((const char *)b + 2, n), false, false);
	}
}

static void put_sockaddr_in(struct line *l, const unsigned char *b, size_t len, int family)
{
	char addr[INET6_ADDRSTRLEN] = "?";
	uint16_t port;
	uint32_t word;

	memcpy(&port, b + 2, sizeof(port));
	if (family == 2) {
		inet_ntop(AF_INET, b + 4, addr, sizeof(addr));
		lputf(l, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", ntohs(port), addr);
		return;
	}
	inet_ntop(AF_INET6, b + 8, addr, sizeof(addr));
	memcpy(&word, b + 4, sizeof(word));
	lputf(l, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u)", ntohs(port), ntohl(word));
	lputf(l, ", inet_pton(AF_INET6, \"%s\", &sin6_addr)", addr);
	if (len >= 28) {
		memcpy(&word, b + 24, sizeof(word));
		lputf(l, ", sin6_scope_id=%u", word);
	}
}

/* The length from which strace decodes a family's address (shorter: its bytes), or 0. */
static size_t sockaddr_min(int family)
{
	switch (family) {
	case 1:
		return 3;
	case 2:
		return 16;
	case 10:
		return 24; /* the scope id from 28 */
	case 16:
		return 12;
	}
	return 0;
}

/* A sockaddr of len bytes at v; a longer one is read as far as struct sockaddr_storage. */
void put_sockaddr_len(struct line *l, const struct argctx *c, unsigned long v, long slen)
{
	unsigned char b[128];
	size_t len = slen > (long)sizeof(b) ? sizeof(b) : (size_t)slen;
	uint16_t family;

	if (slen < 2) {
		put_ptr(l, c, v);
		return;
	}
	if (!read_or_addr(l, c, b, v, len))
		return;
	memcpy(&family, b, sizeof(family));
	lputf(l, "{sa_family=");
	put_enum(l, families, ARRAY_SIZE(families), family);
	if (!sockaddr_min(family) || len < sockaddr_min(family)) {
		if (len > 2) {
			lputf(l, ", sa_data=");
			put_quoted(l, (const char *)b + 2, len - 2, false, false);
		}
	} else if (family == 1) {
		put_sockaddr_un(l, b, len);
	} else if (family == 2 || family == 10) {
		put_sockaddr_in(l, b, len, family);
	} else {
		uint32_t w[2];

		memcpy(w, b + 4, sizeof(w));
		lputf(l, ", nl_pid=%u, nl_groups=%08x", w[0], w[1]);
	}
	lputf(l, "}");
}

/* Its length is the next argument (connect, bind, sendto). */
static void put_sockaddr(struct line *l, const struct argctx *c, unsigned long v)
{
	put_sockaddr_len(l, c, v, c->i < 5 ? (int)c->a->a[c->i + 1] : 0);
}

/* ---- the rest ---- */

static void put_grndflags(struct line *l, const struct argctx *c, unsigned long v)
{
	put_flags(l, grndflags, ARRAY_SIZE(grndflags), v & 0xffffffffUL);
}

static void put_ohexbuf(struct line *l, const struct argctx *c, unsigned long v)
{
	char buf[STR_SHOWN];
	size_t n;

	if (c->ret < 0) {
		put_ptr(l, c, v);
		return;
	}
	n = (size_t)c->ret < STR_SHOWN ? (size_t)c->ret : STR_SHOWN;
	if (gmem_read(c->t, buf, v, n) < 0)
		put_ptr(l, c, v);
	else
		put_quoted(l, buf, n, (size_t)c->ret > n, true);
}

/* The command of a futex call, or -1 for other calls. */
static int futex_cmd(const struct argctx *c)
{
	return c->a->nr == SYS_FUTEX ? (int)(c->a->a[1] & 127) : -1;
}

static void put_futexop(struct line *l, const struct argctx *c, unsigned long v)
{
	int cmd = (int)(v & 127);

	put_enum(l, futexcmds, ARRAY_SIZE(futexcmds), cmd);
	if (v & 128)
		lputf(l, "_PRIVATE");
	if (v & 256)
		lputf(l, "|FUTEX_CLOCK_REALTIME");
}

void put_timespec_at(struct line *l, struct task *t, unsigned long v)
{
	long long ts[2];

	if (!v || gmem_read(t, ts, v, sizeof(ts)) < 0)
		put_addr(l, v);
	else
		lputf(l, "{tv_sec=%lld, tv_nsec=%lld}", ts[0], ts[1]);
}

static void put_timespec(struct line *l, const struct argctx *c, unsigned long v)
{
	int cmd = c->i == 3 ? futex_cmd(c) : -1;

	if (cmd == 3 || cmd == 4 || cmd == 5 || cmd == 12) { /* futex's val2 */
		lputf(l, "%u", (unsigned int)v);
		return;
	}
	put_timespec_at(l, c->t, v);
}

static void put_otimespec(struct line *l, const struct argctx *c, unsigned long v)
{
	if (out_shown(l, c, v))
		put_timespec(l, c, v);
}

static void put_ocpuset(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned char b[128];
	size_t n = c->ret > 0 && (size_t)c->ret < sizeof(b) ? (size_t)c->ret : sizeof(b);
	const char *sep = "";

	if (!out_shown(l, c, v) || !read_or_addr(l, c, b, v, n))
		return;
	lputf(l, "[");
	for (size_t cpu = 0; cpu < 8 * n; cpu++) {
		if (b[cpu / 8] & (1u << (cpu % 8))) {
			lputf(l, "%s%zu", sep, cpu);
			sep = " ";
		}
	}
	lputf(l, "]");
}

static void put_outsname(struct line *l, const struct argctx *c, unsigned long v)
{
	char u[2][65];

	if (!out_shown(l, c, v) || !read_or_addr(l, c, u, v, sizeof(u)))
		return;
	lputf(l, "{sysname=");
	put_quoted(l, u[0], strnlen(u[0], 64), false, false);
	lputf(l, ", nodename=");
	put_quoted(l, u[1], strnlen(u[1], 64), false, false);
	lputf(l, ", ...}");
}

static void put_madvice(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, madvices, ARRAY_SIZE(madvices), (int)v);
}

static void put_fadvice(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, fadvices, ARRAY_SIZE(fadvices), (int)v);
}

static void put_timerflags(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, (int)v == 1 ? "TIMER_ABSTIME" : "%d", (int)v);
}

/* The bitset ops' "any bit" mask has a name; other ops' last argument is a number. */
static void put_futexval3(struct line *l, const struct argctx *c, unsigned long v)
{
	int cmd = futex_cmd(c);

	if ((cmd == 9 || cmd == 10) && (unsigned int)v == 0xffffffffu)
		lputf(l, "FUTEX_BITSET_MATCH_ANY");
	else
		lputf(l, v ? "%#x" : "%u", (unsigned int)v);
}

/* struct clone_args (clone3): the fields strace shows for these flags. */
static void put_clone3args(struct line *l, const struct argctx *c, unsigned long v)
{
	uint64_t
	    ca[8]; /* flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls */
	int ptid;

	if (!read_or_addr(l, c, ca, v, sizeof(ca)))
		return;
	lputf(l, "{flags=");
	put_flags(l, cloneflags, ARRAY_SIZE(cloneflags), ca[0]);
	if (ca[0] & 0x1000)
		lputf(l, ", pidfd=%#llx", (unsigned long long)ca[1]);
	if (ca[0] & 0x1200000)
		lputf(l, ", child_tid=%#llx", (unsigned long long)ca[2]);
	if (ca[0] & 0x100000)
		lputf(l, ", parent_tid=%#llx", (unsigned long long)ca[3]);
	lputf(l, ", exit_signal=");
	if (ca[4])
		put_signame(l, (int)ca[4], "SIG");
	else
		lputf(l, "0");
	lputf(l, ", stack=");
	put_ptr(l, c, ca[5]);
	lputf(l, ca[6] ? ", stack_size=%#llx" : ", stack_size=%llu", (unsigned long long)ca[6]);
	if (ca[0] & 0x80000)
		lputf(l, ", tls=%#llx", (unsigned long long)ca[7]);
	lputf(l, "}");
	if (c->ret > 0 && (ca[0] & 0x100000) && gmem_read(c->t, &ptid, ca[3], sizeof(ptid)) == 0)
		lputf(l, " => {parent_tid=[%d]}", ptid);
}

put_fn decode_printer(enum arg_kind k)
{
	static const put_fn printers[ARG_NKINDS] = {
	    [ARG_ACCMODE] = put_accmode,
	    [ARG_OSTAT] = put_ostat,
	    [ARG_OSTATX] = put_ostatx,
	    [ARG_STATXFLAGS] = put_statxflags,
	    [ARG_STATXMASK] = put_statxmask,
	    [ARG_ARGV] = put_argv,
	    [ARG_ENVP] = put_envp,
	    [ARG_ARCHCODE] = put_archcode,
	    [ARG_RLIMRES] = put_rlimres,
	    [ARG_RLIMIT] = put_rlimit,
	    [ARG_ORLIMIT] = put_orlimit,
	    [ARG_SIGACTION] = put_sigaction,
	    [ARG_OSIGACTION] = put_osigaction,
	    [ARG_SIGHOW] = put_sighow,
	    [ARG_OSIGSET] = put_osigset,
	    [ARG_CLONEFLAGS] = put_cloneflags,
	    [ARG_OWSTATUS] = put_owstatus,
	    [ARG_WOPTIONS] = put_woptions,
	    [ARG_ODIRENTS] = put_odirents,
	    [ARG_IOCTLREQ] = put_ioctlreq,
	    [ARG_FCNTLARG] = put_fcntlarg,
	    [ARG_FDFLAGS] = put_fdflags,
	    [ARG_OPIPEFDS] = put_opipefds,
	    [ARG_SOCKFAMILY] = put_family,
	    [ARG_SOCKTYPE] = put_socktype,
	    [ARG_SOCKFLAGS] = put_sockflags,
	    [ARG_SOCKPROTO] = put_sockproto,
	    [ARG_SOCKADDR] = put_sockaddr,
	    [ARG_GRNDFLAGS] = put_grndflags,
	    [ARG_OHEXBUF] = put_ohexbuf,
	    [ARG_FUTEXOP] = put_futexop,
	    [ARG_TIMESPEC] = put_timespec,
	    [ARG_OCPUSET] = put_ocpuset,
	    [ARG_OUTSNAME] = put_outsname,
	    [ARG_FADVICE] = put_fadvice,
	    [ARG_TIMERFLAGS] = put_timerflags,
	    [ARG_CLONE3ARGS] = put_clone3args,
	    [ARG_FUTEXVAL3] = put_futexval3,
	    [ARG_IOCTLARG] = put_ioctlarg,
	    [ARG_IOVEC] = put_iovec,
	    [ARG_OIOVEC] = put_oiovec,
	    [ARG_POLLFDS] = put_pollfds,
	    [ARG_OCSTR] = put_ocstr,
	    [ARG_EPOLLOP] = put_epollop,
	    [ARG_EPOLLEVENT] = put_epollevent,
	    [ARG_OEPOLLEVENTS] = put_oepollevents,
	    [ARG_EPOLLFLAGS] = put_epollflags,
	    [ARG_MADVICE] = put_madvice,
	    [ARG_OTIMESPEC] = put_otimespec,
	    [ARG_SOCKLENP] = put_socklenp,
	    [ARG_OSOCKADDR] = put_osockaddr,
	    [ARG_MSGFLAGS] = put_msgflags,
	    [ARG_MSGHDR] = put_msghdr,
	    [ARG_OMSGHDR] = put_omsghdr,
	    [ARG_MMSGHDRS] = put_mmsghdrs,
	    [ARG_OMMSGHDRS] = put_ommsghdrs,
	    [ARG_SOCKLEVEL] = put_socklevel,
	    [ARG_SOCKOPT] = put_sockopt,
	    [ARG_SOCKOPTVAL] = put_sockoptval,
	    [ARG_OSOCKOPTVAL] = put_osockoptval,
	    [ARG_SHUTHOW] = put_shuthow,
	    [ARG_FDSET] = put_fdset,
	    [ARG_TIMEVAL] = put_timeval,
	    [ARG_PSELSIG] = put_pselsig,
	    [ARG_SIGFRAME] = put_sigframe,
	};

	return k > ARG_RAW && k < ARG_NKINDS ? printers[k] : NULL;
}

put_fn decode_entry_printer(enum arg_kind k, bool *final)
{
	/* select overwrites its sets, select, pselect6 and ppoll the time left */
	static const put_fn shown[ARG_NKINDS] = {
	    [ARG_FDSET] = put_fdset,
	    [ARG_TIMEVAL] = put_timeval,
	    [ARG_TIMESPEC] = put_timespec,
	    [ARG_SIGFRAME] = put_sigframe, /* the registers change */
	};
	/* read at the exit against their value at the entry */
	static const put_fn values[ARG_NKINDS] = {
	    [ARG_SOCKLENP] = enter_socklenp,
	    [ARG_OMSGHDR] = enter_omsghdr,
	    [ARG_OMMSGHDRS] = enter_ommsghdrs,
	};

	if (k <= ARG_RAW || k >= ARG_NKINDS)
		return NULL;
	*final = shown[k] != NULL;
	return shown[k] ?: values[k];
}

bool entry_value(const struct argctx *c, int j, long *v)
{
	char *end;

	if (j < 0 || j > 5 || !c->in[j])
		return false;
	*v = strtol(c->in[j], &end, 10);
	return *end == '\0';
}

bool decode_hidden(const struct arg_list *kk, const struct argctx *c)
{
	int i = c->i;
	unsigned long prev = i ? c->a->a[i - 1] : 0;

	if (kk->k[0] == ARG_CLONEFLAGS) /* its printer shows them all */
		return i > 0;
	if (kk->k[i] == ARG_MODE && i && kk->k[i - 1] == ARG_OFLAGS)
		return !(prev & 0100) && (prev & 020200000) != 020200000; /* O_CREAT, O_TMPFILE */
	if (kk->k[i] == ARG_FCNTLARG)
		return fcntl_noarg((int)prev);
	if (i > 1 && kk->k[1] == ARG_FUTEXOP) {
		int cmd = futex_cmd(c);
		int shown = cmd >= 0 && cmd < (int)ARRAY_SIZE(futex_nargs) ? futex_nargs[cmd] : 6;

		return i >= shown || ((cmd == 9 || cmd == 10) && i == 4); /* bitset: no uaddr2 */
	}
	return false;
}

/* fcntl's F_GETFD and F_GETFL results are flags: strace prints them in hex and by name. */
bool decode_result(struct line *l, struct task *t, const struct arg_list *kk,
		   const struct sysargs *a, long ret)
{
	struct argctx c = {t, a, 0, ret, NULL};

	if (kk->n >= 1 && kk->k[0] == ARG_POLLFDS)
		return decode_poll_result(l, &c, ret, kk->n > 2 && kk->k[2] == ARG_TIMESPEC);
	if (kk->n >= 1 && kk->k[0] == ARG_SIGFRAME) { /* the result is the restored register */
		lputf(l, " = %ld", ret);
		return true;
	}
	if (kk->n >= 5 && kk->k[1] == ARG_OMMSGHDRS)
		return decode_recvmmsg_result(l, &c, ret);
	if (kk->n >= 2 && kk->k[1] == ARG_FDSET) {
		decode_select_result(l, &c, ret);
		return true;
	}
	if (kk->n < 2 || kk->k[1] != ARG_FCNTLCMD)
		return false;
	if (a->a[1] == 1 && ret) /* F_GETFD */
		lputf(l, " = %#lx (flags %s)", ret, (ret & 1) ? "FD_CLOEXEC" : "0");
	else if (a->a[1] == 3) { /* F_GETFL */
		lputf(l, ret ? " = %#lx (flags " : " = %ld (flags ", ret);
		put_open_flags(l, (unsigned long)ret, true);
		lputf(l, ")");
	} else
		return false;
	return true;
}
