#include "suites.h"

Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	return s;
}
