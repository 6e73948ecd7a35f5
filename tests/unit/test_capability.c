/*
 * Capability sets (supervisor/kernel/capability.c): pure functions on one
 * struct creds, checked against what security/commoncap.c does; the guest's
 * view of the same rules is tests/conformance/cap/cap.c's.
 */
#include <check.h>
#include <errno.h>
#include <linux/securebits.h>
#include <sys/prctl.h>

#include "capability.h"
#include "suites.h"

#define B(c) (UINT64_C(1) << (c))

static struct creds root(void)
{
	struct creds c = {0};
	cap_init(&c);
	return c;
}

START_TEST(init_by_uid)
{
	struct creds c = root(), u = {.uid = 1000, .euid = 1000};
	cap_init(&u);
	ck_assert_uint_eq(c.cap_eff, CREDS_CAP_FULL);
	ck_assert_uint_eq(c.cap_prm, CREDS_CAP_FULL);
	ck_assert_uint_eq(c.cap_inh | c.cap_amb, 0);
	ck_assert_uint_eq(u.cap_eff | u.cap_prm, 0);
	ck_assert_uint_eq(u.cap_bnd, CREDS_CAP_FULL); /* as any process's */
}
END_TEST

START_TEST(setuid_leaving_root)
{
	struct creds c = root(), old = c;
	c.uid = c.euid = c.suid = c.fsuid = 1000;
	cap_fix_setuid(&c, &old, false);
	ck_assert_uint_eq(c.cap_prm | c.cap_eff, 0);
	c = root();
	c.securebits = SECBIT_KEEP_CAPS;
	c.cap_inh = c.cap_amb = B(CAP_KILL);
	old = c;
	c.uid = c.euid = c.suid = 1000;
	cap_fix_setuid(&c, &old, false);
	ck_assert_uint_eq(c.cap_prm, CREDS_CAP_FULL);
	ck_assert_uint_eq(c.cap_eff, 0);
	ck_assert_uint_eq(c.cap_amb, 0); /* ambient goes whatever KEEP_CAPS says */
}
END_TEST

START_TEST(setfsuid_fs_set)
{
	struct creds c = root(), old = c;
	c.fsuid = 1000;
	cap_fix_setuid(&c, &old, true);
	ck_assert(!creds_capable(&c, CAP_DAC_OVERRIDE));
	ck_assert(!creds_capable(&c, CAP_CHOWN));
	ck_assert(creds_capable(&c, CAP_KILL));
	old = c;
	c.fsuid = 0;
	cap_fix_setuid(&c, &old, true);
	ck_assert_uint_eq(c.cap_eff, CREDS_CAP_FULL);
}
END_TEST

START_TEST(exec_rules)
{
	struct creds c = root();
	c.cap_eff = B(CAP_KILL);
	cap_exec(&c);
	ck_assert_uint_eq(c.cap_eff, CREDS_CAP_FULL); /* euid 0: effective = permitted */
	c.cap_bnd &= ~B(CAP_NET_RAW);
	cap_exec(&c);
	ck_assert_uint_eq(c.cap_prm, CREDS_CAP_FULL & ~B(CAP_NET_RAW));
	c.cap_bnd = CREDS_CAP_FULL;
	cap_exec(&c);
	ck_assert_uint_eq(c.cap_prm, CREDS_CAP_FULL & ~B(CAP_NET_RAW)); /* no_new_privs */
	c = root();
	c.securebits = SECBIT_NOROOT | SECBIT_KEEP_CAPS;
	cap_exec(&c);
	ck_assert_uint_eq(c.cap_prm | c.cap_eff, 0);
	ck_assert_uint_eq(c.securebits, SECBIT_NOROOT);
}
END_TEST

START_TEST(exec_ambient_and_ids)
{
	struct creds c = {.uid = 1000, .euid = 1000, .suid = 0, .fsuid = 1000};
	cap_init(&c);
	c.cap_prm = c.cap_inh = c.cap_amb = B(CAP_NET_RAW);
	cap_exec(&c);
	ck_assert_uint_eq(c.cap_prm, B(CAP_NET_RAW));
	ck_assert_uint_eq(c.cap_eff, B(CAP_NET_RAW));
	ck_assert_uint_eq(c.suid, 1000); /* the saved uid follows the effective one */
}
END_TEST

START_TEST(capset_rules)
{
	struct creds c = root();
	ck_assert_int_eq(cap_capset(&c, B(CAP_KILL), 0, B(CAP_CHOWN)), -EPERM);
	ck_assert_int_eq(cap_capset(&c, 0, 0, CREDS_CAP_FULL & ~B(CAP_KILL)), 0);
	ck_assert_int_eq(cap_capset(&c, 0, 0, CREDS_CAP_FULL), -EPERM);
	/* without CAP_SETPCAP in effective: inheritable within inheritable | permitted */
	ck_assert_int_eq(cap_capset(&c, 0, B(CAP_KILL), c.cap_prm), -EPERM);
	ck_assert_int_eq(cap_capset(&c, 0, B(CAP_CHOWN), c.cap_prm), 0);
}
END_TEST

START_TEST(prctl_options)
{
	struct creds c = root();
	ck_assert_int_eq(cap_prctl(&c, PR_CAPBSET_READ, CREDS_CAP_LAST + 1, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(cap_prctl(&c, PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), 0);
	ck_assert_int_eq(cap_prctl(&c, PR_CAPBSET_READ, CAP_KILL, 0, 0, 0), 0);
	ck_assert_int_eq(cap_prctl(&c, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0),
			 -EPERM);
	c.cap_inh = B(CAP_CHOWN);
	ck_assert_int_eq(cap_prctl(&c, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0), 0);
	ck_assert_uint_eq(c.cap_amb, B(CAP_CHOWN));
	ck_assert_int_eq(cap_prctl(&c, PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0), 0);
	ck_assert_int_eq(cap_prctl(&c, PR_SET_KEEPCAPS, 1, 0, 0, 0), -EPERM);
	ck_assert_int_eq(cap_prctl(&c, PR_SET_SECUREBITS, 0, 0, 0, 0), -EPERM);
	ck_assert_int_eq(cap_prctl(&c, PR_SET_NAME, 0, 0, 0, 0), -ENOSYS); /* not ours */
}
END_TEST

Suite *capability_suite(void)
{
	Suite *s = suite_create("capability");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, init_by_uid);
	tcase_add_test(tc, setuid_leaving_root);
	tcase_add_test(tc, setfsuid_fs_set);
	tcase_add_test(tc, exec_rules);
	tcase_add_test(tc, exec_ambient_and_ids);
	tcase_add_test(tc, capset_rules);
	tcase_add_test(tc, prctl_options);
	suite_add_tcase(s, tc);
	return s;
}
