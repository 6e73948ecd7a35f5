#include "kernel_suites.h"
Suite *lock_suite(void)
{
	return suite_create("lock");
}
