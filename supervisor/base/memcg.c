/*
 * The guest's memory charge (see memcg.h): what the guests map and what
 * uos holds for them, against --memory, half of the host's RAM and
 * --tmpfs-size; and the maxima of the resources uos keeps per guest, so
 * that no guest can make uos, or the host, run out of memory.
 *
 * Every bound on what a guest can make uos (or the host, on uos's behalf)
 * keep, in one place (docs/SECURITY.md, layer 4, says the same for users).
 * "RAM" is the host's total RAM; "held" is what uos may hold for the
 * guests: --memory when given, else RAM/2.
 *
 * | resource | bound | errno past it | where |
 * | --- | --- | --- | --- |
 * | mappings (virtual size) | --memory, with everything held | ENOMEM (mmap, brk, mremap) | sys_mm.c |
 * | tmpfs data: overlay upper layer, /tmp, --tmpfs, /dev/shm, memfds, together | --tmpfs-size, default RAM/2, or --memory when smaller; and held | ENOSPC (short write, then ENOSPC; fallocate all or nothing; a mapped file's growth), ENOMEM (mmap of a file whose holes do not fit) | vfs/tmpfs.c |
 * | tmpfs inodes, extra hard links | RAM pages/2 (Linux's nr_inodes default) | ENOSPC | vfs/tmpfs.c |
 * | pipe buffer pages | held | ENOMEM (write with nothing written) | vfs/pipe.c |
 * | pipe capacity (ring slots) | RAM/2 in pages (pipe-user-pages-hard) | ENFILE (pipe), ENOMEM (FIFO open), EPERM (F_SETPIPE_SZ) | vfs/pipe.c |
 * | image files mapped (imgfs memfd copies) | held | ENOMEM (mmap), ENOSPC (growth) | vfs/imgfs_file.c |
 * | socket messages queued | each sender's SO_SNDBUF; together held | EAGAIN or blocks; ENOBUFS | net/unix.c |
 * | files in flight (SCM_RIGHTS) | 16384 | ETOOMANYREFS | net/unix.c |
 * | fds per process | RLIMIT_NOFILE, at most 1048576 | EMFILE | fdtable.c |
 * | fd table slots of all processes | RAM/10 KiB, at least 8192 (Linux's file-max) | ENFILE (open, pipe...), ENOMEM (fork, dup2) | fdtable.c, sys_clone.c |
 * | tasks and zombies | --pids, default RAM/512 KiB within 512..32768 | EAGAIN (fork, clone) | sys_clone.c |
 * | inotify instances, watches, queued events | 128, 65536, 16384 per instance | EMFILE, ENOSPC, IN_Q_OVERFLOW | vfs/inotify.c |
 * | epoll items | 131072 | ENOSPC | epoll.c |
 * | record, OFD and flock locks | 16384 | ENOLCK | vfs/lock.c |
 * | real-time signals uos keeps siginfo for | RLIMIT_SIGPENDING of uos at start; 4096 per thread or process | EAGAIN (sigqueue, tgkill of RT signals; kill loses the siginfo, not the signal) | siginfo.c, sigsend.c |
 * | signals queued on the host, POSIX timers | the host's RLIMIT_SIGPENDING of the guests' host uid | EAGAIN | the host kernel |
 * | eventfd, timerfd, signalfd, pidfd, epoll, inotify files | fds (above) | EMFILE, ENFILE | |
 *
 * What each costs at its bound, roughly: an fd slot 16 B (and ~300 B per
 * distinct open file), a tmpfs inode ~300 B with its name, an epoll item
 * 64 B, a lock 80 B, a queued siginfo 150 B, a zombie ~8 KiB, a pipe ring
 * slot 24 B.  The counts are the guests' together (Linux's per-user
 * limits, all guests being one user of the host) and bind privileged
 * guests too, since the memory is uos's.
 */
#include "memcg.h"

#include <errno.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>

#include "base.h"

#define MEMCG_PAGE 4096UL
/*
 * Linux bounds epoll items by memory (max_user_watches, millions) and
 * locks not at all; uos keeps both in lists searched on every call, so
 * their bounds are set where a full list still answers in milliseconds.
 */
#define MEMCG_EPOLL_ITEMS_MAX 131072
#define MEMCG_LOCKS_MAX 16384
/*
 * Linux bounds a user's files in flight by RLIMIT_NOFILE and collects
 * cycles of sockets in flight; uos does not collect them yet, so a fixed
 * bound keeps what such cycles hold small.
 */
#define MEMCG_INFLIGHT_MAX 16384

/* The errno each counted resource gives at its maximum. */
static const int res_errno[MEMCG_NRES] = {
	[MEMCG_FDSLOTS] = ENFILE,     [MEMCG_INODES] = ENOSPC,	 [MEMCG_EPOLL_ITEMS] = ENOSPC,
	[MEMCG_LOCKS] = ENOLCK,	      [MEMCG_SIGQUEUE] = EAGAIN, [MEMCG_PIPE_SLOTS] = ENFILE,
	[MEMCG_INFLIGHT] = ETOOMANYREFS,
};

unsigned long memcg_host_ram(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return 1UL << 30;
	return si.totalram * (unsigned long)si.mem_unit;
}

int memcg_default_tasks(void)
{
	unsigned long n = memcg_host_ram() >> 19;

	return n < 512 ? 512 : n > 32768 ? 32768 : (int)n;
}

static unsigned long at_least(unsigned long n, unsigned long floor)
{
	return n < floor ? floor : n;
}

static unsigned long sigpending_max(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_SIGPENDING, &r) || r.rlim_cur == RLIM_INFINITY)
		return 1UL << 16;
	return at_least(r.rlim_cur, 64);
}

void memcg_init(struct memcg *cg)
{
	unsigned long ram = memcg_host_ram();

	*cg = (struct memcg){.held_max = ram / 2, .tmpfs_max = ram / 2};
	cg->max[MEMCG_FDSLOTS] = at_least(ram / 10240, 8192);
	cg->max[MEMCG_INODES] = ram / MEMCG_PAGE / 2;
	cg->max[MEMCG_EPOLL_ITEMS] = MEMCG_EPOLL_ITEMS_MAX;
	cg->max[MEMCG_LOCKS] = MEMCG_LOCKS_MAX;
	cg->max[MEMCG_SIGQUEUE] = sigpending_max();
	cg->max[MEMCG_PIPE_SLOTS] = at_least(ram / 2 / MEMCG_PAGE, 16384);
	cg->max[MEMCG_INFLIGHT] = MEMCG_INFLIGHT_MAX;
}

void memcg_configure(struct memcg *cg, unsigned long memory, unsigned long tmpfs_size)
{
	cg->limit = memory;
	if (memory)
		cg->held_max = memory;
	if (tmpfs_size)
		cg->tmpfs_max = tmpfs_size;
	else if (memory && memory < cg->tmpfs_max)
		cg->tmpfs_max = memory;
	cg->tmpfs_max = (cg->tmpfs_max + MEMCG_PAGE - 1) & ~(MEMCG_PAGE - 1);
}

static unsigned long held_total(const struct memcg *cg)
{
	unsigned long n = 0;

	for (int i = 0; i < MEMCG_NKINDS; i++)
		n += cg->held[i];
	return n;
}

static unsigned long mapped(const struct memcg *cg)
{
	return cg->mapped ? cg->mapped(cg->mapped_arg) : 0;
}

/* room = max - used, or 0 when used is past max; ULONG_MAX when max is 0 (none). */
static unsigned long room_of(unsigned long max, unsigned long used)
{
	if (!max)
		return ULONG_MAX;
	return used < max ? max - used : 0;
}

static unsigned long min_ul(unsigned long a, unsigned long b)
{
	return a < b ? a : b;
}

unsigned long memcg_room(struct memcg *cg, enum memcg_kind kind)
{
	if (!cg)
		return ULONG_MAX;
	unsigned long held = held_total(cg);
	unsigned long room = room_of(cg->held_max, held);
	if (kind == MEMCG_TMPFS)
		room = min_ul(room, room_of(cg->tmpfs_max, cg->held[MEMCG_TMPFS]));
	if (cg->limit)
		room = min_ul(room, room_of(cg->limit, held + mapped(cg)));
	return room;
}

int memcg_charge(struct memcg *cg, enum memcg_kind kind, unsigned long bytes)
{
	if (!cg || !bytes)
		return 0;
	if (kind == MEMCG_TMPFS && bytes > room_of(cg->tmpfs_max, cg->held[MEMCG_TMPFS]))
		return -ENOSPC;
	if (bytes > memcg_room(cg, kind))
		return -ENOMEM;
	cg->held[kind] += bytes;
	return 0;
}

void memcg_force(struct memcg *cg, enum memcg_kind kind, unsigned long bytes)
{
	if (cg)
		cg->held[kind] += bytes;
}

void memcg_uncharge(struct memcg *cg, enum memcg_kind kind, unsigned long bytes)
{
	if (!cg)
		return;
	unsigned long *h = &cg->held[kind];
	UOS_BUG_ON(bytes > *h);
	*h -= bytes;
}

bool memcg_over_mapped(struct memcg *cg, unsigned long more)
{
	if (!cg->limit)
		return false;
	return more > room_of(cg->limit, held_total(cg) + mapped(cg));
}

int memcg_take_n(struct memcg *cg, enum memcg_res res, unsigned long n)
{
	if (!cg)
		return 0;
	if (n > room_of(cg->max[res], cg->count[res]))
		return -res_errno[res];
	cg->count[res] += n;
	return 0;
}

bool memcg_fits(struct memcg *cg, enum memcg_res res, unsigned long n)
{
	return !cg || n <= room_of(cg->max[res], cg->count[res]);
}

int memcg_take(struct memcg *cg, enum memcg_res res)
{
	return memcg_take_n(cg, res, 1);
}

void memcg_give(struct memcg *cg, enum memcg_res res, unsigned long n)
{
	if (!cg)
		return;
	UOS_BUG_ON(n > cg->count[res]);
	cg->count[res] -= n;
}

bool memcg_full(struct memcg *cg, enum memcg_res res)
{
	return cg && cg->max[res] && cg->count[res] >= cg->max[res];
}

unsigned long memcg_count(struct memcg *cg, enum memcg_res res)
{
	return cg ? cg->count[res] : 0;
}

unsigned long memcg_max(struct memcg *cg, enum memcg_res res)
{
	return cg->max[res];
}

unsigned long memcg_tmpfs_max(struct memcg *cg)
{
	return cg->tmpfs_max;
}
