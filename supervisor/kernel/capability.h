/*
 * Capabilities: the five sets and the securebits of struct creds
 * (creds.h), and their rules as Linux's security/commoncap.c has them,
 * without user namespaces: what uid 0 starts with, what setuid and
 * execve do to the sets, capset's limits and the capability options of
 * prctl.  The checks themselves are creds_capable() (creds.h) and
 * cred_capable() (cred.h).
 */
#pragma once

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
/*
 * cap_bprm_creds_from_file() for a program without file capabilities
 * (uos has no security.capability xattrs yet) and without set-user-ID
 * bits applied, under no_new_privs (uos's processes always have it):
 * root's sets for uid or euid 0 unless SECBIT_NOROOT, never more than
 * the caller had; the ambient set; saved and fs ids follow the effective
 * ones; SECBIT_KEEP_CAPS is cleared.
 */
void cap_exec(struct creds *c);
/* cap_capset(): the new sets if Linux's rules allow them: 0 or -EPERM. */
int cap_capset(struct creds *c, uint64_t eff, uint64_t inh, uint64_t prm);
/*
 * cap_task_prctl(): PR_CAPBSET_READ/DROP, PR_SET/GET_SECUREBITS,
 * PR_SET/GET_KEEPCAPS, PR_CAP_AMBIENT.  Their result, or -ENOSYS for
 * any other option.
 */
long cap_prctl(struct creds *c, int option, unsigned long a2, unsigned long a3, unsigned long a4,
	       unsigned long a5);
