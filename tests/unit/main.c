/*
 * The unit test runner: every module's Check suite, in one process.
 * Each test_<module>.c defines Suite *<module>_suite(void).
 */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

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
