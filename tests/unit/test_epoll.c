#include "kernel_suites.h"
Suite *epoll_suite(void)
{
	return suite_create("epoll");
}
