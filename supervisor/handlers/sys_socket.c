/*
 * The socket calls: each finds the socket (ENOTSOCK for another file),
 * copies the guest's addresses, data and control messages in, calls net/
 * (net.h), and copies the results out.
 *
 * Data moves through a uos buffer: a stream send goes in chunks, parks when
 * the peer's room is full and goes on after the bytes already sent when
 * served again (t->io_done), as write does; a datagram goes whole.  A
 * receive takes what is there, or parks; MSG_WAITALL on a stream parks
 * until the count is read, the stream ends or a signal comes.
 *
 * Control messages: SCM_RIGHTS (the files travel, not fds) and
 * SCM_CREDENTIALS (checked as Linux's scm_check_creds) are sent; received
 * files are installed in the caller's table (MSG_CMSG_CLOEXEC), those
 * that do not fit the control buffer are closed (MSG_CTRUNC).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "copy.h"
#include "cred.h"
#include "fdtable.h"
#include "gmem.h"
#include "handlers.h"
#include "net.h"
#include "pidfd.h"
#include "scheduler.h"
#include "sigsend.h"
#include "task.h"
#include "uiov.h"
#include "vfs.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77 /* Linux 6.5; newer than Debian 12's headers */
#endif

#define SOCK_CHUNK (64 * 1024)
#define RECV_MAX (1 << 20)	  /* a stream receive takes at most this at once */
#define CONTROL_MAX 131072	  /* net.core.optmem_max (Linux 6.9 on): a larger control buffer is ENOBUFS */

/* The socket at fd: -EBADF, or -ENOTSOCK for another file. */
static int sock_get(struct task *t, int fd, struct vfs_file **out)
{
	int err = fdt_fget(t, fd, false, out);

	if (!err && !net_is_socket(*out))
		err = -ENOTSOCK;
	return err;
}

/* The creator's credentials (SO_PEERCRED): its pid and effective ids. */
static struct net_cred peer_cred(struct task *t)
{
	return (struct net_cred){t->tg->pid, t->tg->cred.euid, t->tg->cred.egid, t->tg->host_tgid};
}

/* Install f (a new reference) at the lowest free fd: the fd, or -errno (f is put). */
static int install(struct task *t, struct vfs_file *f, bool cloexec)
{
	int limit = (int)t->tg->rlim[RLIMIT_NOFILE].rlim_cur;
	int fd = fdt_install(t->tg->fdt, f, 0, limit, cloexec);

	if (fd < 0)
		vfs_file_put(f);
	return fd;
}

/* SOCK_NONBLOCK and SOCK_CLOEXEC out of type; -EINVAL for other flags. */
static int type_flags(int *type, int *oflags, bool *cloexec)
{
	int flags = *type & ~0xf;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	*type &= 0xf;
	*oflags = flags & SOCK_NONBLOCK ? O_NONBLOCK : 0;
	*cloexec = flags & SOCK_CLOEXEC;
	return 0;
}

long sys_socket(struct task *t, const struct sysargs *a)
{
	int type = (int)a->a[1], oflags;
	bool cloexec;
	struct vfs_file *f;
	struct net_cred cr = peer_cred(t);
	int err = type_flags(&type, &oflags, &cloexec);

	if (!err)
		err = net_socket(&t->k->net, (int)a->a[0], type, (int)a->a[2], oflags, &cr, &f);
	return err ? err : install(t, f, cloexec);
}

long sys_socketpair(struct task *t, const struct sysargs *a)
{
	int type = (int)a->a[1], oflags, fds[2];
	bool cloexec;
	struct vfs_file *f[2];
	struct net_cred cr = peer_cred(t);
	int err = type_flags(&type, &oflags, &cloexec);

	if (!err)
		err = net_socketpair(&t->k->net, (int)a->a[0], type, (int)a->a[2], oflags, &cr, f);
	if (err)
		return err;
	fds[0] = install(t, f[0], cloexec);
	if (fds[0] < 0) {
		vfs_file_put(f[1]);
		return fds[0];
	}
	fds[1] = install(t, f[1], cloexec);
	if (fds[1] < 0) {
		fdt_close(t->tg->fdt, fds[0]);
		return fds[1];
	}
	if (gmem_write(t, a->a[3], fds, sizeof(fds))) {
		fdt_close(t->tg->fdt, fds[0]);
		fdt_close(t->tg->fdt, fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* Sending. */

/* SCM_CREDENTIALS a sender may claim: its own pid and ids, unless privileged. */
static int check_cred(struct task *t, const struct ucred *uc)
{
	const struct creds *c = &t->tg->cred;

	if (uc->pid != t->tg->pid && !cred_capable(t, CAP_SYS_ADMIN))
		return -EPERM;
	if (uc->uid != c->uid && uc->uid != c->euid && uc->uid != c->suid &&
	    !cred_capable(t, CAP_SETUID))
		return -EPERM;
	if (uc->gid != c->gid && uc->gid != c->egid && uc->gid != c->sgid &&
	    !cred_capable(t, CAP_SETGID))
		return -EPERM;
	return 0;
}

/* Take a guest's SCM_RIGHTS fds (their files, borrowed) into m. */
static int take_rights(struct task *t, const struct cmsghdr *cm, struct net_msg *m,
		       struct vfs_file **files)
{
	int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	const int *fds = (const int *)CMSG_DATA(cm);

	if (!n)
		return 0;
	if (m->nfds + n > NET_SCM_MAX_FD)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		struct vfs_file *f = fdt_get(t->tg->fdt, fds[i]);
		if (!f)
			return -EBADF;
		files[m->nfds++] = f;
	}
	m->fds = files;
	return 0;
}

/* Parse the control messages of a send (Linux's __scm_send) into m. */
static int parse_control(struct task *t, char *ctl, size_t len, struct net_msg *m,
			 struct vfs_file **files)
{
	struct msghdr mh = {.msg_control = ctl, .msg_controllen = len};
	int err = 0;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm && !err; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_len < sizeof(*cm) || cm->cmsg_len > len - ((char *)cm - ctl))
			return -EINVAL;
		if (cm->cmsg_level != SOL_SOCKET)
			continue;
		if (cm->cmsg_type == SCM_RIGHTS) {
			err = take_rights(t, cm, m, files);
		} else if (cm->cmsg_type == SCM_CREDENTIALS) {
			struct ucred uc;
			if (cm->cmsg_len != CMSG_LEN(sizeof(uc)))
				return -EINVAL;
			memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
			err = check_cred(t, &uc);
			m->cred = (struct net_cred){uc.pid, uc.uid, uc.gid};
			m->cred_given = true;
		} else {
			err = -EINVAL;
		}
	}
	return err;
}

/* A guest's message header (struct msghdr's x86-64 layout): -EFAULT, or -EMSGSIZE for too many iovecs. */
static int get_msghdr(struct task *t, unsigned long umsg, struct msghdr *mh)
{
	if (gmem_read(t, mh, umsg, sizeof(*mh)))
		return -EFAULT;
	return mh->msg_iovlen > UIOV_MAX ? -EMSGSIZE : 0;
}

/*
 * An address out, as move_addr_to_user: the guest's room at ulen is read
 * now (after the call did its work, as Linux does), klen bytes of addr at
 * most that are put at uaddr, and klen at ulen.
 */
static int put_addr(struct task *t, unsigned long uaddr, unsigned long ulen, const void *addr,
		    unsigned int klen)
{
	int room;

	if (gmem_read(t, &room, ulen, sizeof(room)))
		return -EFAULT;
	if (room > (int)klen)
		room = (int)klen;
	if (room < 0)
		return -EINVAL;
	if (room && gmem_write(t, uaddr, addr, (size_t)room))
		return -EFAULT;
	return gmem_write(t, ulen, &klen, sizeof(klen)) ? -EFAULT : 0;
}

/* A guest's address of len bytes at uaddr into ss (as move_addr_to_kernel). */
static int get_addr(struct task *t, unsigned long uaddr, unsigned int len,
		    struct sockaddr_storage *ss)
{
	if ((int)len < 0 || len > sizeof(*ss))
		return -EINVAL;
	return len && gmem_read(t, ss, uaddr, len) ? -EFAULT : 0;
}

/* EPIPE: the sender gets SIGPIPE too, unless MSG_NOSIGNAL. */
static long sent(struct task *t, long r, int flags)
{
	if (r == -EPIPE && !(flags & MSG_NOSIGNAL))
		sig_send_self(t, SIGPIPE);
	return r;
}

/*
 * Send len bytes of the guest's buffers v on f with m's flags and control
 * (a stream in chunks, going on after t->io_done bytes; else whole).
 */
static long send_data(struct task *t, struct vfs_file *f, const struct uvec *v, size_t len,
		      struct net_msg *m)
{
	size_t max = net_max_msg(f), skip = t->io_done, done = 0;
	bool nonblock = (m->flags & MSG_DONTWAIT) || (f->flags & O_NONBLOCK);
	size_t room = max ? len : (len - skip < SOCK_CHUNK ? len - skip : SOCK_CHUNK);
	char *buf;
	long r = 0;

	if (max && len > max)
		return -EMSGSIZE;
	buf = malloc(room ? room : 1);
	if (!buf)
		return -ENOMEM;
	if (skip)
		m->nfds = 0; /* served again: the files went with the first bytes */
	do {
		size_t n = len - skip - done < room ? len - skip - done : room;
		if (uvec_copy(t, v, skip + done, buf, n, false) < n) {
			r = -EFAULT;
			break;
		}
		m->buf = buf;
		m->len = n;
		r = net_send(f, m);
		if (r > 0) {
			done += (size_t)r;
			m->nfds = 0;
		}
	} while (r > 0 && !max && skip + done < len);
	free(buf);
	if (r == -EAGAIN && !nonblock) {
		r = copy_would_block(t, f, POLLOUT, false); /* -EAGAIN: SO_SNDTIMEO passed */
		if (r == -UOS_EBLOCK) {
			t->io_done += done;
			return r;
		}
	}
	if (done + skip)
		return (long)(done + skip);
	return sent(t, r, m->flags);
}

/*
 * sendmsg's work, from a message header copied in whose msg_iov is the
 * guest's iovecs taken in (uos memory), total bytes in all.
 */
static long do_sendmsg(struct task *t, int fd, const struct msghdr *mh, size_t total, int flags)
{
	struct vfs_file *f, *files[NET_SCM_MAX_FD];
	struct net_msg m = {.flags = flags};
	struct sockaddr_storage ss;
	size_t clen = mh->msg_controllen;
	char *ctl = NULL;
	long err = sock_get(t, fd, &f);

	if (!err)
		err = get_addr(t, (unsigned long)mh->msg_name, mh->msg_namelen, &ss);
	m.addr = &ss;
	m.addrlen = mh->msg_namelen;
	m.caller = &t->vc;
	if (!err && clen > CONTROL_MAX)
		err = -ENOBUFS;
	if (!err && clen && !(ctl = malloc(clen)))
		err = -ENOMEM;
	if (!err && clen && gmem_read(t, ctl, (unsigned long)mh->msg_control, clen))
		err = -EFAULT;
	if (!err && clen)
		err = parse_control(t, ctl, clen, &m, files);
	if (!err)
		err = send_data(t, f, &(struct uvec){mh->msg_iov, (long)mh->msg_iovlen}, total, &m);
	free(ctl);
	return err;
}

/*
 * sendmsg's and recvmsg's arguments: the socket at fd, the header at umsg
 * and its iovecs taken in (mh->msg_iov points to them after, freed by the
 * caller), total bytes in all.
 */
static long msg_in(struct task *t, int fd, unsigned long umsg, struct msghdr *mh, size_t *total)
{
	struct iovec *iov;
	struct vfs_file *f;
	long err = get_msghdr(t, umsg, mh);

	if (!err)
		err = sock_get(t, fd, &f);
	if (!err)
		err = uiov_import(t, (unsigned long)mh->msg_iov, (long)mh->msg_iovlen, &iov, total);
	if (!err)
		mh->msg_iov = iov;
	return err;
}

/* One guest buffer as the iovecs of mh: -EFAULT when access_ok refuses it. */
static long one_iov(struct msghdr *mh, struct iovec *one, unsigned long ubuf, size_t len)
{
	*one = (struct iovec){(void *)ubuf, len < RW_MAX ? len : RW_MAX};
	mh->msg_iov = one;
	mh->msg_iovlen = 1;
	return uiov_access_ok(ubuf, len) ? 0 : -EFAULT;
}

/* sendmsg(2) of the guest's header at umsg. */
static long sendmsg_at(struct task *t, int fd, unsigned long umsg, int flags)
{
	struct msghdr mh;
	size_t total;
	long err = msg_in(t, fd, umsg, &mh, &total);

	if (err)
		return err;
	err = do_sendmsg(t, fd, &mh, total, flags);
	free(mh.msg_iov);
	return err;
}

long sys_sendmsg(struct task *t, const struct sysargs *a)
{
	return sendmsg_at(t, (int)a->a[0], a->a[1], (int)a->a[2]);
}

long sys_sendto(struct task *t, const struct sysargs *a)
{
	struct iovec one;
	struct msghdr mh = {.msg_name = (void *)a->a[4], .msg_namelen = a->a[4] ? a->a[5] : 0};
	struct vfs_file *f;
	long err = sock_get(t, (int)a->a[0], &f);

	if (!err)
		err = one_iov(&mh, &one, a->a[1], a->a[2]);
	return err ? err : do_sendmsg(t, (int)a->a[0], &mh, one.iov_len, (int)a->a[3]);
}

/* Receiving. */

/*
 * The guest's control buffer cannot take the control messages: as Linux's
 * put_cmsg and scm_detach_fds, the receive still succeeds, with no control
 * (msg_controllen 0), the files closed (MSG_CTRUNC), none in the fd table.
 */
static void drop_control(struct task *t, struct msghdr *mh, struct net_msg *m, const int *fds,
			 int installed)
{
	for (int i = 0; i < installed; i++)
		fdt_close(t->tg->fdt, fds[i]);
	for (int i = installed; i < m->nfds; i++)
		vfs_file_put(m->fds[i]);
	if (m->nfds)
		m->out_flags |= MSG_CTRUNC;
	mh->msg_controllen = 0;
}

/* Put the received control messages (credentials, then files) in the guest's buffer. */
static long put_control(struct task *t, struct msghdr *mh, struct net_msg *m, int flags)
{
	char ctl[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(NET_SCM_MAX_FD * sizeof(int))];
	struct msghdr out = {.msg_control = ctl, .msg_controllen = sizeof(ctl)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&out);
	size_t used = 0;
	int fds[NET_SCM_MAX_FD], n = 0;

	memset(ctl, 0, sizeof(ctl));
	/* Whether the guest's buffer takes them, before any file is installed. */
	used = (m->got_cred ? CMSG_SPACE(sizeof(struct ucred)) : 0) +
	       (m->nfds ? CMSG_SPACE(m->nfds * sizeof(int)) : 0);
	used = used < mh->msg_controllen ? used : mh->msg_controllen;
	if (used && gmem_write(t, (unsigned long)mh->msg_control, ctl, used)) {
		drop_control(t, mh, m, fds, 0);
		return 0;
	}
	used = 0;
	if (m->got_cred) {
		struct ucred uc = {m->cred.pid, m->cred.uid, m->cred.gid};
		cm->cmsg_len = CMSG_LEN(sizeof(uc));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_CREDENTIALS;
		memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
		used = CMSG_SPACE(sizeof(uc));
		cm = (struct cmsghdr *)(ctl + used);
	}
	for (int i = 0; i < m->nfds; i++) {
		int fd = install(t, m->fds[i], flags & MSG_CMSG_CLOEXEC);
		if (fd < 0) { /* the rest are closed, as scm_detach_fds */
			for (int j = i + 1; j < m->nfds; j++)
				vfs_file_put(m->fds[j]);
			m->out_flags |= MSG_CTRUNC;
			break;
		}
		fds[n++] = fd;
	}
	if (n) {
		cm->cmsg_len = CMSG_LEN(n * sizeof(int));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
		used += CMSG_SPACE(n * sizeof(int));
	}
	if (used > mh->msg_controllen)
		used = mh->msg_controllen; /* only what fit: got_cred and maxfds were sized to it */
	if (used && gmem_write(t, (unsigned long)mh->msg_control, ctl, used)) {
		m->nfds = n; /* those not installed were put above */
		drop_control(t, mh, m, fds, n);
		return 0;
	}
	mh->msg_controllen = used;
	return 0;
}

/* How many files fit the guest's control buffer, after the credentials (when passed). */
static int fds_room(size_t clen, bool cred)
{
	size_t c = CMSG_SPACE(sizeof(struct ucred));

	if (cred)
		clen = clen >= c ? clen - c : 0;
	if (clen <= CMSG_LEN(0))
		return 0;
	clen = (clen - CMSG_LEN(0)) / sizeof(int);
	return clen > NET_SCM_MAX_FD ? NET_SCM_MAX_FD : (int)clen;
}

/*
 * Receive m from f into the guest's buffers v from byte skip on.  A stream
 * is peeked and copied out first, so that a copy that faults leaves the
 * bytes queued (-EFAULT), as Linux's stream receive does; a datagram is
 * taken, and lost when its copy faults, as Linux's datagram receive does.
 */
static long recv_out(struct task *t, struct vfs_file *f, const struct uvec *v, size_t skip,
		     struct net_msg *m, bool stream)
{
	struct net_msg peek = {.buf = m->buf, .len = m->len, .flags = m->flags | MSG_PEEK};
	long r = net_recv(f, stream ? &peek : m);
	size_t n = r > 0 && (size_t)r < m->len ? (size_t)r : m->len;

	if (r > 0 && uvec_copy(t, v, skip, m->buf, n, true) < n)
		return -EFAULT;
	if (stream && r > 0)
		m->len = n; /* no more than the guest got: a host socket may have more by now */
	if (stream && (r > 0 || (r == 0 && m->len)))
		r = net_recv(f, m); /* the guest took the bytes: now take them off the queue */
	return r;
}

/*
 * Receive into the guest's buffers v (len bytes) from f, going on after
 * t->io_done bytes (MSG_WAITALL, served again).
 */
static long recv_data(struct task *t, struct vfs_file *f, const struct uvec *v, size_t len,
		      struct net_msg *m)
{
	size_t max = net_max_msg(f), skip = t->io_done;
	size_t room = len - skip < RECV_MAX ? len - skip : RECV_MAX;
	bool nonblock = (m->flags & MSG_DONTWAIT) || (f->flags & O_NONBLOCK);
	bool waitall = !max && (m->flags & MSG_WAITALL) && !(m->flags & MSG_PEEK);
	long r;

	if (max && room > max)
		room = max;
	m->buf = malloc(room ? room : 1);
	if (!m->buf)
		return -ENOMEM;
	m->len = room;
	r = recv_out(t, f, v, skip, m, !max);
	free(m->buf);
	if (waitall && r > 0 && !m->nfds && skip + (size_t)r < len && !nonblock) {
		t->io_done += (size_t)r; /* the rest when more comes */
		r = -EAGAIN;
	}
	if (r == -EAGAIN && !nonblock)
		r = copy_would_block(t, f, POLLIN, false); /* -EAGAIN: SO_RCVTIMEO passed */
	if (r == -UOS_EBLOCK)
		return r;
	skip = t->io_done;
	if (skip)
		return r > 0 ? (long)(skip + (size_t)r) : (long)skip;
	return r;
}

/*
 * recvmsg's work on a message header copied in, its iovecs taken in
 * (total bytes); the header's out fields are updated, and the sender's name
 * goes to ss when msg_name is set (its length in msg_namelen).
 */
static long do_recvmsg(struct task *t, int fd, struct msghdr *mh, size_t total, int flags,
		       struct sockaddr_storage *ss)
{
	struct vfs_file *f, *files[NET_SCM_MAX_FD];
	struct net_msg m = {.flags = flags, .fds = files, .name = mh->msg_name ? ss : NULL,
			    .namelen = mh->msg_name ? sizeof(*ss) : 0};
	int passcred = 0;
	unsigned int plen = sizeof(passcred);
	long r = sock_get(t, fd, &f);

	if (r)
		return r;
	net_getsockopt(f, SOL_SOCKET, SO_PASSCRED, &passcred, &plen);
	m.maxfds = fds_room(mh->msg_controllen, passcred);
	r = recv_data(t, f, &(struct uvec){mh->msg_iov, (long)mh->msg_iovlen}, total, &m);
	if (r < 0) { /* files taken with bytes that could not be copied out are closed */
		for (int i = 0; i < m.nfds; i++)
			vfs_file_put(m.fds[i]);
		return r;
	}
	if (m.got_cred && mh->msg_controllen < CMSG_SPACE(sizeof(struct ucred))) {
		m.got_cred = false; /* no room for them */
		m.out_flags |= MSG_CTRUNC;
	}
	long err = put_control(t, mh, &m, flags);
	mh->msg_flags = m.out_flags | (flags & MSG_CMSG_CLOEXEC); /* as Linux: the flag is given back */
	mh->msg_namelen = m.namelen; /* 0: an unnamed sender */
	return err ? err : r;
}

/* The fields recvmsg gives back: msg_namelen, msg_controllen, msg_flags. */
static int put_msghdr(struct task *t, unsigned long umsg, const struct msghdr *mh)
{
	if (gmem_write(t, umsg + offsetof(struct msghdr, msg_namelen), &mh->msg_namelen,
		       sizeof(mh->msg_namelen)) ||
	    gmem_write(t, umsg + offsetof(struct msghdr, msg_controllen), &mh->msg_controllen,
		       sizeof(mh->msg_controllen)) ||
	    gmem_write(t, umsg + offsetof(struct msghdr, msg_flags), &mh->msg_flags,
		       sizeof(mh->msg_flags)))
		return -EFAULT;
	return 0;
}

/* recvmsg(2) into the guest's header at umsg. */
static long recvmsg_at(struct task *t, int fd, unsigned long umsg, int flags)
{
	struct msghdr mh;
	struct sockaddr_storage ss;
	size_t total;
	long r = msg_in(t, fd, umsg, &mh, &total);

	if (r)
		return r;
	r = do_recvmsg(t, fd, &mh, total, flags, &ss);
	free(mh.msg_iov);
	if (r >= 0 && mh.msg_name)
		r = put_addr(t, (unsigned long)mh.msg_name,
			     umsg + offsetof(struct msghdr, msg_namelen), &ss, mh.msg_namelen) ?: r;
	if (r >= 0 && put_msghdr(t, umsg, &mh))
		return -EFAULT;
	return r;
}

long sys_recvmsg(struct task *t, const struct sysargs *a)
{
	return recvmsg_at(t, (int)a->a[0], a->a[1], (int)a->a[2]);
}

/*
 * sendmmsg and recvmmsg: one message after another, each one's length put
 * in its msg_len; an error ends the run (the count so far, or the error
 * when the first failed).  Only the first message may wait: the others are
 * sent or received if they can be now, as with recvmmsg's MSG_WAITFORONE.
 */
static long mmsg(struct task *t, const struct sysargs *a, bool send)
{
	int fd = (int)a->a[0], flags = (int)a->a[3];
	unsigned int vlen = (unsigned int)a->a[2] < UIOV_MAX ? (unsigned int)a->a[2] : UIOV_MAX;
	unsigned int i;
	long r = 0;

	for (i = 0; i < vlen; i++) {
		unsigned long um = a->a[1] + i * sizeof(struct mmsghdr);
		int f = flags | (i ? MSG_DONTWAIT : 0);
		r = send ? sendmsg_at(t, fd, um, f) : recvmsg_at(t, fd, um, f);
		if (r < 0)
			break;
		unsigned int len = (unsigned int)r;
		t->io_done = 0; /* that message is done: the next starts afresh */
		if (gmem_write(t, um + offsetof(struct mmsghdr, msg_len), &len, sizeof(len))) {
			r = -EFAULT;
			break;
		}
	}
	return i == 0 && r < 0 ? r : (long)i; /* -UOS_EBLOCK too: the first message waits */
}

long sys_sendmmsg(struct task *t, const struct sysargs *a)
{
	return mmsg(t, a, true);
}

long sys_recvmmsg(struct task *t, const struct sysargs *a)
{
	struct timespec ts;

	if (a->a[4] && gmem_read(t, &ts, a->a[4], sizeof(ts)))
		return -EFAULT;
	if (a->a[4] && (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L))
		return -EINVAL;
	return mmsg(t, a, false);
}

long sys_recvfrom(struct task *t, const struct sysargs *a)
{
	struct iovec one;
	struct msghdr mh = {.msg_name = (void *)a->a[4]};
	struct sockaddr_storage ss;
	struct vfs_file *f;
	long r = sock_get(t, (int)a->a[0], &f);

	if (!r)
		r = one_iov(&mh, &one, a->a[1], a->a[2]);
	if (r)
		return r;
	r = do_recvmsg(t, (int)a->a[0], &mh, one.iov_len, (int)a->a[3], &ss);
	if (r >= 0 && a->a[4] && a->a[5])
		r = put_addr(t, a->a[4], a->a[5], &ss, mh.msg_namelen) ?: r;
	return r;
}

/* Names and connections. */

long sys_bind(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct sockaddr_storage ss;
	unsigned int len = (unsigned int)a->a[2];
	int err = sock_get(t, (int)a->a[0], &f);

	if (!err)
		err = get_addr(t, a->a[1], len, &ss);
	return err ? err : net_bind(&t->vc, f, &ss, len);
}

/* Park t on what net says the call on f waits for. */
static long park_net(struct task *t, struct vfs_file *f, short events)
{
	sched_park(t, net_chan(f), vfs_pollfd(f), events, 0);
	return -UOS_EBLOCK;
}

long sys_connect(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct sockaddr_storage ss;
	struct net_cred cr = peer_cred(t);
	unsigned int len = (unsigned int)a->a[2];
	int err = sock_get(t, (int)a->a[0], &f);

	if (!err)
		err = get_addr(t, a->a[1], len, &ss);
	if (!err)
		err = net_connect(&t->vc, f, &ss, len, &cr);
	if (err == -EAGAIN && !(f->flags & O_NONBLOCK))
		return park_net(t, f, POLLOUT); /* the listener's backlog is full */
	return err;
}

long sys_listen(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	struct net_cred cr = peer_cred(t);
	int err = sock_get(t, (int)a->a[0], &f);

	return err ? err : net_listen(f, (int)a->a[1], &cr);
}

static long do_accept(struct task *t, const struct sysargs *a, int flags)
{
	struct vfs_file *f, *nf;
	struct sockaddr_storage ss;
	struct net_cred cr = peer_cred(t);
	unsigned int len = sizeof(ss);
	int fd, err;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	err = sock_get(t, (int)a->a[0], &f);
	if (!err)
		err = net_accept(f, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, &cr, &nf, &ss, &len);
	if (err == -EAGAIN && !(f->flags & O_NONBLOCK))
		return park_net(t, f, POLLIN);
	if (err)
		return err;
	fd = install(t, nf, flags & SOCK_CLOEXEC);
	if (fd >= 0 && a->a[1] && (err = put_addr(t, a->a[1], a->a[2], &ss, len))) {
		fdt_close(t->tg->fdt, fd);
		return err;
	}
	return fd;
}

long sys_accept(struct task *t, const struct sysargs *a)
{
	return do_accept(t, a, 0);
}

long sys_accept4(struct task *t, const struct sysargs *a)
{
	return do_accept(t, a, (int)a->a[3]);
}

/* Options, names, shutdown. */

long sys_shutdown(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	int err = sock_get(t, (int)a->a[0], &f);

	return err ? err : net_shutdown(f, (int)a->a[1]);
}

/*
 * SO_PEERPIDFD: a pidfd (close-on-exec) of the peer's process, live or
 * reaped since; it stays installed only when the value could be written.
 */
static long peer_pidfd(struct task *t, struct vfs_file *f, const struct sysargs *a,
		       unsigned int len)
{
	struct net_cred cr;
	int err = net_peer_cred(f, &cr);

	if (err)
		return err;
	long fd = pidfd_install_named(t, cr.pid, cr.stamp);
	if (fd < 0)
		return fd;
	int v = (int)fd;
	len = len < sizeof(v) ? len : sizeof(v);
	if (gmem_write(t, a->a[3], &v, len) || gmem_write(t, a->a[4], &len, sizeof(len))) {
		fdt_close(t->tg->fdt, v);
		return -EFAULT;
	}
	return 0;
}

long sys_getsockopt(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	char val[NET_OPT_MAX];
	unsigned int len;
	int err = sock_get(t, (int)a->a[0], &f);

	if (!err && gmem_read(t, &len, a->a[4], sizeof(len)))
		err = -EFAULT;
	if (err)
		return err;
	if ((int)len < 0)
		return -EINVAL;
	if (a->a[1] == SOL_SOCKET && a->a[2] == SO_PEERPIDFD)
		return peer_pidfd(t, f, a, len);
	if (len > sizeof(val))
		len = sizeof(val);
	err = net_getsockopt(f, (int)a->a[1], (int)a->a[2], val, &len);
	if (!err && (gmem_write(t, a->a[3], val, len) || gmem_write(t, a->a[4], &len, sizeof(len))))
		err = -EFAULT;
	return err;
}

long sys_setsockopt(struct task *t, const struct sysargs *a)
{
	struct vfs_file *f;
	char val[NET_OPT_MAX] = {0};
	unsigned int len = (unsigned int)a->a[4];
	int err = sock_get(t, (int)a->a[0], &f);

	if (err)
		return err;
	if ((int)len < 0)
		return -EINVAL;
	if (gmem_read(t, val, a->a[3], len < sizeof(val) ? len : sizeof(val)))
		return -EFAULT;
	return net_setsockopt(f, (int)a->a[1], (int)a->a[2], val, len);
}

static long name_of(struct task *t, const struct sysargs *a, bool peer)
{
	struct vfs_file *f;
	struct sockaddr_storage ss;
	unsigned int len = sizeof(ss);
	int err = sock_get(t, (int)a->a[0], &f);

	if (!err)
		err = net_name(f, peer, &ss, &len);
	return err ? err : put_addr(t, a->a[1], a->a[2], &ss, len);
}

long sys_getsockname(struct task *t, const struct sysargs *a)
{
	return name_of(t, a, false);
}

long sys_getpeername(struct task *t, const struct sysargs *a)
{
	return name_of(t, a, true);
}
