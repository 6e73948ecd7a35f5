/*
 * The credentials of an exec (see exec_creds.h).  A nosuid mount (only
 * /dev/shm in uos: mnt_may_suid) gives neither ids nor file capabilities;
 * uos has no guest ptrace and no fs context shared between processes, so
 * LSM_UNSAFE_PTRACE and LSM_UNSAFE_SHARE never arise;
 * no_new_privs is the process's own flag (prctl), clear in a first guest
 * as in a container.
 */
#include "exec_creds.h"

#include <linux/capability.h>

#include "capability.h"
#include "task.h"
#include "vfs.h"

/* bprm_fill_uid(): the bits of the file, unless no_new_privs. */
static void setid_bits(struct creds *c, const struct stat *st, bool nnp)
{
	if (nnp)
		return;
	if (st->st_mode & S_ISUID)
		c->euid = st->st_uid;
	/* set-group-ID without group execute is mandatory locking's mark, not a set-ID bit */
	if ((st->st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		c->egid = st->st_gid;
}

/* get_file_caps(): f's security.capability, read whoever the caller is. */
static int file_caps(struct task *t, struct vfs_file *f, struct cap_file *fc)
{
	unsigned char v[XATTR_CAPS_SZ];
	return cap_file_parse(v, vfs_file_getxattr(&t->vc, f, "security.capability", v, sizeof(v)), fc);
}

int exec_creds_prepare(struct task *t, struct vfs_file *f, const struct stat *st,
		       struct creds *out, bool *secure)
{
	const struct creds *old = &t->tg->cred;
	bool nosuid = vfs_file_nosuid(f);
	struct cap_file fc = {0};
	int r = nosuid ? 0 : file_caps(t, f, &fc);

	if (r < 0)
		return r;
	*out = *old;
	if (!nosuid)
		setid_bits(out, st, t->tg->no_new_privs);
	return cap_exec(out, old, &fc, t->tg->no_new_privs, secure);
}

void exec_creds_install(struct task *t, const struct creds *c, bool secure)
{
	const struct creds *old = &t->tg->cred;
	/* begin_new_exec tests the old ids ("wrong, but userspace depends on it") */
	bool undumpable = old->euid != old->uid || old->egid != old->gid;

	if (c->euid != old->euid || c->egid != old->egid || c->fsuid != old->fsuid ||
	    c->fsgid != old->fsgid || (c->cap_prm & ~old->cap_prm)) {
		undumpable = true;
		t->pdeath_sig = 0;
	}
	if (secure)
		t->pdeath_sig = 0;
	t->tg->undumpable = undumpable;
	t->tg->cred = *c;
}
