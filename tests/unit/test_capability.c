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

/* An exec of a program without file capabilities or set-ID bits, under no_new_privs. */
static void exec_plain(struct creds *c)
{
	const struct cap_file none = {0};
	struct creds old = *c;
	bool sec;
	ck_assert_int_eq(cap_exec(c, &old, &none, true, &sec), 0);
}

START_TEST(exec_rules)
{
	struct creds c = root();
	c.cap_eff = B(CAP_KILL);
	exec_plain(&c);
	ck_assert_uint_eq(c.cap_eff, CREDS_CAP_FULL); /* euid 0: effective = permitted */
	c.cap_bnd &= ~B(CAP_NET_RAW);
	exec_plain(&c);
	ck_assert_uint_eq(c.cap_prm, CREDS_CAP_FULL & ~B(CAP_NET_RAW));
	c.cap_bnd = CREDS_CAP_FULL;
	exec_plain(&c);
	ck_assert_uint_eq(c.cap_prm, CREDS_CAP_FULL & ~B(CAP_NET_RAW)); /* no_new_privs */
	c = root();
	c.securebits = SECBIT_NOROOT | SECBIT_KEEP_CAPS;
	exec_plain(&c);
	ck_assert_uint_eq(c.cap_prm | c.cap_eff, 0);
	ck_assert_uint_eq(c.securebits, SECBIT_NOROOT);
}
END_TEST

START_TEST(exec_ambient_and_ids)
{
	struct creds c = {.uid = 1000, .euid = 1000, .suid = 0, .fsuid = 1000};
	cap_init(&c);
	c.cap_prm = c.cap_inh = c.cap_amb = B(CAP_NET_RAW);
	exec_plain(&c);
	ck_assert_uint_eq(c.cap_prm, B(CAP_NET_RAW));
	ck_assert_uint_eq(c.cap_eff, B(CAP_NET_RAW));
	ck_assert_uint_eq(c.suid, 1000); /* the saved uid follows the effective one */
}
END_TEST

START_TEST(file_caps_parse)
{
	/* cap_net_raw+ep as setcap writes it (revision 2), then revision 3 with a rootid */
	unsigned char v2[20] = {0x01, 0, 0, 0x02, 0, 0x20}, v3[24] = {0x01, 0, 0, 0x03, 0, 0x20};
	struct cap_file fc;
	ck_assert_int_eq(cap_file_parse(v2, sizeof(v2), &fc), 0);
	ck_assert(fc.has && fc.effective);
	ck_assert_uint_eq(fc.prm, B(CAP_NET_RAW));
	ck_assert_uint_eq(fc.inh, 0);
	ck_assert_int_eq(cap_file_parse(v3, sizeof(v3), &fc), 0);
	ck_assert(fc.has);
	v3[20] = 1; /* rootid 1: another namespace's root */
	ck_assert_int_eq(cap_file_parse(v3, sizeof(v3), &fc), 0);
	ck_assert(!fc.has);
	ck_assert_int_eq(cap_file_parse(v2, 19, &fc), -EINVAL);
	ck_assert_int_eq(cap_file_parse(v3, 20, &fc), -EINVAL);
	ck_assert_int_eq(cap_file_parse(NULL, -ENODATA, &fc), 0);
	ck_assert(!fc.has);
}
END_TEST

START_TEST(exec_file_caps_and_setid)
{
	struct creds old = {.uid = 1000, .euid = 1000, .suid = 1000, .fsuid = 1000}, c;
	struct cap_file fc = {.has = true, .effective = true, .prm = B(CAP_NET_RAW)};
	bool sec;
	cap_init(&old);
	old.cap_amb = old.cap_inh = old.cap_prm = B(CAP_KILL);
	c = old;
	ck_assert_int_eq(cap_exec(&c, &old, &fc, false, &sec), 0);
	ck_assert_uint_eq(c.cap_prm, B(CAP_NET_RAW)); /* file caps clear the ambient set */
	ck_assert_uint_eq(c.cap_eff, B(CAP_NET_RAW));
	ck_assert(sec);
	c = old;
	ck_assert_int_eq(cap_exec(&c, &old, &fc, true, &sec), 0);
	ck_assert_uint_eq(c.cap_prm | c.cap_eff, 0); /* no_new_privs: no gain */
	c = old;
	c.euid = 0; /* a set-user-ID-root program */
	fc.has = false;
	ck_assert_int_eq(cap_exec(&c, &old, &fc, false, &sec), 0);
	ck_assert_uint_eq(c.cap_eff, CREDS_CAP_FULL);
	ck_assert_uint_eq(c.suid, 0);
	ck_assert(sec);
	c = old;
	c.euid = 0;
	ck_assert_int_eq(cap_exec(&c, &old, &fc, true, &sec), 0);
	ck_assert_uint_eq(c.euid, 1000);
	ck_assert_uint_eq(c.cap_prm, B(CAP_KILL)); /* no_new_privs: nothing gained */
	c = old;
	c.cap_bnd &= ~B(CAP_NET_RAW);
	fc.has = true;
	ck_assert_int_eq(cap_exec(&c, &old, &fc, false, &sec), -EPERM);
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
	tcase_add_test(tc, file_caps_parse);
	tcase_add_test(tc, exec_file_caps_and_setid);
	tcase_add_test(tc, capset_rules);
	tcase_add_test(tc, prctl_options);
	suite_add_tcase(s, tc);
	return s;
}
