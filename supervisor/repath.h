/*
 * The paths processes keep (fd tables' files, cwd, root, exe, mapped
 * regions' names) follow the VFS's renames and removals (vfs.h,
 * struct vfs_path_hooks).
 */
#pragma once

struct kernel;

/* Register k's hooks with its namespace k->vfs (made already). */
void repath_init(struct kernel *k);
