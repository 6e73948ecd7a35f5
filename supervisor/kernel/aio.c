/*
 * Host calls that may wait on a device, done without the event loop
 * waiting (see aio.h): a guest's fsync ends in an fdatasync of an image or
 * of a host file, which can take seconds on a busy disk, so uos hands it to
 * an io_uring (IORING_OP_FSYNC, run by a kernel worker) and parks the task
 * on the ring's fd until the completion comes.  The ring is made at the
 * first use, with AIO_ENTRIES slots; each request owns a dup of the fd it
 * syncs, so a close by the guest meanwhile changes nothing.  A kernel
 * without io_uring (or with it disabled) gets the plain call.
 *
 * A request is named by a token that the task keeps (t->aio_token) until
 * it is served again; completions are reaped by whichever task looks first
 * and handed to their owners, and a completion nobody waits for any more
 * (the task died) is dropped.
 */
#include "aio.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scheduler.h"
#include "task.h"

#define AIO_ENTRIES 64

struct aio {
	int fd; /* the ring, or -1: none could be made (plain calls) */
	void *sq_map, *cq_map;
	size_t sq_len, cq_len;
	struct io_uring_sqe *sqes;
	size_t sqes_len;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe *cqes;
	unsigned inflight;
	uint64_t next_token;
	struct aio_req { /* in flight: the token and the dup of the fd it syncs */
		uint64_t token;
		int fd;
	} reqs[AIO_ENTRIES];
};

static void *map_ring(int fd, size_t len, off_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off);
	return p == MAP_FAILED ? NULL : p;
}

/* Map the rings of io_uring fd as p describes.  0 or -ENOMEM. */
static int map_rings(struct aio *a, const struct io_uring_params *p)
{
	char *sq, *cq;
	a->sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	a->cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	a->sqes_len = p->sq_entries * sizeof(struct io_uring_sqe);
	a->sq_map = sq = map_ring(a->fd, a->sq_len, IORING_OFF_SQ_RING);
	a->cq_map = cq = map_ring(a->fd, a->cq_len, IORING_OFF_CQ_RING);
	a->sqes = map_ring(a->fd, a->sqes_len, IORING_OFF_SQES);
	if (!sq || !cq || !a->sqes)
		return -ENOMEM;
	a->sq_head = (unsigned *)(sq + p->sq_off.head);
	a->sq_tail = (unsigned *)(sq + p->sq_off.tail);
	a->sq_mask = (unsigned *)(sq + p->sq_off.ring_mask);
	a->sq_array = (unsigned *)(sq + p->sq_off.array);
	a->cq_head = (unsigned *)(cq + p->cq_off.head);
	a->cq_tail = (unsigned *)(cq + p->cq_off.tail);
	a->cq_mask = (unsigned *)(cq + p->cq_off.ring_mask);
	a->cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
	return 0;
}

static void unmap_rings(struct aio *a)
{
	if (a->sq_map)
		munmap(a->sq_map, a->sq_len);
	if (a->cq_map)
		munmap(a->cq_map, a->cq_len);
	if (a->sqes)
		munmap(a->sqes, a->sqes_len);
	a->sq_map = a->cq_map = a->sqes = NULL;
}

/* k's ring, made at the first call; NULL on allocation failure. */
static struct aio *get_aio(struct kernel *k)
{
	struct io_uring_params p;
	struct aio *a = k->aio;
	if (a)
		return a;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	memset(&p, 0, sizeof(p));
	a->fd = (int)syscall(SYS_io_uring_setup, AIO_ENTRIES, &p);
	if (a->fd >= 0 && map_rings(a, &p) < 0) {
		unmap_rings(a);
		close(a->fd);
		a->fd = -1;
	}
	for (int i = 0; i < AIO_ENTRIES; i++)
		a->reqs[i].fd = -1;
	k->aio = a;
	return a;
}

void aio_fini(struct kernel *k)
{
	struct aio *a = k->aio;
	if (!a)
		return;
	if (a->fd >= 0) {
		unmap_rings(a);
		close(a->fd); /* waits for the requests in flight */
	}
	for (int i = 0; i < AIO_ENTRIES; i++)
		if (a->reqs[i].fd >= 0)
			close(a->reqs[i].fd);
	free(a);
	k->aio = NULL;
}

/* Hand the completion of token to the task that waits for it. */
static void hand_over(struct kernel *k, uint64_t token, int res)
{
	for (struct task *t = k->tasks; t; t = t->next)
		if (t->aio_token == token) {
			t->aio_res = res;
			t->aio_done = true;
			sched_make_runnable(t);
			return;
		}
}

/* Reap every completion that has come. */
static void reap(struct kernel *k, struct aio *a)
{
	unsigned head = *a->cq_head;
	unsigned tail = atomic_load_explicit((_Atomic unsigned *)a->cq_tail, memory_order_acquire);
	for (; head != tail; head++) {
		struct io_uring_cqe *c = &a->cqes[head & *a->cq_mask];
		struct aio_req *r = &a->reqs[c->user_data % AIO_ENTRIES];
		if (r->fd >= 0 && r->token == c->user_data) {
			close(r->fd);
			r->fd = -1;
			a->inflight--;
		}
		hand_over(k, c->user_data, c->res);
	}
	atomic_store_explicit((_Atomic unsigned *)a->cq_head, head, memory_order_release);
}

/* Queue an fsync of a dup of fd; its token, or 0 when the ring is full or missing. */
static uint64_t submit_fsync(struct aio *a, int fd, bool datasync)
{
	if (a->fd < 0 || a->inflight == AIO_ENTRIES)
		return 0;
	uint64_t token;
	do
		token = ++a->next_token;
	while (a->reqs[token % AIO_ENTRIES].fd >= 0);
	struct aio_req *r = &a->reqs[token % AIO_ENTRIES];
	r->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (r->fd < 0)
		return 0;
	r->token = token;
	unsigned tail = *a->sq_tail, i = tail & *a->sq_mask;
	struct io_uring_sqe *e = &a->sqes[i];
	memset(e, 0, sizeof(*e));
	e->opcode = IORING_OP_FSYNC;
	e->fd = r->fd;
	e->fsync_flags = datasync ? IORING_FSYNC_DATASYNC : 0;
	e->user_data = token;
	a->sq_array[i] = i;
	atomic_store_explicit((_Atomic unsigned *)a->sq_tail, tail + 1, memory_order_release);
	if (syscall(SYS_io_uring_enter, a->fd, 1, 0, 0, NULL, 0) != 1) {
		*a->sq_tail = tail;
		close(r->fd);
		r->fd = -1;
		return 0;
	}
	a->inflight++;
	return token;
}

/* Park t on the ring, where no signal interrupts it: fsync(2) waits uninterruptibly. */
static long park(struct task *t, struct aio *a)
{
	sched_park(t, NULL, a->fd, POLLIN, 0);
	t->park_nointr = true;
	return -UOS_EBLOCK;
}

long aio_host_fsync(struct task *t, int fd, bool datasync)
{
	struct aio *a = get_aio(t->k);
	uint64_t token = a ? submit_fsync(a, fd, datasync) : 0;
	if (!token)
		return (datasync ? fdatasync(fd) : fsync(fd)) < 0 ? -errno : 0;
	t->aio_token = token;
	t->aio_done = false;
	return park(t, a);
}

bool aio_pending(const struct task *t)
{
	return t->aio_token != 0;
}

long aio_result(struct task *t)
{
	struct aio *a = t->k->aio;
	if (a && a->fd >= 0)
		reap(t->k, a);
	if (!t->aio_done && a && a->fd >= 0)
		return park(t, a);
	t->aio_token = 0;
	t->aio_done = false;
	return t->aio_res;
}
