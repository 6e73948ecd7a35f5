/*
 * Copies between two uos files, shared by sendfile and copy_file_range
 * (sys_copy.c) and splice, tee and vmsplice (sys_splice.c).  Data moves
 * through a bounce buffer, a chunk at a time, as read followed by write
 * would: nothing reaches the guest's memory.  A copy whose source is empty
 * (a pipe with writers) or whose destination is full parks the task when
 * nothing was moved yet and the file is blocking; once data moved, the call
 * returns the count.  Into a pipe, the pipe's own calls (vfs/pipe.c) fill
 * whole slots as Linux's fs/splice.c does.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct task;
struct vfs_file;

#define COPY_CHUNK (64 * 1024)

/* One end of a copy. */
struct copy_end {
	struct vfs_file *f;
	off_t pos;	/* where the transfer is now */
	bool explicit;	/* pos came from the guest (not the file offset) */
	bool peek;	/* a pipe, peeked and consumed as written (splice_from_pipe) */
};

/* Where a write at the file offset starts: the end under O_APPEND. */
off_t copy_out_pos(struct vfs_file *f);
/*
 * A would-block: -EAGAIN when the call may not wait or f's timeout passed
 * (vfs_timeout), else park on f (-UOS_EBLOCK).
 */
long copy_would_block(struct task *t, struct vfs_file *f, short events, bool nonblock);
/*
 * Move up to len bytes from in to out (positions advanced).  The count, or
 * -errno / -UOS_EBLOCK when nothing moved.
 */
long copy_data(struct task *t, struct copy_end *in, struct copy_end *out, size_t len,
	       bool nonblock);
/* Where end e starts: the guest's loff_t at uoff, or its file offset (uoff 0); -EFAULT, -EINVAL. */
int copy_get_off(struct task *t, struct copy_end *e, unsigned long uoff);
/*
 * Commit the positions of a copy that gave r: to the guest's offsets at
 * uin and uout when given, or to the files' offsets.  r, or -EFAULT.
 */
long copy_finish(struct task *t, struct copy_end *in, unsigned long uin, struct copy_end *out,
		 unsigned long uout, long r);
/* splice from the file in at in->pos into pipe out: one read, as much as free slots hold. */
long copy_file_to_pipe(struct task *t, struct copy_end *in, struct vfs_file *out, size_t len,
		       bool nonblock);
