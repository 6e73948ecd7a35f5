#include "suites.h"

Suite *mm_suite(void)
{
	Suite *s = suite_create("mm");
	return s;
}
