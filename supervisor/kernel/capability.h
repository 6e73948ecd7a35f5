/*
 * Capabilities: the five sets and the securebits of struct creds
 * (creds.h), and their rules as Linux's security/commoncap.c has them,
 * without user namespaces: what uid 0 starts with, what setuid and
 * execve do to the sets, capset's limits and the capability options of
 * prctl.  The checks themselves are creds_capable() (creds.h) and
 * cred_capable() (cred.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "creds.h"

/* A first guest's sets: root's full ones for uid 0, a non-root process's empty ones. */
void cap_init(struct creds *c);
/*
 * cap_task_fix_setuid() after a uid setter changed c from old:
 * cap_emulate_setxuid() for setuid/setreuid/setresuid, the fs set for
 * setfsuid (fs true); nothing under SECBIT_NO_SETUID_FIXUP.
 */
void cap_fix_setuid(struct creds *c, const struct creds *old, bool fs);
/* A program file's capabilities, from its security.capability attribute. */
struct cap_file {
	bool has;	/* a valid value of a known revision, rootid 0 */
	bool effective; /* VFS_CAP_FLAGS_EFFECTIVE: pE' = pP' */
	uint64_t prm, inh; /* fP, fI */
};
/*
 * get_vfs_caps_from_disk(): the attribute's value v[len], len being
 * getxattr's result (-ENODATA, -EOPNOTSUPP: no capabilities).  0 with *out
 * filled (out->has false for none or a foreign rootid), -EINVAL for a
 * malformed value, or len's own -errno.
 */
int cap_file_parse(const void *v, long len, struct cap_file *out);
/*
 * cap_bprm_creds_from_file(): c is the caller's creds old after the
 * set-user-ID and set-group-ID bits were applied (bprm_fill_uid); sets
 * c's capability sets, saved and fs ids for the program, with fc its file
 * capabilities.  nnp: no_new_privs, which cuts any gain back to what the
 * caller had (ids and sets).  *secureexec: AT_SECURE.  0, or -EPERM for a
 * program whose file capabilities with the effective bit cannot be met.
 */
int cap_exec(struct creds *c, const struct creds *old, const struct cap_file *fc, bool nnp,
	     bool *secureexec);
/* cap_capset(): the new sets if Linux's rules allow them: 0 or -EPERM. */
int cap_capset(struct creds *c, uint64_t eff, uint64_t inh, uint64_t prm);
/*
 * cap_task_prctl(): PR_CAPBSET_READ/DROP, PR_SET/GET_SECUREBITS,
 * PR_SET/GET_KEEPCAPS, PR_CAP_AMBIENT.  Their result, or -ENOSYS for
 * any other option.
 */
long cap_prctl(struct creds *c, int option, unsigned long a2, unsigned long a3, unsigned long a4,
	       unsigned long a5);
