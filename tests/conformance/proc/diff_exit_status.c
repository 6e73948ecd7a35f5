/* exit_status: the exit status reaches the caller (meson runs this with
 * difftest --expect-status 3), after stdout is flushed at exit. */
#include <stdlib.h>
#include "guest.h"

int main(void)
{
	printf("exiting with 3\n");
	exit(3);
}
