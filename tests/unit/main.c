/*
 * The unit test runner: every module's Check suite, in one process.
 * Each test_<module>.c defines Suite *<module>_suite(void); UNIT_SUITES
 * names the header that lists them (one per runner).
 */
#include <check.h>
#include <stdlib.h>

#ifndef UNIT_SUITES
#define UNIT_SUITES "suites.h"
#endif
#include UNIT_SUITES

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	for (size_t i = 0; i < ARRAY_SIZE(unit_suites); i++)
		srunner_add_suite(sr, unit_suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
