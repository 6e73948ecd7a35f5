/*
 * Notes of the host's change events: a host fd that queues events (an
 * inotify fd of hostfs_dirs.c) signals uos with SIGIO as each one is queued
 * (O_ASYNC), and the handler counts.  A reader looks at the queue only when
 * the count moved since it last did, instead of a read that finds nothing on
 * nearly every guest call.
 *
 * No event is missed: the host queues the event, and sends the signal, in
 * the very call that changed the file.  A guest call that must see the
 * change reaches uos through a wait4 that returned after that, and a
 * pending signal's handler runs before the wait4 returns to uos's code.
 * The handler is SA_RESTART and moves nothing: waits go on (intr.h).  It
 * blocks every signal while it runs, so that a signal intr.h notes comes
 * only after it, where the interrupted wait is still seen.
 *
 * The count is a mutable global, as intr.c's notes are, for the same
 * reason: a signal handler has no struct kernel to reach.
 */
#pragma once

/* Count a note at each event fd queues from now on.  0 or -errno (then nothing is counted). */
int hostnote_watch(int fd);
/* The notes counted so far. */
unsigned long hostnote_count(void);
