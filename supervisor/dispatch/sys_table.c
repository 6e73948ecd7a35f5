/*
 * The syscall table, generated from syscalls.def: one row per x86-64
 * syscall number.  Handlers of FULL and PARTIAL rows are referenced weakly,
 * so a row whose handler is not written yet links as NULL and is reported
 * as unimplemented instead of breaking the build.  Apart from the
 * dispatcher (syscall.c), so that seccomp_gen.c, which builds the filter
 * from the rows when uos is built, links the table alone.
 */
#include <stdio.h>
#include <sys/syscall.h>

#include "syscall.h"

/* Make every handler weak: a missing one resolves to NULL at link time. */
#define SYS_WEAK_FULL(name) extern __typeof__(sys_##name) sys_##name __attribute__((weak));
#define SYS_WEAK_PARTIAL(name) SYS_WEAK_FULL(name)
#define SYS_WEAK_HOST(name)
#define SYS_WEAK_NONE(name)
#define SYSCALL(nr, name, level, args, ret, note) SYS_WEAK_##level(name)
#include "syscalls.def"
#undef SYSCALL

#define SYS_FN_FULL(name) sys_##name
#define SYS_FN_PARTIAL(name) sys_##name
#define SYS_FN_HOST(name) NULL
#define SYS_FN_NONE(name) NULL

const struct sys_entry sys_table[SYS_NR_MAX] = {
#define SYSCALL(nr, name_, level_, args_, ret_, note_)                                             \
	[nr] = {                                                                                   \
	    .name = #name_,                                                                        \
	    .fn = SYS_FN_##level_(name_),                                                          \
	    .level = SYS_##level_,                                                                 \
	    .args = args_,                                                                         \
	    .ret = RET_##ret_,                                                                     \
	    .note = note_,                                                                         \
	},
#include "syscalls.def"
#undef SYSCALL
};

const struct sys_entry *sys_lookup(long nr)
{
	if (nr < 0 || nr >= SYS_NR_MAX || !sys_table[nr].name)
		return NULL;
	return &sys_table[nr];
}

bool sys_notified(long nr)
{
	switch (nr) {
	case SYS_getpid:
	case SYS_getppid:
	case SYS_gettid:
	case SYS_getuid:
	case SYS_geteuid:
	case SYS_getgid:
	case SYS_getegid:
	case SYS_getpgid:
	case SYS_getsid:
	case SYS_stat:
	case SYS_lstat:
	case SYS_fstat:
	case SYS_newfstatat:
	case SYS_statx:
	case SYS_access:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_readlink:
	case SYS_readlinkat:
	case SYS_getcwd:
	case SYS_lseek:
	case SYS_getdents64:
	case SYS_read:
	case SYS_write:
	case SYS_pread64:
	case SYS_pwrite64:
	case SYS_readv:
	case SYS_writev:
	case SYS_preadv:
	case SYS_pwritev:
	case SYS_preadv2:
	case SYS_pwritev2:
	case SYS_open:
	case SYS_openat:
	case SYS_close:
	case SYS_fcntl:
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
	case SYS_ioctl:
	case SYS_pipe:
	case SYS_pipe2:
	case SYS_wait4:
	case SYS_waitid:
	case SYS_socket:
	case SYS_socketpair:
	case SYS_bind:
	case SYS_connect:
	case SYS_listen:
	case SYS_accept:
	case SYS_accept4:
	case SYS_sendto:
	case SYS_recvfrom:
	case SYS_sendmsg:
	case SYS_shutdown:
	case SYS_getsockopt:
	case SYS_setsockopt:
	case SYS_getsockname:
	case SYS_getpeername:
	case SYS_mkdir:
	case SYS_mkdirat:
	case SYS_rmdir:
	case SYS_unlink:
	case SYS_unlinkat:
	case SYS_rename:
	case SYS_renameat:
	case SYS_renameat2:
	case SYS_link:
	case SYS_linkat:
	case SYS_symlink:
	case SYS_symlinkat:
	case SYS_chmod:
	case SYS_fchmod:
	case SYS_fchmodat:
	case SYS_chown:
	case SYS_lchown:
	case SYS_fchown:
	case SYS_fchownat:
	case SYS_truncate:
	case SYS_ftruncate:
	case SYS_utimensat:
	case SYS_flock:
	case SYS_fsync:
	case SYS_fdatasync:
	case SYS_chdir:
	case SYS_fchdir:
	case SYS_statfs:
	case SYS_fstatfs:
	case SYS_setxattr:
	case SYS_lsetxattr:
	case SYS_fsetxattr:
	case SYS_getxattr:
	case SYS_lgetxattr:
	case SYS_fgetxattr:
	case SYS_listxattr:
	case SYS_llistxattr:
	case SYS_flistxattr:
	case SYS_removexattr:
	case SYS_lremovexattr:
	case SYS_fremovexattr:
	case SYS_umask:
	case SYS_uname:
	case SYS_sysinfo:
	case SYS_getrandom:
	case SYS_sched_getaffinity:
	case SYS_prlimit64:
	case SYS_set_tid_address:
	case SYS_rseq:
	case SYS_rt_sigaction:
	case SYS_brk:  /* brk(0) only, which maps nothing: the filter stops the others (seccomp_gen.c) */
	case SYS_mmap: /* anonymous only: the filter stops a file's (seccomp_gen.c) */
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_madvise:
		return true;
	default:
		return false;
	}
}

int sys_arg_index(const struct sys_entry *e, enum arg_kind kind)
{
	for (int i = 0; i < e->args.n; i++)
		if (e->args.k[i] == kind)
			return i;
	return -1;
}

const char *sys_level_name(enum sys_level level)
{
	switch (level) {
	case SYS_FULL:
		return "FULL";
	case SYS_PARTIAL:
		return "PARTIAL";
	case SYS_HOST:
		return "HOST";
	case SYS_NONE:
		return "NONE";
	}
	return "?";
}

void sys_print_table(FILE *out)
{
	unsigned long count[4] = {0};

	fprintf(out, "%4s %-24s %-8s %s\n", "nr", "name", "level", "note");
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (!e)
			continue;
		count[e->level]++;
		fprintf(out, "%4d %-24s %-8s %s%s\n", nr, e->name, sys_level_name(e->level),
			e->note,
			(e->level <= SYS_PARTIAL && !e->fn) ? " [not implemented yet]" : "");
	}
	fprintf(out, "%lu FULL, %lu PARTIAL, %lu HOST, %lu NONE\n", count[SYS_FULL],
		count[SYS_PARTIAL], count[SYS_HOST], count[SYS_NONE]);
}
