/*
 * The argument allow-lists of HOST rows (see hostargs.h).
 *
 * A HOST row is run by the host kernel because it acts on the caller alone;
 * this file holds the rows where an argument decides whether that is so:
 *  - arch_prctl: the codes that act on the calling thread's or process's
 *    own registers and CPU state.  ARCH_MAP_VDSO_* would map a vDSO where
 *    uos's books do not see it (EEXIST while the vDSO is mapped, as Linux;
 *    otherwise EINVAL, as a kernel without checkpoint/restore answers), and
 *    ARCH_ENABLE_TAGGED_ADDR / ARCH_FORCE_TAGGED_SVA would make the host
 *    strip tag bits from addresses that uos's range checks take as they are
 *    (EINVAL, as a kernel without linear address masking answers).
 *  - mlock2: flags that Linux knows today (MLOCK_ONFAULT), so that a flag
 *    a later kernel gives a meaning does not pass unexamined; Linux refuses
 *    the others with EINVAL too.
 * Clock ids (the "clockid" argument kind of a row) are checked by
 * hostargs_clockid_ok, here and in the filter.
 */
#include "hostargs.h"

#include <asm/prctl.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "mm.h"

/* arch_prctl codes newer than the system header (arch/x86/include/uapi/asm/prctl.h). */
#define ARCH_GET_UNTAG_MASK 0x4001
#define ARCH_GET_MAX_TAG_BITS 0x4003
#define ARCH_SHSTK_ENABLE 0x5001
#define ARCH_SHSTK_DISABLE 0x5002
#define ARCH_SHSTK_LOCK 0x5003
#define ARCH_SHSTK_UNLOCK 0x5004
#define ARCH_SHSTK_STATUS 0x5005

static const uint32_t arch_prctl_codes[] = {
    ARCH_SET_GS,
    ARCH_SET_FS,
    ARCH_GET_FS,
    ARCH_GET_GS,
    ARCH_GET_CPUID,
    ARCH_SET_CPUID,
    ARCH_GET_XCOMP_SUPP,
    ARCH_GET_XCOMP_PERM,
    ARCH_REQ_XCOMP_PERM,
    ARCH_GET_XCOMP_GUEST_PERM,
    ARCH_REQ_XCOMP_GUEST_PERM,
    ARCH_GET_UNTAG_MASK,
    ARCH_GET_MAX_TAG_BITS,
    ARCH_SHSTK_ENABLE,
    ARCH_SHSTK_DISABLE,
    ARCH_SHSTK_LOCK,
    ARCH_SHSTK_UNLOCK,
    ARCH_SHSTK_STATUS,
};

/* Whether the books hold the vDSO or its data pages (map_vdso_once()'s test). */
static bool vdso_mapped(struct task *t)
{
	for (const struct vma *v = t->tg->mm->vmas; v; v = v->next)
		if (v->name && (!strcmp(v->name, "[vdso]") || !strcmp(v->name, "[vvar]")))
			return true;
	return false;
}

static long arch_prctl_refuse(struct task *t, const struct sysargs *a)
{
	unsigned int code = (unsigned int)a->a[0];

	if ((code == ARCH_MAP_VDSO_32 || code == ARCH_MAP_VDSO_64) && vdso_mapped(t))
		return -EEXIST;
	return -EINVAL;
}

static const struct hostarg_rule rules[] = {
    {.nr = SYS_arch_prctl,
     .arg = 0,
     .values = arch_prctl_codes,
     .nvalues = ARRAY_SIZE(arch_prctl_codes),
     .refuse = arch_prctl_refuse},
    {.nr = SYS_mlock2, .arg = 2, .flags = MLOCK_ONFAULT},
};

const struct hostarg_rule *hostargs_rule(int nr)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].nr == nr)
			return &rules[i];
	return NULL;
}

bool hostargs_pass(const struct hostarg_rule *h, uint64_t v)
{
	uint32_t low = (uint32_t)v;

	if (!h->values)
		return !(low & ~h->flags);
	for (size_t i = 0; i < h->nvalues; i++)
		if (h->values[i] == low)
			return true;
	return false;
}

#define CPUCLOCK_FD 3
#define CPUCLOCK_MASK 7

bool hostargs_clockid_ok(int id)
{
	if (id >= 0)
		return true;
	/* The pid field is ~(id >> 3); 0 means the caller itself. */
	return ~(id >> 3) == 0 && (id & CPUCLOCK_MASK) != CPUCLOCK_FD;
}

long hostargs_check(struct task *t, const struct sys_entry *e, const struct sysargs *a)
{
	int i = sys_arg_index(e, ARG_CLOCKID);
	const struct hostarg_rule *h = hostargs_rule((int)a->nr);

	if (i >= 0 && !hostargs_clockid_ok((int)a->a[i]))
		return -EINVAL;
	if (!h || hostargs_pass(h, a->a[h->arg]))
		return 0;
	return h->refuse ? h->refuse(t, a) : -EINVAL;
}
