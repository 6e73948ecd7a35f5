/*
 * The guest interface's own part (see guest.h): the input and output areas
 * of uos's page, and handing files to a guest.
 *
 * Files go over one datagram socket pair.  uos holds one end; every guest
 * process holds the other at GUEST_CHAN_FD, inherited from the first guest
 * and kept across execs, and never reachable by the guest itself (every
 * call that names an fd is trapped and answered on uos's virtual fds).  To
 * give a file, uos sends it (SCM_RIGHTS) and injects recvmsg in the guest:
 * the host installs it at the lowest free host fd, which is the lowest free
 * slot from GUEST_XFER_FD on, since a guest's host fd table holds only the
 * channel, the stub and the slots.  (An exec in flight, which uos does not
 * wait for, uses the stub's fd, never a given one.)  A given file stays in
 * its slot after its use, across execs too, so that the next give of the
 * same host file with the same access costs no call in the guest: ld.so
 * maps each library four or five times, and a shell's every exec maps the
 * same program, interpreter and libc.  The fd table's note (struct
 * fdt_xfer, shared and copied as the host's table is) says what each slot
 * holds; a give of another file into full slots closes the least recently
 * used one first, and with the note unsure (for good after an exec of a
 * process whose table another shares, or with no table) every slot is
 * closed first, which keeps the invariant; a message no guest took is
 * drained.
 *
 * recvmsg writes msg_flags and msg_controllen back into its header, so the
 * header lives in the output area, where the guest can change it: what the
 * host reads from it only says where in the guest's own memory to write the
 * guest's own results, and the file still lands at GUEST_XFER_FD or nowhere.
 */
#include "guest.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdtable.h"
#include "kernel.h"
#include "task.h"
#include "trap_impl.h"

int guest_chan_init(struct kernel *k)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	k->chan_uos = sv[0];
	k->chan_guest = sv[1];
	return 0;
}

int guest_put_in(struct task *t, const void *src, size_t len)
{
	UOS_BUG_ON(len > STUB_PAGE);
	return gmem_poke(t, STUB_IN, src, len);
}

int guest_get_out(struct task *t, void *dst, size_t len)
{
	UOS_BUG_ON(len > STUB_PAGE);
	return gmem_read(t, dst, STUB_OUT, len);
}

/* The recvmsg header and buffers, as laid out at STUB_OUT. */
struct chan_msg {
	struct msghdr h;
	struct iovec iov;
	char byte;
	union {
		struct cmsghdr c;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
};

_Static_assert(sizeof(struct chan_msg) <= STUB_TABLE - STUB_OUT, "the loader's table follows");

#define OUT_AT(field) ((void *)(STUB_OUT + offsetof(struct chan_msg, field)))

static int chan_send(struct kernel *k, int hostfd)
{
	union {
		struct cmsghdr c;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl = {0};
	char byte = 0;
	struct iovec iov = {&byte, 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			   .msg_controllen = sizeof(ctl.buf)};
	ctl.c.cmsg_level = SOL_SOCKET;
	ctl.c.cmsg_type = SCM_RIGHTS;
	ctl.c.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&ctl.c), &hostfd, sizeof(int));
	return sendmsg(k->chan_uos, &m, MSG_DONTWAIT | MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

/* Throw away what no guest took (its receiver died or failed), closing the files in it. */
void guest_chan_drain(struct kernel *k)
{
	for (;;) {
		struct chan_msg m = {.iov = {&m.byte, 1}};
		m.h = (struct msghdr){.msg_iov = &m.iov, .msg_iovlen = 1, .msg_control = m.ctl.buf,
				      .msg_controllen = sizeof(m.ctl.buf)};
		if (recvmsg(k->chan_guest, &m.h, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0)
			return;
		struct cmsghdr *c = CMSG_FIRSTHDR(&m.h);
		int fd;
		if (c && c->cmsg_type == SCM_RIGHTS) {
			memcpy(&fd, CMSG_DATA(c), sizeof(fd));
			close(fd);
		}
	}
}

/*
 * A host fd for hostfd's file that lets the guest write through a shared
 * mapping only if `writable`: the host checks a mapping's later mprotect
 * against the fd's access mode, so a file the guest opened read-only must
 * reach it read-only.  Returns hostfd itself, or a new read-only fd to
 * close, or -errno.
 */
static int fd_for_access(int hostfd, bool writable)
{
	int fl = fcntl(hostfd, F_GETFL);
	if (fl < 0)
		return -errno;
	if (writable || (fl & O_ACCMODE) == O_RDONLY)
		return hostfd;
	char path[32];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", hostfd);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Close every slot in t's host fd table, whatever they hold.  0 or -errno. */
static int slots_clear(struct task *t, struct fdt_xfer *x)
{
	long r = GUEST_CALL(t, SYS_close_range, GUEST_XFER_FD, GUEST_XFER_FD + FDT_XFER_SLOTS - 1, 0);
	*x = (struct fdt_xfer){.unknown = x->unknown, .stale = r != 0};
	return (int)r;
}

/* The slot holding st's file with that access, or -1. */
static int slot_holding(const struct fdt_xfer *x, const struct stat *st, bool writable)
{
	for (int i = 0; i < FDT_XFER_SLOTS; i++) {
		const struct fdt_xfer_slot *s = &x->slot[i];
		if (s->held && s->dev == st->st_dev && s->ino == st->st_ino &&
		    s->writable == writable)
			return i;
	}
	return -1;
}

/*
 * The slot a recvmsg fills: the lowest empty one, or the least recently
 * used, closed first.  The slot or -errno.
 */
static int slot_free(struct task *t, struct fdt_xfer *x)
{
	int lru = 0;
	for (int i = 0; i < FDT_XFER_SLOTS; i++) {
		if (!x->slot[i].held)
			return i;
		if (x->slot[i].used < x->slot[lru].used)
			lru = i;
	}
	long r = GUEST_CALL(t, SYS_close, GUEST_XFER_FD + lru);
	x->slot[lru].held = false;
	x->stale = r != 0;
	return r ? (int)r : lru;
}

/*
 * Does the host take any private mapping of fd's file, executable too?  So
 * it does on a filesystem whose regular files always map, mounted without
 * noexec.  A FUSE, 9p or sysfs file, or a noexec mount, may refuse: its
 * maps are injected, and the host's answer taken (guest_host_maps).
 */
static bool maps_always(int fd)
{
	struct statfs sf;
	if (fstatfs(fd, &sf) || (sf.f_flags & ST_NOEXEC))
		return false;
	switch (sf.f_type) {
	case EXT4_SUPER_MAGIC: /* also ext2 and ext3 */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC: /* memfds too */
	case OVERLAYFS_SUPER_MAGIC:
	case SQUASHFS_MAGIC:
	case EROFS_SUPER_MAGIC_V1:
		return true;
	default:
		return false;
	}
}

long guest_file_give(struct task *t, int hostfd, bool writable)
{
	struct fdt_xfer none = {.unknown = true};
	struct fdt_xfer *x = t->tg->fdt ? &t->tg->fdt->xfer : &none;
	struct stat st;
	if (fstat(hostfd, &st))
		return -errno;
	int i = x->unknown || x->stale ? slots_clear(t, x) : 0;
	if (i < 0)
		return i;
	i = slot_holding(x, &st, writable);
	if (i >= 0) {
		x->slot[i].used = ++x->clock;
		return GUEST_XFER_FD + i;
	}
	i = slot_free(t, x);
	if (i < 0)
		return i;
	struct chan_msg m = {.iov = {OUT_AT(byte), 1}};
	m.h = (struct msghdr){.msg_iov = OUT_AT(iov), .msg_iovlen = 1, .msg_control = OUT_AT(ctl),
			      .msg_controllen = sizeof(m.ctl.buf)};
	int fd = fd_for_access(hostfd, writable);
	if (fd < 0)
		return fd;
	int r = gmem_write(t, STUB_OUT, &m, sizeof(m));
	if (r == 0)
		r = chan_send(t->k, fd);
	if (fd != hostfd)
		close(fd);
	if (r < 0)
		return r;
	long n = GUEST_CALL(t, SYS_recvmsg, GUEST_CHAN_FD, STUB_OUT, MSG_DONTWAIT);
	if (n == 1) {
		x->slot[i] = (struct fdt_xfer_slot){.held = true, .writable = writable,
						    .maps = maps_always(hostfd), .dev = st.st_dev,
						    .ino = st.st_ino, .used = ++x->clock};
		return GUEST_XFER_FD + i;
	}
	guest_chan_drain(t->k);
	slots_clear(t, x);
	return n < 0 ? n : -EIO;
}

void guest_file_drop(struct task *t)
{
	struct fdt_xfer none = {.unknown = true};
	if (!t->tg->fdt)
		slots_clear(t, &none); /* no note to keep them by */
}

void guest_file_exec(struct task *t)
{
	struct fdtable *fdt = t->tg->fdt;
	if (fdt && fdt->refs > 1) /* the host unshared this process's table, not uos */
		fdt->xfer.unknown = true;
}

long guest_map_file(struct task *t, int hostfd, bool writable, unsigned long addr,
		    unsigned long len, int prot, int flags, unsigned long off)
{
	long gfd = guest_file_give(t, hostfd, writable);
	if (gfd < 0)
		return gfd;
	long r = GUEST_CALL(t, SYS_mmap, addr, len, prot, flags, gfd, off);
	guest_file_drop(t);
	return r;
}

long guest_host_maps(struct task *t, int hostfd, bool writable)
{
	UOS_BUG_ON(!t->tg->fdt); /* the slot must stay given past the call */
	long gfd = guest_file_give(t, hostfd, writable);
	if (gfd < 0)
		return gfd;
	if (!t->tg->fdt->xfer.slot[gfd - GUEST_XFER_FD].maps)
		return 1;
	inject_host_runs_r8(t, (unsigned long)gfd);
	return 0;
}
