/*
 * A process's credentials, as a type alone: what the permission checks of
 * the VFS (vfs/open.c, wops.c, namei.c) and of the kernel objects (cred.c)
 * read.  It includes nothing of uos, so that every layer may include it;
 * the process keeps its own in struct tgroup (task.h), changed only by
 * the calls of sys_cred.c.
 */
#pragma once

#include <sys/types.h>

#define CREDS_NGROUPS_MAX 256 /* supplementary groups uos keeps (Linux: 65536) */

struct creds {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups; /* supplementary groups, sorted as Linux keeps them */
	gid_t groups[CREDS_NGROUPS_MAX];
};
