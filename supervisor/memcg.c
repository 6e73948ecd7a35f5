/*
 * The guest's memory charge (see memcg.h): what the guests map and what
 * uos holds for them, against --memory, half of the host's RAM and
 * --tmpfs-size; and the maxima of the resources uos keeps per guest, so
 * that no guest can make uos, or the host, run out of memory.
 *
 * Every bound on what a guest can make uos (or the host, on uos's behalf)
 * keep, in one place.  "RAM" is the host's total RAM; the worst case is
 * what uos's heap or the host holds when a guest fills the bound.
 *
 * | resource | bound | errno | where | worst case |
 * | --- | --- | --- | --- | --- |
 * | mappings | --memory (with tmpfs, pipes, image copies) | ENOMEM | sys_mm.c | the limit |
 * | tmpfs data (upper layer, /tmp, --tmpfs, memfds) | --tmpfs-size, default RAM/2 (within --memory) | ENOSPC | tmpfs.c | the size |
 * | tmpfs inodes + extra hard links | RAM pages/2 (Linux's nr_inodes) | ENOSPC | tmpfs.c | ~500 B each |
 * | pipe buffers | held: --memory, else RAM/2 | ENOMEM (write) | pipe.c | the limit |
 * | pipe capacity | soft 16384 pages: new pipes get 2 slots, growth EPERM unless privileged; hard RAM/2 in pages: pipe ENFILE, growth EPERM | | pipe.c | 24 B per page of capacity |
 * | image files mapped (imgfs memfd copies) | held | ENOMEM (mmap) | imgfs/vfs_file.c | the limit |
 * | fds per process | RLIMIT_NOFILE, at most 1048576 | EMFILE | fdtable.c | |
 * | fd slots of all processes | RAM/10 KiB (Linux's file-max), at least 8192 | ENFILE (open), ENOMEM (fork) | fdtable.c | ~400 B each |
 * | tasks and zombies | --pids, default RAM/512 KiB in 512..32768 | EAGAIN (fork) | sys_clone.c | ~10 KiB each in uos |
 * | inotify instances / watches / queued events | 128 / 65536 / 16384 per instance | EMFILE / ENOSPC / IN_Q_OVERFLOW | inotify.c | |
 * | epoll items | 131072 (Linux: max_user_watches) | ENOSPC | epoll.c | ~64 B each |
 * | record, OFD and flock locks | 16384 (Linux: memory only) | ENOLCK | lock.c | ~80 B each |
 * | real-time signals queued | RLIMIT_SIGPENDING of uos at start | EAGAIN (sigqueue) | siginfo.c | ~150 B each |
 * | POSIX timers | the host's RLIMIT_SIGPENDING (host kernel memory) | EAGAIN | the host | |
 * | eventfd, timerfd, signalfd, pidfd, epoll, inotify | fds (above) | EMFILE / ENFILE | | |
 *
 * The counts are the guests' together (Linux's per-user limits, where all
 * guests are one user of the host), and bind privileged guests too, since
 * the memory is uos's.
 */
#include "memcg.h"

#include <errno.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>

#include "kernel.h"
#include "mm.h"
#include "task.h"

#define MEMCG_PAGE 4096UL
/*
 * Linux bounds epoll items by memory (max_user_watches, millions) and
 * locks not at all; uos keeps both in lists searched on every call, so
 * their bounds are set where a full list still answers in milliseconds.
 */
#define MEMCG_EPOLL_ITEMS_MAX 131072
#define MEMCG_LOCKS_MAX 16384

/* The errno each counted resource gives at its maximum. */
static const int res_errno[MEMCG_NRES] = {
	[MEMCG_FDSLOTS] = ENFILE,     [MEMCG_INODES] = ENOSPC,	 [MEMCG_EPOLL_ITEMS] = ENOSPC,
	[MEMCG_LOCKS] = ENOLCK,	      [MEMCG_SIGQUEUE] = EAGAIN, [MEMCG_PIPE_SLOTS] = ENFILE,
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

/* Every address space once: vfork children share their parent's books. */
unsigned long memcg_mapped(struct kernel *k)
{
	unsigned long used = 0;

	for (struct tgroup *tg = k->procs; tg; tg = tg->next) {
		bool seen = false;
		if (!tg->mm)
			continue;
		for (struct tgroup *o = k->procs; tg->mm->users > 1 && o != tg && !seen; o = o->next)
			seen = o->mm == tg->mm;
		if (!seen)
			used += tg->mm->total;
	}
	return used;
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

unsigned long memcg_room(struct kernel *k, enum memcg_kind kind)
{
	if (!k)
		return ULONG_MAX;
	struct memcg *cg = &k->memcg;
	unsigned long held = held_total(cg);
	unsigned long room = room_of(cg->held_max, held);
	if (kind == MEMCG_TMPFS)
		room = min_ul(room, room_of(cg->tmpfs_max, cg->held[MEMCG_TMPFS]));
	if (cg->limit)
		room = min_ul(room, room_of(cg->limit, held + memcg_mapped(k)));
	return room;
}

int memcg_charge(struct kernel *k, enum memcg_kind kind, unsigned long bytes)
{
	if (!k || !bytes)
		return 0;
	struct memcg *cg = &k->memcg;
	if (kind == MEMCG_TMPFS && bytes > room_of(cg->tmpfs_max, cg->held[MEMCG_TMPFS]))
		return -ENOSPC;
	if (bytes > memcg_room(k, kind))
		return -ENOMEM;
	cg->held[kind] += bytes;
	return 0;
}

void memcg_force(struct kernel *k, enum memcg_kind kind, unsigned long bytes)
{
	if (k)
		k->memcg.held[kind] += bytes;
}

void memcg_uncharge(struct kernel *k, enum memcg_kind kind, unsigned long bytes)
{
	if (!k)
		return;
	unsigned long *h = &k->memcg.held[kind];
	UOS_BUG_ON(bytes > *h);
	*h -= bytes;
}

bool memcg_over_mapped(struct kernel *k, unsigned long more)
{
	struct memcg *cg = &k->memcg;

	if (!cg->limit)
		return false;
	return more > room_of(cg->limit, held_total(cg) + memcg_mapped(k));
}

int memcg_take_n(struct kernel *k, enum memcg_res res, unsigned long n)
{
	if (!k)
		return 0;
	struct memcg *cg = &k->memcg;
	if (n > room_of(cg->max[res], cg->count[res]))
		return -res_errno[res];
	cg->count[res] += n;
	return 0;
}

bool memcg_fits(struct kernel *k, enum memcg_res res, unsigned long n)
{
	return !k || n <= room_of(k->memcg.max[res], k->memcg.count[res]);
}

int memcg_take(struct kernel *k, enum memcg_res res)
{
	return memcg_take_n(k, res, 1);
}

void memcg_give(struct kernel *k, enum memcg_res res, unsigned long n)
{
	if (!k)
		return;
	UOS_BUG_ON(n > k->memcg.count[res]);
	k->memcg.count[res] -= n;
}

bool memcg_full(struct kernel *k, enum memcg_res res)
{
	return k && k->memcg.max[res] && k->memcg.count[res] >= k->memcg.max[res];
}

unsigned long memcg_count(struct kernel *k, enum memcg_res res)
{
	return k ? k->memcg.count[res] : 0;
}
