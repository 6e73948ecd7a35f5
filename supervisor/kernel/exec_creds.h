/*
 * The credentials an execve gives the program: the set-user-ID and
 * set-group-ID bits of its file (Linux's bprm_fill_uid), its file
 * capabilities (the security.capability attribute, get_file_caps) and the
 * capability rules of capability.c (cap_bprm_creds_from_file), all on
 * uos's books of the guest's identity, never the host's.  exec_prepare
 * works them out while the old image is intact; exec_commit installs them
 * (commit_creds) before it writes the auxv, whose AT_SECURE they decide.
 */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

#include "creds.h"

struct task;
struct vfs_file;

/*
 * The creds t's process gets by running f (the ELF file after any #!
 * lines; st its stat) into *out, and AT_SECURE into *secure.  The bits and
 * file capabilities apply unless the process has no_new_privs, which keeps
 * every gain out.  0, or -errno that fails the exec: EINVAL for a
 * malformed security.capability, EPERM for file capabilities with the
 * effective bit that the bounding set cuts short.
 */
int exec_creds_prepare(struct task *t, struct vfs_file *f, const struct stat *st,
		       struct creds *out, bool *secure);
/*
 * Install c as t's process's creds at the exec (begin_new_exec and
 * commit_creds): dumpable only if the old ids were not mixed and the ids
 * and sets did not change, as fs.suid_dumpable 0; a privileged exec
 * (secure) or a change of ids clears the parent-death signal.
 */
void exec_creds_install(struct task *t, const struct creds *c, bool secure);
