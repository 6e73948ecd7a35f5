/*
 * Capabilities: the sets' rules (see capability.h), after Linux's
 * security/commoncap.c and kernel/capability.c with the initial user
 * namespace only.  Each function changes one struct creds in place; the
 * caller has checked whatever the call needs besides (the pid of capset).
 * The invariants cap_ambient_invariant_ok() checks hold after each:
 * ambient within permitted and inheritable, effective within permitted.
 */
#include "capability.h"

#include <endian.h>
#include <errno.h>
#include <linux/securebits.h>
#include <sys/prctl.h>

#define BIT(cap) (UINT64_C(1) << (cap))

/* CAP_FS_SET of include/linux/capability.h: what fsuid 0 stands for. */
#define CAP_FS_SET                                                                                 \
	(BIT(CAP_CHOWN) | BIT(CAP_MKNOD) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) |      \
	 BIT(CAP_FOWNER) | BIT(CAP_FSETID) | BIT(CAP_LINUX_IMMUTABLE) | BIT(CAP_MAC_OVERRIDE))

static bool secure(const struct creds *c, int bit)
{
	return c->securebits & issecure_mask(bit);
}

static bool valid(unsigned long cap)
{
	return cap <= CREDS_CAP_LAST;
}

void cap_init(struct creds *c)
{
	c->cap_bnd = CREDS_CAP_FULL;
	c->cap_inh = c->cap_amb = 0;
	c->cap_prm = c->cap_eff = c->uid == 0 || c->euid == 0 ? CREDS_CAP_FULL : 0;
	c->securebits = 0;
}

static bool any_root(uid_t r, uid_t e, uid_t s)
{
	return r == 0 || e == 0 || s == 0;
}

/* cap_emulate_setxuid(): leaving uid 0 drops the sets, unless SECBIT_KEEP_CAPS. */
static void emulate_setxuid(struct creds *c, const struct creds *old)
{
	if (any_root(old->uid, old->euid, old->suid) && !any_root(c->uid, c->euid, c->suid)) {
		if (!secure(c, SECURE_KEEP_CAPS))
			c->cap_prm = c->cap_eff = 0;
		c->cap_amb = 0;
	}
	if (old->euid == 0 && c->euid != 0)
		c->cap_eff = 0;
	if (old->euid != 0 && c->euid == 0)
		c->cap_eff = c->cap_prm;
}

void cap_fix_setuid(struct creds *c, const struct creds *old, bool fs)
{
	if (secure(c, SECURE_NO_SETUID_FIXUP))
		return;
	if (!fs) {
		emulate_setxuid(c, old);
		return;
	}
	if (old->fsuid == 0 && c->fsuid != 0)
		c->cap_eff &= ~CAP_FS_SET;
	if (old->fsuid != 0 && c->fsuid == 0)
		c->cap_eff |= c->cap_prm & CAP_FS_SET;
}

/*
 * get_vfs_caps_from_disk(): revisions 1, 2 and 3 of struct vfs_cap_data, each
 * of its own size; a revision 3 whose rootid is not 0 (the root of uos's one
 * user namespace) belongs to another namespace and counts as none.
 */
int cap_file_parse(const void *v, long len, struct cap_file *out)
{
	const struct vfs_ns_cap_data *d = v;
	uint32_t magic;

	*out = (struct cap_file){0};
	if (len == -ENODATA || len == -EOPNOTSUPP)
		return 0;
	if (len < 0)
		return (int)len;
	size_t n = (size_t)len;
	if (n < sizeof(d->magic_etc))
		return -EINVAL;
	magic = le32toh(d->magic_etc);
	switch (magic & VFS_CAP_REVISION_MASK) {
	case VFS_CAP_REVISION_1:
		if (n != XATTR_CAPS_SZ_1)
			return -EINVAL;
		break;
	case VFS_CAP_REVISION_2:
		if (n != XATTR_CAPS_SZ_2)
			return -EINVAL;
		break;
	case VFS_CAP_REVISION_3:
		if (n != XATTR_CAPS_SZ_3)
			return -EINVAL;
		if (le32toh(d->rootid) != 0)
			return 0;
		break;
	default:
		return -EINVAL;
	}
	for (int i = 0; i < (n == XATTR_CAPS_SZ_1 ? 1 : 2); i++) {
		out->prm |= (uint64_t)le32toh(d->data[i].permitted) << (32 * i);
		out->inh |= (uint64_t)le32toh(d->data[i].inheritable) << (32 * i);
	}
	out->prm &= CREDS_CAP_FULL;
	out->inh &= CREDS_CAP_FULL;
	out->effective = magic & VFS_CAP_FLAGS_EFFECTIVE;
	out->has = true;
	return 0;
}

/*
 * bprm_caps_from_vfs_caps(): pP' = (X & fP) | (pI & fI).  A program with
 * the effective bit that would miss part of fP (the bounding set took it)
 * must not run: -EPERM.
 */
static int file_caps(struct creds *c, const struct cap_file *fc, bool *eff)
{
	c->cap_prm = (c->cap_bnd & fc->prm) | (c->cap_inh & fc->inh);
	*eff = fc->effective;
	return fc->effective && (fc->prm & ~c->cap_prm) ? -EPERM : 0;
}

/*
 * handle_privileged_root(): uid or euid 0 gets pP' = X | pI, and euid 0
 * the effective set, unless SECBIT_NOROOT; a set-user-ID-root program with
 * file capabilities run by another user gets the file's sets alone.
 */
static void privileged_root(struct creds *c, const struct cap_file *fc, bool *eff)
{
	if (secure(c, SECURE_NOROOT))
		return;
	if (fc->has && c->uid != 0 && c->euid == 0)
		return;
	if (c->uid == 0 || c->euid == 0)
		c->cap_prm = c->cap_bnd | c->cap_inh;
	if (c->euid == 0)
		*eff = true;
}

int cap_exec(struct creds *c, const struct creds *old, const struct cap_file *fc, bool nnp,
	     bool *secureexec)
{
	bool eff = false, id_changed, gained;
	int r = 0;

	c->cap_prm = 0;
	if (fc->has)
		r = file_caps(c, fc, &eff);
	if (r < 0)
		return r;
	privileged_root(c, fc, &eff);
	/* an id really changes (Linux since 2025; before, any euid != uid counted) */
	id_changed = c->euid != old->euid || !creds_in_group(old, old->fsgid, c->egid);
	gained = c->cap_prm & ~old->cap_prm;
	/* no_new_privs (the only unsafe exec uos knows): no more than the caller had */
	if ((id_changed || gained) && nnp) {
		c->euid = c->uid;
		c->egid = c->gid;
		c->cap_prm &= old->cap_prm;
	}
	c->suid = c->fsuid = c->euid;
	c->sgid = c->fsgid = c->egid;
	if (fc->has || id_changed)
		c->cap_amb = 0;
	c->cap_prm |= c->cap_amb;
	c->cap_eff = eff ? c->cap_prm : c->cap_amb;
	c->securebits &= ~issecure_mask(SECURE_KEEP_CAPS);
	*secureexec = id_changed || (c->uid != 0 && (eff || (c->cap_prm & ~c->cap_amb)));
	return 0;
}

int cap_capset(struct creds *c, uint64_t eff, uint64_t inh, uint64_t prm)
{
	/* without CAP_SETPCAP, no inheritable bit beyond the permitted set */
	if (!creds_capable(c, CAP_SETPCAP) && (inh & ~(c->cap_inh | c->cap_prm)))
		return -EPERM;
	if (inh & ~(c->cap_inh | c->cap_bnd))
		return -EPERM;
	if (prm & ~c->cap_prm)
		return -EPERM;
	if (eff & ~prm)
		return -EPERM;
	c->cap_eff = eff;
	c->cap_inh = inh;
	c->cap_prm = prm;
	c->cap_amb &= prm & inh;
	return 0;
}

/* PR_CAPBSET_DROP: cap_prctl_drop(). */
static long bset_drop(struct creds *c, unsigned long cap)
{
	if (!creds_capable(c, CAP_SETPCAP))
		return -EPERM;
	if (!valid(cap))
		return -EINVAL;
	c->cap_bnd &= ~BIT(cap);
	return 0;
}

/*
 * PR_SET_SECUREBITS: no change of a locked bit, no unlocking, no unknown
 * bit, and CAP_SETPCAP for anything (the "sendmail capabilities bug").
 */
static long set_securebits(struct creds *c, unsigned long bits)
{
	unsigned long old = c->securebits;

	if ((((old & SECURE_ALL_LOCKS) >> 1) & (old ^ bits)) || (old & SECURE_ALL_LOCKS & ~bits) ||
	    (bits & ~(unsigned long)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) ||
	    !creds_capable(c, CAP_SETPCAP))
		return -EPERM;
	c->securebits = bits;
	return 0;
}

static long set_keepcaps(struct creds *c, unsigned long on)
{
	if (on > 1)
		return -EINVAL;
	if (secure(c, SECURE_KEEP_CAPS_LOCKED))
		return -EPERM;
	if (on)
		c->securebits |= issecure_mask(SECURE_KEEP_CAPS);
	else
		c->securebits &= ~issecure_mask(SECURE_KEEP_CAPS);
	return 0;
}

/* PR_CAP_AMBIENT: a raised bit must be permitted and inheritable. */
static long ambient(struct creds *c, unsigned long op, unsigned long cap, unsigned long a4,
		    unsigned long a5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap | a4 | a5)
			return -EINVAL;
		c->cap_amb = 0;
		return 0;
	}
	if (!valid(cap) || a4 || a5)
		return -EINVAL;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return (c->cap_amb >> cap) & 1;
	case PR_CAP_AMBIENT_RAISE:
		if (!(c->cap_prm & c->cap_inh & BIT(cap)) || secure(c, SECURE_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		c->cap_amb |= BIT(cap);
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		c->cap_amb &= ~BIT(cap);
		return 0;
	default:
		return -EINVAL;
	}
}

long cap_prctl(struct creds *c, int option, unsigned long a2, unsigned long a3, unsigned long a4,
	       unsigned long a5)
{
	switch (option) {
	case PR_CAPBSET_READ:
		return valid(a2) ? (long)((c->cap_bnd >> a2) & 1) : -EINVAL;
	case PR_CAPBSET_DROP:
		return bset_drop(c, a2);
	case PR_SET_SECUREBITS:
		return set_securebits(c, a2);
	case PR_GET_SECUREBITS:
		return c->securebits;
	case PR_GET_KEEPCAPS:
		return secure(c, SECURE_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		return set_keepcaps(c, a2);
	case PR_CAP_AMBIENT:
		return ambient(c, a2, a3, a4, a5);
	default:
		return -ENOSYS;
	}
}
