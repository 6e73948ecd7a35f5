/*
 * Robust futexes at thread death (set_robust_list(2)).  A dying thread's
 * robust mutexes must get FUTEX_OWNER_DIED and a waiter woken; the host
 * kernel walks the list at exit, but it matches the owner by the host tid
 * while the words hold the guest's virtual tid.  So at the thread's exit
 * stop (PTRACE_EVENT_EXIT, memory still there) uos walks the same list as
 * exit_robust_list() does and, in host mode, gives each word the thread
 * holds the host tid, with FUTEX_WAITERS set so that a waiter that came
 * between uos's read and write is still woken: the host then does the rest.
 * In serial mode uos keeps the wait queues, so it marks the word and wakes
 * a waiter itself.  PI entries are left alone (PI futexes are the host's).
 */
#include "robust.h"

#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "futex.h"
#include "gmem.h"
#include "task.h"

#define ROBUST_LIST_LIMIT 2048 /* as the kernel: a loop in the list ends here */

struct robust_head {
	uint64_t next;
	int64_t futex_offset;
	uint64_t pending;
};

/* The word at uaddr belonged to t: hand it on as the kernel's handle_futex_death(). */
static void owner_died(struct task *t, unsigned long uaddr)
{
	uint32_t w;
	if (gmem_read(t, &w, uaddr, sizeof(w)) || (w & FUTEX_TID_MASK) != (uint32_t)t->tid)
		return;
	if (!t->k->sched.serial) {
		w = (w & ~FUTEX_TID_MASK) | FUTEX_WAITERS | (uint32_t)t->hpid;
		gmem_write(t, uaddr, &w, sizeof(w));
		return;
	}
	w = (w & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (gmem_write(t, uaddr, &w, sizeof(w)) == 0 && (w & FUTEX_WAITERS))
		futex_wake(t, uaddr, false, 1); /* a shared wake, as the kernel's own */
}

/* One list entry (bit 0: a PI futex). */
static void entry_died(struct task *t, uint64_t entry, int64_t offset)
{
	if (!(entry & 1))
		owner_died(t, (unsigned long)((int64_t)entry + offset));
}

void robust_exit(struct task *t)
{
	unsigned long head = 0;
	size_t len = 0;
	struct robust_head h;
	if (syscall(SYS_get_robust_list, t->hpid, &head, &len) < 0 || !head ||
	    len != sizeof(h) || gmem_read(t, &h, head, sizeof(h)))
		return;
	uint64_t e = h.next;
	for (int n = 0; e != head && n < ROBUST_LIST_LIMIT; n++) {
		uint64_t next;
		if (gmem_read(t, &next, e & ~1UL, sizeof(next)))
			return;
		if (e != h.pending)
			entry_died(t, e, h.futex_offset);
		e = next;
	}
	if (h.pending)
		entry_died(t, h.pending, h.futex_offset);
}
