#include "kernel_suites.h"
Suite *sched_suite(void)
{
	return suite_create("sched");
}
