/*
 * uos's own host calls that may wait on a device, made without the event
 * loop waiting: today the fdatasync/fsync that makes a guest's fsync
 * durable (an image's, a host file's).  The task parks, uninterruptibly
 * as fsync(2) waits, until the host finishes; its handler, served again,
 * takes the result with aio_result.
 */
#pragma once

#include <stdbool.h>

struct kernel;
struct task;

/*
 * Start fdatasync (datasync) or fsync of host fd for t and park t: returns
 * -UOS_EBLOCK.  Without io_uring (or with its ring full) the call is made
 * at once and its result returned: 0 or -errno.  fd is borrowed.
 */
long aio_host_fsync(struct task *t, int fd, bool datasync);
/* Whether t's handler is served again for a call aio_host_fsync started. */
bool aio_pending(const struct task *t);
/* The result of t's call (0 or -errno), or -UOS_EBLOCK with t parked again until it comes. */
long aio_result(struct task *t);
/* Close the ring (uos is ending; calls in flight finish in the host). */
void aio_fini(struct kernel *k);
