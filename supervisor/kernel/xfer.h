/*
 * Data transfer between a guest's buffers and an open file: the engine of
 * read, write and their positional and vector forms (sys_rw.c), as Linux's
 * fs/read_write.c.
 *
 * Data moves through a uos bounce buffer of at most XFER_CHUNK bytes, so a
 * huge count cannot exhaust the supervisor's memory; a transfer on a
 * seekable file loops over chunks until done or short, one on a stream
 * stops after the first chunk (a second one could block after data was
 * already returned).  A bad guest buffer gives EFAULT when nothing was
 * transferred yet, else the partial count, as Linux returns it.  The file
 * offset advances by what actually reached the guest or the file.
 *
 * Every transfer is over a guest vector moved as one run of bytes, as
 * Linux's iov_iter does, so a writev of up to PIPE_BUF bytes is one atomic
 * pipe write and a blocking one waits for room as write does.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

struct task;
struct uvec;
struct vfs_file;

#ifndef RWF_HIPRI
#define RWF_HIPRI 0x1
#define RWF_DSYNC 0x2
#define RWF_SYNC 0x4
#endif
#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x8
#define RWF_APPEND 0x10
#endif
#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20 /* Linux 6.9 */
#endif
/* preadv2/pwritev2 flags; HIPRI, DSYNC and SYNC are taken and not acted on. */
#define RWF_KNOWN (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND)

/*
 * One transfer of len bytes of the guest's buffers v (access_ok checked),
 * to (wr) or from file f, at the file offset (pos < 0) or at pos
 * (pread/pwrite...), with preadv2/pwritev2's RWF_* flags rwf (checked).
 * The count moved, or -errno; -UOS_EBLOCK when t was parked (a write goes
 * on after t->io_done bytes when served again).
 */
long xfer_vec(struct task *t, struct vfs_file *f, bool wr, const struct uvec *v, size_t len,
	      off_t pos, int rwf);
