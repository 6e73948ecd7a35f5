/*
 * Durability of what guests write (writeback.c): the sync family's common
 * part, and the periodic writeback the event loop runs.  The calls that
 * park on the host's fdatasync return -UOS_EBLOCK; the handler, served
 * again, calls the same function, which finds the result (aio.h).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct kernel;
struct task;
struct vfs_file;

/* Linux's dirty_expire_centisecs and dirty_writeback_centisecs: 30 s and 5 s. */
#define WRITEBACK_AGE_S 30
#define WRITEBACK_EVERY_NS 5000000000LL

/*
 * fsync(2) (fdatasync when datasync) of f: its filesystem's part, then the
 * host's.  0, -errno (-EINVAL: f cannot sync), or -UOS_EBLOCK.  Served
 * again (wb_resumed), it returns the host's result and f is not used.
 */
long wb_file(struct task *t, struct vfs_file *f, bool datasync);
/* Served again after wb_file or wb_all parked: whether this call is one. */
bool wb_resumed(const struct task *t);
/*
 * sync(2): every mount's changes reach what holds them, and each image's
 * host fdatasync finishes before the next mount is written.  0 or
 * -UOS_EBLOCK (served again: call it again).
 */
long wb_all(struct task *t);
/*
 * An O_SYNC or O_DSYNC (or RWF_SYNC/RWF_DSYNC) write of done bytes to f has
 * been made: sync it as fsync would, and answer done (or the sync's error).
 * Served again, call wb_write_done.
 */
long wb_write(struct task *t, struct vfs_file *f, bool datasync, size_t done);
long wb_write_done(struct task *t);
/*
 * The event loop's writeback, between calls: caches grown past their bounds
 * are flushed, and when its time has come, what images hold older than
 * WRITEBACK_AGE_S reaches their files.  Returns timeout (a
 * poll timeout in ms, -1: none) capped by the time to the next one.
 */
int wb_periodic(struct kernel *k, long long now_ns, int timeout);
