#include "kernel.h"
int main(void)
{
	return 0;
}
