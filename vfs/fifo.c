/*
 * FIFOs (named pipes): opening a FIFO node on any filesystem gives an end
 * of the one pipe that node has while anybody holds it open, found in
 * ns->fifos by the node's identity (st_dev, st_ino).  The pipe goes, with
 * any data left in it, when its last opener closes, as in Linux.
 *
 * The open rules are Linux's fifo_open: O_RDONLY waits until a writer
 * opens, O_WRONLY until a reader opens; O_RDONLY|O_NONBLOCK succeeds at
 * once; O_WRONLY|O_NONBLOCK with no reader is ENXIO; O_RDWR never waits.
 * A waiting opener already counts as a reader (writer) of the pipe, so the
 * other side's open does not wait, and it waits for the other side's open
 * counter to move (an opener that came and went also ends the wait).
 *
 * The wait is a park on the pipe: the open is served again when the pipe's
 * channel is woken, and then finds its own waiter entry by tid.  A waiter
 * whose task died or whose open a signal ended (EINTR, or a restart that
 * comes back as a new open) is dropped lazily by fifo_purge, which every
 * pipe operation on a FIFO with waiters runs first, and at the end by
 * vfs_fifos_fini.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "pipe_impl.h"

static struct pipe *find(struct vfs_ns *ns, dev_t dev, ino_t ino)
{
	for (struct pipe *p = ns->fifos; p; p = p->fifo_next)
		if (p->fifo_dev == dev && p->fifo_ino == ino)
			return p;
	return NULL;
}

static struct pipe *fifo_new(struct vfs_ns *ns, dev_t dev, ino_t ino)
{
	struct pipe *p = pipe_alloc(ns);

	if (!p)
		return NULL;
	p->fifo = true;
	p->fifo_dev = dev;
	p->fifo_ino = ino;
	p->fifo_next = ns->fifos;
	ns->fifos = p;
	return p;
}

void fifo_forget(struct pipe *p)
{
	for (struct pipe **pp = &p->ns->fifos; *pp; pp = &(*pp)->fifo_next)
		if (*pp == p) {
			*pp = p->fifo_next;
			return;
		}
}

static void drop_waiter(struct pipe *p, int i);

void vfs_fifo_fini(struct vfs_ns *ns)
{
	struct pipe *p, *next;

	for (p = ns->fifos; p; p = next) {
		next = p->fifo_next;
		while (p->nwaiters)
			drop_waiter(p, p->nwaiters - 1);
		if (!p->readers && !p->writers) {
			fifo_forget(p);
			pipe_free(p);
		}
	}
}

/* Remove waiter i, giving back the count it held. */
static void drop_waiter(struct pipe *p, int i)
{
	if (p->waiters[i].reader)
		p->readers--;
	else
		p->writers--;
	p->waiters[i] = p->waiters[--p->nwaiters];
	waitq_wake_polled(p->wq, p);
}

static bool waiter_live(struct pipe *p, const struct pipe_waiter *w)
{
	return vfs_waits_on(p->ns, w->tid, p);
}

void fifo_purge(struct pipe *p)
{
	for (int i = p->nwaiters - 1; i >= 0; i--)
		if (!waiter_live(p, &p->waiters[i]))
			drop_waiter(p, i);
}

/* Take t's own waiter entry out of p (its count stays held): whether there was one. */
static bool take_waiter(struct pipe *p, int tid, struct pipe_waiter *out)
{
	for (int i = 0; i < p->nwaiters; i++)
		if (p->waiters[i].tid == tid) {
			*out = p->waiters[i];
			p->waiters[i] = p->waiters[--p->nwaiters];
			return true;
		}
	return false;
}

/* Park t on p until the other side's counter moves from snapshot.  -UOS_EBLOCK or -ENOMEM. */
static int wait_partner(struct vfs_caller *c, struct pipe *p, bool reader, unsigned snapshot)
{
	struct pipe_waiter *w = realloc(p->waiters, (p->nwaiters + 1) * sizeof(*w));

	if (!w)
		return -ENOMEM;
	p->waiters = w;
	p->waiters[p->nwaiters++] = (struct pipe_waiter){c->tid, reader, snapshot};
	return vfs_park(c, p, 0);
}

/* Give back the counts an open took; free p when it was the last. */
static void undo(struct pipe *p, bool rd, bool wr)
{
	p->readers -= rd;
	p->writers -= wr;
	waitq_wake_polled(p->wq, p);
	if (!p->readers && !p->writers && !p->nwaiters) {
		fifo_forget(p);
		pipe_free(p);
	}
}

/* The open file for an open whose counts are taken; undone when out of memory. */
static int make_file(struct pipe *p, bool rd, bool wr, int flags, const char *canon,
		     const struct stat *st, struct vfs_file **out)
{
	*out = pipe_file_alloc(p, rd, wr, flags, canon, st);
	if (!*out) {
		undo(p, rd, wr);
		return -ENOMEM;
	}
	return 0;
}

/* The open of a waiter served again: done once the other side opened. */
static int resume(struct vfs_caller *c, struct pipe *p, const struct pipe_waiter *me, int flags,
		  const char *canon, const struct stat *st, struct vfs_file **out)
{
	unsigned now = me->reader ? p->w_counter : p->r_counter;

	if (now != me->snapshot)
		return make_file(p, me->reader, !me->reader, flags, canon, st, out);
	int err = wait_partner(c, p, me->reader, me->snapshot);
	if (err != -UOS_EBLOCK)
		undo(p, me->reader, !me->reader);
	return err;
}

/* A first open (not a waiter served again), as fifo_open; an unnamed pipe never waits. */
static int open_new(struct vfs_caller *c, struct pipe *p, int flags, const char *canon,
		    const struct stat *st, struct vfs_file **out)
{
	int acc = flags & O_ACCMODE, err;
	bool nonblock = (flags & O_NONBLOCK) || !p->fifo;

	if (acc == O_RDONLY) {
		p->r_counter++;
		p->readers++;
		waitq_wake_polled(p->wq, p);
		if (!p->writers && !nonblock) {
			err = wait_partner(c, p, true, p->w_counter);
			if (err != -UOS_EBLOCK)
				undo(p, true, false);
			return err;
		}
		bool hold = !p->writers && p->fifo;
		err = make_file(p, true, false, flags, canon, st, out);
		if (!err && hold)
			pipe_file_hold_hup(*out);
		return err;
	}
	if (acc == O_WRONLY) {
		if (!p->readers && nonblock && p->fifo) {
			undo(p, false, false);
			return -ENXIO;
		}
		p->w_counter++;
		p->writers++;
		waitq_wake_polled(p->wq, p);
		if (!p->readers && p->fifo) {
			err = wait_partner(c, p, false, p->r_counter);
			if (err != -UOS_EBLOCK)
				undo(p, false, true);
			return err;
		}
		return make_file(p, false, true, flags, canon, st, out);
	}
	p->r_counter++;
	p->w_counter++;
	p->readers++;
	p->writers++;
	waitq_wake_polled(p->wq, p);
	return make_file(p, true, true, flags, canon, st, out);
}

bool vfs_fifo_node(const struct vfs_node *n)
{
	return S_ISFIFO(n->mode) && (!n->file || vfs_is_pipe(n->file));
}

int vfs_fifo_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		  struct vfs_file **out)
{
	struct pipe_waiter me;
	struct stat st;

	if ((flags & O_ACCMODE) == 3)
		return -EINVAL; /* no such access mode for a FIFO: fifo_open's default case */
	if (n->file) /* /proc/PID/fd/N of a pipe: that pipe again */
		return open_new(c, pipe_of_file(n->file), flags, n->file->path, NULL, out);
	int err = n->fs->stat(c, n, &st);
	if (err)
		return err;
	struct pipe *p = find(c->ns, st.st_dev, st.st_ino);
	bool waited = p && take_waiter(p, c->tid, &me);
	if (waited && me.reader != ((flags & O_ACCMODE) == O_RDONLY)) {
		undo(p, me.reader, !me.reader); /* an old wait of another kind: gone */
		waited = false;
		p = find(c->ns, st.st_dev, st.st_ino);
	}
	if (p && !waited) {
		fifo_purge(p);
		if (!p->readers && !p->writers) {
			fifo_forget(p); /* nobody holds it: its data goes, as Linux frees the pipe */
			pipe_free(p);
			p = NULL;
		}
	}
	if (waited)
		return resume(c, p, &me, flags, canon, &st, out);
	if (!p && !(p = fifo_new(c->ns, st.st_dev, st.st_ino)))
		return -ENOMEM;
	return open_new(c, p, flags, canon, &st, out);
}

void vfs_fifos_fini(struct vfs_ns *ns)
{
	struct pipe *p = ns->fifos, *next;

	for (; p; p = next) {
		next = p->fifo_next;
		fifo_purge(p);
		if (!p->readers && !p->writers && !p->nwaiters) {
			fifo_forget(p);
			pipe_free(p);
		}
	}
}
