/*
 * Tests of the syscall table, the dispatcher, --trace formatting and the
 * seccomp filter.
 *
 * The table is checked against the host's asm/unistd_64.h.  Dispatch and
 * trace run on a kernel and a task built by hand; the task's host id is the
 * test process itself, so string and buffer arguments are read from its
 * own memory.  The filter test forks a traced child that uses int 0x80.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mm.h"
#include "hostargs.h"
#include "seccomp.h"
#include "suites.h"
#include "syscall.h"
#include "task.h"
#include "trace.h"
#include "trace_line.h"

#define UNISTD_64 "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"

/* Each kind's name in the string form syscalls.def rows had before the kinds were typed. */
static const char *const kind_names[ARG_NKINDS] = {
    [ARG_INT] = "int",		 [ARG_UINT] = "uint",	    [ARG_HEX] = "hex",
    [ARG_PTR] = "ptr",		 [ARG_FD] = "fd",	    [ARG_ATFD] = "atfd",
    [ARG_PATH] = "path",	 [ARG_STR] = "str",	    [ARG_BUF] = "buf",
    [ARG_OUTBUF] = "outbuf",	 [ARG_SIZE] = "size",	    [ARG_OFF] = "off",
    [ARG_OFLAGS] = "oflags",	 [ARG_MODE] = "mode",	    [ARG_ATFLAGS] = "atflags",
    [ARG_MMPROT] = "mmprot",	 [ARG_MMFLAGS] = "mmflags", [ARG_SIGNUM] = "signum",
    [ARG_SIGSET] = "sigset",	 [ARG_CLOCKID] = "clockid", [ARG_WHENCE] = "whence",
    [ARG_FCNTLCMD] = "fcntlcmd",
    [ARG_ACCMODE] = "accmode",	 [ARG_OSTAT] = "ostat",	    [ARG_OSTATX] = "ostatx",
    [ARG_STATXFLAGS] = "statxflags", [ARG_STATXMASK] = "statxmask",
    [ARG_ARGV] = "argv",	 [ARG_ENVP] = "envp",	    [ARG_ARCHCODE] = "archcode",
    [ARG_RLIMRES] = "rlimres",	 [ARG_RLIMIT] = "rlimit",   [ARG_ORLIMIT] = "orlimit",
    [ARG_SIGACTION] = "sigaction", [ARG_OSIGACTION] = "osigaction", [ARG_SIGHOW] = "sighow",
    [ARG_OSIGSET] = "osigset",	 [ARG_CLONEFLAGS] = "cloneflags", [ARG_OWSTATUS] = "owstatus",
    [ARG_WOPTIONS] = "woptions", [ARG_ODIRENTS] = "odirents", [ARG_IOCTLREQ] = "ioctlreq",
    [ARG_FCNTLARG] = "fcntlarg", [ARG_FDFLAGS] = "fdflags", [ARG_OPIPEFDS] = "opipefds",
    [ARG_SOCKFAMILY] = "sockfamily", [ARG_SOCKTYPE] = "socktype", [ARG_SOCKPROTO] = "sockproto",
    [ARG_SOCKADDR] = "sockaddr", [ARG_GRNDFLAGS] = "grndflags", [ARG_OHEXBUF] = "ohexbuf",
    [ARG_FUTEXOP] = "futexop",	 [ARG_TIMESPEC] = "timespec", [ARG_OCPUSET] = "ocpuset",
    [ARG_OUTSNAME] = "outsname", [ARG_FADVICE] = "fadvice", [ARG_TIMERFLAGS] = "timerflags",
    [ARG_CLONE3ARGS] = "clone3args", [ARG_FUTEXVAL3] = "futexval3", [ARG_IOCTLARG] = "ioctlarg",
    [ARG_IOVEC] = "iovec", [ARG_OIOVEC] = "oiovec", [ARG_POLLFDS] = "pollfds", [ARG_OCSTR] = "ocstr",
    [ARG_EPOLLOP] = "epollop", [ARG_EPOLLEVENT] = "epollevent", [ARG_OEPOLLEVENTS] = "oepollevents",
    [ARG_EPOLLFLAGS] = "epollflags", [ARG_MADVICE] = "madvice", [ARG_OTIMESPEC] = "otimespec",
    [ARG_SOCKFLAGS] = "sockflags", [ARG_SOCKLENP] = "socklenp", [ARG_OSOCKADDR] = "osockaddr",
    [ARG_MSGFLAGS] = "msgflags", [ARG_MSGHDR] = "msghdr", [ARG_OMSGHDR] = "omsghdr",
    [ARG_MMSGHDRS] = "mmsghdrs", [ARG_OMMSGHDRS] = "ommsghdrs",
    [ARG_SOCKLEVEL] = "socklevel", [ARG_SOCKOPT] = "sockopt", [ARG_SOCKOPTVAL] = "sockoptval",
    [ARG_OSOCKOPTVAL] = "osockoptval", [ARG_SHUTHOW] = "shuthow", [ARG_FDSET] = "fdset",
    [ARG_TIMEVAL] = "timeval", [ARG_PSELSIG] = "pselsig", [ARG_SIGFRAME] = "sigframe",
};

/* ---- the table ---- */

START_TEST(table_matches_unistd)
{
	FILE *f = fopen(UNISTD_64, "r");
	char line[256], name[64];
	int nr, seen = 0;

	if (!f)
		return; /* no kernel headers on this host: nothing to compare */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "#define __NR_%63s %d", name, &nr) != 2)
			continue;
		const struct sys_entry *e = sys_lookup(nr);
		ck_assert_msg(e, "no row for %s (%d)", name, nr);
		ck_assert_msg(strcmp(e->name, name) == 0, "row %d is %s, header says %s", nr,
			      e->name, name);
		seen++;
	}
	fclose(f);
	ck_assert_int_gt(seen, 350);
}
END_TEST

START_TEST(table_covers_new_numbers)
{
	ck_assert_str_eq(sys_lookup(0)->name, "read");
	ck_assert_str_eq(sys_lookup(262)->name, "newfstatat");
	ck_assert_str_eq(sys_lookup(334)->name, "rseq");
	ck_assert_str_eq(sys_lookup(424)->name, "pidfd_send_signal");
	ck_assert_str_eq(sys_lookup(451)->name, "cachestat");
	ck_assert_str_eq(sys_lookup(462)->name, "mseal");
	ck_assert_str_eq(sys_lookup(469)->name, "file_setattr");
	for (int nr = 335; nr < 424; nr++)
		ck_assert_msg(!sys_lookup(nr), "row for unassigned number %d", nr);
	for (int nr = 470; nr < SYS_NR_MAX; nr++)
		ck_assert_msg(!sys_lookup(nr), "row for unassigned number %d", nr);
	ck_assert_ptr_null(sys_lookup(-1));
	ck_assert_ptr_null(sys_lookup(SYS_NR_MAX));
	ck_assert_ptr_null(sys_lookup(0x40000000 | 39));
}
END_TEST

START_TEST(rows_have_notes)
{
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (!e || e->level == SYS_FULL)
			continue;
		ck_assert_msg(e->note && e->note[0], "%s row %s (%d) has no note",
			      sys_level_name(e->level), e->name, nr);
	}
}
END_TEST

/* A RAWARGS row: six arguments, none of them named. */
static bool row_raw(const struct sys_entry *e)
{
	for (int i = 0; i < 6; i++)
		if (e->args.k[i] != ARG_RAW)
			return false;
	return e->args.n == 6;
}

/* e's kinds in the old string form: "fd,outbuf,size", "hex->hex", "void->none", "". */
static void kinds_string(const struct sys_entry *e, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	if (e->args.n == 0)
		len += (size_t)snprintf(buf + len, n - len, "void");
	for (int i = 0; i < e->args.n && !row_raw(e); i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? "," : "",
					kind_names[e->args.k[i]]);
	if (e->ret != RET_DEC)
		snprintf(buf + len, n - len, "->%s", e->ret == RET_HEX ? "hex" : "none");
}

/* The kind named name, or -1. */
static int kind_of(const char *name)
{
	for (int k = 0; k < ARG_NKINDS; k++)
		if (kind_names[k] && strcmp(kind_names[k], name) == 0)
			return k;
	return -1;
}

/* The result kind of the old "->hex" suffix (arrow NULL: none), or -1. */
static int ret_of(const char *arrow)
{
	if (!arrow)
		return RET_DEC;
	if (strcmp(arrow, "->hex") == 0)
		return RET_HEX;
	return strcmp(arrow, "->none") == 0 ? RET_NORET : -1;
}

/* Every kind has a name of its own (raw words have none). */
START_TEST(kind_names_cover_kinds)
{
	ck_assert_ptr_null(kind_names[ARG_RAW]);
	for (int k = ARG_RAW + 1; k < ARG_NKINDS; k++) {
		ck_assert_msg(kind_names[k], "kind %d has no name", k);
		ck_assert_int_eq(kind_of(kind_names[k]), k);
	}
}
END_TEST

START_TEST(rows_have_valid_kinds)
{
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (!e)
			continue;
		ck_assert_msg(e->args.n >= 0 && e->args.n <= 6, "%s: %d arguments", e->name,
			      e->args.n);
		for (int i = 0; i < 6; i++) {
			bool named = i < e->args.n && !row_raw(e);
			ck_assert_msg(e->args.k[i] >= 0 && e->args.k[i] < ARG_NKINDS,
				      "%s: argument %d has kind %d", e->name, i, e->args.k[i]);
			ck_assert_msg(named == (e->args.k[i] != ARG_RAW), "%s: argument %d is %s",
				      e->name, i,
				      named ? "raw inside ARGS()" : "named past the last");
		}
		ck_assert_msg(e->ret == RET_DEC || e->ret == RET_HEX || e->ret == RET_NORET,
			      "%s: result kind %d", e->name, e->ret);
	}
}
END_TEST

/* Every row's kinds, printed as the old string and read back, are the same kinds. */
START_TEST(kinds_round_trip)
{
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);
		char s[128], *save = NULL;
		int n = 0;

		if (!e)
			continue;
		kinds_string(e, s, sizeof(s));
		char *arrow = strstr(s, "->");
		ck_assert_int_eq(e->ret, ret_of(arrow));
		if (arrow)
			*arrow = '\0';
		if (!s[0] || !strcmp(s, "void")) {
			ck_assert_int_eq(e->args.n, s[0] ? 0 : 6);
			continue;
		}
		for (char *k = strtok_r(s, ",", &save); k; k = strtok_r(NULL, ",", &save), n++)
			ck_assert_msg(n < 6 && kind_of(k) == (int)e->args.k[n], "%s: argument %d",
				      e->name, n);
		ck_assert_int_eq(n, e->args.n);
	}
}
END_TEST

START_TEST(kinds_strings)
{
	static const struct {
		int nr;
		const char *kinds;
	} rows[] = {
	    {0, "fd,outbuf,size"},
	    {9, "ptr,size,mmprot,mmflags,fd,hex->hex"},
	    {12, "ptr->hex"},
	    {15, "sigframe->none"},
	    {39, "void"},
	    {174, ""},
	    {231, "int->none"},
	    {257, "atfd,path,oflags,mode"},
	    {72, "fd,fcntlcmd,fcntlarg"},
	    {14, "sighow,sigset,osigset,size"},
	    {288, "fd,osockaddr,socklenp,sockflags"},
	    {270, "int,fdset,fdset,fdset,timespec,pselsig"},
	};
	char s[128];

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		kinds_string(sys_lookup(rows[i].nr), s, sizeof(s));
		ck_assert_str_eq(s, rows[i].kinds);
	}
}
END_TEST

/* The rows with a clock id argument (nr, index), which HOST rows check (seccomp.c, hostargs.c). */
START_TEST(clockid_rows)
{
	static const int rows[][2] = {{222, 0}, {227, 0}, {228, 0}, {229, 0}, {230, 0},
				      {283, 0}, {305, 0}, {449, 4}, {455, 5}};
	size_t found = 0;

	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);
		int i = e ? sys_arg_index(e, ARG_CLOCKID) : -1;

		if (i < 0)
			continue;
		ck_assert_msg(found < ARRAY_SIZE(rows), "%s has a clock id", e->name);
		ck_assert_int_eq(nr, rows[found][0]);
		ck_assert_int_eq(i, rows[found][1]);
		found++;
	}
	ck_assert_uint_eq(found, ARRAY_SIZE(rows));
	ck_assert_int_eq(sys_arg_index(sys_lookup(0), ARG_CLOCKID), -1);
}
END_TEST

START_TEST(print_table)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	sys_print_table(out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "\n   0 read "));
	ck_assert_ptr_nonnull(strstr(buf, "\n 134 uselib                   NONE     obsolete\n"));
	ck_assert_ptr_nonnull(strstr(buf, " HOST, "));
	ck_assert_ptr_nonnull(strstr(buf, " NONE\n"));
	free(buf);
}
END_TEST

/* ---- dispatch ---- */

struct fixture {
	struct kernel k;
	struct tgroup tg;
	struct task t;
	char *out;
	size_t len;
};

static struct fixture *fixture_new(bool trace)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->tg.pid = 1;
	fx->t.k = &fx->k;
	fx->t.tg = &fx->tg;
	fx->t.tid = 1;
	fx->t.hpid = getpid(); /* guest memory is this process's memory */
	fx->t.memfd = -1;
	task_caller_init(&fx->t);
	if (trace)
		fx->k.opts.trace = open_memstream(&fx->out, &fx->len);
	return fx;
}

static void fixture_free(struct fixture *fx)
{
	if (fx->k.opts.trace)
		fclose(fx->k.opts.trace);
	free(fx->out);
	free(fx);
}

static long call(struct fixture *fx, int nr, unsigned long a0, unsigned long a1)
{
	fx->t.cur = (struct sysargs){nr, {a0, a1, 0, 0, 0, 0}};
	fx->t.host_exit = NULL;
	long r = sys_dispatch(&fx->t);
	if (r != -UOS_EHOST) /* what the transport does with a result */
		sys_finish(&fx->t, r);
	return r;
}

START_TEST(dispatch_none)
{
	struct fixture *fx = fixture_new(false);

	ck_assert_int_eq(call(fx, 134, 0, 0), -ENOSYS); /* uselib */
	ck_assert(!fx->k.stats.warned[134]); /* quiet unless asked */
	fx->k.opts.warn_unsupported = true;
	ck_assert_int_eq(call(fx, 134, 0, 0), -ENOSYS);
	ck_assert(fx->k.stats.warned[134]);
	ck_assert_uint_eq(fx->k.stats.calls[134], 2);
	ck_assert_uint_eq(fx->k.stats.errors[134], 2);
	fixture_free(fx);
}
END_TEST

START_TEST(dispatch_unknown_numbers)
{
	struct fixture *fx = fixture_new(false);

	fx->k.opts.warn_unsupported = true;
	ck_assert_int_eq(call(fx, 400, 0, 0), -ENOSYS);
	ck_assert(fx->k.stats.warned[400]);
	ck_assert_uint_eq(fx->k.stats.calls[400], 1);
	ck_assert_int_eq(call(fx, -1, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(fx, 0x40000027, 0, 0), -ENOSYS);
	ck_assert_uint_eq(fx->k.stats.bad_nr, 2);
	fixture_free(fx);
}
END_TEST

START_TEST(dispatch_host)
{
	struct fixture *fx = fixture_new(false);

	ck_assert_int_eq(call(fx, 24, 0, 0), -UOS_EHOST); /* sched_yield */
	ck_assert_ptr_null(fx->t.host_exit);
	ck_assert_int_eq(call(fx, 228, 1, 0), -UOS_EHOST); /* clock_gettime(MONOTONIC) */
	/* -6: the caller's own CPU clock; -14: pid 1's; -5: a clock fd (fd 0). */
	ck_assert_int_eq(call(fx, 228, (unsigned long)-6, 0), -UOS_EHOST);
	ck_assert_int_eq(call(fx, 228, (unsigned long)-14, 0), -EINVAL);
	ck_assert_int_eq(call(fx, 228, 0xfffffff2UL, 0), -EINVAL);
	ck_assert_int_eq(call(fx, 230, (unsigned long)-5, 0), -EINVAL);
	ck_assert_int_eq(call(fx, 24, 0, 0), -UOS_EHOST);
	sys_finish(&fx->t, -EINTR); /* the host's result, at the syscall-exit stop */
	ck_assert_uint_eq(fx->k.stats.errors[24], 1);
	ck_assert_uint_eq(fx->k.stats.fails[2].n, 1); /* after clock_gettime's and clock_getres's */
	ck_assert_int_eq(fx->k.stats.fails[2].nr, 24);
	ck_assert_int_eq(fx->k.stats.fails[2].err, EINTR);
	fixture_free(fx);
}
END_TEST

/* The HOST rows' allow-lists (hostargs.c): a refused value gets Linux's errno. */
START_TEST(dispatch_host_allow_lists)
{
	struct fixture *fx = fixture_new(false);

	fx->tg.mm = mm_alloc();
	ck_assert_int_eq(call(fx, SYS_arch_prctl, ARCH_GET_FS, 0), -UOS_EHOST);
	ck_assert_int_eq(call(fx, SYS_arch_prctl, ARCH_SET_GS, 0), -UOS_EHOST);
	ck_assert_int_eq(call(fx, SYS_arch_prctl, 0x100000000UL | ARCH_GET_FS, 0), -UOS_EHOST);
	ck_assert_int_eq(call(fx, SYS_arch_prctl, 0x4002, 6), -EINVAL); /* ENABLE_TAGGED_ADDR */
	ck_assert_int_eq(call(fx, SYS_arch_prctl, 0x9999, 0), -EINVAL);
	ck_assert_int_eq(call(fx, SYS_arch_prctl, ARCH_MAP_VDSO_64, 0), -EINVAL); /* no vDSO */
	ck_assert_int_eq(mm_map(fx->tg.mm, 0x7000000000UL, 8192, PROT_READ | PROT_EXEC,
				MAP_PRIVATE, &(struct vma_src){.name = "[vdso]"}), 0);
	ck_assert_int_eq(call(fx, SYS_arch_prctl, ARCH_MAP_VDSO_64, 0), -EEXIST);
	ck_assert_int_eq(call(fx, SYS_arch_prctl, ARCH_MAP_VDSO_X32, 0), -EINVAL);
	fx->t.cur = (struct sysargs){SYS_mlock2, {0x1000, 4096, MLOCK_ONFAULT}};
	ck_assert_int_eq(sys_dispatch(&fx->t), -UOS_EHOST);
	fx->t.cur = (struct sysargs){SYS_mlock2, {0x1000, 4096, 2}};
	ck_assert_int_eq(sys_dispatch(&fx->t), -EINVAL);
	fx->t.cur = (struct sysargs){SYS_rseq, {0, 32, 1, 0}};
	ck_assert_int_eq(sys_dispatch(&fx->t), -ENOSYS); /* refused: see syscalls.def */
	mm_free(fx->tg.mm);
	fixture_free(fx);
}
END_TEST

/* ---- trace ---- */

static const char *traced(struct fixture *fx, int nr, const unsigned long a[6], long ret)
{
	struct sysargs args = {nr, {a[0], a[1], a[2], a[3], a[4], a[5]}};

	fflush(fx->k.opts.trace);
	size_t start = fx->len;
	trace_call(&fx->t, &args, ret);
	fflush(fx->k.opts.trace);
	return fx->out + start;
}

#define TRACED(fx, nr, ret, ...) traced(fx, nr, (const unsigned long[6]){__VA_ARGS__}, ret)

START_TEST(trace_numbers_and_flags)
{
	struct fixture *fx = fixture_new(true);

	ck_assert_str_eq(TRACED(fx, 8, 10, 3, (unsigned long)-5, 2),
			 "[pid 1] lseek(3, -5, SEEK_END) = 10\n");
	ck_assert_str_eq(TRACED(fx, 9, 0x7f0000001000, 0, 4096, 3, 0x22, (unsigned long)-1, 0),
			 "[pid 1] mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
			 " = 0x7f0000001000\n");
	ck_assert_str_eq(TRACED(fx, 10, 0, 0x1000, 0x2000, 0),
			 "[pid 1] mprotect(0x1000, 8192, PROT_NONE) = 0\n");
	ck_assert_str_eq(TRACED(fx, 62, -ESRCH, 7, 15),
			 "[pid 1] kill(7, SIGTERM) = -1 ESRCH (No such process)\n");
	ck_assert_str_eq(TRACED(fx, 72, 0, 3, 2, 1), "[pid 1] fcntl(3, F_SETFD, FD_CLOEXEC) = 0\n");
	ck_assert_str_eq(TRACED(fx, 231, -UOS_ENORESULT, 0), "[pid 1] exit_group(0) = ?\n");
	ck_assert_str_eq(TRACED(fx, 39, 1, 0), "[pid 1] getpid() = 1\n");
	ck_assert_str_eq(TRACED(fx, 83, -EROFS, 0, 0755),
			 "[pid 1] mkdir(NULL, 0755) = -1 EROFS (Read-only file system)\n");
	ck_assert_str_eq(TRACED(fx, 400, -ENOSYS, 1, 2, 3, 4, 5, 6),
			 "[pid 1] syscall_400(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)"
			 " = -1 ENOSYS (Function not implemented)\n");
	ck_assert_str_eq(
	    TRACED(fx, 174, -ENOSYS, 0, 0, 0, 0, 0, 0x10),
	    "[pid 1] create_module(0, 0, 0, 0, 0, 0x10) = -1 ENOSYS (Function not implemented)\n");
	ck_assert_str_eq(TRACED(fx, 35, -512, 0, 0),
			 "[pid 1] nanosleep(NULL, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n");
	ck_assert_str_eq(TRACED(fx, 7, -514, 0, 0, 0),
			 "[pid 1] poll(NULL, 0, 0) = ? ERESTARTNOHAND (To be restarted if no handler)\n");
	fixture_free(fx);
}
END_TEST

START_TEST(trace_open_flags)
{
	struct fixture *fx = fixture_new(true);
	const char *path = "/etc/hostname";

	ck_assert_str_eq(TRACED(fx, 257, 3, (unsigned long)-100, (unsigned long)path, 02000000),
			 "[pid 1] openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|O_CLOEXEC) = 3\n");
	ck_assert_str_eq(
	    TRACED(fx, 2, -ENOENT, (unsigned long)path, 0101 | 01000 | 020200000, 0644),
	    "[pid 1] open(\"/etc/hostname\", O_WRONLY|O_CREAT|O_TRUNC|O_TMPFILE, 0644)"
	    " = -1 ENOENT (No such file or directory)\n");
	ck_assert_str_eq(TRACED(fx, 263, 0, 5, (unsigned long)path, 0x200 | 0x10000),
			 "[pid 1] unlinkat(5, \"/etc/hostname\", AT_REMOVEDIR|0x10000) = 0\n");
	fixture_free(fx);
}
END_TEST

START_TEST(trace_buffers)
{
	struct fixture *fx = fixture_new(true);
	const char *data = "hi\n\"there\"\t\001";
	const char *big = "0123456789012345678901234567890123456789";

	ck_assert_str_eq(TRACED(fx, 1, 12, 1, (unsigned long)data, 12),
			 "[pid 1] write(1, \"hi\\n\\\"there\\\"\\t\\1\", 12) = 12\n");
	ck_assert_str_eq(TRACED(fx, 0, 40, 0, (unsigned long)big, 100),
			 "[pid 1] read(0, \"01234567890123456789012345678901\"..., 100) = 40\n");
	/* A failed read shows the buffer's address, not its stale contents. */
	const char *l = TRACED(fx, 0, -EAGAIN, 0, (unsigned long)big, 100);
	ck_assert_msg(strncmp(l, "[pid 1] read(0, 0x", 18) == 0, "%s", l);
	fixture_free(fx);
}
END_TEST

START_TEST(trace_sigset)
{
	struct fixture *fx = fixture_new(true);
	uint64_t set = (1ULL << (SIGINT - 1)) | (1ULL << (SIGTERM - 1)) | (1ULL << 33);
	uint64_t most = ~(1ULL << (SIGKILL - 1));

	ck_assert_str_eq(TRACED(fx, 14, 0, 0, (unsigned long)&set, 0, 8),
			 "[pid 1] rt_sigprocmask(SIG_BLOCK, [INT TERM RT_2], NULL, 8) = 0\n");
	ck_assert_str_eq(TRACED(fx, 14, 0, 2, (unsigned long)&most, 0, 8),
			 "[pid 1] rt_sigprocmask(SIG_SETMASK, ~[KILL], NULL, 8) = 0\n");
	fixture_free(fx);
}
END_TEST

/* The kinds printed as strace prints structures, arrays and dependent arguments. */
START_TEST(trace_structures)
{
	struct fixture *fx = fixture_new(true);
	struct stat st = {.st_mode = S_IFDIR | S_ISVTX | 0777, .st_size = 20480};
	unsigned long sa[4] = {1, 0x14000000, 0x7000, 1UL << (SIGCHLD - 1)};
	uint64_t rl[2] = {8192 * 1024, UINT64_MAX};
	int fds[2] = {3, 4}, status = 3 << 8;
	unsigned char in[16] = {2, 0, 0, 80, 127, 0, 0, 1};
	long long ts[2] = {1, 5};
	const char *path = "/f";

	ck_assert_str_eq(TRACED(fx, 262, 0, (unsigned long)-100, (unsigned long)path,
				(unsigned long)&st, 0x100),
			 "[pid 1] newfstatat(AT_FDCWD, \"/f\", {st_mode=S_IFDIR|S_ISVTX|0777, "
			 "st_size=20480, ...}, AT_SYMLINK_NOFOLLOW) = 0\n");
	/* A failed call wrote nothing: its buffer is an address. */
	ck_assert_msg(strstr(TRACED(fx, 5, -EBADF, 9, (unsigned long)&st), "fstat(9, 0x"), "%s",
		      fx->out);
	ck_assert_str_eq(TRACED(fx, 13, 0, 17, (unsigned long)sa, 0, 8),
			 "[pid 1] rt_sigaction(SIGCHLD, {sa_handler=SIG_IGN, sa_mask=[CHLD], "
			 "sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7000}, NULL, 8) = 0\n");
	ck_assert_str_eq(TRACED(fx, 302, 0, 0, 3, 0, (unsigned long)rl),
			 "[pid 1] prlimit64(0, RLIMIT_STACK, NULL, "
			 "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0\n");
	ck_assert_str_eq(TRACED(fx, 293, 0, (unsigned long)fds, 02000000),
			 "[pid 1] pipe2([3, 4], O_CLOEXEC) = 0\n");
	ck_assert_str_eq(TRACED(fx, 61, 7, 7, (unsigned long)&status, 1, 0),
			 "[pid 1] wait4(7, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], WNOHANG, NULL) = 7\n");
	ck_assert_str_eq(TRACED(fx, 42, 0, 3, (unsigned long)in, 16),
			 "[pid 1] connect(3, {sa_family=AF_INET, sin_port=htons(80), "
			 "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n");
	ck_assert_str_eq(TRACED(fx, 41, 3, 1, 02000001, 0),
			 "[pid 1] socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3\n");
	ck_assert_str_eq(TRACED(fx, 56, 5, 0x1200011, 0, 0, 0x7000, 0),
			 "[pid 1] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|"
			 "CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7000) = 5\n");
	ck_assert_str_eq(TRACED(fx, 202, 0, 0x7000, 0x81, 1),
			 "[pid 1] futex(0x7000, FUTEX_WAKE_PRIVATE, 1) = 0\n");
	ck_assert_str_eq(TRACED(fx, 230, 0, 0, 0, (unsigned long)ts, 0),
			 "[pid 1] clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=5}, NULL) = 0\n");
	ck_assert_str_eq(TRACED(fx, 72, 1, 3, 1),
			 "[pid 1] fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)\n");
	ck_assert_str_eq(TRACED(fx, 72, 0x8002, 3, 3),
			 "[pid 1] fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)\n");
	ck_assert_str_eq(TRACED(fx, 21, 0, (unsigned long)path, 6),
			 "[pid 1] access(\"/f\", R_OK|W_OK) = 0\n");
	/* octal escapes are short unless a digit follows */
	ck_assert_str_eq(TRACED(fx, 1, 4, 1, (unsigned long)"\0013\002x", 4),
			 "[pid 1] write(1, \"\\0013\\2x\", 4) = 4\n");
	fixture_free(fx);
}
END_TEST

/* Every row traces with NULL, zero and wild arguments, after success and failure. */
START_TEST(trace_every_row)
{
	struct fixture *fx = fixture_new(true);
	static const long rets[] = {0, 8, -EFAULT, -UOS_ENORESULT};

	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		for (size_t r = 0; r < ARRAY_SIZE(rets); r++) {
			const char *l = TRACED(fx, nr, rets[r], 0, 0, 0, 0, 0, 0);

			ck_assert_msg(strncmp(l, "[pid 1] ", 8) == 0, "%d: %s", nr, l);
			l = TRACED(fx, nr, rets[r], 1, 0x7ffffffff000, 2, 0xdead0000, 3, 5);
			ck_assert_msg(strncmp(l, "[pid 1] ", 8) == 0, "%d: %s", nr, l);
		}
	}
	fixture_free(fx);
	/* the kinds past FCNTLCMD are trace_decode.c's: each has its printer */
	for (int k = ARG_FCNTLCMD + 1; k < ARG_NKINDS; k++)
		ck_assert_msg(decode_printer((enum arg_kind)k), "kind %s has no printer",
			      kind_names[k]);
}
END_TEST

START_TEST(trace_off_is_silent)
{
	struct fixture *fx = fixture_new(false);

	trace_call(&fx->t, &(struct sysargs){39, {0}}, 1); /* no stream: nothing to do */
	ck_assert_ptr_null(fx->out);
	fixture_free(fx);
}
END_TEST

START_TEST(summary_report)
{
	struct fixture *fx = fixture_new(false);
	char *buf = NULL;
	size_t len = 0;

	call(fx, 134, 0, 0);
	fx->k.stats.calls[0] = 7;
	fx->t.cur.nr = 0;
	sys_finish(&fx->t, -EBADF);
	sys_finish(&fx->t, -EBADF);
	FILE *out = open_memstream(&buf, &len);
	trace_summary(&fx->k, out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "         7          2  read\n"));
	ck_assert_ptr_nonnull(strstr(buf, "         1          1  uselib\n"));
	ck_assert_ptr_nonnull(strstr(buf, "         8          3  total\n"));
	ck_assert_ptr_nonnull(strstr(buf, "uselib               NONE     obsolete\n"));
	ck_assert_ptr_nonnull(strstr(buf, "failed calls:\n         1  uselib: ENOSYS (Function not implemented)\n"
					  "         2  read: EBADF (Bad file descriptor)\n"));
	ck_assert(strstr(buf, "  read\n") < strstr(buf, "  uselib\n")); /* most called first */
	free(buf);
	fixture_free(fx);
}
END_TEST

/* ---- the seccomp filter ---- */

/* A traced child that installs the filter and makes an i386 getpid. */
static void abi_child(void)
{
	struct kernel k;

	int listener;

	memset(&k, 0, sizeof(k));
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
		_exit(2);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(&k, &listener) < 0)
		_exit(3);
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	_exit(0);
}

/* Whether the host kernel runs int $0x80 at all (no i386 emulation: SIGSEGV). */
static bool host_has_i386(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		long ret;
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
		_exit(0);
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

START_TEST(seccomp_refuses_i386)
{
	if (!host_has_i386())
		return; /* the kernel itself refuses the ABI; trap.c names it then */
	pid_t pid = fork();
	int st;
	char msg[160] = "";

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		abi_child();
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSTOPPED(st));
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, pid, 0, 0);
	while (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
		int sig = WSTOPSIG(st);
		siginfo_t si;

		if (sig == SIGSYS && ptrace(PTRACE_GETSIGINFO, pid, 0, &si) == 0)
			ck_assert(seccomp_abi_violation(&si, msg, sizeof(msg)));
		/* Seccomp stops (libc's own calls): let the host run them. */
		ptrace(PTRACE_CONT, pid, 0, sig == SIGTRAP ? 0 : sig);
	}
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "child status %#x", st);
	ck_assert_str_eq(msg,
			 "guest used the i386 int 0x80 ABI (syscall 20); uos supports x86-64 only");
}
END_TEST

/*
 * A traced child that installs the filter (HOST rows allowed) and makes
 * HOST calls with allowed and refused arguments; the host runs them all.
 */
static void host_rows_child(void)
{
	struct kernel k;
	unsigned long fs;
	char page[4096] __attribute__((aligned(4096)));

	int listener;

	memset(&k, 0, sizeof(k));
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
		_exit(2);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(&k, &listener) < 0)
		_exit(3);
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);	/* allowed */
	syscall(SYS_arch_prctl, 0x9999, 0);		/* stops */
	syscall(SYS_arch_prctl, ARCH_MAP_VDSO_64, 0);	/* stops */
	syscall(SYS_mlock2, page, 4096, MLOCK_ONFAULT); /* allowed */
	syscall(SYS_mlock2, page, 4096, 2);		/* stops */
	syscall(SYS_rseq, NULL, 0, 2, 0);		/* stops */
	_exit(0);
}

/* Run host_rows_child; the HOST calls it stopped in, as "nr:arg ". */
static void host_rows_stops(char *seen, size_t n)
{
	pid_t pid = fork();
	int st;
	size_t len = 0;

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		host_rows_child();
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, pid, 0, 0);
	seen[0] = 0;
	while (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
		struct user_regs_struct r;

		if (st >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8) &&
		    ptrace(PTRACE_GETREGS, pid, 0, &r) == 0 &&
		    (r.orig_rax == SYS_arch_prctl || r.orig_rax == SYS_mlock2 ||
		     r.orig_rax == SYS_rseq) && len < n - 32)
			len += (size_t)snprintf(seen + len, n - len, "%llu:%#llx ", r.orig_rax,
						r.orig_rax == SYS_arch_prctl ? r.rdi : r.rdx);
		ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st));
	}
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x", st);
}

START_TEST(seccomp_host_allow_lists)
{
	char seen[256];

	host_rows_stops(seen, sizeof(seen));
	ck_assert_str_eq(seen, "158:0x9999 158:0x2003 325:0x2 334:0x2 ");
}
END_TEST

START_TEST(seccomp_clockids)
{
	ck_assert(hostargs_clockid_ok(0));
	ck_assert(hostargs_clockid_ok(11));
	ck_assert(hostargs_clockid_ok(-2));  /* this thread, SCHED */
	ck_assert(hostargs_clockid_ok(-8));  /* this process, PROF */
	ck_assert(!hostargs_clockid_ok(-5)); /* clock fd 0 */
	ck_assert(!hostargs_clockid_ok(-9)); /* pid 1 */
	ck_assert(!hostargs_clockid_ok(-14));
	ck_assert(!hostargs_clockid_ok(-2147483647 - 1));
}
END_TEST

START_TEST(seccomp_other_sigsys)
{
	siginfo_t si;
	char msg[160];

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSYS;
	si.si_code = 1;		 /* SYS_SECCOMP */
	si.si_arch = 0xc000003e; /* AUDIT_ARCH_X86_64 */
	si.si_syscall = 39;
	ck_assert(!seccomp_abi_violation(&si, msg, sizeof(msg)));
	si.si_syscall = 0x40000000 | 39;
	ck_assert(seccomp_abi_violation(&si, msg, sizeof(msg)));
	ck_assert_ptr_nonnull(strstr(msg, "x32 ABI (syscall 39"));
	si.si_code = SI_USER;
	ck_assert(!seccomp_abi_violation(&si, msg, sizeof(msg)));
}
END_TEST

/* ---- every FULL and PARTIAL row has a handler ---- */

START_TEST(handlers_present)
{
	char missing[4096] = "";
	size_t len = 0;
	int n = 0;

	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (!e || e->level > SYS_PARTIAL || e->fn)
			continue;
		n++;
		if (len < sizeof(missing) - 32)
			len +=
			    (size_t)snprintf(missing + len, sizeof(missing) - len, " %s", e->name);
	}
	ck_assert_msg(n == 0, "%d FULL/PARTIAL rows without a handler:%s", n, missing);
}
END_TEST

Suite *syscall_suite(void)
{
	Suite *s = suite_create("syscall");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, table_matches_unistd);
	tcase_add_test(tc, table_covers_new_numbers);
	tcase_add_test(tc, rows_have_notes);
	tcase_add_test(tc, kind_names_cover_kinds);
	tcase_add_test(tc, rows_have_valid_kinds);
	tcase_add_test(tc, kinds_round_trip);
	tcase_add_test(tc, kinds_strings);
	tcase_add_test(tc, clockid_rows);
	tcase_add_test(tc, print_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("dispatch");
	tcase_add_test(tc, dispatch_none);
	tcase_add_test(tc, dispatch_unknown_numbers);
	tcase_add_test(tc, dispatch_host);
	tcase_add_test(tc, dispatch_host_allow_lists);
	suite_add_tcase(s, tc);

	tc = tcase_create("trace");
	tcase_add_test(tc, trace_numbers_and_flags);
	tcase_add_test(tc, trace_open_flags);
	tcase_add_test(tc, trace_buffers);
	tcase_add_test(tc, trace_sigset);
	tcase_add_test(tc, trace_structures);
	tcase_add_test(tc, trace_every_row);
	tcase_add_test(tc, trace_off_is_silent);
	tcase_add_test(tc, summary_report);
	suite_add_tcase(s, tc);

	tc = tcase_create("seccomp");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, seccomp_refuses_i386);
	tcase_add_test(tc, seccomp_clockids);
	tcase_add_test(tc, seccomp_host_allow_lists);
	tcase_add_test(tc, seccomp_other_sigsys);
	suite_add_tcase(s, tc);

	tc = tcase_create("handlers_present");
	tcase_add_test(tc, handlers_present);
	suite_add_tcase(s, tc);
	return s;
}
