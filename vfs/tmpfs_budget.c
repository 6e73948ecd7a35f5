/*
 * What tmpfs's pages cost (see tmpfs.c): every tmpfs of the guest draws on
 * one budget (memcg.h's MEMCG_TMPFS), charged per page that becomes backed
 * in a file's host memfd, and per page of [0, size) once the memfd was
 * handed out (mapped).
 */
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memcg.h"
#include "tmpfs_impl.h"

unsigned long tmpfs_room_pages(struct tmpfs_inode *ip)
{
	unsigned long room = memcg_room(ip->ts->cg, MEMCG_TMPFS);

	return room == ULONG_MAX ? room : room / TMPFS_PAGE;
}

unsigned long tmpfs_uncharged(struct tmpfs_inode *ip, off_t lo, off_t hi, unsigned long budget,
			      off_t *stop)
{
	unsigned long n = 0;
	off_t pos = lo & ~(off_t)(TMPFS_PAGE - 1);

	if (ip->mapped && pos < (off_t)tmpfs_pages(ip->size))
		pos = (off_t)tmpfs_pages(ip->size);
	*stop = hi;
	while (pos < hi) {
		off_t data = ip->memfd < 0 ? -1 : lseek(ip->memfd, pos, SEEK_DATA);
		off_t hole_end = data < 0 || data > hi ? hi : data;
		unsigned long h = (tmpfs_pages(hole_end) - (size_t)pos) / TMPFS_PAGE;
		if (h > budget - n) {
			*stop = pos + (off_t)(budget - n) * TMPFS_PAGE;
			return budget + 1;
		}
		n += h;
		if (data < 0 || data >= hi)
			break;
		pos = lseek(ip->memfd, data, SEEK_HOLE);
		if (pos < 0)
			break;
		pos = (off_t)tmpfs_pages(pos); /* a hole at the size starts in a page that holds data */
	}
	return n;
}

void tmpfs_recharge(struct tmpfs_inode *ip)
{
	struct stat st;
	off_t stop;
	unsigned long now;

	if (ip->memfd < 0 || fstat(ip->memfd, &st))
		return;
	ip->blocks = st.st_blocks;
	now = tmpfs_pages((off_t)st.st_blocks * 512);
	if (ip->mapped) {
		bool m = ip->mapped;
		ip->mapped = false;
		now += tmpfs_uncharged(ip, 0, ip->size, ULONG_MAX - 1, &stop) * TMPFS_PAGE;
		ip->mapped = m;
	}
	if (now > ip->charged)
		memcg_force(ip->ts->cg, MEMCG_TMPFS, now - ip->charged);
	else
		memcg_uncharge(ip->ts->cg, MEMCG_TMPFS, ip->charged - now);
	ip->charged = now;
}

long tmpfs_fits(struct tmpfs_inode *ip, off_t off, size_t len)
{
	unsigned long budget = tmpfs_room_pages(ip);
	off_t lo = off, hi = off + (off_t)len, stop;

	if (ip->mapped && hi > ip->size && ip->size < lo)
		lo = ip->size;
	size_t first = (size_t)lo & ~(size_t)(TMPFS_PAGE - 1);

	if (budget == ULONG_MAX || (tmpfs_pages(hi) - first) / TMPFS_PAGE <= budget)
		return (long)len;
	if (tmpfs_uncharged(ip, lo, hi, budget, &stop) <= budget)
		return (long)len;
	return stop > off ? (long)(stop - off) : -ENOSPC;
}

bool tmpfs_range_fits(struct tmpfs_inode *ip, off_t lo, off_t hi)
{
	return tmpfs_fits(ip, lo, (size_t)(hi - lo)) == hi - lo;
}
