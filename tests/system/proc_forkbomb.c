/* proc_forkbomb: fork until fork fails; under --pids 64 the failure is EAGAIN.
 * Children sleep until the parent tells them to go (closing a pipe). */
#include <stdlib.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

int main(void)
{
	int p[2], n = 0;
	pipe(p);
	for (;;) {
		pid_t pid = fork();
		if (pid < 0) {
			printf("fork failed: %s after %s\n", ename(errno), n > 10 ? "many" : "few");
			break;
		}
		if (pid == 0) {
			char c;
			close(p[1]);
			read(p[0], &c, 1);
			_exit(0);
		}
		if (++n >= 100000)
			break;
	}
	close(p[1]);
	while (wait(NULL) > 0)
		;
	printf("bomb done\n");
	return 0;
}
