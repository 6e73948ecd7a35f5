/*
 * Closing a host fd whose release sleeps (base.h's uos_close_late).
 *
 * The last close of an inotify instance that held a watch waits for a
 * grace period of the host's fsnotify SRCU (fsnotify_destroy_group, by way
 * of fsnotify_wait_marks_destroyed): 8-25 ms on the development VM, where
 * a whole run of a small program under uos takes 3.  hostfs closed one at
 * every exit of uos.  Here the fd goes into the file table of an io_uring
 * instance first (IORING_REGISTER_FILES), whose fd stays open until uos
 * exits, and uos's own fd is closed: the ring then holds the last
 * reference, and a ring's teardown runs in the host's workers
 * (io_ring_exit_work), so the release, and its wait, come after uos is
 * gone.  One ring per fd: the callers are the hostfs instances of the
 * command line, which the guest cannot add to.  Without io_uring (an old
 * kernel, kernel.io_uring_disabled) the fd is closed at once.
 */
#include <linux/io_uring.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"

void uos_close_late(int fd)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_R_DISABLED; /* it never runs a request: no task context is made */
	int ring = (int)syscall(SYS_io_uring_setup, 1, &p);
	if (ring >= 0 && syscall(SYS_io_uring_register, ring, IORING_REGISTER_FILES, &fd, 1) < 0)
		close(ring); /* nothing else holds fd: its close waits */
	close(fd);
}
