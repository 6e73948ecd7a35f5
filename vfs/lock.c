/*
 * Advisory file locks: flock(2), fcntl's POSIX record locks (F_GETLK,
 * F_SETLK, F_SETLKW) and open-file-description locks (F_OFD_*).
 *
 * The books are one list per namespace (vfs_ns.locks) of byte ranges keyed
 * by inode (st_dev, st_ino).  Owners: flock and OFD locks belong to the
 * open file description (released when its last reference goes, through
 * f->lockns); POSIX locks belong to the process (released when it closes
 * any fd of the inode, and dropped lazily once the process is gone).
 * flock locks never conflict with record locks, as on Linux; POSIX and OFD
 * locks conflict with each other.  A call that must wait parks on the
 * book (every unlock wakes it) with a short deadline so that locks of
 * processes that died are noticed; a POSIX waiter that would wait on a
 * process that waits on it gets EDEADLK.
 *
 * Every lock record of the guests counts against MEMCG_LOCKS (memcg.h):
 * Linux bounds them only by memory; uos answers ENOLCK past the bound, as
 * fcntl(2) names for a full lock table.  A record that splits or merges
 * takes its new record before freeing, so a call at the bound may fail
 * even where it would end with fewer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>

#include "vfs_impl.h"

#define LOCK_OFF_MAX INT64_MAX
#define LOCK_RECHECK_NS 50000000LL /* how often a waiter looks for dead owners */

enum lock_kind { LK_FLOCK, LK_POSIX, LK_OFD };

struct vfs_lock {
	struct vfs_lock *next;
	dev_t dev;
	ino_t ino;
	enum lock_kind kind;
	short type;	      /* F_RDLCK or F_WRLCK */
	off_t start, end;     /* inclusive */
	int pid;	      /* LK_POSIX: the owner; others: who took it (F_GETLK shows -1) */
	struct vfs_file *ofd; /* LK_FLOCK, LK_OFD: the owner (not a reference) */
};

/* A process parked in F_SETLKW and the pid it waits for (EDEADLK detection). */
struct lock_waiter {
	int pid, on;
};

#define LOCK_MAX_WAITERS 64
struct vfs_lockbook {
	struct memcg *cg; /* the MEMCG_LOCKS the records count in */
	struct vfs_lock *head;
	struct lock_waiter waiters[LOCK_MAX_WAITERS];
};

static struct vfs_lockbook *book(struct vfs_ns *ns)
{
	if (!ns->locks && (ns->locks = calloc(1, sizeof(*ns->locks))))
		ns->locks->cg = ns->cg;
	return ns->locks;
}

/* A new record: NULL when past the bound (*err -ENOLCK) or out of memory (-ENOMEM). */
static struct vfs_lock *lock_alloc(struct vfs_lockbook *b, int *err)
{
	struct vfs_lock *l;

	*err = memcg_take(b->cg, MEMCG_LOCKS);
	if (*err)
		return NULL;
	l = malloc(sizeof(*l));
	if (!l) {
		memcg_give(b->cg, MEMCG_LOCKS, 1);
		*err = -ENOMEM;
	}
	return l;
}

static void lock_free(struct vfs_lockbook *b, struct vfs_lock *l)
{
	free(l);
	memcg_give(b->cg, MEMCG_LOCKS, 1);
}

/* Whether POSIX owner pid is gone (its locks no longer count): the process table knows. */
static bool owner_gone(struct vfs_ns *ns, int pid)
{
	return ns->hooks && ns->hooks->pid_gone(ns->k, pid);
}

static void drop_dead(struct vfs_ns *ns, struct vfs_lockbook *b)
{
	for (struct vfs_lock **pp = &b->head; *pp;) {
		struct vfs_lock *l = *pp;
		if (l->kind == LK_POSIX && owner_gone(ns, l->pid)) {
			*pp = l->next;
			lock_free(b, l);
		} else {
			pp = &l->next;
		}
	}
}

static bool same_owner(const struct vfs_lock *l, const struct vfs_lock *r)
{
	if (l->kind == LK_POSIX || r->kind == LK_POSIX)
		return l->kind == r->kind && l->pid == r->pid;
	return l->ofd == r->ofd;
}

/* Whether existing lock l stands in the way of request r. */
static bool conflicts(const struct vfs_lock *l, const struct vfs_lock *r)
{
	if (l->dev != r->dev || l->ino != r->ino)
		return false;
	if ((l->kind == LK_FLOCK) != (r->kind == LK_FLOCK))
		return false;
	if (same_owner(l, r))
		return false;
	if (l->type == F_RDLCK && r->type == F_RDLCK)
		return false;
	return l->start <= r->end && r->start <= l->end;
}

static struct vfs_lock *find_conflict(struct vfs_lockbook *b, const struct vfs_lock *r)
{
	for (struct vfs_lock *l = b->head; l; l = l->next)
		if (conflicts(l, r))
			return l;
	return NULL;
}

/* Remove r's owner's locks over r's range, splitting those that stick out.  -ENOLCK, -ENOMEM. */
static int cut_range(struct vfs_lockbook *b, const struct vfs_lock *r)
{
	for (struct vfs_lock **pp = &b->head; *pp;) {
		struct vfs_lock *l = *pp;
		if (l->dev != r->dev || l->ino != r->ino || l->kind != r->kind ||
		    !same_owner(l, r) || l->end < r->start || r->end < l->start) {
			pp = &l->next;
			continue;
		}
		if (l->start < r->start && l->end > r->end) { /* split in two */
			int err;
			struct vfs_lock *tail = lock_alloc(b, &err);
			if (!tail)
				return err;
			*tail = *l;
			tail->start = r->end + 1;
			l->end = r->start - 1;
			l->next = tail;
			return 0;
		}
		if (l->start < r->start) {
			l->end = r->start - 1;
		} else if (l->end > r->end) {
			l->start = r->end + 1;
		} else {
			*pp = l->next;
			lock_free(b, l);
			continue;
		}
		pp = &l->next;
	}
	return 0;
}

/* Add r, merged with its owner's touching locks of the same type. */
static int add_lock(struct vfs_lockbook *b, const struct vfs_lock *r)
{
	int err;
	struct vfs_lock *n = lock_alloc(b, &err);

	if (!n)
		return err;
	*n = *r;
	for (struct vfs_lock **pp = &b->head; *pp;) {
		struct vfs_lock *l = *pp;
		bool touch = l->dev == n->dev && l->ino == n->ino && l->kind == n->kind &&
			     same_owner(l, n) && l->type == n->type &&
			     (l->end == LOCK_OFF_MAX || l->end + 1 >= n->start) &&
			     (n->end == LOCK_OFF_MAX || n->end + 1 >= l->start);
		if (!touch) {
			pp = &l->next;
			continue;
		}
		n->start = l->start < n->start ? l->start : n->start;
		n->end = l->end > n->end ? l->end : n->end;
		*pp = l->next;
		lock_free(b, l);
	}
	n->next = b->head;
	b->head = n;
	return 0;
}

/* Apply request r (type F_UNLCK removes); wakes waiters when anything was released. */
static int apply(struct vfs_ns *ns, struct vfs_lockbook *b, const struct vfs_lock *r)
{
	int err = cut_range(b, r);

	if (!err && r->type != F_UNLCK)
		err = add_lock(b, r);
	waitq_wake_polled(ns->waitq, b);
	return err;
}

static void waiter_set(struct vfs_lockbook *b, int pid, int on)
{
	struct lock_waiter *free_slot = NULL;

	for (int i = 0; i < LOCK_MAX_WAITERS; i++) {
		struct lock_waiter *w = &b->waiters[i];
		if (w->pid == pid) {
			w->on = on;
			if (!on)
				w->pid = 0;
			return;
		}
		if (!w->pid && !free_slot)
			free_slot = w;
	}
	if (on && free_slot)
		*free_slot = (struct lock_waiter){pid, on};
}

static int waiting_on(struct vfs_lockbook *b, int pid)
{
	for (int i = 0; i < LOCK_MAX_WAITERS; i++)
		if (b->waiters[i].pid == pid)
			return b->waiters[i].on;
	return 0;
}

/* Whether pid waiting on owner would close a cycle of waiters. */
static bool deadlock(struct vfs_lockbook *b, int pid, int owner)
{
	for (int hops = 0; owner && hops < LOCK_MAX_WAITERS; hops++) {
		if (owner == pid)
			return true;
		owner = waiting_on(b, owner);
	}
	return false;
}

/* Place r or wait for it: 0, -EAGAIN (no wait), -EDEADLK, -UOS_EBLOCK (parked). */
static int take(struct vfs_caller *c, struct vfs_lockbook *b, const struct vfs_lock *r, bool wait,
		int busy)
{
	drop_dead(c->ns, b);
	struct vfs_lock *o = r->type == F_UNLCK ? NULL : find_conflict(b, r);
	if (!o) {
		if (r->kind == LK_POSIX)
			waiter_set(b, r->pid, 0);
		return apply(c->ns, b, r);
	}
	if (!wait)
		return busy;
	if (r->kind == LK_POSIX && o->kind == LK_POSIX) {
		if (deadlock(b, r->pid, o->pid)) {
			waiter_set(b, r->pid, 0);
			return -EDEADLK;
		}
		waiter_set(b, r->pid, o->pid);
	}
	return vfs_park(c, b, uos_now_ns() + LOCK_RECHECK_NS);
}

/* The inode of f into r. */
static int key_of(struct vfs_file *f, struct vfs_lock *r, struct stat *st)
{
	int err = vfs_fstat(f, st);

	if (err)
		return err;
	r->dev = st->st_dev;
	r->ino = st->st_ino;
	return 0;
}

int vfs_flock(struct vfs_caller *c, struct vfs_file *f, int op)
{
	struct vfs_lockbook *b = book(c->ns);
	struct vfs_lock r = {.kind = LK_FLOCK, .start = 0, .end = LOCK_OFF_MAX, .ofd = f};
	struct stat st;
	int err;

	if (!b)
		return -ENOMEM;
	switch (op & ~LOCK_NB) {
	case LOCK_SH:
		r.type = F_RDLCK;
		break;
	case LOCK_EX:
		r.type = F_WRLCK;
		break;
	case LOCK_UN:
		r.type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	if (f->flags & O_PATH)
		return -EBADF;
	err = key_of(f, &r, &st);
	if (err)
		return err;
	r.pid = c->pid;
	f->lockns = c->ns;
	return take(c, b, &r, !(op & LOCK_NB), -EWOULDBLOCK);
}

/* The range of fl (l_whence, l_start, l_len) on f into r: 0 or -EINVAL, -EOVERFLOW. */
static int range_of(struct vfs_file *f, const struct flock *fl, const struct stat *st,
		    struct vfs_lock *r)
{
	off_t base;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = st->st_size;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, fl->l_start, &r->start))
		return -EOVERFLOW;
	if (fl->l_len > 0) {
		if (__builtin_add_overflow(r->start, fl->l_len - 1, &r->end))
			return -EOVERFLOW;
	} else if (fl->l_len < 0) {
		r->end = r->start - 1;
		r->start += fl->l_len;
	} else {
		r->end = LOCK_OFF_MAX;
	}
	return r->start < 0 ? -EINVAL : 0;
}

/* A request from fl on f (type checked against f's access mode). */
static int request_of(struct vfs_caller *c, struct vfs_file *f, bool ofd, const struct flock *fl,
		      struct vfs_lock *r)
{
	struct stat st;
	int err;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	if (ofd && fl->l_pid != 0)
		return -EINVAL;
	err = key_of(f, r, &st);
	if (!err)
		err = range_of(f, fl, &st, r);
	if (err)
		return err;
	r->kind = ofd ? LK_OFD : LK_POSIX;
	r->type = fl->l_type;
	r->pid = c->pid;
	r->ofd = f;
	return 0;
}

int vfs_lock_get(struct vfs_caller *c, struct vfs_file *f, bool ofd, struct flock *fl)
{
	struct vfs_lockbook *b = book(c->ns);
	struct vfs_lock r;
	int err;

	if (!b)
		return -ENOMEM;
	err = request_of(c, f, ofd, fl, &r);
	if (err)
		return err;
	if (r.type == F_UNLCK)
		return -EINVAL;
	drop_dead(c->ns, b);
	struct vfs_lock *o = find_conflict(b, &r);
	if (!o) {
		fl->l_type = F_UNLCK;
		return 0;
	}
	fl->l_type = o->type;
	fl->l_whence = SEEK_SET;
	fl->l_start = o->start;
	fl->l_len = o->end == LOCK_OFF_MAX ? 0 : o->end - o->start + 1;
	fl->l_pid = o->kind == LK_POSIX ? o->pid : -1;
	return 0;
}

int vfs_lock_set(struct vfs_caller *c, struct vfs_file *f, bool ofd, bool wait, struct flock *fl)
{
	struct vfs_lockbook *b = book(c->ns);
	struct vfs_lock r;
	int acc = f->flags & O_ACCMODE;
	int err;

	if (!b)
		return -ENOMEM;
	err = request_of(c, f, ofd, fl, &r);
	if (err)
		return err;
	if ((r.type == F_RDLCK && acc == O_WRONLY) || (r.type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	if (ofd)
		f->lockns = c->ns;
	return take(c, b, &r, wait, -EAGAIN);
}

void vfs_lock_close(struct vfs_caller *c, struct vfs_file *f)
{
	struct vfs_lockbook *b = c->ns ? c->ns->locks : NULL;
	struct stat st;
	bool any = false;

	if (!b || vfs_fstat(f, &st))
		return;
	for (struct vfs_lock **pp = &b->head; *pp;) {
		struct vfs_lock *l = *pp;
		if (l->kind == LK_POSIX && l->pid == c->pid && l->dev == st.st_dev &&
		    l->ino == st.st_ino) {
			*pp = l->next;
			lock_free(b, l);
			any = true;
		} else {
			pp = &l->next;
		}
	}
	if (any)
		waitq_wake_polled(c->ns->waitq, b);
}

/* The last reference to f is going: its flock and OFD locks go too. */
void vfs_lock_release_file(struct vfs_file *f)
{
	struct vfs_ns *ns = f->lockns;
	struct vfs_lockbook *b = ns ? ns->locks : NULL;

	if (!b)
		return;
	for (struct vfs_lock **pp = &b->head; *pp;) {
		struct vfs_lock *l = *pp;
		if (l->kind != LK_POSIX && l->ofd == f) {
			*pp = l->next;
			lock_free(b, l);
		} else {
			pp = &l->next;
		}
	}
	/* Waiters find out at their next look (their park's recheck deadline). */
}

void vfs_locks_free(struct vfs_ns *ns)
{
	struct vfs_lockbook *b = ns->locks;
	if (!b)
		return;
	while (b->head) {
		struct vfs_lock *l = b->head;
		b->head = l->next;
		lock_free(b, l);
	}
	free(b);
	ns->locks = NULL;
}
