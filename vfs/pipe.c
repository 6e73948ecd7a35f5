/*
 * Pipes as Linux keeps them (fs/pipe.c): a ring of page slots, 16 by
 * default (64 KiB), with counts of readers and writers so that EOF (no
 * writers) and EPIPE (no readers) follow from the counts.
 *
 * Room is counted in free slots, not bytes.  A write first appends its
 * tail (len % 4096 bytes, taken from the front of the data) to the last
 * slot when that slot is mergeable and the tail fits whole, then fills new
 * slots a page at a time.  So a write of at most PIPE_BUF bytes lands in one
 * slot or waits: atomic, as pipe(7) promises.  A read of an empty pipe or a
 * write with no free slot returns -EAGAIN when nothing moved; the syscall
 * layer parks the task on the pipe's channel (vfs_wchan) unless the file is
 * O_NONBLOCK, and every change wakes that channel.
 *
 * O_DIRECT ends make packets: each write slot is one packet and a read
 * takes at most one packet (the rest of it is dropped).  Slots that
 * splice, tee and vmsplice add are never merged into, as in Linux.
 *
 * F_SETPIPE_SZ resizes the ring (vfs_pipe_setsize).  FIFOs (fifo.c) are the
 * same pipes, shared by every opener of one node.
 *
 * Memory (memcg.h): each page a slot gets is charged to the guests
 * (MEMCG_PIPE) until the pipe frees it, so a write that needs a page past
 * --memory (or past half of the RAM that uos may hold) gets ENOMEM when
 * nothing was written, as Linux's pipe_write when alloc_page fails; a
 * blocked reader is never needed to free memory for it, so nothing waits.
 * The capacity of every pipe together (slots, each a ring entry) is
 * bounded as Linux's pipe-user-pages-hard bounds a user's: past it a new
 * pipe gets ENFILE and F_SETPIPE_SZ growth EPERM, privileged or not.
 * pipe-user-pages-soft's shrinking of new pipes is not copied: the pages
 * themselves are charged.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>

#include "pipe_impl.h"

#define PIPE_MAX_SIZE 1048576 /* /proc/sys/fs/pipe-max-size */
#define PIPE_INO_BASE (1UL << 20)

struct pipe_file {
	struct vfs_file base;
	struct pipe *p;
	bool rd, wr;
	unsigned w_seen; /* POLLHUP only while p->w_counter differs (Linux's f_pipe) */
	bool has_node;
	struct stat node; /* a FIFO end: the node's stat */
};

static struct pipe_file *pf_of(struct vfs_file *f)
{
	return container_of(f, struct pipe_file, base);
}

static struct pipe *pipe_of(struct vfs_file *f)
{
	return pf_of(f)->p;
}

struct pipe *pipe_of_file(struct vfs_file *f)
{
	return pipe_of(f);
}

static unsigned occupancy(const struct pipe *p)
{
	return p->head - p->tail;
}

static bool is_full(const struct pipe *p)
{
	return occupancy(p) >= p->nslots;
}

static struct pipe_slot *slot(struct pipe *p, unsigned i)
{
	return &p->ring[i & (p->nslots - 1)];
}

struct pipe *pipe_alloc(struct vfs_ns *ns)
{
	struct memcg *cg = ns->cg;
	struct pipe *p;

	if (memcg_take_n(cg, MEMCG_PIPE_SLOTS, PIPE_DEF_SLOTS))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p || !(p->ring = calloc(PIPE_DEF_SLOTS, sizeof(*p->ring)))) {
		memcg_give(cg, MEMCG_PIPE_SLOTS, PIPE_DEF_SLOTS);
		free(p);
		return NULL;
	}
	p->cg = cg;
	p->wq = ns->waitq;
	p->ns = ns;
	p->nslots = PIPE_DEF_SLOTS;
	p->ino = PIPE_INO_BASE + ns->next_pipe_ino++;
	clock_gettime(CLOCK_REALTIME, &p->ctime);
	return p;
}

/* Free a slot's page and its charge. */
static void page_free(struct pipe *p, struct pipe_slot *s)
{
	if (!s->page)
		return;
	free(s->page);
	s->page = NULL;
	memcg_uncharge(p->cg, MEMCG_PIPE, PIPE_PAGE);
}

void pipe_free(struct pipe *p)
{
	struct pipe_slot spare = {.page = p->spare};

	page_free(p, &spare);
	for (unsigned i = 0; i < p->nslots; i++)
		page_free(p, &p->ring[i]);
	memcg_give(p->cg, MEMCG_PIPE_SLOTS, p->nslots);
	free(p->ring);
	free(p->waiters);
	free(p);
}

/* s's page, charged; false when out of memory (or past the charge's limit). */
static bool page_get(struct pipe *p, struct pipe_slot *s)
{
	if (s->page)
		return true;
	if (p->spare) {
		s->page = p->spare;
		p->spare = NULL;
		return true;
	}
	if (memcg_charge(p->cg, MEMCG_PIPE, PIPE_PAGE))
		return false;
	s->page = malloc(PIPE_PAGE);
	if (!s->page)
		memcg_uncharge(p->cg, MEMCG_PIPE, PIPE_PAGE);
	return s->page;
}

/* A new slot at the head for up to PIPE_PAGE bytes; NULL when full or out of memory. */
static struct pipe_slot *new_slot(struct pipe *p)
{
	struct pipe_slot *s = slot(p, p->head);

	if (is_full(p) || !page_get(p, s))
		return NULL;
	s->off = s->len = 0;
	s->merge = s->packet = false;
	return s;
}

/*
 * The slot of out that takes the whole slot is of another pipe: is's page
 * itself (splice moves pages, so nothing new is charged); NULL when full.
 */
static struct pipe_slot *steal_slot(struct pipe *out, struct pipe_slot *is)
{
	struct pipe_slot *s = slot(out, out->head);
	char *page;

	if (is_full(out))
		return NULL;
	page = s->page;
	s->page = is->page;
	is->page = page; /* a page the empty slot of out had, or NULL */
	return s;
}

/*
 * Take n bytes from the tail slot s; the tail moves on when it is empty,
 * and its page goes, or stays as the pipe's one spare (anon_pipe_buf_release),
 * so a drained pipe holds one page at most.
 */
static void eat(struct pipe *p, struct pipe_slot *s, size_t n)
{
	p->bytes -= n;
	s->off += (unsigned)n;
	s->len -= (unsigned)n;
	if (s->len)
		return;
	p->tail++;
	if (!p->spare) {
		p->spare = s->page;
		s->page = NULL;
	} else {
		page_free(p, s);
	}
}

/* Copy up to n unread bytes into buf; consume them when take (one packet at most). */
static size_t copy_out(struct pipe *p, void *buf, size_t n, bool take)
{
	size_t done = 0;

	for (unsigned i = p->tail; i != p->head && done < n; i++) {
		struct pipe_slot *s = slot(p, i);
		size_t c = s->len < n - done ? s->len : n - done;
		bool packet = s->packet;
		memcpy((char *)buf + done, s->page + s->off, c);
		done += c;
		if (take)
			eat(p, s, packet ? s->len : c); /* read(2) drops the rest of a packet */
		if (packet)
			break;
	}
	return done;
}

static long pipe_read(struct vfs_file *f, void *buf, size_t n, off_t off)
{
	struct pipe *p = pipe_of(f);

	if (!n)
		return 0;
	if (p->nwaiters)
		fifo_purge(p);
	if (p->head == p->tail)
		return p->writers ? -EAGAIN : 0;
	size_t done = copy_out(p, buf, n, true);
	waitq_wake_polled(p->wq, p);
	return (long)done;
}

/* Append the first chars bytes of buf to the last slot if Linux would merge them. */
static size_t merge_tail(struct pipe *p, const char *buf, size_t chars)
{
	if (!chars || p->head == p->tail)
		return 0;
	struct pipe_slot *s = slot(p, p->head - 1);
	if (!s->merge || s->off + s->len + chars > PIPE_PAGE)
		return 0;
	memcpy(s->page + s->off + s->len, buf, chars);
	s->len += (unsigned)chars;
	p->bytes += chars;
	return chars;
}

static long pipe_write(struct vfs_file *f, const void *buf, size_t n, off_t off)
{
	struct pipe *p = pipe_of(f);
	bool packet = f->flags & O_DIRECT;

	if (!n)
		return 0;
	if (p->nwaiters)
		fifo_purge(p);
	if (!p->readers)
		return -EPIPE;
	size_t done = packet ? 0 : merge_tail(p, buf, n & (PIPE_PAGE - 1));
	struct pipe_slot *s;
	while (done < n && (s = new_slot(p))) {
		size_t c = n - done < PIPE_PAGE ? n - done : PIPE_PAGE;
		memcpy(s->page, (const char *)buf + done, c);
		s->len = (unsigned)c;
		s->merge = !packet;
		s->packet = packet;
		p->head++;
		p->bytes += c;
		done += c;
	}
	if (!done)
		return is_full(p) ? -EAGAIN : -ENOMEM;
	waitq_wake_polled(p->wq, p);
	return (long)done;
}

static short pipe_poll(struct vfs_file *f)
{
	struct pipe_file *pf = pf_of(f);
	struct pipe *p = pf->p;
	short ev = 0;

	if (p->nwaiters)
		fifo_purge(p);
	if (pf->rd) {
		if (p->head != p->tail)
			ev |= POLLIN | POLLRDNORM;
		if (!p->writers && pf->w_seen != p->w_counter)
			ev |= POLLHUP;
	}
	if (pf->wr) {
		if (!is_full(p))
			ev |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			ev |= POLLERR;
	}
	return ev;
}

static const void *pipe_wchan(struct vfs_file *f)
{
	return pipe_of(f);
}

static int pipe_stat(struct vfs_file *f, struct stat *st)
{
	struct pipe_file *pf = pf_of(f);
	struct pipe *p = pf->p;

	if (pf->has_node) {
		*st = pf->node;
		return 0;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_ino = p->ino;
	st->st_dev = 0xd; /* Linux's pipefs is an anonymous device too */
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = p->ctime;
	return 0;
}

static long pipe_ioctl(struct vfs_file *f, unsigned long cmd, void *arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	*(int *)arg = (int)pipe_of(f)->bytes;
	return 0;
}

static void pipe_release(struct vfs_file *f)
{
	struct pipe_file *pf = pf_of(f);
	struct pipe *p = pf->p;

	p->readers -= pf->rd;
	p->writers -= pf->wr;
	waitq_wake_polled(p->wq, p);
	if (p->fifo && p->nwaiters)
		fifo_purge(p);
	if (p->readers || p->writers)
		return;
	if (p->fifo)
		fifo_forget(p);
	pipe_free(p);
}

static const struct vfs_file_ops pipe_read_ops = {
	.read = pipe_read,
	.stat = pipe_stat,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.wchan = pipe_wchan,
	.release = pipe_release,
};

static const struct vfs_file_ops pipe_write_ops = {
	.write = pipe_write,
	.stat = pipe_stat,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.wchan = pipe_wchan,
	.release = pipe_release,
};

/* A FIFO opened O_RDWR: both ends in one file. */
static const struct vfs_file_ops pipe_rdwr_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.stat = pipe_stat,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.wchan = pipe_wchan,
	.release = pipe_release,
};

struct vfs_file *pipe_file_alloc(struct pipe *p, bool rd, bool wr, int flags, const char *name,
				 const struct stat *st)
{
	const struct vfs_file_ops *ops = rd && wr ? &pipe_rdwr_ops : wr ? &pipe_write_ops
									: &pipe_read_ops;
	int acc = rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY;
	struct pipe_file *pf = vfs_file_alloc(sizeof(*pf), ops, (flags & ~O_ACCMODE) | acc, name);

	if (!pf)
		return NULL;
	pf->p = p;
	pf->rd = rd;
	pf->wr = wr;
	if (st) {
		pf->has_node = true;
		pf->node = *st;
	}
	return &pf->base;
}

void pipe_file_hold_hup(struct vfs_file *f)
{
	pf_of(f)->w_seen = pf_of(f)->p->w_counter;
}

int vfs_pipe(struct vfs_ns *ns, int flags, struct vfs_file **rd, struct vfs_file **wr)
{
	struct pipe *p = pipe_alloc(ns);
	char name[40];

	if (!p)
		return -ENFILE; /* get_pipe_inode() failing, the hard limit included */
	snprintf(name, sizeof(name), "pipe:[%lu]", p->ino);
	*rd = pipe_file_alloc(p, true, false, flags, name, NULL);
	*wr = *rd ? pipe_file_alloc(p, false, true, flags, name, NULL) : NULL;
	if (!*wr) {
		if (*rd)
			vfs_file_put(*rd); /* counts are 0: release frees p */
		else
			pipe_free(p);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	p->r_counter = p->w_counter = 1;
	return 0;
}

bool vfs_is_pipe(struct vfs_file *f)
{
	return f->ops == &pipe_read_ops || f->ops == &pipe_write_ops || f->ops == &pipe_rdwr_ops;
}

bool vfs_pipe_same(struct vfs_file *a, struct vfs_file *b)
{
	return vfs_is_pipe(a) && vfs_is_pipe(b) && pipe_of(a) == pipe_of(b);
}

long vfs_pipe_getsize(struct vfs_file *f)
{
	return vfs_is_pipe(f) ? (long)pipe_of(f)->nslots * PIPE_PAGE : -EBADF;
}

/* Linux's round_pipe_size in pages: at least one, a power of two; 0 when too big. */
static unsigned round_pipe_slots(unsigned long size)
{
	unsigned n = 1;

	if (size > (1UL << 31))
		return 0;
	while ((unsigned long)n * PIPE_PAGE < size)
		n <<= 1;
	return n;
}

long vfs_pipe_setsize(struct vfs_file *f, unsigned long size, bool privileged)
{
	if (!vfs_is_pipe(f))
		return -EBADF;
	struct pipe *p = pipe_of(f);
	unsigned n = round_pipe_slots(size);
	if (!n)
		return -EINVAL;
	if (n > p->nslots && (unsigned long)n * PIPE_PAGE > PIPE_MAX_SIZE && !privileged)
		return -EPERM;
	if (n < occupancy(p))
		return -EBUSY;
	if (n > p->nslots && memcg_take_n(p->cg, MEMCG_PIPE_SLOTS, n - p->nslots))
		return -EPERM; /* pipe-user-pages-hard */
	struct pipe_slot *ring = calloc(n, sizeof(*ring));
	if (!ring) {
		if (n > p->nslots)
			memcg_give(p->cg, MEMCG_PIPE_SLOTS, n - p->nslots);
		return -ENOMEM;
	}
	unsigned used = occupancy(p), j = 0;
	for (unsigned i = p->tail; i != p->head; i++)
		ring[j++] = *slot(p, i);
	for (unsigned i = p->head; i != p->tail + p->nslots; i++) {
		struct pipe_slot *s = slot(p, i);
		if (j < n)
			ring[j++].page = s->page; /* keep spare pages while they fit */
		else
			page_free(p, s);
	}
	if (n < p->nslots)
		memcg_give(p->cg, MEMCG_PIPE_SLOTS, p->nslots - n);
	free(p->ring);
	p->ring = ring;
	p->nslots = n;
	p->tail = 0;
	p->head = used;
	waitq_wake_polled(p->wq, p);
	return (long)n * PIPE_PAGE;
}

/* ---- what splice, tee and vmsplice need (supervisor/sys_splice.c, copy.c) */

long vfs_pipe_link(struct vfs_file *in, struct vfs_file *out, size_t len, bool move,
		   struct vfs_file **wait)
{
	struct pipe *ip = pipe_of(in), *op = pipe_of(out);
	size_t done = 0;

	if (ip->nwaiters)
		fifo_purge(ip);
	if (op->nwaiters)
		fifo_purge(op);
	if (ip->head == ip->tail) {
		*wait = in;
		return ip->writers ? -EAGAIN : 0;
	}
	if (!op->readers)
		return -EPIPE;
	if (is_full(op)) {
		*wait = out;
		return -EAGAIN;
	}
	for (unsigned i = ip->tail; i != ip->head && done < len;) {
		struct pipe_slot *is = slot(ip, i);
		size_t c = is->len < len - done ? is->len : len - done;
		bool whole = move && c == is->len && ip->cg == op->cg; /* the charge moves too */
		struct pipe_slot *os = whole ? steal_slot(op, is) : new_slot(op);
		if (!os)
			break;
		if (!whole)
			memcpy(os->page + is->off, is->page + is->off, c);
		os->off = is->off;
		os->len = (unsigned)c;
		os->packet = is->packet;
		/* splice moves a whole slot with its flags; tee and partial moves share the page */
		os->merge = move && c == is->len && is->merge;
		op->head++;
		op->bytes += c;
		done += c;
		if (move)
			eat(ip, is, c);
		i = move ? ip->tail : i + 1;
	}
	if (!done)
		return -ENOMEM; /* out had a free slot but no page could be charged */
	waitq_wake_polled(ip->wq, ip);
	waitq_wake_polled(op->wq, op);
	return (long)done;
}

long vfs_pipe_room(struct vfs_file *f, unsigned long align)
{
	struct pipe *p = pipe_of(f);

	if (p->nwaiters)
		fifo_purge(p);
	if (!p->readers)
		return -EPIPE;
	if (is_full(p))
		return -EAGAIN;
	/* As many slots as pages can be had: the spare, then what the charge allows. */
	unsigned long slots = p->nslots - occupancy(p), room = memcg_room(p->cg, MEMCG_PIPE);
	unsigned long pages = (p->spare ? 1 : 0) + (room == ULONG_MAX ? slots : room / PIPE_PAGE);
	if (!pages)
		return -ENOMEM;
	if (pages < slots)
		slots = pages;
	return (long)slots * PIPE_PAGE - (long)(align & (PIPE_PAGE - 1));
}

size_t vfs_pipe_fill(struct vfs_file *f, const void *buf, size_t len, unsigned long align)
{
	struct pipe *p = pipe_of(f);
	size_t done = 0;
	struct pipe_slot *s;

	while (done < len && (s = new_slot(p))) {
		unsigned off = (unsigned)((align + done) & (PIPE_PAGE - 1));
		size_t c = len - done < PIPE_PAGE - off ? len - done : PIPE_PAGE - off;
		memcpy(s->page + off, (const char *)buf + done, c);
		s->off = off;
		s->len = (unsigned)c;
		p->head++;
		p->bytes += c;
		done += c;
	}
	if (done)
		waitq_wake_polled(p->wq, p);
	return done;
}

long vfs_pipe_peek(struct vfs_file *f, void *buf, size_t len)
{
	struct pipe *p = pipe_of(f);

	if (p->nwaiters)
		fifo_purge(p);
	if (p->head == p->tail)
		return p->writers ? -EAGAIN : 0;
	return (long)copy_out(p, buf, len, false);
}

void vfs_pipe_consume(struct vfs_file *f, size_t n)
{
	struct pipe *p = pipe_of(f);

	while (n && p->head != p->tail) {
		struct pipe_slot *s = slot(p, p->tail);
		size_t c = s->len < n ? s->len : n;
		eat(p, s, c);
		n -= c;
	}
	waitq_wake_polled(p->wq, p);
}
