/*
 * The regions the host kernel places and manages itself ([stack], [vdso],
 * [vvar], [vsyscall]): uos learns them from the host's /proc/PID/maps of the
 * guest task, once at exec, and refreshes the stack, which the host grows
 * on demand, before rendering the books.
 */
#pragma once

struct task;

/* Record the host's special regions of t in its books; the stack's bounds in *lo, *top. */
int hostmaps_record(struct task *t, unsigned long *lo, unsigned long *top);
/* Update the books' [stack] region to the host's current extent. */
void hostmaps_sync_stack(struct task *t);
