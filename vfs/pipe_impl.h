/*
 * What vfs/pipe.c shares with vfs/fifo.c and nobody else sees: the pipe
 * itself (a ring of page slots, as Linux's pipe_inode_info) and the calls
 * that make FIFO ends of it.
 */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include "vfs_impl.h"

#define PIPE_PAGE 4096u
#define PIPE_DEF_SLOTS 16u

/* One slot: bytes [off, off+len) of page are unread. */
struct pipe_slot {
	char *page;  /* PIPE_PAGE bytes while the slot holds data (or was just emptied) */
	unsigned off, len;
	bool merge;  /* a later write may append to it (PIPE_BUF_FLAG_CAN_MERGE) */
	bool packet; /* one packet of an O_DIRECT pipe (PIPE_BUF_FLAG_PACKET) */
};

/* A FIFO opener parked until the other side opens (Linux's wait_for_partner). */
struct pipe_waiter {
	int tid;	   /* the parked task */
	bool reader;	   /* it counts in readers (else in writers) */
	unsigned snapshot; /* the other side's open counter when it began to wait */
};

struct pipe {
	struct memcg *cg; /* its charge (memcg.h) */
	struct waitq *wq;  /* whose waiters it wakes (the pipe is the channel), or NULL */
	struct vfs_ns *ns; /* whose inode numbers and FIFO list (fifo.c) */
	struct pipe_slot *ring;
	unsigned nslots;    /* a power of two: F_GETPIPE_SZ is nslots pages */
	unsigned head, tail; /* free-running: slots [tail, head) hold data */
	size_t bytes;	    /* held, for FIONREAD */
	char *spare;	    /* one page kept from an emptied slot (Linux's tmp_page), or NULL */
	int readers, writers; /* open ends, FIFO openers still waiting included */
	unsigned r_counter, w_counter; /* opens of each side so far (FIFOs wait on them) */
	unsigned long ino;
	struct timespec ctime;

	/* FIFOs only (fifo.c): the node this pipe belongs to, in k->fifos. */
	bool fifo;
	dev_t fifo_dev;
	ino_t fifo_ino;
	struct pipe *fifo_next;
	struct pipe_waiter *waiters;
	int nwaiters;
};

/* A new empty pipe with no ends: NULL when out of memory or past the capacity bound. */
struct pipe *pipe_alloc(struct vfs_ns *ns);
/* Free p (no ends, no waiters left). */
void pipe_free(struct pipe *p);
/*
 * An open file on p for reading and/or writing (counts not touched: the
 * caller counted it); st, when not NULL, is the FIFO node's stat.  NULL
 * when out of memory.
 */
struct vfs_file *pipe_file_alloc(struct pipe *p, bool rd, bool wr, int flags, const char *name,
				 const struct stat *st);
/* The pipe of f, an end of a pipe (vfs_is_pipe). */
struct pipe *pipe_of_file(struct vfs_file *f);
/* No POLLHUP on read end f until a writer comes and goes (a FIFO opened O_NONBLOCK, no writer). */
void pipe_file_hold_hup(struct vfs_file *f);

/* fifo.c: drop waiters whose open was interrupted or whose task died. */
void fifo_purge(struct pipe *p);
/* fifo.c: p has no ends and no waiters: take it out of the kernel's FIFO list. */
void fifo_forget(struct pipe *p);
/*
 * Whether open(2) of n is vfs_fifo_open's: a FIFO node of a filesystem, or
 * a /proc/PID/fd link to a uos pipe (not one to a host FIFO such as stdin).
 */
bool vfs_fifo_node(const struct vfs_node *n);
/*
 * open(2) of the FIFO node n (already walked and checked): the shared pipe
 * of that node, with Linux's fifo_open rules.  0 and a new file in *out,
 * -ENXIO (O_WRONLY|O_NONBLOCK with no reader), -ENOMEM, or -UOS_EBLOCK when
 * the caller was parked until the other side opens (the open is served again).
 */
int vfs_fifo_open(struct vfs_caller *c, const struct vfs_node *n, const char *canon, int flags,
		  struct vfs_file **out);
