/*
 * The sync family and the periodic writeback (see writeback.h).  A
 * filesystem's part (vfs_fsync, vfs_sync_mount) writes what its cache holds
 * to the image file at once, in the handler, so no other guest runs in
 * between: the file gets one consistent state.  The host's part, the
 * image's fdatasync, runs on the io_uring of aio.c while the task parks
 * and the others go on; what they change meanwhile stays in the cache
 * until the next sync or writeback.  The loop calls wb_periodic between
 * calls, where it also has the image caches that grew past their bounds
 * flushed whole (imgfs_balance), so the image file only ever gets states
 * between calls (but for files' whole blocks, which go to it at once,
 * ahead of the metadata that names them: imgfs's file.c).
 */
#include "writeback.h"

#include <errno.h>
#include <string.h>

#include "aio.h"
#include "kernel.h"
#include "task.h"
#include "vfs.h"

bool wb_resumed(const struct task *t)
{
	return aio_pending(t);
}

long wb_file(struct task *t, struct vfs_file *f, bool datasync)
{
	int hostfd, err;

	if (aio_pending(t))
		return aio_result(t);
	err = vfs_fsync(f, datasync, &hostfd);
	if (err || hostfd < 0)
		return err;
	return aio_host_fsync(t, hostfd, datasync);
}

long wb_all(struct task *t)
{
	int hostfd;
	long r;

	if (aio_pending(t)) {
		r = aio_result(t);
		if (r == -UOS_EBLOCK)
			return r;
		t->aio_step++; /* sync(2) reports no error: go on with the next mount */
	} else {
		t->aio_step = 0;
	}
	for (;; t->aio_step++) {
		int err = vfs_sync_mount(t->k->vfs, t->aio_step, &hostfd);

		if (err == -ENOENT)
			return 0;
		if (!err && hostfd >= 0 && aio_host_fsync(t, hostfd, true) == -UOS_EBLOCK)
			return -UOS_EBLOCK;
	}
}

long wb_write(struct task *t, struct vfs_file *f, bool datasync, size_t done)
{
	long r;

	t->io_done = done; /* what to answer once the sync is over */
	r = wb_file(t, f, datasync);
	if (r == -UOS_EBLOCK)
		return r;
	return r && r != -EINVAL ? r : (long)done; /* O_SYNC on a pipe means nothing */
}

long wb_write_done(struct task *t)
{
	long r = aio_result(t);

	if (r == -UOS_EBLOCK)
		return r;
	return r ? r : (long)t->io_done;
}

int wb_periodic(struct kernel *k, long long now_ns, int timeout)
{
	int err, ms;

	if (!vfs_writeback_needed(k->vfs))
		return timeout; /* no image: nothing to write, no need to wake */
	err = vfs_writeback(k->vfs, VFS_WB_BOUND);
	if (!k->writeback_ns)
		k->writeback_ns = now_ns + WRITEBACK_EVERY_NS;
	if (now_ns >= k->writeback_ns) {
		int r = vfs_writeback(k->vfs, WRITEBACK_AGE_S);

		err = err ? err : r;
		k->writeback_ns = now_ns + WRITEBACK_EVERY_NS;
	}
	if (err)
		uos_warn("writing an image back: %s", strerror(-err));
	ms = (int)((k->writeback_ns - now_ns) / 1000000 + 1);
	return timeout < 0 || ms < timeout ? ms : timeout;
}
