/*
 * The VFS's questions to the process table (vfs.h, struct vfs_hooks): the
 * paths processes keep (fd tables' files, cwd, root, exe, mapped regions'
 * names) follow the VFS's renames and removals; lock owners' liveness.
 */
#pragma once

struct kernel;

/* Register k's hooks with its namespace k->vfs (made already). */
void repath_init(struct kernel *k);
