#include "suites.h"

Suite *vfs_suite(void)
{
	Suite *s = suite_create("vfs");
	return s;
}
