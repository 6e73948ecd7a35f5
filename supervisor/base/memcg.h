/*
 * The guest's memory charge, and the bounds on what uos keeps per guest
 * resource (memcg.c has the table of every bound and why).
 *
 * Three budgets, each 0 for "none":
 *   - limit (--memory): what the guests map, plus what uos holds for them
 *     (tmpfs data, pipe buffers, image files' mapped copies), at most;
 *   - held_max: what uos holds for the guests at most, with or without
 *     --memory (--memory when given, else half of the host's RAM);
 *   - tmpfs_max (--tmpfs-size): the data of every tmpfs together (the
 *     overlay's upper layer, /tmp, --tmpfs mounts, memfds), at most.
 * And counted resources, each with its maximum and the errno Linux gives
 * when its own limit of that kind is reached.
 *
 * A base module: the VFS charges it too (tmpfs, pipes, locks, image
 * files), through its namespace's pointer.  The kernel keeps one (k->memcg)
 * and tells it what the guests map (mapped).  A NULL memcg charges nothing
 * (unit tests).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* What uos holds for guests, in bytes. */
enum memcg_kind {
	MEMCG_TMPFS, /* tmpfs data pages (within tmpfs_max too) */
	MEMCG_PIPE,  /* pipe buffer pages */
	MEMCG_CACHE, /* memfd copies of image files that a guest mapped */
	MEMCG_SOCK,  /* socket messages queued and not yet read */
	MEMCG_NKINDS
};

/* Resources bounded by count (memcg.c: the table of maxima and errnos). */
enum memcg_res {
	MEMCG_FDSLOTS,	   /* fd table slots of every process: ENFILE / ENOMEM */
	MEMCG_INODES,	   /* tmpfs inodes and extra hard links: ENOSPC */
	MEMCG_EPOLL_ITEMS, /* epoll interest items: ENOSPC */
	MEMCG_LOCKS,	   /* advisory lock records: ENOLCK */
	MEMCG_SIGQUEUE,	   /* real-time signals queued by uos: EAGAIN */
	MEMCG_PIPE_SLOTS,  /* pipe capacity in pages (pipe-user-pages-hard): ENFILE */
	MEMCG_INFLIGHT,	   /* files in flight in SCM_RIGHTS messages: ETOOMANYREFS */
	MEMCG_NRES
};

struct memcg {
	unsigned long limit;	 /* --memory, bytes; 0: none */
	unsigned long held_max;	 /* bytes uos may hold for guests; 0: none */
	unsigned long tmpfs_max; /* bytes of tmpfs data; 0: none */
	unsigned long held[MEMCG_NKINDS];
	unsigned long count[MEMCG_NRES];
	unsigned long max[MEMCG_NRES]; /* 0: none */
	/* Bytes mapped by every guest address space, each counted once (NULL: none). */
	unsigned long (*mapped)(const void *arg);
	const void *mapped_arg;
};

/* Defaults from the host's RAM: half of it held, Linux's tmpfs and sysctl defaults; nothing mapped. */
void memcg_init(struct memcg *cg);
/*
 * Apply the command line: --memory (0: none) and --tmpfs-size (0: the
 * default, half of the RAM, within --memory when given).
 */
void memcg_configure(struct memcg *cg, unsigned long memory, unsigned long tmpfs_size);

/*
 * Charge bytes of kind to the guests: 0, -ENOSPC (MEMCG_TMPFS past
 * tmpfs_max), -ENOMEM (past held_max or --memory).  Nothing is charged on
 * failure.  cg may be NULL (unit tests): always 0.
 */
int memcg_charge(struct memcg *cg, enum memcg_kind kind, unsigned long bytes);
/* Charge whatever the limits say (the pages exist already). */
void memcg_force(struct memcg *cg, enum memcg_kind kind, unsigned long bytes);
void memcg_uncharge(struct memcg *cg, enum memcg_kind kind, unsigned long bytes);
/* How many more bytes of kind may be charged now (ULONG_MAX: no bound). */
unsigned long memcg_room(struct memcg *cg, enum memcg_kind kind);
/* Would `more` bytes of new mappings take the guests past --memory? */
bool memcg_over_mapped(struct memcg *cg, unsigned long more);

/* Take one of res: 0, or the resource's errno (negative) at its maximum. */
int memcg_take(struct memcg *cg, enum memcg_res res);
/* Take n at once (fd tables): 0 or the errno; nothing taken on failure. */
int memcg_take_n(struct memcg *cg, enum memcg_res res, unsigned long n);
void memcg_give(struct memcg *cg, enum memcg_res res, unsigned long n);
/* Whether n more of res would fit now (nothing taken). */
bool memcg_fits(struct memcg *cg, enum memcg_res res, unsigned long n);
/* Whether res is at or past its maximum. */
bool memcg_full(struct memcg *cg, enum memcg_res res);
/* How many of res are taken. */
unsigned long memcg_count(struct memcg *cg, enum memcg_res res);
/* The bound on res (0: none), and the bytes of tmpfs data allowed (0: none): statfs shows them. */
unsigned long memcg_max(struct memcg *cg, enum memcg_res res);
unsigned long memcg_tmpfs_max(struct memcg *cg);

/* The host's RAM in bytes (sysinfo's totalram). */
unsigned long memcg_host_ram(void);
/* --pids when not given: one task per 512 KiB of RAM, from 512 to 32768. */
int memcg_default_tasks(void);
