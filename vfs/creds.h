/*
 * A process's credentials, as a type alone: what the permission checks of
 * the VFS (vfs/open.c, wops.c, namei.c) and of the kernel objects (cred.c)
 * read.  It includes nothing of uos, so that every layer may include it;
 * the process keeps its own in struct tgroup (task.h), changed only by
 * the calls of sys_cred.c, sys_cap.c and prctl, and by execve (the kernel's
 * capability.c has the rules).  A capability check anywhere is
 * creds_capable(): the bit in the effective set, as cap_capable() without
 * user namespaces.
 */
#pragma once

#include <linux/capability.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define CREDS_NGROUPS_MAX 256 /* supplementary groups uos keeps (Linux: 65536) */

struct creds {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups; /* supplementary groups, sorted as Linux keeps them */
	gid_t groups[CREDS_NGROUPS_MAX];
	/* capability sets, bit n for capability n (CAP_CHOWN ...): capabilities(7) */
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	unsigned int securebits; /* SECBIT_* (linux/securebits.h); KEEP_CAPS is prctl's keepcaps */
};

/* The last capability of Linux 5.9 to 6.x (/proc/sys/kernel/cap_last_cap): CAP_CHECKPOINT_RESTORE. */
#define CREDS_CAP_LAST 40
#define CREDS_CAP_FULL ((UINT64_C(1) << (CREDS_CAP_LAST + 1)) - 1)

/* Is capability cap in c's effective set (cap_capable)? */
static inline bool creds_capable(const struct creds *c, int cap)
{
	return (c->cap_eff >> cap) & 1;
}

/* in_group_p: gid is primary (the fsgid, or the real gid for access(2)) or a supplementary group. */
static inline bool creds_in_group(const struct creds *c, gid_t primary, gid_t gid)
{
	if (primary == gid)
		return true;
	for (int i = 0; i < c->ngroups && i < CREDS_NGROUPS_MAX; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}
