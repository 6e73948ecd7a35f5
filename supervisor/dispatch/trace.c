/*
 * --trace and --summary (see trace.h).
 *
 * A trace line is built in one buffer and written with one fputs, so it
 * never interleaves with other output.  Arguments are decoded by the kinds
 * of the call's row in syscalls.def; each kind is one small printer below,
 * and flag words are decoded from const {value, name} tables.  Guest memory
 * (strings, buffers, signal sets) is read with gmem_*; a failed read prints
 * the pointer instead.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gmem.h"
#include "syscall.h"
#include "trace.h"
#include "trace_line.h"

#define PATH_CAP 4096 /* PATH_MAX, with its NUL */

void lputf(struct line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->len >= LINE_CAP - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->len, LINE_CAP - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < LINE_CAP - l->len ? (size_t)n : LINE_CAP - 1 - l->len;
}

/* ---- flag tables (kernel values, not libc's) ---- */

/* clang-format off */
/*
 * strace's order.  Multi-bit values come before the bits they contain
 * (O_SYNC holds O_DSYNC, O_TMPFILE holds O_DIRECTORY).
 */
static const struct flag oflags[] = {
	{0100, "O_CREAT"},	 {0200, "O_EXCL"},	   {0400, "O_NOCTTY"},	   {01000, "O_TRUNC"},
	{02000, "O_APPEND"},	 {04000, "O_NONBLOCK"},	   {04010000, "O_SYNC"},   {010000, "O_DSYNC"},
	{040000, "O_DIRECT"},	 {0100000, "O_LARGEFILE"}, {0400000, "O_NOFOLLOW"}, {01000000, "O_NOATIME"},
	{02000000, "O_CLOEXEC"}, {010000000, "O_PATH"},	   {020200000, "O_TMPFILE"}, {0200000, "O_DIRECTORY"},
	{020000, "FASYNC"},
};

static const struct flag atflags[] = {
	{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},
	{0x400, "AT_SYMLINK_FOLLOW"},	{0x800, "AT_NO_AUTOMOUNT"},
	{0x1000, "AT_EMPTY_PATH"},	{0x2000, "AT_STATX_FORCE_SYNC"},
	{0x4000, "AT_STATX_DONT_SYNC"}, {0x8000, "AT_RECURSIVE"},
};

static const struct flag mmprot[] = {
	{0x1, "PROT_READ"},
	{0x2, "PROT_WRITE"},
	{0x4, "PROT_EXEC"},
	{0x01000000, "PROT_GROWSDOWN"},
	{0x02000000, "PROT_GROWSUP"},
};

static const struct flag mmtype[] = {
	{0x1, "MAP_SHARED"},
	{0x2, "MAP_PRIVATE"},
	{0x3, "MAP_SHARED_VALIDATE"},
};

/* strace's order; bits 26..31 are the huge page size (put_mmflags) */
static const struct flag mmflags[] = {
	{0x10, "MAP_FIXED"},	   {0x20, "MAP_ANONYMOUS"},   {0x40, "MAP_32BIT"},
	{0x4000, "MAP_NORESERVE"}, {0x8000, "MAP_POPULATE"},  {0x10000, "MAP_NONBLOCK"},
	{0x100, "MAP_GROWSDOWN"},  {0x800, "MAP_DENYWRITE"},  {0x1000, "MAP_EXECUTABLE"},
	{0x2000, "MAP_LOCKED"},	   {0x20000, "MAP_STACK"},    {0x40000, "MAP_HUGETLB"},
	{0x80000, "MAP_SYNC"},	   {0x100000, "MAP_FIXED_NOREPLACE"},
};

static const struct flag clockids[] = {
	{0, "CLOCK_REALTIME"},	      {1, "CLOCK_MONOTONIC"},	     {2, "CLOCK_PROCESS_CPUTIME_ID"},
	{3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
	{6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"},	     {8, "CLOCK_REALTIME_ALARM"},
	{9, "CLOCK_BOOTTIME_ALARM"},   {11, "CLOCK_TAI"},
};

static const struct flag whences[] = {
	{0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"},
};

static const struct flag fcntlcmds[] = {
	{0, "F_DUPFD"},		{1, "F_GETFD"},		  {2, "F_SETFD"},	  {3, "F_GETFL"},
	{4, "F_SETFL"},		{5, "F_GETLK"},		  {6, "F_SETLK"},	  {7, "F_SETLKW"},
	{8, "F_SETOWN"},	{9, "F_GETOWN"},	  {10, "F_SETSIG"},	  {11, "F_GETSIG"},
	{15, "F_SETOWN_EX"},	{16, "F_GETOWN_EX"},	  {36, "F_OFD_GETLK"},	  {37, "F_OFD_SETLK"},
	{38, "F_OFD_SETLKW"},	{1024, "F_SETLEASE"},	  {1025, "F_GETLEASE"},	  {1026, "F_NOTIFY"},
	{1030, "F_DUPFD_CLOEXEC"}, {1031, "F_SETPIPE_SZ"}, {1032, "F_GETPIPE_SZ"}, {1033, "F_ADD_SEALS"},
	{1034, "F_GET_SEALS"},
};
/* clang-format on */

/* clang-format off */
static const char *const signames[32] = {
	NULL,	 "HUP",	 "INT",	 "QUIT", "ILL",	 "TRAP", "ABRT",   "BUS",  "FPE",  "KILL", "USR1",
	"SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
	"TTOU", "URG",	 "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",   "PWR",  "SYS",
};
/* clang-format on */

/* Print the one name whose value is v, or v in decimal. */
void put_enum(struct line *l, const struct flag *tab, size_t n, long v)
{
	for (size_t i = 0; i < n; i++) {
		if ((long)tab[i].value == v) {
			lputf(l, "%s", tab[i].name);
			return;
		}
	}
	lputf(l, "%ld", v);
}

/* Print v as NAME|NAME|0xrest; zero prints as "0". */
void put_flags(struct line *l, const struct flag *tab, size_t n, unsigned long v)
{
	const char *sep = "";

	for (size_t i = 0; i < n && v; i++) {
		if ((v & tab[i].value) == tab[i].value) {
			lputf(l, "%s%s", sep, tab[i].name);
			v &= ~tab[i].value;
			sep = "|";
		}
	}
	if (v || !*sep)
		lputf(l, "%s%#lx", sep, v);
}

/* ---- argument printers ---- */

void put_addr(struct line *l, unsigned long v)
{
	if (v)
		lputf(l, "%#lx", v);
	else
		lputf(l, "NULL");
}

void put_ptr(struct line *l, const struct argctx *c, unsigned long v)
{
	put_addr(l, v);
}

static void put_hex(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, v ? "%#lx" : "%lu", v);
}

static void put_int(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, "%d", (int)v);
}

static void put_uint(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, "%u", (unsigned int)v);
}

static void put_size(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, "%lu", v);
}

static void put_off(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, "%ld", (long)v);
}

static void put_atfd(struct line *l, const struct argctx *c, unsigned long v)
{
	if ((int)v == -100)
		lputf(l, "AT_FDCWD");
	else
		lputf(l, "%d", (int)v);
}

static void put_mode(struct line *l, const struct argctx *c, unsigned long v)
{
	lputf(l, "%#03o", (unsigned int)v);
}

/* The escape strace prints for ch, or NULL. */
static const char *c_escape(unsigned char ch)
{
	switch (ch) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\v':
		return "\\v";
	}
	return NULL;
}

/*
 * Quote len bytes the way strace does: C escapes, and octal for the rest,
 * as short as it can be unless an octal digit follows ("\1\2\0003").
 */
void put_quoted(struct line *l, const char *s, size_t len, bool more, bool hex)
{
	lputf(l, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		const char *esc = c_escape(ch);
		bool digit_next = i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7';

		if (hex)
			lputf(l, "\\x%02x", ch);
		else if (esc)
			lputf(l, "%s", esc);
		else if (ch >= 0x20 && ch < 0x7f)
			lputf(l, "%c", ch);
		else if (digit_next)
			lputf(l, "\\%03o", ch);
		else
			lputf(l, "\\%o", ch);
	}
	lputf(l, more ? "\"..." : "\"");
}

void put_gstring(struct line *l, struct task *t, unsigned long v, size_t shown)
{
	char *s = malloc(PATH_CAP);
	long n = s && v ? gmem_strncpy(t, s, v, PATH_CAP) : -EFAULT;

	if (n < 0)
		put_addr(l, v);
	else
		put_quoted(l, s, (size_t)n < shown ? (size_t)n : shown, (size_t)n > shown, false);
	free(s);
}

static void put_path(struct line *l, const struct argctx *c, unsigned long v)
{
	put_gstring(l, c->t, v, PATH_CAP);
}

static void put_str(struct line *l, const struct argctx *c, unsigned long v)
{
	put_gstring(l, c->t, v, STR_SHOWN);
}

/* len bytes of guest data at v, at most STR_SHOWN of them. */
static void put_data(struct line *l, const struct argctx *c, unsigned long v, unsigned long len)
{
	char buf[STR_SHOWN];
	size_t n = len < STR_SHOWN ? len : STR_SHOWN;

	if (gmem_read(c->t, buf, v, n) < 0)
		put_ptr(l, c, v);
	else
		put_quoted(l, buf, n, len > n, false);
}

/* Data the guest passes in: its length is the next argument. */
static void put_buf(struct line *l, const struct argctx *c, unsigned long v)
{
	put_data(l, c, v, c->i < 5 ? c->a->a[c->i + 1] : 0);
}

/* Data the call returns: its length is the result ("" at the end of a file). */
static void put_outbuf(struct line *l, const struct argctx *c, unsigned long v)
{
	if (c->ret >= 0)
		put_data(l, c, v, (unsigned long)c->ret);
	else
		put_ptr(l, c, v);
}

void put_open_flags(struct line *l, unsigned long v, bool accmode)
{
	static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};

	v &= 0xffffffffUL;
	if (!accmode) {
		put_flags(l, oflags, ARRAY_SIZE(oflags), v);
		return;
	}
	lputf(l, "%s", acc[v & 3]);
	if (v & ~3UL) {
		lputf(l, "|");
		put_flags(l, oflags, ARRAY_SIZE(oflags), v & ~3UL);
	}
}

static void put_oflags(struct line *l, const struct argctx *c, unsigned long v)
{
	put_open_flags(l, v, true);
}

static void put_atflags(struct line *l, const struct argctx *c, unsigned long v)
{
	put_flags(l, atflags, ARRAY_SIZE(atflags), v & 0xffffffffUL);
}

static void put_mmprot(struct line *l, const struct argctx *c, unsigned long v)
{
	if (v == 0)
		lputf(l, "PROT_NONE");
	else
		put_flags(l, mmprot, ARRAY_SIZE(mmprot), v);
}

static void put_mmflags(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned long huge = (v >> 26) & 0x3f;

	v &= 0xffffffffUL & ~(0x3fUL << 26);
	put_enum(l, mmtype, ARRAY_SIZE(mmtype), (long)(v & 0xf));
	if (v & ~0xfUL) {
		lputf(l, "|");
		put_flags(l, mmflags, ARRAY_SIZE(mmflags), v & ~0xfUL);
	}
	if (huge)
		lputf(l, "|%lu<<MAP_HUGE_SHIFT", huge);
}

void put_signame(struct line *l, int sig, const char *prefix)
{
	if (sig > 0 && sig < 32)
		lputf(l, "%s%s", prefix, signames[sig]);
	else if (sig == 32)
		lputf(l, "%sRTMIN", prefix);
	else if (sig > 32 && sig <= 64)
		lputf(l, "%sRT_%d", prefix, sig - 32);
	else
		lputf(l, "%d", sig);
}

static void put_signum(struct line *l, const struct argctx *c, unsigned long v)
{
	put_signame(l, (int)v, "SIG");
}

/* A 64-signal set, "[INT TERM]"; more than half set prints the complement. */
void put_sigset_at(struct line *l, struct task *t, unsigned long v)
{
	uint64_t set;

	if (!v || gmem_read(t, &set, v, sizeof(set)) < 0) {
		put_addr(l, v);
		return;
	}
	if (__builtin_popcountll(set) > 32) {
		lputf(l, "~");
		set = ~set;
	}
	lputf(l, "[");
	for (int sig = 1; sig <= 64; sig++) {
		if (set & (1ULL << (sig - 1))) {
			put_signame(l, sig, "");
			set &= ~(1ULL << (sig - 1));
			if (set)
				lputf(l, " ");
		}
	}
	lputf(l, "]");
}

static void put_sigset(struct line *l, const struct argctx *c, unsigned long v)
{
	put_sigset_at(l, c->t, v);
}

static void put_clockid(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, clockids, ARRAY_SIZE(clockids), (int)v);
}

static void put_whence(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, whences, ARRAY_SIZE(whences), (int)v);
}

static void put_fcntlcmd(struct line *l, const struct argctx *c, unsigned long v)
{
	put_enum(l, fcntlcmds, ARRAY_SIZE(fcntlcmds), (int)v);
}

/* The printer of each kind; a new kind without one does not compile (-Wswitch-enum). */
static put_fn printer_for(enum arg_kind k)
{
	switch (k) {
	case ARG_RAW:
	case ARG_HEX:
		return put_hex;
	case ARG_INT:
	case ARG_FD:
		return put_int;
	case ARG_UINT:
		return put_uint;
	case ARG_PTR:
		return put_ptr;
	case ARG_ATFD:
		return put_atfd;
	case ARG_PATH:
		return put_path;
	case ARG_STR:
		return put_str;
	case ARG_BUF:
		return put_buf;
	case ARG_OUTBUF:
		return put_outbuf;
	case ARG_SIZE:
		return put_size;
	case ARG_OFF:
		return put_off;
	case ARG_OFLAGS:
		return put_oflags;
	case ARG_MODE:
		return put_mode;
	case ARG_ATFLAGS:
		return put_atflags;
	case ARG_MMPROT:
		return put_mmprot;
	case ARG_MMFLAGS:
		return put_mmflags;
	case ARG_SIGNUM:
		return put_signum;
	case ARG_SIGSET:
		return put_sigset;
	case ARG_CLOCKID:
		return put_clockid;
	case ARG_WHENCE:
		return put_whence;
	case ARG_FCNTLCMD:
		return put_fcntlcmd;
	case ARG_ACCMODE:
	case ARG_OSTAT:
	case ARG_OSTATX:
	case ARG_STATXFLAGS:
	case ARG_STATXMASK:
	case ARG_ARGV:
	case ARG_ENVP:
	case ARG_ARCHCODE:
	case ARG_RLIMRES:
	case ARG_RLIMIT:
	case ARG_ORLIMIT:
	case ARG_SIGACTION:
	case ARG_OSIGACTION:
	case ARG_SIGHOW:
	case ARG_OSIGSET:
	case ARG_CLONEFLAGS:
	case ARG_OWSTATUS:
	case ARG_WOPTIONS:
	case ARG_ODIRENTS:
	case ARG_IOCTLREQ:
	case ARG_FCNTLARG:
	case ARG_FDFLAGS:
	case ARG_OPIPEFDS:
	case ARG_SOCKFAMILY:
	case ARG_SOCKTYPE:
	case ARG_SOCKFLAGS:
	case ARG_SOCKPROTO:
	case ARG_SOCKADDR:
	case ARG_GRNDFLAGS:
	case ARG_OHEXBUF:
	case ARG_FUTEXOP:
	case ARG_TIMESPEC:
	case ARG_OCPUSET:
	case ARG_OUTSNAME:
	case ARG_FADVICE:
	case ARG_TIMERFLAGS:
	case ARG_CLONE3ARGS:
	case ARG_FUTEXVAL3:
	case ARG_IOCTLARG:
	case ARG_IOVEC:
	case ARG_OIOVEC:
	case ARG_POLLFDS:
	case ARG_OCSTR:
	case ARG_EPOLLOP:
	case ARG_EPOLLEVENT:
	case ARG_OEPOLLEVENTS:
	case ARG_EPOLLFLAGS:
	case ARG_MADVICE:
	case ARG_OTIMESPEC:
	case ARG_SOCKLENP:
	case ARG_OSOCKADDR:
	case ARG_MSGFLAGS:
	case ARG_MSGHDR:
	case ARG_OMSGHDR:
	case ARG_MMSGHDRS:
	case ARG_OMMSGHDRS:
	case ARG_SOCKLEVEL:
	case ARG_SOCKOPT:
	case ARG_SOCKOPTVAL:
	case ARG_OSOCKOPTVAL:
	case ARG_SHUTHOW:
	case ARG_FDSET:
	case ARG_TIMEVAL:
	case ARG_PSELSIG:
	case ARG_SIGFRAME:
		return decode_printer(k) ?: put_hex; /* trace_decode.c; a kind it lacks prints raw */
	case ARG_NKINDS:
		break;
	}
	return put_hex;
}

/* ---- one line ---- */

/* What strace says of each of Linux's restart codes, from ERESTARTSYS (512) on. */
static const char *restart_note(long ret)
{
	static const char *const notes[] = {"To be restarted if SA_RESTART is set", "To be restarted",
					    "To be restarted if no handler", NULL, "Interrupted by signal"};
	size_t i = (size_t)(-ret - TRACE_RESTART_FIRST);
	return i < ARRAY_SIZE(notes) && notes[i] ? notes[i] : "To be restarted";
}

static void put_result(struct line *l, struct task *t, const struct arg_list *kk,
		       const struct sysargs *a, enum ret_kind kind, long ret)
{
	const char *name = ret < 0 ? trace_errno_name((int)-ret) : NULL;

	if (ret >= 0 && decode_result(l, t, kk, a, ret))
		return;
	if (ret == -UOS_ENORESULT || kind == RET_NORET)
		lputf(l, " = ?");
	else if (ret <= -TRACE_RESTART_FIRST && ret > -4096 && name)
		lputf(l, " = ? %s (%s)", name, restart_note(ret));
	else if (ret < 0 && ret >= -4095)
		lputf(l, " = -1 %s (%s)", name ? name : "E?", strerror((int)-ret));
	else if (ret < 0 && ret > -UOS_EBLOCK - 100)
		lputf(l, " = ? <uos internal %ld>", ret);
	else if (kind == RET_HEX)
		lputf(l, " = %#lx", (unsigned long)ret);
	else
		lputf(l, " = %ld", ret);
}

/*
 * Between the arguments' entry texts in t->trace_args.  No printed argument
 * holds it: put_quoted escapes control bytes.
 */
#define ENTRY_SEP '\x1f'

/* Split a copy of entry (trace_enter's texts) into in[0..5]; an empty text is NULL. */
static char *entry_split(const char *entry, const char *in[6])
{
	char *copy = entry ? strdup(entry) : NULL;
	char *p = copy;

	for (int i = 0; p && i < 6; i++) {
		char *sep = strchr(p, ENTRY_SEP);

		if (sep)
			*sep = '\0';
		in[i] = *p ? p : NULL;
		p = sep ? sep + 1 : NULL;
	}
	return copy;
}

/*
 * The arguments of a, by the kinds kk, as the call ends with ret.  in: their
 * texts at the entry; all: every one there is the argument as shown (execve).
 */
static void put_args(struct line *l, struct task *t, const struct sysargs *a,
		     const struct arg_list *kk, long ret, const char *const *in, bool all)
{
	for (int i = 0; i < kk->n; i++) {
		struct argctx c = {t, a, i, ret, in};
		bool final = all;

		if (decode_hidden(kk, &c))
			continue;
		if (i)
			lputf(l, ", ");
		if (!all)
			decode_entry_printer(kk->k[i], &final);
		if (in[i] && final)
			lputf(l, "%s", in[i]);
		else
			printer_for(kk->k[i])(l, &c, a->a[i]);
	}
}

/* Whether the row e has an argument printed at the entry. */
static bool has_entry_args(const struct sys_entry *e)
{
	bool final;

	for (int i = 0; i < e->args.n; i++)
		if (e->args.k[i] == ARG_ARGV || decode_entry_printer(e->args.k[i], &final))
			return true;
	return false;
}

/*
 * execve's arguments, all of them (a successful exec replaces the memory that
 * held them), and the kinds whose memory any call overwrites.
 */
void trace_enter(struct task *t, const struct sysargs *a)
{
	static const char *const none[6];
	const struct sys_entry *e = sys_lookup(a->nr);
	bool all;
	struct line *l;

	free(t->trace_args);
	t->trace_args = NULL;
	if (!t->k->opts.trace || !e || !has_entry_args(e) || !(l = malloc(sizeof(*l))))
		return;
	all = sys_arg_index(e, ARG_ARGV) >= 0;
	l->len = 0;
	l->buf[0] = '\0';
	for (int i = 0; i < e->args.n; i++) {
		struct argctx c = {t, a, i, -UOS_ENORESULT, none};
		bool final;
		enum arg_kind k = e->args.k[i];
		put_fn f = all ? printer_for(k) : decode_entry_printer(k, &final);

		if (i)
			lputf(l, "%c", ENTRY_SEP);
		if (f)
			f(l, &c, a->a[i]);
	}
	t->trace_args = strdup(l->buf);
	free(l);
}

void trace_call(struct task *t, const struct sysargs *a, long ret)
{
	FILE *out = t->k->opts.trace;
	const struct sys_entry *e = sys_lookup(a->nr);
	static const struct arg_list raw = RAWARGS; /* numbers that are no syscall */
	const struct arg_list *kk = e ? &e->args : &raw;
	const char *in[6] = {NULL};
	char *entry;
	struct line *l;

	if (!out || !(l = malloc(sizeof(*l))))
		return;
	l->len = 0;
	if (e)
		lputf(l, "[pid %d] %s(", t->tid, e->name);
	else
		lputf(l, "[pid %d] syscall_%d(", t->tid, a->nr);
	entry = entry_split(t->trace_args, in);
	put_args(l, t, a, kk, ret, in, e && sys_arg_index(e, ARG_ARGV) >= 0);
	free(entry);
	free(t->trace_args);
	t->trace_args = NULL;
	lputf(l, ")");
	put_result(l, t, kk, a, e ? e->ret : RET_DEC, ret);
	lputf(l, "\n");
	fputs(l->buf, out);
	free(l);
}
