/*
 * The counting wrappers of hostcall.h: linked into the uos executable only,
 * with `-Wl,--wrap=NAME` for each NAME below (base/meson.build's
 * hostcall_wrapped, which must list exactly these).  Each adds one to the
 * count of the host call libc's NAME makes, then calls libc's (__real_NAME).
 * The wait4 family also sorts what it returned: stops by kind, deaths, or
 * nothing.  Names are glibc's symbols (open64, not open: <fcntl.h> renames
 * the calls uos's code makes).
 */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "hostcall.h"

/* __wrap_name counts one host call nr and calls __real_name; typeof checks the signature. */
#define WRAP(nr, ret, name, params, args)                                                          \
	__typeof__(name) __real_##name, __wrap_##name;                                             \
	ret __wrap_##name params                                                                   \
	{                                                                                          \
		hostcall_tally.by_nr[nr]++;                                                        \
		return __real_##name args;                                                         \
	}

WRAP(SYS_read, ssize_t, read, (int fd, void *b, size_t n), (fd, b, n))
WRAP(SYS_write, ssize_t, write, (int fd, const void *b, size_t n), (fd, b, n))
WRAP(SYS_pread64, ssize_t, pread64, (int fd, void *b, size_t n, off64_t o), (fd, b, n, o))
WRAP(SYS_pwrite64, ssize_t, pwrite64, (int fd, const void *b, size_t n, off64_t o), (fd, b, n, o))
WRAP(SYS_pwritev, ssize_t, pwritev64, (int fd, const struct iovec *v, int n, off64_t o),
     (fd, v, n, o))
WRAP(SYS_lseek, off64_t, lseek64, (int fd, off64_t o, int w), (fd, o, w))
WRAP(SYS_close, int, close, (int fd), (fd))
WRAP(SYS_dup, int, dup, (int fd), (fd))
WRAP(SYS_dup2, int, dup2, (int a, int b), (a, b))
WRAP(SYS_pipe2, int, pipe2, (int p[2], int fl), (p, fl))
WRAP(SYS_poll, int, poll, (struct pollfd * p, nfds_t n, int ms), (p, n, ms))
WRAP(SYS_newfstatat, int, fstat64, (int fd, struct stat64 *st), (fd, st))
WRAP(SYS_newfstatat, int, stat64, (const char *p, struct stat64 *st), (p, st))
WRAP(SYS_newfstatat, int, lstat64, (const char *p, struct stat64 *st), (p, st))
WRAP(SYS_newfstatat, int, fstatat64, (int d, const char *p, struct stat64 *st, int fl),
     (d, p, st, fl))
WRAP(SYS_fstatfs, int, fstatfs64, (int fd, struct statfs64 *st), (fd, st))
WRAP(SYS_readlink, ssize_t, readlink, (const char *p, char *b, size_t n), (p, b, n))
WRAP(SYS_readlinkat, ssize_t, readlinkat, (int d, const char *p, char *b, size_t n), (d, p, b, n))
WRAP(SYS_openat, FILE *, fopen64, (const char *p, const char *m), (p, m))
WRAP(SYS_openat, DIR *, opendir, (const char *p), (p))
WRAP(SYS_close, int, fclose, (FILE * f), (f))
WRAP(SYS_close, int, closedir, (DIR * d), (d))
WRAP(SYS_ftruncate, int, ftruncate64, (int fd, off64_t n), (fd, n))
WRAP(SYS_fallocate, int, fallocate64, (int fd, int m, off64_t o, off64_t n), (fd, m, o, n))
WRAP(SYS_fsync, int, fsync, (int fd), (fd))
WRAP(SYS_fdatasync, int, fdatasync, (int fd), (fd))
WRAP(SYS_flock, int, flock, (int fd, int op), (fd, op))
WRAP(SYS_mkdirat, int, mkdirat, (int d, const char *p, mode_t m), (d, p, m))
WRAP(SYS_mknodat, int, mknodat, (int d, const char *p, mode_t m, dev_t dev), (d, p, m, dev))
WRAP(SYS_unlinkat, int, unlinkat, (int d, const char *p, int fl), (d, p, fl))
WRAP(SYS_unlink, int, unlink, (const char *p), (p))
WRAP(SYS_rmdir, int, rmdir, (const char *p), (p))
WRAP(SYS_linkat, int, linkat, (int a, const char *p, int b, const char *q, int fl),
     (a, p, b, q, fl))
WRAP(SYS_symlinkat, int, symlinkat, (const char *t, int d, const char *p), (t, d, p))
WRAP(SYS_fchmodat, int, fchmodat, (int d, const char *p, mode_t m, int fl), (d, p, m, fl))
WRAP(SYS_fchownat, int, fchownat, (int d, const char *p, uid_t u, gid_t g, int fl),
     (d, p, u, g, fl))
WRAP(SYS_utimensat, int, utimensat, (int d, const char *p, const struct timespec t[2], int fl),
     (d, p, t, fl))
WRAP(SYS_getxattr, ssize_t, getxattr, (const char *p, const char *n, void *v, size_t s),
     (p, n, v, s))
WRAP(SYS_listxattr, ssize_t, listxattr, (const char *p, char *l, size_t s), (p, l, s))
WRAP(SYS_mmap, void *, mmap64, (void *a, size_t n, int pr, int fl, int fd, off64_t o),
     (a, n, pr, fl, fd, o))
WRAP(SYS_munmap, int, munmap, (void *a, size_t n), (a, n))
WRAP(SYS_memfd_create, int, memfd_create, (const char *n, unsigned int fl), (n, fl))
WRAP(SYS_process_vm_readv, ssize_t, process_vm_readv,
     (pid_t p, const struct iovec *l, unsigned long ln, const struct iovec *r, unsigned long rn,
      unsigned long fl),
     (p, l, ln, r, rn, fl))
WRAP(SYS_process_vm_writev, ssize_t, process_vm_writev,
     (pid_t p, const struct iovec *l, unsigned long ln, const struct iovec *r, unsigned long rn,
      unsigned long fl),
     (p, l, ln, r, rn, fl))
WRAP(SYS_kill, int, kill, (pid_t p, int sig), (p, sig))
WRAP(SYS_prlimit64, int, prlimit64,
     (pid_t p, enum __rlimit_resource r, const struct rlimit64 *n, struct rlimit64 *o),
     (p, r, n, o))
WRAP(SYS_timerfd_create, int, timerfd_create, (int c, int fl), (c, fl))
WRAP(SYS_timerfd_settime, int, timerfd_settime,
     (int fd, int fl, const struct itimerspec *n, struct itimerspec *o), (fd, fl, n, o))
WRAP(SYS_timerfd_gettime, int, timerfd_gettime, (int fd, struct itimerspec *v), (fd, v))
WRAP(SYS_getrandom, ssize_t, getrandom, (void *b, size_t n, unsigned int fl), (b, n, fl))
WRAP(SYS_sched_getaffinity, int, sched_getaffinity, (pid_t p, size_t n, cpu_set_t *set),
     (p, n, set))
WRAP(SYS_uname, int, uname, (struct utsname * u), (u))
WRAP(SYS_sysinfo, int, sysinfo, (struct sysinfo * i), (i))
WRAP(SYS_getcwd, char *, getcwd, (char *b, size_t n), (b, n))
WRAP(SYS_rt_sigprocmask, int, sigprocmask, (int how, const sigset_t *set, sigset_t *old),
     (how, set, old))
WRAP(SYS_signalfd4, int, signalfd, (int fd, const sigset_t *m, int fl), (fd, m, fl))
WRAP(SYS_ioctl, int, isatty, (int fd), (fd))
WRAP(SYS_ioctl, pid_t, tcgetpgrp, (int fd), (fd))
WRAP(SYS_socket, int, socket, (int d, int t, int p), (d, t, p))
WRAP(SYS_socketpair, int, socketpair, (int d, int t, int p, int sv[2]), (d, t, p, sv))
WRAP(SYS_bind, int, bind, (int fd, const struct sockaddr *a, socklen_t n), (fd, a, n))
WRAP(SYS_connect, int, connect, (int fd, const struct sockaddr *a, socklen_t n), (fd, a, n))
WRAP(SYS_listen, int, listen, (int fd, int n), (fd, n))
WRAP(SYS_accept4, int, accept4, (int fd, struct sockaddr *a, socklen_t *n, int fl), (fd, a, n, fl))
WRAP(SYS_shutdown, int, shutdown, (int fd, int how), (fd, how))
WRAP(SYS_getsockname, int, getsockname, (int fd, struct sockaddr *a, socklen_t *n), (fd, a, n))
WRAP(SYS_getpeername, int, getpeername, (int fd, struct sockaddr *a, socklen_t *n), (fd, a, n))
WRAP(SYS_getsockopt, int, getsockopt, (int fd, int l, int o, void *v, socklen_t *n),
     (fd, l, o, v, n))
WRAP(SYS_setsockopt, int, setsockopt, (int fd, int l, int o, const void *v, socklen_t n),
     (fd, l, o, v, n))
WRAP(SYS_sendto, ssize_t, send, (int fd, const void *b, size_t n, int fl), (fd, b, n, fl))
WRAP(SYS_recvfrom, ssize_t, recv, (int fd, void *b, size_t n, int fl), (fd, b, n, fl))
WRAP(SYS_sendto, ssize_t, sendto,
     (int fd, const void *b, size_t n, int fl, const struct sockaddr *a, socklen_t an),
     (fd, b, n, fl, a, an))
WRAP(SYS_recvfrom, ssize_t, recvfrom,
     (int fd, void *b, size_t n, int fl, struct sockaddr *a, socklen_t *an), (fd, b, n, fl, a, an))
WRAP(SYS_sendmsg, ssize_t, sendmsg, (int fd, const struct msghdr *m, int fl), (fd, m, fl))
WRAP(SYS_recvmsg, ssize_t, recvmsg, (int fd, struct msghdr *m, int fl), (fd, m, fl))

/* Variadic ones: glibc reads the optional argument only when the call takes one. */
__typeof__(open64) __real_open64, __wrap_open64;
int __wrap_open64(const char *p, int fl, ...)
{
	mode_t m = 0;

	if (__OPEN_NEEDS_MODE(fl)) {
		va_list ap;
		va_start(ap, fl);
		m = va_arg(ap, mode_t);
		va_end(ap);
	}
	hostcall_tally.by_nr[SYS_openat]++;
	return __real_open64(p, fl, m);
}

__typeof__(openat64) __real_openat64, __wrap_openat64;
int __wrap_openat64(int d, const char *p, int fl, ...)
{
	mode_t m = 0;

	if (__OPEN_NEEDS_MODE(fl)) {
		va_list ap;
		va_start(ap, fl);
		m = va_arg(ap, mode_t);
		va_end(ap);
	}
	hostcall_tally.by_nr[SYS_openat]++;
	return __real_openat64(d, p, fl, m);
}

/* fcntl and ioctl: glibc itself reads the third argument as a pointer-sized word. */
__typeof__(fcntl64) __real_fcntl64, __wrap_fcntl64;
int __wrap_fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	hostcall_tally.by_nr[SYS_fcntl]++;
	return __real_fcntl64(fd, cmd, arg);
}

__typeof__(ioctl) __real_ioctl, __wrap_ioctl;
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	hostcall_tally.by_nr[SYS_ioctl]++;
	return __real_ioctl(fd, req, arg);
}

__typeof__(ptrace) __real_ptrace, __wrap_ptrace;
long __wrap_ptrace(enum __ptrace_request req, ...)
{
	va_list ap;
	va_start(ap, req);
	pid_t pid = va_arg(ap, pid_t);
	void *addr = va_arg(ap, void *);
	void *data = va_arg(ap, void *);
	va_end(ap);
	hostcall_tally.by_nr[SYS_ptrace]++;
	hostcall_tally.ptrace[HOSTCALL_PTRACE_INDEX((long)req)]++;
	return __real_ptrace(req, pid, addr, data);
}

/*
 * Six arguments are passed on whatever the call takes, as libc's syscall()
 * itself loads them (the sixth from the caller's stack, which a caller of
 * fewer never wrote): a read that ASan must not judge.
 */
__typeof__(syscall) __real_syscall, __wrap_syscall;
__attribute__((no_sanitize("address"))) long __wrap_syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr >= 0 && nr < HOSTCALL_NR_MAX)
		hostcall_tally.by_nr[nr]++;
	return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* What one wait4 returned (r, with status st): a stop by kind, a death, or nothing. */
static void tally_wait(pid_t r, const int *st)
{
	enum hostcall_wait w = HOSTCALL_WAIT_NONE;

	if (r > 0 && st && WIFSTOPPED(*st)) {
		int sig = WSTOPSIG(*st), event = (unsigned)*st >> 16;
		if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP)
			w = HOSTCALL_STOP_SECCOMP;
		else if (sig == (SIGTRAP | 0x80))
			w = HOSTCALL_STOP_SYSCALL;
		else if (event && event != PTRACE_EVENT_STOP)
			w = HOSTCALL_STOP_EVENT;
		else
			w = HOSTCALL_STOP_SIGNAL;
	} else if (r > 0) {
		w = HOSTCALL_WAIT_DEATH;
	}
	if (r >= 0)
		hostcall_tally.waits[w]++;
}

__typeof__(wait4) __real_wait4, __wrap_wait4;
pid_t __wrap_wait4(pid_t pid, int *st, int opt, struct rusage *ru)
{
	int mine;
	pid_t r;

	hostcall_tally.by_nr[SYS_wait4]++;
	r = __real_wait4(pid, st ? st : &mine, opt, ru);
	tally_wait(r, st ? st : &mine);
	return r;
}

/* glibc's waitpid is wait4(pid, st, opt, NULL). */
__typeof__(waitpid) __real_waitpid, __wrap_waitpid;
pid_t __wrap_waitpid(pid_t pid, int *st, int opt)
{
	int mine;
	pid_t r;

	hostcall_tally.by_nr[SYS_wait4]++;
	r = __real_waitpid(pid, st ? st : &mine, opt);
	tally_wait(r, st ? st : &mine);
	return r;
}

/* transport/intr_syscall.S: the loop's waits that uos's own signals interrupt. */
long __real_uos_intr_syscall(long nr, long a1, long a2, long a3, long a4,
			     const volatile unsigned long *notes);
long __wrap_uos_intr_syscall(long nr, long a1, long a2, long a3, long a4,
			     const volatile unsigned long *notes);
long __wrap_uos_intr_syscall(long nr, long a1, long a2, long a3, long a4,
			     const volatile unsigned long *notes)
{
	long r;

	if (nr >= 0 && nr < HOSTCALL_NR_MAX)
		hostcall_tally.by_nr[nr]++;
	r = __real_uos_intr_syscall(nr, a1, a2, a3, a4, notes);
	if (nr == SYS_wait4)
		tally_wait((pid_t)r, (const int *)a2);
	return r;
}
