#include "suites.h"

Suite *syscall_suite(void)
{
	Suite *s = suite_create("syscall");
	return s;
}
