/*
 * What the VFS asks of the kernel (vfs.h, struct vfs_hooks): the paths
 * processes keep (fd tables' files, cwd, root, exe, mapped regions' names)
 * follow the VFS's renames and removals; lock owners' liveness; the VFS's
 * parks, and the wait queues its pipes, FIFOs, locks and inotify wake.
 */
#pragma once

struct kernel;

/* Register k's hooks and wait queues with its namespace k->vfs (made already). */
void repath_init(struct kernel *k);
