#include "kernel_suites.h"
Suite *procfs_suite(void)
{
	return suite_create("procfs");
}
