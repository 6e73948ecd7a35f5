#include "suites.h"

Suite *fdtable_suite(void)
{
	Suite *s = suite_create("fdtable");
	return s;
}
