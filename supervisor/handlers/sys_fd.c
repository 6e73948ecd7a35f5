/*
 * Calls on file descriptors themselves: close, close_range, dup, dup2,
 * dup3, fcntl (record locks through vfs/lock.c, pipe sizes through
 * vfs/pipe.c) and ioctl.
 *
 * ioctl copies its argument in and out here, with the size each command's
 * definition gives (struct termios as the kernel defines it, 36 bytes, not
 * glibc's), so files see only uos buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cred.h"
#include "ctty.h"
#include "fdtable.h"
#include "gmem.h"
#include "handlers.h"
#include "net.h"
#include "vfs.h"
#include "vfs_tty.h"

#define KERNEL_TERMIOS_SIZE 36  /* struct termios of <asm/termbits.h> */
#define KERNEL_TERMIOS2_SIZE 44 /* struct termios2 */

/* The flags F_SETFL may change (fs/fcntl.c SETFL_MASK, less O_DIRECT). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_ASYNC | O_NOATIME | O_DIRECT)

long sys_close(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f = t->tg->fdt ? fdt_get(t->tg->fdt, (int)a->a[0]) : NULL;

	if (f)
		vfs_lock_close(&t->vc, f); /* POSIX locks go with any close of the inode */
	return fdt_close(t->tg->fdt, (int)a->a[0]);
}

long sys_close_range(struct task *t, const struct sysargs *a)
{
	unsigned int first = (unsigned int)a->a[0], last = (unsigned int)a->a[1];
	unsigned int flags = (unsigned int)a->a[2];

	if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && t->tg->fdt->refs > 1) {
		struct fdtable *copy = fdt_clone(t->tg->fdt);
		if (!copy)
			return -ENOMEM;
		fdt_put(t->tg->fdt);
		t->tg->fdt = copy;
	}
	fdt_close_range(t->tg->fdt, first, last, flags & CLOSE_RANGE_CLOEXEC);
	return 0;
}

/* Install another reference to f at the lowest fd >= minfd. */
static long dup_from(struct task *t, struct vfs_file *f, int minfd, bool cloexec)
{
	vfs_file_get(f);
	int fd = fdt_install(t->tg->fdt, f, minfd, fdt_nofile(t), cloexec);
	if (fd < 0)
		vfs_file_put(f);
	return fd;
}

long sys_dup(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = fdt_fget(t, (int)a->a[0], false, &f);

	return err ? err : dup_from(t, f, 0, false);
}

static long do_dup3(struct task *t, int oldfd, int newfd, int flags)
{
	struct vfs_file *f;
	int err;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	err = fdt_fget(t, oldfd, false, &f);
	if (err)
		return err;
	if (newfd < 0 || newfd >= fdt_nofile(t))
		return -EBADF;
	vfs_file_get(f);
	err = fdt_install_at(t->tg->fdt, newfd, f, flags & O_CLOEXEC);
	if (err < 0)
		vfs_file_put(f);
	return err;
}

long sys_dup2(struct task *t, const struct sysargs *a)
{
	int oldfd = (int)a->a[0], newfd = (int)a->a[1];
	struct vfs_file *f;

	/* dup2(fd, fd) checks fd and changes nothing, not even FD_CLOEXEC. */
	if (oldfd == newfd) {
		int err = fdt_fget(t, oldfd, false, &f);
		return err ? err : newfd;
	}
	return do_dup3(t, oldfd, newfd, 0);
}

long sys_dup3(struct task *t, const struct sysargs *a)
{
	int oldfd = (int)a->a[0], newfd = (int)a->a[1];

	if (oldfd == newfd)
		return -EINVAL;
	return do_dup3(t, oldfd, newfd, (int)a->a[2]);
}

/* fcntl commands, one function each. */

static long fcntl_dupfd(struct task *t, struct vfs_file *f, unsigned long arg, bool cloexec)
{
	if (arg >= (unsigned long)fdt_nofile(t))
		return -EINVAL;
	return dup_from(t, f, (int)arg, cloexec);
}

static long fcntl_setfl(struct vfs_file *f, unsigned long arg)
{
	if (f->flags & O_PATH)
		return -EBADF;
	f->flags = (f->flags & ~SETFL_MASK) | ((int)arg & SETFL_MASK);
	return 0;
}

/* F_GETLK, F_SETLK(W) and the OFD forms: struct flock in and out of the guest. */
static long fcntl_lock(struct task *t, struct vfs_file *f, int cmd, unsigned long uarg)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	struct flock fl;
	long r;

	if (gmem_read(t, &fl, uarg, sizeof(fl)))
		return -EFAULT;
	if (f->flags & O_PATH)
		return -EBADF;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		r = vfs_lock_get(&t->vc, f, ofd, &fl);
		if (!r && gmem_write(t, uarg, &fl, sizeof(fl)))
			return -EFAULT;
		return r;
	}
	return vfs_lock_set(&t->vc, f, ofd, cmd == F_SETLKW || cmd == F_OFD_SETLKW, &fl);
}

/* F_SETPIPE_SZ: root may go above pipe-max-size (CAP_SYS_RESOURCE). */
static long fcntl_setpipe(struct task *t, struct vfs_file *f, unsigned long arg)
{
	return vfs_pipe_setsize(f, (unsigned int)arg, cred_capable(t, CAP_SYS_RESOURCE));
}

long sys_fcntl(struct task *t, const struct sysargs *a)
{
	int fd = (int)a->a[0];
	unsigned long arg = a->a[2];
	struct vfs_file *f;
	int err = fdt_fget(t, fd, false, &f);

	if (err)
		return err;
	switch ((int)a->a[1]) {
	case F_DUPFD:
		return fcntl_dupfd(t, f, arg, false);
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(t, f, arg, true);
	case F_GETFD:
		return fdt_get_cloexec(t->tg->fdt, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		return fdt_set_cloexec(t->tg->fdt, fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		return fcntl_setfl(f, arg);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_lock(t, f, (int)a->a[1], arg);
	case F_GETPIPE_SZ:
		return vfs_pipe_getsize(f);
	case F_SETPIPE_SZ:
		return fcntl_setpipe(t, f, arg);
	case F_ADD_SEALS:
		return vfs_seals(f, true, (unsigned int)arg);
	case F_GET_SEALS:
		return vfs_seals(f, false, 0);
	default:
		return -EINVAL;
	}
}

/* ioctl: the argument's size and direction per command; byval: the argument is an int value. */
struct ioctl_arg {
	unsigned long cmd;
	size_t size;
	bool in, out, byval;
};

static const struct ioctl_arg ioctl_args[] = {
	{TCGETS, KERNEL_TERMIOS_SIZE, false, true},
	{TCSETS, KERNEL_TERMIOS_SIZE, true, false},
	{TCSETSW, KERNEL_TERMIOS_SIZE, true, false},
	{TCSETSF, KERNEL_TERMIOS_SIZE, true, false},
	{VFS_TCGETS2, KERNEL_TERMIOS2_SIZE, false, true},
	{VFS_TCSETS2, KERNEL_TERMIOS2_SIZE, true, false},
	{VFS_TCSETSW2, KERNEL_TERMIOS2_SIZE, true, false},
	{VFS_TCSETSF2, KERNEL_TERMIOS2_SIZE, true, false},
	{TIOCGWINSZ, sizeof(struct winsize), false, true},
	{TIOCSWINSZ, sizeof(struct winsize), true, false},
	{TIOCGPGRP, sizeof(int), false, true},
	{TIOCSPGRP, sizeof(int), true, false},
	{TIOCGSID, sizeof(int), false, true},
	{FIONREAD, sizeof(int), false, true}, /* SIOCINQ */
	{TIOCOUTQ, sizeof(int), false, true}, /* SIOCOUTQ */
	{TIOCGPTN, sizeof(int), false, true},
	{TIOCSPTLCK, sizeof(int), true, false},
	{TIOCGPTLCK, sizeof(int), false, true},
	{TIOCPKT, sizeof(int), true, false},
	{TIOCGPKT, sizeof(int), false, true},
	{TIOCGETD, sizeof(int), false, true},
	{TIOCSTI, 1, true, false},
	{TCFLSH, 0, false, false, true},
	{TCXONC, 0, false, false, true},
	{TCSBRK, 0, false, false, true},
	{TCSBRKP, 0, false, false, true},
	{TIOCSIG, 0, false, false, true},
	{TIOCSCTTY, 0, false, false, true},
	{TIOCNOTTY, 0, false, false, true},
	{TIOCSBRK, 0, false, false, true},
	{TIOCCBRK, 0, false, false, true},
};

/* The interface ioctls of a socket (net_iface_ioctl_cmd) take a struct ifreq both ways. */
static const struct ioctl_arg ifreq_arg = {0, sizeof(struct ifreq), true, true};

/* SIOCGIFCONF on a socket, as dev_ifconf: whole entries into ifc_buf, their bytes in ifc_len. */
static long ioctl_ifconf(struct task *t, unsigned long uarg)
{
	struct ifconf ifc;
	char buf[sizeof(struct ifreq) * 8]; /* more than uos's addresses */
	unsigned int room;
	long n;

	if (gmem_read(t, &ifc, uarg, sizeof(ifc)))
		return -EFAULT;
	room = ifc.ifc_len < 0 ? 0 : (unsigned int)ifc.ifc_len;
	room = room < sizeof(buf) ? room : (unsigned int)sizeof(buf);
	n = net_ifconf(ifc.ifc_req ? buf : NULL, room);
	if (ifc.ifc_req && n && gmem_write(t, (unsigned long)ifc.ifc_req, buf, (size_t)n))
		return -EFAULT;
	ifc.ifc_len = (int)n;
	return gmem_write(t, uarg, &ifc, sizeof(ifc)) ? -EFAULT : 0;
}

static long ioctl_fionbio(struct task *t, struct vfs_file *f, unsigned long uarg)
{
	int on;

	if (gmem_read(t, &on, uarg, sizeof(on)))
		return -EFAULT;
	if (on)
		f->flags |= O_NONBLOCK;
	else
		f->flags &= ~O_NONBLOCK;
	return 0;
}

/* FIONREAD on a regular file: the bytes from the offset to the end (else ENOTTY). */
static long fionread_file(struct vfs_file *f, void *arg)
{
	struct stat st;

	if (vfs_fstat(f, &st) || !S_ISREG(st.st_mode))
		return -ENOTTY;
	int n = st.st_size > f->pos ? (int)(st.st_size - f->pos) : 0;
	memcpy(arg, &n, sizeof(n));
	return 0;
}


/* TIOCGPTPEER: a new fd on the slave of the pseudo-terminal master f (flags: open's). */
static long ioctl_ptpeer(struct task *t, struct vfs_file *f, int flags)
{
	struct vfs_file *peer;
	int err = vfs_tty_peer(f, flags & ~O_CLOEXEC, &peer);

	if (err)
		return err;
	int fd = fdt_install(t->tg->fdt, peer, 0, fdt_nofile(t), flags & O_CLOEXEC);
	if (fd < 0)
		vfs_file_put(peer);
	else
		ctty_opened(t, peer, flags); /* an open of the slave, O_NOCTTY or not */
	return fd;
}

/* tcsetpgrp: pgid must be a group of the caller's session (EPERM), or EINVAL when negative. */
static long set_foreground(struct task *t, int pgid)
{
	if (pgid < 0)
		return -EINVAL;
	if (!tg_group_in_session(t->k, pgid, t->tg->sid))
		return -EPERM;
	t->k->fg_pgid = pgid;
	return 0;
}

static long ioctl_file(struct task *t, struct vfs_file *f, unsigned long cmd, unsigned long uarg)
{
	const struct ioctl_arg *ia = NULL;
	char buf[64] = {0};

	for (size_t i = 0; i < ARRAY_SIZE(ioctl_args); i++)
		if (ioctl_args[i].cmd == cmd)
			ia = &ioctl_args[i];
	if (!ia && net_iface_ioctl_cmd(cmd) && net_is_socket(f))
		ia = &ifreq_arg;
	if (!ia)
		return -ENOTTY;
	if (ia->in && gmem_read(t, buf, uarg, ia->size))
		return -EFAULT;
	if (ia->byval) {
		int v = (int)uarg;
		memcpy(buf, &v, sizeof(v));
	}
	long r = vfs_tty_of(f) ? ctty_ioctl(t, f, cmd, buf) : 1;
	if (r == 1)
		r = vfs_ioctl(f, cmd, buf);
	if (r == -ENOTTY && cmd == FIONREAD)
		r = fionread_file(f, buf);
	if (r < 0)
		return r;
	/* The user's terminal's foreground group is uos's book (loop.c sends it Ctrl-C, Ctrl-Z). */
	if (cmd == TIOCGPGRP && !vfs_tty_of(f))
		memcpy(buf, &t->k->fg_pgid, sizeof(int));
	if (cmd == TIOCSPGRP && !vfs_tty_of(f))
		r = set_foreground(t, *(int *)buf);
	if (ia->out && gmem_write(t, uarg, buf, ia->size))
		return -EFAULT;
	return r;
}

long sys_ioctl(struct task *t, const struct sysargs *a)
{
	int fd = (int)a->a[0];
	unsigned long cmd = (unsigned int)a->a[1];
	struct vfs_file *f;
	int err = fdt_fget(t, fd, true, &f);

	if (err)
		return err;
	switch (cmd) {
	case FIOCLEX:
		return fdt_set_cloexec(t->tg->fdt, fd, true);
	case FIONCLEX:
		return fdt_set_cloexec(t->tg->fdt, fd, false);
	case FIONBIO:
		return ioctl_fionbio(t, f, a->a[2]);
	case SIOCGIFCONF:
		return net_is_socket(f) ? ioctl_ifconf(t, a->a[2]) : -ENOTTY;
	case TIOCGPTPEER:
		return ioctl_ptpeer(t, f, (int)a->a[2]);
	default:
		return ioctl_file(t, f, cmd, a->a[2]);
	}
}
