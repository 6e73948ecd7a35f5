#include "kernel_suites.h"
Suite *signal_suite(void)
{
	return suite_create("signal");
}
